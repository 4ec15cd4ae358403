// The operator commands on devices and positions: adding, editing and removing them, taking a
// device out of scheduling and back, and a driver command outside any task.
#include "core/domain/eventkinds.h"
#include "core/engine/commitqueue.h"
#include "core/engine/labengine.h"
#include "core/engine/operatorcommands.h"
#include "core/engine/resourcemanager.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>

namespace alabos {

using namespace eventkind;

namespace {

constexpr int kMaxNameLength = 64;
constexpr qsizetype kMaxDriverSettingsBytes = 256 * 1024;
// A device.command the device never answers is refused after this long.
constexpr int kDirectCommandTimeoutMs = 10 * 60 * 1000;

bool validDeviceName(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    return re.match(s).hasMatch();
}
bool validType(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    return re.match(s).hasMatch();
}
bool validDriverKind(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]{0,31}$"));
    return re.match(s).hasMatch();
}
bool validPosition(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"));
    return re.match(s).hasMatch();
}

// The driver config of device.add / device.edit: args.driver (the kind) and args.settings
// (the kind's own fields), on top of `current` (edit). The kind checks its settings when the
// driver is built; here only the shape and the size.
std::optional<QJsonObject> driverConfigFrom(const QString &id, const QString &type,
                                            const QJsonObject &args, const QJsonObject &current,
                                            QString *why)
{
    QJsonObject config = current;
    const QJsonValue driver = args.value(QLatin1StringView("driver"));
    if (!driver.isUndefined()) {
        if (!driver.isString() || !validDriverKind(driver.toString())) {
            *why = QObject::tr("args.driver must name a driver kind (simulated, modbus, "
                               "scpi, process...)");
            return std::nullopt;
        }
        if (driver.toString() != config.value(QLatin1StringView("driver")).toString() &&
            !args.contains(QLatin1StringView("settings")))
            config = {}; // another kind: the old kind's settings mean nothing to it
        config.insert(QStringLiteral("driver"), driver);
    }
    const QJsonValue settings = args.value(QLatin1StringView("settings"));
    if (!settings.isUndefined()) {
        if (!settings.isObject()) {
            *why = QObject::tr("args.settings must be an object of the driver's settings");
            return std::nullopt;
        }
        const QJsonObject s = settings.toObject();
        for (const char *reserved : {"id", "type", "driver"})
            if (s.contains(QLatin1StringView(reserved))) {
                *why = QObject::tr("args.settings must not contain \"%1\" (it is args.%1 "
                                   "or the device's name)")
                           .arg(QLatin1StringView(reserved));
                return std::nullopt;
            }
        if (QJsonDocument(s).toJson(QJsonDocument::Compact).size() > kMaxDriverSettingsBytes) {
            *why = QObject::tr("args.settings is larger than %1 KiB")
                       .arg(kMaxDriverSettingsBytes / 1024);
            return std::nullopt;
        }
        const QString kind = config.value(QLatin1StringView("driver")).toString();
        config = s;
        config.insert(QStringLiteral("driver"), kind);
    }
    if (config.value(QLatin1StringView("driver")).toString().isEmpty()) {
        *why = QObject::tr("args.driver is missing: name the driver kind that runs the "
                           "device (simulated, modbus, scpi, process...)");
        return std::nullopt;
    }
    config.insert(QStringLiteral("id"), id);
    config.insert(QStringLiteral("type"), type);
    return config;
}

} // namespace

DeviceEntry *OperatorCommands::namedDevice(const Call &call, QString *refusal)
{
    DeviceEntry *d = m_resources.device(call.command.entityId);
    if (!d)
        *refusal = tr("%1: unknown device \"%2\"").arg(call.command.kind, call.command.entityId);
    return d;
}

QString OperatorCommands::deviceAdd(Call &call)
{
    const OperatorCommand &c = call.command;
    const QString type = c.args.value(QLatin1StringView("type")).toString();
    if (!validDeviceName(c.entityId))
        return tr("device.add: \"%1\" is not a valid device name (1 to %2 letters, digits, . _ -)")
            .arg(c.entityId.left(kMaxNameLength))
            .arg(kMaxNameLength);
    if (m_resources.device(c.entityId))
        return tr("device.add: device %1 already exists").arg(c.entityId);
    if (!validType(type))
        return tr("device.add: args.type \"%1\" is not a device type (1 to %2 lower case "
                  "letters, digits, _)")
            .arg(type.left(kMaxNameLength))
            .arg(kMaxNameLength);
    QString why;
    const auto config = driverConfigFrom(c.entityId, type, c.args, {}, &why);
    if (!config) return tr("device.add: %1").arg(why);
    if (!m_resources.canAttachDrivers())
        return tr("device.add: this lab cannot create drivers at run time");
    if (QString error; !m_resources.addDevice({c.entityId, type, *config}, &error))
        return tr("device.add: the driver for %1 could not be created: %2").arg(c.entityId, error);
    call.message =
        tr("device %1 (%2, driver %3) added")
            .arg(c.entityId, type, config->value(QLatin1StringView("driver")).toString());
    return {};
}

