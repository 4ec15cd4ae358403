#pragma once
#include "core/domain/commands.h"
#include "core/domain/types.h"
#include "core/drivers/devicedriver.h"
#include "core/engine/awaitslot.h"
#include "core/engine/commitqueue.h"
#include "core/engine/deadlines.h"
#include "core/engine/enginestate.h"
#include "core/engine/enginestats.h"
#include "core/engine/operatorcommands.h"
#include "core/engine/promptbook.h"
#include "core/engine/recovery.h"
#include "core/engine/resourcemanager.h"
#include "core/engine/workflowbook.h"
#include "core/engine/workflowtemplate.h"
#include "core/metrics/metrics.h"

#include <QJsonObject>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

namespace QCoro {
template <typename T> class Task;
}

namespace alabos {

// What a device says about itself when the engine recovers (the driver's queryState).
struct DeviceReport
{
    QString deviceId;
    bool busy = false;
    qint64 runningCommandId = 0;      // when busy
    qint64 lastFinishedCommandId = 0; // 0: none since it powered up
    qint64 interruptedCommandId = 0;  // was running when the device lost power (reset)
    bool lastFinishedOk = false;
    QString lastFinishedMessage;
    // false: the device forgets across restarts, so zeros above mean "unknown" and the
    // report only counts when it names the task's command (otherwise: as if no answer).
    bool persistent = true;
};
// A driver's queryState() answer (DeviceDriver::stateReported) as recovery takes it.
DeviceReport deviceReportFrom(const DeviceStateReport &report);

// The scheduler, and the face of the engine to the rest of alabos. Lives on the engine thread
// with the parts it is made of, each the only writer of its state: the resource manager (the
// queue, devices, positions and leases), the workflow book (templates and workflows), the
// prompt book, recovery, the operator commands and the commit queue. The scheduler itself
// owns the tasks and runs them. Every decision becomes a ChangeSet that the storage thread
// commits; what depends on a decision (a command to a device, a reply to an operator)
// happens only after its commit. Each granted task runs as a coroutine (QCoro::Task) that
// awaits the commit, the device's answer, an operator's answer or a backoff delay.
class SignatureAuthority;
struct ScheduleSnapshot;

class LabEngine : public QObject
{
    Q_OBJECT
public:
    using Dispatcher = std::function<bool(const DeviceCommand &)>;
    using Canceller = std::function<void(const QString &deviceId, qint64 commandId)>;
    // Creates / removes the driver of a device added or removed at run time.
    using DriverAttach = alabos::DriverAttach;
    using DriverDetach = alabos::DriverDetach;
    // Asks a device for its state (answer through onDeviceReport); false: it cannot tell.
    using StateQuery = Recovery::StateQuery;

    explicit LabEngine(QObject *parent = nullptr);
    ~LabEngine() override;

    // Set before start(); called on the engine thread, must be thread-safe towards drivers.
    void setDispatcher(Dispatcher dispatcher) { m_dispatch = std::move(dispatcher); }
    // device.reconnect: drops and re-opens a device's link (thread-safe towards drivers).
    void setReconnector(std::function<bool(const QString &deviceId)> reconnect)
    {
        m_reconnect = std::move(reconnect);
    }
    void setCanceller(Canceller c) { m_cancel = std::move(c); }
    // Its devices' drivers report their links: nothing is granted a device before its driver
    // reaches the instrument (see ResourceManager::setAwaitDriverLinks).
    void setAwaitDriverLinks(bool on) { m_resources.setAwaitDriverLinks(on); }
    void setDriverHooks(DriverAttach attach, DriverDetach detach)
    {
        m_resources.setDriverHooks(std::move(attach), std::move(detach));
    }
    void setStateQuery(StateQuery q) { m_recovery.setStateQuery(std::move(q)); }
    // Electronic signatures (core/security/signatures.h): a command whose kind the policy
    // names runs only with a signature this authority made for it. Not set: none is needed.
    void setSignatures(std::shared_ptr<const SignatureAuthority> signatures)
    {
        m_signatures = std::move(signatures);
    }
    // The lab file's positions: start() adds, changes and removes positions to match. Not
    // set: positions are managed by commands only (position.add / position.remove).
    void setDeclaredPositions(QList<PositionState> positions)
    {
        m_resources.setDeclaredPositions(std::move(positions));
    }
    // Waiting work gains one priority point per this many seconds (aging); default 1.
    void setAgingSecondsPerPoint(double s) { m_resources.setAgingUsPerPoint(qint64(s * 1e6)); }
    // First retry delay for transient failures; doubles each attempt (default 1000 ms).
    void setRetryBackoffMs(int ms) { m_backoffMs = ms; }
    void setMaxAttempts(int n) { m_maxAttempts = n; }
    // Records the engine-side latency of each grant (bench); off by default.
    void setMeasureGrants(bool on) { m_resources.setMeasureGrants(on); }
    QList<double> takeGrantLatenciesMs() { return m_resources.takeGrantLatenciesMs(); }
    // Seconds from the event that freed what a task needed (a result, a commit) to its grant;
    // fed on the engine thread, read by /metrics from any thread.
    std::shared_ptr<const Histogram> grantLatency() const { return m_resources.grantLatency(); }

