#pragma once
#include "app/options.h"
#include "core/bus/statefeed.h"
#include "core/bus/streamsigning.h"
#include "core/bus/telemetrypersister.h"
#include "core/bus/telemetrypublisher.h"
#include "core/domain/commands.h"
#include "core/drivers/devicedriver.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/labfile.h"
#include "core/engine/labengine.h"
#include "core/engine/labsimulation.h"
#include "core/security/apitokens.h"
#include "core/security/sessions.h"
#include "core/security/signatures.h"
#include "core/storage/schedulerlease.h"

#include <QLockFile>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <atomic>
#include <memory>
#include <mutex>

class QThread;

namespace alabos {

class DriverPool;
class DriverHostLink;
class EmbeddedBroker;
class PostgresKeeper;
class EmbeddedPostgres;
class EventRelay;
class KafkaProducer;
class AccountService;
class SessionRegistry;
class SigningKey;
class TrustedKeys;
class RemoteCommandClient;
class RemoteCommandServer;
class AlarmService;
class SampleArrivals;
class SampleRegistrar;
class StorageWriter;

// Composes the parts of one alabos process on their threads: storage, relay, engine,
// drivers and a console feed. Lives on the main thread; everything it reports arrives
// through queued signals.
class LabRuntime : public QObject
{
    Q_OBJECT
public:
    explicit LabRuntime(Options options, QObject *parent = nullptr);
    ~LabRuntime() override;

    // Starts everything; blocking, for start-up only. False with a message a person can act on.
    bool start(QString *error);
    // Only the database (embedded or configured), its schema brought up to date: for
    // one-shot tools such as --export-lab. stop() ends it.
    bool startDatabase(QString *error);
    // Writes the lab the database holds (devices not removed, with their driver settings,
    // and positions) as a lab file.
    bool exportLab(const QString &path, QString *error) const;
    // Orderly stop: arrivals stop, running work is committed and published, then the
    // threads end and the embedded servers stop.
    void stop();

    QString databaseConnection() const { return m_databaseConnection; }
    QString kafkaBootstrap() const { return m_kafka.bootstrap; }
    const KafkaSettings &kafkaSettings() const { return m_kafka; }
    EmbeddedBroker *embeddedBroker() const { return m_broker.get(); }
    EmbeddedPostgres *embeddedPostgres() const { return m_postgres.get(); }
    LabEngine *engine() const { return m_engine; }
    EngineStats engineStats() const { return m_engineStats; }
    FeedStats feedStats() const { return m_feedStats; }
    qint64 eventsPublished() const { return m_eventsPublished; }
    qint64 deviceCount() const { return m_deviceCount; }
    bool databaseConnected() const { return m_databaseConnected; }
    bool brokerHealthy() const { return m_brokerHealthy; }
    // What a device's driver describes; thread-safe (descriptions are immutable).
    QList<CommandDescription> describeDevice(const QString &deviceId) const;
    QList<WorkflowTemplate> workflowTemplates() const { return m_templates; }
    // alarmPublished, soon and from the engine thread, for each alarm open now; nothing in a
    // console-only process.
    void announceOpenAlarms();

    // Telemetry: drivers publish through it (any thread) and take its throttle().
    TelemetryPublisher *telemetryPublisher() const { return m_telemetry.get(); }
    TelemetryCounters telemetryCounters() const;
    PersisterStats persisterStats() const;
    bool telemetryBackPressure() const { return m_telemetryBackPressure; }

    // Roles (app/roles.cpp): true when another process runs the scheduler (or
    // --console-only): no engine, drivers, relay or persister here; commands go through
    // alabos.commands.
    bool consoleOnly() const { return m_consoleOnly; }
    SchedulerInfo schedulerInfo() const { return m_scheduler; }

