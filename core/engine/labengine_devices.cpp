// The lab's devices and positions as declared (the lab file or a simulated profile) against
// the lab the database remembers: what start() adds, changes and removes, and how a device's
// driver is swapped for one with new settings. Engine thread only.
#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/labengine.h"

#include <QSet>

namespace alabos {

using namespace eventkind;

QHash<QString, DeviceState> LabEngine::reconcileDevices(const LabSnapshot &snapshot,
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
        // An operator's pause or maintenance outlives a restart; everything else starts idle.
        const DeviceStatus was = entry.state.status;
        entry.state.status =
            (!isNew && (was == DeviceStatus::Paused || was == DeviceStatus::Maintenance))
                ? was
                : DeviceStatus::Idle;
        entry.state.currentTask = 0;
        if (isNew) {
            entry.state.updatedUs = nowMicros();
            m_batch.device(entry.state, kDeviceRegistered, spec.config);
            ++added;
        } else if (before->type != spec.type ||
                   snapshot.deviceConfigs.value(spec.id) != spec.config) {
            entry.state.updatedUs = nowMicros();
            m_batch.device(entry.state, kDeviceEdited, spec.config);
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
        m_batch.device(gone, kDeviceRemoved, {}); // declared no more; its settings go with it
        qCInfo(lcEngine).noquote() << "device" << d.id << "is no longer part of the lab";
        ++removed;
    }
    if (added + changed + removed > 0)
        qCInfo(lcEngine).noquote() << "lab of" << devices.size() << "devices:" << added << "added,"
                                   << changed << "changed," << removed << "removed";
    return unchanged;
}

void LabEngine::settleDeviceStatuses(const QHash<QString, DeviceState> &unchanged)
{
    // Only what differs from the database is written, so a restart of an unchanged lab
    // writes no device events at all.
    for (auto it = unchanged.cbegin(); it != unchanged.cend(); ++it) {
        DeviceEntry &d = m_devices[it.key()];
        if (d.state.status == it->status && d.state.currentTask == it->currentTask) continue;
        d.state.updatedUs = nowMicros();
        m_batch.device(d.state, kDeviceStatus);
    }
}

void LabEngine::reconcilePositions()
{
    if (!m_declaredPositions) return;
    QSet<QString> declared;
    for (const PositionState &p : std::as_const(*m_declaredPositions)) {
        declared.insert(p.name);
        auto it = m_positions.find(p.name);
        if (it == m_positions.end()) {
            m_positions.insert(p.name, {p, 0, false});
            m_positionsUnder[p.parent].insert(p.name);
            m_batch.position(p, kPositionAdded);
        } else if (it->state.deviceId != p.deviceId) {
            it->state.deviceId = p.deviceId;
            m_batch.position(it->state, kPositionAdded);
        }
    }
    QStringList gone;
    for (auto it = m_positions.cbegin(); it != m_positions.cend(); ++it)
        if (!declared.contains(it.key())) gone << it.key();
    for (const QString &name : std::as_const(gone)) {
        PositionState removed = m_positions.take(name).state;
        removed.removed = true;
        m_positionsUnder[removed.parent].erase(name);
        m_batch.position(removed, kPositionRemoved);
    }
}

void LabEngine::onDeviceLink(const QString &deviceId, bool connected, const QString &message)
{
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end() || it->removed) return;
    DeviceEntry &d = *it;
    if (!connected) {
        if (m_draining) return; // the drivers are being shut down with the lab
        d.linkDown = true;
        // A running command fails through its driver; the device goes offline when it is
        // released (releaseResources).
        if (d.leasedBy != 0 || d.state.status != DeviceStatus::Idle) return;
        // The fleet shows the device's name already: keep the reason only.
        const QString prefix = deviceId + QStringLiteral(": ");
        d.state.message = (message.startsWith(prefix) ? message.mid(prefix.size()) : message)
                              .left(DeviceState::kMaxMessageLength);
        setDeviceStatus(d, DeviceStatus::Offline, kDeviceStatus);
        qCWarning(lcEngine).noquote() << deviceId << "is offline:" << message;
        scheduleFlush();
        return;
    }
    d.linkDown = false;
    if (d.state.status != DeviceStatus::Offline) return;
    d.state.message.clear();
    setDeviceStatus(d, DeviceStatus::Idle, kDeviceStatus);
    qCInfo(lcEngine).noquote() << deviceId << "is back online";
    grantWaiting(QStringLiteral("t:") + d.state.type);
    grantWaiting(QStringLiteral("d:") + d.state.id);
    scheduleFlush();
}

void LabEngine::setDeviceStatus(DeviceEntry &d, DeviceStatus status, const QString &kind)
{
    idleErase(d);
    d.state.status = status;
    d.state.updatedUs = nowMicros();
    m_batch.device(d.state, kind);
    idleInsert(d);
}

QString LabEngine::reconfigureDevice(DeviceEntry &d, const DeviceSpec &spec)
{
    const DeviceSpec old{d.state.id, d.state.type, d.config};
    if (m_detach) m_detach(d.state.id);
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
    m_batch.device(d.state, kDeviceEdited, spec.config);
    return {};
}

} // namespace alabos
