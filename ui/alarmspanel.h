#pragma once
#include "ui/alarmtablemodel.h"

#include <QWidget>

class QPushButton;
class QTableView;
class QTabWidget;
class QToolButton;

namespace alabos {

class ConsoleSession;
class LabModels;

class AlarmsPanel : public QWidget
{
    Q_OBJECT
public:
    AlarmsPanel(LabModels *models, ConsoleSession *session, QWidget *parent = nullptr);
    AlarmTableModel *openAlarms() const { return m_alarms->open(); }
    AlarmTableModel *history() const { return m_alarms->history(); }
    QTableView *openView() const { return m_openView; }

Q_SIGNALS:
    // The number of alarms nobody has acknowledged yet changed.
    void unacknowledgedChanged(int count);

private:
    QList<qint64> selected() const;
    void updateActions();

    ConsoleSession *m_session;
    ConsoleAlarms *m_alarms;
    QTabWidget *m_tabs;
    QTableView *m_openView;
    QTableView *m_historyView;
    QPushButton *m_ack;
    QToolButton *m_shelve;
};

} // namespace alabos
