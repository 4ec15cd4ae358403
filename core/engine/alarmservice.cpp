#include "core/engine/alarmservice.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/security/signatures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace alabos {

namespace {
qint64 shelfDurationUs(const QString &text)
{
    // The three shelving times of the console: one hour, one shift, one week.
    if (text == QLatin1StringView("1h")) return 3600LL * 1000000;
    if (text == QLatin1StringView("8h")) return 8 * 3600LL * 1000000;
    if (text == QLatin1StringView("7d")) return 7 * 24 * 3600LL * 1000000;
    return 0;
}
} // namespace

AlarmService::AlarmService(QObject *parent) : QObject(parent), m_shelfTimer(this)
{
    qRegisterMetaType<Alarm>();
    m_nextId = nowMicros(); // unique across restarts without a database round trip
    m_shelfTimer.setInterval(5000);
    connect(&m_shelfTimer, &QTimer::timeout, this, &AlarmService::expireShelves);
    m_shelfTimer.start();
}

QList<AlarmRule> AlarmService::loadRules(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = tr("cannot read alarm rules %1").arg(path);
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (!doc.isArray()) {
        if (error)
            *error =
                tr("alarm rules %1: not a JSON array (%2)").arg(path, parseError.errorString());
        return {};
    }
    QList<AlarmRule> rules;
    for (const QJsonValue &v : doc.array()) {
        QString why;
        const auto rule = AlarmRule::fromJson(v.toObject(), &why);
        if (!rule) {
            if (error) *error = tr("alarm rules %1: %2").arg(path, why);
            return {};
        }
        rules.append(*rule);
    }
    return rules;
}

void AlarmService::setRules(const QList<AlarmRule> &rules)
{
    m_rulesByMetric.clear();
    for (const AlarmRule &r : rules)
        m_rulesByMetric[r.metric].append(r);
}

QList<Alarm> AlarmService::openAlarms() const
{
    return m_byKey.values();
}

void AlarmService::publish(Alarm &alarm, const QString &kind, std::function<void()> afterCommit)
{
    ++alarm.revision;
    // Shown at once by a console in this process, whether or not the broker or the database
    // is there to carry it.
    Q_EMIT alarmPublished(alarm);
    ChangeSet changes;
    changes.events.append(Event{0, QStringLiteral("alarm"), QString::number(alarm.id), kind,
                                nowMicros(), alarm.toJson()});
    const quint64 ticket = kTicketBit | m_nextTicket++;
    if (afterCommit) m_awaiting.insert(ticket, std::move(afterCommit));
    Q_EMIT changesReady(ticket, changes);
}

void AlarmService::announceOpen()
{
    for (const Alarm &a : std::as_const(m_byKey))
        Q_EMIT alarmPublished(a);
}

void AlarmService::raise(const QString &key, const QString &source, const QString &deviceId,
                         const QString &metric, AlarmSeverity severity, const QString &message,
                         double value, bool momentary)
{
    auto it = m_byKey.find(key);
    if (it != m_byKey.end()) {
        Alarm &a = *it;
        // Still in alarm: only a worse severity, or a condition that returned, is news.
        const bool worse = int(severity) > int(a.severity);
        const bool returned = !a.conditionActive;
        if (!worse && !returned) return;
        a.severity = std::max(a.severity, severity);
        a.conditionActive = !momentary;
        a.message = message;
        a.value = value;
        if (a.state == AlarmState::Acknowledged && worse)
            a.state = AlarmState::Active; // a worse condition needs a new acknowledgement
        publish(a, eventkind::kAlarmRaised);
        Q_EMIT alarmsChanged(int(m_byKey.size()));
        return;
    }
    Alarm a;
    a.id = m_nextId++;
    a.key = key;
    a.source = source;
    a.deviceId = deviceId;
    a.metric = metric;
    a.severity = severity;
    a.state = AlarmState::Active;
    a.conditionActive = !momentary;
    a.message = message;
    a.value = value;
    a.raisedUs = nowMicros();
    m_keyById.insert(a.id, key);
    auto &stored = m_byKey[key] = a;
    qCInfo(lcEngine).noquote() << "alarm raised:" << toString(severity) << message;
    publish(stored, eventkind::kAlarmRaised);
    Q_EMIT alarmsChanged(int(m_byKey.size()));
}

