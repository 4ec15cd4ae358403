#include "core/engine/labengine.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"

#include <QCoro/QCoroTask>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTimer>
#include <chrono>

namespace alabos {

using namespace eventkind;

namespace {
const QLatin1StringView kPromptCommand("prompt");

// Engine settings stored in a task's parameters; the driver never sees them.
const QStringList kEngineKeys{
    QStringLiteral("resources"), QStringLiteral("timeout_s"),  QStringLiteral("cleanup"),
    QStringLiteral("prompt"),    QStringLiteral("rerun_safe"), QStringLiteral("device"),
    QStringLiteral("command"),   QStringLiteral("answer"),     QStringLiteral("note")};
// Command ids derive from the task and its attempt, so they survive a restart and a device's
// "last finished command" can be matched to a task after a crash.
constexpr qint64 kIdsPerTask = 1000;
constexpr qint64 kCleanupOffset = 500;
constexpr int kMaxFailedWorkflowsKept = 10000;
constexpr int kRecoveryQueryTimeoutMs = 10000;

} // namespace

std::optional<int> parsePriority(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d < 0 || d > 1000 || d != double(int(d))) return std::nullopt;
        return int(d);
    }
    const QString s = value.toString().trimmed().toLower();
    if (s == QLatin1StringView("low")) return priority::Low;
    if (s == QLatin1StringView("normal")) return priority::Normal;
    if (s == QLatin1StringView("high")) return priority::High;
    if (s == QLatin1StringView("urgent")) return priority::Urgent;
    bool ok = false;
    const int n = s.toInt(&ok);
    if (ok && n >= 0 && n <= 1000) return n;
    return std::nullopt;
}

LabEngine::LabEngine(QObject *parent) : QObject(parent)
{
    registerMetaTypes();
    registerDriverMetaTypes();
    registerCommandMetaTypes();
    qRegisterMetaType<DeviceSpec>();
    qRegisterMetaType<QList<DeviceSpec>>();
    qRegisterMetaType<EngineStats>();
    qRegisterMetaType<DeviceReport>();
    QStringList errors;
    for (const WorkflowTemplate &t : shippedTemplates(&errors)) {
        addTemplate(t);
        m_shippedTemplates << t.name;
    }
    for (const QString &e : errors)
        qCWarning(lcEngine).noquote() << "workflow template refused:" << e;
}

LabEngine::~LabEngine()
{
    // Let every suspended task coroutine run to its end: each sees m_dying and returns
    // without touching state, so no coroutine frame outlives the engine.
    m_dying = true;
    auto commands = std::move(m_commands);
    for (auto &[id, slot] : commands)
        fulfil(slot,
               CommandResult{id, {}, false, false, false, QStringLiteral("engine stopped"), {}});
    auto prompts = std::move(m_promptWaits);
    for (auto &[id, slot] : prompts)
        fulfil(slot, PromptState{});
    for (const auto &slot : std::exchange(m_sleeps, {}))
        fulfil(slot, false);
    auto awaiting = std::move(m_awaitingCommit);
    for (auto &[ticket, actions] : awaiting)
        for (auto &a : actions)
            a(false);
    for (auto &a : std::exchange(m_batchActions, {}))
        a(false);
}

EngineStats LabEngine::stats() const
{
    EngineStats s = m_stats;
    s.activeTasks = m_active;
    s.runningTasks = m_running;
    s.waitingForDevice = m_queued;
    s.openPrompts = m_prompts.size();
    return s;
}

QList<PromptState> LabEngine::openPrompts() const
{
    QList<PromptState> out = m_prompts.values();
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return out;
}

