#include "ui/tasktablemodel.h"

#include "ui/theme.h"

#include <QColor>

namespace alabos {

QString taskStatusLabel(TaskStatus status)
{
    switch (status) {
    case TaskStatus::Waiting:
        return QObject::tr("Waiting");
    case TaskStatus::Ready:
        return QObject::tr("Ready");
    case TaskStatus::Running:
        return QObject::tr("Running");
    case TaskStatus::Paused:
        return QObject::tr("Paused");
    case TaskStatus::Completed:
        return QObject::tr("Completed");
    case TaskStatus::Failed:
        return QObject::tr("Failed");
    case TaskStatus::Cancelled:
        return QObject::tr("Cancelled");
    }
    return {};
}

TaskTableModel::TaskTableModel(int finishedCapacity, QObject *parent)
    : KeyedTableModel(parent), m_finishedCapacity(finishedCapacity)
{
}

int TaskTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const TaskState &t = at(index.row());
    if (role == StatusRole)
        return int(t.status);
    if (role == Qt::ForegroundRole && index.column() == Status) {
        if (t.status == TaskStatus::Failed)
            return toneColor(Tone::Bad);
        if (t.status == TaskStatus::Running)
            return toneColor(Tone::Info);
        return {};
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == Id || index.column() == Workflow || index.column() == Attempts ||
         index.column() == Priority || index.column() == Duration))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Id:
        return t.id;
    case Workflow:
        return t.workflowId;
    case Name:
        return t.name;
    case DeviceType:
        return t.deviceType;
    case Device:
        return t.deviceId;
    case Status:
        return taskStatusLabel(t.status);
    case Attempts:
        return t.attempts;
    case Priority:
        return t.priority;
    case Duration: {
        if (!t.startedUs)
            return {};
        const qint64 end = t.finishedUs ? t.finishedUs : nowMicros();
        return QStringLiteral("%1 s").arg((end - t.startedUs) / 1e6, 0, 'f', 1);
    }
    case Message:
        return t.message;
    }
    return {};
}

QVariant TaskTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Task");
    case Workflow:
        return tr("Workflow");
    case Name:
        return tr("Step");
    case DeviceType:
        return tr("Needs");
    case Device:
        return tr("Device");
    case Status:
        return tr("Status");
    case Attempts:
        return tr("Attempts");
    case Priority:
        return tr("Priority");
    case Duration:
        return tr("Duration");
    case Message:
        return tr("Message");
    }
    return {};
}

void TaskTableModel::apply(const FeedUpdate &update)
{
    if (update.reset)
        replaceAll(update.tasks);
    else
        merge(update.tasks);
    trimFinished();
}

void TaskTableModel::trimFinished()
{
    // Drop the oldest finished tasks in one go once there are 10% too many.
    qsizetype finished = 0;
    for (const TaskState &t : rows())
        finished += isFinal(t.status) ? 1 : 0;
    if (finished > m_finishedCapacity + m_finishedCapacity / 10)
        dropOldest(finished - m_finishedCapacity,
                   [](const TaskState &t) { return isFinal(t.status); });
}

void TaskTableModel::tick()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Duration), index(rowCount() - 1, Duration));
}

} // namespace alabos
