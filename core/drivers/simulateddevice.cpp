#include "core/drivers/simulateddevice.h"

#include "core/domain/logging.h"

#include <QRandomGenerator>
#include <QTimer>

namespace alabos {

namespace {
struct TypeInfo
{
    const char *type;
    const char *command;
    double durationS;
    const char *description;
};
// A materials-synthesis lab: dose powders, weigh, move, fire, grind, measure.
constexpr TypeInfo kTypes[] = {
    {"dosing_station", "dose", 40, "Dispense precursor powders into a crucible"},
    {"balance", "weigh", 15, "Weigh the crucible"},
    {"robot_arm", "transfer", 20, "Move a sample between positions"},
    {"box_furnace", "heat", 240, "Run a temperature profile"},
    {"grinder", "grind", 60, "Grind the fired sample"},
    {"xrd", "measure", 120, "Record an X-ray diffraction pattern"},
    {"liquid_handler", "pipette", 30, "Aspirate and dispense liquids"},
};

const TypeInfo *infoFor(const QString &type)
{
    for (const TypeInfo &info : kTypes)
        if (type == QLatin1StringView(info.type))
            return &info;
    return nullptr;
}
} // namespace

void registerDriverMetaTypes()
{
    qRegisterMetaType<DeviceCommand>();
    qRegisterMetaType<CommandResult>();
}

SimulatedDevice::SimulatedDevice(QString id, QString type, double acceleration, QObject *parent)
    : DeviceDriver(std::move(id), std::move(type), parent), m_acceleration(qMax(acceleration, 1e-3))
{
}

QStringList SimulatedDevice::knownTypes()
{
    QStringList out;
    for (const TypeInfo &info : kTypes)
        out << QLatin1StringView(info.type);
    return out;
}

double SimulatedDevice::defaultDurationSeconds(const QString &type)
{
    const TypeInfo *info = infoFor(type);
    return info ? info->durationS : 10;
}

QList<CommandDescription> SimulatedDevice::describe() const
{
    const TypeInfo *info = infoFor(type());
    QList<CommandDescription> out;
    const QJsonArray duration{QJsonObject{{QStringLiteral("name"), QStringLiteral("duration_s")},
                                          {QStringLiteral("type"), QStringLiteral("number")},
                                          {QStringLiteral("unit"), QStringLiteral("s")},
                                          {QStringLiteral("min"), 0},
                                          {QStringLiteral("max"), 86400},
                                          {QStringLiteral("default"),
                                           info ? info->durationS : 10.0}}};
    if (info)
        out.append({QLatin1StringView(info->command), QLatin1StringView(info->description),
                    duration});
    out.append({QStringLiteral("status"), QStringLiteral("Report the device's state"), {}});
    return out;
}

void SimulatedDevice::connectDevice()
{
    m_connected = !m_script.communicationLost;
    Q_EMIT connectionChanged(id(), m_connected,
                             m_connected ? QString() : tr("no answer from %1").arg(id()));
}

void SimulatedDevice::disconnectDevice()
{
    m_connected = false;
    for (auto it = m_running.begin(); it != m_running.end(); ++it)
        delete it.value();
    m_running.clear();
    Q_EMIT connectionChanged(id(), false, tr("disconnected"));
}

void SimulatedDevice::finish(qint64 commandId, CommandResult result)
{
    if (QTimer *timer = m_running.take(commandId))
        timer->deleteLater();
    result.commandId = commandId;
    result.deviceId = id();
    Q_EMIT commandFinished(result);
}

void SimulatedDevice::execute(const DeviceCommand &command)
{
    const int n = ++m_commandCount;
    if (m_script.communicationLost || !m_connected) {
        finish(command.id, {0, {}, false, true, false, tr("%1: communication lost").arg(id()), {}});
        return;
    }
    const QList<CommandDescription> commands = describe();
    const bool known = std::any_of(commands.cbegin(), commands.cend(),
                                   [&](const CommandDescription &d) { return d.name == command.name; });
    if (!known) {
        finish(command.id, {0, {}, false, false, false,
                            tr("%1 (%2) has no command \"%3\"").arg(id(), type(), command.name), {}});
        return;
    }
    if (n == m_script.neverAnswerOnNth)
        return; // accepted and never answered: the engine's timeout must catch it
    const double seconds = command.parameters.value(QLatin1StringView("duration_s"))
                               .toDouble(defaultDurationSeconds(type()));
    // +-10% jitter, so a fleet of identical devices does not move in lockstep.
    const double jitter = 0.9 + 0.2 * QRandomGenerator::global()->generateDouble();
    const int ms = int(seconds * 1000.0 * m_script.slowFactor * jitter / m_acceleration);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    m_running.insert(command.id, timer);
    const qint64 commandId = command.id;
    connect(timer, &QTimer::timeout, this, [this, commandId, n] {
        if (n == m_script.failOnNth) {
            finish(commandId, {0, {}, false, m_script.failTransient, false,
                               tr("%1: simulated failure of command %2").arg(id()).arg(n), {}});
            return;
        }
        if (n == m_script.wrongReplyOnNth) {
            finish(commandId, {0, {}, false, true, false,
                               tr("%1: unparseable reply \"#?ERR\"").arg(id()), {}});
            return;
        }
        finish(commandId, {0, {}, true, false, false, {}, {}});
    });
    timer->start(ms);
}

void SimulatedDevice::cancel(qint64 commandId)
{
    if (!m_running.contains(commandId))
        return;
    finish(commandId, {0, {}, false, false, true, tr("cancelled"), {}});
}

} // namespace alabos
