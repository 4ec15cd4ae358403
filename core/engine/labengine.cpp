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
// Engine settings stored in a task's parameters; the driver never sees them.
const QStringList kEngineKeys{
    QStringLiteral("resources"), QStringLiteral("timeout_s"),  QStringLiteral("cleanup"),
    QStringLiteral("prompt"),    QStringLiteral("rerun_safe"), QStringLiteral("device"),
    QStringLiteral("command"),   QStringLiteral("answer"),     QStringLiteral("note")};
// A task's cleanup command (after a cancel) has its own id within the task's range.
constexpr qint64 kCleanupOffset = 500;

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

LabEngine::LabEngine(QObject *parent)
    : QObject(parent),
      m_commits(this, [this](quint64 ticket,
                             const ChangeSet &changes) { Q_EMIT changesReady(ticket, changes); }),
      m_resources(
          m_commits, [this](TaskId id) { return task(id); },
          [this](TaskEntry &t, qint64 nowUs) { startGranted(t, nowUs); })
{
    registerMetaTypes();
    registerDriverMetaTypes();
    registerCommandMetaTypes();
    qRegisterMetaType<DeviceSpec>();
    qRegisterMetaType<QList<DeviceSpec>>();
    qRegisterMetaType<EngineStats>();
    qRegisterMetaType<DeviceReport>();
    // Finished work leaves memory between two passes of the event loop: callers up the stack
    // may still hold a reference to one of these tasks until then.
    m_commits.setBeforeFlush([this] {
        for (TaskId id : std::exchange(m_finishedTasks, {}))
            m_tasks.erase(id);
    });
}

LabEngine::~LabEngine()
{
    // Let every suspended task coroutine run to its end: each sees m_dying and returns
    // without touching state, so no coroutine frame outlives the engine.
    m_dying = true;
    m_deadlines.clear();
    auto commands = std::move(m_commands);
    for (auto &[id, command] : commands)
        fulfil(command.slot,
               CommandResult{id, {}, false, false, false, QStringLiteral("engine stopped"), {}});
    m_prompts.abandon();
    for (const auto &[sleep, slot] : std::exchange(m_sleeps, {}))
        fulfil(slot, false);
    m_commits.abandon();
}

EngineStats LabEngine::stats() const
{
    EngineStats s = m_stats;
    s.activeTasks = m_active;
    s.runningTasks = m_running;
    s.waitingForDevice = m_resources.queued();
    s.openPrompts = m_prompts.openCount();
    s.decideUs += m_commits.scheduledFlushUs();
    return s;
}

