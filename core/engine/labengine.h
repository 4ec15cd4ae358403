#pragma once
#include "core/domain/commands.h"
#include "core/domain/types.h"
#include "core/drivers/devicedriver.h"
#include "core/engine/enginestate.h"
#include "core/engine/enginestats.h"
#include "core/engine/operatorcommands.h"
#include "core/engine/workflowtemplate.h"
#include "core/metrics/metrics.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <coroutine>
#include <functional>
#include <memory>
#include <optional>
#include <set>
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

// Named priority levels; any number 0..1000 works too.
namespace priority {
inline constexpr int Low = 25;
inline constexpr int Normal = 50;
inline constexpr int High = 75;
inline constexpr int Urgent = 100;
} // namespace priority
// "low", "normal", "high", "urgent" or a number 0..1000 (JSON number or string).
std::optional<int> parsePriority(const QJsonValue &value);

// The scheduler and resource manager. Lives on the engine thread and is the only writer of
// scheduling state: tasks, resource leases, prompts and the queue. Every decision becomes a
// ChangeSet that the storage thread commits; what depends on a decision (a command to a
// device, a reply to an operator) happens only after its commit. Event-driven: a released
// resource is granted at once to the best waiting request it now completes; nothing polls.
// Each granted task runs as a coroutine (QCoro::Task) that awaits the commit, the device's
// answer, an operator's answer or a backoff delay.
class LabEngine : public QObject
{
    Q_OBJECT
public:
    using Dispatcher = std::function<bool(const DeviceCommand &)>;
    using Canceller = std::function<void(const QString &deviceId, qint64 commandId)>;
    // Creates / removes the driver of a device added or removed at run time.
    using DriverAttach = std::function<bool(const DeviceSpec &, QString *error)>;
    using DriverDetach = std::function<void(const QString &deviceId)>;
    // Asks a device for its state (answer through onDeviceReport); false: it cannot tell.
    using StateQuery = std::function<bool(const QString &deviceId)>;

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
    void setDriverHooks(DriverAttach attach, DriverDetach detach)
    {
        m_attach = std::move(attach);
        m_detach = std::move(detach);
    }
    void setStateQuery(StateQuery q) { m_queryState = std::move(q); }
    // The lab file's positions: start() adds, changes and removes positions to match. Not
    // set: positions are managed by commands only (position.add / position.remove).
    void setDeclaredPositions(QList<PositionState> positions)
    {
        m_declaredPositions = std::move(positions);
    }
    // Waiting work gains one priority point per this many seconds (aging); default 1.
    void setAgingSecondsPerPoint(double s) { m_agingUsPerPoint = qint64(s * 1e6); }
    // First retry delay for transient failures; doubles each attempt (default 1000 ms).
    void setRetryBackoffMs(int ms) { m_backoffMs = ms; }
    void setMaxAttempts(int n) { m_maxAttempts = n; }
    // Records the engine-side latency of each grant (bench); off by default.
    void setMeasureGrants(bool on) { m_measureGrants = on; }
    QList<double> takeGrantLatenciesMs() { return std::exchange(m_grantLatencyMs, {}); }
    // Seconds from the event that freed what a task needed (a result, a commit) to its grant;
    // fed on the engine thread, read by /metrics from any thread.
    std::shared_ptr<const Histogram> grantLatency() const { return m_grantLatency; }

    void addTemplate(const WorkflowTemplate &t) { m_templates.insert(t.name, t); }
    QStringList templateNames() const { return m_templates.keys(); }
    EngineStats stats() const;
    qint64 activeWorkflows() const { return qint64(m_workflows.size()); }
    int maxAttempts() const { return m_maxAttempts; }
    // Hands out `count` consecutive sample ids nobody else will use (sample registration
    // writes its own rows); returns the first. Engine thread only.
    SampleId reserveSampleIds(int count)
    {
        const SampleId first = m_nextSampleId;
        m_nextSampleId += count;
        return first;
    }
    qint64 runningTasks() const { return m_running; }
    QList<PromptState> openPrompts() const;

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
    // Hands the pending change set to storage now (shutdown).
    void flushNow() { flushChanges(); }

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
    // A value a suspended coroutine waits for; fulfilled once.
    template <typename T> struct Slot
    {
        std::coroutine_handle<> handle;
        std::optional<T> value;
    };
    template <typename T> struct SlotAwaiter
    {
        std::shared_ptr<Slot<T>> slot;
        bool await_ready() const noexcept { return slot->value.has_value(); }
        void await_suspend(std::coroutine_handle<> h) noexcept { slot->handle = h; }
        T await_resume() { return std::move(*slot->value); }
    };
    template <typename T> static void fulfil(const std::shared_ptr<Slot<T>> &slot, T value)
    {
        if (slot->value) return;
        slot->value = std::move(value);
        if (auto h = std::exchange(slot->handle, {})) h.resume();
    }