    // Sessions (app/sessions.cpp). Sign-in is the scheduler's decision: here when this
    // process runs it, else sent to it over alabos.commands. `done` runs on `context`'s
    // thread unless the context is gone.
    void signIn(const SignInRequest &request, QObject *context,
                std::function<void(const SignInResult &)> done);
    void signOut(const QString &sessionId);
    // True when the administrator of this (scheduler's) database has no password yet: the
    // console asks for one (setFirstAdminPassword) before anyone signs in.
    bool adminPasswordMissing() const { return m_adminPasswordMissing.load(); }
    bool setFirstAdminPassword(const QString &password, QString *error);
    // The password a headless first start generated for admin (printed once), else empty.
    QString generatedAdminPassword() const { return m_generatedAdminPassword; }
    int openSessions() const;
    // The scheduler's sessions (thread-safe), for the API to open one per token; null in a
    // process that does not run the scheduler.
    std::shared_ptr<SessionRegistry> sessions() const { return m_sessions; }
    // Which command kinds need an electronic signature and the reasons to choose from
    // (core/security/signatures.h): the scheduler's own, or, in a console only, what the
    // database held at start and what this console's signature.policy changed since.
    SignaturePolicy signaturePolicy() const;
    // What the scheduler's parts measure for /metrics, each readable from any thread; null
    // where this process does not run that part.
    struct MetricSources
    {
        std::shared_ptr<const Histogram> grantLatency;
        std::shared_ptr<const Histogram> groupSizes;
        std::shared_ptr<const Histogram> commitSeconds;
        std::shared_ptr<const LabelledCounters> publishedByTopic;
    };
    MetricSources metricSources() const;
    // The API tokens the REST API accepts (core/security/apitokens.h), kept current by the
    // account service; thread-safe to call verify() on from any thread. Present from
    // construction (empty until the accounts start).
    std::shared_ptr<const ApiTokenDirectory> apiTokens() const { return m_apiTokens; }
    // The feed's batches on `context`'s thread, straight from the feed's thread. The only way
    // to the feed: a process with no subscriber on its main thread (a headless scheduler)
    // never hands a batch there, so its main thread neither copies nor frees them.
    void subscribeFeed(QObject *context, std::function<void(const FeedUpdate &)> apply);

public Q_SLOTS:
    // An operator's command: its session is checked (user, role and host come from it),
    // then it goes to whoever runs it, which checks the permission, commits and replies.
    void dispatchCommand(const alabos::OperatorCommand &command);

private Q_SLOTS:
    // A command whose session (and signature, when it carries one) was checked: to whoever
    // runs it.
    void routeCommand(const alabos::OperatorCommand &command);

Q_SIGNALS:
    void engineStatsChanged(const alabos::EngineStats &stats);
    void feedStatsChanged(const alabos::FeedStats &stats);
    void databaseConnectionChanged(bool connected, const QString &message);
    void brokerStateChanged(bool healthy, const QString &message);
    // Telemetry back-pressure (broker unreachable or queue past its high-water mark) and
    // lost telemetry: for an alarm.
    void telemetryStateChanged(bool backPressure, const QString &message);
    void telemetryLost(qint64 count, const QString &message);
    // The embedded broker died and was started again (app/brokerrecovery.cpp): for an alarm.
    void brokerRestarted(qint64 lostReadings, const QString &message);
    void fatalError(const QString &message);
    // Every change to one of this scheduler's alarms, before it is committed or relayed
    // (from the engine thread): the console here shows alarms without Kafka.
    void alarmPublished(const alabos::Alarm &alarm);
    void commandReplied(const alabos::CommandReply &reply);
    // Who runs the scheduler, and whether it is reachable (its lock is held).
    void schedulerChanged(const alabos::SchedulerInfo &info);
    // A standby (a console that was not started with --console-only) saw the scheduler's lock
    // free: it may stop and start again to take over (main.cpp).
    void schedulerVacant();
    // A workflow template was saved while the lab runs: workflowTemplates() changed.
    void templatesChanged();

private:
    QThread *startThread(const char *name);
    // Roles (app/roles.cpp).
    bool decideRole(QString *error);
    bool startConsoleRole(QString *error);
    void stopConsoleRole();
    bool announceScheduler(QString *error);
    void startSchedulerServices();
    void stopSchedulerServices();
    void releaseLeadership();
    void createFeed();
    // Sessions (app/sessions.cpp).
    bool prepareAccounts(QString *error);
    // The partitions of events and telemetry in the configured span, from now on.
    void preparePartitions();
    void startAccounts();
    void stopAccounts();
    std::optional<OperatorCommand> authorize(const OperatorCommand &command);
    void onSignedIn(qint64 requestId, const SignInResult &result);
    // The numbered steps of start(), in order.
    bool startBroker(QString *error);
    bool startDrivers(const LabSnapshot &snapshot, std::optional<LabProfile> *profile,
                      QString *error);
    // The scheduler's link to its driver hosts, when the lab has remote devices.
    void startDriverHostLink();
    void startEngine();
    bool startStreams(QString *error);
    // The telemetry persister, with a consumer name of its own on the embedded broker.
    bool startPersister(QString *error);
    // The embedded broker's death and restart (app/brokerrecovery.cpp).
    void watchEmbeddedBroker();
    void onBrokerDied(const QString &why);
    void onBrokerBack(int restarts);
    void startAlarms();
    void startSampleServices(const LabSnapshot &snapshot);
    void run(const LabSnapshot &snapshot, const std::optional<LabProfile> &profile);
    // The devices this process runs: the lab file's, a simulated profile's (then *profile
    // is set), or else the database's. False with a message listing every problem of the
    // lab file.
    bool declareLab(const LabSnapshot &snapshot, std::optional<LabProfile> *profile,
                    QString *error);
    // Builds a device's driver through DriverRegistry and puts it on the pool; wired to the
    // engine and the alarms once they exist. Any thread that owns the pool's bookkeeping.
    DeviceDriver *attachDriver(const DeviceSpec &spec, QString *error);
    void wireDriver(DeviceDriver *driver);
    static QList<PositionState> declaredPositions(const LabFile &lab);
    // The lab the database holds: devices not removed, with their stored driver settings
    // (what runs without a lab file, and what --export-lab writes).
    static QList<DeviceSpec> devicesHeld(const LabSnapshot &snapshot);
    // Adds a template saved while the lab runs to what this console offers (or replaces one).
    void rememberTemplate(const QJsonObject &definition);