TaskEntry *LabEngine::task(TaskId id)
{
    auto it = m_tasks.find(id);
    return it == m_tasks.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------
// Start and recovery

Request LabEngine::requestFrom(const TaskState &t)
{
    Request r;
    const QString deviceName = t.parameters.value(QLatin1StringView("device")).toString();
    if (!deviceName.isEmpty()) {
        r.names << deviceName;
        r.primaryByName = true;
    } else if (!t.deviceType.isEmpty()) {
        r.types << t.deviceType;
    }
    const QJsonObject res = t.parameters.value(QLatin1StringView("resources")).toObject();
    for (const QJsonValue &d : res.value(QLatin1StringView("devices")).toArray()) {
        const QJsonObject o = d.toObject();
        const QString name = o.value(QLatin1StringView("name")).toString();
        if (!name.isEmpty()) {
            // Listing the task's own device again is the same device, not a second one
            // (otherwise the request could never be satisfied).
            if (!r.names.contains(name)) r.names << name;
        } else {
            r.types << o.value(QLatin1StringView("type")).toString();
        }
    }
    for (const QJsonValue &p : res.value(QLatin1StringView("positions")).toArray())
        r.positions << p.toString();
    const QJsonObject under = res.value(QLatin1StringView("positions_under")).toObject();
    r.positionsParent = under.value(QLatin1StringView("parent")).toString();
    r.positionCount =
        r.positionsParent.isEmpty() ? 0 : under.value(QLatin1StringView("count")).toInt();
    return r;
}

void LabEngine::start(const LabSnapshot &snapshot, const QList<DeviceSpec> &devices)
{
    m_nextTaskId = snapshot.maxTaskId + 1;
    m_nextWorkflowId = snapshot.maxWorkflowId + 1;
    m_firstWorkflowOfThisRun = m_nextWorkflowId;
    m_nextSampleId = snapshot.maxSampleId + 1;
    m_nextPromptId = snapshot.maxPromptId + 1;
    // Templates created at run time; a shipped one of the same name wins (logged).
    QStringList templateWarnings;
    const QList<WorkflowTemplate> stored =
        storedTemplates(snapshot.templates, m_shippedTemplates, &templateWarnings);
    for (const WorkflowTemplate &t : stored)
        addTemplate(t);
    for (const QString &w : std::as_const(templateWarnings))
        qCWarning(lcEngine).noquote() << w;
    if (!stored.isEmpty())
        qCInfo(lcEngine) << "loaded" << stored.size() << "workflow templates created at run time";

    const QHash<QString, DeviceState> unchangedDevices = reconcileDevices(snapshot, devices);
    for (const PositionState &p : snapshot.positions) {
        m_positions.insert(p.name, {p, 0, false});
        m_positionsUnder[p.parent].insert(p.name);
    }
    reconcilePositions();
    // Rebuild workflows and active tasks; dependencies not in the active set have completed
    // (a failure cancels its dependents in the same transaction).
    for (const WorkflowState &w : snapshot.workflows)
        m_workflows[w.id].state = w;
    for (const TaskState &t : snapshot.tasks) {
        if (isFinal(t.status)) continue;
        TaskEntry &entry = m_tasks[t.id];
        entry.state = t;
        entry.command = t.parameters.value(QLatin1StringView("command")).toString();
        entry.request = requestFrom(t);
        entry.commandId = t.id * kIdsPerTask + t.attempts;
        m_workflows[t.workflowId].tasks.append(t.id);
        ++m_workflows[t.workflowId].unfinished;
        ++m_active;
    }
    for (const TaskEdge &e : snapshot.edges) {
        auto from = m_tasks.find(e.from);
        auto to = m_tasks.find(e.to);
        if (to == m_tasks.end() || from == m_tasks.end()) continue;
        from->second.successors.append(e.to);
        ++to->second.pendingDeps;
    }
    for (auto &[id, w] : m_workflows) {
        if (w.state.id == 0) // tasks of a workflow the snapshot did not list as running
            w.state = {id, QStringLiteral("unknown"), QStringLiteral("running"), {}, nowMicros(),
                       0};
    }
    // Leases of running tasks: the resources stay theirs until recovery decides.
    QHash<TaskId, QList<ResourceLease>> leases;
    for (const ResourceLease &l : snapshot.leases)
        leases[l.taskId].append(l);
    // Prompts of operator steps are waited on again; the rest were recovery questions of a
    // previous run, asked again below when still needed.
    for (const PromptState &p : snapshot.prompts) {
        TaskEntry *t = task(p.taskId);
        if (t && t->command == kPromptCommand && t->state.status == TaskStatus::Running) {
            m_prompts.insert(p.id, p);
            t->promptId = p.id;
        } else {
            PromptState closed = p;
            closed.status = QStringLiteral("cancelled");
            closed.note = tr("superseded by a restart");
            closed.answeredUs = nowMicros();
            m_batch.prompt(closed, kPromptClosed);
        }
    }

    QList<TaskId> ids;
    for (auto &[id, t] : m_tasks)
        ids.append(id);
    std::sort(ids.begin(), ids.end());
    QList<TaskId> running;
    for (TaskId id : ids) {
        TaskEntry &t = m_tasks[id];
        t.startsWorkflow = t.pendingDeps == 0 && t.state.status == TaskStatus::Waiting;
        switch (t.state.status) {
        case TaskStatus::Running: {
            // Hold what it held, so nothing else is granted the device before we know.
            for (const ResourceLease &l : leases.value(id)) {
                if (l.kind == QLatin1StringView("device") && m_devices.contains(l.name))
                    t.heldDevices << l.name;
                else if (l.kind == QLatin1StringView("position") && m_positions.contains(l.name))
                    t.heldPositions << l.name;
            }
            if (t.heldDevices.isEmpty() && m_devices.contains(t.state.deviceId))
                t.heldDevices << t.state.deviceId;
            t.heldDevices.removeDuplicates();
            if (!t.heldDevices.isEmpty() && t.heldDevices.first() != t.state.deviceId &&
                t.heldDevices.contains(t.state.deviceId))
                t.heldDevices.move(t.heldDevices.indexOf(t.state.deviceId), 0);
            for (const QString &d : t.heldDevices) {
                DeviceEntry &dev = m_devices[d];
                dev.leasedBy = id;
                dev.state.status = DeviceStatus::Busy;
                dev.state.currentTask = id;
            }
            for (const QString &p : t.heldPositions)
                m_positions[p].leasedBy = id;
            ++m_running;
            running.append(id);
            break;
        }
        case TaskStatus::Ready:
            ++m_stats.recoveredTasks;
            enqueue(t, true);
            break;
        case TaskStatus::Waiting:
            if (t.pendingDeps == 0) makeReady(t);
            break;
        default: // paused (held by an operator) stays held
            break;
        }
    }
    settleDeviceStatuses(unchangedDevices);
    for (auto it = m_devices.begin(); it != m_devices.end(); ++it)
        if (it->leasedBy == 0 && it->state.status == DeviceStatus::Idle) idleInsert(*it);
    for (TaskId id : running) {
        TaskEntry &t = m_tasks[id];
        ++m_stats.recoveredTasks;
        if (t.command == kPromptCommand) {
            runTask(id, t.commandId, false); // waits on its prompt again
            continue;
        }
        const QString device = t.heldDevices.value(0);
        if (!device.isEmpty() && m_queryState && !m_recoveringByDevice.contains(device) &&
            m_queryState(device)) {
            m_recoveringByDevice.insert(device, id);
            QTimer::singleShot(kRecoveryQueryTimeoutMs, this, [this, device, id] {
                if (m_recoveringByDevice.value(device) != id) return;
                m_recoveringByDevice.remove(device);
                if (TaskEntry *t = task(id)) recoverRunning(*t, nullptr);
            });
        } else {
            recoverRunning(t, nullptr);
        }
    }
    if (!m_tasks.empty())
        qCInfo(lcEngine) << "recovered" << m_tasks.size() << "active tasks of" << m_workflows.size()
                         << "workflows";
    // Whatever recovery freed or queued is granted now.
    const QStringList keys = m_groupsByKey.keys();
    for (const QString &k : keys)
        grantWaiting(k);
    scheduleFlush();
    auto *statsTimer = new QTimer(this);
    connect(statsTimer, &QTimer::timeout, this, &LabEngine::publishStats);
    statsTimer->start(250);
    publishStats();
    Q_EMIT started();
}

DeviceReport deviceReportFrom(const DeviceStateReport &r)
{
    DeviceReport report;
    report.deviceId = r.deviceId;
    report.busy = r.runningCommandId != 0;
    report.runningCommandId = r.runningCommandId;
    report.lastFinishedCommandId = r.lastFinishedCommandId;
    report.interruptedCommandId = r.interruptedCommandId;
    report.lastFinishedOk = r.lastResult.ok;
    report.lastFinishedMessage = r.lastResult.message;
    report.persistent = r.persistent;
    return report;
}

void LabEngine::onDeviceReport(const DeviceReport &report)
{
    const auto it = m_recoveringByDevice.find(report.deviceId);
    if (it == m_recoveringByDevice.end()) return;
    const TaskId id = it.value();
    m_recoveringByDevice.erase(it);
    if (TaskEntry *t = task(id)) {
        // A device without memory that does not name the command cannot tell: no answer.
        const bool tells = report.persistent ||
                           (report.busy && report.runningCommandId == t->commandId) ||
                           report.lastFinishedCommandId == t->commandId;
        recoverRunning(*t, tells ? &report : nullptr);
    }
    scheduleFlush();
}

// Decides what to do with a task that was running when the previous process died.
void LabEngine::recoverRunning(TaskEntry &t, const DeviceReport *report)
{
    const TaskId id = t.state.id;
    const qint64 commandId = t.commandId;
    if (report && report->busy && report->runningCommandId == commandId) {
        // Still running on the device: wait for its answer, do not send it again.
        t.state.message =
            tr("resumed after a restart: %1 is still running it").arg(report->deviceId);
        m_batch.task(t.state, kTaskRecovered);
        logRecovery(t);
        runTask(id, commandId, false);
        return;
    }
    if (report && report->lastFinishedCommandId == commandId) {
        // It finished while we were down: take its result, never run it twice.
        t.state.message = tr("finished on %1 while alabos was down").arg(report->deviceId);
        m_batch.task(t.state, kTaskRecovered);
        logRecovery(t);
        runTask(id, commandId, false);
        onCommandFinished({commandId,
                           report->deviceId,
                           report->lastFinishedOk,
                           true,
                           false,
                           report->lastFinishedMessage,
                           {}});
        return;
    }
    const bool rerunSafe = t.state.parameters.value(QLatin1StringView("rerun_safe")).toBool(true);
    if (report || rerunSafe) {
        // The device says it never ran it (or the step is safe to repeat): run it again.
        t.state.message =
            !report ? tr("re-queued after a restart")
            : report->interruptedCommandId == commandId
                ? tr("re-queued after a restart: %1 was interrupted while running it")
                      .arg(report->deviceId)
                : tr("re-queued after a restart: %1 did not run it").arg(report->deviceId);
        --m_running;
        releaseResources(t);
        t.state.status = TaskStatus::Ready;
        t.state.deviceId.clear();
        m_batch.task(t.state, kTaskRetried);
        logRecovery(t);
        enqueue(t, true);
        tryGrant(t);
        return;
    }
    // The device cannot tell and repeating the step is unsafe: ask the operator.
    t.state.message = tr("interrupted by a restart; waiting for an operator");
    m_batch.task(t.state, kTaskRecovered);
    logRecovery(t);
    const qint64 promptId = openPrompt(
        t,
        tr("Task %1 (%2) was running on %3 when alabos stopped, and the device cannot "
           "tell whether it finished. Run it again, mark it done, or cancel it?")
            .arg(id)
            .arg(t.state.name, t.heldDevices.value(0)),
        {QStringLiteral("rerun"), QStringLiteral("mark done"), QStringLiteral("cancel")}, 0);
    [](LabEngine *self, TaskId id, qint64 promptId, qint64 commandId) -> QCoro::Task<void> {
        const PromptState answer = co_await self->promptAwait(promptId);
        if (self->m_dying) co_return;
        TaskEntry *t = self->task(id);
        if (!t || t->commandId != commandId || t->state.status != TaskStatus::Running) co_return;
        if (answer.answer == QLatin1StringView("mark done")) {
            self->finishTask(*t, TaskStatus::Completed,
                             tr("marked done by %1").arg(answer.answeredBy));
            self->releaseResources(*t);
        } else if (answer.answer == QLatin1StringView("rerun")) {
            --self->m_running;
            self->releaseResources(*t);
            t->state.status = TaskStatus::Ready;
            t->state.deviceId.clear();
            t->state.message = tr("rerun by %1 after a restart").arg(answer.answeredBy);
            self->m_batch.task(t->state, kTaskRetried);
            self->enqueue(*t, true);
            self->tryGrant(*t);
        } else if (t->state.status == TaskStatus::Running) {
            self->finishTask(*t, TaskStatus::Cancelled, tr("cancelled after a restart"));
            self->releaseResources(*t);
        }
        self->scheduleFlush();
    }(this, id, promptId, commandId);
}

// ---------------------------------------------------------------------------------------
// Submission

QString LabEngine::checkDevices(const WorkflowTemplate &tmpl) const
{
    // A device count per type keeps this O(tasks), not O(devices).
    for (const TaskTemplate &t : tmpl.tasks) {
        QStringList needed;
        if (t.deviceName.isEmpty() && !t.deviceType.isEmpty()) needed << t.deviceType;
        for (const QJsonValue &d : t.resources.value(QLatin1StringView("devices")).toArray())
            if (!d.toObject().value(QLatin1StringView("type")).toString().isEmpty())
                needed << d.toObject().value(QLatin1StringView("type")).toString();
        for (const QString &type : needed)
            if (m_devicesOfType.value(type) <= 0)
                return tr("workflow template %1, task %2: no device of type \"%3\" is configured")
                    .arg(tmpl.name, t.name, type);
        if (!t.deviceName.isEmpty() && !m_devices.contains(t.deviceName))
            return tr("workflow template %1, task %2: field \"device\" names \"%3\", which is not "
                      "configured")
                .arg(tmpl.name, t.name, t.deviceName);
    }
    return {};
}

void LabEngine::submitWorkflow(const QString &templateName, const QStringList &barcodes,
                               int priority)
{
    const QString error = submit(templateName, barcodes, priority, {}, nullptr);
    if (!error.isEmpty()) Q_EMIT workflowRejected(error);
}

QString LabEngine::submit(const QString &templateName, const QStringList &barcodes, int priority,
                          const QJsonObject &parameters, QJsonObject *data,
                          std::function<void(bool)> done, const QList<SampleState> &registered)
{
    const auto tmpl = m_templates.constFind(templateName);
    if (tmpl == m_templates.cend()) return tr("unknown workflow template \"%1\"").arg(templateName);
    if (priority < 0 || priority > 1000)
        return tr("workflow %1: priority %2 is outside 0..1000").arg(templateName).arg(priority);
    if (barcodes.isEmpty() && registered.isEmpty())
        return tr("workflow %1: no samples (barcodes is empty)").arg(templateName);
    QStringList all = barcodes;
    for (const SampleState &s : registered)
        all << s.barcode;
    for (const QString &b : std::as_const(all))
        if (b.trimmed().isEmpty()) return tr("workflow %1: an empty barcode").arg(templateName);
    if (QSet<QString>(all.begin(), all.end()).size() != all.size())
        return tr("workflow %1: a barcode is listed twice").arg(templateName);
    if (const QString why = checkDevices(*tmpl); !why.isEmpty()) return why;
    QString error;
    const auto resolved = tmpl->resolveParameters(parameters, &error);
    if (!resolved) return error;

    // The submission gets a change set of its own, so if the database refuses it (a barcode
    // already registered) nothing else is lost and the engine can undo exactly it.
    flushChanges();
    const qint64 now = nowMicros();
    const WorkflowId wfId = m_nextWorkflowId++;
    WorkflowEntry &wf = m_workflows[wfId];
    wf.state = {wfId, templateName, QStringLiteral("running"), {}, now, 0};
    QList<SampleState> samples;
    for (const QString &barcode : barcodes) {
        SampleState s{m_nextSampleId++, barcode, {}, wfId, {}, now};
        wf.state.samples.append(s.id);
        samples.append(s);
    }
    QList<SampleState> assigned = registered;
    for (SampleState &s : assigned) {
        s.workflowId = wfId;
        wf.state.samples.append(s.id);
    }
    m_batch.workflow(wf.state, kWorkflowCreated);
    for (const SampleState &s : samples)
        m_batch.sample(s, kSampleRegistered);
    for (const SampleState &s : std::as_const(assigned))
        m_batch.sample(s, kSampleAssigned);

    QHash<QString, TaskId> idByName;
    const QList<int> order = tmpl->topologicalOrder();
    for (int index : order)
        idByName.insert(tmpl->tasks[index].name, m_nextTaskId++);
    for (int index : order) {
        const TaskTemplate &t = tmpl->tasks[index];
        TaskEntry &entry = m_tasks[idByName.value(t.name)];
        entry.state.id = idByName.value(t.name);
        entry.state.workflowId = wfId;
        entry.state.name = t.name;
        entry.state.deviceType =
            t.deviceName.isEmpty() ? t.deviceType : m_devices.value(t.deviceName).state.type;
        entry.state.priority = priority;
        entry.state.samples = wf.state.samples;
        QJsonObject &p = entry.state.parameters;
        p = (*resolved)[index];
        p.insert(QStringLiteral("command"), t.command);
        p.insert(QStringLiteral("duration_s"), t.durationS);
        if (!t.deviceName.isEmpty()) p.insert(QStringLiteral("device"), t.deviceName);
        if (!t.resources.isEmpty()) p.insert(QStringLiteral("resources"), t.resources);
        if (t.timeoutS > 0) p.insert(QStringLiteral("timeout_s"), t.timeoutS);
        if (!t.cleanup.isEmpty()) p.insert(QStringLiteral("cleanup"), t.cleanup);
        if (!t.prompt.isEmpty()) p.insert(QStringLiteral("prompt"), t.prompt);
        if (!t.rerunSafe) p.insert(QStringLiteral("rerun_safe"), false);
        entry.state.createdUs = now;
        entry.command = t.command;
        entry.request = requestFrom(entry.state);
        entry.startsWorkflow = t.dependsOn.isEmpty();
        entry.pendingDeps = int(t.dependsOn.size());
        for (const QString &dep : t.dependsOn) {
            const TaskId from = idByName.value(dep);
            m_tasks[from].successors.append(entry.state.id);
            m_batch.edges.append({wfId, from, entry.state.id});
        }
        wf.tasks.append(entry.state.id);
        ++wf.unfinished;
        ++m_active;
        m_batch.task(entry.state, kTaskCreated);
    }
    ++m_stats.workflowsSubmitted;
    const QList<TaskId> ids = wf.tasks;
    if (data) {
        QJsonArray taskIds, sampleIds;
        for (TaskId id : ids)
            taskIds.append(id);
        for (SampleId id : wf.state.samples)
            sampleIds.append(id);
        *data = {{QStringLiteral("workflow_id"), wfId},
                 {QStringLiteral("task_ids"), taskIds},
                 {QStringLiteral("sample_ids"), sampleIds}};
    }
    // Tasks become ready only once the workflow is committed; if it is refused, forget it.
    afterCommit([this, ids, wfId, done](bool committed) {
        if (m_dying) return;
        if (done) done(committed);
        if (!committed) {
            for (TaskId id : ids)
                if (m_tasks.erase(id)) --m_active;
            m_workflows.erase(wfId);
            --m_stats.workflowsSubmitted;
            return;
        }
        for (TaskId id : ids) {
            TaskEntry *t = task(id);
            if (t && t->state.status == TaskStatus::Waiting && t->pendingDeps == 0) makeReady(*t);
        }
    });
    flushChanges();
    return {};
}

// ---------------------------------------------------------------------------------------
// Queue and resource manager

QueueKey LabEngine::keyFor(const TaskEntry &t) const
{
    // Aging as virtual time: a task's rank is when it became ready minus a head start for
    // its priority (and for continuing a started workflow). Waiting long enough beats any
    // priority, so nothing starves, and keys never need updating while tasks wait.
    const qint64 headStart = qint64(t.state.priority) * m_agingUsPerPoint +
                             (t.startsWorkflow ? 0 : qint64(priority::Low) * m_agingUsPerPoint);
    return {nowMicros() - headStart, 0, t.state.id};
}

QStringList LabEngine::resourceKeys(const TaskEntry &t) const
{
    QStringList keys;
    for (const QString &type : t.request.types)
        keys << QStringLiteral("t:") + type;
    for (const QString &name : t.request.names)
        keys << QStringLiteral("d:") + name;
    for (const QString &p : t.request.positions)
        keys << QStringLiteral("x:") + p;
    if (t.request.positionCount > 0) keys << QStringLiteral("p:") + t.request.positionsParent;
    keys.removeDuplicates();
    return keys;
}

void LabEngine::makeReady(TaskEntry &task)
{
    task.state.status = TaskStatus::Ready;
    enqueue(task, true); // keeps a rank an operator set while it waited (task.front)
    m_batch.task(task.state, kTaskReady);
    tryGrant(task);
}

void LabEngine::enqueue(TaskEntry &task, bool keepRank)
{
    if (task.queued) return;
    QueueKey key = keyFor(task);
    if (keepRank && task.state.queueRank != 0) key.rank = task.state.queueRank;
    key.seq = m_nextSeq++;
    task.key = key;
    task.state.queueRank = key.rank;
    task.queued = true;
    ++m_queued;
    task.signature = signature(task);
    auto &group = m_waiting[task.signature];
    if (group.empty())
        for (const QString &k : resourceKeys(task))
            m_groupsByKey[k].insert(task.signature);
    group.insert(key);
}

QString LabEngine::signature(const TaskEntry &t) const
{
    QStringList types = t.request.types;
    types.sort();
    QStringList positions = t.request.positions;
    positions.sort();
    QStringList names = t.request.names;
    names.sort();
    return types.join(QLatin1Char(',')) + QLatin1Char('|') + names.join(QLatin1Char(',')) +
           QLatin1Char('|') + positions.join(QLatin1Char(',')) + QLatin1Char('|') +
           t.request.positionsParent + QLatin1Char('#') + QString::number(t.request.positionCount);
}

void LabEngine::dequeue(TaskEntry &task)
{
    if (!task.queued) return;
    task.queued = false;
    --m_queued;
    auto it = m_waiting.find(task.signature);
    if (it == m_waiting.end()) return;
    it->erase(task.key);
    if (!it->empty()) return;
    m_waiting.erase(it);
    for (const QString &k : resourceKeys(task)) {
        auto g = m_groupsByKey.find(k);
        if (g != m_groupsByKey.end()) {
            g->remove(task.signature);
            if (g->isEmpty()) m_groupsByKey.erase(g);
        }
    }
}

void LabEngine::requeue(TaskEntry &task)
{
    if (!task.queued) return;
    dequeue(task);
    enqueue(task, true);
}

bool LabEngine::deviceAvailable(const DeviceEntry &d) const
{
    return !d.removed && d.leasedBy == 0 && d.state.status == DeviceStatus::Idle &&
           !d.pendingStatus && !d.pendingRemove;
}

void LabEngine::idleInsert(DeviceEntry &d)
{
    if (deviceAvailable(d)) m_idleByType[d.state.type].insert({d.state.tasksCompleted, d.state.id});
}

void LabEngine::idleErase(DeviceEntry &d)
{
    auto it = m_idleByType.find(d.state.type);
    if (it != m_idleByType.end()) it->erase({d.state.tasksCompleted, d.state.id});
}

bool LabEngine::findResources(const TaskEntry &task, QStringList *devicesOut,
                              QStringList *positionsOut) const
{
    const Request &r = task.request;
    // All or nothing: find every resource first; the caller takes them only if all are free.
    QStringList &devices = *devicesOut;
    QStringList &positions = *positionsOut;
    for (const QString &name : r.names) {
        auto it = m_devices.constFind(name);
        if (it == m_devices.cend() || !deviceAvailable(*it) || devices.contains(name)) return false;
        devices << name;
    }
    for (const QString &type : r.types) {
        auto idle = m_idleByType.constFind(type);
        if (idle == m_idleByType.cend()) return false;
        bool found = false;
        for (const auto &[load, id] : *idle) { // least loaded first
            if (!devices.contains(id)) {
                devices << id;
                found = true;
                break;
            }
        }
        if (!found) return false;
    }
    if (!r.primaryByName && !r.types.isEmpty() && !r.names.isEmpty()) {
        // The command goes to the device of the task's own type, which was found after the
        // named ones: put it first.
        devices.move(int(r.names.size()), 0);
    }
    for (const QString &name : r.positions) {
        auto it = m_positions.constFind(name);
        if (it == m_positions.cend() || it->leasedBy != 0 || it->pendingRemove ||
            positions.contains(name))
            return false;
        positions << name;
    }
    if (r.positionCount > 0) {
        int found = 0;
        auto children = m_positionsUnder.constFind(r.positionsParent);
        if (children == m_positionsUnder.cend()) return false;
        for (const QString &name : *children) {
            const PositionEntry &p = *m_positions.constFind(name);
            if (p.leasedBy == 0 && !p.pendingRemove && !positions.contains(name)) {
                positions << name;
                if (++found == r.positionCount) break;
            }
        }
        if (found < r.positionCount) return false;
    }
    return true;
}

bool LabEngine::tryGrant(TaskEntry &task)
{
    if (m_draining || m_grantsHeld || task.state.status != TaskStatus::Ready) return false;
    QStringList devices;
    QStringList positions;
    if (!findResources(task, &devices, &positions)) return false;
    dequeue(task);
    const qint64 now = nowMicros();
    for (const QString &id : devices) {
        DeviceEntry &d = m_devices[id];
        idleErase(d);
        d.leasedBy = task.state.id;
        d.state.status = DeviceStatus::Busy;
        d.state.currentTask = task.state.id;
        d.state.updatedUs = now;
        m_batch.device(d.state, kDeviceStatus);
        m_batch.leases.append({task.state.id, QStringLiteral("device"), id});
    }
    for (const QString &name : positions) {
        m_positions[name].leasedBy = task.state.id;
        m_batch.leases.append({task.state.id, QStringLiteral("position"), name});
    }
    task.heldDevices = devices;
    task.heldPositions = positions;
    task.state.status = TaskStatus::Running;
    task.state.deviceId = devices.value(0);
    task.state.startedUs = now;
    task.state.finishedUs = 0;
    ++task.state.attempts;
    task.commandId = task.state.id * kIdsPerTask + task.state.attempts;
    task.cancelRequested = false;
    ++m_running;
    m_batch.task(task.state, kTaskStarted);
    if (m_eventStartNs > 0) {
        const qint64 latencyNs = steadyNs() - m_eventStartNs;
        m_grantLatency->observe(double(latencyNs) / 1e9);
        if (m_measureGrants) m_grantLatencyMs.append(double(latencyNs) / 1e6);
    }
    scheduleFlush();
    runTask(task.state.id, task.commandId, true);
    return true;
}

void LabEngine::grantWaiting(const QString &key)
{
    // The best request (queue order) among the heads of the groups that need this resource
    // and can now be fully satisfied is granted; repeat while something was granted.
    while (!m_draining && !m_grantsHeld) {
        auto groups = m_groupsByKey.constFind(key);
        if (groups == m_groupsByKey.cend()) return;
        TaskEntry *best = nullptr;
        for (const QString &sig : *groups) {
            auto group = m_waiting.constFind(sig);
            if (group == m_waiting.cend() || group->empty()) continue;
            const QueueKey &head = *group->begin();
            if (best && best->key < head) continue;
            TaskEntry *t = task(head.task);
            QStringList devices, positions;
            if (t && findResources(*t, &devices, &positions)) best = t;
        }
        if (!best || !tryGrant(*best)) return;
    }
}

void LabEngine::releaseResources(TaskEntry &task)
{
    // Grants of this task not yet sent to storage are dropped rather than released, so the
    // lease table ends in the engine's state (see kReleaseLeases).
    const TaskId id = task.state.id;
    m_batch.leases.removeIf([id](const ResourceLease &l) { return l.taskId == id; });
    m_batch.releasedLeases.append(id);
    QStringList keys;
    for (const QString &name : std::exchange(task.heldDevices, {})) {
        auto it = m_devices.find(name);
        if (it == m_devices.end() || it->leasedBy != id) continue;
        DeviceEntry &d = *it;
        d.leasedBy = 0;
        d.state.currentTask = 0;
        d.state.updatedUs = nowMicros();
        if (d.pendingRemove || d.pendingStatus || d.pendingSpec) {
            applyDeviceDrainActions(d);
        } else if (d.linkDown) {
            d.state.status = DeviceStatus::Offline;
            d.state.message = tr("the link to the instrument is down");
            m_batch.device(d.state, kDeviceStatus);
        } else {
            d.state.status = DeviceStatus::Idle;
            m_batch.device(d.state, kDeviceStatus);
            idleInsert(d);
        }
        keys << QStringLiteral("t:") + d.state.type << QStringLiteral("d:") + name;
    }
    for (const QString &name : std::exchange(task.heldPositions, {})) {
        auto it = m_positions.find(name);
        if (it == m_positions.end() || it->leasedBy != id) continue;
        it->leasedBy = 0;
        const QString parent = it->state.parent;
        if (it->pendingRemove) {
            PositionState removed = it->state;
            removed.removed = true;
            m_batch.position(removed, kPositionRemoved);
            m_positionsUnder[parent].erase(name);
            m_positions.erase(it);
        } else {
            keys << QStringLiteral("x:") + name;
        }
        keys << QStringLiteral("p:") + parent;
    }
    keys.removeDuplicates();
    for (const QString &k : keys)
        grantWaiting(k);
    scheduleFlush();
}

void LabEngine::applyDeviceDrainActions(DeviceEntry &d)
{
    if (d.pendingRemove) {
        d.pendingRemove = false;
        d.removed = true;
        --m_devicesOfType[d.state.type];
        d.pendingStatus.reset();
        d.pendingSpec.reset();
        d.state.status = DeviceStatus::Offline;
        m_batch.device(d.state, kDeviceRemoved, {}); // its settings go with it
        if (m_detach) m_detach(d.state.id);
        return;
    }
    if (d.pendingSpec) {
        const DeviceSpec spec = *std::exchange(d.pendingSpec, std::nullopt);
        const QString error = reconfigureDevice(d, spec);
        if (!error.isEmpty())
            qCWarning(lcEngine).noquote()
                << "device" << d.state.id << "keeps its settings:" << error;
    }
    d.state.status = d.pendingStatus.value_or(DeviceStatus::Idle);
    d.pendingStatus.reset();
    m_batch.device(d.state, kDeviceStatus);
    idleInsert(d);
}

// ---------------------------------------------------------------------------------------
// Execution: one coroutine per granted attempt

LabEngine::SlotAwaiter<bool> LabEngine::commitAwait()
{
    auto slot = std::make_shared<Slot<bool>>();
    afterCommit([slot](bool committed) { fulfil(slot, committed); });
    return {slot};
}

LabEngine::SlotAwaiter<CommandResult> LabEngine::commandAwait(const DeviceCommand &command,
                                                              int timeoutMs, bool dispatch)
{
    auto slot = std::make_shared<Slot<CommandResult>>();
    m_commands[command.id] = slot;
    if (dispatch && (!m_dispatch || !m_dispatch(command))) {
        m_commands.erase(command.id);
        fulfil(slot, CommandResult{command.id,
                                   command.deviceId,
                                   false,
                                   false,
                                   false,
                                   tr("no driver for device %1").arg(command.deviceId),
                                   {}});
        return {slot};
    }
    // A device that never answers must not hold the lab.
    QTimer::singleShot(timeoutMs, this, [this, slot, command] {
        auto it = m_commands.find(command.id);
        if (it == m_commands.end() || it->second != slot) return;
        m_commands.erase(it);
        if (m_cancel) m_cancel(command.deviceId, command.id);
        fulfil(slot, CommandResult{command.id,
                                   command.deviceId,
                                   false,
                                   true,
                                   false,
                                   tr("%1 did not answer in time").arg(command.deviceId),
                                   {}});
    });
    return {slot};
}

LabEngine::SlotAwaiter<bool> LabEngine::sleepAwait(int ms)
{
    auto slot = std::make_shared<Slot<bool>>();
    m_sleeps.append(slot);
    QTimer::singleShot(ms, this, [this, slot] {
        m_sleeps.removeOne(slot);
        fulfil(slot, true);
    });
    return {slot};
}

LabEngine::SlotAwaiter<PromptState> LabEngine::promptAwait(qint64 promptId)
{
    auto slot = std::make_shared<Slot<PromptState>>();
    m_promptWaits[promptId] = slot;
    return {slot};
}

DeviceCommand LabEngine::commandFor(const TaskEntry &t, const QString &name) const
{
    QJsonObject params = t.state.parameters;
    for (const QString &k : kEngineKeys)
        params.remove(k);
    return {t.commandId, t.heldDevices.value(0), name, params, t.state.id};
}

int LabEngine::timeoutMsFor(const TaskEntry &t) const
{
    const double timeoutS = t.state.parameters.value(QLatin1StringView("timeout_s")).toDouble(0);
    if (timeoutS > 0) return int(qMin(timeoutS * 1000.0, 24.0 * 3600 * 1000));
    const double expectedS = t.state.parameters.value(QLatin1StringView("duration_s")).toDouble(60);
    return int(qMin(expectedS * 3000.0 + 30000.0, 24.0 * 3600 * 1000));
}

QCoro::Task<void> LabEngine::runTask(TaskId id, qint64 commandId, bool dispatch)
{
    if (dispatch) {
        // Nothing touches a device before the grant is committed.
        const bool committed = co_await commitAwait();
        if (m_dying) co_return;
        if (!committed) {
            // The database refused the grant; the in-memory grant stands (the devices stay
            // held by the task) so nothing runs twice: the operator can cancel it.
            qCCritical(lcEngine) << "grant of task" << id << "was not committed";
            co_return;
        }
    }
    TaskEntry *t = task(id);
    if (!t || t->commandId != commandId || t->state.status != TaskStatus::Running) co_return;
    if (t->cancelRequested && dispatch) {
        finishTask(*t, TaskStatus::Cancelled, tr("cancelled by %1").arg(t->cancelledBy));
        releaseResources(*t);
        co_return;
    }

    if (t->command == kPromptCommand) {
        // An operator step: wait for an answer chosen from the template's options.
        if (t->promptId == 0 || !m_prompts.contains(t->promptId)) {
            const QJsonObject p = t->state.parameters.value(QLatin1StringView("prompt")).toObject();
            QStringList options;
            for (const QJsonValue &o : p.value(QLatin1StringView("options")).toArray())
                options << o.toString();
            t->promptId = openPrompt(*t, p.value(QLatin1StringView("message")).toString(), options,
                                     p.value(QLatin1StringView("timeout_s")).toDouble(0));
        }
        const PromptState answer = co_await promptAwait(t->promptId);
        if (m_dying) co_return;
        t = task(id);
        if (!t || t->commandId != commandId || t->state.status != TaskStatus::Running) co_return;
        if (answer.status == QLatin1StringView("answered")) {
            t->state.parameters.insert(QStringLiteral("answer"), answer.answer);
            t->state.parameters.insert(QStringLiteral("note"), answer.note);
            finishTask(*t, TaskStatus::Completed,
                       tr("answered \"%1\" by %2").arg(answer.answer, answer.answeredBy));
        } else if (answer.status == QLatin1StringView("expired")) {
            finishTask(*t, TaskStatus::Failed, tr("nobody answered the prompt in time"));
        } else {
            finishTask(*t, TaskStatus::Cancelled, tr("cancelled by %1").arg(t->cancelledBy));
        }
        releaseResources(*t);
        co_return;
    }

    const CommandResult result =
        co_await commandAwait(commandFor(*t, t->command), timeoutMsFor(*t), dispatch);
    if (m_dying) co_return;
    t = task(id);
    if (!t || t->commandId != commandId || t->state.status != TaskStatus::Running) co_return;

    if (t->cancelRequested) {
        // Cancelled on the device; then the task's cleanup step, on the same device.
        QString message = tr("cancelled by %1").arg(t->cancelledBy);
        const QString cleanup = t->state.parameters.value(QLatin1StringView("cleanup")).toString();
        if (!cleanup.isEmpty() && !t->heldDevices.isEmpty()) {
            DeviceCommand c = commandFor(*t, cleanup);
            c.id = commandId + kCleanupOffset;
            c.parameters = {}; // the cleanup is its own command, not the interrupted one
            const CommandResult cleaned = co_await commandAwait(c, timeoutMsFor(*t), true);
            if (m_dying) co_return;
            t = task(id);
            if (!t || t->commandId != commandId) co_return;
            message += cleaned.ok ? tr("; cleanup \"%1\" done").arg(cleanup)
                                  : tr("; cleanup \"%1\" failed: %2").arg(cleanup, cleaned.message);
        }
        if (result.ok) message += tr(" (the device had finished the command)");
        finishTask(*t, TaskStatus::Cancelled, message);
        releaseResources(*t);
        co_return;
    }
    if (result.ok) {
        ++m_devices[t->heldDevices.value(0)].state.tasksCompleted;
        finishTask(*t, TaskStatus::Completed, {});
        releaseResources(*t);
        co_return;
    }
    const int attemptsLeft = m_maxAttempts - t->state.attempts;
    if (result.transient && !result.cancelled && attemptsLeft > 0) {
        // Exponential backoff: the device is free for others meanwhile.
        const int delayMs = m_backoffMs * (1 << qBound(0, t->state.attempts - 1, 16));
        ++m_stats.tasksRetried;
        --m_running;
        t->state.status = TaskStatus::Ready;
        t->state.deviceId.clear();
        t->state.message =
            tr("%1; retry %2 in %3 ms").arg(result.message).arg(t->state.attempts).arg(delayMs);
        m_batch.task(t->state, kTaskRetried);
        releaseResources(*t);
        const bool slept = co_await sleepAwait(delayMs);
        if (!slept || m_dying) co_return;
        t = task(id);
        if (!t || t->state.status != TaskStatus::Ready || t->queued)
            co_return; // cancelled or held meanwhile
        enqueue(*t, true);
        tryGrant(*t);
        scheduleFlush();
        co_return;
    }
    finishTask(*t, result.cancelled ? TaskStatus::Cancelled : TaskStatus::Failed, result.message);
    releaseResources(*t);
}

void LabEngine::handleCommand(const OperatorCommand &command)
{
    m_operatorCommands.handle(command);
}

void LabEngine::onCommandFinished(const CommandResult &result)
{
    if (m_operatorCommands.answerDirect(result)) return;
    auto it = m_commands.find(result.commandId);
    if (it == m_commands.end())
        return; // a late answer to a command that timed out or was abandoned
    auto slot = std::move(it->second);
    m_commands.erase(it);
    m_eventStartNs = steadyNs();
    fulfil(slot, result);
    m_eventStartNs = 0;
    scheduleFlush();
}

qint64 LabEngine::openPrompt(TaskEntry &t, const QString &message, const QStringList &options,
                             double timeoutS)
{
    PromptState p;
    p.id = m_nextPromptId++;
    p.taskId = t.state.id;
    p.deviceId = t.heldDevices.value(0);
    p.message = message;
    p.options = options;
    p.createdUs = nowMicros();
    p.expiresUs = timeoutS > 0 ? p.createdUs + qint64(timeoutS * 1e6) : 0;
    m_prompts.insert(p.id, p);
    m_batch.prompt(p, kPromptOpened);
    t.promptId = p.id;
    if (timeoutS > 0) {
        const qint64 id = p.id;
        QTimer::singleShot(int(qMin(timeoutS * 1000.0, 24.0 * 3600 * 1000)), this, [this, id] {
            if (m_prompts.contains(id)) closePrompt(id, QStringLiteral("expired"), {}, {}, {});
        });
    }
    scheduleFlush();
    return p.id;
}

void LabEngine::closePrompt(qint64 id, const QString &status, const QString &answer,
                            const QString &note, const QString &by)
{
    auto it = m_prompts.find(id);
    if (it == m_prompts.end()) return;
    PromptState p = *it;
    m_prompts.erase(it);
    p.status = status;
    p.answer = answer;
    p.note = note;
    p.answeredBy = by;
    p.answeredUs = nowMicros();
    m_batch.prompt(p, kPromptClosed);
    scheduleFlush();
    auto wait = m_promptWaits.find(id);
    if (wait != m_promptWaits.end()) {
        auto slot = std::move(wait->second);
        m_promptWaits.erase(wait);
        fulfil(slot, p);
    }
}

// ---------------------------------------------------------------------------------------
// Lifecycle

void LabEngine::finishTask(TaskEntry &task, TaskStatus status, const QString &message)
{
    if (task.state.status == TaskStatus::Running) --m_running;
    dequeue(task);
    --m_active;
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
        if (status == TaskStatus::Failed)
            ++m_stats.tasksFailed;
        else
            ++m_stats.tasksCancelled;
        qCInfo(lcEngine).noquote() << "task" << task.state.id << task.state.name << "on"
                                   << task.state.deviceId << toString(status) << ":" << message;
    }
    if (task.promptId && m_prompts.contains(task.promptId))
        closePrompt(task.promptId, QStringLiteral("cancelled"), {}, {}, {});

    const QList<TaskId> successors = task.successors;
    const WorkflowId workflowId = task.state.workflowId;
    if (status == TaskStatus::Completed) {
        for (TaskId next : successors) {
            TaskEntry *t = this->task(next);
            if (t && --t->pendingDeps == 0 && t->state.status == TaskStatus::Waiting) makeReady(*t);
        }
    } else {
        cancelDependents(
            task, tr("an earlier task (%1) ended %2").arg(task.state.name, toString(status)));
    }
    auto wf = m_workflows.find(workflowId);
    if (wf != m_workflows.end()) --wf->second.unfinished;
    finishWorkflowIfDone(workflowId);
    scheduleFlush();
}