QString OperatorCommands::devicePause(Call &call)
{
    return takeOutOfScheduling(call, DeviceStatus::Paused);
}

QString OperatorCommands::deviceMaintenance(Call &call)
{
    return takeOutOfScheduling(call, DeviceStatus::Maintenance);
}

QString OperatorCommands::takeOutOfScheduling(Call &call, DeviceStatus target)
{
    QString refusal;
    DeviceEntry *d = namedDevice(call, &refusal);
    if (!d) return refusal;
    if (d->leasedBy != 0) {
        // After the current task: nothing new is granted to it meanwhile.
        m_resources.idleErase(*d);
        d->pendingStatus = target;
        call.message =
            tr("%1 will be %2 after task %3").arg(d->state.id, toString(target)).arg(d->leasedBy);
        call.deferEffect();
        return {};
    }
    m_resources.setDeviceStatus(*d, target, kDeviceStatus);
    call.message = tr("%1 is %2").arg(d->state.id, toString(target));
    return {};
}

QString OperatorCommands::deviceResume(Call &call)
{
    QString refusal;
    DeviceEntry *d = namedDevice(call, &refusal);
    if (!d) return refusal;
    if (d->leasedBy != 0) {
        d->pendingStatus.reset();
        m_resources.idleInsert(*d);
        call.message = tr("%1 keeps running task %2").arg(d->state.id).arg(d->leasedBy);
        return {};
    }
    if (d->state.status == DeviceStatus::Idle)
        return tr("device.resume: %1 is not paused").arg(d->state.id);
    if (d->linkDown) {
        if (d->state.status == DeviceStatus::Offline)
            return tr("device.resume: %1 is offline (%2); it comes back by itself when its "
                      "instrument answers again")
                .arg(d->state.id, d->state.message);
        m_resources.setDeviceStatus(*d, DeviceStatus::Offline, kDeviceStatus);
        call.message =
            tr("%1 resumed; it is offline until its instrument answers").arg(d->state.id);
        return {};
    }
    m_resources.setDeviceStatus(*d, DeviceStatus::Idle, kDeviceStatus);
    m_resources.grantWaitingFor(*d);
    call.message = tr("%1 resumed").arg(d->state.id);
    return {};
}

QString OperatorCommands::deviceRemove(Call &call)
{
    QString refusal;
    DeviceEntry *d = namedDevice(call, &refusal);
    if (!d) return refusal;
    const TaskId holder = d->leasedBy;
    m_resources.removeDevice(*d);
    if (holder != 0) {
        call.message =
            tr("%1 will be removed after task %2").arg(call.command.entityId).arg(holder);
        call.deferEffect();
        return {};
    }
    call.message = tr("%1 removed").arg(call.command.entityId);
    return {};
}

QString OperatorCommands::deviceEdit(Call &call)
{
    QString refusal;
    DeviceEntry *d = namedDevice(call, &refusal);
    if (!d) return refusal;
    const QJsonObject &args = call.command.args;
    const QString type = args.contains(QLatin1StringView("type"))
                             ? args.value(QLatin1StringView("type")).toString()
                             : d->state.type;
    if (!validType(type))
        return tr("device.edit: args.type \"%1\" is not a device type")
            .arg(type.left(kMaxNameLength));
    QString why;
    const auto config = driverConfigFrom(d->state.id, type, args, d->config, &why);
    if (!config) return tr("device.edit: %1").arg(why);
    if (type == d->state.type && *config == d->config)
        return tr("device.edit: %1 already runs as %2 with these settings").arg(d->state.id, type);
    const DeviceSpec spec{d->state.id, type, *config};
    m_resources.idleErase(*d);
    if (d->leasedBy != 0) {
        d->pendingSpec = spec;
        call.message =
            tr("%1 takes its new settings after task %2").arg(d->state.id).arg(d->leasedBy);
        call.deferEffect();
        return {};
    }
    const QString error = m_resources.reconfigureDevice(*d, spec);
    m_resources.idleInsert(*d);
    if (!error.isEmpty())
        return tr("device.edit: the driver for %1 could not be created: %2")
            .arg(d->state.id, error);
    m_resources.grantWaitingFor(*d);
    call.message =
        tr("%1 now runs as %2 (driver %3)")
            .arg(d->state.id, type, config->value(QLatin1StringView("driver")).toString());
    return {};
}