    Options m_options;
    std::optional<LabFile> m_lab;
    QList<DeviceSpec> m_declaredDevices;
    DriverContext m_driverContext;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<EmbeddedPostgres> m_postgres;
    std::unique_ptr<EmbeddedBroker> m_broker;
    std::unique_ptr<KafkaProducer> m_producer;
    std::unique_ptr<DriverPool> m_drivers;
    DriverHostLink *m_hostLink = nullptr;
    QThread *m_hostLinkThread = nullptr;
    std::unique_ptr<TelemetryPublisher> m_telemetry;
    std::unique_ptr<TelemetryPersister> m_persister;
    std::shared_ptr<BrokerWindowGuard> m_windowGuard; // the embedded broker only
    // Telemetry the publisher had delivered when the current broker incarnation started, and
    // when it died (-1: alive); what earlier persisters wrote.
    qint64 m_deliveredAtBrokerStart = 0;
    qint64 m_deliveredAtBrokerDeath = -1;
    PersisterStats m_retiredPersisterStats;
    bool m_telemetryBackPressure = false;
    KafkaSettings m_kafka;
    QString m_databaseConnection;
    QString m_ownerDatabaseConnection; // migrations and retention: the schema's owner
    QThread *m_storageThread = nullptr;
    QThread *m_relayThread = nullptr;
    QThread *m_engineThread = nullptr;
    QThread *m_busThread = nullptr;
    StorageWriter *m_writer = nullptr;
    EventRelay *m_relay = nullptr;
    LabEngine *m_engine = nullptr;
    SampleArrivals *m_arrivals = nullptr;
    AlarmService *m_alarms = nullptr;
    // Devices whose drivers run on driver hosts: their readings reach the alarm rules once the
    // persister stored them (local drivers hand theirs over directly). Read on the persister's
    // writer threads.
    struct RemoteReadings
    {
        std::mutex mutex;
        QSet<QString> devices;
        AlarmService *alarms = nullptr;
    };
    std::shared_ptr<RemoteReadings> m_remoteReadings = std::make_shared<RemoteReadings>();
    QThread *m_samplesThread = nullptr;
    SampleRegistrar *m_registrar = nullptr;
    StateFeed *m_feed = nullptr;
    EngineStats m_engineStats;
    FeedStats m_feedStats;
    qint64 m_eventsPublished = 0;
    qint64 m_deviceCount = 0;
    // The database as this process sees it: the writer's connection, the scheduler lock's
    // connection and whether the writer's transaction is answered; one state for the console.
    void updateDatabaseState(const QString &message);
    void watchDatabaseWaits();
    bool m_databaseConnected = true;
    bool m_writerConnected = true;
    bool m_leaseConnected = true;
    bool m_writerWaiting = false;
    bool m_brokerHealthy = true;
    bool m_started = false;
    QList<WorkflowTemplate> m_templates;
    // A console only: the definitions it sent to the scheduler, by command id, until the reply.
    QHash<qint64, QJsonObject> m_templatesSent;
    TelemetryCounters m_finalTelemetryCounters;
    PersisterStats m_finalPersisterStats;
    // Roles (app/roles.cpp).
    bool m_consoleOnly = false;
    SchedulerInfo m_scheduler;
    QThread *m_leaderThread = nullptr;
    SchedulerLease *m_lease = nullptr;
    PostgresKeeper *m_postgresKeeper = nullptr;
    QThread *m_postgresThread = nullptr;
    RemoteCommandServer *m_commandServer = nullptr;
    std::shared_ptr<SessionRegistry> m_sessions;
    std::shared_ptr<SignatureAuthority> m_signatures;
    QSet<qint64> m_policiesSent; // a console only: its signature.policy commands awaiting reply
    const std::shared_ptr<ApiTokenDirectory> m_apiTokens = std::make_shared<ApiTokenDirectory>();
    std::shared_ptr<const SigningKey> m_signingKey;
    std::shared_ptr<TrustedKeys> m_trustedKeys = std::make_shared<TrustedKeys>();
    QThread *m_accountsThread = nullptr;
    AccountService *m_accounts = nullptr;
    struct PendingSignIn
    {
        QPointer<QObject> context;
        std::function<void(const SignInResult &)> done;
    };
    QHash<qint64, PendingSignIn> m_signIns;
    qint64 m_nextSignIn = 1;
    std::atomic<bool> m_adminPasswordMissing{false};
    QString m_generatedAdminPassword;
    RemoteCommandClient *m_commandClient = nullptr;
    struct FeedSubscriber
    {
        QPointer<QObject> context;
        std::function<void(const FeedUpdate &)> apply;
    };
    QList<FeedSubscriber> m_feedSubscribers; // connected to each feed createFeed makes
    SchedulerWatch *m_schedulerWatch = nullptr;
};

} // namespace alabos
