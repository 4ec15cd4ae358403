#include "core/drivers/modbusdriver.h"

#include "core/domain/logging.h"
#include "core/drivers/driverregistry.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QModbusReply>
#include <QModbusTcpClient>
#include <QRegularExpression>

namespace alabos {

namespace {
QModbusDataUnit::RegisterType registerType(ModbusRegister::Table table)
{
    switch (table) {
    case ModbusRegister::Table::Coil:
        return QModbusDataUnit::Coils;
    case ModbusRegister::Table::DiscreteInput:
        return QModbusDataUnit::DiscreteInputs;
    case ModbusRegister::Table::InputRegister:
        return QModbusDataUnit::InputRegisters;
    case ModbusRegister::Table::HoldingRegister:
        return QModbusDataUnit::HoldingRegisters;
    }
    return QModbusDataUnit::Invalid;
}

constexpr int kSilentPollsBeforeLoss = 3;
} // namespace

ModbusDriver::ModbusDriver(QString id, QString type, QString host, quint16 port,
                           ModbusRegisterMap map, QObject *parent)
    : DeviceDriver(std::move(id), std::move(type), parent), m_host(std::move(host)), m_port(port),
      m_map(std::move(map)), m_pollTimer(this), m_completionTimer(this)
{
    m_pollTimer.setInterval(m_map.pollMs);
    m_completionTimer.setInterval(m_map.pollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &ModbusDriver::poll);
    connect(&m_completionTimer, &QTimer::timeout, this, &ModbusDriver::checkCompletion);
}

ModbusDriver::~ModbusDriver()
{
    closeConnection();
}

QList<CommandDescription> ModbusDriver::describe() const
{
    QList<CommandDescription> out;
    for (const ModbusCommand &c : m_map.commands)
        out.append(c.description);
    return out;
}

void ModbusDriver::openConnection()
{
    m_client = new QModbusTcpClient(this);
    m_client->setConnectionParameter(QModbusDevice::NetworkAddressParameter, m_host);
    m_client->setConnectionParameter(QModbusDevice::NetworkPortParameter, m_port);
    m_client->setTimeout(m_map.timeoutMs);
    m_client->setNumberOfRetries(0);
    connect(m_client, &QModbusDevice::stateChanged, this, [this](QModbusDevice::State state) {
        if (state == QModbusDevice::ConnectedState) {
            m_silentPolls = 0;
            m_pollTimer.start();
            connectionEstablished(tr("%1: Modbus TCP %2:%3").arg(id(), m_host).arg(m_port));
            poll();
        } else if (state == QModbusDevice::UnconnectedState) {
            const QString why =
                tr("%1: Modbus TCP %2:%3: %4")
                    .arg(id(), m_host)
                    .arg(m_port)
                    .arg(m_client && !m_client->errorString().isEmpty() ? m_client->errorString()
                                                                        : tr("connection closed"));
            if (isConnected())
                connectionLost(why);
            else
                connectionFailed(why);
        }
    });
    if (!m_client->connectDevice())
        connectionFailed(tr("%1: %2").arg(id(), m_client->errorString()));
}

void ModbusDriver::closeConnection()
{
    m_pollTimer.stop();
    m_completionTimer.stop();
    m_pollsInFlight = 0;
    if (!m_client) return;
    // Called from the client's own signal too: detach first, delete later.
    disconnect(m_client, nullptr, this, nullptr);
    m_client->disconnectDevice();
    m_client->deleteLater();
    m_client = nullptr;
}

void ModbusDriver::requestFailed(QModbusReply *reply, bool forCommand)
{
    const bool silent = reply->error() == QModbusDevice::TimeoutError;
    if (forCommand && runningCommandId()) {
        // A Modbus exception is the device refusing: retrying will not help. Silence may pass.
        finishCommand({m_command.id,
                       id(),
                       false,
                       silent,
                       false,
                       tr("%1: %2 failed: %3").arg(id(), m_command.name, reply->errorString()),
                       {}});
        ++m_generation;
        m_completionTimer.stop();
    }
    if (silent && ++m_silentPolls >= kSilentPollsBeforeLoss)
        connectionLost(tr("%1: no answer to %2 requests in a row").arg(id()).arg(m_silentPolls));
}

void ModbusDriver::read(const ModbusRegister &reg, std::function<void(double)> onValue)
{
    if (!m_client) return;
    QModbusReply *reply = m_client->sendReadRequest(
        QModbusDataUnit(registerType(reg.table), reg.address, quint16(reg.words())), m_map.unitId);
    if (!reply) return;
    const ModbusRegister *r = &reg;
    QModbusTcpClient *client = m_client;
    auto handle = [this, reply, r, onValue, client] {
        reply->deleteLater();
        if (client != m_client) return; // a reply from a closed link
        if (reply->error() != QModbusDevice::NoError) {
            onValue(qQNaN());
            return;
        }
        m_silentPolls = 0;
        onValue(r->decode(reply->result().values()));
    };
    if (reply->isFinished())
        handle();
    else
        connect(reply, &QModbusReply::finished, this, handle);
}

void ModbusDriver::poll()
{
    if (!m_client || m_pollsInFlight > 0)
        return; // the previous round has not come back: do not pile up requests
    if (telemetryThrottled()) return; // the consumer is behind: no reading would be kept
    for (const ModbusRegister &reg : std::as_const(m_map.registers)) {
        if (!reg.telemetry) continue;
        ++m_pollsInFlight;
        QModbusTcpClient *client = m_client;
        QModbusReply *reply = m_client->sendReadRequest(
            QModbusDataUnit(registerType(reg.table), reg.address, quint16(reg.words())),
            m_map.unitId);
        if (!reply) {
            --m_pollsInFlight;
            continue;
        }
        const ModbusRegister *r = &reg;
        connect(reply, &QModbusReply::finished, this, [this, reply, r, client] {
            reply->deleteLater();
            if (client != m_client) return;
            --m_pollsInFlight;
            if (reply->error() != QModbusDevice::NoError) {
                qCDebug(lcDrivers).noquote()
                    << id() << "poll of" << r->name << "failed:" << reply->errorString();
                requestFailed(reply, false);
                return;
            }
            m_silentPolls = 0;
            publishReading(r->name, r->decode(reply->result().values()),
                           QDateTime::currentMSecsSinceEpoch() * 1000);
        });
    }
}

bool ModbusDriver::send(const PendingWrite &write, std::function<void()> onDone)
{
    QModbusDataUnit unit(registerType(write.reg->table), write.reg->address,
                         quint16(write.words.size()));
    unit.setValues(write.words);
    QModbusReply *reply = m_client ? m_client->sendWriteRequest(unit, m_map.unitId) : nullptr;
    if (!reply) return false;
    const quint64 generation = m_generation;
    connect(reply, &QModbusReply::finished, this, [this, reply, onDone, generation] {
        reply->deleteLater();
        if (generation != m_generation)
            return; // the command ended meanwhile (cancelled, link lost)
        if (reply->error() != QModbusDevice::NoError) {
            requestFailed(reply, true);
            return;
        }
        m_silentPolls = 0;
        onDone();
    });
    return true;
}

void ModbusDriver::startCommand(const DeviceCommand &command)
{
    m_command = command;
    m_spec = m_map.command(command.name);
    m_writes.clear();
    ++m_generation;
    // Encode every write first: a value that does not fit fails the command before any I/O.
    for (const ModbusWrite &w : std::as_const(m_spec->writes)) {
        const ModbusRegister *reg = m_map.find(w.registerName);
        const auto value = resolveValue(w.value, command.parameters);
        QString why = tr("no value for register \"%1\"").arg(w.registerName);
        const auto words = value ? reg->encode(*value, &why) : std::nullopt;
        if (!words) {
            finishCommand({command.id, id(), false, false, false, tr("%1: %2").arg(id(), why), {}});
            return;
        }
        m_writes.append({reg, *words});
    }
    if (m_spec->completeWhen) {
        const auto target = resolveValue(m_spec->completeWhen->value, command.parameters);
        if (!target) {
            finishCommand({command.id,
                           id(),
                           false,
                           false,
                           false,
                           tr("%1: no value for the completion condition").arg(id()),
                           {}});
            return;
        }
        m_target = *target;
    }
    writeNext();
}

void ModbusDriver::writeNext()
{
    if (m_writes.isEmpty()) {
        if (!m_spec->completeWhen) {
            finishCommand({m_command.id, id(), true, false, false, {}, {}});
            ++m_generation;
            return;
        }
        m_deadlineMs = QDateTime::currentMSecsSinceEpoch() + m_spec->completeWhen->timeoutMs;
        m_completionTimer.start();
        checkCompletion();
        return;
    }
    const PendingWrite next = m_writes.takeFirst();
    if (!send(next, [this] { writeNext(); }))
        connectionLost(tr("%1: cannot send a Modbus request").arg(id()));
}

void ModbusDriver::checkCompletion()
{
    if (!runningCommandId() || !m_spec || !m_spec->completeWhen) return m_completionTimer.stop();
    const ModbusCompletion &c = *m_spec->completeWhen;
    const ModbusRegister *reg = m_map.find(c.registerName);
    const quint64 generation = m_generation;
    read(*reg, [this, generation, reg](double value) {
        if (generation != m_generation || !runningCommandId()) return;
        const ModbusCompletion &c = *m_spec->completeWhen;
        // Scaled values compare to half a raw step, so 0.1-unit registers match "400.0".
        const double tolerance =
            reg->format == ModbusRegister::Format::Bool ? 0.0 : qAbs(reg->scale) / 2;
        const bool met =
            !qIsNaN(value) &&
            ((c.op == QLatin1StringView("equals") && qAbs(value - m_target) <= tolerance) ||
             (c.op == QLatin1StringView("at_least") && value >= m_target - tolerance) ||
             (c.op == QLatin1StringView("at_most") && value <= m_target + tolerance));
        if (met) {
            m_completionTimer.stop();
            ++m_generation;
            finishCommand({m_command.id, id(), true, false, false, {}, {{c.registerName, value}}});
        } else if (QDateTime::currentMSecsSinceEpoch() > m_deadlineMs) {
            m_completionTimer.stop();
            ++m_generation;
            finishCommand({m_command.id,
                           id(),
                           false,
                           true,
                           false,
                           tr("%1: %2 did not reach %3 %4 within %5 ms (last %6)")
                               .arg(id(), c.registerName, c.op)
                               .arg(m_target)
                               .arg(c.timeoutMs)
                               .arg(value),
                           {}});
        }
    });
}

void ModbusDriver::abortCommand(qint64)
{
    ++m_generation;
    m_completionTimer.stop();
    m_writes.clear();
    if (!m_spec || !m_client) return;
    // Stop the device: the cancellation writes go out without waiting for their answers.
    for (const ModbusWrite &w : std::as_const(m_spec->onCancel)) {
        const ModbusRegister *reg = m_map.find(w.registerName);
        const auto value = resolveValue(w.value, m_command.parameters);
        if (const auto words = value ? reg->encode(*value, nullptr) : std::nullopt)
            send({reg, *words}, [] {});
    }
}

std::unique_ptr<DeviceDriver> createModbusDriver(const QJsonObject &config,
                                                 const DriverContext &context, QString *error)
{
    const QString id = config.value(QLatin1StringView("id")).toString();
    auto refuse = [&](const QString &why) {
        if (error) *error = QObject::tr("device %1: %2").arg(id, why);
        return nullptr;
    };
    for (auto it = config.begin(); it != config.end(); ++it)
        if (!QStringList{QStringLiteral("id"), QStringLiteral("type"), QStringLiteral("driver"),
                         QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("poll_ms"),
                         QStringLiteral("register_map"), QStringLiteral("register_map_file")}
                 .contains(it.key()))
            return refuse(QObject::tr("field \"%1\" is unknown").arg(it.key()));
    const QJsonValue host = config.value(QLatin1StringView("host"));
    if (!host.isString() || host.toString().isEmpty())
        return refuse(QObject::tr("field \"host\" must be a host name or address"));
    const QJsonValue port = config.value(QLatin1StringView("port"));
    if (!port.isUndefined() && (!port.isDouble() || port.toInt() < 1 || port.toInt() > 65535 ||
                                port.toDouble() != port.toInt()))
        return refuse(QObject::tr("field \"port\" must be an integer in [1, 65535]"));
    QJsonObject mapJson;
    if (config.contains(QLatin1StringView("register_map"))) {
        if (!config.value(QLatin1StringView("register_map")).isObject())
            return refuse(QObject::tr("field \"register_map\" must be an object"));
        mapJson = config.value(QLatin1StringView("register_map")).toObject();
    } else if (config.value(QLatin1StringView("register_map_file")).isString()) {
        const QString path =
            QDir(context.configDirectory)
                .filePath(config.value(QLatin1StringView("register_map_file")).toString());
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return refuse(QObject::tr("field \"register_map_file\": cannot read %1: %2")
                              .arg(path, f.errorString()));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
        if (!doc.isObject())
            return refuse(QObject::tr("field \"register_map_file\": %1 is not a JSON object (%2)")
                              .arg(path, parseError.errorString()));
        mapJson = doc.object();
    } else
        return refuse(QObject::tr("field \"register_map\" is missing (or give \"register_map_file\")"));
    QString why;
    auto map = ModbusRegisterMap::fromJson(mapJson, &why);
    if (!map) {
        // The map names its field inside the map; the lab file names it inside the device.
        static const QRegularExpression inner(QStringLiteral("^register map: field \"([^\"]+)\""));
        const QString where = config.contains(QLatin1StringView("register_map"))
                                  ? QStringLiteral("register_map.")
                                  : QStringLiteral("register_map_file: ");
        if (where.endsWith(u'.'))
            why.replace(inner, QStringLiteral("field \"register_map.\\1\""));
        else
            why = QStringLiteral("field \"register_map_file\" ") + why;
        return refuse(why);
    }
    const QJsonValue pollMs = config.value(QLatin1StringView("poll_ms"));
    if (!pollMs.isUndefined()) {
        if (!pollMs.isDouble() || pollMs.toDouble() != pollMs.toInt() || pollMs.toInt() < 100 ||
            pollMs.toInt() > 3600000)
            return refuse(QObject::tr("field \"poll_ms\" must be an integer in [100, 3600000]"));
        map->pollMs = pollMs.toInt();
    }
    return std::make_unique<ModbusDriver>(id, config.value(QLatin1StringView("type")).toString(),
                                          host.toString(), quint16(port.toInt(502)), *map);
}

} // namespace alabos
