#include "app/apilabstate.h"

#include <QJsonDocument>
#include <algorithm>
#include <mutex>

namespace alabos {

namespace {
// In the queue: ready to run, waiting for a device (not for the tasks it depends on).
bool queued(TaskStatus s)
{
    return s == TaskStatus::Ready;
}

bool promptOpen(const PromptState &p)
{
    return p.status == QLatin1StringView("open");
}

template <typename T>
ApiPage pageOf(const QList<const T *> &matching, qsizetype offset, qsizetype limit)
{
    ApiPage page;
    page.total = matching.size();
    for (qsizetype i = offset; i < matching.size() && i < offset + limit; ++i)
        page.items.append(matching.at(i)->toJson());
    return page;
}
} // namespace

void ApiLabState::apply(const FeedUpdate &u)
{
    // Encoded before the lock is taken: readers wait only for the hash updates.
    QList<QByteArray> deviceJson;
    deviceJson.reserve(u.devices.size());
    for (const DeviceState &d : u.devices)
        deviceJson.append(QJsonDocument(d.toJson()).toJson(QJsonDocument::Compact));
    std::unique_lock lock(m_mutex);
    if (u.reset) {
        m_devices.clear();
        m_deviceJson.clear();
        m_tasks.clear();
        m_finishedTasks.clear();
        m_workflows.clear();
        m_finishedWorkflows.clear();
        m_alarms.clear();
        m_clearedAlarms.clear();
        m_prompts.clear();
        m_closedPrompts.clear();
    }
    bool newDevice = u.reset;
    for (qsizetype i = 0; i < u.devices.size(); ++i) {
        const DeviceState &d = u.devices.at(i);
        newDevice = newDevice || !m_devices.contains(d.id);
        m_devices.insert(d.id, d);
        m_deviceJson.insert(d.id, std::move(deviceJson[i]));
    }
    if (newDevice) {
        m_deviceOrder = m_devices.keys();
        std::sort(m_deviceOrder.begin(), m_deviceOrder.end());
    }
    for (const TaskState &t : u.tasks) {
        const auto old = m_tasks.constFind(t.id);
        const bool wasFinal = old != m_tasks.constEnd() && isFinal(old->status);
        m_tasks.insert(t.id, t);
        if (isFinal(t.status) && !wasFinal) m_finishedTasks.push_back(t.id);
    }
    for (const WorkflowState &w : u.workflows) {
        const auto old = m_workflows.constFind(w.id);
        const bool wasDone =
            old != m_workflows.constEnd() && old->status != QLatin1StringView("running");
        m_workflows.insert(w.id, w);
        if (w.status != QLatin1StringView("running") && !wasDone)
            m_finishedWorkflows.push_back(w.id);
    }
    for (const Alarm &a : u.alarms) {
        const auto old = m_alarms.constFind(a.id);
        const bool wasCleared = old != m_alarms.constEnd() && old->state == AlarmState::Cleared;
        m_alarms.insert(a.id, a);
        if (a.state == AlarmState::Cleared && !wasCleared) m_clearedAlarms.push_back(a.id);
    }
    for (const PromptState &p : u.prompts) {
        const auto old = m_prompts.constFind(p.id);
        const bool wasClosed = old != m_prompts.constEnd() && !promptOpen(*old);
        m_prompts.insert(p.id, p);
        if (!promptOpen(p) && !wasClosed) m_closedPrompts.push_back(p.id);
    }
    trimFinished();
    m_ready = m_ready || u.reset;
}

void ApiLabState::trimFinished()
{
    while (m_finishedTasks.size() > size_t(kFinishedTasksKept)) {
        const auto it = m_tasks.find(m_finishedTasks.front());
        if (it != m_tasks.end() && isFinal(it->status)) m_tasks.erase(it);
        m_finishedTasks.pop_front();
    }
    while (m_finishedWorkflows.size() > size_t(kFinishedWorkflowsKept)) {
        const auto it = m_workflows.find(m_finishedWorkflows.front());
        if (it != m_workflows.end() && it->status != QLatin1StringView("running"))
            m_workflows.erase(it);
        m_finishedWorkflows.pop_front();
    }
    while (m_clearedAlarms.size() > size_t(kClearedAlarmsKept)) {
        const auto it = m_alarms.find(m_clearedAlarms.front());
        if (it != m_alarms.end() && it->state == AlarmState::Cleared) m_alarms.erase(it);
        m_clearedAlarms.pop_front();
    }
    while (m_closedPrompts.size() > size_t(kClosedPromptsKept)) {
        const auto it = m_prompts.find(m_closedPrompts.front());
        if (it != m_prompts.end() && !promptOpen(*it)) m_prompts.erase(it);
        m_closedPrompts.pop_front();
    }
}

void ApiLabState::setTemplates(const QList<WorkflowTemplate> &templates)
{
    QJsonArray out;
    QSet<QString> names;
    for (const WorkflowTemplate &t : templates) {
        QJsonObject tasks;
        for (const TaskTemplate &task : t.tasks)
            tasks.insert(task.name, task.schemaJson());
        out.append(QJsonObject{{QStringLiteral("name"), t.name},
                               {QStringLiteral("parameters"), tasks},
                               {QStringLiteral("definition"), t.toJson()}});
        names.insert(t.name);
    }
    std::unique_lock lock(m_mutex);
    m_templates = out;
    m_templateNames = names;
}

bool ApiLabState::ready() const
{
    std::shared_lock lock(m_mutex);
    return m_ready;
}

std::optional<QByteArray> ApiLabState::device(const QString &id) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_deviceJson.constFind(id);
    if (it == m_deviceJson.constEnd()) return std::nullopt;
    return *it;
}

