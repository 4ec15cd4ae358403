// The two roles of an alabos process (DESIGN.md, "Beyond one machine"). The scheduler holds
// the PostgreSQL advisory lock and runs the engine, relay, persister and drivers
// (labruntime.cpp); it also serves the commands of other consoles. A console only shows
// the lab from the database snapshot and the Kafka state streams, and sends its commands
// through alabos.commands. Kept apart from labruntime.cpp, which composes the scheduler.
#include "app/labruntime.h"
#include "core/bus/commandchannel.h"
#include "core/bus/streamsigning.h"
#include "core/domain/logging.h"
#include "core/engine/workflowtemplate.h"
#include "core/storage/accountservice.h"
#include "core/storage/labkeys.h"
#include "core/storage/signaturestore.h"
#include "core/storage/snapshot.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QThread>
#include <pqxx/pqxx>

namespace alabos {

bool LabRuntime::decideRole(QString *error)
{
    qRegisterMetaType<SchedulerInfo>();
    if (m_options.consoleOnly) {
        m_consoleOnly = true;
        return true;
    }
    const QString lockConnection =
        m_options.leaderDatabaseUrl.isEmpty() ? m_databaseConnection : m_options.leaderDatabaseUrl;
    QString why;
    std::unique_ptr<SchedulerLease> lease = SchedulerLease::tryAcquire(lockConnection, &why);
    if (!lease) {
        if (!why.isEmpty()) {
            *error = why;
            return false;
        }
        m_consoleOnly = true;
        qCInfo(lcApp) << "another process runs the scheduler: this one is a console only";
        return true;
    }
    m_leaderThread = startThread("leadership");
    m_lease = lease.release();
    m_lease->moveToThread(m_leaderThread);
    connect(m_lease, &SchedulerLease::lost, this, &LabRuntime::fatalError);
    return true;
}

bool LabRuntime::announceScheduler(QString *error)
{
    // Still on this thread: the lease's checks start only with startSchedulerServices().
    if (!m_lease->announce(m_kafka.bootstrap, m_signingKey->publicKey(), error)) return false;
    m_scheduler = {QHostInfo::localHostName(),
                   QCoreApplication::applicationPid(),
                   QDateTime::currentDateTime(),
                   m_kafka.bootstrap,
                   true,
                   true};
    return true;
}

void LabRuntime::startSchedulerServices()
{
    QMetaObject::invokeMethod(m_lease, [lease = m_lease] { lease->startChecking(); });
    startAccounts();
    // Commands of other consoles: each proves its session (core/security/sessions.h).
    m_commandServer = new RemoteCommandServer(m_kafka, m_producer.get(), m_sessions, m_signingKey);
    m_commandServer->moveToThread(m_leaderThread);
    connect(m_commandServer, &RemoteCommandServer::signInRequested, m_accounts,
            &AccountService::signIn);
    connect(m_commandServer, &RemoteCommandServer::signOutRequested, m_accounts,
            &AccountService::signOut);
    connect(m_commandServer, &RemoteCommandServer::refusedUnproven, m_accounts,
            &AccountService::auditRefusal);
    connect(m_accounts, &AccountService::signedIn, m_commandServer,
            &RemoteCommandServer::onSignedIn);
    connect(m_commandServer, &RemoteCommandServer::commandReceived, this,
            &LabRuntime::dispatchCommand);
    connect(this, &LabRuntime::commandReplied, m_commandServer, &RemoteCommandServer::onReply);
    connect(m_commandServer, &RemoteCommandServer::failed, this, &LabRuntime::fatalError);
    QMetaObject::invokeMethod(m_commandServer, &RemoteCommandServer::start, Qt::QueuedConnection);
    Q_EMIT schedulerChanged(m_scheduler);
}

void LabRuntime::stopSchedulerServices()
{
    if (!m_commandServer) return;
    QMetaObject::invokeMethod(
        m_commandServer, [s = m_commandServer] { delete s; }, Qt::BlockingQueuedConnection);
    m_commandServer = nullptr;
}

void LabRuntime::releaseLeadership()
{
    if (!m_lease) return;
    QMetaObject::invokeMethod(
        m_lease, [l = m_lease] { delete l; }, Qt::BlockingQueuedConnection);
    m_lease = nullptr;
    m_leaderThread->quit();
    m_leaderThread->wait();
}

void LabRuntime::subscribeFeed(QObject *context, std::function<void(const FeedUpdate &)> apply)
{
    m_feedSubscribers.append({context, apply});
    if (m_feed) connect(m_feed, &StateFeed::updated, context, std::move(apply));
}

void LabRuntime::createFeed()
{
    const QString connection = m_databaseConnection;
    m_feed = new StateFeed(
        m_kafka, [connection](QString *why) { return loadSnapshot(connection, 2000, why); });
    m_feed->setDeadLetterProducer(m_producer.get());
    m_feed->setTrustedKeys(m_trustedKeys);
    // Readings are for a window's live charts; a headless process shows none.
    m_feed->setFollowTelemetry(!m_options.headless);
    m_feed->moveToThread(m_busThread);
    for (const FeedSubscriber &subscriber : std::as_const(m_feedSubscribers))
        if (subscriber.context)
            connect(m_feed, &StateFeed::updated, subscriber.context, subscriber.apply);
    connect(m_feed, &StateFeed::statsChanged, this, [this](const FeedStats &s) {
        m_feedStats = s;
        Q_EMIT feedStatsChanged(s);
    });
    connect(m_feed, &StateFeed::failed, this, &LabRuntime::fatalError);
}

bool LabRuntime::startConsoleRole(QString *error)
{
    pqxx::connection c(m_databaseConnection.toStdString());
    const std::optional<SchedulerInfo> scheduler = readSchedulerInfo(c, error);
    if (!scheduler) return false;
    m_scheduler = *scheduler;
    // The broker: given, or the one the scheduler announced.
    m_kafka = m_options.kafka;
    if (m_kafka.bootstrap.isEmpty()) m_kafka.bootstrap = scheduler->kafkaBootstrap;
    if (m_kafka.bootstrap.isEmpty()) {
        *error = tr("This console needs the scheduler's Kafka broker: give --kafka-bootstrap "
                    "HOST:PORT (no scheduler has announced one in this database)");
        return false;
    }
    qCInfo(lcBus).noquote() << "Kafka:" << m_kafka.describe();
    m_producer = KafkaProducer::create(m_kafka, error);
    if (!m_producer) return false;
    m_busThread = startThread("bus");
    // The snapshot always comes from PostgreSQL: a console has the database, and the
    // scheduler's broker may be an embedded one that keeps too little to replay.
    createFeed();
    m_commandClient = new RemoteCommandClient(m_kafka);
    m_commandClient->setSchedulerKey(scheduler->signingKey);
    // Events from any scheduler this lab had (a standby that took over signs with its own).
    try {
        for (const QByteArray &key : loadSchedulerKeys(c))
            m_trustedKeys->add(key);
    } catch (const std::exception &e) {
        *error =
            tr("cannot read the schedulers' keys: %1").arg(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
    m_commandClient->moveToThread(m_busThread);
    connect(m_commandClient, &RemoteCommandClient::signedIn, this, &LabRuntime::onSignedIn);
    // Before the reply reaches the panels: a template the scheduler accepted is offered here
    // at once, as on the scheduler's own console.
    connect(m_commandClient, &RemoteCommandClient::replied, this, [this](const CommandReply &r) {
        const QJsonObject definition = m_templatesSent.take(r.commandId);
        if (r.ok && !definition.isEmpty()) rememberTemplate(definition);
        // The policy this console asks signatures by: what it saved itself, or what the
        // scheduler said when it refused a command for want of a signature (another
        // administrator changed it since this console started).
        const QJsonObject refusedWith =
            r.data.value(QLatin1StringView("signature_policy")).toObject();
        if (m_policiesSent.remove(r.commandId) && r.ok) {
            if (const auto policy = SignaturePolicy::fromJson(r.data, nullptr))
                m_signatures->setPolicy(*policy);
        } else if (!refusedWith.isEmpty()) {
            if (const auto policy = SignaturePolicy::fromJson(refusedWith, nullptr))
                m_signatures->setPolicy(*policy);
        }
    });
    connect(m_commandClient, &RemoteCommandClient::replied, this, &LabRuntime::commandReplied);
    connect(m_commandClient, &RemoteCommandClient::failed, this, &LabRuntime::fatalError);
    // On a thread of its own: a Kafka call that waits (a dead broker) never delays it.
    m_leaderThread = startThread("leadership");
    m_schedulerWatch = new SchedulerWatch(m_databaseConnection);
    m_schedulerWatch->moveToThread(m_leaderThread);
    connect(m_schedulerWatch, &SchedulerWatch::changed, this, [this](const SchedulerInfo &info) {
        m_scheduler = info;
        if (!info.signingKey.isEmpty()) m_trustedKeys->add(info.signingKey);
        if (!info.signingKey.isEmpty())
            QMetaObject::invokeMethod(
                m_commandClient,
                [c = m_commandClient, key = info.signingKey] { c->setSchedulerKey(key); });
        Q_EMIT schedulerChanged(info);
        // Only when the database said so: a console cut off from it knows nothing.
        if (!m_options.consoleOnly && info.answered && !info.running) Q_EMIT schedulerVacant();
    });
    // Templates saved later reach this console at its next start (docs/console.md).
    const auto stored = loadWorkflowTemplates(m_databaseConnection, error);
    if (!stored) return false;
    m_templates = offeredTemplates(*stored, nullptr);
    // What the console asks a signature for; the scheduler decides (docs/console.md).
    m_signatures = std::make_shared<SignatureAuthority>();
    try {
        m_signatures->setPolicy(loadSignaturePolicy(c));
    } catch (const std::exception &e) {
        qCWarning(lcApp).noquote() << "the signature policy was not read:" << e.what();
    }
    QMetaObject::invokeMethod(m_feed, &StateFeed::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_commandClient, &RemoteCommandClient::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_schedulerWatch, &SchedulerWatch::start, Qt::QueuedConnection);
    m_started = true;
    return true;
}

void LabRuntime::stopConsoleRole()
{
    for (QObject *object : {static_cast<QObject *>(m_feed), static_cast<QObject *>(m_commandClient),
                            static_cast<QObject *>(m_schedulerWatch)})
        if (object)
            QMetaObject::invokeMethod(
                object, [object] { delete object; }, Qt::BlockingQueuedConnection);
    m_feed = nullptr;
    m_commandClient = nullptr;
    m_schedulerWatch = nullptr;
    for (QThread *thread : {m_busThread, m_leaderThread}) {
        thread->quit();
        thread->wait();
    }
    m_producer.reset();
}

} // namespace alabos
