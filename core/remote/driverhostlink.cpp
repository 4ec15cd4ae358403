#include "core/remote/driverhostlink.h"

#include "core/bus/assignedconsumer.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"
#include "core/remote/remotedriver.h"
#include "core/security/crypto.h"

#include <QDateTime>
#include <QTimer>
#include <librdkafka/rdkafka.h>

namespace alabos {

namespace {
// A report from a new boot of a host is believed only this close to now: an old one is a replay.
constexpr qint64 kNewBootWindowMs = 120000;
constexpr qint64 kKeyReloadMs = 3000;

QByteArrayView valueOf(const rd_kafka_message_t *m)
{
    return {static_cast<const char *>(m->payload), qsizetype(m->payload ? m->len : 0)};
}
} // namespace

DriverHostLink::DriverHostLink(KafkaSettings settings, KafkaProducer *producer,
                               std::shared_ptr<const SigningKey> signingKey, HostKeys hostKeys,
                               QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_producer(producer),
      m_signingKey(std::move(signingKey)), m_hostKeys(std::move(hostKeys))
{
}

DriverHostLink::~DriverHostLink() = default;

bool DriverHostLink::send(RemoteCommand command, QString *error)
{
    command.epoch = m_epoch.load();
    command.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    const QByteArray key = command.deviceId.toUtf8();
    const QByteArray value = encodeRemoteCommand(command);
    const QByteArray signature =
        m_signingKey ? streamSignature(*m_signingKey, topic::DeviceCommands, key, value)
                     : QByteArray();
    // A short wait only: a command that cannot be queued fails now (transient) and the engine
    // retries it, rather than holding a driver thread.
    if (!m_producer->produce(topic::DeviceCommands, key, value, nullptr, error, -1, 200, signature))
        return false;
    QMutexLocker guard(&m_lock);
    ++m_stats.commandsSent;
    return true;
}

void DriverHostLink::attach(RemoteDriver *driver)
{
    QMutexLocker guard(&m_lock);
    m_drivers.insert(driver->id(), driver);
}

void DriverHostLink::detach(const QString &deviceId)
{
    QMutexLocker guard(&m_lock);
    m_drivers.remove(deviceId);
}

bool DriverHostLink::hostAlive(const QString &host) const
{
    QMutexLocker guard(&m_lock);
    return m_hosts.value(host).alive;
}

DriverHostLinkStats DriverHostLink::stats() const
{
    QMutexLocker guard(&m_lock);
    return m_stats;
}

void DriverHostLink::start()
{
    QString error;
    m_keys = m_hostKeys(&error);
    m_keysLoadedMs = QDateTime::currentMSecsSinceEpoch();
    if (!error.isEmpty()) qCWarning(lcDrivers).noquote() << "driver host keys:" << error;
    m_consumer = new AssignedConsumer(
        m_settings, QStringLiteral("driver host reports"),
        [this](const rd_kafka_message_t *m) { onMessage(m); }, this);
    if (!m_consumer->tail(topic::DeviceReports, &error)) {
        Q_EMIT failed(tr("The scheduler cannot read its driver hosts' reports: %1").arg(error));
        return;
    }
    auto *silence = new QTimer(this);
    connect(silence, &QTimer::timeout, this, &DriverHostLink::checkSilence);
    silence->start(qMax(100, m_silenceMs / 5));
}

void DriverHostLink::stop()
{
    if (m_consumer) m_consumer->close();
}

bool DriverHostLink::verify(const QString &host, const void *message)
{
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    auto check = [&] { return verifyStreamSignature(m_keys.value(host), m); };
    if (check()) return true;
    // A host registered since the keys were read: read them again, not on every forged message.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_keysLoadedMs < kKeyReloadMs) return false;
    m_keysLoadedMs = now;
    QString error;
    const QHash<QString, QByteArray> keys = m_hostKeys(&error);
    if (!error.isEmpty()) {
        qCWarning(lcDrivers).noquote() << "driver host keys:" << error;
        return false;
    }
    m_keys = keys;
    return check();
}

bool DriverHostLink::fresh(const QString &key, const HostReport &report)
{
    Sequence &s = m_sequences[key];
    if (report.boot == s.boot) {
        if (report.seq <= s.seq) return false;
    } else {
        // Another start of the host: believed when it was sent recently and after the last one.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (qAbs(now - report.sentAtMs) > kNewBootWindowMs || report.sentAtMs < s.sentAtMs)
            return false;
        s.boot = report.boot;
    }
    s.seq = report.seq;
    s.sentAtMs = report.sentAtMs;
    return true;
}

void DriverHostLink::onMessage(const void *message)
{
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    QString why;
    const std::optional<HostReport> report = decodeHostReport(valueOf(m), &why);
    auto refuse = [&](const QString &reason) {
        QMutexLocker guard(&m_lock);
        ++m_stats.reportsRefused;
        // A flood of forged messages must not flood the log either.
        if (m_stats.reportsRefused <= 10 || m_stats.reportsRefused % 1000 == 0)
            qCWarning(lcDrivers).noquote()
                << "driver host report refused (" << m_stats.reportsRefused << "so far):" << reason;
    };
    if (!report) return refuse(why);
    if (!verify(report->host, m))
        return refuse(tr("not signed by driver host %1").arg(report->host));
    const QString device =
        report->kind == HostReport::Kind::Result ? report->result.deviceId : report->state.deviceId;
    if (!fresh(report->host + QLatin1Char('|') + device, *report))
        return refuse(tr("an old report of %1 (a replay)").arg(report->host));
    heard(*report);
    if (report->kind == HostReport::Kind::Heartbeat) return;
    QMutexLocker guard(&m_lock);
    const QPointer<RemoteDriver> driver = m_drivers.value(device);
    if (!driver || driver->host() != report->host) {
        guard.unlock();
        return refuse(tr("%1 reported on device %2, which is not one of its devices")
                          .arg(report->host, device));
    }
    ++m_stats.reportsAccepted;
    // Posted under the lock: the driver's destructor detaches under it, so it is alive here.
    QMetaObject::invokeMethod(driver.data(), [d = driver.data(), r = *report] { d->onReport(r); });
}

void DriverHostLink::heard(const HostReport &report)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool back = false;
    bool restarted = false;
    {
        QMutexLocker guard(&m_lock);
        Host &h = m_hosts[report.host];
        h.heardMs = now;
        restarted = h.alive && !h.boot.isEmpty() && h.boot != report.boot;
        back = !h.alive;
        h.alive = true;
        h.boot = report.boot;
    }
    if (back)
        notifyHost(report.host, true, tr("driver host %1 is reachable").arg(report.host));
    else if (restarted)
        notifyHost(report.host, true, tr("driver host %1 restarted").arg(report.host));
}

void DriverHostLink::checkSilence()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList silent;
    {
        QMutexLocker guard(&m_lock);
        for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it)
            if (it->alive && now - it->heardMs > m_silenceMs) {
                it->alive = false;
                silent << it.key();
            }
    }
    for (const QString &host : std::as_const(silent))
        notifyHost(
            host, false,
            tr("driver host %1 has not been heard for %2 s").arg(host).arg(m_silenceMs / 1000.0));
}

void DriverHostLink::notifyHost(const QString &host, bool alive, const QString &message)
{
    if (alive)
        qCInfo(lcDrivers).noquote() << message;
    else
        qCWarning(lcDrivers).noquote() << message;
    Q_EMIT hostChanged(host, alive, message);
    QMutexLocker guard(&m_lock);
    for (const QPointer<RemoteDriver> &driver : std::as_const(m_drivers))
        if (driver && driver->host() == host)
            QMetaObject::invokeMethod(driver.data(), [d = driver.data(), alive, message] {
                d->onHostChanged(alive, message);
            });
}

} // namespace alabos
