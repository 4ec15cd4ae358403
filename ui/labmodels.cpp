#include "ui/labmodels.h"

#include <QDateTime>
#include <QJsonDocument>
#include <algorithm>

namespace alabos {

namespace {
QString timeText(qint64 us)
{
    return us ? QDateTime::fromMSecsSinceEpoch(us / 1000).toString(
                    QStringLiteral("yyyy-MM-dd hh:mm:ss"))
              : QString();
}
} // namespace

int SampleTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SampleTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const SampleState &s = at(index.row());
    switch (index.column()) {
    case Id:
        return s.id;
    case Barcode:
        return s.barcode;
    case Workflow:
        return s.workflowId ? QVariant(s.workflowId) : QVariant();
    case Position:
        return s.position;
    case Metadata:
        return s.metadata.isEmpty()
                   ? QString()
                   : QString::fromUtf8(QJsonDocument(s.metadata).toJson(QJsonDocument::Compact));
    case Registered:
        return timeText(s.createdUs);
    }
    return {};
}

QVariant SampleTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Id:
        return tr("Sample");
    case Barcode:
        return tr("Barcode");
    case Workflow:
        return tr("Workflow");
    case Position:
        return tr("Position");
    case Metadata:
        return tr("Metadata");
    case Registered:
        return tr("Registered");
    }
    return {};
}

int WorkflowTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::pair<int, int> WorkflowTableModel::progress(WorkflowId id) const
{
    const auto it = m_taskStatus.constFind(id);
    if (it == m_taskStatus.cend()) return {0, 0};
    int done = 0;
    for (TaskStatus s : *it)
        done += s == TaskStatus::Completed ? 1 : 0;
    return {done, int(it->size())};
}

QVariant WorkflowTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const WorkflowState &w = at(index.row());
    if (role == ProgressRole) {
        const auto [done, total] = progress(w.id);
        return w.status == QLatin1StringView("completed") ? 100 : (total ? done * 100 / total : 0);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Id:
        return w.id;
    case Template:
        return w.templateName;
    case Status:
        return w.status == QLatin1StringView("running")     ? tr("Running")
               : w.status == QLatin1StringView("completed") ? tr("Completed")
               : w.status == QLatin1StringView("failed")    ? tr("Failed")
               : w.status == QLatin1StringView("cancelled") ? tr("Cancelled")
                                                            : w.status;
    case Samples:
        return int(w.samples.size());
    case Progress: {
        const auto [done, total] = progress(w.id);
        return total ? tr("%1 of %2 steps").arg(done).arg(total) : QString();
    }
    case Created:
        return timeText(w.createdUs);
    case Finished:
        return timeText(w.finishedUs);
    }
    return {};
}

QVariant WorkflowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Id:
        return tr("Workflow");
    case Template:
        return tr("Template");
    case Status:
        return tr("Status");
    case Samples:
        return tr("Samples");
    case Progress:
        return tr("Progress");
    case Created:
        return tr("Started");
    case Finished:
        return tr("Finished");
    }
    return {};
}

void WorkflowTableModel::applyTasks(const QList<TaskState> &tasks, bool reset)
{
    if (reset) m_taskStatus.clear();
    int first = INT_MAX, last = -1;
    for (const TaskState &t : tasks) {
        m_taskStatus[t.workflowId].insert(t.id, t.status);
        const int row = rowOf(t.workflowId);
        if (row >= 0) {
            first = std::min(first, row);
            last = std::max(last, row);
        }
    }
    if (last >= 0 && !reset) Q_EMIT dataChanged(index(first, Progress), index(last, Progress));
}

void SampleTableModel::apply(const QList<SampleState> &samples, bool reset)
{
    const auto deleted = [](const SampleState &s) { return s.deletedUs > 0; };
    const bool anyDeleted = std::any_of(samples.cbegin(), samples.cend(), deleted);
    if (reset) {
        QList<SampleState> live = samples;
        if (anyDeleted) live.removeIf(deleted);
        replaceAll(std::move(live));
        return;
    }
    merge(samples);
    if (anyDeleted) dropOldest(rowCount(), deleted);
}

void SampleTableModel::trim()
{
    if (rowCount() > kCapacity + kCapacity / 10)
        dropOldest(rowCount() - kCapacity, [](const SampleState &) { return true; });
}

void WorkflowTableModel::trimFinished()
{
    auto finished = [](const WorkflowState &w) { return w.status != QLatin1StringView("running"); };
    qsizetype count = 0;
    for (const WorkflowState &w : rows())
        count += finished(w) ? 1 : 0;
    if (count <= kFinishedCapacity + kFinishedCapacity / 10) return;
    dropOldest(count - kFinishedCapacity, finished);
    // Progress is kept for the workflows shown only (tasks of a workflow never shown too).
    for (auto it = m_taskStatus.begin(); it != m_taskStatus.end();)
        it = rowOf(it.key()) < 0 ? m_taskStatus.erase(it) : std::next(it);
}

LabModels::LabModels(QObject *parent)
    : QObject(parent), m_devices(new DeviceTableModel(this)),
      m_tasks(new TaskTableModel(5000, this)), m_samples(new SampleTableModel(this)),
      m_workflows(new WorkflowTableModel(this)), m_alarms(new ConsoleAlarms(this))
{
}

void LabModels::apply(const FeedUpdate &update)
{
    m_devices->apply(update);
    m_tasks->apply(update);
    m_samples->apply(update.samples, update.reset);
    if (update.reset)
        m_workflows->replaceAll(update.workflows);
    else
        m_workflows->merge(update.workflows);
    m_workflows->applyTasks(update.tasks, update.reset);
    m_alarms->applyFeed(update.alarms, update.reset);
    m_samples->trim();
    m_workflows->trimFinished();
    Q_EMIT applied(update);
}

void LabModels::setFeedStats(const FeedStats &stats)
{
    m_stats = stats;
    Q_EMIT feedStatsChanged(stats);
}

} // namespace alabos