QString OperatorCommands::deviceReconnect(Call &call)
{
    QString refusal;
    DeviceEntry *d = namedDevice(call, &refusal);
    if (!d) return refusal;
    if (!m_engine.m_reconnect || !m_engine.m_reconnect(d->state.id))
        return tr("device.reconnect: no driver serves %1").arg(d->state.id);
    call.message = tr("%1 reconnecting").arg(d->state.id);
    return {};
}

QString OperatorCommands::deviceCommand(Call &call)
{
    QString refusal;
    DeviceEntry *d = namedDevice(call, &refusal);
    if (!d) return refusal;
    // A direct command must never meet a task on the same device.
    if (d->leasedBy != 0 ||
        (d->state.status != DeviceStatus::Paused && d->state.status != DeviceStatus::Maintenance))
        return tr("device.command: take %1 out of scheduling first (pause it or put it into "
                  "maintenance)")
            .arg(d->state.id);
    const QJsonObject &args = call.command.args;
    const QString name = args.value(QLatin1StringView("command")).toString();
    if (name.isEmpty()) return tr("device.command: args.command is missing");
    if (!m_engine.m_dispatch) return tr("device.command: no driver serves %1").arg(d->state.id);
    const DeviceCommand direct{-(m_nextDirectCommand++), d->state.id, name,
                               args.value(QLatin1StringView("parameters")).toObject(), 0};
    m_directCommands.insert(direct.id, call.command);
    call.deferReply = true; // the device's answer is the reply
    m_commits.afterCommit([this, direct](bool committed) {
        if (m_engine.m_dying || !m_directCommands.contains(direct.id)) return;
        if (!committed || !m_engine.m_dispatch(direct)) {
            reply(m_directCommands.take(direct.id), false,
                  tr("device.command: %1 was not sent").arg(direct.name));
            return;
        }
        // A device that never answers must not leave the operator waiting forever.
        QTimer::singleShot(kDirectCommandTimeoutMs, &m_engine, [this, direct] {
            if (m_directCommands.contains(direct.id))
                reply(
                    m_directCommands.take(direct.id), false,
                    tr("%1 did not answer %2 within 10 minutes").arg(direct.deviceId, direct.name));
        });
    });
    return {};
}

bool OperatorCommands::answerDirect(const CommandResult &result)
{
    const auto direct = m_directCommands.constFind(result.commandId);
    if (direct == m_directCommands.cend()) return false;
    const OperatorCommand c = m_directCommands.take(result.commandId);
    const QString command = c.args.value(QLatin1StringView("command")).toString();
    reply(c, result.ok,
          result.ok ? tr("%1 on %2 done").arg(command, result.deviceId)
                    : tr("%1 on %2 failed: %3").arg(command, result.deviceId, result.message),
          result.data);
    return true;
}

QString OperatorCommands::positionAdd(Call &call)
{
    const OperatorCommand &c = call.command;
    if (!validPosition(c.entityId))
        return tr("position.add: \"%1\" is not a valid position name (parts of letters, digits, "
                  ". _ - joined by /)")
            .arg(c.entityId);
    if (m_resources.hasPosition(c.entityId))
        return tr("position.add: position %1 already exists").arg(c.entityId);
    const QString device = c.args.value(QLatin1StringView("device")).toString();
    if (!device.isEmpty() && !m_resources.device(device))
        return tr("position.add: args.device names unknown device \"%1\"").arg(device);
    const qsizetype slash = c.entityId.lastIndexOf(QLatin1Char('/'));
    const PositionState p{c.entityId, slash < 0 ? QString() : c.entityId.left(slash), device,
                          false};
    m_resources.addPosition(p);
    call.message = tr("position %1 added").arg(p.name);
    return {};
}

QString OperatorCommands::positionRemove(Call &call)
{
    const QString &name = call.command.entityId;
    const std::optional<TaskId> holder = m_resources.removePosition(name);
    if (!holder) return tr("position.remove: unknown position \"%1\"").arg(name);
    if (*holder != 0) {
        call.message = tr("position %1 will be removed after task %2").arg(name).arg(*holder);
        call.deferEffect();
        return {};
    }
    call.message = tr("position %1 removed").arg(name);
    return {};
}

} // namespace alabos
