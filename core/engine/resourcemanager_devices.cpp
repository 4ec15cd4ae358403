// The lab's devices and positions as declared (the lab file or a simulated profile) against
// the lab the database remembers: what start() adds, changes and removes; devices and
// positions added, edited and removed at run time; a device's link going down and coming back.
#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/commitqueue.h"
#include "core/engine/resourcemanager.h"
#include "core/engine/templatecheck.h"
#include "core/engine/workflowtemplate.h"

#include <QJsonArray>
#include <QSet>

namespace alabos {

using namespace eventkind;

QHash<QString, DeviceState> ResourceManager::restore(const LabSnapshot &snapshot,
                                                     const QList<DeviceSpec> &devices)
{
    const QHash<QString, DeviceState> unchanged = reconcileDevices(snapshot, devices);
    for (const PositionState &p : snapshot.positions)
        insertPosition(p);
    reconcilePositions();
    return unchanged;
}

QHash<QString, DeviceState> ResourceManager::reconcileDevices(const LabSnapshot &snapshot,
                                                              const QList<DeviceSpec> &devices)
{
    QHash<QString, DeviceState> known;
    for (const DeviceState &d : snapshot.devices)
        known.insert(d.id, d);
    QHash<QString, DeviceState> unchanged;
    int added = 0, changed = 0, removed = 0;
    for (const DeviceSpec &spec : devices) {
        const auto before = known.constFind(spec.id);
        // A removed device lost its settings with it: declared again, it comes back. One that
        // is offline with its settings only lost its link.
        const bool isNew = before == known.cend() || (before->status == DeviceStatus::Offline &&
                                                      !snapshot.deviceConfigs.contains(spec.id));
        DeviceEntry entry;
        entry.state = isNew ? DeviceState{} : *before;
        entry.state.id = spec.id;
        entry.state.type = spec.type;
        entry.config = spec.config;
        // An operator's pause or maintenance outlives a restart; everything else starts idle,
        // or offline until its driver reaches the instrument.
        const DeviceStatus was = entry.state.status;
        entry.state.status =
            (!isNew && (was == DeviceStatus::Paused || was == DeviceStatus::Maintenance))
                ? was
                : DeviceStatus::Idle;
        entry.state.currentTask = 0;
        entry.state.message.clear();
        awaitLink(entry, isNew || was == DeviceStatus::Offline);
        if (isNew) {
            entry.state.updatedUs = nowMicros();
            m_commits.batch().device(entry.state, kDeviceRegistered, spec.config);
            ++added;
        } else if (before->type != spec.type ||
                   snapshot.deviceConfigs.value(spec.id) != spec.config) {
            entry.state.updatedUs = nowMicros();
            m_commits.batch().device(entry.state, kDeviceEdited, spec.config);
            qCInfo(lcEngine).noquote() << "device" << spec.id << "runs with changed settings";
            ++changed;
        } else {
            unchanged.insert(spec.id, *before);
        }
        m_devices.insert(spec.id, entry);
        ++m_devicesOfType[spec.type];
    }
    // Devices a task still holds (it was running when the lab stopped) leave only when that
    // task ends: recovery decides it first, as for any other device.
    QHash<QString, TaskId> heldBy;
    for (const ResourceLease &l : snapshot.leases)
        if (l.kind == QLatin1StringView("device")) heldBy.insert(l.name, l.taskId);
    for (const TaskState &t : snapshot.tasks)
        if (t.status == TaskStatus::Running && !t.deviceId.isEmpty() &&
            !heldBy.contains(t.deviceId))
            heldBy.insert(t.deviceId, t.id);
    for (const DeviceState &d : snapshot.devices) {
        if (m_devices.contains(d.id) || d.status == DeviceStatus::Offline) continue;
        if (heldBy.contains(d.id)) {
            DeviceEntry entry;
            entry.state = d;
            entry.config = snapshot.deviceConfigs.value(d.id);
            entry.pendingRemove = true;
            m_devices.insert(d.id, entry);
            ++m_devicesOfType[d.type];
            qCWarning(lcEngine).noquote()
                << "device" << d.id << "is no longer part of the lab; it leaves once task"
                << heldBy.value(d.id) << "is decided";
            continue;
        }
        DeviceState gone = d;
        gone.status = DeviceStatus::Offline;
        gone.currentTask = 0;
        gone.updatedUs = nowMicros();
        m_commits.batch().device(gone, kDeviceRemoved,
                                 {}); // declared no more; its settings go with it
        qCInfo(lcEngine).noquote() << "device" << d.id << "is no longer part of the lab";
        ++removed;
    }
    if (added + changed + removed > 0)
        qCInfo(lcEngine).noquote() << "lab of" << devices.size() << "devices:" << added << "added,"
                                   << changed << "changed," << removed << "removed";
    return unchanged;
}

void ResourceManager::holdForRecovery(TaskEntry &t, const QList<ResourceLease> &leases)
{
    // Hold what it held, so nothing else is granted the device before recovery knows.
    const TaskId id = t.state.id;
    for (const ResourceLease &l : leases) {
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
}

void ResourceManager::settle(const QHash<QString, DeviceState> &unchanged)
{
    // Only what differs from the database is written, so a restart of an unchanged lab
    // writes no device events at all.
    for (auto it = unchanged.cbegin(); it != unchanged.cend(); ++it) {
        DeviceEntry &d = m_devices[it.key()];
        if (d.state.status == it->status && d.state.currentTask == it->currentTask) continue;
        d.state.updatedUs = nowMicros();
        m_commits.batch().device(d.state, kDeviceStatus);
    }
    for (auto it = m_devices.begin(); it != m_devices.end(); ++it)
        if (it->leasedBy == 0 && it->state.status == DeviceStatus::Idle) idleInsert(*it);
}

void ResourceManager::reconcilePositions()
{
    if (!m_declaredPositions) return;
    QSet<QString> declared;
    for (const PositionState &p : std::as_const(*m_declaredPositions)) {
        declared.insert(p.name);
        auto it = m_positions.find(p.name);
        if (it == m_positions.end()) {
            insertPosition(p);
            m_commits.batch().position(p, kPositionAdded);
        } else if (it->state.deviceId != p.deviceId) {
            it->state.deviceId = p.deviceId;
            m_commits.batch().position(it->state, kPositionAdded);
        }
    }
    QStringList gone;
    for (auto it = m_positions.cbegin(); it != m_positions.cend(); ++it)
        if (!declared.contains(it.key())) gone << it.key();
    for (const QString &name : std::as_const(gone)) {
        PositionState removed = m_positions.take(name).state;
        removed.removed = true;
        m_positionsUnder[removed.parent].erase(name);
        m_commits.batch().position(removed, kPositionRemoved);
    }
}

void ResourceManager::awaitLink(DeviceEntry &d, bool showOffline) const
{
    if (!m_awaitLinks || m_linkReports.value(d.state.id, false)) return;
    d.linkDown = true;
    if (!showOffline || d.state.status != DeviceStatus::Idle) return;
    d.state.status = DeviceStatus::Offline;
    d.state.message = linkDownReason(d.state.id);
}

QString ResourceManager::linkDownReason(const QString &deviceId) const
{
    return m_linkReports.contains(deviceId) ? tr("the link to the instrument is down")
                                            : tr("connecting to its instrument");
}

void ResourceManager::onDeviceLink(const QString &deviceId, bool connected, const QString &message)
{
    m_linkReports.insert(deviceId, connected);
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end() || it->removed) return;
    DeviceEntry &d = *it;
    if (!connected) {
        if (m_draining) return; // the drivers are being shut down with the lab
        d.linkDown = true;
        // A running command fails through its driver; the device goes offline when it is
        // released (release).
        if (d.leasedBy != 0) return;
        // The fleet shows the device's name already: keep the reason only.
        const QString prefix = deviceId + QStringLiteral(": ");
        const QString reason = (message.startsWith(prefix) ? message.mid(prefix.size()) : message)
                                   .left(DeviceState::kMaxMessageLength);
        // Offline already (still connecting, or retrying): a new reason is shown, the same
        // one again writes nothing. Paused and maintenance devices keep their status.
        if (d.state.status == DeviceStatus::Offline ? reason == d.state.message
                                                    : d.state.status != DeviceStatus::Idle)
            return;
        d.state.message = reason;
        setDeviceStatus(d, DeviceStatus::Offline, kDeviceStatus);
        qCWarning(lcEngine).noquote() << deviceId << "is offline:" << message;
        m_commits.scheduleFlush();
        return;
    }
    const bool awaited = std::exchange(d.linkDown, false);
    if (d.state.status != DeviceStatus::Offline) {
        // Idle all along, but granted nothing until now.
        if (awaited && d.state.status == DeviceStatus::Idle && d.leasedBy == 0) {
            idleInsert(d);
            grantWaitingFor(d);
            m_commits.scheduleFlush();
        }
        return;
    }
    d.state.message.clear();
    setDeviceStatus(d, DeviceStatus::Idle, kDeviceStatus);
    qCInfo(lcEngine).noquote() << deviceId << "is back online";
    grantWaitingFor(d);
    m_commits.scheduleFlush();
}

void ResourceManager::setDeviceStatus(DeviceEntry &d, DeviceStatus status, const QString &kind)
{
    idleErase(d);
    d.state.status = status;
    d.state.updatedUs = nowMicros();
    m_commits.batch().device(d.state, kind);
    idleInsert(d);
}

QString ResourceManager::reconfigureDevice(DeviceEntry &d, const DeviceSpec &spec)
{
    const DeviceSpec old{d.state.id, d.state.type, d.config};
    if (m_detach) m_detach(d.state.id);
    m_linkReports.remove(d.state.id); // a new driver reports its own link
    QString error;
    if (m_attach && !m_attach(spec, &error)) {
        if (!m_attach(old, nullptr))
            qCWarning(lcEngine).noquote() << "device" << old.id << "lost its driver";
        return error;
    }
    if (spec.type != d.state.type) {
        --m_devicesOfType[d.state.type];
        ++m_devicesOfType[spec.type];
    }
    d.state.type = spec.type;
    d.config = spec.config;
    d.state.updatedUs = nowMicros();
    awaitLink(d, true);
    m_commits.batch().device(d.state, kDeviceEdited, spec.config);
    return {};
}
Request ResourceManager::requestFrom(const TaskState &t)
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
TemplateCheckContext ResourceManager::deviceCheckContext() const
{
    // A device count per type keeps the check O(tasks), not O(devices).
    TemplateCheckContext context;
    context.hasDeviceType = [this](const QString &type) { return m_devicesOfType.value(type) > 0; };
    context.hasDevice = [this](const QString &id) { return m_devices.contains(id); };
    return context;
}

QString ResourceManager::checkDevices(const WorkflowTemplate &tmpl) const
{
    return firstBlocking(checkTemplateDevices(tmpl, deviceCheckContext()));
}

DeviceEntry *ResourceManager::device(const QString &id)
{
    auto it = m_devices.find(id);
    return it == m_devices.end() || it->removed ? nullptr : &*it;
}

const DeviceEntry *ResourceManager::device(const QString &id) const
{
    auto it = m_devices.constFind(id);
    return it == m_devices.cend() || it->removed ? nullptr : &*it;
}

bool ResourceManager::addDevice(const DeviceSpec &spec, QString *error)
{
    m_linkReports.remove(spec.id); // of a driver removed with an earlier device of this id
    if (!m_attach || !m_attach(spec, error)) return false;
    DeviceEntry entry;
    entry.state = {spec.id, spec.type, DeviceStatus::Idle, 0, 0, nowMicros()};
    entry.config = spec.config;
    awaitLink(entry, true);
    DeviceEntry &d = *m_devices.insert(spec.id, entry);
    ++m_devicesOfType[spec.type];
    m_commits.batch().device(d.state, kDeviceRegistered, spec.config);
    idleInsert(d);
    grantWaitingFor(d);
    return true;
}

void ResourceManager::removeDevice(DeviceEntry &d)
{
    idleErase(d);
    if (d.leasedBy != 0) {
        d.pendingRemove = true; // settleReleasedDevice, when its task ends
        return;
    }
    d.removed = true;
    --m_devicesOfType[d.state.type];
    d.state.status = DeviceStatus::Offline;
    d.state.updatedUs = nowMicros();
    m_commits.batch().device(d.state, kDeviceRemoved, {}); // its settings go with it
    if (m_detach) m_detach(d.state.id);
}

void ResourceManager::grantWaitingFor(const DeviceEntry &d)
{
    grantWaiting(QStringLiteral("t:") + d.state.type);
    grantWaiting(QStringLiteral("d:") + d.state.id);
}

void ResourceManager::countCompleted(const QString &deviceId)
{
    ++m_devices[deviceId].state.tasksCompleted;
}

void ResourceManager::insertPosition(const PositionState &p)
{
    m_positions.insert(p.name, {p, 0, false});
    m_positionsUnder[p.parent].insert(p.name);
}

void ResourceManager::addPosition(const PositionState &p)
{
    insertPosition(p);
    m_commits.batch().position(p, kPositionAdded);
    grantWaiting(QStringLiteral("x:") + p.name);
    grantWaiting(QStringLiteral("p:") + p.parent);
}

std::optional<TaskId> ResourceManager::removePosition(const QString &name)
{
    auto it = m_positions.find(name);
    if (it == m_positions.end() || it->pendingRemove) return std::nullopt;
    if (it->leasedBy != 0) {
        it->pendingRemove = true; // release(), when its task ends
        return it->leasedBy;
    }
    PositionState removed = it->state;
    removed.removed = true;
    m_positionsUnder[removed.parent].erase(removed.name);
    m_positions.erase(it);
    m_commits.batch().position(removed, kPositionRemoved);
    return TaskId(0);
}

} // namespace alabos
