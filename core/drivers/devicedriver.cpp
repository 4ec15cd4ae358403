#include "core/drivers/devicedriver.h"

#include "core/domain/logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTimerEvent>
#include <cmath>

namespace alabos {

void registerDriverMetaTypes()
{
    qRegisterMetaType<DeviceCommand>();
    qRegisterMetaType<CommandResult>();
    qRegisterMetaType<DriverStatus>();
    qRegisterMetaType<DeviceStateReport>();
    qRegisterMetaType<TelemetryReading>();
    qRegisterMetaType<QList<TelemetryReading>>();
}

QString toString(DriverStatus status)
{
    switch (status) {
    case DriverStatus::Offline:
        return QStringLiteral("offline");
    case DriverStatus::Connecting:
        return QStringLiteral("connecting");
    case DriverStatus::Idle:
        return QStringLiteral("idle");
    case DriverStatus::Busy:
        return QStringLiteral("busy");
    }
    return {};
}

QJsonObject ParameterDescription::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name}, {QStringLiteral("type"), type}};
    if (!unit.isEmpty()) o.insert(QStringLiteral("unit"), unit);
    if (min) o.insert(QStringLiteral("min"), *min);
    if (max) o.insert(QStringLiteral("max"), *max);
    if (!defaultValue.isUndefined()) o.insert(QStringLiteral("default"), defaultValue);
    if (!description.isEmpty()) o.insert(QStringLiteral("description"), description);
    return o;
}

QJsonArray CommandDescription::parametersJson() const
{
    QJsonArray params;
    for (const ParameterDescription &p : parameters)
        params.append(p.toJson());
    return params;
}

QJsonObject CommandDescription::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("description"), description},
            {QStringLiteral("parameters"), parametersJson()}};
}

std::optional<CommandDescription> commandDescriptionFromJson(const QJsonValue &value,
                                                             const QString &where, QString *error)
{
    auto refuse = [&](const QString &field, const QString &why) {
        *error = QStringLiteral("%1.%2: %3").arg(where, field, why);
        return std::nullopt;
    };
    if (!value.isObject()) {
        *error = QObject::tr("%1: must be an object").arg(where);
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    CommandDescription c;
    c.name = o.value(QLatin1StringView("name")).toString();
    if (c.name.isEmpty() || c.name.size() > 64)
        return refuse(QStringLiteral("name"), QObject::tr("must be a name of 1 to 64 characters"));
    c.description = o.value(QLatin1StringView("description")).toString().left(500);
    const QJsonValue params = o.value(QLatin1StringView("parameters"));
    if (!params.isUndefined() && !params.isArray())
        return refuse(QStringLiteral("parameters"), QObject::tr("must be an array"));
    const QJsonArray list = params.toArray();
    for (int i = 0; i < list.size(); ++i) {
        const QString pw = QStringLiteral("parameters[%1]").arg(i);
        const QJsonObject p = list.at(i).toObject();
        ParameterDescription d;
        d.name = p.value(QLatin1StringView("name")).toString();
        if (d.name.isEmpty() || d.name.size() > 64)
            return refuse(pw + QStringLiteral(".name"), QObject::tr("must be a name"));
        d.type = p.value(QLatin1StringView("type")).toString(QStringLiteral("number"));
        if (!QStringList{QStringLiteral("number"), QStringLiteral("integer"),
                         QStringLiteral("string"), QStringLiteral("bool")}
                 .contains(d.type))
            return refuse(pw + QStringLiteral(".type"),
                          QObject::tr("must be number, integer, string or bool"));
        d.unit = p.value(QLatin1StringView("unit")).toString().left(32);
        for (const char *k : {"min", "max"}) {
            const QJsonValue v = p.value(QLatin1StringView(k));
            if (v.isUndefined()) continue;
            if (!v.isDouble() || !std::isfinite(v.toDouble()))
                return refuse(pw + QLatin1Char('.') + QLatin1StringView(k),
                              QObject::tr("must be a number"));
            (k[1] == 'i' ? d.min : d.max) = v.toDouble();
        }
        d.defaultValue = p.value(QLatin1StringView("default"));
        d.description = p.value(QLatin1StringView("description")).toString().left(500);
        c.parameters.append(d);
    }
    return c;
}

std::optional<QJsonObject> validateParameters(const CommandDescription &description,
                                              const QJsonObject &parameters, QString *error)
{
    auto refuse = [&](const QString &why) {
        if (error) *error = QObject::tr("%1: %2").arg(description.name, why);
        return std::nullopt;
    };
    QJsonObject out;
    for (const ParameterDescription &p : description.parameters) {
        QJsonValue v = parameters.value(p.name);
        if (v.isUndefined() || v.isNull()) {
            if (p.defaultValue.isUndefined())
                return refuse(QObject::tr("parameter \"%1\" is required").arg(p.name));
            out.insert(p.name, p.defaultValue);
            continue;
        }
        if (p.type == QLatin1StringView("number") || p.type == QLatin1StringView("integer")) {
            if (!v.isDouble() || !std::isfinite(v.toDouble()))
                return refuse(QObject::tr("parameter \"%1\" must be a number").arg(p.name));
            const double x = v.toDouble();
            if (p.type == QLatin1StringView("integer") && x != std::floor(x))
                return refuse(
                    QObject::tr("parameter \"%1\" must be an integer (got %2)").arg(p.name).arg(x));
            if ((p.min && x < *p.min) || (p.max && x > *p.max))
                return refuse(QObject::tr("parameter \"%1\" = %2 %3 is out of range [%4, %5]")
                                  .arg(p.name)
                                  .arg(x)
                                  .arg(p.unit)
                                  .arg(p.min ? QString::number(*p.min) : QStringLiteral("-inf"),
                                       p.max ? QString::number(*p.max) : QStringLiteral("inf")));
        } else if (p.type == QLatin1StringView("string")) {
            if (!v.isString())
                return refuse(QObject::tr("parameter \"%1\" must be a string").arg(p.name));
        } else if (p.type == QLatin1StringView("bool")) {
            if (!v.isBool())
                return refuse(QObject::tr("parameter \"%1\" must be true or false").arg(p.name));
        }
        out.insert(p.name, v);
    }
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
        if (out.contains(it.key())) continue;
        // The engine's own bookkeeping travels with the parameters; ignore it.
        if (it.key() == QLatin1StringView("command") || it.key() == QLatin1StringView("duration_s"))
            continue;
        return refuse(QObject::tr("unknown parameter \"%1\"").arg(it.key()));
    }
    return out;
}

