#include "core/engine/resourcemanager.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/commitqueue.h"

namespace alabos {

using namespace eventkind;

ResourceManager::ResourceManager(CommitQueue &commits, TaskLookup tasks, Granted granted)
    : m_commits(commits), m_task(std::move(tasks)), m_granted(std::move(granted))
{
}

QueueKey ResourceManager::keyFor(const TaskEntry &t) const
{
    // Aging as virtual time: a task's rank is when it became ready minus a head start for
    // its priority (and for continuing a started workflow). Waiting long enough beats any
    // priority, so nothing starves, and keys never need updating while tasks wait.
    const qint64 headStart = qint64(t.state.priority) * m_agingUsPerPoint +
                             (t.startsWorkflow ? 0 : qint64(priority::Low) * m_agingUsPerPoint);
    return {nowMicros() - headStart, 0, t.state.id};
}

QStringList ResourceManager::resourceKeys(const TaskEntry &t) const
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

void ResourceManager::makeReady(TaskEntry &task)
{
    task.state.status = TaskStatus::Ready;
    enqueue(task, true); // keeps a rank an operator set while it waited (task.front)
    m_commits.batch().task(task.state, kTaskReady);
    tryGrant(task);
}

void ResourceManager::enqueue(TaskEntry &task, bool keepRank)
{
    if (task.queued) return;
    QueueKey key = keyFor(task);
    if (keepRank && task.state.queueRank != 0) key.rank = task.state.queueRank;
    key.seq = m_nextSeq++;
    task.key = key;
    task.state.queueRank = key.rank;
    task.queued = true;
    task.readyUs = nowMicros();
    ++m_queued;
    const QString sig = signature(task);
    auto group = m_waiting.find(sig);
    if (group == m_waiting.end()) group = m_waiting.insert(sig, {});
    if (group->empty())
        for (const QString &k : resourceKeys(task))
            m_groupsByKey[k].insert(group.key());
    // The group's own copy: tasks that ask for the same share one string.
    task.signature = group.key();
    group->insert(key);
}

QString ResourceManager::signature(const TaskEntry &t) const
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

void ResourceManager::dequeue(TaskEntry &task)
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

void ResourceManager::requeue(TaskEntry &task)
{
    if (!task.queued) return;
    const qint64 readySince = task.readyUs;
    dequeue(task);
    enqueue(task, true);
    task.readyUs = readySince; // still waiting since then
}

bool ResourceManager::deviceAvailable(const DeviceEntry &d) const
{
    return !d.removed && d.leasedBy == 0 && d.state.status == DeviceStatus::Idle && !d.linkDown &&
           !d.pendingStatus && !d.pendingRemove;
}

void ResourceManager::idleInsert(DeviceEntry &d)
{
    if (deviceAvailable(d)) m_idleByType[d.state.type].insert({d.state.tasksCompleted, d.state.id});
}

void ResourceManager::idleErase(DeviceEntry &d)
{
    auto it = m_idleByType.find(d.state.type);
    if (it != m_idleByType.end()) it->erase({d.state.tasksCompleted, d.state.id});
}

bool ResourceManager::findResources(const TaskEntry &task, QStringList *devicesOut,
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

bool ResourceManager::tryGrant(TaskEntry &task)
{
    if (m_draining || m_grantsHeld || task.state.status != TaskStatus::Ready) return false;
    QStringList devices;
    QStringList positions;
    if (!findResources(task, &devices, &positions)) return false;
    dequeue(task);
    const qint64 now = nowMicros();
    for (qsizetype i = 0; i < devices.size(); ++i) {
        const QString &id = devices.at(i);
        DeviceEntry &d = m_devices[id];
        idleErase(d);
        d.leasedBy = task.state.id;
        d.state.status = DeviceStatus::Busy;
        d.state.currentTask = task.state.id;
        d.state.updatedUs = now;
        // The task's own device is told busy by the task's start, which names it (an event
        // and a row fewer per task); the other devices a task holds have an event of their own.
        if (i > 0) m_commits.batch().device(d.state, kDeviceStatus);
        m_commits.batch().leases.append({task.state.id, QStringLiteral("device"), id});
    }
    for (const QString &name : positions) {
        m_positions[name].leasedBy = task.state.id;
        m_commits.batch().leases.append({task.state.id, QStringLiteral("position"), name});
    }
    task.heldDevices = devices;
    task.heldPositions = positions;
    if (m_eventStartNs > 0) {
        const qint64 latencyNs = steadyNs() - m_eventStartNs;
        m_grantLatency->observe(double(latencyNs) / 1e9);
        if (m_measureGrants) m_grantLatencyMs.append(double(latencyNs) / 1e6);
    }
    m_granted(task, now);
    return true;
}

void ResourceManager::grantWaiting(const QString &key)
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
            TaskEntry *t = m_task(head.task);
            QStringList devices, positions;
            if (t && findResources(*t, &devices, &positions)) best = t;
        }
        if (!best || !tryGrant(*best)) return;
    }
}

void ResourceManager::release(TaskEntry &task)
{
    // Grants of this task not yet sent to storage are dropped rather than released, so the
    // lease table ends in the engine's state (see kReleaseLeases).
    const TaskId id = task.state.id;
    m_commits.batch().leases.removeIf([id](const ResourceLease &l) { return l.taskId == id; });
    m_commits.batch().releasedLeases.append(id);
    QStringList keys;
    for (const QString &name : std::exchange(task.heldDevices, {})) {
        auto it = m_devices.find(name);
        if (it == m_devices.end() || it->leasedBy != id) continue;
        DeviceEntry &d = *it;
        d.leasedBy = 0;
        d.state.currentTask = 0;
        d.state.updatedUs = nowMicros();
        settleReleasedDevice(d);
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
            m_commits.batch().position(removed, kPositionRemoved);
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
    m_commits.scheduleFlush();
}

// What waited for the device's task to end (removal, new settings, a pause) happens now;
// otherwise it is idle, or offline while its link is down.
void ResourceManager::settleReleasedDevice(DeviceEntry &d)
{
    if (d.pendingRemove) {
        d.pendingRemove = false;
        d.removed = true;
        --m_devicesOfType[d.state.type];
        d.pendingStatus.reset();
        d.pendingSpec.reset();
        d.state.status = DeviceStatus::Offline;
        m_commits.batch().device(d.state, kDeviceRemoved, {}); // its settings go with it
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
    if (d.linkDown && d.state.status == DeviceStatus::Idle) {
        d.state.status = DeviceStatus::Offline;
        d.state.message = linkDownReason(d.state.id);
    }
    m_commits.batch().device(d.state, kDeviceStatus);
    idleInsert(d);
}

void ResourceManager::grantAllWaiting()
{
    const QStringList keys = m_groupsByKey.keys();
    for (const QString &k : keys)
        grantWaiting(k);
}

qint64 ResourceManager::frontRank() const
{
    qint64 first = nowMicros() - 1000LL * m_agingUsPerPoint;
    for (auto it = m_waiting.cbegin(); it != m_waiting.cend(); ++it)
        if (!it->empty()) first = qMin(first, it->begin()->rank);
    return first - 1;
}

} // namespace alabos
