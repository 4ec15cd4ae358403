#pragma once
// The queue of ready tasks and the devices and positions they are granted.
#include "core/domain/types.h"
#include "core/engine/enginestate.h"
#include "core/metrics/metrics.h"

#include <QCoreApplication>
#include <QHash>
#include <functional>
#include <memory>
#include <optional>
#include <set>

namespace alabos {

class CommitQueue;
struct TemplateCheckContext;
struct WorkflowTemplate;

// The resource manager: sole owner of the lab's devices and positions, the leases on them and
// the queue of tasks waiting for them; engine thread only. A task asks for all it needs at
// once and gets all of it or nothing, so requests never deadlock. Event-driven: a released
// resource is granted at once to the best waiting request it now completes; nothing polls.
// Grants, releases and device changes are written to the commit queue's change set.
class ResourceManager
{
    // The engine's messages keep one translation context, whichever class words them.
    Q_DECLARE_TR_FUNCTIONS(alabos::LabEngine)
public:
    // The scheduler's task of an id (null when it left memory).
    using TaskLookup = std::function<TaskEntry *(TaskId)>;
    // A task was granted what it asked for at `nowUs` (it holds heldDevices/heldPositions):
    // the scheduler starts it.
    using Granted = std::function<void(TaskEntry &task, qint64 nowUs)>;

    ResourceManager(CommitQueue &commits, TaskLookup tasks, Granted granted);

    void setDriverHooks(DriverAttach attach, DriverDetach detach)
    {
        m_attach = std::move(attach);
        m_detach = std::move(detach);
    }
    // Every device has a driver that reports its link (onDeviceLink): a device is granted
    // nothing until its driver has said that it reaches the instrument. Off for an engine
    // that runs without drivers (previews, benchmarks).
    void setAwaitDriverLinks(bool on) { m_awaitLinks = on; }
    void setDeclaredPositions(QList<PositionState> positions)
    {
        m_declaredPositions = std::move(positions);
    }
    void setAgingUsPerPoint(qint64 us) { m_agingUsPerPoint = us; }
    qint64 agingUsPerPoint() const { return m_agingUsPerPoint; }
    void setMeasureGrants(bool on) { m_measureGrants = on; }
    QList<double> takeGrantLatenciesMs() { return std::exchange(m_grantLatencyMs, {}); }
    std::shared_ptr<const Histogram> grantLatency() const { return m_grantLatency; }
    // When the event being handled (a result, a commit) began: grants it causes are timed
    // from it. 0: no event (nothing is timed).
    void setEventStart(qint64 steadyNs) { m_eventStartNs = steadyNs; }

    // What a task asks for, from its parameters.
    static Request requestFrom(const TaskState &task);

    // --- start ---
    // The declared devices against the snapshot's: registered, edited and removed ones get
    // their event; returns the snapshot's state of the devices that did not change. Then the
    // snapshot's positions, reconciled with the declared ones when there are any.
    QHash<QString, DeviceState> restore(const LabSnapshot &snapshot,
                                        const QList<DeviceSpec> &devices);
    // A task that was running when the lab stopped keeps what it held until recovery decides.
    void holdForRecovery(TaskEntry &task, const QList<ResourceLease> &leases);
    // Writes the statuses that differ from the database's and makes idle devices grantable.
    void settle(const QHash<QString, DeviceState> &unchanged);

    // --- queue ---
    void makeReady(TaskEntry &task); // ready, queued and granted at once if it can be
    // Where a task that became ready now would stand in the queue.
    qint64 rankNow(const TaskEntry &task) const { return keyFor(task).rank; }
    void enqueue(TaskEntry &task, bool keepRank = false);
    void dequeue(TaskEntry &task);
    void requeue(TaskEntry &task); // priority or order changed
    // The rank that puts a task ahead of everything waiting now.
    qint64 frontRank() const;
    qint64 queued() const { return m_queued; }

    // --- grants ---
    bool tryGrant(TaskEntry &task);
    // Grants whatever waits for the resource `key` and can now be fully satisfied.
    void grantWaiting(const QString &key);
    void grantAllWaiting();
    // Ends every lease of `task`; what waited for them is granted.
    void release(TaskEntry &task);
    // drain(): no more grants, for good; hold: none while this process may not lead the lab.
    void drain() { m_draining = true; }
    bool draining() const { return m_draining; }
    // False when grants already were (or were not) held.
    bool setGrantsHeld(bool held) { return std::exchange(m_grantsHeld, held) != held; }