int ReconnectPolicy::delayMs(int attempt) const
{
    const double base = initialMs * std::pow(factor, qMax(0, attempt - 1));
    const double capped = qMin(base, double(maxMs));
    const double spread = 1.0 + jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    return qMax(1, int(capped * spread));
}

DeviceDriver::DeviceDriver(QString id, QString type, QObject *parent)
    : QObject(parent), m_id(std::move(id)), m_type(std::move(type))
{
}

QJsonArray DeviceDriver::describeJson() const
{
    QJsonArray out;
    for (const CommandDescription &c : describe())
        out.append(c.toJson());
    return out;
}

void DeviceDriver::sampleTelemetry(qint64, QList<TelemetryReading> &) {}

void DeviceDriver::emitTelemetry(const QString &metric, double value, qint64 timeUs,
                                 QList<TelemetryReading> &out)
{
    out.append({m_id, metric, value, timeUs});
    Q_EMIT telemetry(m_id, metric, value, timeUs);
}

void DeviceDriver::publishReading(const QString &metric, double value, qint64 timeUs)
{
    if (!std::isfinite(value)) {
        reportTelemetryFault(
            metric, tr("%1: %2 reading is not a number (%3)").arg(m_id, metric).arg(value));
        return;
    }
    Q_EMIT telemetry(m_id, metric, value, timeUs);
    if (m_collector) m_collector->collect({m_id, metric, value, timeUs});
}

void DeviceDriver::reportTelemetryFault(const QString &metric, const QString &message)
{
    ++m_nonFinite;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_nonFiniteLoggedMs < 60000) return; // a faulty sensor must not flood anything
    m_nonFiniteLoggedMs = now;
    qCWarning(lcDrivers).noquote() << message << "(reading dropped;" << m_nonFinite << "so far)";
    Q_EMIT telemetryFault(m_id, metric, message);
}

void DeviceDriver::setStatus(DriverStatus status)
{
    if (status == m_status) return;
    m_status = status;
    Q_EMIT statusChanged(m_id, status);
}

void DeviceDriver::connectDevice()
{
    m_wanted = true;
    if (m_status != DriverStatus::Offline) return; // connected or on its way
    m_reconnect.stop();
    setStatus(DriverStatus::Connecting);
    openConnection();
}

void DeviceDriver::disconnectDevice()
{
    m_wanted = false;
    m_reconnect.stop();
    m_attempt = 0;
    if (m_running) {
        const qint64 running = m_running;
        abortCommand(running);
        finishCommand({running, m_id, false, true, false, tr("%1: disconnected").arg(m_id), {}});
    }
    const bool was = isConnected() || m_status == DriverStatus::Connecting;
    closeConnection();
    setStatus(DriverStatus::Offline);
    if (was) Q_EMIT connectionChanged(m_id, false, tr("%1: disconnected").arg(m_id));
}

void DeviceDriver::connectionEstablished(const QString &message)
{
    if (m_status != DriverStatus::Connecting) return;
    m_attempt = 0;
    setStatus(m_running ? DriverStatus::Busy : DriverStatus::Idle);
    qCDebug(lcDrivers).noquote() << m_id << "connected" << message;
    Q_EMIT connectionChanged(m_id, true, message);
}

