#include "app/labruntime.h"

#include "core/bus/brokerwindow.h"
#include "core/bus/commandchannel.h"
#include "core/bus/embeddedbroker.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"
#include "core/drivers/driverpool.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/labfile.h"
#include "core/engine/alarmservice.h"
#include "core/engine/labsimulation.h"
#include "core/remote/driverhostlink.h"
#include "core/remote/remotedriver.h"
#include "core/storage/accountservice.h"
#include "core/storage/embeddedpostgres.h"
#include "core/storage/eventrelay.h"
#include "core/storage/labkeys.h"
#include "core/storage/migrations.h"
#include "core/storage/retention.h"
#include "core/storage/sampleregistrar.h"
#include "core/storage/schedulerlease.h"
#include "core/storage/snapshot.h"
#include "core/storage/storagewriter.h"
#include "core/storage/telemetrystore.h"
#include "core/storage/userdirectory.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <pqxx/pqxx>

namespace alabos {

namespace {
// In a device's stored settings: the driver host that runs it (the lab file's key).
constexpr auto kDriverHostKey = "driver_host";
} // namespace

LabRuntime::LabRuntime(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    registerMetaTypes();
    registerDriverMetaTypes();
    registerCommandMetaTypes();
    qRegisterMetaType<FeedUpdate>();
    qRegisterMetaType<FeedStats>();
    qRegisterMetaType<EngineStats>();
}

LabRuntime::~LabRuntime()
{
    stop();
}

QThread *LabRuntime::startThread(const char *name)
{
    auto *thread = new QThread(this);
    thread->setObjectName(QLatin1StringView(name));
    thread->start();
    return thread;
}

bool LabRuntime::start(QString *error)
{
    QString scratch;
    if (!error) error = &scratch;

    // 1. PostgreSQL: configured, or our own cluster in the data directory; schema current.
    if (!startDatabase(error)) return false;
    // Exactly one scheduler (app/roles.cpp): without the lock this process is a console.
    if (!decideRole(error)) return false;
    if (m_consoleOnly) return startConsoleRole(error);
    // A lab server needs its lab; the GUI without one opens the lab setup instead. Checked
    // before the accounts: a first administrator password made by a start that then fails is
    // never shown, and a later start makes none.
    if (m_options.headless && m_options.labFile.isEmpty() && m_options.simulate.isEmpty()) {
        *error = tr("No lab to run: give the lab file with --lab FILE (or ALABOS_LAB, or "
                    "\"lab\" in the config file), or --simulate PROFILE for a simulated lab. "
                    "alabos --check-lab FILE checks a lab file without starting anything.");
        return false;
    }
    // Its signing key, the database's origin (simulation or lab), demo accounts where
    // allowed, and an administrator with a password (app/sessions.cpp).
    if (!prepareAccounts(error)) return false;
    preparePartitions();

    // 2. Kafka: configured, or the embedded broker; the topics; the producer.
    if (!startBroker(error)) return false;
    // 3. The lab's state as of now; the engine recovers from it.
    const auto snapshot = loadSnapshot(m_databaseConnection, 0, error);
    if (!snapshot) return false;
    // 4. The lab: its devices (the lab file, a simulated profile or the database's) and their
    // drivers.
    std::optional<LabProfile> profile;
    if (!startDrivers(*snapshot, &profile, error)) return false;
    // 5. Storage, relay and engine on their threads, wired by queued signals only.
    startEngine();
    // 6. Telemetry and the console feed's streams.
    if (!startStreams(error)) return false;
    // 7. Alarms, and the drivers' readings to Kafka and to the alarm rules.
    startAlarms();
    // 8. What the console offers, and sample registration.
    startSampleServices(*snapshot);
    // 9. Running: devices connect, the relay and the feed start, the engine recovers and
    // schedules, simulated arrivals begin.
    run(*snapshot, profile);
    return true;
}

bool LabRuntime::startBroker(QString *error)
{
    m_kafka = m_options.kafka;
    if (m_kafka.bootstrap.isEmpty()) {
        m_broker = std::make_unique<EmbeddedBroker>();
        if (!m_broker->start(1, error)) return false;
        m_kafka.bootstrap = m_broker->bootstrap();
    }
    qCInfo(lcBus).noquote() << "Kafka:" << m_kafka.describe();
    if (!ensureTopics(m_kafka, m_broker.get(), m_options.topics, error)) return false;
    if (!announceScheduler(error)) return false;
    m_producer = KafkaProducer::create(m_kafka, error);
    if (!m_producer) return false;

    return true;
}

bool LabRuntime::startDrivers(const LabSnapshot &snapshot, std::optional<LabProfile> *profile,
                              QString *error)
{
    if (!declareLab(snapshot, profile, error)) return false;
    const QList<DeviceSpec> devices = m_declaredDevices;
    m_deviceCount = devices.size();
    m_drivers = std::make_unique<DriverPool>();
    if (std::any_of(devices.cbegin(), devices.cend(), [](const DeviceSpec &d) {
            return d.config.contains(QLatin1StringView(kDriverHostKey));
        }))
        startDriverHostLink();
    for (const DeviceSpec &spec : devices)
        if (!attachDriver(spec, error)) return false;

    return true;
}

void LabRuntime::startDriverHostLink()
{
    const QString database = m_databaseConnection;
    m_hostLink =
        new DriverHostLink(m_kafka, m_producer.get(), m_signingKey, [database](QString *error) {
            try {
                pqxx::connection c(database.toStdString());
                return loadDriverHostKeys(c);
            } catch (const std::exception &e) {
                *error = QString::fromUtf8(e.what()).trimmed();
                return QHash<QString, QByteArray>{};
            }
        });
    // A host's commands are refused once a newer leader has spoken to it.
    if (m_lease) m_hostLink->setEpoch(m_lease->epoch());
    m_hostLinkThread = startThread("driverhosts");
    m_hostLink->moveToThread(m_hostLinkThread);
    connect(m_hostLink, &DriverHostLink::failed, this, &LabRuntime::fatalError);
    // Reading the hosts' reports before any device asks its host anything (recovery asks
    // right at the engine's start): an answer is never missed.
    QMetaObject::invokeMethod(m_hostLink, &DriverHostLink::start, Qt::BlockingQueuedConnection);
}

void LabRuntime::startEngine()
{
    m_storageThread = startThread("storage");
    m_relayThread = startThread("relay");
    m_engineThread = startThread("engine");
    m_busThread = startThread("bus");

    m_writer = new StorageWriter(m_databaseConnection);
    // Storage maintenance: partitions ahead and retention at start and hourly (once a
    // slot for shorter partitions), the queue-depth/device sample every minute. A child of the
    // writer: same thread, deleted with it.
    {
        auto *maintenance =
            new StorageMaintenance(m_ownerDatabaseConnection, m_options.retention, m_writer);
        QMetaObject::invokeMethod(maintenance, &StorageMaintenance::start, Qt::QueuedConnection);
    }
    m_writer->moveToThread(m_storageThread);
    m_relay = new EventRelay(m_databaseConnection, m_producer.get());
    m_relay->setSigningKey(m_signingKey);
    m_relay->moveToThread(m_relayThread);
    m_engine = new LabEngine;
    m_engine->setSignatures(m_signatures);
    m_engine->moveToThread(m_engineThread);
    DriverPool *pool = m_drivers.get();
    m_engine->setDispatcher([pool](const DeviceCommand &c) { return pool->execute(c); });
    m_engine->setCanceller([pool](const QString &device, qint64 id) { pool->cancel(device, id); });
    m_engine->setReconnector([pool](const QString &device) { return pool->reconnect(device); });
    // Every device has a driver here: none gets work before its driver reached the instrument.
    m_engine->setAwaitDriverLinks(true);
    // Devices added, changed or removed while the lab runs: built through the registry, as
    // at start. Called on the engine thread.
    m_engine->setDriverHooks(
        [this](const DeviceSpec &spec, QString *why) {
            DeviceDriver *driver = attachDriver(spec, why);
            if (!driver) return false;
            QMetaObject::invokeMethod(driver, "connectDevice", Qt::QueuedConnection);
            return true;
        },
        [pool](const QString &device) { pool->remove(device); });
    if (m_lab) m_engine->setDeclaredPositions(declaredPositions(*m_lab));
    // Recovery asks the devices: before the engine starts, so that after a
    // restart each task that was running is decided from its device's own answer (still
    // running it: wait; finished it: take the result, never send it again; did not run it:
    // re-queue). Answers arrive queued on the engine thread. Devices added at run time are
    // not asked: they cannot have run anything of a previous process.
    m_engine->setStateQuery([pool](const QString &device) { return pool->queryState(device); });

    connect(m_engine, &LabEngine::changesReady, m_writer, &StorageWriter::submit);
    connect(m_writer, &StorageWriter::committed, m_engine, &LabEngine::onCommitted);
    connect(m_writer, &StorageWriter::rejected, m_engine, &LabEngine::onRejected);
    connect(m_writer, &StorageWriter::committed, m_relay, &EventRelay::wake);
    connect(m_writer, &StorageWriter::connectionChanged, this,
            [this](bool up, const QString &message) {
                m_writerConnected = up;
                updateDatabaseState(message);
            });
    connect(m_writer, &StorageWriter::fenced, this, &LabRuntime::fatalError);
    if (m_lease) {
        // Commits are fenced by the epoch this process took the lock with; while the lock's
        // connection is lost the engine starts nothing new (it may no longer lead).
        m_writer->setLeaderEpoch(m_lease->epoch());
        connect(m_lease, &SchedulerLease::connectionLost, m_engine,
                [engine = m_engine] { engine->holdGrants(true); });
        connect(m_lease, &SchedulerLease::regained, m_engine,
                [engine = m_engine] { engine->holdGrants(false); });
        connect(m_lease, &SchedulerLease::connectionLost, this, [this](const QString &message) {
            m_leaseConnected = false;
            updateDatabaseState(message);
        });
        connect(m_lease, &SchedulerLease::regained, this, [this] {
            m_leaseConnected = true;
            updateDatabaseState(tr("Database connected"));
        });
    }
    auto *waits = new QTimer(this);
    connect(waits, &QTimer::timeout, this, &LabRuntime::watchDatabaseWaits);
    waits->start(1000);
    connect(m_relay, &EventRelay::published, this,
            [this](qint64 count, EventId) { m_eventsPublished += count; });
    connect(m_relay, &EventRelay::stalled, this, [this](const QString &why) {
        m_brokerHealthy = false;
        Q_EMIT brokerStateChanged(false, why);
    });
    connect(m_relay, &EventRelay::resumed, this, [this] {
        m_brokerHealthy = true;
        Q_EMIT brokerStateChanged(true, tr("Kafka reachable"));
    });
    connect(m_engine, &LabEngine::statsChanged, this, [this](const EngineStats &s) {
        m_engineStats = s;
        Q_EMIT engineStatsChanged(s);
    });
}

void LabRuntime::updateDatabaseState(const QString &message)
{
    const bool up = m_writerConnected && m_leaseConnected && !m_writerWaiting;
    if (up == m_databaseConnected) return;
    m_databaseConnected = up;
    Q_EMIT databaseConnectionChanged(up, message);
}

void LabRuntime::watchDatabaseWaits()
{
    // A server that stopped answering (a paused pool, a cut network) leaves the writer's
    // thread waiting inside a transaction: noticed here, on the runtime's thread.
    constexpr qint64 kNoAnswerMs = 3000;
    if (!m_writer) return;
    const qint64 waited = m_writer->waitingForDatabaseMs();
    const bool waiting = waited > kNoAnswerMs;
    if (waiting == m_writerWaiting) return;
    m_writerWaiting = waiting;
    updateDatabaseState(waiting ? tr("The database has not answered for %1 s").arg(waited / 1000)
                                : tr("Database connected"));
}

bool LabRuntime::startStreams(QString *error)
{
    createFeed();

    // Telemetry and the console feed's streams.
    // Drivers publish readings through m_telemetry (thread-safe; its health timer runs on
    // this thread); the persister, a consumer-group member on its own thread, writes them
    // to PostgreSQL with their offsets.
    m_telemetry = TelemetryPublisher::create(m_kafka, error);
    if (!m_telemetry) return false;
    connect(m_telemetry.get(), &TelemetryPublisher::backPressureChanged, this,
            [this](bool active, const QString &message) {
                m_telemetryBackPressure = active;
                Q_EMIT telemetryStateChanged(active, message);
            });
    if (m_broker) {
        // The embedded broker drops what it cannot keep: drivers slow down instead.
        m_windowGuard = std::make_shared<BrokerWindowGuard>(kEmbeddedBrokerPartitionBytes);
        m_telemetry->guardBrokerWindow(m_windowGuard);
    }
    if (!startPersister(error)) return false;
    // A real cluster keeps the compacted state topics: a console replays them. The embedded
    // broker keeps about 5 MB a partition, so there the snapshot comes from PostgreSQL.
    m_feed->setSnapshotSource(m_broker ? StateFeed::SnapshotSource::PostgreSQL
                                       : StateFeed::SnapshotSource::Replay);

    return true;
}

bool LabRuntime::startPersister(QString *error)
{
    // The embedded broker starts empty every run (and after a restart), so its offsets get a
    // consumer name of their own (the store refuses offsets that go back).
    const QString consumer = m_broker ? QStringLiteral("alabos.persister@embedded-") +
                                            QUuid::createUuid().toString(QUuid::WithoutBraces)
                                      : QStringLiteral("alabos.persister");
    TelemetryPersisterOptions persisterOptions;
    persisterOptions.windowGuard = m_windowGuard;
    m_persister = std::make_unique<TelemetryPersister>(
        m_kafka, telemetryStoreSinks(m_databaseConnection, consumer), m_producer.get(),
        persisterOptions);
    connect(m_persister.get(), &TelemetryPersister::telemetryLost, this,
            &LabRuntime::telemetryLost);
    m_persister->setCommitObserver(
        [remote = m_remoteReadings](const QList<TelemetryReading> &batch) {
            QList<TelemetryReading> theirs;
            AlarmService *alarms = nullptr;
            {
                std::lock_guard lock(remote->mutex);
                alarms = remote->alarms;
                if (!alarms || remote->devices.isEmpty()) return;
                for (const TelemetryReading &r : batch)
                    if (remote->devices.contains(r.deviceId)) theirs.append(r);
            }
            if (!theirs.isEmpty())
                QMetaObject::invokeMethod(alarms, [alarms, theirs] { alarms->onReadings(theirs); });
        });
    return m_persister->start(error);
}

void LabRuntime::startAlarms()
{
    // Alarms: on the engine thread, watching the engine's decisions, device telemetry and
    // the database and broker connections; committed like everything else.
    m_alarms = new AlarmService;
    m_alarms->setSignatures(m_signatures);
    QString rulesError;
    m_alarms->setRules(
        AlarmService::loadRules(QStringLiteral(":/alabos/alarms/rules.json"), &rulesError));
    if (!rulesError.isEmpty()) qCWarning(lcEngine).noquote() << rulesError;
    m_alarms->moveToThread(m_engineThread);
    // Every driver built so far reaches the engine and the alarm rules; those attached
    // later are wired as they are built.
    for (DeviceDriver *d : m_drivers->drivers())
        wireDriver(d);
    connect(m_engine, &LabEngine::changesReady, m_alarms, &AlarmService::observe);
    {
        std::lock_guard lock(m_remoteReadings->mutex);
        m_remoteReadings->alarms = m_alarms;
    }
    connect(m_alarms, &AlarmService::alarmPublished, this, &LabRuntime::alarmPublished);
    connect(m_alarms, &AlarmService::changesReady, m_writer, &StorageWriter::submit);
    connect(m_writer, &StorageWriter::committed, m_alarms, &AlarmService::onCommitted);
    connect(m_writer, &StorageWriter::rejected, m_alarms, &AlarmService::onRejected);
    connect(this, &LabRuntime::databaseConnectionChanged, m_alarms, &AlarmService::onDatabaseState);
    connect(this, &LabRuntime::brokerStateChanged, m_alarms, &AlarmService::onBrokerState);
    connect(this, &LabRuntime::telemetryStateChanged, m_alarms, &AlarmService::onTelemetryState);
    connect(this, &LabRuntime::telemetryLost, m_alarms, &AlarmService::onTelemetryLost);
    connect(m_relay, &EventRelay::eventReduced, m_alarms, &AlarmService::onEventReduced);
    connect(this, &LabRuntime::brokerRestarted, m_alarms, &AlarmService::onBrokerRestarted);
    if (m_hostLink)
        connect(m_hostLink, &DriverHostLink::hostChanged, m_alarms, &AlarmService::onDriverHost);
    if (m_postgres) {
        // alabos owns the embedded server: if it dies, alabos starts it again.
        m_postgresThread = startThread("postgres");
        m_postgresKeeper = new PostgresKeeper(m_postgres.get());
        m_postgresKeeper->moveToThread(m_postgresThread);
        connect(m_postgresKeeper, &PostgresKeeper::restarted, m_alarms,
                &AlarmService::onDatabaseRestarted);
        connect(m_postgresKeeper, &PostgresKeeper::diskSpaceChanged, m_alarms,
                &AlarmService::onDiskSpace);
        QMetaObject::invokeMethod(m_postgresKeeper, &PostgresKeeper::start, Qt::QueuedConnection);
    }
    connect(m_alarms, &AlarmService::commandReplied, this, &LabRuntime::commandReplied);
    // Simulated telemetry: one ticker per driver thread hands each tick's readings to
    // Kafka (for the store and every console) and, as one batch, to the alarm rules. The
    // publisher's throttle slows the ticks while Kafka is behind.
    {
        TelemetryOptions telemetry;
        telemetry.rateHz = 1.0;
        telemetry.throttle = m_telemetry->throttle();
        TelemetryPublisher *publisher = m_telemetry.get();
        AlarmService *alarms = m_alarms;
        telemetry.sink = [publisher, alarms](QList<TelemetryReading> &&batch) {
            for (const TelemetryReading &r : std::as_const(batch))
                publisher->publish(r); // refused readings are counted by the publisher
            QMetaObject::invokeMethod(
                alarms, [alarms, batch = std::move(batch)] { alarms->onReadings(batch); });
        };
        m_drivers->setTelemetry(telemetry);
    }
}

void LabRuntime::startSampleServices(const LabSnapshot &snapshot)
{
    // What the console offers for submission: the same templates the engine loads, and
    // each one saved while the lab runs (workflow.template.save).
    m_templates = offeredTemplates(snapshot.templates, nullptr);
    connect(m_engine, &LabEngine::templateSaved, this, &LabRuntime::rememberTemplate);
    // Sample registration: its own thread and connection, so a batch of 1,000 never holds up
    // the engine's group commits; ids come from the engine, the one allocator.
    m_samplesThread = startThread("samples");
    LabEngine *engine = m_engine;
    m_registrar = new SampleRegistrar(m_databaseConnection, [engine](int count) {
        SampleId first = 0;
        QMetaObject::invokeMethod(
            engine, [&] { first = engine->reserveSampleIds(count); }, Qt::BlockingQueuedConnection);
        return first;
    });
    m_registrar->setSignatures(m_signatures);
    m_registrar->moveToThread(m_samplesThread);
    connect(m_registrar, &SampleRegistrar::replied, this, &LabRuntime::commandReplied);
    connect(m_registrar, &SampleRegistrar::committed, m_relay, &EventRelay::wake);
    // Operator commands: the engine answers every one with a reply after its commit.
    connect(m_engine, &LabEngine::commandReplied, this, &LabRuntime::commandReplied);
}

void LabRuntime::run(const LabSnapshot &snapshot, const std::optional<LabProfile> &profile)
{
    m_drivers->connectAll();
    QMetaObject::invokeMethod(m_relay, &EventRelay::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_feed, &StateFeed::start, Qt::QueuedConnection);
    if (profile) {
        m_arrivals = new SampleArrivals(m_engine, *profile);
        m_arrivals->moveToThread(m_engineThread);
        connect(m_engine, &LabEngine::started, m_arrivals, &SampleArrivals::start);
    }
    // Last, once everything that listens to the engine is connected: its first decisions
    // (recovery, device registration, the first arrivals) must reach all of them.
    QMetaObject::invokeMethod(
        m_engine,
        [engine = m_engine, s = snapshot, devices = m_declaredDevices] {
            engine->start(s, devices);
        },
        Qt::QueuedConnection);
    startSchedulerServices();
    watchEmbeddedBroker();
    m_started = true;
}

bool LabRuntime::startDatabase(QString *error)
{
    QString scratch;
    if (!error) error = &scratch;
    if (m_options.databaseUrl.isEmpty()) {
        if (!QDir().mkpath(m_options.dataDir)) {
            *error = tr("cannot create the data directory %1").arg(m_options.dataDir);
            return false;
        }
        m_lock = std::make_unique<QLockFile>(m_options.dataDir + QStringLiteral("/alabos.lock"));
        m_lock->setStaleLockTime(0);
        if (!m_lock->tryLock(0)) {
            qint64 pid = 0;
            QString host, app;
            m_lock->getLockInfo(&pid, &host, &app);
            *error = tr("The data directory %1 is in use by another alabos (pid %2 on %3). Stop "
                        "it, or give this one its own --data-dir.")
                         .arg(m_options.dataDir)
                         .arg(pid)
                         .arg(host);
            m_lock.reset();
            return false;
        }
        m_postgres = std::make_unique<EmbeddedPostgres>(EmbeddedPostgres::Options{
            m_options.dataDir, {}, 5432, m_options.durableEmbeddedDatabase});
        if (!m_postgres->start(error)) return false;
        m_databaseConnection = m_postgres->connectionString();
        m_ownerDatabaseConnection = m_postgres->ownerConnectionString();
    } else {
        m_databaseConnection = m_options.databaseUrl;
        m_ownerDatabaseConnection = m_options.databaseOwnerUrl.isEmpty()
                                        ? m_options.databaseUrl
                                        : m_options.databaseOwnerUrl;
    }
    try {
        pqxx::connection c(m_ownerDatabaseConnection.toStdString());
        MigrationReport report;
        if (!migrate(c, error, &report)) return false;
        if (!report.applied.isEmpty())
            qCInfo(lcStorage) << "schema migrated from version" << report.fromVersion << "to"
                              << report.toVersion;
    } catch (const std::exception &e) {
        *error = tr("Cannot connect to PostgreSQL: %1").arg(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
    return true;
}

void LabRuntime::preparePartitions()
{
    // Before anything writes events or readings: an empty partition of another span can
    // still be replaced, and no row waits in a default partition. Only the scheduler keeps
    // partitions; its housekeeper retries a failure.
    QString error;
    if (!ensurePartitions(m_ownerDatabaseConnection, m_options.retention, &error))
        qCWarning(lcStorage).noquote() << error;
}

QList<DeviceSpec> LabRuntime::devicesHeld(const LabSnapshot &snapshot)
{
    QList<DeviceSpec> out;
    for (const DeviceState &d : snapshot.devices) {
        // A removed device's settings went with it; an offline one with settings only lost
        // its link.
        const QJsonObject config = snapshot.deviceConfigs.value(d.id);
        if (config.isEmpty() && d.status == DeviceStatus::Offline) continue;
        if (config.isEmpty()) {
            qCWarning(lcDrivers).noquote()
                << "device" << d.id
                << "has no driver settings in the database (an older alabos or a simulated lab "
                   "stored it): it is left out; declare it in a lab file or add it again";
            continue;
        }
        out.append({d.id, d.type, config});
    }
    return out;
}

bool LabRuntime::exportLab(const QString &path, QString *error) const
{
    const auto snapshot = loadSnapshot(m_databaseConnection, 0, error);
    if (!snapshot) return false;
    LabFile lab;
    lab.name = m_lab ? m_lab->name : QString();
    for (const DeviceSpec &d : devicesHeld(*snapshot)) {
        QJsonObject config = d.config;
        const QString host = config.take(QLatin1StringView(kDriverHostKey)).toString();
        lab.devices.append(
            {d.id, d.type, config.value(QLatin1StringView("driver")).toString(), config, host});
    }
    for (const PositionState &p : snapshot->positions)
        if (!p.removed) lab.positions.append({p.name, p.parent, p.deviceId});
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = tr("cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    out.write(QJsonDocument(lab.toJson()).toJson(QJsonDocument::Indented));
    if (!out.commit()) {
        *error = tr("cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    qCInfo(lcApp).noquote() << "lab exported to" << path << ":" << lab.devices.size() << "devices,"
                            << lab.positions.size() << "positions";
    return true;
}

bool LabRuntime::declareLab(const LabSnapshot &snapshot, std::optional<LabProfile> *profile,
                            QString *error)
{
    m_driverContext = DriverContext{};
    // A simulated instrument remembers what it ran across an alabos crash, as a real one
    // does, so recovery can ask it instead of an operator (docs/engine.md, Recovery).
    m_driverContext.stateDirectory = m_options.dataDir + QStringLiteral("/simulated-devices");
    if (!m_options.labFile.isEmpty()) {
        m_lab = LabFile::loadForRun(m_options.labFile, error);
        if (!m_lab) return false;
        m_driverContext.configDirectory = m_lab->directory;
        for (const LabDevice &d : std::as_const(m_lab->devices)) {
            // Where a device's driver runs is part of its settings: moving it to another
            // host is an edit like any other.
            QJsonObject config = d.config;
            if (!d.host.isEmpty()) config.insert(QLatin1StringView(kDriverHostKey), d.host);
            m_declaredDevices.append({d.id, d.type, config});
        }
        qCInfo(lcDrivers).noquote()
            << "lab file" << m_options.labFile << "declares" << m_lab->devices.size()
            << "devices and" << m_lab->positions.size() << "positions";
        return true;
    }
    if (m_options.simulate.isEmpty()) {
        // No lab file: the lab is the one the database holds, as set up in the console (an
        // empty one opens the lab setup).
        m_declaredDevices = devicesHeld(snapshot);
        return true;
    }
    *profile = LabProfile::named(m_options.simulate, m_options.devices, error);
    if (!*profile) return false;
    m_driverContext.acceleration = (*profile)->acceleration;
    for (const DeviceSpec &spec : std::as_const((*profile)->devices))
        m_declaredDevices.append(
            {spec.id, spec.type,
             QJsonObject{{QStringLiteral("id"), spec.id},
                         {QStringLiteral("type"), spec.type},
                         {QStringLiteral("driver"), QStringLiteral("simulated")}}});
    return true;
}

DeviceDriver *LabRuntime::attachDriver(const DeviceSpec &spec, QString *error)
{
    QJsonObject config = spec.config;
    const QString host = config.take(QLatin1StringView(kDriverHostKey)).toString();
    QString why;
    // Built here also for a remote device: that checks its settings, and gives the commands
    // its kind describes until its host answers with its own.
    std::unique_ptr<DeviceDriver> driver =
        DriverRegistry::instance().create(config, m_driverContext, &why);
    if (!driver) {
        if (error) *error = why;
        return nullptr;
    }
    if (!host.isEmpty()) {
        if (!m_hostLink) {
            if (error)
                *error = tr("device %1 runs on driver host %2, but this lab has no driver "
                            "hosts: declare them in the lab file")
                             .arg(spec.id, host);
            return nullptr;
        }
        driver = std::make_unique<RemoteDriver>(spec.id, spec.type, host, driver->describe(),
                                                m_hostLink);
        std::lock_guard lock(m_remoteReadings->mutex);
        m_remoteReadings->devices.insert(spec.id);
    }
    DeviceDriver *d = driver.release();
    m_drivers->add(d);
    if (m_alarms) wireDriver(d);
    return d;
}

void LabRuntime::wireDriver(DeviceDriver *d)
{
    connect(d, &DeviceDriver::commandFinished, m_engine, &LabEngine::onCommandFinished);
    connect(d, &DeviceDriver::stateReported, m_engine,
            [engine = m_engine](const DeviceStateReport &r) {
                engine->onDeviceReport(deviceReportFrom(r));
            });
    connect(d, &DeviceDriver::connectionChanged, m_engine, &LabEngine::onDeviceLink);
    connect(d, &DeviceDriver::telemetryFault, m_alarms, &AlarmService::onTelemetryFault);
    QMetaObject::invokeMethod(
        m_alarms, [a = m_alarms, id = d->id(), type = d->type()] { a->setDeviceType(id, type); });
}

QList<PositionState> LabRuntime::declaredPositions(const LabFile &lab)
{
    QList<PositionState> out;
    out.reserve(lab.positions.size());
    for (const LabPosition &p : lab.positions)
        out.append({p.name, p.parent, p.device, false});
    return out;
}

void LabRuntime::announceOpenAlarms()
{
    if (m_alarms)
        QMetaObject::invokeMethod(m_alarms, &AlarmService::announceOpen, Qt::QueuedConnection);
}

QList<CommandDescription> LabRuntime::describeDevice(const QString &deviceId) const
{
    const DeviceDriver *driver = m_drivers ? m_drivers->driver(deviceId) : nullptr;
    return driver ? driver->describe() : QList<CommandDescription>{};
}

void LabRuntime::rememberTemplate(const QJsonObject &definition)
{
    const auto saved = WorkflowTemplate::fromJson(definition, nullptr);
    if (!saved) return;
    const auto same =
        std::find_if(m_templates.begin(), m_templates.end(),
                     [&](const WorkflowTemplate &t) { return t.name == saved->name; });
    if (same != m_templates.end())
        *same = *saved;
    else
        m_templates.append(*saved);
    Q_EMIT templatesChanged();
}

void LabRuntime::dispatchCommand(const OperatorCommand &received)
{
    if (m_commandClient) { // a console only: the scheduler runs it
        const OperatorCommand &command = received;
        if (command.kind == QLatin1StringView("workflow.template.save"))
            m_templatesSent.insert(command.id,
                                   command.args.value(QLatin1StringView("definition")).toObject());
        if (command.kind == QLatin1StringView("signature.policy"))
            m_policiesSent.insert(command.id);
        QMetaObject::invokeMethod(m_commandClient,
                                  [c = m_commandClient, command] { c->send(command); });
        return;
    }
    std::optional<OperatorCommand> checked = authorize(received);
    if (!checked) return;
    // Only the account service makes signatures: whatever a command claims is dropped. A
    // command that asks for one goes there first; one of a kind that needs a signature but
    // carries none goes on, and whoever runs it refuses it (and audits the refusal).
    checked->signature = {};
    if (!checked->signatureRequest.isEmpty() && m_accounts) {
        QMetaObject::invokeMethod(m_accounts,
                                  [a = m_accounts, command = *checked] { a->sign(command); });
        return;
    }
    checked->signatureRequest = {};
    routeCommand(*checked);
}

void LabRuntime::routeCommand(const OperatorCommand &command)
{
    const OperatorCommand::Service service = OperatorCommand::serviceOf(command.kind);
    if (service == OperatorCommand::Service::Accounts && m_accounts) {
        QMetaObject::invokeMethod(m_accounts,
                                  [a = m_accounts, command] { a->handleCommand(command); });
        return;
    }
    if (service == OperatorCommand::Service::Alarms && m_alarms) {
        QMetaObject::invokeMethod(m_alarms, [a = m_alarms, command] { a->handleCommand(command); });
        return;
    }
    if (service == OperatorCommand::Service::Samples && m_registrar) {
        QMetaObject::invokeMethod(m_registrar, "handle", Qt::QueuedConnection,
                                  Q_ARG(alabos::OperatorCommand, command));
        return;
    }
    if (!m_engine) {
        Q_EMIT commandReplied({command.id, false, tr("The engine is not running here"), {}});
        return;
    }
    QMetaObject::invokeMethod(m_engine, [e = m_engine, command] { e->handleCommand(command); });
}

void LabRuntime::stop()
{
    if (m_started && m_consoleOnly) {
        m_started = false;
        stopConsoleRole();
    }
    if (!m_started && !m_postgres && !m_broker && !m_lease && !m_producer) return;
    if (m_started) {
        m_started = false;
        stopSchedulerServices(); // no more commands from other consoles
        stopAccounts();
        // Orderly: no new work; let running tasks finish for a moment; stop the drivers so
        // no result arrives any more; commit what the engine decided; publish what was
        // committed. Tasks still running stay 'running' in PostgreSQL and are recovered.
        if (m_arrivals)
            QMetaObject::invokeMethod(m_arrivals, &SampleArrivals::stop,
                                      Qt::BlockingQueuedConnection);
        // A registration in progress finishes (its events are published below); no new one.
        QMetaObject::invokeMethod(
            m_registrar, [r = m_registrar] { delete r; }, Qt::BlockingQueuedConnection);
        m_registrar = nullptr;
        m_samplesThread->quit();
        m_samplesThread->wait();
        QMetaObject::invokeMethod(m_engine, &LabEngine::drain, Qt::BlockingQueuedConnection);
        QDeadlineTimer deadline(m_options.shutdownGraceMs);
        for (;;) {
            qint64 running = 0;
            QMetaObject::invokeMethod(
                m_engine, [&] { running = m_engine->runningTasks(); },
                Qt::BlockingQueuedConnection);
            if (running == 0 || deadline.hasExpired()) break;
            QThread::msleep(50);
        }
        m_drivers->shutdown();
        if (m_hostLink) {
            // After the drivers: each remote one leaves the link as it goes.
            QMetaObject::invokeMethod(
                m_hostLink, [l = m_hostLink] { delete l; }, Qt::BlockingQueuedConnection);
            m_hostLink = nullptr;
            m_hostLinkThread->quit();
            m_hostLinkThread->wait();
        }
        // Telemetry: what the drivers sent reaches Kafka, then PostgreSQL.
        if (m_telemetry && !m_telemetry->flush(5000))
            qCWarning(lcBus) << "telemetry not acknowledged by Kafka before exit:"
                             << m_telemetry->counters().pending();
        if (m_persister) {
            // A persister that rewound after a failed write (the database restarted) re-reads
            // from its stored offsets first: it gets time while it makes progress, not a fixed
            // few seconds that a loaded machine overruns.
            const qint64 target = m_telemetry ? m_telemetry->counters().delivered : 0;
            const qint64 retired = m_retiredPersisterStats.persisted;
            QDeadlineTimer overall(60000);
            QDeadlineTimer stalled(5000);
            qint64 persisted = m_persister->stats().persisted + retired;
            while (persisted < target && !stalled.hasExpired() && !overall.hasExpired()) {
                QThread::msleep(20);
                const qint64 now = m_persister->stats().persisted + retired;
                if (now > persisted) stalled.setRemainingTime(5000);
                persisted = now;
            }
            if (persisted < target)
                qCWarning(lcBus).noquote()
                    << QStringLiteral("%1 telemetry readings delivered to Kafka were not yet "
                                      "written to PostgreSQL at exit; they stay in Kafka and the "
                                      "next start writes them")
                           .arg(target - persisted);
            m_persister->stop();
        }
        QMetaObject::invokeMethod(m_engine, &LabEngine::flushNow, Qt::BlockingQueuedConnection);
        int uncommitted = 0;
        QMetaObject::invokeMethod(
            m_writer, [&] { uncommitted = m_writer->flushNow(); }, Qt::BlockingQueuedConnection);
        if (uncommitted > 0)
            qCWarning(lcStorage)
                << uncommitted
                << "change sets could not be committed before exit (database unreachable)";
        QMetaObject::invokeMethod(
            m_engine, [&] { m_engineStats = m_engine->stats(); }, Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(m_relay, &EventRelay::stop, Qt::BlockingQueuedConnection);
        bool published = false;
        QMetaObject::invokeMethod(
            m_relay, [&] { published = m_relay->publishPending(5000); },
            Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            m_relay, [&] { m_eventsPublished = m_relay->publishedTotal(); },
            Qt::BlockingQueuedConnection);
        if (!published)
            qCWarning(lcBus) << "not every committed event reached Kafka before exit; the next "
                                "start publishes the rest";
        QMetaObject::invokeMethod(m_feed, &StateFeed::stop, Qt::BlockingQueuedConnection);
        auto destroy = [](QObject *object) {
            if (object)
                QMetaObject::invokeMethod(
                    object, [object] { delete object; }, Qt::BlockingQueuedConnection);
        };
        auto end = [](QThread *thread) {
            thread->quit();
            thread->wait();
        };
        destroy(m_arrivals);
        {
            std::lock_guard lock(m_remoteReadings->mutex);
            m_remoteReadings->alarms = nullptr;
        }
        destroy(m_alarms);
        destroy(m_engine);
        end(m_engineThread);
        destroy(m_feed);
        end(m_busThread);
        destroy(m_relay);
        end(m_relayThread);
        destroy(m_writer);
        end(m_storageThread);
        m_arrivals = nullptr;
        m_alarms = nullptr;
        m_engine = nullptr;
        m_feed = nullptr;
        m_relay = nullptr;
        m_writer = nullptr;
    }
    m_drivers.reset();
    if (m_persister) m_finalPersisterStats = persisterStats(); // for the summary after stop
    m_persister.reset();
    if (m_telemetry)
        m_finalTelemetryCounters = m_telemetry->counters(); // for the summary after stop
    m_telemetry.reset();
    m_producer.reset();
    m_broker.reset();
    releaseLeadership(); // everything is committed and published: another may lead now
    if (m_postgresKeeper) {
        QMetaObject::invokeMethod(
            m_postgresKeeper, [k = m_postgresKeeper] { delete k; }, Qt::BlockingQueuedConnection);
        m_postgresKeeper = nullptr;
        m_postgresThread->quit();
        m_postgresThread->wait();
    }
    if (m_postgres) m_postgres->stop();
    m_postgres.reset();
    m_lock.reset();
}

LabRuntime::MetricSources LabRuntime::metricSources() const
{
    MetricSources m;
    if (m_engine) m.grantLatency = m_engine->grantLatency();
    if (m_writer) {
        m.groupSizes = m_writer->groupSizes();
        m.commitSeconds = m_writer->commitSeconds();
    }
    if (m_relay) m.publishedByTopic = m_relay->publishedByTopic();
    return m;
}

TelemetryCounters LabRuntime::telemetryCounters() const
{
    return m_telemetry ? m_telemetry->counters() : m_finalTelemetryCounters;
}

PersisterStats LabRuntime::persisterStats() const
{
    PersisterStats s = m_persister ? m_persister->stats() : m_finalPersisterStats;
    if (!m_persister) return s; // the final stats include the retired persisters'
    s.persisted += m_retiredPersisterStats.persisted;
    s.batches += m_retiredPersisterStats.batches;
    s.lost += m_retiredPersisterStats.lost;
    s.deadLettered += m_retiredPersisterStats.deadLettered;
    s.rewinds += m_retiredPersisterStats.rewinds;
    s.writeSeconds += m_retiredPersisterStats.writeSeconds;
    return s;
}

} // namespace alabos