    void addTemplate(const WorkflowTemplate &t) { m_workflows.addTemplate(t); }
    QStringList templateNames() const { return m_workflows.templateNames(); }
    EngineStats stats() const;
    qint64 activeWorkflows() const { return m_workflows.activeCount(); }
    int maxAttempts() const { return m_maxAttempts; }
    // Hands out `count` consecutive sample ids nobody else will use (sample registration
    // writes its own rows); returns the first. Engine thread only.
    SampleId reserveSampleIds(int count) { return m_workflows.reserveSampleIds(count); }
    qint64 runningTasks() const { return m_running; }
    QList<PromptState> openPrompts() const { return m_prompts.openPrompts(); }
    // The queue, its devices and the running tasks as values, for the schedule's prediction
    // (core/engine/schedulepredictor.h). Engine thread only: ask through a queued call.
    ScheduleSnapshot scheduleSnapshot() const;

public Q_SLOTS:
    // Rebuilds from the snapshot (recovery), registers the configured devices, asks each
    // device that had a running task for its state, and starts scheduling.
    void start(const alabos::LabSnapshot &snapshot, const QList<alabos::DeviceSpec> &devices);
    // Registers one sample per entry of `barcodes` and runs the template on them.
    void submitWorkflow(const QString &templateName, const QStringList &barcodes, int priority);
    // An operator command: permission, validation, commit with an audit event, then reply.
    void handleCommand(const alabos::OperatorCommand &command);
    void onCommitted(const QList<quint64> &tickets);
    void onRejected(quint64 ticket, const QString &error);
    void onCommandFinished(const alabos::CommandResult &result);
    void onDeviceReport(const alabos::DeviceReport &report);
    // A driver's link came up or went down: a device whose link is down is offline with the
    // reason and gets no tasks until it is back.
    void onDeviceLink(const QString &deviceId, bool connected, const QString &message);
    // Stops granting; what runs finishes.
    void drain();
    // Holds new grants (true) while this process cannot be sure it still leads the lab (its
    // lock connection is lost); results of running tasks are still taken. Released: whatever
    // waits is granted.
    void holdGrants(bool held);
    // How many change sets storage may have at once (CommitQueue); 0: no limit.
    void setMaxChangeSetsInFlight(qsizetype n) { m_commits.setMaxInFlight(n); }
    // Hands the pending change set to storage now (shutdown).
    void flushNow() { m_commits.flush(true); }

Q_SIGNALS:
    void changesReady(quint64 ticket, const alabos::ChangeSet &changes);
    void statsChanged(const alabos::EngineStats &stats);
    void workflowRejected(const QString &message);
    void commandReplied(const alabos::CommandReply &reply);
    // A workflow.template.save was committed: the template (JSON) is submittable now.
    void templateSaved(const QJsonObject &definition);
    void started();

private:
    friend class OperatorCommands;
    friend class Recovery;

    // execution
    void startGranted(TaskEntry &task, qint64 nowUs);
    QCoro::Task<void> runTask(TaskId id, qint64 commandId, bool dispatch);
    SlotAwaiter<bool> commitAwait();
    SlotAwaiter<CommandResult> commandAwait(const DeviceCommand &command, int timeoutMs,
                                            bool dispatch);
    SlotAwaiter<bool> sleepAwait(int ms);
    DeviceCommand commandFor(const TaskEntry &task, const QString &name) const;
    int timeoutMsFor(const TaskEntry &task) const;
    // lifecycle
    void finishTask(TaskEntry &task, TaskStatus status, const QString &message);
    void cancelDependents(TaskEntry &task, const QString &why);
    void cancelWaiting(TaskEntry &task, const QString &why);
    // `barcodes` become new samples; `registered` are samples registered before (their id,
    // barcode, position and metadata as stored), taken into the workflow.
    QString submit(const QString &templateName, const QStringList &barcodes, int priority,
                   const QJsonObject &parameters, QJsonObject *data,
                   std::function<void(bool committed)> done = {},
                   const QList<SampleState> &registered = {});
    void publishStats();
    TaskEntry *task(TaskId id);

    Dispatcher m_dispatch;
    Canceller m_cancel;
    std::function<bool(const QString &)> m_reconnect;
    // The one in-memory copy of the active tasks (and of failed ones an operator may retry).
    std::unordered_map<TaskId, TaskEntry> m_tasks;
    struct CommandInFlight
    {
        std::shared_ptr<Slot<CommandResult>> slot;
        Deadlines::Handle timeout = 0;
    };
    std::unordered_map<qint64, CommandInFlight> m_commands;
    std::unordered_map<quint64, std::shared_ptr<Slot<bool>>> m_sleeps;
    quint64 m_lastSleep = 0;
    // Every command timeout and retry delay: one timer for all of them.
    Deadlines m_deadlines{this};
    QList<TaskId> m_finishedTasks; // leave memory at the next flush
    bool m_dying = false;
    std::shared_ptr<const SignatureAuthority> m_signatures;
    TaskId m_nextTaskId = 1;
    qint64 m_running = 0;
    qint64 m_active = 0;
    int m_maxAttempts = 3;
    int m_backoffMs = 1000;
    EngineStats m_stats;
    int m_busyDepth = 0; // BusyClock nesting

    // Declared in the order they are built: each takes the ones above it.
    CommitQueue m_commits;
    ResourceManager m_resources;
    PromptBook m_prompts{this, m_commits};
    WorkflowBook m_workflows{m_commits, m_resources, m_stats};
    Recovery m_recovery{*this};
    OperatorCommands m_operatorCommands{*this, m_commits, m_resources, m_prompts, m_workflows};
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceReport)