void LabEngine::cancelDependents(TaskEntry &task, const QString &why)
{
    for (TaskId next : task.successors) {
        TaskEntry *dep = this->task(next);
        if (!dep || isFinal(dep->state.status)) continue;
        dequeue(*dep);
        --m_active;
        dep->state.status = TaskStatus::Cancelled;
        dep->state.message = why;
        dep->state.finishedUs = nowMicros();
        ++m_stats.tasksCancelled;
        m_batch.task(dep->state, kTaskCancelled);
        auto wf = m_workflows.find(dep->state.workflowId);
        if (wf != m_workflows.end()) --wf->second.unfinished;
        cancelDependents(*dep, why);
    }
}

void LabEngine::cancelWaiting(TaskEntry &task, const QString &why)
{
    // Not running: nothing reaches a device.
    finishTask(task, TaskStatus::Cancelled, why);
}

void LabEngine::finishWorkflowIfDone(WorkflowId id)
{
    auto wf = m_workflows.find(id);
    if (wf == m_workflows.end() || wf->second.unfinished > 0) return;
    bool allCompleted = true;
    for (TaskId t : wf->second.tasks) {
        auto it = m_tasks.find(t);
        if (it != m_tasks.end() && it->second.state.status != TaskStatus::Completed)
            allCompleted = false;
    }
    wf->second.state.status = allCompleted ? QStringLiteral("completed") : QStringLiteral("failed");
    wf->second.state.finishedUs = nowMicros();
    m_batch.workflow(wf->second.state, kWorkflowFinished);
    if (id < m_firstWorkflowOfThisRun) ++m_stats.workflowsFinishedFromBefore;
    if (allCompleted) {
        ++m_stats.workflowsCompleted;
        // Finished work leaves the engine's memory (PostgreSQL keeps it), at the next flush:
        // callers up the stack may still hold a reference to one of these tasks.
        m_finishedTasks += wf->second.tasks;
    } else {
        ++m_stats.workflowsFailed;
        // Kept (bounded) so an operator can retry a failed task.
        m_failedWorkflows[id] = std::move(wf->second);
        if (m_failedWorkflows.size() > size_t(kMaxFailedWorkflowsKept)) {
            auto oldest =
                std::min_element(m_failedWorkflows.begin(), m_failedWorkflows.end(),
                                 [](const auto &a, const auto &b) { return a.first < b.first; });
            m_finishedTasks += oldest->second.tasks;
            m_failedWorkflows.erase(oldest);
        }
    }
    m_workflows.erase(id);
}

