#pragma once
// The schedule's prediction: when each queued task starts and ends, on which device, and when
// each workflow and sample is done. Plain values in and out; no thread of its own and no
// widgets, so it runs wherever the caller likes (the console runs it off the UI thread).
#include "core/domain/types.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace alabos {

// A waiting, ready, held or running task as the scheduler holds it.
struct ScheduleTask
{
    TaskId id = 0;
    WorkflowId workflowId = 0;
    QString templateName;
    QString step;       // the task template's name within its workflow
    QString deviceType; // the type of the device its command runs on
    QStringList types;  // devices it needs by type (all or none, as the engine grants)
    QStringList names;  // devices it needs by exact name
    TaskStatus status = TaskStatus::Waiting;
    int priority = 50;
    qint64 rank = 0; // the engine's queue key (virtual time, us); 0 while it waits for others
    qint64 seq = 0;  // the key's tie-breaker
    bool startsWorkflow = false;
    int pendingDeps = 0;
    QList<TaskId> successors;
    QList<SampleId> samples;
    QString deviceId;      // running: where
    qint64 startedUs = 0;  // running: since when
    double expectedS = 60; // the template's duration_s, when the history has no run
};

struct ScheduleDevice
{
    QString id;
    QString type;
    DeviceStatus status = DeviceStatus::Offline;
    TaskId runningTask = 0;
    qint64 tasksCompleted = 0;    // the engine grants the least loaded idle device first
    bool leavesAfterTask = false; // paused, maintenance, removal or link down once its task ends
};

struct ScheduleSnapshot
{
    qint64 nowUs = 0;
    qint64 agingUsPerPoint = 1000000;
    bool granting = true; // false while the engine drains or holds grants
    QList<ScheduleDevice> devices;
    QList<ScheduleTask> tasks;
};

// How long one template step took on one device type lately.
struct DurationStats
{
    double medianS = 0;
    double lowS = 0;  // 10th percentile
    double highS = 0; // 90th percentile
    int runs = 0;
    double meanS = 0; // 0: not known
};
using DurationTable = QHash<QString, DurationStats>;
QString durationKey(const QString &templateName, const QString &step, const QString &deviceType);

struct PredictedTask
{
    enum class Why : quint8
    {
        Predicted,
        Held,
        NoDevice,
        AfterUnpredicted
    };
    TaskId id = 0;
    WorkflowId workflowId = 0;
    int device = -1; // index into the snapshot's devices; -1: not predicted
    qint64 readyUs = 0;
    qint64 startUs = 0;
    qint64 endUs = 0;
    DurationStats duration; // what the end was computed from (runs 0: the template's)
    TaskId via = 0;         // the predecessor whose end made it ready (critical path)
    bool running = false;
    Why why = Why::Predicted;
};

struct SchedulePrediction
{
    qint64 nowUs = 0;
    QList<PredictedTask> tasks; // in the snapshot's order
    QHash<TaskId, qsizetype> indexOf;
    QHash<WorkflowId, qint64> workflowFinishUs; // 0: some task of it cannot be predicted
    QHash<SampleId, qint64> sampleFinishUs;     // 0: likewise
    QHash<WorkflowId, QList<TaskId>> workflowTasks;

    const PredictedTask *task(TaskId id) const;
    // The chain of tasks that decides when the workflow finishes: from its last task back
    // through the predecessor each one waited for longest. First task first.
    QList<TaskId> criticalPath(WorkflowId id) const;
};

// Plays the engine's dispatch forward from the snapshot with the durations of `history`
// (the template's duration where it has none): the queue order (rank, then sequence), a
// task's rank when it becomes ready (ready time minus priority and continuation head
// start), all-or-nothing grants of devices by type (least loaded idle device first) and by
// name, successors made ready before the finished task's devices are released. Sample
// positions are not modelled: a task is assumed to find the positions it needs.
SchedulePrediction predictSchedule(const ScheduleSnapshot &snapshot, const DurationTable &history);

} // namespace alabos

Q_DECLARE_METATYPE(alabos::ScheduleSnapshot)
Q_DECLARE_METATYPE(alabos::DurationTable)
