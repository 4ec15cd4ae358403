#include "core/engine/labengine.h"

#include "core/domain/logging.h"

#include <QTimer>

namespace alabos {

namespace {
const QString kTaskCreated = QStringLiteral("task.created");
const QString kTaskReady = QStringLiteral("task.ready");
const QString kTaskStarted = QStringLiteral("task.started");
const QString kTaskCompleted = QStringLiteral("task.completed");
const QString kTaskFailed = QStringLiteral("task.failed");
const QString kTaskCancelled = QStringLiteral("task.cancelled");
const QString kTaskRetried = QStringLiteral("task.retried");
const QString kDeviceStatus = QStringLiteral("device.status");
const QString kDeviceRegistered = QStringLiteral("device.registered");
const QString kSampleRegistered = QStringLiteral("sample.registered");
const QString kWorkflowCreated = QStringLiteral("workflow.created");
const QString kWorkflowFinished = QStringLiteral("workflow.finished");

bool isActive(TaskStatus s)
{
    return !isFinal(s);
}
} // namespace

LabEngine::LabEngine(QObject *parent) : QObject(parent)
{
    registerMetaTypes();
    registerDriverMetaTypes();
    qRegisterMetaType<DeviceSpec>();
    qRegisterMetaType<QList<DeviceSpec>>();
    qRegisterMetaType<EngineStats>();
    addTemplate(demoSynthesisTemplate());
}

LabEngine::~LabEngine() = default;

LabEngine::QueueKey LabEngine::keyFor(const TaskEntry &t) const
{
    return {-t.state.priority, t.startsWorkflow ? 1 : 0, t.queueSeq, t.state.id};
}

void LabEngine::start(const LabSnapshot &snapshot, const QList<DeviceSpec> &devices)
{
    m_nextTaskId = snapshot.maxTaskId + 1;
    m_nextWorkflowId = snapshot.maxWorkflowId + 1;
    m_nextSampleId = snapshot.maxSampleId + 1;

    QHash<QString, DeviceState> known;
    for (const DeviceState &d : snapshot.devices)
        known.insert(d.id, d);
    for (const DeviceSpec &spec : devices) {
        DeviceEntry entry;
        entry.state = known.value(spec.id);
        entry.state.id = spec.id;
        entry.state.type = spec.type;
        entry.state.status = DeviceStatus::Idle;
        entry.state.currentTask = 0;
        entry.state.updatedUs = nowMicros();
        m_devices.insert(spec.id, entry);
        m_idleByType[spec.type].insert({entry.state.tasksCompleted, spec.id});
        m_batch.device(entry.state, kDeviceRegistered);
    }
    for (const DeviceState &d : snapshot.devices) {
        if (m_devices.contains(d.id) || d.status == DeviceStatus::Offline)
            continue;
        DeviceState offline = d;
        offline.status = DeviceStatus::Offline;
        offline.currentTask = 0;
        offline.updatedUs = nowMicros();
        m_batch.device(offline, kDeviceStatus); // configured no more
    }

    // Recovery: rebuild workflows and active tasks; dependencies not in the active set have
    // completed (a failure cancels its dependents in the same transaction).
    for (const WorkflowState &w : snapshot.workflows)
        m_workflows[w.id].state = w;
    for (const TaskState &t : snapshot.tasks) {
        if (!isActive(t.status))
            continue;
        TaskEntry &entry = m_tasks[t.id];
        entry.state = t;
        entry.command = t.parameters.value(QLatin1StringView("command")).toString();
        entry.queueSeq = m_nextSeq++;
        m_workflows[t.workflowId].tasks.append(t.id);
        ++m_workflows[t.workflowId].unfinished;
    }
    for (const TaskEdge &e : snapshot.edges) {
        auto from = m_tasks.find(e.from);
        auto to = m_tasks.find(e.to);
        if (to == m_tasks.end())
            continue;
        if (from != m_tasks.end()) {
            from->second.successors.append(e.to);
            ++to->second.pendingDeps;
        }
    }
    for (auto &[id, w] : m_workflows) {
        if (w.state.id == 0) // tasks of a workflow the snapshot did not list as running
            w.state = {id, QStringLiteral("unknown"), QStringLiteral("running"), {}, nowMicros(), 0};
    }
    QList<TaskId> recovered;
    for (auto &[id, task] : m_tasks)
        recovered.append(id);
    std::sort(recovered.begin(), recovered.end());
    for (TaskId id : recovered) {
        TaskEntry &task = m_tasks[id];
        task.startsWorkflow = task.pendingDeps == 0 && task.state.status == TaskStatus::Waiting;
        switch (task.state.status) {
        case TaskStatus::Running:
            // The simulated devices cannot tell whether the command finished: run it again.
            task.state.status = TaskStatus::Ready;
            task.state.deviceId.clear();
            task.state.message = tr("re-queued after a restart");
            m_batch.task(task.state, kTaskRetried);
            ++m_stats.recoveredTasks;
            enqueue(task);
            break;
        case TaskStatus::Ready:
            ++m_stats.recoveredTasks;
            enqueue(task);
            break;
        case TaskStatus::Waiting:
            if (task.pendingDeps == 0)
                makeReady(task);
            break;
        default:
            break;
        }
    }
    if (!m_tasks.empty())
        qCInfo(lcEngine) << "recovered" << m_tasks.size() << "active tasks of"
                         << m_workflows.size() << "workflows";
    for (auto it = m_queueByType.begin(); it != m_queueByType.end(); ++it)
        grant(it.key());
    scheduleFlush();
    auto *statsTimer = new QTimer(this);
    connect(statsTimer, &QTimer::timeout, this, &LabEngine::publishStats);
    statsTimer->start(250);
    publishStats();
    Q_EMIT started();
}

void LabEngine::submitWorkflow(const QString &templateName, const QStringList &barcodes,
                               int priority)
{
    const auto tmpl = m_templates.constFind(templateName);
    if (tmpl == m_templates.cend()) {
        Q_EMIT workflowRejected(tr("unknown workflow template \"%1\"").arg(templateName));
        return;
    }
    if (priority < 0 || priority > 1000) {
        Q_EMIT workflowRejected(
            tr("workflow %1: priority %2 is outside 0..1000").arg(templateName).arg(priority));
        return;
    }
    for (const TaskTemplate &t : tmpl->tasks) {
        if (!m_idleByType.contains(t.deviceType)) {
            Q_EMIT workflowRejected(tr("workflow template %1, task %2: no device of type \"%3\" "
                                       "is configured")
                                        .arg(templateName, t.name, t.deviceType));
            return;
        }
    }
    const qint64 now = nowMicros();
    WorkflowEntry &wf = m_workflows[m_nextWorkflowId];
    wf.state = {m_nextWorkflowId++, templateName, QStringLiteral("running"), {}, now, 0};
    QList<SampleState> samples;
    for (const QString &barcode : barcodes) {
        SampleState s{m_nextSampleId++, barcode, {}, wf.state.id, {}, now};
        wf.state.samples.append(s.id);
        samples.append(s);
    }
    m_batch.workflow(wf.state, kWorkflowCreated);
    for (const SampleState &s : samples)
        m_batch.sample(s, kSampleRegistered);

    QHash<QString, TaskId> idByName;
    for (int index : tmpl->topologicalOrder()) {
        const TaskTemplate &t = tmpl->tasks[index];
        TaskEntry &entry = m_tasks[m_nextTaskId];
        entry.state.id = m_nextTaskId++;
        entry.state.workflowId = wf.state.id;
        entry.state.name = t.name;
        entry.state.deviceType = t.deviceType;
        entry.state.priority = priority;
        entry.state.samples = wf.state.samples;
        entry.state.parameters = t.parameters;
        entry.state.parameters.insert(QStringLiteral("command"), t.command);
        entry.state.parameters.insert(QStringLiteral("duration_s"), t.durationS);
        entry.state.createdUs = now;
        entry.command = t.command;
        entry.queueSeq = m_nextSeq++;
        entry.startsWorkflow = t.dependsOn.isEmpty();
        entry.pendingDeps = int(t.dependsOn.size());
        for (const QString &dep : t.dependsOn) {
            const TaskId from = idByName.value(dep);
            m_tasks[from].successors.append(entry.state.id);
            m_batch.edges.append({wf.state.id, from, entry.state.id});
        }
        idByName.insert(t.name, entry.state.id);
        wf.tasks.append(entry.state.id);
        ++wf.unfinished;
        m_batch.task(entry.state, kTaskCreated);
    }
    ++m_stats.workflowsSubmitted;
    // Tasks become ready only once the workflow is committed.
    const QList<TaskId> ids = wf.tasks;
    afterCommit([this, ids] {
        for (TaskId id : ids) {
            auto it = m_tasks.find(id);
            if (it != m_tasks.end() && it->second.state.status == TaskStatus::Waiting &&
                it->second.pendingDeps == 0) {
                makeReady(it->second);
                grant(it->second.state.deviceType);
            }
        }
    });
    scheduleFlush();
}

void LabEngine::makeReady(TaskEntry &task)
{
    task.state.status = TaskStatus::Ready;
    m_batch.task(task.state, kTaskReady);
    enqueue(task);
}

void LabEngine::enqueue(TaskEntry &task)
{
    m_queueByType[task.state.deviceType].insert(keyFor(task));
    ++m_stats.waitingForDevice;
}

void LabEngine::grant(const QString &deviceType)
{
    if (m_draining)
        return;
    auto queueIt = m_queueByType.find(deviceType);
    auto idleIt = m_idleByType.find(deviceType);
    if (queueIt == m_queueByType.end() || idleIt == m_idleByType.end())
        return;
    std::set<QueueKey> &queue = *queueIt;
    auto &idle = *idleIt;
    while (!queue.empty() && !idle.empty()) {
        const QueueKey key = *queue.begin();
        queue.erase(queue.begin());
        --m_stats.waitingForDevice;
        auto taskIt = m_tasks.find(key.task);
        if (taskIt == m_tasks.end() || taskIt->second.state.status != TaskStatus::Ready)
            continue; // cancelled while waiting
        const QString deviceId = idle.begin()->second;
        idle.erase(idle.begin());
        DeviceEntry &device = m_devices[deviceId];
        TaskEntry &task = taskIt->second;

        device.leased = true;
        device.state.status = DeviceStatus::Busy;
        device.state.currentTask = task.state.id;
        device.state.updatedUs = nowMicros();
        task.state.status = TaskStatus::Running;
        task.state.deviceId = deviceId;
        task.state.startedUs = device.state.updatedUs;
        task.state.finishedUs = 0;
        ++task.state.attempts;
        task.commandId = m_nextCommandId++;
        m_commandToTask[task.commandId] = task.state.id;
        m_batch.task(task.state, kTaskStarted);
        m_batch.device(device.state, kDeviceStatus);

        const DeviceCommand command{task.commandId, deviceId, task.command, task.state.parameters,
                                    task.state.id};
        const double expectedS = task.state.parameters.value(QLatin1StringView("duration_s")).toDouble(60);
        afterCommit([this, command, expectedS] {
            auto it = m_commandToTask.find(command.id);
            if (it == m_commandToTask.end())
                return; // finished or cancelled before the commit landed
            if (!m_dispatch || !m_dispatch(command)) {
                onCommandFinished({command.id, command.deviceId, false, false, false,
                                   tr("no driver for device %1").arg(command.deviceId), {}});
                return;
            }
            // A device that never answers must not hold the lab: time out generously.
            const int timeoutMs = int(qMin(expectedS * 3000.0 + 30000.0, 24.0 * 3600 * 1000));
            QTimer::singleShot(timeoutMs, this, [this, command] {
                if (m_commandToTask.count(command.id))
                    onCommandFinished({command.id, command.deviceId, false, true, false,
                                       tr("%1 did not answer in time").arg(command.deviceId), {}});
            });
        });
    }
}

void LabEngine::markIdle(DeviceEntry &device)
{
    device.leased = false;
    device.state.status = DeviceStatus::Idle;
    device.state.currentTask = 0;
    device.state.updatedUs = nowMicros();
    m_idleByType[device.state.type].insert({device.state.tasksCompleted, device.state.id});
    m_batch.device(device.state, kDeviceStatus);
}

void LabEngine::release(DeviceEntry &device)
{
    markIdle(device);
    grant(device.state.type);
}

void LabEngine::onCommandFinished(const CommandResult &result)
{
    auto mapping = m_commandToTask.find(result.commandId);
    if (mapping == m_commandToTask.end())
        return; // a late answer to a command that timed out or was cancelled
    const TaskId taskId = mapping->second;
    m_commandToTask.erase(mapping);
    auto taskIt = m_tasks.find(taskId);
    if (taskIt == m_tasks.end())
        return;
    TaskEntry &task = taskIt->second;
    DeviceEntry &device = m_devices[task.state.deviceId];
    if (result.ok) {
        ++device.state.tasksCompleted;
        finishTask(task, TaskStatus::Completed, {});
    } else if (result.transient && task.state.attempts < m_maxAttempts && !result.cancelled) {
        ++m_stats.tasksRetried;
        task.state.status = TaskStatus::Ready;
        task.state.message = result.message;
        task.state.deviceId.clear();
        m_batch.task(task.state, kTaskRetried);
        enqueue(task);
    } else {
        finishTask(task, result.cancelled ? TaskStatus::Cancelled : TaskStatus::Failed,
                   result.message);
    }
    release(device); // grants the device, possibly to the task being retried
    scheduleFlush();
}

void LabEngine::finishTask(TaskEntry &task, TaskStatus status, const QString &message)
{
    task.state.status = status;
    task.state.message = message;
    task.state.finishedUs = nowMicros();
    const QString &kind = status == TaskStatus::Completed ? kTaskCompleted
                          : status == TaskStatus::Failed  ? kTaskFailed
                                                          : kTaskCancelled;
    m_batch.task(task.state, kind);
    if (status == TaskStatus::Completed) {
        ++m_stats.tasksCompleted;
    } else {
        ++m_stats.tasksFailed;
        qCWarning(lcEngine).noquote() << "task" << task.state.id << task.state.name << "on"
                                      << task.state.deviceId << toString(status) << ":" << message;
    }

    const QList<TaskId> successors = task.successors;
    const WorkflowId workflowId = task.state.workflowId;
    if (status == TaskStatus::Completed) {
        for (TaskId next : successors) {
            auto it = m_tasks.find(next);
            if (it != m_tasks.end() && --it->second.pendingDeps == 0 &&
                it->second.state.status == TaskStatus::Waiting) {
                makeReady(it->second);
                grant(it->second.state.deviceType);
            }
        }
    } else {
        cancelDependents(task, tr("an earlier task (%1) ended %2")
                                   .arg(task.state.name, toString(status)));
    }
    auto wf = m_workflows.find(workflowId);
    if (wf != m_workflows.end())
        --wf->second.unfinished;
    finishWorkflowIfDone(workflowId);
}

void LabEngine::cancelDependents(TaskEntry &task, const QString &why)
{
    for (TaskId next : task.successors) {
        auto it = m_tasks.find(next);
        if (it == m_tasks.end() || isFinal(it->second.state.status))
            continue;
        TaskEntry &dep = it->second;
        dep.state.status = TaskStatus::Cancelled;
        dep.state.message = why;
        dep.state.finishedUs = nowMicros();
        m_batch.task(dep.state, kTaskCancelled);
        auto wf = m_workflows.find(dep.state.workflowId);
        if (wf != m_workflows.end())
            --wf->second.unfinished;
        cancelDependents(dep, why);
    }
}

void LabEngine::finishWorkflowIfDone(WorkflowId id)
{
    auto wf = m_workflows.find(id);
    if (wf == m_workflows.end() || wf->second.unfinished > 0)
        return;
    bool allCompleted = true;
    for (TaskId t : wf->second.tasks) {
        auto it = m_tasks.find(t);
        if (it != m_tasks.end() && it->second.state.status != TaskStatus::Completed)
            allCompleted = false;
    }
    wf->second.state.status = allCompleted ? QStringLiteral("completed") : QStringLiteral("failed");
    wf->second.state.finishedUs = nowMicros();
    m_batch.workflow(wf->second.state, kWorkflowFinished);
    if (allCompleted)
        ++m_stats.workflowsCompleted;
    else
        ++m_stats.workflowsFailed;
    // Finished work leaves the engine's memory; PostgreSQL keeps it.
    for (TaskId t : wf->second.tasks) {
        auto it = m_tasks.find(t);
        if (it != m_tasks.end() && isFinal(it->second.state.status))
            m_tasks.erase(it);
    }
    m_workflows.erase(wf);
}

void LabEngine::afterCommit(std::function<void()> action)
{
    m_batchActions.append(std::move(action));
    scheduleFlush();
}

void LabEngine::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &LabEngine::flushChanges, Qt::QueuedConnection);
}