ApiPage ApiLabState::devices(const QString &type, const QString &status, qsizetype offset,
                             qsizetype limit) const
{
    std::shared_lock lock(m_mutex);
    QList<const DeviceState *> matching;
    for (const QString &id : m_deviceOrder) {
        const DeviceState &d = *m_devices.constFind(id);
        if (!type.isEmpty() && d.type != type) continue;
        if (!status.isEmpty() && toString(d.status) != status) continue;
        matching << &d;
    }
    return pageOf(matching, offset, limit);
}

std::optional<QJsonObject> ApiLabState::task(TaskId id) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_tasks.constFind(id);
    if (it == m_tasks.constEnd()) return std::nullopt;
    return it->toJson();
}

ApiPage ApiLabState::tasks(const QString &status, const QString &deviceId, WorkflowId workflow,
                           bool queuedOnly, qsizetype offset, qsizetype limit) const
{
    std::shared_lock lock(m_mutex);
    QList<const TaskState *> matching;
    for (const TaskState &t : m_tasks) {
        if (queuedOnly && !queued(t.status)) continue;
        if (!status.isEmpty() && toString(t.status) != status) continue;
        if (!deviceId.isEmpty() && t.deviceId != deviceId) continue;
        if (workflow != 0 && t.workflowId != workflow) continue;
        matching << &t;
    }
    if (queuedOnly)
        std::sort(matching.begin(), matching.end(), [](const TaskState *a, const TaskState *b) {
            return std::tie(a->queueRank, a->id) < std::tie(b->queueRank, b->id);
        });
    else
        std::sort(matching.begin(), matching.end(),
                  [](const TaskState *a, const TaskState *b) { return a->id > b->id; });
    return pageOf(matching, offset, limit);
}

std::optional<QJsonObject> ApiLabState::workflow(WorkflowId id) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_workflows.constFind(id);
    if (it == m_workflows.constEnd()) return std::nullopt;
    QJsonObject out = it->toJson();
    QList<const TaskState *> tasks;
    for (const TaskState &t : m_tasks)
        if (t.workflowId == id) tasks << &t;
    std::sort(tasks.begin(), tasks.end(),
              [](const TaskState *a, const TaskState *b) { return a->id < b->id; });
    QJsonArray taskJson;
    qint64 done = 0;
    for (const TaskState *t : tasks) {
        taskJson.append(t->toJson());
        done += isFinal(t->status) ? 1 : 0;
    }
    out.insert(QStringLiteral("tasks"), taskJson);
    out.insert(QStringLiteral("tasks_finished"), done);
    return out;
}

ApiPage ApiLabState::workflows(const QString &status, qsizetype offset, qsizetype limit) const
{
    std::shared_lock lock(m_mutex);
    QList<const WorkflowState *> matching;
    for (const WorkflowState &w : m_workflows)
        if (status.isEmpty() || w.status == status) matching << &w;
    std::sort(matching.begin(), matching.end(),
              [](const WorkflowState *a, const WorkflowState *b) { return a->id > b->id; });
    return pageOf(matching, offset, limit);
}

ApiPage ApiLabState::alarms(bool activeOnly, qsizetype offset, qsizetype limit) const
{
    std::shared_lock lock(m_mutex);
    QList<const Alarm *> matching;
    for (const Alarm &a : m_alarms)
        if (!activeOnly || a.state != AlarmState::Cleared) matching << &a;
    std::sort(matching.begin(), matching.end(),
              [](const Alarm *a, const Alarm *b) { return a->id > b->id; });
    return pageOf(matching, offset, limit);
}

std::optional<Alarm> ApiLabState::alarm(qint64 id) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_alarms.constFind(id);
    if (it == m_alarms.constEnd()) return std::nullopt;
    return *it;
}

ApiPage ApiLabState::prompts(bool openOnly, qsizetype offset, qsizetype limit) const
{
    std::shared_lock lock(m_mutex);
    QList<const PromptState *> matching;
    for (const PromptState &p : m_prompts)
        if (!openOnly || promptOpen(p)) matching << &p;
    std::sort(matching.begin(), matching.end(),
              [](const PromptState *a, const PromptState *b) { return a->id > b->id; });
    return pageOf(matching, offset, limit);
}

std::optional<PromptState> ApiLabState::prompt(qint64 id) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_prompts.constFind(id);
    if (it == m_prompts.constEnd()) return std::nullopt;
    return *it;
}

QJsonArray ApiLabState::templates() const
{
    std::shared_lock lock(m_mutex);
    return m_templates;
}

bool ApiLabState::hasTemplate(const QString &name) const
{
    std::shared_lock lock(m_mutex);
    return m_templateNames.contains(name);
}

ApiLabState::Fleet ApiLabState::fleet() const
{
    std::shared_lock lock(m_mutex);
    Fleet f;
    for (const DeviceState &d : m_devices) {
        ++f.byStatus[toString(d.status)];
        auto &[busy, total] = f.busyAndTotalByType[d.type];
        busy += d.status == DeviceStatus::Busy ? 1 : 0;
        ++total;
    }
    for (const TaskState &t : m_tasks) {
        if (!queued(t.status)) continue;
        ++f.queued;
        if (f.oldestQueuedUs == 0 || t.createdUs < f.oldestQueuedUs) f.oldestQueuedUs = t.createdUs;
    }
    return f;
}

} // namespace alabos
