#include "core/remote/driverhostserver.h"

#include "core/bus/assignedconsumer.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"
#include "core/drivers/driverpool.h"
#include "core/security/crypto.h"

#include <QDateTime>
#include <QTimer>
#include <librdkafka/rdkafka.h>

namespace alabos {

namespace {
constexpr qint64 kKeyReloadMs = 3000;
// Clocks of the scheduler's and the host's machines differ a little (NTP keeps them within
// milliseconds); a command sent this long before the host started is still its own.
constexpr qint64 kClockSlackMs = 2000;
constexpr qsizetype kSeenPerDevice = 4096;
} // namespace

DriverHostServer::DriverHostServer(KafkaSettings settings, KafkaProducer *producer, QString host,
                                   std::shared_ptr<const SigningKey> hostKey,
                                   std::shared_ptr<TrustedKeys> schedulerKeys,
                                   SchedulerKeys reloadKeys, DriverPool *pool, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_producer(producer),
      m_host(std::move(host)), m_boot(randomToken(12)),
      m_startedMs(QDateTime::currentMSecsSinceEpoch()), m_hostKey(std::move(hostKey)),
      m_schedulerKeys(std::move(schedulerKeys)), m_reloadKeys(std::move(reloadKeys)), m_pool(pool)
{
}

DriverHostServer::~DriverHostServer() = default;

DriverHostStats DriverHostServer::stats() const
{
    QMutexLocker guard(&m_statsLock);
    return m_stats;
}

void DriverHostServer::start()
{
    for (DeviceDriver *driver : m_pool->drivers()) {
        connect(driver, &DeviceDriver::commandFinished, this, [this](const CommandResult &r) {
            // The host's own record of what ran, whatever becomes of the report.
            qCInfo(lcDrivers).noquote()
                << "command" << r.commandId << "on" << r.deviceId << "ended:"
                << (r.ok          ? QStringLiteral("ok")
                    : r.cancelled ? QStringLiteral("cancelled")
                                  : QStringLiteral("failed: ") + r.message);
            HostReport report;
            report.kind = HostReport::Kind::Result;
            report.result = r;
            publish(report, r.deviceId);
        });
        // The instrument's link as the scheduler must know it.
        connect(
            driver, &DeviceDriver::connectionChanged, this,
            [this](const QString &deviceId, bool, const QString &) { publishState(deviceId, 0); });
    }
    m_consumer = new AssignedConsumer(
        m_settings, QStringLiteral("driver host commands"),
        [this](const rd_kafka_message_t *m) { onMessage(m); }, this);
    QString error;
    if (!m_consumer->tail(topic::DeviceCommands, &error)) {
        Q_EMIT failed(tr("Driver host %1 cannot read the scheduler's commands: %2 (is the "
                         "scheduler running? It creates the topics.)")
                          .arg(m_host, error));
        return;
    }
    m_heartbeat = new QTimer(this);
    connect(m_heartbeat, &QTimer::timeout, this, &DriverHostServer::heartbeat);
    m_heartbeat->start(m_heartbeatMs);
    heartbeat();
}

void DriverHostServer::heartbeat()
{
    HostReport report;
    report.kind = HostReport::Kind::Heartbeat;
    report.devices = int(m_pool->drivers().size());
    publish(report, QString());
}

void DriverHostServer::publish(HostReport report, const QString &key)
{
    report.host = m_host;
    report.boot = m_boot;
    report.seq = ++m_seq[key];
    report.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    const QByteArray k = (key.isEmpty() ? m_host : key).toUtf8();
    const QByteArray value = encodeHostReport(report);
    QString error;
    if (!m_producer->produce(topic::DeviceReports, k, value, nullptr, &error, -1, 1000,
                             streamSignature(*m_hostKey, topic::DeviceReports, k, value)))
        qCWarning(lcDrivers).noquote() << "driver host" << m_host << "cannot report:" << error;
}

void DriverHostServer::publishState(const QString &deviceId, qint64 answers)
{
    DeviceDriver *driver = m_pool->driver(deviceId);
    if (!driver) return;
    // Read on the driver's own thread, after whatever it was asked before.
    QMetaObject::invokeMethod(driver, [this, driver, answers] {
        HostReport report;
        report.kind = HostReport::Kind::State;
        report.state = driver->stateReport();
        report.linkUp = driver->isConnected();
        report.linkMessage = driver->isConnected() ? QString() : toString(driver->status());
        report.commands = driver->describe();
        report.answers = answers;
        QMetaObject::invokeMethod(this, [this, report, id = driver->id()] { publish(report, id); });
    });
}

bool DriverHostServer::trusted(const void *message)
{
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    if (m_schedulerKeys->verify(m)) return true;
    // A scheduler that took over since the keys were read: read them again, not on every
    // forged message.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_keysLoadedMs < kKeyReloadMs) return false;
    m_keysLoadedMs = now;
    QString error;
    const QList<QByteArray> keys = m_reloadKeys(&error);
    if (!error.isEmpty()) {
        qCWarning(lcDrivers).noquote() << "driver host" << m_host << "scheduler keys:" << error;
        return false;
    }
    m_schedulerKeys->set(keys);
    return m_schedulerKeys->verify(m);
}

void DriverHostServer::onMessage(const void *message)
{
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    // Other hosts' devices share the topic, keyed by device: skipped before any parsing.
    const QString key =
        m->key ? QString::fromUtf8(static_cast<const char *>(m->key), qsizetype(m->key_len))
               : QString();
    if (!m_pool->driver(key)) return;
    QString why;
    const std::optional<RemoteCommand> command = decodeRemoteCommand(
        {static_cast<const char *>(m->payload), qsizetype(m->payload ? m->len : 0)}, &why);
    // A message filed under one of our devices that names another host or device is not ours.
    if (command && (command->host != m_host || command->deviceId != key)) return;
    auto refuse = [&](const QString &reason) {
        QMutexLocker guard(&m_statsLock);
        ++m_stats.refused;
        if (m_stats.refused <= 10 || m_stats.refused % 1000 == 0)
            qCWarning(lcDrivers).noquote() << "driver host" << m_host << "refused a command ("
                                           << m_stats.refused << "so far):" << reason;
    };
    if (!command) return refuse(why);
    if (!trusted(m)) return refuse(tr("not signed by a scheduler of this lab"));
    if (command->epoch < m_maxEpoch)
        return refuse(tr("from a scheduler that lost its leadership (epoch %1, current %2)")
                          .arg(command->epoch)
                          .arg(m_maxEpoch));
    if (command->sentAtMs + kClockSlackMs < m_startedMs)
        return refuse(tr("sent before this driver host started (a replay)"));
    m_maxEpoch = command->epoch;
    {
        QMutexLocker guard(&m_statsLock);
        ++m_stats.commands;
    }
    switch (command->kind) {
    case RemoteCommand::Kind::Execute:
        execute(*command);
        break;
    case RemoteCommand::Kind::Cancel:
        m_pool->cancel(command->deviceId, command->command.id);
        break;
    case RemoteCommand::Kind::Query:
        publishState(command->deviceId, command->command.id);
        break;
    }
}

bool DriverHostServer::seenBefore(const QString &deviceId, qint64 commandId)
{
    Seen &seen = m_seen[deviceId];
    if (seen.ids.contains(commandId)) return true;
    seen.ids.insert(commandId);
    seen.order.append(commandId);
    if (seen.order.size() > kSeenPerDevice) seen.ids.remove(seen.order.takeFirst());
    return false;
}

void DriverHostServer::execute(const RemoteCommand &command)
{
    const DeviceCommand &c = command.command;
    DeviceDriver *driver = m_pool->driver(c.deviceId);
    const bool seen = seenBefore(c.deviceId, c.id);
    // The driver remembers what it runs and ran (across restarts of this host where it
    // persists it): asked on its own thread, just before it would start.
    QMetaObject::invokeMethod(driver, [this, driver, c, seen] {
        const DeviceStateReport s = driver->stateReport();
        if (seen || s.runningCommandId == c.id || s.lastFinishedCommandId == c.id) {
            // Delivered twice: never run twice. Its answer goes out again in case the
            // scheduler missed it (a scheduler not waiting for it drops it).
            QMetaObject::invokeMethod(this, [this, c, s] {
                {
                    QMutexLocker guard(&m_statsLock);
                    ++m_stats.duplicates;
                }
                qCInfo(lcDrivers).noquote()
                    << "driver host" << m_host << ": command" << c.id << "for" << c.deviceId
                    << "arrived again; not run twice";
                if (s.lastFinishedCommandId != c.id) return;
                HostReport report;
                report.kind = HostReport::Kind::Result;
                report.result = s.lastResult;
                report.result.deviceId = c.deviceId;
                publish(report, c.deviceId);
            });
            return;
        }
        driver->execute(c);
        QMetaObject::invokeMethod(this, [this] {
            QMutexLocker guard(&m_statsLock);
            ++m_stats.executed;
        });
    });
}

} // namespace alabos