    // queue and resources
    void makeReady(TaskEntry &task);
    void enqueue(TaskEntry &task, bool keepRank = false);
    void dequeue(TaskEntry &task);
    void requeue(TaskEntry &task); // priority or order changed
    bool tryGrant(TaskEntry &task);
    bool findResources(const TaskEntry &task, QStringList *devices, QStringList *positions) const;
    QString signature(const TaskEntry &task) const;
    void grantWaiting(const QString &key);
    void releaseResources(TaskEntry &task);
    void deviceFreed(DeviceEntry &device);
    bool deviceAvailable(const DeviceEntry &d) const;
    QStringList resourceKeys(const TaskEntry &task) const;
    void idleInsert(DeviceEntry &d);
    void idleErase(DeviceEntry &d);
    // execution
    QCoro::Task<void> runTask(TaskId id, qint64 commandId, bool dispatch);
    SlotAwaiter<bool> commitAwait();
    SlotAwaiter<CommandResult> commandAwait(const DeviceCommand &command, int timeoutMs,
                                            bool dispatch);
    SlotAwaiter<bool> sleepAwait(int ms);
    SlotAwaiter<PromptState> promptAwait(qint64 promptId);
    DeviceCommand commandFor(const TaskEntry &task, const QString &name) const;
    int timeoutMsFor(const TaskEntry &task) const;
    qint64 openPrompt(TaskEntry &task, const QString &message, const QStringList &options,
                      double timeoutS);
    void closePrompt(qint64 id, const QString &status, const QString &answer, const QString &note,
                     const QString &by);
    // lifecycle
    void finishTask(TaskEntry &task, TaskStatus status, const QString &message);
    void cancelDependents(TaskEntry &task, const QString &why);
    void cancelWaiting(TaskEntry &task, const QString &why);
    void finishWorkflowIfDone(WorkflowId id);
    void recoverRunning(TaskEntry &task, const DeviceReport *report);
    // `barcodes` become new samples; `registered` are samples registered before (their id,
    // barcode, position and metadata as stored), taken into the workflow.
    QString submit(const QString &templateName, const QStringList &barcodes, int priority,
                   const QJsonObject &parameters, QJsonObject *data,
                   std::function<void(bool committed)> done = {},
                   const QList<SampleState> &registered = {});
    void applyDeviceDrainActions(DeviceEntry &device);
    // Swaps an idle device's driver for one built from `spec`; on failure the old driver is
    // put back and the reason returned.
    QString reconfigureDevice(DeviceEntry &device, const DeviceSpec &spec);
    // Devices as declared against the snapshot: registered, edited and removed ones get
    // their event; returns the snapshot's state of the devices that did not change.
    QHash<QString, DeviceState> reconcileDevices(const LabSnapshot &snapshot,
                                                 const QList<DeviceSpec> &devices);
    void settleDeviceStatuses(const QHash<QString, DeviceState> &unchanged);
    void reconcilePositions();
    void setDeviceStatus(DeviceEntry &device, DeviceStatus status, const QString &kind);
    // commit plumbing
    void afterCommit(std::function<void(bool committed)> action);
    void scheduleFlush();
    void flushChanges();
    void publishStats();
    QueueKey keyFor(const TaskEntry &t) const;
    TaskEntry *task(TaskId id);
    // Empty when every device type and device the template names is configured; otherwise
    // a message naming the template, task and field.
    QString checkDevices(const WorkflowTemplate &tmpl) const;
    void logRecovery(const TaskEntry &t) const;
    static Request requestFrom(const TaskState &t);

    Dispatcher m_dispatch;
    Canceller m_cancel;
    DriverAttach m_attach;
    std::function<bool(const QString &)> m_reconnect;
    DriverDetach m_detach;
    StateQuery m_queryState;
    std::optional<QList<PositionState>> m_declaredPositions;
    QHash<QString, WorkflowTemplate> m_templates;
    QStringList m_shippedTemplates; // run-time templates may not take these names
    std::unordered_map<TaskId, TaskEntry> m_tasks;
    std::unordered_map<WorkflowId, WorkflowEntry> m_workflows;
    std::unordered_map<WorkflowId, WorkflowEntry> m_failedWorkflows; // retryable until restart
    QHash<QString, DeviceEntry> m_devices;
    QHash<QString, std::set<std::pair<qint64, QString>>> m_idleByType; // least loaded first
    QHash<QString, int> m_devicesOfType;                               // configured, not removed
    QHash<QString, PositionEntry> m_positions;
    QHash<QString, std::set<QString>> m_positionsUnder; // exact parent -> children
    // Waiting tasks grouped by their exact request: within a group only the head can be
    // the next grant, so a release looks at one task per group that needs the resource.
    QHash<QString, std::set<QueueKey>> m_waiting; // request signature -> waiting tasks
    QHash<QString, QSet<QString>> m_groupsByKey;  // resource key -> signatures
    std::unordered_map<qint64, std::shared_ptr<Slot<CommandResult>>> m_commands;
    std::unordered_map<qint64, std::shared_ptr<Slot<PromptState>>> m_promptWaits;
    QHash<qint64, PromptState> m_prompts; // open ones
    QList<std::shared_ptr<Slot<bool>>> m_sleeps;
    QHash<QString, TaskId> m_recoveringByDevice;

    ChangeSet m_batch;
    QList<std::function<void(bool)>> m_batchActions;
    QList<TaskId> m_finishedTasks; // leave memory at the next flush
    std::unordered_map<quint64, QList<std::function<void(bool)>>> m_awaitingCommit;
    quint64 m_nextTicket = 1;
    bool m_flushScheduled = false;
    bool m_draining = false;
    bool m_grantsHeld = false;
    bool m_dying = false;

    TaskId m_nextTaskId = 1;
    WorkflowId m_nextWorkflowId = 1;
    WorkflowId m_firstWorkflowOfThisRun = 1; // lower ids were submitted before this start
    SampleId m_nextSampleId = 1;
    qint64 m_nextPromptId = 1;
    qint64 m_nextSeq = 1;
    qint64 m_running = 0;
    qint64 m_queued = 0;
    qint64 m_active = 0;
    int m_maxAttempts = 3;
    int m_backoffMs = 1000;
    qint64 m_agingUsPerPoint = 1000000;
    bool m_measureGrants = false;
    qint64 m_eventStartNs = 0;
    QList<double> m_grantLatencyMs;
    std::shared_ptr<Histogram> m_grantLatency =
        std::make_shared<Histogram>(Histogram::latencyBuckets());
    EngineStats m_stats;
    OperatorCommands m_operatorCommands{*this};
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceReport)
