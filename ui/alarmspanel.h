#pragma once
#include "core/domain/alarms.h"
#include "ui/keyedtablemodel.h"

#include <QWidget>

class QPushButton;
class QTableView;
class QTabWidget;
class QToolButton;

namespace alabos {

class ConsoleSession;
class LabModels;
struct FeedUpdate;

// Alarms as this console sees them: open ones (active, acknowledged, shelved) and, in a
// second model, the ones that cleared.
class AlarmTableModel : public KeyedTableModel<Alarm, qint64>
{
    Q_OBJECT
public:
    enum Column { Severity, State, Source, Device, Message, Raised, AcknowledgedBy, ColumnCount };
    static constexpr int SeverityRole = Qt::UserRole + 1;
    using KeyedTableModel::KeyedTableModel;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void remove(const QList<qint64> &ids);
    int unacknowledged() const;

protected:
    qint64 keyOf(const Alarm &a) const override { return a.id; }
};

class AlarmsPanel : public QWidget
{
    Q_OBJECT
public:
    AlarmsPanel(LabModels *models, ConsoleSession *session, QWidget *parent = nullptr);
    AlarmTableModel *openAlarms() const { return m_open; }
    AlarmTableModel *history() const { return m_history; }
    QTableView *openView() const { return m_openView; }

Q_SIGNALS:
    // The number of alarms nobody has acknowledged yet changed.
    void unacknowledgedChanged(int count);

private:
    void apply(const FeedUpdate &update);
    QList<qint64> selected() const;
    void updateActions();

    ConsoleSession *m_session;
    AlarmTableModel *m_open;
    AlarmTableModel *m_history;
    QTabWidget *m_tabs;
    QTableView *m_openView;
    QTableView *m_historyView;
    QPushButton *m_ack;
    QToolButton *m_shelve;
    int m_lastUnacknowledged = -1;
};

QColor severityColor(AlarmSeverity severity);
QString severityLabel(AlarmSeverity severity);

} // namespace alabos
