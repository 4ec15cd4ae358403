#include "core/drivers/driverregistry.h"

#include "core/drivers/simulateddevice.h"

#include "core/domain/logging.h"

#include <QJsonDocument>
#include <QSet>

namespace alabos {

namespace {

bool fail(QString *error, const QString &message)
{
    if (error) *error = message;
    return false;
}

// Every kind refuses fields it does not know, so a typo is never silently ignored.
bool onlyKnownFields(const QJsonObject &config, const QString &where, QSet<QString> allowed,
                     QString *error)
{
    allowed << QStringLiteral("id") << QStringLiteral("type") << QStringLiteral("driver");
    for (auto it = config.begin(); it != config.end(); ++it)
        if (!allowed.contains(it.key()))
            return fail(error, QObject::tr("%1: unknown field \"%2\"").arg(where, it.key()));
    return true;
}

std::unique_ptr<DeviceDriver> createSimulated(const QJsonObject &config,
                                              const DriverContext &context, QString *error)
{
    const QString id = config.value(QLatin1StringView("id")).toString();
    const QString where = QObject::tr("device %1").arg(id);
    if (!onlyKnownFields(config, where,
                         {QStringLiteral("acceleration"), QStringLiteral("failures")}, error))
        return nullptr;
    const QString type = config.value(QLatin1StringView("type")).toString();
    if (!SimulatedDevice::knownTypes().contains(type)) {
        fail(error,
             QObject::tr("%1: field \"type\": no simulated device of type \"%2\" (known: %3)")
                 .arg(where, type, SimulatedDevice::knownTypes().join(QStringLiteral(", "))));
        return nullptr;
    }
    double acceleration = context.acceleration;
    if (config.contains(QLatin1StringView("acceleration"))) {
        const QJsonValue a = config.value(QLatin1StringView("acceleration"));
        if (!a.isDouble() || a.toDouble() <= 0 || a.toDouble() > 1e6) {
            fail(error,
                 QObject::tr("%1: field \"acceleration\" must be a number in (0, 1e6]").arg(where));
            return nullptr;
        }
        acceleration = a.toDouble();
    }
    FailureScript script;
    if (config.contains(QLatin1StringView("failures"))) {
        const QJsonValue f = config.value(QLatin1StringView("failures"));
        QString why;
        const auto parsed =
            f.isObject() ? FailureScript::fromJson(f.toObject(), &why) : std::nullopt;
        if (!parsed) {
            fail(error, QObject::tr("%1: field \"failures\": %2")
                            .arg(where, f.isObject() ? why : QObject::tr("must be an object")));
            return nullptr;
        }
        script = *parsed;
    }
    auto device = std::make_unique<SimulatedDevice>(id, type, acceleration);
    device->setFailureScript(script);
    if (!context.stateDirectory.isEmpty()) {
        // A damaged state file costs the device its memory of the last command, never its
        // place in the lab.
        QString why;
        if (!device->setStateDirectory(context.stateDirectory, &why) && !why.isEmpty())
            qCWarning(lcDrivers).noquote() << id << "forgets what it ran:" << why;
    }
    return device;
}

} // namespace

std::unique_ptr<DeviceDriver> createModbusDriver(const QJsonObject &, const DriverContext &,
                                                 QString *);
std::unique_ptr<DeviceDriver> createScpiDriver(const QJsonObject &, const DriverContext &,
                                               QString *);
std::unique_ptr<DeviceDriver> createProcessDriver(const QJsonObject &, const DriverContext &,
                                                  QString *);

namespace {
// The settings a person fills in for a driver kind (the console's generated form); what a
// flat form cannot hold goes into the form's JSON box.
QJsonObject formFromJson(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}
} // namespace

DriverRegistry::DriverRegistry()
{
    add(QStringLiteral("simulated"), createSimulated, formFromJson(R"json({"title": "Simulated device", "fields": [
        {"name": "acceleration", "label": "Acceleration", "type": "number", "min": 0.001, "max": 1000000,
         "description": "Simulated seconds per real second (1: real time)"}]})json"));
    add(QStringLiteral("modbus"), createModbusDriver, formFromJson(R"json({"title": "Modbus TCP", "fields": [
        {"name": "host", "label": "Host", "type": "string", "required": true,
         "pattern": "[A-Za-z0-9.:_-]{1,253}", "pattern_message": "a host name or IP address",
         "description": "The instrument's host name or IP address"},
        {"name": "port", "label": "Port", "type": "integer", "min": 1, "max": 65535, "default": 502,
         "description": "Modbus TCP port (502 unless the instrument says otherwise)"},
        {"name": "poll_ms", "label": "Telemetry period", "type": "integer", "unit": "ms", "min": 100, "max": 3600000,
         "description": "How often the telemetry registers are read (overrides the register map's)"},
        {"name": "register_map_file", "label": "Register map file", "type": "string",
         "description": "A register map JSON file (or give the map inline as register_map below)"}]})json"));
    add(QStringLiteral("scpi"), createScpiDriver, formFromJson(R"json({"title": "SCPI over TCP", "fields": [
        {"name": "host", "label": "Host", "type": "string", "required": true,
         "pattern": "[A-Za-z0-9.:_-]{1,253}", "pattern_message": "a host name or IP address",
         "description": "The instrument's host name or IP address"},
        {"name": "port", "label": "Port", "type": "integer", "min": 1, "max": 65535, "default": 5025,
         "description": "Raw SCPI socket port (5025 on most instruments)"},
        {"name": "timeout_ms", "label": "Reply timeout", "type": "integer", "unit": "ms", "min": 10, "max": 600000,
         "default": 2000, "description": "How long a reply may take before the link is reset"},
        {"name": "abort", "label": "Abort command", "type": "string",
         "description": "Sent when a command is cancelled, e.g. ABOR"}]})json"));
    add(QStringLiteral("process"), createProcessDriver, formFromJson(R"json({"title": "Driver program", "fields": [
        {"name": "program", "label": "Program", "type": "string", "required": true,
         "description": "The driver program (a path, or a command on PATH); it speaks JSON lines (docs/driver-protocol.md)"},
        {"name": "working_directory", "label": "Working folder", "type": "string",
         "description": "Where the program runs (default: its own folder)"},
        {"name": "timeout_ms", "label": "Answer timeout", "type": "integer", "unit": "ms", "min": 100, "max": 600000,
         "default": 5000, "description": "How long the program may take to answer a ping"},
        {"name": "start_timeout_ms", "label": "Start timeout", "type": "integer", "unit": "ms", "min": 100, "max": 600000,
         "default": 10000, "description": "How long the program may take to describe itself"},
        {"name": "max_telemetry_per_s", "label": "Telemetry limit", "type": "integer", "unit": "1/s", "min": 1, "max": 100000,
         "default": 1000, "description": "Readings a second beyond this are dropped and counted"}]})json"));
}

