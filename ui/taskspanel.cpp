#include "ui/taskspanel.h"

#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/tableview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace alabos {

class TaskFilterProxy : public NaturalSortProxy
{
public:
    using NaturalSortProxy::NaturalSortProxy;
    void setStatus(int status)
    {
        m_status = status;
        invalidateFilter();
    }
    void setText(const QString &text)
    {
        m_text = text.trimmed();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const auto *model = static_cast<const TaskTableModel *>(sourceModel());
        if (row >= model->rowCount(parent))
            return false;
        const TaskState &t = model->task(row);
        if (m_status == kActive && isFinal(t.status))
            return false;
        if (m_status >= 0 && int(t.status) != m_status)
            return false;
        if (m_text.isEmpty())
            return true;
        // "wf:12" filters one workflow; anything else matches step, device, type or message.
        if (m_text.startsWith(QLatin1StringView("wf:")))
            return QString::number(t.workflowId) == m_text.mid(3);
        return t.name.contains(m_text, Qt::CaseInsensitive) ||
               t.deviceId.contains(m_text, Qt::CaseInsensitive) ||
               t.deviceType.contains(m_text, Qt::CaseInsensitive) ||
               t.message.contains(m_text, Qt::CaseInsensitive) || QString::number(t.id) == m_text;
    }

public:
    static constexpr int kActive = -2;

private:
    int m_status = -1;
    QString m_text;
};

TasksPanel::TasksPanel(LabModels *models, ConsoleSession *session, QWidget *parent)
    : QWidget(parent), m_models(models), m_session(session), m_filter(new TaskFilterProxy(this)),
      m_status(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_view(makeTableView(m_filter, this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_retry(new QPushButton(tr("Retry"), this)), m_hold(new QPushButton(tr("Hold"), this)),
      m_release(new QPushButton(tr("Release"), this)),
      m_priority(new QPushButton(tr("Priority…"), this))
{
    m_filter->setSourceModel(models->tasks());
    m_view->setObjectName(QStringLiteral("taskTable"));
    m_view->setAccessibleName(tr("Task queue"));
    m_view->sortByColumn(TaskTableModel::Id, Qt::DescendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_status->setObjectName(QStringLiteral("taskStatusFilter"));
    m_status->addItem(tr("All tasks"), -1);
    m_status->addItem(tr("Active"), TaskFilterProxy::kActive);
    for (TaskStatus s : {TaskStatus::Waiting, TaskStatus::Ready, TaskStatus::Running,
                         TaskStatus::Paused, TaskStatus::Completed, TaskStatus::Failed,
                         TaskStatus::Cancelled})
        m_status->addItem(taskStatusLabel(s), int(s));
    m_text->setObjectName(QStringLiteral("taskFilter"));
    m_text->setAccessibleName(tr("Filter tasks"));
    m_status->setAccessibleName(tr("Task status"));
    m_text->setPlaceholderText(tr("Filter by step, device, message; wf:ID for one workflow…"));
    m_text->setClearButtonEnabled(true);
    connect(m_status, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setStatus(m_status->currentData().toInt()); });
    connect(m_text, &QLineEdit::textChanged, this, [this](const QString &t) { m_filter->setText(t); });

    m_cancel->setToolTip(tr("Cancel the selected tasks; a running task is stopped on its device"));
    m_retry->setToolTip(tr("Queue the selected failed tasks again"));
    m_hold->setToolTip(tr("Keep the selected tasks from starting until released"));
    m_release->setToolTip(tr("Let held tasks start again"));
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        const auto ids = selectedTasks();
        if (QMessageBox::question(this, tr("Cancel tasks"),
                                  tr("Cancel %n task(s)? Tasks that depend on them are cancelled too.",
                                     nullptr, int(ids.size()))) == QMessageBox::Yes)
            send(QStringLiteral("task.cancel"));
    });
    connect(m_retry, &QPushButton::clicked, this, [this] { send(QStringLiteral("task.retry")); });
    connect(m_hold, &QPushButton::clicked, this, [this] { send(QStringLiteral("task.hold")); });
    connect(m_release, &QPushButton::clicked, this, [this] { send(QStringLiteral("task.release")); });
    connect(m_priority, &QPushButton::clicked, this, &TasksPanel::changePriority);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TasksPanel::updateActions);
    connect(session, &ConsoleSession::identityChanged, this, &TasksPanel::updateActions);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 2);
    bar->addWidget(m_status, 1);
    for (QPushButton *b : {m_priority, m_hold, m_release, m_retry, m_cancel})
        bar->addWidget(b);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    updateActions();
}

QList<qint64> TasksPanel::selectedTasks() const
{
    QList<qint64> ids;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows(TaskTableModel::Id))
        ids << row.data().toLongLong();
    return ids;
}

void TasksPanel::updateActions()
{
    const bool any = m_view->selectionModel() && m_view->selectionModel()->hasSelection();
    const bool allowed = m_session->can(permission::TaskControl);
    const QString why = allowed ? QString() : tr("Your role may not change tasks");
    for (QPushButton *b : {m_cancel, m_retry, m_hold, m_release, m_priority}) {
        b->setEnabled(any && allowed);
        if (!allowed)
            b->setToolTip(why);
    }
}

void TasksPanel::send(const QString &kind, const QJsonObject &args)
{
    for (qint64 id : selectedTasks())
        m_session->send(kind, QString::number(id), args);
}

void TasksPanel::changePriority()
{
    bool ok = false;
    const QStringList levels{tr("Low (25)"), tr("Normal (50)"), tr("High (75)"), tr("Urgent (100)")};
    const QString choice = QInputDialog::getItem(this, tr("Change priority"),
                                                 tr("New priority for the selected tasks:"), levels, 1,
                                                 false, &ok);
    if (!ok)
        return;
    const int priority = 25 * (int(levels.indexOf(choice)) + 1);
    send(QStringLiteral("task.priority"), {{QStringLiteral("priority"), priority}});
}

} // namespace alabos
