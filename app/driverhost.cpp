#include "app/driverhost.h"

#include "core/bus/streamsigning.h"
#include "core/bus/telemetrypublisher.h"
#include "core/domain/logging.h"
#include "core/drivers/driverpool.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/labfile.h"
#include "core/security/crypto.h"
#include "core/storage/labkeys.h"
#include "core/storage/schedulerlease.h"

#include <QThread>
#include <pqxx/pqxx>

namespace alabos {

namespace {
// Each call opens a connection of its own: a host reads the keys seldom (at start, and when
// a scheduler it does not know yet signs), and holds no connection in between.
std::optional<QList<QByteArray>> readSchedulerKeys(const QString &database, QString *error)
{
    try {
        pqxx::connection c(database.toStdString());
        return loadSchedulerKeys(c);
    } catch (const std::exception &e) {
        *error = QObject::tr("cannot read the schedulers' keys: %1")
                     .arg(QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}
} // namespace

DriverHostProcess::DriverHostProcess(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    registerDriverMetaTypes();
}

DriverHostProcess::~DriverHostProcess()
{
    stop();
}

bool DriverHostProcess::start(QString *error)
{
    const QString host = m_options.driverHost;
    const std::optional<LabFile> lab = LabFile::loadForRun(m_options.labFile, error);
    if (!lab) return false;
    QList<LabDevice> mine;
    QStringList hosts;
    for (const LabDevice &d : lab->devices) {
        if (d.host == host) mine.append(d);
        if (!d.host.isEmpty() && !hosts.contains(d.host)) hosts << d.host;
    }
    if (mine.isEmpty()) {
        *error = hosts.isEmpty()
                     ? tr("The lab file %1 assigns no device to a driver host (\"driver_host\")")
                           .arg(m_options.labFile)
                     : tr("The lab file %1 assigns no device to driver host %2; its driver "
                          "hosts are: %3")
                           .arg(m_options.labFile, host, hosts.join(QStringLiteral(", ")));
        return false;
    }

    // The database: the schedulers' keys, this host's key, and the scheduler's broker.
    if (!initCrypto()) {
        *error = tr("libsodium could not be initialised");
        return false;
    }
    const QString keyPath =
        m_options.dataDir + QStringLiteral("/keys/driverhost-%1.ed25519").arg(host);
    const std::optional<SigningKey> key = SigningKey::loadOrCreate(keyPath, error);
    if (!key) return false;
    const auto hostKey = std::make_shared<const SigningKey>(*key);
    m_kafka = m_options.kafka;
    try {
        pqxx::connection c(m_options.databaseUrl.toStdString());
        if (!registerDriverHostKey(c, host, hostKey->publicKey(), error)) return false;
        if (m_kafka.bootstrap.isEmpty()) {
            const std::optional<SchedulerInfo> scheduler = readSchedulerInfo(c, error);
            if (!scheduler) return false;
            m_kafka.bootstrap = scheduler->kafkaBootstrap;
        }
    } catch (const std::exception &e) {
        *error = tr("Driver host %1 cannot use the database: %2")
                     .arg(host, QString::fromUtf8(e.what()).trimmed());
        return false;
    }
    if (m_kafka.bootstrap.isEmpty()) {
        *error = tr("Driver host %1 needs the scheduler's Kafka broker: give --kafka-bootstrap "
                    "HOST:PORT (no scheduler has announced one in this database)")
                     .arg(host);
        return false;
    }
    const QString database = m_options.databaseUrl;
    const auto keys = readSchedulerKeys(database, error);
    if (!keys) return false;
    m_schedulerKeys = std::make_shared<TrustedKeys>();
    m_schedulerKeys->set(*keys);

    // The drivers, as the scheduler would build them.
    DriverContext context;
    context.configDirectory = lab->directory;
    context.stateDirectory = m_options.dataDir + QStringLiteral("/simulated-devices");
    m_pool = std::make_unique<DriverPool>();
    for (const LabDevice &d : std::as_const(mine)) {
        std::unique_ptr<DeviceDriver> driver =
            DriverRegistry::instance().create(d.config, context, error);
        if (!driver) return false;
        m_pool->add(driver.release());
    }
    m_deviceCount = int(mine.size());

    m_producer = KafkaProducer::create(m_kafka, error);
    if (!m_producer) return false;
    m_telemetry = TelemetryPublisher::create(m_kafka, error);
    if (!m_telemetry) return false;
    {
        TelemetryOptions telemetry;
        telemetry.rateHz = 1.0;
        telemetry.throttle = m_telemetry->throttle();
        TelemetryPublisher *publisher = m_telemetry.get();
        telemetry.sink = [publisher](QList<TelemetryReading> &&batch) {
            for (const TelemetryReading &r : std::as_const(batch))
                publisher->publish(r); // refused readings are counted by the publisher
        };
        m_pool->setTelemetry(telemetry);
    }

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("driverhost"));
    m_thread->start();
    m_server = new DriverHostServer(
        m_kafka, m_producer.get(), host, hostKey, m_schedulerKeys,
        [database](QString *why) {
            return readSchedulerKeys(database, why).value_or(QList<QByteArray>{});
        },
        m_pool.get());
    m_server->moveToThread(m_thread);
    connect(m_server, &DriverHostServer::failed, this, &DriverHostProcess::fatalError);
    QMetaObject::invokeMethod(m_server, &DriverHostServer::start, Qt::QueuedConnection);
    m_pool->connectAll();
    qCInfo(lcDrivers).noquote() << "driver host" << host << "runs" << m_deviceCount
                                << "devices; Kafka" << m_kafka.describe();
    return true;
}

DriverHostStats DriverHostProcess::stats() const
{
    return m_server ? m_server->stats() : DriverHostStats{};
}

void DriverHostProcess::stop()
{
    if (m_pool) {
        m_pool->disconnectAll();
        m_pool->shutdown();
    }
    if (m_server) {
        QMetaObject::invokeMethod(m_server, &QObject::deleteLater);
        m_server = nullptr;
    }
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        m_thread = nullptr;
    }
    if (m_producer) m_producer->flush(5000);
    m_telemetry.reset();
    m_producer.reset();
    m_pool.reset();
}

} // namespace alabos
