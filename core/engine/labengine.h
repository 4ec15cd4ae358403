#pragma once
#include "core/domain/types.h"
#include "core/drivers/devicedriver.h"
#include "core/engine/workflowtemplate.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <set>
#include <unordered_map>

namespace alabos {

struct DeviceSpec
{
    QString id;
    QString type;
};

struct EngineStats
{
    qint64 tasksCompleted = 0;
    qint64 tasksFailed = 0;
    qint64 tasksRetried = 0;
    qint64 workflowsSubmitted = 0;
    qint64 workflowsCompleted = 0;
    qint64 workflowsFailed = 0;
    qint64 activeTasks = 0;
    qint64 runningTasks = 0;
    qint64 waitingForDevice = 0;
    qint64 changeSetsCommitted = 0;
    qint64 changeSetsRejected = 0;
    qint64 recoveredTasks = 0;
};

// The scheduler. Lives on the engine thread and is the only writer of scheduling state:
// tasks, device leases and the queue. Every decision becomes a ChangeSet that the storage
// thread commits; what depends on a decision (dispatching a command to a device) happens
// only after its commit. Event-driven: a released device is granted at once to the best
// waiting task of its type; nothing polls.
class LabEngine : public QObject
{
    Q_OBJECT
public:
    using Dispatcher = std::function<bool(const DeviceCommand &)>;

    explicit LabEngine(QObject *parent = nullptr);
    ~LabEngine() override;

    // Set before start(); called on the engine thread, must be thread-safe towards drivers.
    void setDispatcher(Dispatcher dispatcher) { m_dispatch = std::move(dispatcher); }
    void addTemplate(const WorkflowTemplate &t) { m_templates.insert(t.name, t); }
    EngineStats stats() const { return m_stats; }
    qint64 activeWorkflows() const { return qint64(m_workflows.size()); }
    int maxAttempts() const { return m_maxAttempts; }
    qint64 runningTasks() const { return qint64(m_commandToTask.size()); }
    // Hands out `count` consecutive sample ids nobody else will use (sample registration
    // writes its own rows); returns the first. Engine thread only.
    SampleId reserveSampleIds(int count)
    {
        const SampleId first = m_nextSampleId;
        m_nextSampleId += count;
        return first;
    }

public Q_SLOTS:
    // Rebuilds from the snapshot (recovery), registers the configured devices, and starts
    // scheduling. Tasks found running are queued again: their devices cannot tell.
    void start(const alabos::LabSnapshot &snapshot, const QList<alabos::DeviceSpec> &devices);
    // Registers one sample per entry of `barcodes` and runs the template on them.
    void submitWorkflow(const QString &templateName, const QStringList &barcodes, int priority);
    void onCommitted(const QList<quint64> &tickets);
    void onRejected(quint64 ticket, const QString &error);
    void onCommandFinished(const alabos::CommandResult &result);
    // Stops granting; what runs finishes.
    void drain();
    // Hands the pending change set to storage now (shutdown).
    void flushNow() { flushChanges(); }

Q_SIGNALS:
    void changesReady(quint64 ticket, const alabos::ChangeSet &changes);
    void statsChanged(const alabos::EngineStats &stats);
    void workflowRejected(const QString &message);
    void started();

private:
    struct TaskEntry
    {
        TaskState state;
        QString command;
        QList<TaskId> successors;
        int pendingDeps = 0;
        qint64 commandId = 0;
        qint64 queueSeq = 0;
        bool startsWorkflow = false;
    };
    struct WorkflowEntry
    {
        WorkflowState state;
        QList<TaskId> tasks;
        int unfinished = 0;
    };
    struct QueueKey
    {
        int negPriority;
        int startsWorkflow; // 0 first: finishing started work beats starting new work
        qint64 seq;
        TaskId task;
        auto operator<=>(const QueueKey &) const = default;
    };
    struct DeviceEntry
    {
        DeviceState state;
        bool leased = false;
    };

    void makeReady(TaskEntry &task);
    void enqueue(TaskEntry &task);
    void grant(const QString &deviceType);
    void release(DeviceEntry &device);
    void finishTask(TaskEntry &task, TaskStatus status, const QString &message);
    void cancelDependents(TaskEntry &task, const QString &why);
    void finishWorkflowIfDone(WorkflowId id);
    void afterCommit(std::function<void()> action);
    void scheduleFlush();
    void flushChanges();
    void publishStats();
    void markIdle(DeviceEntry &device);
    QueueKey keyFor(const TaskEntry &t) const;

    Dispatcher m_dispatch;
    QHash<QString, WorkflowTemplate> m_templates;
    std::unordered_map<TaskId, TaskEntry> m_tasks;
    std::unordered_map<WorkflowId, WorkflowEntry> m_workflows;
    QHash<QString, DeviceEntry> m_devices;
    QHash<QString, std::set<std::pair<qint64, QString>>> m_idleByType; // least loaded first
    QHash<QString, std::set<QueueKey>> m_queueByType;
    std::unordered_map<qint64, TaskId> m_commandToTask;

    ChangeSet m_batch;
    QList<std::function<void()>> m_batchActions;
    std::unordered_map<quint64, QList<std::function<void()>>> m_awaitingCommit;
    quint64 m_nextTicket = 1;
    bool m_flushScheduled = false;
    bool m_draining = false;

    TaskId m_nextTaskId = 1;
    WorkflowId m_nextWorkflowId = 1;
    SampleId m_nextSampleId = 1;
    qint64 m_nextCommandId = 1;
    qint64 m_nextSeq = 1;
    int m_maxAttempts = 3;
    EngineStats m_stats;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceSpec)
Q_DECLARE_METATYPE(alabos::EngineStats)