void AlarmService::conditionCleared(const QString &key)
{
    auto it = m_byKey.find(key);
    if (it == m_byKey.end() || !it->conditionActive) return;
    Alarm &a = *it;
    a.conditionActive = false;
    if (a.state == AlarmState::Acknowledged) {
        a.state = AlarmState::Cleared;
        a.clearedUs = nowMicros();
        publish(a, eventkind::kAlarmCleared);
        m_keyById.remove(a.id);
        m_byKey.erase(it);
    } else {
        // Latched: stays until acknowledged.
        publish(a, eventkind::kAlarmReturned);
    }
    Q_EMIT alarmsChanged(int(m_byKey.size()));
}

void AlarmService::onReading(const QString &deviceId, const QString &metric, double value, qint64)
{
    if (!std::isfinite(value)) // never ends (or starts) a condition; drivers report it as a fault
        return;
    const auto rules = m_rulesByMetric.constFind(metric);
    if (rules == m_rulesByMetric.cend()) return;
    const QString type = m_deviceTypes.value(deviceId);
    for (const AlarmRule &rule : *rules) {
        if (rule.deviceType != type) continue;
        const QString key = QStringLiteral("threshold:%1:%2").arg(deviceId, metric);
        if (const auto hit = rule.evaluate(value)) {
            raise(key, QStringLiteral("threshold"), deviceId, metric, hit->first,
                  tr("%1 %2 is %3 (limit %4)")
                      .arg(deviceId, metric)
                      .arg(value, 0, 'g', 6)
                      .arg(hit->second),
                  value, false);
        } else {
            conditionCleared(key);
        }
    }
}

void AlarmService::onReadings(const QList<TelemetryReading> &readings)
{
    for (const TelemetryReading &r : readings)
        onReading(r.deviceId, r.metric, r.value, r.timeUs);
}

void AlarmService::onDeviceState(const DeviceState &device)
{
    m_deviceTypes.insert(device.id, device.type);
    const QString key = QStringLiteral("device:%1").arg(device.id);
    if (device.status == DeviceStatus::Error)
        raise(key, QStringLiteral("device"), device.id, {}, AlarmSeverity::Alarm,
              tr("%1 reports an error").arg(device.id), 0, false);
    else
        conditionCleared(key);
}

void AlarmService::onTaskState(const TaskState &task)
{
    if (task.status != TaskStatus::Failed) return;
    raise(QStringLiteral("task:%1").arg(task.id), QStringLiteral("task"), task.deviceId, {},
          AlarmSeverity::Warning,
          tr("Task %1 (%2) failed on %3: %4")
              .arg(task.id)
              .arg(task.name, task.deviceId, task.message),
          0, true);
}

void AlarmService::observe(quint64, const ChangeSet &changes)
{
    for (const DeviceState &d : changes.devices)
        onDeviceState(d);
    for (const TaskState &t : changes.tasks)
        onTaskState(t);
}

void AlarmService::onDatabaseState(bool connected, const QString &message)
{
    const QString key = QStringLiteral("database");
    if (!connected) {
        // Committing this alarm needs the database: it is published once it is back, and
        // consoles show the outage in their status bar meanwhile.
        raise(key, QStringLiteral("database"), {}, {}, AlarmSeverity::Critical, message, 0, false);
    } else {
        conditionCleared(key);
    }
}

void AlarmService::onBrokerState(bool healthy, const QString &message)
{
    const QString key = QStringLiteral("broker");
    if (!healthy)
        raise(key, QStringLiteral("broker"), {}, {}, AlarmSeverity::Critical,
              tr("Kafka unreachable: %1").arg(message), 0, false);
    else
        conditionCleared(key);
}

void AlarmService::onDriverHost(const QString &host, bool alive, const QString &message)
{
    const QString key = QStringLiteral("driverhost:") + host;
    if (!alive)
        raise(key, QStringLiteral("driverhost"), {}, {}, AlarmSeverity::Alarm,
              tr("%1: its devices are offline until it answers").arg(message), 0, false);
    else
        conditionCleared(key);
}