TaskEntry *LabEngine::task(TaskId id)
{
    auto it = m_tasks.find(id);
    return it == m_tasks.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------
// Start

void LabEngine::start(const LabSnapshot &snapshot, const QList<DeviceSpec> &devices)
{
    m_nextTaskId = snapshot.maxTaskId + 1;
    m_prompts.setNextId(snapshot.maxPromptId + 1);
    m_workflows.restore(snapshot);
    const QHash<QString, DeviceState> unchangedDevices = m_resources.restore(snapshot, devices);
    const QList<TaskId> running = m_recovery.rebuild(snapshot);
    m_resources.settle(unchangedDevices);
    m_recovery.resume(running);
    if (!m_tasks.empty())
        qCInfo(lcEngine) << "recovered" << m_tasks.size() << "active tasks of"
                         << m_workflows.activeCount() << "workflows";
    // Whatever recovery freed or queued is granted now.
    m_resources.grantAllWaiting();
    m_commits.scheduleFlush();
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
    m_recovery.onDeviceReport(report);
}

void LabEngine::onDeviceLink(const QString &deviceId, bool connected, const QString &message)
{
    m_resources.onDeviceLink(deviceId, connected, message);
}

// ---------------------------------------------------------------------------------------
// Submission

void LabEngine::submitWorkflow(const QString &templateName, const QStringList &barcodes,
                               int priority)
{
    BusyClock busy(m_stats.decideUs, m_busyDepth);
    const QString error = submit(templateName, barcodes, priority, {}, nullptr);
    if (!error.isEmpty()) Q_EMIT workflowRejected(error);
}

QString LabEngine::submit(const QString &templateName, const QStringList &barcodes, int priority,
                          const QJsonObject &parameters, QJsonObject *data,
                          std::function<void(bool)> done, const QList<SampleState> &registered)
{
    QList<QJsonObject> resolved;
    if (const QString error =
            m_workflows.check(templateName, barcodes, priority, parameters, registered, &resolved);
        !error.isEmpty())
        return error;
    // The submission gets a change set of its own, so if the database refuses it (a barcode
    // already registered) nothing else is lost and the engine can undo exactly it.
    m_commits.flush();
    WorkflowBook::Created created =
        m_workflows.create(templateName, barcodes, priority, resolved, registered, m_nextTaskId);
    m_nextTaskId += created.tasks.size();
    QList<TaskId> ids;
    for (TaskEntry &t : created.tasks) {
        ids.append(t.state.id);
        m_tasks[t.state.id] = std::move(t);
        ++m_active;
    }
    const WorkflowId wfId = created.id;
    if (data) {
        QJsonArray taskIds, sampleIds;
        for (TaskId id : ids)
            taskIds.append(id);
        for (SampleId id : created.samples)
            sampleIds.append(id);
        *data = {{QStringLiteral("workflow_id"), wfId},
                 {QStringLiteral("task_ids"), taskIds},
                 {QStringLiteral("sample_ids"), sampleIds}};
    }
    // Tasks become ready only once the workflow is committed; if it is refused, forget it.
    m_commits.afterCommit([this, ids, wfId, done](bool committed) {
        if (m_dying) return;
        if (done) done(committed);
        if (!committed) {
            for (TaskId id : ids)
                if (m_tasks.erase(id)) --m_active;
            m_workflows.forget(wfId);
            return;
        }
        // Its first steps were created ready with their rank (WorkflowBook::create): they
        // join the queue as they are, unless an operator held one meanwhile.
        for (TaskId id : ids) {
            TaskEntry *t = task(id);
            if (!t || t->state.status != TaskStatus::Ready || t->queued) continue;
            m_resources.enqueue(*t, true);
            m_resources.tryGrant(*t);
        }
    });
    m_commits.flushSubmission();
    return {};
}

// ---------------------------------------------------------------------------------------
// Execution: one coroutine per granted attempt

void LabEngine::startGranted(TaskEntry &task, qint64 nowUs)
{
    if (task.readyUs > 0) {
        if (task.startsWorkflow && task.state.attempts == 0)
            m_stats.stageCreatedToReady.add(task.readyUs - task.state.createdUs);
        m_stats.stageQueued.add(nowUs - task.readyUs);
        task.readyUs = 0;
    }
    task.state.status = TaskStatus::Running;
    task.state.deviceId = task.heldDevices.value(0);
    task.state.startedUs = nowUs;
    task.state.finishedUs = 0;
    ++task.state.attempts;
    task.commandId = task.state.id * kIdsPerTask + task.state.attempts;
    task.cancelRequested = false;
    ++m_running;
    m_commits.batch().task(task.state, kTaskStarted);
    m_commits.scheduleFlush();
    runTask(task.state.id, task.commandId, true);
}

SlotAwaiter<bool> LabEngine::commitAwait()
{
    auto slot = std::make_shared<Slot<bool>>();
    m_commits.afterCommit([slot](bool committed) { fulfil(slot, committed); });
    return {slot};
}

SlotAwaiter<CommandResult> LabEngine::commandAwait(const DeviceCommand &command, int timeoutMs,
                                                   bool dispatch)
{
    auto slot = std::make_shared<Slot<CommandResult>>();
    m_commands[command.id] = {slot, 0};
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
    // A dispatcher may answer at once (the command already finished): then nothing waits.
    const auto inFlight = m_commands.find(command.id);
    if (inFlight == m_commands.end() || inFlight->second.slot != slot) return {slot};
    inFlight->second.timeout = m_deadlines.schedule(timeoutMs, [this, slot, command] {
        auto it = m_commands.find(command.id);
        if (it == m_commands.end() || it->second.slot != slot) return;
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

SlotAwaiter<bool> LabEngine::sleepAwait(int ms)
{
    auto slot = std::make_shared<Slot<bool>>();
    const quint64 sleep = ++m_lastSleep;
    m_sleeps.emplace(sleep, slot);
    m_deadlines.schedule(ms, [this, sleep] {
        if (auto woken = m_sleeps.extract(sleep)) fulfil(woken.mapped(), true);
    });
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
        const qint64 grantedUs = nowMicros();
        const bool committed = co_await commitAwait();
        if (m_dying) co_return;
        m_stats.stageGrantToDispatch.add(nowMicros() - grantedUs);
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
        m_resources.release(*t);
        co_return;
    }

    if (t->command == kPromptCommand) {
        // An operator step: wait for an answer chosen from the template's options.
        if (t->promptId == 0 || !m_prompts.isOpen(t->promptId)) {
            const QJsonObject p = t->state.parameters.value(QLatin1StringView("prompt")).toObject();
            QStringList options;
            for (const QJsonValue &o : p.value(QLatin1StringView("options")).toArray())
                options << o.toString();
            t->promptId = m_prompts.open(id, t->heldDevices.value(0),
                                         p.value(QLatin1StringView("message")).toString(), options,
                                         p.value(QLatin1StringView("timeout_s")).toDouble(0));
        }
        const PromptState answer = co_await m_prompts.await(t->promptId);
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
        m_resources.release(*t);
        co_return;
    }

    const qint64 dispatchedUs = nowMicros();
    const CommandResult result =
        co_await commandAwait(commandFor(*t, t->command), timeoutMsFor(*t), dispatch);
    if (m_dying) co_return;
    m_stats.stageOnDevice.add(nowMicros() - dispatchedUs);
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
        m_resources.release(*t);
        co_return;
    }
    if (result.ok) {
        m_resources.countCompleted(t->heldDevices.value(0));
        finishTask(*t, TaskStatus::Completed, {});
        m_resources.release(*t);
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
        m_commits.batch().task(t->state, kTaskRetried);
        m_resources.release(*t);
        const bool slept = co_await sleepAwait(delayMs);
        if (!slept || m_dying) co_return;
        t = task(id);
        if (!t || t->state.status != TaskStatus::Ready || t->queued)
            co_return; // cancelled or held meanwhile
        m_resources.enqueue(*t, true);
        m_resources.tryGrant(*t);
        m_commits.scheduleFlush();
        co_return;
    }
    finishTask(*t, result.cancelled ? TaskStatus::Cancelled : TaskStatus::Failed, result.message);
    m_resources.release(*t);
}

void LabEngine::handleCommand(const OperatorCommand &command)
{
    BusyClock busy(m_stats.decideUs, m_busyDepth);
    m_operatorCommands.handle(command);
}

void LabEngine::onCommandFinished(const CommandResult &result)
{
    BusyClock busy(m_stats.decideUs, m_busyDepth);
    if (m_operatorCommands.answerDirect(result)) return;
    auto it = m_commands.find(result.commandId);
    if (it == m_commands.end())
        return; // a late answer to a command that timed out or was abandoned
    auto slot = std::move(it->second.slot);
    m_deadlines.cancel(it->second.timeout);
    m_commands.erase(it);
    m_resources.setEventStart(steadyNs());
    fulfil(slot, result);
    m_resources.setEventStart(0);
    m_commits.scheduleFlush();
}

// ---------------------------------------------------------------------------------------
// Lifecycle

void LabEngine::finishTask(TaskEntry &task, TaskStatus status, const QString &message)
{
    if (task.state.status == TaskStatus::Running) --m_running;
    m_resources.dequeue(task);
    --m_active;
    task.state.status = status;
    task.state.message = message;
    task.state.finishedUs = nowMicros();
    const QString &kind = status == TaskStatus::Completed ? kTaskCompleted
                          : status == TaskStatus::Failed  ? kTaskFailed
                                                          : kTaskCancelled;
    m_commits.batch().task(task.state, kind);
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
    if (task.promptId && m_prompts.isOpen(task.promptId))
        m_prompts.close(task.promptId, QStringLiteral("cancelled"), {}, {}, {});

    const QList<TaskId> successors = task.successors;
    const WorkflowId workflowId = task.state.workflowId;
    if (status == TaskStatus::Completed) {
        for (TaskId next : successors) {
            TaskEntry *t = this->task(next);
            if (t && --t->pendingDeps == 0 && t->state.status == TaskStatus::Waiting)
                m_resources.makeReady(*t);
        }
    } else {
        cancelDependents(
            task, tr("an earlier task (%1) ended %2").arg(task.state.name, toString(status)));
    }
    m_workflows.taskEnded(workflowId);
    m_finishedTasks += m_workflows.finishIfDone(workflowId, [this](TaskId id) {
        const TaskEntry *t = this->task(id);
        return !t || t->state.status == TaskStatus::Completed;
    });
    m_commits.scheduleFlush();
}

void LabEngine::cancelDependents(TaskEntry &task, const QString &why)
{
    for (TaskId next : task.successors) {
        TaskEntry *dep = this->task(next);
        if (!dep || isFinal(dep->state.status)) continue;
        m_resources.dequeue(*dep);
        --m_active;
        dep->state.status = TaskStatus::Cancelled;
        dep->state.message = why;
        dep->state.finishedUs = nowMicros();
        ++m_stats.tasksCancelled;
        m_commits.batch().task(dep->state, kTaskCancelled);
        m_workflows.taskEnded(dep->state.workflowId);
        cancelDependents(*dep, why);
    }
}

void LabEngine::cancelWaiting(TaskEntry &task, const QString &why)
{
    // Not running: nothing reaches a device.
    finishTask(task, TaskStatus::Cancelled, why);
}

// ---------------------------------------------------------------------------------------
// Commits, draining, statistics

void LabEngine::onCommitted(const QList<quint64> &tickets)
{
    BusyClock busy(m_stats.decideUs, m_busyDepth);
    m_resources.setEventStart(steadyNs());
    for (quint64 ticket : tickets) {
        QList<CommitQueue::Action> actions;
        qint64 waitedUs = 0;
        if (!m_commits.take(ticket, &actions, &waitedUs)) continue;
        ++m_stats.changeSetsCommitted;
        m_stats.commitLatency.add(waitedUs);
        for (const auto &action : actions) {
            // latency of each decision, not of the whole group
            m_resources.setEventStart(steadyNs());
            action(true);
        }
    }
    m_resources.setEventStart(0);
    m_commits.scheduleFlush();
}

void LabEngine::onRejected(quint64 ticket, const QString &error)
{
    BusyClock busy(m_stats.decideUs, m_busyDepth);
    // The database refused a decision: what depended on it must not happen.
    ++m_stats.changeSetsRejected;
    qCCritical(lcEngine).noquote() << "the database refused change set" << ticket << ":" << error;
    QList<CommitQueue::Action> actions;
    if (m_commits.take(ticket, &actions))
        for (const auto &action : actions)
            action(false);
    publishStats();
}

void LabEngine::drain()
{
    m_resources.drain();
    qCInfo(lcEngine) << "draining: no new grants," << m_running << "tasks still running";
}

void LabEngine::holdGrants(bool held)
{
    if (!m_resources.setGrantsHeld(held)) return;
    qCInfo(lcEngine) << (held ? "holding new grants:" : "granting again:") << m_running
                     << "tasks running";
    if (held) return;
    m_resources.grantAllWaiting();
    m_commits.scheduleFlush();
}

void LabEngine::publishStats()
{
    // Counters are kept incrementally: nothing here walks the tasks.
    Q_EMIT statsChanged(stats());
}

} // namespace alabos