// ---------------------------------------------------------------------------------------
// Commit plumbing

void LabEngine::afterCommit(std::function<void(bool)> action)
{
    m_batchActions.append(std::move(action));
    scheduleFlush();
}

void LabEngine::scheduleFlush()
{
    if (m_flushScheduled) return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &LabEngine::flushChanges, Qt::QueuedConnection);
}

void LabEngine::flushChanges()
{
    m_flushScheduled = false;
    for (TaskId id : std::exchange(m_finishedTasks, {}))
        m_tasks.erase(id);
    if (m_batch.isEmpty() && m_batchActions.isEmpty()) return;
    const quint64 ticket = m_nextTicket++;
    m_awaitingCommit[ticket] = std::move(m_batchActions);
    m_batchActions.clear();
    Q_EMIT changesReady(ticket, m_batch);
    m_batch = ChangeSet();
}

void LabEngine::onCommitted(const QList<quint64> &tickets)
{
    m_eventStartNs = steadyNs();
    for (quint64 ticket : tickets) {
        auto it = m_awaitingCommit.find(ticket);
        if (it == m_awaitingCommit.end()) continue;
        const QList<std::function<void(bool)>> actions = std::move(it->second);
        m_awaitingCommit.erase(it);
        ++m_stats.changeSetsCommitted;
        for (const auto &action : actions) {
            m_eventStartNs = steadyNs(); // latency of each decision, not of the whole group
            action(true);
        }
    }
    m_eventStartNs = 0;
    scheduleFlush();
}