void LabEngine::flushChanges()
{
    m_flushScheduled = false;
    if (m_batch.isEmpty() && m_batchActions.isEmpty())
        return;
    const quint64 ticket = m_nextTicket++;
    m_awaitingCommit[ticket] = std::move(m_batchActions);
    m_batchActions.clear();
    Q_EMIT changesReady(ticket, m_batch);
    m_batch = ChangeSet();
}

void LabEngine::onCommitted(const QList<quint64> &tickets)
{
    for (quint64 ticket : tickets) {
        auto it = m_awaitingCommit.find(ticket);
        if (it == m_awaitingCommit.end())
            continue;
        const QList<std::function<void()>> actions = std::move(it->second);
        m_awaitingCommit.erase(it);
        ++m_stats.changeSetsCommitted;
        for (const auto &action : actions)
            action();
    }
    scheduleFlush();
}

void LabEngine::onRejected(quint64 ticket, const QString &error)
{
    // The database refused a decision: what depended on it must not happen.
    ++m_stats.changeSetsRejected;
    m_awaitingCommit.erase(ticket);
    qCCritical(lcEngine).noquote() << "the database refused change set" << ticket << ":" << error;
    publishStats();
}

void LabEngine::drain()
{
    m_draining = true;
}

void LabEngine::publishStats()
{
    qint64 active = 0, running = 0;
    for (const auto &[id, t] : m_tasks) {
        if (isActive(t.state.status))
            ++active;
        if (t.state.status == TaskStatus::Running)
            ++running;
    }
    m_stats.activeTasks = active;
    m_stats.runningTasks = running;
    Q_EMIT statsChanged(m_stats);
}

} // namespace alabos