void AlarmService::onTelemetryState(bool backPressure, const QString &message)
{
    const QString key = QStringLiteral("telemetry:back-pressure");
    if (backPressure)
        raise(key, QStringLiteral("telemetry"), {}, {}, AlarmSeverity::Warning, message, 0, false);
    else
        conditionCleared(key);
}

void AlarmService::onTelemetryLost(qint64 count, const QString &message)
{
    // Latched until acknowledged; a later loss raises it again with its own message.
    raise(QStringLiteral("telemetry:lost"), QStringLiteral("telemetry"), {}, {},
          AlarmSeverity::Alarm, message, double(count), true);
}

void AlarmService::onEventReduced(EventId id, const QString &message)
{
    // Latched: someone must find out what put such a value in the lab (a form, an import,
    // a driver) even though the stream went on.
    raise(QStringLiteral("relay:reduced"), QStringLiteral("relay"), {}, {}, AlarmSeverity::Warning,
          message, double(id), true);
}

void AlarmService::onDatabaseRestarted(const QString &message)
{
    // Latched: the lab went on, but someone must find out why the server died.
    raise(QStringLiteral("database:restarted"), QStringLiteral("database"), {},
          QStringLiteral("restart"), AlarmSeverity::Warning, message, 0, true);
}

void AlarmService::onDiskSpace(bool low, const QString &message)
{
    const QString key = QStringLiteral("disk:database");
    if (low)
        raise(key, QStringLiteral("database"), {}, QStringLiteral("disk"), AlarmSeverity::Critical,
              message, 0, false);
    else
        conditionCleared(key);
}

void AlarmService::onBrokerRestarted(qint64 lostReadings, const QString &message)
{
    // Latched until acknowledged, like lost telemetry: the lab went on, but someone should
    // find out why the broker died. A later restart raises it again with its own message.
    raise(QStringLiteral("broker:restarted"), QStringLiteral("broker"), {}, {},
          lostReadings > 0 ? AlarmSeverity::Alarm : AlarmSeverity::Warning, message,
          double(lostReadings), true);
}

void AlarmService::onTelemetryFault(const QString &deviceId, const QString &metric,
                                    const QString &message)
{
    // Latched until acknowledged, like a lost reading: the operator must look at the sensor.
    raise(QStringLiteral("fault:%1:%2").arg(deviceId, metric), QStringLiteral("device"), deviceId,
          metric, AlarmSeverity::Warning, message, 0, true);
}

void AlarmService::audit(const OperatorCommand &command, bool ok, const QString &message)
{
    // The same audit trail as the engine's commands: a "command" event with user and host.
    QJsonObject payload = command.toJson();
    payload.insert(QStringLiteral("ok"), ok);
    payload.insert(QStringLiteral("message"), message);
    ChangeSet changes;
    changes.events.append(Event{0, QStringLiteral("command"), command.entityId,
                                ok ? eventkind::kCommandAccepted : eventkind::kCommandRefused,
                                nowMicros(), payload});
    Q_EMIT changesReady(kTicketBit | m_nextTicket++, changes);
}