void LabEngine::onRejected(quint64 ticket, const QString &error)
{
    // The database refused a decision: what depended on it must not happen.
    ++m_stats.changeSetsRejected;
    qCCritical(lcEngine).noquote() << "the database refused change set" << ticket << ":" << error;
    auto it = m_awaitingCommit.find(ticket);
    if (it != m_awaitingCommit.end()) {
        const QList<std::function<void(bool)>> actions = std::move(it->second);
        m_awaitingCommit.erase(it);
        for (const auto &action : actions)
            action(false);
    }
    publishStats();
}

void LabEngine::drain()
{
    m_draining = true;
    qCInfo(lcEngine) << "draining: no new grants," << m_running << "tasks still running";
}

void LabEngine::holdGrants(bool held)
{
    if (held == m_grantsHeld) return;
    m_grantsHeld = held;
    qCInfo(lcEngine) << (held ? "holding new grants:" : "granting again:") << m_running
                     << "tasks running";
    if (held) return;
    const QStringList keys = m_groupsByKey.keys();
    for (const QString &k : keys)
        grantWaiting(k);
    scheduleFlush();
}

void LabEngine::logRecovery(const TaskEntry &t) const
{
    // One line per decision, so an operator (and tst_crashrecovery) can see each one.
    qCInfo(lcEngine).noquote() << "recovery: task" << t.state.id << t.state.name << "->"
                               << t.state.message;
}

void LabEngine::publishStats()
{
    // Counters are kept incrementally: nothing here walks the tasks.
    Q_EMIT statsChanged(stats());
}

} // namespace alabos