void DeviceDriver::connectionFailed(const QString &message)
{
    if (m_status != DriverStatus::Connecting) return;
    closeConnection();
    setStatus(DriverStatus::Offline);
    Q_EMIT connectionChanged(m_id, false, message);
    scheduleReconnect(message);
}

void DeviceDriver::connectionLost(const QString &message)
{
    if (!isConnected()) return connectionFailed(message);
    if (m_running) {
        const qint64 running = m_running;
        abortCommand(running);
        finishCommand({running, m_id, false, true, false, message, {}});
    }
    closeConnection();
    setStatus(DriverStatus::Offline);
    qCWarning(lcDrivers).noquote() << m_id << "connection lost:" << message;
    Q_EMIT connectionChanged(m_id, false, message);
    scheduleReconnect(message);
}

void DeviceDriver::suspendConnection(const QString &message)
{
    const bool was = isConnected();
    closeConnection();
    setStatus(DriverStatus::Connecting);
    if (!was) return;
    qCWarning(lcDrivers).noquote() << m_id << "link suspended:" << message;
    Q_EMIT connectionChanged(m_id, false, message);
}

void DeviceDriver::adoptRunningCommand(qint64 commandId)
{
    if (commandId == 0 || m_running == commandId) return;
    m_running = commandId;
    if (isConnected()) setStatus(DriverStatus::Busy);
}

void DeviceDriver::scheduleReconnect(const QString &why)
{
    if (!m_wanted) return;
    ++m_attempt;
    const int delay = m_policy.delayMs(m_attempt);
    qCDebug(lcDrivers).noquote() << m_id << "reconnect attempt" << m_attempt << "in" << delay
                                 << "ms:" << why;
    Q_EMIT reconnectScheduled(m_id, m_attempt, delay);
    m_reconnect.start(delay, this);
}

void DeviceDriver::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_reconnect.timerId()) return QObject::timerEvent(event);
    m_reconnect.stop();
    if (!m_wanted || m_status != DriverStatus::Offline) return;
    setStatus(DriverStatus::Connecting);
    openConnection();
}

void DeviceDriver::fail(const DeviceCommand &command, bool transient, const QString &message)
{
    Q_EMIT commandFinished({command.id, m_id, false, transient, false, message, {}});
}

void DeviceDriver::execute(const DeviceCommand &command)
{
    if (!isConnected()) return fail(command, true, tr("%1: not connected").arg(m_id));
    if (m_running)
        return fail(command, true, tr("%1: busy with command %2").arg(m_id).arg(m_running));
    const QList<CommandDescription> commands = describe();
    const auto it =
        std::find_if(commands.cbegin(), commands.cend(),
                     [&](const CommandDescription &d) { return d.name == command.name; });
    if (it == commands.cend())
        return fail(command, false,
                    tr("%1 (%2) has no command \"%3\"").arg(m_id, m_type, command.name));
    QString why;
    const auto parameters = validateParameters(*it, command.parameters, &why);
    if (!parameters) return fail(command, false, tr("%1: %2").arg(m_id, why));
    DeviceCommand checked = command;
    checked.parameters = *parameters;
    // The engine's expected duration is honoured by simulated devices even where undescribed.
    if (!checked.parameters.contains(QLatin1StringView("duration_s")) &&
        command.parameters.value(QLatin1StringView("duration_s")).isDouble())
        checked.parameters.insert(QStringLiteral("duration_s"),
                                  command.parameters.value(QLatin1StringView("duration_s")));
    m_running = command.id;
    setStatus(DriverStatus::Busy);
    rememberState();
    startCommand(checked);
}

void DeviceDriver::finishCommand(CommandResult result)
{
    if (!m_running || result.commandId != m_running)
        return; // a late answer for a command already ended (cancelled, lost): drop it
    result.deviceId = m_id;
    m_running = 0;
    m_last = result;
    m_interrupted = 0;
    if (m_status == DriverStatus::Busy) setStatus(DriverStatus::Idle);
    rememberState();
    Q_EMIT commandFinished(result);
}

void DeviceDriver::cancel(qint64 commandId)
{
    if (!m_running || m_running != commandId)
        return; // not running here (finished already): its one answer was sent
    abortCommand(commandId);
    finishCommand({commandId, m_id, false, false, true, tr("cancelled"), {}});
}

void DeviceDriver::restoreMemory(const CommandResult &last, qint64 interrupted)
{
    m_last = last;
    m_interrupted = interrupted;
}

DeviceStateReport DeviceDriver::stateReport() const
{
    DeviceStateReport r;
    r.deviceId = m_id;
    r.status = m_status;
    r.runningCommandId = m_running;
    r.lastFinishedCommandId = m_last.commandId;
    r.lastResult = m_last;
    r.interruptedCommandId = m_interrupted;
    completeReport(r);
    return r;
}

void DeviceDriver::queryState()
{
    Q_EMIT stateReported(stateReport());
}

} // namespace alabos