DriverRegistry &DriverRegistry::instance()
{
    static DriverRegistry registry;
    return registry;
}

void DriverRegistry::add(const QString &kind, Factory factory, QJsonObject settingsForm)
{
    m_kinds.append({kind, std::move(factory), std::move(settingsForm)});
}

QStringList DriverRegistry::kinds() const
{
    QStringList out;
    for (const auto &k : m_kinds)
        out << k.name;
    return out;
}

QJsonObject DriverRegistry::settingsForm(const QString &kind) const
{
    for (const auto &k : m_kinds)
        if (k.name == kind) return k.settingsForm;
    return {};
}

QString DriverRegistry::check(const QJsonObject &config, const DriverContext &context) const
{
    QString error;
    const auto driver = create(config, context, &error);
    return driver ? QString() : error;
}

std::unique_ptr<DeviceDriver> DriverRegistry::create(const QJsonObject &config,
                                                     const DriverContext &context,
                                                     QString *error) const
{
    const QJsonValue id = config.value(QLatin1StringView("id"));
    if (!id.isString() || id.toString().trimmed().isEmpty()) {
        fail(error, QObject::tr("device config: field \"id\" must be a non-empty string"));
        return nullptr;
    }
    const QString where = QObject::tr("device %1").arg(id.toString());
    const QJsonValue type = config.value(QLatin1StringView("type"));
    if (!type.isString() || type.toString().trimmed().isEmpty()) {
        fail(error, QObject::tr("%1: field \"type\" must be a non-empty string").arg(where));
        return nullptr;
    }
    const QJsonValue kind = config.value(QLatin1StringView("driver"));
    for (const auto &k : m_kinds)
        if (kind.isString() && k.name == kind.toString()) return k.factory(config, context, error);
    fail(error, QObject::tr("%1: field \"driver\" must be one of %2 (got %3)")
                    .arg(where, kinds().join(QStringLiteral(", ")),
                         kind.isString() ? QStringLiteral("\"%1\"").arg(kind.toString())
                                         : QObject::tr("no string")));
    return nullptr;
}

} // namespace alabos