void AlarmService::handleCommand(const OperatorCommand &command)
{
    auto reply = [&](bool ok, const QString &message) {
        audit(command, ok, message);
        Q_EMIT commandReplied({command.id, ok, message, {}});
    };
    const QString needed = OperatorCommand::requiredPermission(command.kind);
    if (needed.isEmpty() || !command.kind.startsWith(QLatin1StringView("alarm."))) {
        reply(false, tr("unknown alarm command \"%1\"").arg(command.kind));
        return;
    }
    if (!roleAllows(command.role, needed)) {
        reply(false, tr("%1 (%2) may not %3: it needs the %4 permission")
                         .arg(command.user, toString(command.role), command.kind, needed));
        return;
    }
    if (const QString unsigned_ = m_signatures ? m_signatures->check(command) : QString();
        !unsigned_.isEmpty()) {
        // With the policy, as the engine's refusal: a console learns what needs a signature.
        audit(command, false, unsigned_);
        Q_EMIT commandReplied(
            {command.id,
             false,
             unsigned_,
             {{QStringLiteral("signature_policy"), m_signatures->policy().toJson()}}});
        return;
    }
    bool isNumber = false;
    const qint64 id = command.entityId.toLongLong(&isNumber);
    const QString key = m_keyById.value(id);
    if (!isNumber || key.isEmpty()) {
        reply(false, tr("no open alarm with id \"%1\"").arg(command.entityId));
        return;
    }
    Alarm &a = m_byKey[key];
    const qint64 commandId = command.id;
    // The reply shows what was signed, as the audit event does.
    QJsonObject signedData;
    if (!command.signature.isEmpty())
        signedData.insert(QStringLiteral("signature"),
                          SignatureAuthority::shown(command.signature));
    if (command.kind == QLatin1StringView("alarm.ack")) {
        if (a.state == AlarmState::Acknowledged) {
            reply(true, tr("already acknowledged"));
            return;
        }
        a.acknowledgedBy = command.user;
        a.acknowledgedUs = nowMicros();
        QString kind = eventkind::kAlarmAcknowledged;
        if (a.conditionActive) {
            a.state = AlarmState::Acknowledged;
        } else {
            a.state = AlarmState::Cleared; // acknowledged after it returned to normal
            a.clearedUs = a.acknowledgedUs;
            kind = eventkind::kAlarmCleared;
        }
        const QString by = command.user + QLatin1Char('@') + command.host;
        audit(command, true, tr("alarm acknowledged by %1").arg(by));
        publish(a, kind, [this, commandId, by, signedData] {
            Q_EMIT commandReplied(
                {commandId, true, tr("alarm acknowledged by %1").arg(by), signedData});
        });
        if (a.state == AlarmState::Cleared) {
            m_keyById.remove(a.id);
            m_byKey.remove(key);
        }
    } else if (command.kind == QLatin1StringView("alarm.shelve")) {
        const QString duration = command.args.value(QLatin1StringView("duration")).toString();
        const qint64 us = shelfDurationUs(duration);
        if (us == 0) {
            reply(false, tr("shelving needs a duration of 1h, 8h or 7d, not \"%1\"").arg(duration));
            return;
        }
        a.state = AlarmState::Shelved;
        a.shelvedBy = command.user;
        a.shelvedUntilUs = nowMicros() + us;
        audit(command, true, tr("alarm shelved for %1").arg(duration));
        publish(a, eventkind::kAlarmShelved, [this, commandId, duration, signedData] {
            Q_EMIT commandReplied(
                {commandId, true, tr("alarm shelved for %1").arg(duration), signedData});
        });
    } else {
        reply(false, tr("alarm command \"%1\" is not supported").arg(command.kind));
        return;
    }
    Q_EMIT alarmsChanged(int(m_byKey.size()));
}

void AlarmService::expireShelves()
{
    const qint64 now = nowMicros();
    QStringList cleared;
    for (auto it = m_byKey.begin(); it != m_byKey.end(); ++it) {
        Alarm &a = *it;
        if (a.state != AlarmState::Shelved || a.shelvedUntilUs > now) continue;
        a.shelvedUntilUs = 0;
        if (a.conditionActive) {
            a.state = AlarmState::Active; // back, and needs acknowledging
            publish(a, eventkind::kAlarmUnshelved);
        } else {
            a.state = AlarmState::Cleared;
            a.clearedUs = now;
            publish(a, eventkind::kAlarmCleared);
            cleared << it.key();
        }
    }
    for (const QString &key : cleared) {
        m_keyById.remove(m_byKey.value(key).id);
        m_byKey.remove(key);
    }
}

void AlarmService::onCommitted(const QList<quint64> &tickets)
{
    for (quint64 t : tickets)
        if (auto action = m_awaiting.take(t)) action();
}

void AlarmService::onRejected(quint64 ticket, const QString &error)
{
    if (m_awaiting.remove(ticket))
        qCWarning(lcEngine).noquote() << "an alarm change was refused by the database:" << error;
}

} // namespace alabos