    // --- devices ---
    // A configured device, not removed; null if there is none.
    DeviceEntry *device(const QString &id);
    const DeviceEntry *device(const QString &id) const;
    int devicesOfType(const QString &type) const { return m_devicesOfType.value(type); }
    // Empty when every device type and device the template names is configured; otherwise
    // a message naming the template, task and field.
    QString checkDevices(const WorkflowTemplate &tmpl) const;
    // What checkTemplate() needs to know of this lab's devices.
    TemplateCheckContext deviceCheckContext() const;
    // Devices can be added at run time (the lab builds drivers on demand).
    bool canAttachDrivers() const { return bool(m_attach); }
    // A new device with its driver built from `spec`; false (and why) when the driver is not.
    bool addDevice(const DeviceSpec &spec, QString *error);
    void removeDevice(DeviceEntry &device); // idle: at once; busy: when its task ends
    void setDeviceStatus(DeviceEntry &device, DeviceStatus status, const QString &kind);
    // Takes a device out of the idle set, to change it or to keep it from new grants.
    void idleErase(DeviceEntry &device);
    void idleInsert(DeviceEntry &device);
    // Swaps an idle device's driver for one built from `spec`; on failure the old driver is
    // put back and the reason returned.
    QString reconfigureDevice(DeviceEntry &device, const DeviceSpec &spec);
    // Whatever waits for this device, or for one of its type, is granted if it can be.
    void grantWaitingFor(const DeviceEntry &device);
    void onDeviceLink(const QString &deviceId, bool connected, const QString &message);
    // One more task completed on the device (it is granted the least loaded first).
    void countCompleted(const QString &deviceId);
    // Every device known this run, removed ones included.
    const QHash<QString, DeviceEntry> &devices() const { return m_devices; }

    // --- positions ---
    bool hasPosition(const QString &name) const { return m_positions.contains(name); }
    // A position whose name the caller checked; what waits for it is granted.
    void addPosition(const PositionState &position);
    // 0 when removed now; the task that holds it when it goes once that task ends; nullopt
    // when there is no such position.
    std::optional<TaskId> removePosition(const QString &name);

private:
    QueueKey keyFor(const TaskEntry &t) const;
    QString signature(const TaskEntry &t) const;
    QStringList resourceKeys(const TaskEntry &t) const;
    bool findResources(const TaskEntry &task, QStringList *devices, QStringList *positions) const;
    bool deviceAvailable(const DeviceEntry &d) const;
    void settleReleasedDevice(DeviceEntry &device);
    QHash<QString, DeviceState> reconcileDevices(const LabSnapshot &snapshot,
                                                 const QList<DeviceSpec> &devices);
    void reconcilePositions();
    void insertPosition(const PositionState &p);
    // A device whose driver has not reported its link yet is granted nothing until it does.
    // `showOffline`: its status says so too, where it would say idle (a status written
    // anyway; an unchanged device keeps the status it has, so a restart writes nothing).
    void awaitLink(DeviceEntry &d, bool showOffline) const;
    QString linkDownReason(const QString &deviceId) const;

    CommitQueue &m_commits;
    TaskLookup m_task;
    Granted m_granted;
    DriverAttach m_attach;
    DriverDetach m_detach;
    std::optional<QList<PositionState>> m_declaredPositions;

    QHash<QString, DeviceEntry> m_devices;
    QHash<QString, std::set<std::pair<qint64, QString>>> m_idleByType; // least loaded first
    QHash<QString, int> m_devicesOfType;                               // configured, not removed
    QHash<QString, PositionEntry> m_positions;
    QHash<QString, std::set<QString>> m_positionsUnder; // exact parent -> children
    // Waiting tasks grouped by their exact request: within a group only the head can be
    // the next grant, so a release looks at one task per group that needs the resource.
    QHash<QString, std::set<QueueKey>> m_waiting; // request signature -> waiting tasks
    QHash<QString, QSet<QString>> m_groupsByKey;  // resource key -> signatures
    qint64 m_nextSeq = 1;
    qint64 m_queued = 0;
    qint64 m_agingUsPerPoint = 1000000;
    bool m_draining = false;
    bool m_awaitLinks = false;
    // Each driver's last link report, also from a driver whose device the engine has not
    // registered yet (drivers connect while the engine starts).
    QHash<QString, bool> m_linkReports;
    bool m_grantsHeld = false;

    bool m_measureGrants = false;
    qint64 m_eventStartNs = 0;
    QList<double> m_grantLatencyMs;
    std::shared_ptr<Histogram> m_grantLatency =
        std::make_shared<Histogram>(Histogram::latencyBuckets());
};

} // namespace alabos
