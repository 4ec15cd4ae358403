#include "core/engine/recovery.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/labengine.h"

#include <QCoro/QCoroTask>
#include <QTimer>
#include <algorithm>

namespace alabos {

using namespace eventkind;

namespace {
constexpr int kRecoveryQueryTimeoutMs = 10000;
}

Recovery::Recovery(LabEngine &engine) : m_engine(engine) {}

QList<TaskId> Recovery::rebuild(const LabSnapshot &snapshot)
{
    LabEngine &e = m_engine;
    // Active tasks; dependencies not in the active set have completed (a failure cancels its
    // dependents in the same transaction).
    for (const TaskState &t : snapshot.tasks) {
        if (isFinal(t.status)) continue;
        TaskEntry &entry = e.m_tasks[t.id];
        entry.state = t;
        entry.command = t.parameters.value(QLatin1StringView("command")).toString();
        entry.request = ResourceManager::requestFrom(t);
        entry.commandId = t.id * kIdsPerTask + t.attempts;
        e.m_workflows.adopt(t);
        ++e.m_active;
    }
    QSet<TaskId> continuing; // a predecessor, finished or not
    for (const TaskEdge &edge : snapshot.edges) {
        continuing.insert(edge.to);
        auto from = e.m_tasks.find(edge.from);
        auto to = e.m_tasks.find(edge.to);
        if (to == e.m_tasks.end() || from == e.m_tasks.end()) continue;
        from->second.successors.append(edge.to);
        ++to->second.pendingDeps;
    }
    e.m_workflows.settleUnlisted();
    // Leases of running tasks: the resources stay theirs until recovery decides.
    QHash<TaskId, QList<ResourceLease>> leases;
    for (const ResourceLease &l : snapshot.leases)
        leases[l.taskId].append(l);
    // Prompts of operator steps are waited on again; the rest were recovery questions of a
    // previous run, asked again below when still needed.
    for (const PromptState &p : snapshot.prompts) {
        TaskEntry *t = e.task(p.taskId);
        if (t && t->command == kPromptCommand && t->state.status == TaskStatus::Running) {
            e.m_prompts.reopen(p);
            t->promptId = p.id;
        } else {
            PromptState closed = p;
            closed.status = QStringLiteral("cancelled");
            closed.note = tr("superseded by a restart");
            closed.answeredUs = nowMicros();
            e.m_commits.batch().prompt(closed, kPromptClosed);
        }
    }

    QList<TaskId> ids;
    for (auto &[id, t] : e.m_tasks)
        ids.append(id);
    std::sort(ids.begin(), ids.end());
    QList<TaskId> running;
    for (TaskId id : ids) {
        TaskEntry &t = e.m_tasks[id];
        t.startsWorkflow = !continuing.contains(id);
        switch (t.state.status) {
        case TaskStatus::Running:
            e.m_resources.holdForRecovery(t, leases.value(id));
            ++e.m_running;
            running.append(id);
            break;
        case TaskStatus::Ready:
            ++e.m_stats.recoveredTasks;
            e.m_resources.enqueue(t, true);
            break;
        case TaskStatus::Waiting:
            if (t.pendingDeps == 0) e.m_resources.makeReady(t);
            break;
        default: // paused (held by an operator) stays held
            break;
        }
    }
    return running;
}

void Recovery::resume(const QList<TaskId> &running)
{
    LabEngine &e = m_engine;
    for (TaskId id : running) {
        TaskEntry &t = e.m_tasks[id];
        ++e.m_stats.recoveredTasks;
        if (t.command == kPromptCommand) {
            e.runTask(id, t.commandId, false); // waits on its prompt again
            continue;
        }
        const QString device = t.heldDevices.value(0);
        if (!device.isEmpty() && m_queryState && !m_askedDevices.contains(device) &&
            m_queryState(device)) {
            m_askedDevices.insert(device, id);
            QTimer::singleShot(kRecoveryQueryTimeoutMs, &e, [this, device, id] {
                if (m_askedDevices.value(device) != id) return;
                m_askedDevices.remove(device);
                if (TaskEntry *t = m_engine.task(id)) decide(*t, nullptr);
            });
        } else {
            decide(t, nullptr);
        }
    }
}

void Recovery::onDeviceReport(const DeviceReport &report)
{
    const auto it = m_askedDevices.find(report.deviceId);
    if (it == m_askedDevices.end()) return;
    const TaskId id = it.value();
    m_askedDevices.erase(it);
    if (TaskEntry *t = m_engine.task(id)) {
        // A device without memory that does not name the command cannot tell: no answer.
        const bool tells = report.persistent ||
                           (report.busy && report.runningCommandId == t->commandId) ||
                           report.lastFinishedCommandId == t->commandId;
        decide(*t, tells ? &report : nullptr);
    }
    m_engine.m_commits.scheduleFlush();
}

void Recovery::decide(TaskEntry &t, const DeviceReport *report)
{
    LabEngine &e = m_engine;
    const TaskId id = t.state.id;
    const qint64 commandId = t.commandId;
    if (report && report->busy && report->runningCommandId == commandId) {
        // Still running on the device: wait for its answer, do not send it again.
        t.state.message =
            tr("resumed after a restart: %1 is still running it").arg(report->deviceId);
        e.m_commits.batch().task(t.state, kTaskRecovered);
        log(t);
        e.runTask(id, commandId, false);
        return;
    }
    if (report && report->lastFinishedCommandId == commandId) {
        // It finished while we were down: take its result, never run it twice.
        t.state.message = tr("finished on %1 while alabos was down").arg(report->deviceId);
        e.m_commits.batch().task(t.state, kTaskRecovered);
        log(t);
        e.runTask(id, commandId, false);
        e.onCommandFinished({commandId,
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
        log(t);
        runAgain(t, t.state.message);
        return;
    }
    askOperator(t);
}

void Recovery::askOperator(TaskEntry &t)
{
    LabEngine &e = m_engine;
    t.state.message = tr("interrupted by a restart; waiting for an operator");
    e.m_commits.batch().task(t.state, kTaskRecovered);
    log(t);
    const qint64 promptId = e.m_prompts.open(
        t.state.id, t.heldDevices.value(0),
        tr("Task %1 (%2) was running on %3 when alabos stopped, and the device cannot "
           "tell whether it finished. Run it again, mark it done, or cancel it?")
            .arg(t.state.id)
            .arg(t.state.name, t.heldDevices.value(0)),
        {QStringLiteral("rerun"), QStringLiteral("mark done"), QStringLiteral("cancel")}, 0);
    t.promptId = promptId;
    [](Recovery *self, TaskId id, qint64 promptId, qint64 commandId) -> QCoro::Task<void> {
        LabEngine &e = self->m_engine;
        const PromptState answer = co_await e.m_prompts.await(promptId);
        if (e.m_dying) co_return;
        TaskEntry *t = e.task(id);
        if (!t || t->commandId != commandId || t->state.status != TaskStatus::Running) co_return;
        if (answer.answer == QLatin1StringView("mark done")) {
            e.finishTask(*t, TaskStatus::Completed, tr("marked done by %1").arg(answer.answeredBy));
            e.m_resources.release(*t);
        } else if (answer.answer == QLatin1StringView("rerun")) {
            self->runAgain(*t, tr("rerun by %1 after a restart").arg(answer.answeredBy));
        } else if (t->state.status == TaskStatus::Running) {
            e.finishTask(*t, TaskStatus::Cancelled, tr("cancelled after a restart"));
            e.m_resources.release(*t);
        }
        e.m_commits.scheduleFlush();
    }(this, t.state.id, promptId, t.commandId);
}

void Recovery::runAgain(TaskEntry &t, const QString &message)
{
    LabEngine &e = m_engine;
    --e.m_running;
    e.m_resources.release(t);
    t.state.status = TaskStatus::Ready;
    t.state.deviceId.clear();
    t.state.message = message;
    e.m_commits.batch().task(t.state, kTaskRetried);
    e.m_resources.enqueue(t, true);
    e.m_resources.tryGrant(t);
}

void Recovery::log(const TaskEntry &t) const
{
    // One line per decision, so an operator (and tst_crashrecovery) can see each one.
    qCInfo(lcEngine).noquote() << "recovery: task" << t.state.id << t.state.name << "->"
                               << t.state.message;
}

} // namespace alabos
