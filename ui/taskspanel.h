#pragma once
#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;

namespace alabos {

class ConsoleSession;
class LabModels;
class TaskFilterProxy;

// The task queue and recent history: filters by status, device and workflow; change
// priority, hold, release, cancel and retry, each gated by the user's role.
class TasksPanel : public QWidget
{
    Q_OBJECT
public:
    TasksPanel(LabModels *models, ConsoleSession *session, QWidget *parent = nullptr);
    QTableView *view() const { return m_view; }
    TaskFilterProxy *filter() const { return m_filter; }

private:
    QList<qint64> selectedTasks() const;
    void send(const QString &kind, const QJsonObject &args = {});
    void updateActions();
    void changePriority();

    LabModels *m_models;
    ConsoleSession *m_session;
    TaskFilterProxy *m_filter;
    QComboBox *m_status;
    QLineEdit *m_text;
    QTableView *m_view;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_hold;
    QPushButton *m_release;
    QPushButton *m_priority;
};

} // namespace alabos
