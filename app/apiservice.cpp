#include "app/apiservice.h"

#include "app/apidatabase.h"
#include "app/apieventstream.h"
#include "app/apilabstate.h"
#include "app/labruntime.h"
#include "core/api/httpserver.h"
#include "core/api/jsonschema.h"
#include "core/api/ratelimiter.h"
#include "core/domain/logging.h"
#include "core/security/passwords.h"
#include "core/security/sessions.h"
#include "core/security/signatures.h"
#include "core/storage/pgutil.h"
#include "core/storage/samplequeries.h"
#include "core/storage/sampleregistrar.h"
#include "core/storage/samplestore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <pqxx/pqxx>
#include <unistd.h>

namespace alabos {

namespace {
constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;
constexpr int kMaxEventsPerDevice = 1000;
constexpr int kMaxSearchResults = 500;
// Reads are written to the audit trail this often; a database away keeps this many
// (token, route, address) counts for later.
constexpr int kReadAuditEverySeconds = 5;
constexpr qsizetype kMaxUnwrittenReads = 100000;

QList<ApiQueryParameter> paging()
{
    return {{QStringLiteral("offset"), schema::integer(0, 100000000),
             QStringLiteral("items to skip (default 0)")},
            {QStringLiteral("limit"), schema::integer(1, kMaxPage),
             QStringLiteral("items in one page (default 100, at most 1000)")}};
}

QJsonObject pageJson(const ApiPage &page, qint64 offset, qint64 limit)
{
    return {{QStringLiteral("items"), page.items},
            {QStringLiteral("total"), page.total},
            {QStringLiteral("offset"), offset},
            {QStringLiteral("limit"), limit}};
}

QJsonObject pageSchema(const QString &what)
{
    return schema::described(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                    {QStringLiteral("properties"),
                     QJsonObject{{QStringLiteral("items"),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}}},
                                 {QStringLiteral("total"), schema::integer(0, 1LL << 53)},
                                 {QStringLiteral("offset"), schema::integer(0, 1LL << 53)},
                                 {QStringLiteral("limit"), schema::integer(1, kMaxPage)}}}},
        what);
}

QJsonObject anObject(const QString &what)
{
    return schema::described(QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}, what);
}

// The numeric id of a path parameter, or 0 after answering 400.
qint64 numericId(const ApiCall &call, const QString &name)
{
    bool ok = false;
    const qint64 id = call.path(name).toLongLong(&ok);
    if (!ok || id <= 0) {
        call.error(400, QStringLiteral("invalid_field"),
                   ApiService::tr("%1 must be a positive whole number").arg(name), name);
        return 0;
    }
    return id;
}

} // namespace

struct ApiService::PendingCommand
{
    ApiCall call;
    std::function<void(const ApiCall &, const CommandReply &)> done;
    QElapsedTimer age;
};

ApiService::ApiService(LabRuntime *runtime, ApiSettings settings, QObject *parent)
    : QObject(parent), m_runtime(runtime), m_settings(std::move(settings)),
      m_state(std::make_shared<ApiLabState>()),
      m_limiter(std::make_shared<RateLimiter>(m_settings.requestsPerSecond, m_settings.burst)),
      // Command ids of the API stay apart from the console's own, which count from 1.
      m_nextCommandId(qint64(1) << 52)
{
    m_stateThread.setObjectName(QStringLiteral("api-state"));
    m_stateContext = new QObject;
    m_stateContext->moveToThread(&m_stateThread);
    m_stateThread.start();
    m_runtime->subscribeFeed(m_stateContext,
                             [state = m_state](const FeedUpdate &update) { state->apply(update); });
    connect(m_runtime, &LabRuntime::commandReplied, this, &ApiService::onCommandReplied);
    connect(m_runtime, &LabRuntime::templatesChanged, this,
            [this] { m_state->setTemplates(m_runtime->workflowTemplates()); });
    connect(m_runtime, &LabRuntime::databaseConnectionChanged, this,
            [this](bool connected, const QString &) { m_databaseUp = connected; });
    connect(m_runtime, &LabRuntime::brokerStateChanged, this,
            [this](bool healthy, const QString &) { m_brokerUp = healthy; });
    connect(&m_expiry, &QTimer::timeout, this, &ApiService::expireCommands);
    connect(m_runtime, &LabRuntime::engineStatsChanged, this, [this](const EngineStats &s) {
        std::lock_guard lock(m_observedMutex);
        m_observed.engine = s;
    });
    connect(m_runtime, &LabRuntime::feedStatsChanged, this, [this](const FeedStats &s) {
        std::lock_guard lock(m_observedMutex);
        m_observed.feed = s;
    });
    connect(&m_poll, &QTimer::timeout, this, &ApiService::pollStatistics);
}

ApiService::~ApiService()
{
    stop();
    m_stateThread.quit();
    m_stateThread.wait();
    delete m_stateContext; // its thread has ended; the feed's connection goes with it
}

void ApiService::setAuthenticator(ApiRouter::Authenticator authenticate)
{
    m_authenticate = std::move(authenticate);
}

bool ApiService::start(QString *error)
{
    m_state->setTemplates(m_runtime->workflowTemplates());
    m_databaseUp = m_runtime->databaseConnected();
    m_brokerUp = m_runtime->brokerHealthy();
    m_schedulerHere = !m_runtime->consoleOnly();
    m_database = std::make_unique<ApiDatabase>(
        m_runtime->databaseConnection(), 2,
        QList<QPair<QString, QString>>{
            {QStringLiteral("api_device_events"),
             QStringLiteral("SELECT %1 FROM events WHERE entity_type = 'device' AND entity_id = "
                            "$1 ORDER BY created_at DESC, id DESC LIMIT $2")
                 .arg(QLatin1StringView(kEventColumns))}});
    m_events = std::make_unique<ApiEventStream>(m_runtime->databaseConnection());
    ApiRouter::Authenticator authenticate = m_authenticate;
    if (!authenticate)
        // The tokens users made in the console, with each user's role as it is now.
        authenticate = [tokens = m_runtime->apiTokens()](QByteArrayView token, QString *why) {
            const std::optional<ApiPrincipal> p = tokens->verify(token, nowMicros(), why);
            if (!p) return std::optional<ApiCaller>();
            return std::optional<ApiCaller>(
                ApiCaller{p->tokenId, p->user, p->displayName, p->role});
        };
    m_router = std::make_unique<ApiRouter>(routes(), std::move(authenticate), m_limiter);
    m_readAudit = std::make_shared<ReadAudit>();
    m_router->setReadAudit(m_readAudit);
    m_sources = m_runtime->metricSources();
    m_openApi = QJsonDocument(m_router->openApi(QStringLiteral("alabos"),
                                                QString::fromLatin1(ALABOS_VERSION)))
                    .toJson(QJsonDocument::Indented);
    HttpServerSettings server;
    server.listen = m_settings.listen;
    server.tlsCertificate = m_settings.tlsCertificate;
    server.tlsKey = m_settings.tlsKey;
    server.threads = m_settings.threads;
    server.maxBodyBytes = kMaxBodyBytes;
    const ApiRouter *router = m_router.get();
    m_server = std::make_unique<HttpServer>(
        server, [router](std::shared_ptr<HttpExchange> exchange) { router->handle(exchange); });
    QString why;
    if (!m_server->start(&why)) {
        if (error) *error = tr("the API cannot listen on %1: %2").arg(m_settings.listen, why);
        m_server.reset();
        return false;
    }
    m_expiry.start(1000);
    pollStatistics();
    m_poll.start(1000);
    qCInfo(lcApp).noquote() << "API listening on" << baseUrl();
    return true;
}

void ApiService::pollStatistics()
{
    const TelemetryCounters telemetry = m_runtime->telemetryCounters();
    const PersisterStats persister = m_runtime->persisterStats();
    {
        std::lock_guard lock(m_observedMutex);
        m_observed.telemetry = telemetry;
        m_observed.persister = persister;
    }
    if (m_polls % kReadAuditEverySeconds == kReadAuditEverySeconds - 1) writeReadAudit(false);
    // Connections to the lab's database, every fifth second, on the API's own connection.
    if (m_polls++ % 5 == 0 && m_database)
        m_database->post([this](pqxx::connection *c, const QString &) {
            if (!c) return;
            pqxx::nontransaction tx(*c);
            const qint64 n = tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                      "current_database()")[0]
                                 .as<qint64>();
            std::lock_guard lock(m_observedMutex);
            m_observed.databaseConnections = n;
        });
}

void ApiService::writeReadAudit(bool now)
{
    if (!m_readAudit) return;
    QList<ApiReadSummary> reads = m_readAudit->take();
    {
        std::lock_guard lock(m_unwrittenMutex);
        reads = m_unwrittenReads + reads;
        m_unwrittenReads.clear();
    }
    if (reads.isEmpty()) return;
    QJsonArray rows;
    for (const ApiReadSummary &r : std::as_const(reads)) {
        QJsonObject statuses;
        for (auto it = r.statuses.cbegin(); it != r.statuses.cend(); ++it)
            statuses.insert(QString::number(it.key()), qint64(it.value()));
        rows.append(QJsonObject{
            {QStringLiteral("user"), r.user},
            {QStringLiteral("host"), r.address},
            {QStringLiteral("route"), r.route},
            {QStringLiteral("detail"),
             QJsonObject{{QStringLiteral("origin"), QStringLiteral("api:%1").arg(r.tokenId)},
                         {QStringLiteral("count"), qint64(r.count)},
                         {QStringLiteral("statuses"), statuses},
                         {QStringLiteral("first_us"), r.firstUs},
                         {QStringLiteral("last_us"), r.lastUs}}}});
    }
    const std::string json = QJsonDocument(rows).toJson(QJsonDocument::Compact).toStdString();
    // One row per token, route and address; failed: kept for the next time, up to a bound.
    auto write = [this, json, reads](pqxx::connection *c, const QString &problem) {
        try {
            if (!c) throw std::runtime_error(problem.toStdString());
            pqxx::work tx(*c);
            tx.exec_params(
                "INSERT INTO audit_log (user_name, host, action, entity_type, entity_id, "
                "detail) SELECT left(j->>'user', 200), left(j->>'host', 255), "
                "'api_read', 'api', left(j->>'route', 400), j->'detail' FROM "
                "jsonb_array_elements($1::jsonb) j",
                json);
            tx.commit();
        } catch (const std::exception &e) {
            keepUnwrittenReads(reads, QString::fromUtf8(e.what()));
        }
    };
    if (now) {
        try {
            pqxx::connection c(m_runtime->databaseConnection().toStdString());
            write(&c, {});
        } catch (const std::exception &e) {
            write(nullptr, QString::fromUtf8(e.what()));
        }
    } else if (m_database && !m_database->post(write)) {
        keepUnwrittenReads(reads, tr("the API's database queue is full"));
    }
}

void ApiService::keepUnwrittenReads(const QList<ApiReadSummary> &reads, const QString &why)
{
    std::lock_guard lock(m_unwrittenMutex);
    if (m_unwrittenReads.size() + reads.size() <= kMaxUnwrittenReads) {
        m_unwrittenReads = reads + m_unwrittenReads;
        qCWarning(lcApp).noquote() << "api: read audit not written yet:" << why;
    } else {
        qCCritical(lcApp).noquote()
            << "api: read audit of" << reads.size() << "token/route pairs lost:" << why;
    }
}

QByteArray ApiService::renderMetrics(QList<QByteArray> *families) const
{
    Observed o;
    {
        std::lock_guard lock(m_observedMutex);
        o = m_observed;
    }
    const ApiLabState::Fleet fleet = m_state->fleet();
    PrometheusText p;
    const bool scheduler = m_schedulerHere;
    p.family("alabos_scheduler_up", "gauge",
             tr("1 while this process runs the scheduler and reaches its database"));
    p.sample("alabos_scheduler_up", scheduler && m_databaseUp ? 1 : 0);
    p.family("alabos_database_up", "gauge", tr("1 while the database answers"));
    p.sample("alabos_database_up", m_databaseUp ? 1 : 0);
    p.family("alabos_broker_up", "gauge", tr("1 while Kafka answers"));
    p.sample("alabos_broker_up", m_brokerUp ? 1 : 0);
    // Tasks and the queue, as the engine counts them.
    p.family("alabos_tasks", "gauge",
             tr("Unfinished tasks, as the engine counts them: running, and unfinished (all not "
                "yet finished, waiting for their dependencies included)"));
    p.sample("alabos_tasks", double(o.engine.runningTasks),
             {{"status", QStringLiteral("running")}});
    p.sample("alabos_tasks", double(o.engine.activeTasks),
             {{"status", QStringLiteral("unfinished")}});
    p.family("alabos_tasks_finished_total", "counter",
             tr("Tasks finished since this process started, by outcome"));
    p.sample("alabos_tasks_finished_total", double(o.engine.tasksCompleted),
             {{"outcome", QStringLiteral("completed")}});
    p.sample("alabos_tasks_finished_total", double(o.engine.tasksFailed),
             {{"outcome", QStringLiteral("failed")}});
    p.sample("alabos_tasks_finished_total", double(o.engine.tasksCancelled),
             {{"outcome", QStringLiteral("cancelled")}});
    p.family("alabos_tasks_retried_total", "counter", tr("Tasks run again after a failure"));
    p.sample("alabos_tasks_retried_total", double(o.engine.tasksRetried));
    // The queue as /api/v1/queue shows it (the feed's state), so depth and age agree.
    p.family("alabos_queue_depth", "gauge", tr("Tasks ready to run and waiting for a device"));
    p.sample("alabos_queue_depth", double(fleet.queued));
    p.family("alabos_queue_oldest_age_seconds", "gauge",
             tr("Age of the oldest task waiting for a device (0: none waits)"));
    p.sample("alabos_queue_oldest_age_seconds",
             fleet.oldestQueuedUs > 0 ? double(nowMicros() - fleet.oldestQueuedUs) / 1e6 : 0);
    p.family("alabos_workflows_total", "counter",
             tr("Workflows since this process started: submitted, completed, failed"));
    p.sample("alabos_workflows_total", double(o.engine.workflowsSubmitted),
             {{"event", QStringLiteral("submitted")}});
    p.sample("alabos_workflows_total", double(o.engine.workflowsCompleted),
             {{"event", QStringLiteral("completed")}});
    p.sample("alabos_workflows_total", double(o.engine.workflowsFailed),
             {{"event", QStringLiteral("failed")}});
    p.family("alabos_prompts_open", "gauge", tr("Operator prompts waiting for an answer"));
    p.sample("alabos_prompts_open", double(o.engine.openPrompts));
    p.family("alabos_grant_latency_seconds", "histogram",
             tr("From the event that freed what a task needed to its grant, in the engine"));
    p.histogram("alabos_grant_latency_seconds", m_sources.grantLatency
                                                    ? m_sources.grantLatency->snapshot()
                                                    : Histogram({}).snapshot());
    // The fleet, as this process's feed shows it.
    p.family("alabos_devices", "gauge", tr("Devices by status"));
    for (const char *status : {"offline", "idle", "busy", "paused", "maintenance", "error"})
        p.sample("alabos_devices", double(fleet.byStatus.value(QLatin1StringView(status))),
                 {{"status", QLatin1StringView(status)}});
    p.family("alabos_device_utilisation_ratio", "gauge",
             tr("Busy devices over all devices, by device type"));
    for (auto it = fleet.busyAndTotalByType.cbegin(); it != fleet.busyAndTotalByType.cend(); ++it)
        p.sample("alabos_device_utilisation_ratio",
                 it->second > 0 ? double(it->first) / double(it->second) : 0, {{"type", it.key()}});
    // Streams.
    p.family("alabos_events_published_total", "counter",
             tr("Events the relay published and the broker acknowledged, by topic"));
    if (m_sources.publishedByTopic)
        for (const auto &[topic, n] : m_sources.publishedByTopic->snapshot())
            p.sample("alabos_events_published_total", double(n), {{"topic", topic}});
    p.family("alabos_consumer_lag_messages", "gauge",
             tr("Messages a consumer group has yet to handle: the console feed, and the "
                "readings the telemetry persister has not yet written"));
    p.sample("alabos_consumer_lag_messages", double(o.feed.lag),
             {{"group", QStringLiteral("console")}});
    p.sample("alabos_consumer_lag_messages",
             double(std::max<qint64>(o.telemetry.delivered - o.persister.persisted, 0)),
             {{"group", QStringLiteral("persister")}});
    p.family("alabos_telemetry_readings_total", "counter",
             tr("Telemetry readings since this process started: produced by drivers, "
                "persisted, lost"));
    p.sample("alabos_telemetry_readings_total", double(o.telemetry.produced),
             {{"event", QStringLiteral("produced")}});
    p.sample("alabos_telemetry_readings_total", double(o.persister.persisted),
             {{"event", QStringLiteral("persisted")}});
    p.sample("alabos_telemetry_readings_total", double(o.persister.lost),
             {{"event", QStringLiteral("lost")}});
    p.family("alabos_persister_rows_total", "counter",
             tr("Rows the telemetry persister committed (rate() gives rows a second)"));
    p.sample("alabos_persister_rows_total", double(o.persister.persisted));
    // Storage.
    p.family("alabos_group_commit_change_sets", "histogram",
             tr("Change sets committed together in one transaction"));
    p.histogram("alabos_group_commit_change_sets",
                m_sources.groupSizes ? m_sources.groupSizes->snapshot() : Histogram({}).snapshot());
    p.family("alabos_group_commit_seconds", "histogram", tr("Time of one group commit"));
    p.histogram("alabos_group_commit_seconds", m_sources.commitSeconds
                                                   ? m_sources.commitSeconds->snapshot()
                                                   : Histogram({}).snapshot());
    p.family("alabos_database_connections", "gauge",
             tr("Connections to the lab's database, of every client (pg_stat_activity)"));
    if (o.databaseConnections >= 0)
        p.sample("alabos_database_connections", double(o.databaseConnections));
    // The API itself.
    p.family("alabos_api_requests_total", "counter",
             tr("API requests by route (the OpenAPI operation id) and status (0: another)"));
    if (m_router)
        for (const auto &[route, byStatus] : m_router->answers())
            for (const auto &[status, n] : byStatus)
                p.sample("alabos_api_requests_total", double(n),
                         {{"route", route}, {"status", QString::number(status)}});
    p.family("alabos_api_request_seconds", "histogram",
             tr("From a request's arrival to its answer"));
    p.histogram("alabos_api_request_seconds",
                m_router ? m_router->latency()->snapshot() : Histogram({}).snapshot());
    if (m_server) {
        const HttpServer::Stats http = m_server->stats();
        p.family("alabos_api_connections_open", "gauge", tr("Open HTTP connections"));
        p.sample("alabos_api_connections_open", double(http.connectionsOpen));
        p.family("alabos_api_rejected_total", "counter",
                 tr("Requests the HTTP server refused before routing, by reason"));
        p.sample("alabos_api_rejected_total", double(http.rejectedBadRequest),
                 {{"reason", QStringLiteral("bad_request")}});
        p.sample("alabos_api_rejected_total", double(http.rejectedTooLarge),
                 {{"reason", QStringLiteral("payload_too_large")}});
        p.sample("alabos_api_rejected_total", double(http.rejectedHeaderTooLarge),
                 {{"reason", QStringLiteral("header_too_large")}});
        p.sample("alabos_api_rejected_total", double(http.timedOut),
                 {{"reason", QStringLiteral("timeout")}});
        p.sample("alabos_api_rejected_total", double(http.rejectedBusy),
                 {{"reason", QStringLiteral("busy")}});
    }
    // The process.
    double cpu = 0, rss = 0;
    if (QFile stat(QStringLiteral("/proc/self/stat")); stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        // Fields after the command name, which may hold spaces: utime is 14th, stime 15th.
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (f.size() > 12)
            cpu = double(f.at(11).toLongLong() + f.at(12).toLongLong()) /
                  double(::sysconf(_SC_CLK_TCK));
    }
    if (QFile status(QStringLiteral("/proc/self/statm")); status.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> f = status.readAll().split(' ');
        if (f.size() > 1) rss = double(f.at(1).toLongLong()) * double(::sysconf(_SC_PAGESIZE));
    }
    p.family("alabos_process_cpu_seconds_total", "counter", tr("CPU time of this process"));
    p.sample("alabos_process_cpu_seconds_total", cpu);
    p.family("alabos_process_resident_memory_bytes", "gauge",
             tr("Resident memory of this process"));
    p.sample("alabos_process_resident_memory_bytes", rss);
    if (families) *families = p.families();
    return p.text();
}

void ApiService::stop()
{
    m_poll.stop();
    m_expiry.stop();
    if (m_server) m_server->stop();
    if (m_events) m_events->stop();
    // Its queued read-audit writes come back unwritten, and are written below with the rest.
    if (m_database) m_database->stop();
    writeReadAudit(true); // what was read until the server stopped
    std::lock_guard lock(m_mutex);
    for (const auto &p : std::as_const(m_pending))
        p->call.error(503, QStringLiteral("stopping"), tr("alabos is stopping"));
    m_pending.clear();
}

quint16 ApiService::port() const
{
    return m_server ? m_server->port() : 0;
}

QString ApiService::baseUrl() const
{
    QString host = m_settings.listen.left(m_settings.listen.lastIndexOf(u':'));
    return QStringLiteral("%1://%2:%3")
        .arg(m_settings.tlsCertificate.isEmpty() ? QStringLiteral("http") : QStringLiteral("https"),
             host)
        .arg(port());
}

QString ApiService::sessionFor(const ApiCaller &caller, const QByteArray &peer)
{
    const std::shared_ptr<SessionRegistry> sessions = m_runtime->sessions();
    if (!sessions) return {};
    std::lock_guard lock(m_mutex);
    const auto it = m_sessions.constFind(caller.tokenId);
    QString why;
    if (it != m_sessions.constEnd() && it->role == caller.role && sessions->find(it->session, &why))
        return it->session;
    // A session per token, opened as the scheduler opens one at sign-in: user and role come
    // from the token's owner as the directory holds them now, never from the request.
    const Session opened = sessions->open(caller.user, caller.displayName, caller.role,
                                          QStringLiteral("api %1").arg(QString::fromLatin1(peer)),
                                          QStringLiteral("api"));
    m_sessions.insert(caller.tokenId, {opened.id, caller.role});
    return opened.id;
}

void ApiService::runCommand(const ApiCall &call, const QString &kind, const QString &entityId,
                            const QJsonObject &args,
                            std::function<void(const ApiCall &, const CommandReply &)> done)
{
    if (!m_schedulerHere)
        return call.error(503, QStringLiteral("not_scheduler"),
                          tr("this alabos does not run the scheduler; send changes to the API "
                             "of the one that does"));
    OperatorCommand command;
    command.id = m_nextCommandId++;
    command.kind = kind;
    command.entityId = entityId;
    command.args = args;
    // An electronic signature travels in the body beside the arguments (docs/api.md); the
    // scheduler checks its password for the token's user.
    const QJsonValue signature = command.args.take(QLatin1StringView("signature"));
    if (!signature.isUndefined() && !signature.isObject())
        return call.error(400, QStringLiteral("bad_signature"),
                          tr("\"signature\" must be an object with \"password\", \"reason\" "
                             "and optionally \"comment\""),
                          QStringLiteral("signature"));
    command.signatureRequest = SignatureRequest::fromJson(signature.toObject());
    command.timeUs = nowMicros();
    command.origin = QStringLiteral("api:%1").arg(call.caller().tokenId);
    command.session = sessionFor(call.caller(), call.request().peer);
    if (command.session.isEmpty())
        return call.error(503, QStringLiteral("not_scheduler"),
                          tr("this alabos does not run the scheduler"));
    auto pending = std::make_shared<PendingCommand>();
    pending->call = call;
    pending->done = std::move(done);
    pending->age.start();
    {
        std::lock_guard lock(m_mutex);
        m_pending.insert(command.id, pending);
    }
    QMetaObject::invokeMethod(
        m_runtime, [runtime = m_runtime, command] { runtime->dispatchCommand(command); },
        Qt::QueuedConnection);
}

void ApiService::onCommandReplied(const CommandReply &reply)
{
    std::shared_ptr<PendingCommand> pending;
    {
        std::lock_guard lock(m_mutex);
        pending = m_pending.take(reply.commandId);
    }
    if (!pending) return; // the console's own command, or one that timed out
    if (pending->done) return pending->done(pending->call, reply);
    if (!reply.ok) return pending->call.error(422, QStringLiteral("refused"), reply.message);
    pending->call.json(pending->call.route().successStatus,
                       QJsonObject{{QStringLiteral("message"), reply.message},
                                   {QStringLiteral("data"), reply.data}});
}

void ApiService::expireCommands()
{
    QList<std::shared_ptr<PendingCommand>> late;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            if ((*it)->age.elapsed() > kCommandTimeoutMs) {
                late << *it;
                it = m_pending.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const auto &p : late)
        p->call.error(504, QStringLiteral("timeout"),
                      tr("the scheduler did not answer within %1 s; the change may still be "
                         "made: look before sending it again")
                          .arg(kCommandTimeoutMs / 1000));
}

void ApiService::registerSamples(const ApiCall &call)
{
    const QJsonObject body = call.body().toObject();
    const QJsonArray rows = body.value(QLatin1StringView("samples")).toArray();
    const bool validOnly = body.value(QLatin1StringView("valid_only")).toBool(false);
    // Each row checked alone, so every bad row is named (as the CSV import does).
    QJsonArray valid;
    QJsonArray rejected;
    QSet<QString> seen;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QString why;
        const QJsonObject row = rows.at(i).toObject();
        const auto parsed =
            SampleRegistrar::parse(QJsonObject{{QStringLiteral("samples"), QJsonArray{row}}}, &why);
        const QString barcode = row.value(QLatin1StringView("barcode")).toString();
        if (parsed && seen.contains(barcode))
            why = tr("barcode %1 appears twice in this request").arg(barcode);
        if (!parsed || !why.isEmpty()) {
            rejected.append(QJsonObject{
                {QStringLiteral("row"), int(i)},
                {QStringLiteral("barcode"), barcode.left(64)},
                {QStringLiteral("message"),
                 why.replace(QStringLiteral("samples[0]"), QStringLiteral("samples[%1]").arg(i))}});
            continue;
        }
        seen.insert(barcode);
        valid.append(row);
    }
    if (!rejected.isEmpty() && !validOnly)
        return refuseRows(call, 400, QStringLiteral("invalid_rows"),
                          tr("%n row(s) are not valid; nothing was registered (send "
                             "\"valid_only\": true to register the valid rows alone)",
                             nullptr, int(rejected.size())),
                          rejected);
    if (valid.isEmpty())
        return refuseRows(call, 400, QStringLiteral("invalid_rows"),
                          tr("no row is valid; nothing was registered"), rejected);
    registerRows(call, valid, rejected, validOnly ? 2 : 0);
}

void ApiService::refuseRows(const ApiCall &call, int status, const QString &code,
                            const QString &message, const QJsonArray &rows)
{
    const QJsonObject error{{QStringLiteral("code"), code},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("field"), QStringLiteral("samples")},
                            {QStringLiteral("rows"), rows}};
    call.json(status, QJsonObject{{QStringLiteral("error"), error}});
}

void ApiService::registerRows(const ApiCall &call, const QJsonArray &rows, QJsonArray rejected,
                              int retries)
{
    // Barcodes someone registered meanwhile are only found at commit: with valid rows only,
    // they join the rejected rows and the rest is sent again (a bounded number of times).
    runCommand(
        call, QStringLiteral("sample.register"), {}, QJsonObject{{QStringLiteral("samples"), rows}},
        [this, rows, rejected, retries](const ApiCall &c, const CommandReply &reply) mutable {
            if (reply.ok)
                return c.json(201, QJsonObject{{QStringLiteral("registered"), reply.data},
                                               {QStringLiteral("rejected"), rejected},
                                               {QStringLiteral("message"), reply.message}});
            const QJsonArray duplicates =
                reply.data.value(QLatin1StringView("duplicates")).toArray();
            if (duplicates.isEmpty()) return c.error(422, QStringLiteral("refused"), reply.message);
            QSet<QString> taken;
            for (const QJsonValue &d : duplicates)
                taken.insert(d.toString());
            QJsonArray left;
            for (const QJsonValue &row : std::as_const(rows)) {
                const QString barcode =
                    row.toObject().value(QLatin1StringView("barcode")).toString();
                if (taken.contains(barcode))
                    rejected.append(
                        QJsonObject{{QStringLiteral("barcode"), barcode},
                                    {QStringLiteral("message"),
                                     tr("barcode %1 is already registered").arg(barcode)}});
                else
                    left.append(row);
            }
            if (retries <= 0 || left.isEmpty())
                return refuseRows(c, 409, QStringLiteral("duplicate_barcodes"), reply.message,
                                  rejected);
            registerRows(c, left, rejected, retries - 1);
        });
}

void ApiService::cancelWorkflow(const ApiCall &call)
{
    const qint64 id = numericId(call, QStringLiteral("id"));
    if (id == 0) return;
    const std::optional<QJsonObject> workflow = m_state->workflow(id);
    if (!workflow)
        return call.error(404, QStringLiteral("not_found"), tr("no workflow %1").arg(id));
    QList<qint64> open;
    for (const QJsonValue &t : workflow->value(QLatin1StringView("tasks")).toArray()) {
        const QJsonObject task = t.toObject();
        const auto status =
            taskStatusFromString(task.value(QLatin1StringView("status")).toString());
        if (status && !isFinal(*status)) open << task.value(QLatin1StringView("id")).toInteger();
    }
    if (open.isEmpty())
        return call.error(409, QStringLiteral("finished"),
                          tr("workflow %1 has no unfinished task").arg(id));
    struct Tally
    {
        std::mutex mutex;
        int left = 0;
        QJsonArray cancelled;
        QJsonArray refused;
    };
    auto tally = std::make_shared<Tally>();
    tally->left = int(open.size());
    // A signature given for the workflow signs each of its cancellations (each checked).
    QJsonObject cancelArgs;
    if (const QJsonValue signature = call.body().toObject().value(QLatin1StringView("signature"));
        !signature.isUndefined())
        cancelArgs.insert(QStringLiteral("signature"), signature);
    for (const qint64 task : open)
        runCommand(call, QStringLiteral("task.cancel"), QString::number(task), cancelArgs,
                   [tally, task, id](const ApiCall &c, const CommandReply &reply) {
                       std::lock_guard lock(tally->mutex);
                       if (reply.ok)
                           tally->cancelled.append(task);
                       else
                           tally->refused.append(
                               QJsonObject{{QStringLiteral("task"), task},
                                           {QStringLiteral("message"), reply.message}});
                       if (--tally->left > 0) return;
                       c.json(tally->cancelled.isEmpty() ? 422 : 202,
                              QJsonObject{{QStringLiteral("workflow"), id},
                                          {QStringLiteral("cancelled"), tally->cancelled},
                                          {QStringLiteral("refused"), tally->refused}});
                   });
}

QList<ApiRoute> ApiService::routes()
{
    using schema::integer;
    using schema::string;
    const std::shared_ptr<ApiLabState> state = m_state;
    ApiDatabase *database = m_database.get();
    // A query on the API's connections, answered 503 when they are busy or unreachable.
    auto withDatabase = [database](const ApiCall &call,
                                   std::function<void(pqxx::read_transaction &)> query) {
        const bool queued =
            database->post([call, query](pqxx::connection *c, const QString &problem) {
                if (!c) return call.error(503, QStringLiteral("database_unreachable"), problem);
                try {
                    pqxx::read_transaction tx(*c);
                    query(tx);
                } catch (const std::exception &e) {
                    call.error(503, QStringLiteral("database_unreachable"),
                               tr("the database did not answer: %1")
                                   .arg(QString::fromUtf8(e.what()).trimmed().left(300)));
                    throw; // the worker reconnects
                }
            });
        if (!queued)
            call.error(503, QStringLiteral("busy"),
                       tr("too many queries are waiting; retry in a moment"));
    };
    // A list from the state this process holds, paged by offset and limit.
    using Lister = std::function<ApiPage(const ApiCall &, qint64 offset, qint64 limit)>;
    auto paged = [](QString path, QString operationId, QString tag, QString summary,
                    QList<ApiQueryParameter> filters, Lister list) {
        return ApiRoute{.method = "GET",
                        .path = std::move(path),
                        .operationId = std::move(operationId),
                        .tag = tag,
                        .summary = std::move(summary),
                        .query = paging() + filters,
                        .response = pageSchema(tag),
                        .handler = [list](ApiCall c) {
                            const qint64 offset = c.integer(QStringLiteral("offset"), 0);
                            const qint64 limit = c.integer(QStringLiteral("limit"), kDefaultPage);
                            c.json(200, pageJson(list(c, offset, limit), offset, limit));
                        }};
    };
    // An electronic signature, for a command whose kind needs one (SECURITY.md).
    const QJsonObject signature = schema::described(
        schema::object({{QStringLiteral("password"), string(kMaxPasswordLength, 1)},
                        {QStringLiteral("reason"), string(SignaturePolicy::kMaxReasonLength, 1)},
                        {QStringLiteral("comment"), string(SignaturePolicy::kMaxCommentLength)}},
                       {QStringLiteral("password"), QStringLiteral("reason")}),
        QStringLiteral("the caller's password again and one of the configured reasons"));
    const QJsonObject signedOnly = schema::object({{QStringLiteral("signature"), signature}});
    // An operator command on the entity the path names, answered with the scheduler's reply.
    auto command = [this, signedOnly](QString path, QString operationId, QString tag,
                                      QString summary, const char *permission, QString kind,
                                      bool numeric, QJsonObject body = {}) {
        if (body.isEmpty()) body = signedOnly;
        return ApiRoute{.method = "POST",
                        .path = std::move(path),
                        .operationId = std::move(operationId),
                        .tag = std::move(tag),
                        .summary = std::move(summary),
                        .permission = QString::fromLatin1(permission),
                        .body = std::move(body),
                        .response = anObject(QStringLiteral("the scheduler's answer")),
                        .handler = [this, kind, numeric](ApiCall c) {
                            if (numeric && numericId(c, QStringLiteral("id")) == 0) return;
                            runCommand(c, kind, c.path(QStringLiteral("id")), c.body().toObject());
                        }};
    };
    auto statusFilter = [](const QStringList &statuses, const QString &what) {
        return ApiQueryParameter{QStringLiteral("status"), schema::stringEnum(statuses),
                                 QStringLiteral("only %1 in this status").arg(what)};
    };
    const QString id = QStringLiteral("id");
    QList<ApiRoute> r;

    // Health, metrics and the document: no token (bind the API to a trusted address).
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/healthz"),
                  .operationId = QStringLiteral("health"),
                  .tag = QStringLiteral("service"),
                  .summary = tr("The process is alive."),
                  .open = true,
                  .response = anObject(QStringLiteral("{\"status\": \"alive\"}")),
                  .handler = [](ApiCall c) { c.json(200, QByteArray(R"({"status":"alive"})")); }};
    r << ApiRoute{
        .method = "GET",
        .path = QStringLiteral("/readyz"),
        .operationId = QStringLiteral("ready"),
        .tag = QStringLiteral("service"),
        .summary = tr("Ready to serve: database and broker reachable, schema current, the lab's "
                      "state loaded (503 otherwise, naming what is not)."),
        .open = true,
        .response = anObject(QStringLiteral("the checks")),
        .handler = [this, state](ApiCall c) {
            const bool db = m_databaseUp, broker = m_brokerUp, loaded = state->ready();
            c.json(db && broker && loaded ? 200 : 503,
                   QJsonObject{{QStringLiteral("database"), db},
                               {QStringLiteral("broker"), broker},
                               // start() refuses to run on a schema it cannot bring up to date
                               {QStringLiteral("schema"), true},
                               {QStringLiteral("state_loaded"), loaded}});
        }};
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/metrics"),
                  .operationId = QStringLiteral("metrics"),
                  .tag = QStringLiteral("service"),
                  .summary = tr("Prometheus metrics (text format 0.0.4)."),
                  .open = true,
                  .responseType = "text/plain",
                  .handler = [this](ApiCall c) {
                      HttpResponse response;
                      response.contentType = "text/plain; version=0.0.4; charset=utf-8";
                      response.body = renderMetrics();
                      c.respond(std::move(response));
                  }};
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/openapi.json"),
                  .operationId = QStringLiteral("openapi"),
                  .tag = QStringLiteral("service"),
                  .summary = tr("This API's OpenAPI 3.1 document."),
                  .open = true,
                  .response = anObject(QStringLiteral("OpenAPI 3.1")),
                  .handler = [this](ApiCall c) { c.json(200, m_openApi); }};
    r << ApiRoute{
        .method = "GET",
        .path = QStringLiteral("/api/v1/me"),
        .operationId = QStringLiteral("me"),
        .tag = QStringLiteral("service"),
        .summary = tr("Who the token belongs to, and the role's permissions."),
        .response = anObject(QStringLiteral("user, role, permissions")),
        .handler = [](ApiCall c) {
            c.json(200, QJsonObject{{QStringLiteral("user"), c.caller().user},
                                    {QStringLiteral("display_name"), c.caller().displayName},
                                    {QStringLiteral("role"), toString(c.caller().role)},
                                    {QStringLiteral("permissions"),
                                     QJsonArray::fromStringList(permissionsOf(c.caller().role))}});
        }};

    // Devices.
    r << paged(QStringLiteral("/api/v1/devices"), QStringLiteral("listDevices"),
               QStringLiteral("devices"), tr("The device fleet, by name."),
               {{QStringLiteral("type"), string(200), QStringLiteral("only devices of this type")},
                statusFilter({QStringLiteral("offline"), QStringLiteral("idle"),
                              QStringLiteral("busy"), QStringLiteral("paused"),
                              QStringLiteral("maintenance"), QStringLiteral("error")},
                             QStringLiteral("devices"))},
               [state](const ApiCall &c, qint64 offset, qint64 limit) {
                   return state->devices(c.text(QStringLiteral("type")),
                                         c.text(QStringLiteral("status")), offset, limit);
               });
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/api/v1/devices/{id}"),
                  .operationId = QStringLiteral("getDevice"),
                  .tag = QStringLiteral("devices"),
                  .summary = tr("One device's current state."),
                  .response = anObject(QStringLiteral("a device")),
                  .handler = [state, id](ApiCall c) {
                      if (std::optional<QByteArray> device = state->device(c.path(id)))
                          return c.json(200, *device);
                      c.error(404, QStringLiteral("not_found"), tr("no device %1").arg(c.path(id)),
                              id);
                  }};
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/api/v1/devices/{id}/events"),
                  .operationId = QStringLiteral("deviceEvents"),
                  .tag = QStringLiteral("devices"),
                  .summary = tr("A device's newest events, newest first (from PostgreSQL)."),
                  .query = {{QStringLiteral("limit"), integer(1, kMaxEventsPerDevice),
                             QStringLiteral("how many (default 100, at most 1000)")}},
                  .response = pageSchema(QStringLiteral("events")),
                  .handler = [withDatabase, id](ApiCall c) {
                      const int limit = int(c.integer(QStringLiteral("limit"), 100));
                      withDatabase(c, [c, limit, id](pqxx::read_transaction &tx) {
                          const pqxx::result rows = tx.exec_prepared(
                              "api_device_events", c.path(id).toStdString(), limit);
                          QByteArray out = "{\"items\":[";
                          for (int i = 0; i < int(rows.size()); ++i) {
                              if (i) out += ',';
                              out += encodedEventFromRow(rows[i]);
                          }
                          out += "],\"total\":" + QByteArray::number(qint64(rows.size())) + '}';
                          c.json(200, out);
                      });
                  }};
    for (const char *action : {"pause", "resume", "maintenance"}) {
        const QString verb = QString::fromLatin1(action);
        r << command(QStringLiteral("/api/v1/devices/{id}/") + verb,
                     verb + QStringLiteral("Device"), QStringLiteral("devices"),
                     tr("Puts the device into %1 (the operator command device.%1).").arg(verb),
                     permission::DeviceControl, QStringLiteral("device.") + verb, false);
    }

    // Tasks and the queue.
    r << paged(
        QStringLiteral("/api/v1/tasks"), QStringLiteral("listTasks"), QStringLiteral("tasks"),
        tr("Tasks, newest first: every unfinished one and the newest 20,000 finished."),
        {statusFilter({QStringLiteral("waiting"), QStringLiteral("ready"),
                       QStringLiteral("running"), QStringLiteral("paused"),
                       QStringLiteral("completed"), QStringLiteral("failed"),
                       QStringLiteral("cancelled")},
                      QStringLiteral("tasks")),
         {QStringLiteral("device"), string(200), QStringLiteral("only tasks on this device")},
         {QStringLiteral("workflow"), integer(1, 1LL << 53),
          QStringLiteral("only tasks of this workflow")}},
        [state](const ApiCall &c, qint64 offset, qint64 limit) {
            return state->tasks(c.text(QStringLiteral("status")), c.text(QStringLiteral("device")),
                                c.integer(QStringLiteral("workflow"), 0), false, offset, limit);
        });
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/api/v1/tasks/{id}"),
                  .operationId = QStringLiteral("getTask"),
                  .tag = QStringLiteral("tasks"),
                  .summary = tr("One task."),
                  .response = anObject(QStringLiteral("a task")),
                  .handler = [state, id](ApiCall c) {
                      const qint64 task = numericId(c, id);
                      if (task == 0) return;
                      if (auto t = state->task(task)) return c.json(200, *t);
                      c.error(404, QStringLiteral("not_found"), tr("no task %1").arg(task), id);
                  }};
    r << command(QStringLiteral("/api/v1/tasks/{id}/cancel"), QStringLiteral("cancelTask"),
                 QStringLiteral("tasks"), tr("Cancels a task (task.cancel)."),
                 permission::TaskControl, QStringLiteral("task.cancel"), true);
    r << paged(QStringLiteral("/api/v1/queue"), QStringLiteral("queue"), QStringLiteral("tasks"),
               tr("The tasks waiting for a device, in queue order."), {},
               [state](const ApiCall &, qint64 offset, qint64 limit) {
                   return state->tasks({}, {}, 0, true, offset, limit);
               });

    // Positions (PostgreSQL: the feed does not carry them).
    r << ApiRoute{
        .method = "GET",
        .path = QStringLiteral("/api/v1/positions"),
        .operationId = QStringLiteral("listPositions"),
        .tag = QStringLiteral("positions"),
        .summary = tr("Sample positions, by name, with the sample each holds."),
        .query = paging() << ApiQueryParameter{QStringLiteral("device"), string(200),
                                               QStringLiteral("only this device's positions")},
        .response = pageSchema(QStringLiteral("positions")),
        .handler = [withDatabase](ApiCall c) {
            withDatabase(c, [c](pqxx::read_transaction &tx) {
                const qint64 offset = c.integer(QStringLiteral("offset"), 0);
                const qint64 limit = c.integer(QStringLiteral("limit"), kDefaultPage);
                const pqxx::result rows = tx.exec_params(
                    "SELECT p.name, coalesce(p.parent, ''), coalesce(p.device_id, ''), "
                    "coalesce(s.barcode, ''), count(*) OVER () FROM sample_positions p "
                    "LEFT JOIN samples s ON s.position = p.name WHERE ($1 = '' OR "
                    "p.device_id = $1) ORDER BY p.name OFFSET $2 LIMIT $3",
                    c.text(QStringLiteral("device")).toStdString(), offset, limit);
                ApiPage page;
                for (const auto &row : rows) {
                    page.total = row[4].as<qint64>();
                    page.items.append(
                        QJsonObject{{QStringLiteral("name"), QString::fromUtf8(row[0].c_str())},
                                    {QStringLiteral("parent"), QString::fromUtf8(row[1].c_str())},
                                    {QStringLiteral("device"), QString::fromUtf8(row[2].c_str())},
                                    {QStringLiteral("sample"), QString::fromUtf8(row[3].c_str())}});
                }
                c.json(200, pageJson(page, offset, limit));
            });
        }};

    // Samples.
    const QJsonObject sampleRow =
        schema::object({{QStringLiteral("barcode"), string(SampleRegistrar::kMaxBarcodeLength, 1)},
                        {QStringLiteral("name"), string(SampleRegistrar::kMaxNameLength)},
                        {QStringLiteral("metadata"), schema::freeObject(100)}},
                       {QStringLiteral("barcode")});
    r << ApiRoute{.method = "POST",
                  .path = QStringLiteral("/api/v1/samples"),
                  .operationId = QStringLiteral("registerSamples"),
                  .tag = QStringLiteral("samples"),
                  .summary = tr("Registers up to 1,000 samples: all or nothing, or the valid rows "
                                "only (\"valid_only\": true); each bad row named."),
                  .permission = QString::fromLatin1(permission::SampleRegister),
                  .body = schema::object({{QStringLiteral("samples"),
                                           schema::array(sampleRow, SampleRegistrar::kMaxBatch, 1)},
                                          {QStringLiteral("valid_only"), schema::boolean()}},
                                         {QStringLiteral("samples")}),
                  .successStatus = 201,
                  .response = anObject(QStringLiteral("registered ids and rejected rows")),
                  .handler = [this](ApiCall c) { registerSamples(c); }};
    r << ApiRoute{
        .method = "POST",
        .path = QStringLiteral("/api/v1/sample-deletions"),
        .operationId = QStringLiteral("deleteSamples"),
        .tag = QStringLiteral("samples"),
        .summary = tr("Deletes up to 1,000 samples with a reason (sample.delete): all or none; "
                      "refused while one is in a running workflow. Their record stays."),
        .permission = QString::fromLatin1(permission::SampleDelete),
        .body =
            schema::object({{QStringLiteral("barcodes"),
                             schema::array(string(SampleRegistrar::kMaxBarcodeLength, 1),
                                           SampleStore::kMaxDelete, 1)},
                            {QStringLiteral("reason"), string(SampleStore::kMaxReasonLength, 1)},
                            {QStringLiteral("signature"), signature}},
                           {QStringLiteral("barcodes"), QStringLiteral("reason")}),
        .response = anObject(QStringLiteral("the scheduler's answer")),
        .handler = [this](ApiCall c) {
            runCommand(c, QStringLiteral("sample.delete"), {}, c.body().toObject());
        }};
    r << ApiRoute{
        .method = "GET",
        .path = QStringLiteral("/api/v1/samples"),
        .operationId = QStringLiteral("searchSamples"),
        .tag = QStringLiteral("samples"),
        .summary = tr("Samples whose barcode, name or metadata contains the text, newest first."),
        .query = {{QStringLiteral("q"), string(200), QStringLiteral("the text to look for")},
                  {QStringLiteral("limit"), integer(1, kMaxSearchResults),
                   QStringLiteral("at most this many (default 100)")}},
        .response = anObject(QStringLiteral("items and whether there were more")),
        .handler = [withDatabase](ApiCall c) {
            withDatabase(c, [c](pqxx::read_transaction &tx) {
                bool more = false;
                const QList<SampleState> found =
                    searchSamples(tx, c.text(QStringLiteral("q")),
                                  int(c.integer(QStringLiteral("limit"), kDefaultPage)), &more);
                QJsonArray items;
                for (const SampleState &s : found)
                    items.append(s.toJson());
                c.json(200, QJsonObject{{QStringLiteral("items"), items},
                                        {QStringLiteral("more"), more}});
            });
        }};
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/api/v1/samples/{id}"),
                  .operationId = QStringLiteral("getSample"),
                  .tag = QStringLiteral("samples"),
                  .summary = tr("One sample, by id or by barcode."),
                  .response = anObject(QStringLiteral("a sample")),
                  .handler = [withDatabase, id](ApiCall c) {
                      withDatabase(c, [c, id](pqxx::read_transaction &tx) {
                          bool numeric = false;
                          const qint64 n = c.path(id).toLongLong(&numeric);
                          std::optional<SampleState> s =
                              findSample(tx, numeric ? n : 0, c.path(id));
                          if (!s && numeric) s = findSample(tx, 0, c.path(id));
                          if (!s)
                              return c.error(404, QStringLiteral("not_found"),
                                             tr("no sample %1").arg(c.path(id)), id);
                          c.json(200, s->toJson());
                      });
                  }};

    // Workflows.
    r << ApiRoute{
        .method = "GET",
        .path = QStringLiteral("/api/v1/workflow-templates"),
        .operationId = QStringLiteral("listTemplates"),
        .tag = QStringLiteral("workflows"),
        .summary = tr("The workflow templates this lab offers, with each task's parameter schema."),
        .response = anObject(QStringLiteral("templates")),
        .handler = [state](ApiCall c) {
            c.json(200, QJsonObject{{QStringLiteral("items"), state->templates()}});
        }};
    r << ApiRoute{
        .method = "POST",
        .path = QStringLiteral("/api/v1/workflows"),
        .operationId = QStringLiteral("submitWorkflow"),
        .tag = QStringLiteral("workflows"),
        .summary = tr("Submits a workflow for registered samples (workflow.submit); the answer "
                      "carries its id."),
        .permission = QString::fromLatin1(permission::WorkflowSubmit),
        .body = schema::object(
            {{QStringLiteral("template"), string(WorkflowTemplate::kMaxNameLength, 1)},
             {QStringLiteral("barcodes"),
              schema::array(string(SampleRegistrar::kMaxBarcodeLength, 1), kMaxSamplesPerSubmission,
                            1)},
             {QStringLiteral("priority"),
              schema::stringEnum({QStringLiteral("low"), QStringLiteral("normal"),
                                  QStringLiteral("high"), QStringLiteral("urgent")})},
             {QStringLiteral("parameters"), schema::freeObject(WorkflowTemplate::kMaxTasks)},
             {QStringLiteral("signature"), signature}},
            {QStringLiteral("template"), QStringLiteral("barcodes")}),
        .successStatus = 201,
        .response = anObject(QStringLiteral("data.workflow_id and the scheduler's message")),
        .handler = [this, state, withDatabase](ApiCall c) {
            const QJsonObject body = c.body().toObject();
            const QString name = body.value(QLatin1StringView("template")).toString();
            if (!state->hasTemplate(name))
                return c.error(404, QStringLiteral("not_found"),
                               tr("no workflow template %1").arg(name), QStringLiteral("template"));
            // Registered barcodes are taken into the workflow as they are stored; the others
            // become new samples, as a submission from the console does.
            withDatabase(c, [this, c, body, name](pqxx::read_transaction &tx) {
                const QJsonArray barcodes = body.value(QLatin1StringView("barcodes")).toArray();
                const pqxx::result rows = tx.exec_params(
                    "SELECT s.id, s.barcode, coalesce(s.position, ''), s.metadata::text, "
                    "coalesce(w.id, 0), coalesce(w.status, ''), "
                    "(extract(epoch FROM s.created_at) * 1000000)::bigint, "
                    "s.deleted_at IS NOT NULL FROM samples s LEFT JOIN "
                    "workflows w ON w.id = s.workflow_id WHERE s.barcode IN "
                    "(SELECT jsonb_array_elements_text($1::jsonb))",
                    QJsonDocument(barcodes).toJson(QJsonDocument::Compact).toStdString());
                QJsonArray registered;
                QSet<QString> known;
                for (const auto &row : rows) {
                    const QString barcode = QString::fromUtf8(row[1].c_str());
                    if (row[7].as<bool>())
                        return c.error(409, QStringLiteral("sample_deleted"),
                                       tr("sample %1 was deleted").arg(barcode),
                                       QStringLiteral("barcodes"));
                    if (QLatin1StringView(row[5].c_str()) == QLatin1StringView("running"))
                        return c.error(409, QStringLiteral("sample_busy"),
                                       tr("sample %1 is in running workflow %2")
                                           .arg(barcode)
                                           .arg(row[4].as<qint64>()),
                                       QStringLiteral("barcodes"));
                    known.insert(barcode);
                    registered.append(QJsonObject{
                        {QStringLiteral("id"), row[0].as<qint64>()},
                        {QStringLiteral("barcode"), barcode},
                        {QStringLiteral("position"), QString::fromUtf8(row[2].c_str())},
                        {QStringLiteral("created_us"), row[6].as<qint64>()},
                        {QStringLiteral("metadata"),
                         QJsonDocument::fromJson(QByteArray(row[3].c_str())).object()}});
                }
                QJsonObject args = body;
                QJsonArray fresh;
                for (const QJsonValue &b : barcodes)
                    if (!known.contains(b.toString())) fresh.append(b);
                if (fresh.isEmpty())
                    args.remove(QStringLiteral("barcodes"));
                else
                    args.insert(QStringLiteral("barcodes"), fresh);
                if (!registered.isEmpty()) args.insert(QStringLiteral("samples"), registered);
                runCommand(c, QStringLiteral("workflow.submit"), name, args);
            });
        }};
    r << paged(QStringLiteral("/api/v1/workflows"), QStringLiteral("listWorkflows"),
               QStringLiteral("workflows"),
               tr("Workflows, newest first: every running one and the newest 5,000 finished."),
               {statusFilter({QStringLiteral("running"), QStringLiteral("completed"),
                              QStringLiteral("failed"), QStringLiteral("cancelled")},
                             QStringLiteral("workflows"))},
               [state](const ApiCall &c, qint64 offset, qint64 limit) {
                   return state->workflows(c.text(QStringLiteral("status")), offset, limit);
               });
    r << ApiRoute{.method = "GET",
                  .path = QStringLiteral("/api/v1/workflows/{id}"),
                  .operationId = QStringLiteral("getWorkflow"),
                  .tag = QStringLiteral("workflows"),
                  .summary = tr("One workflow with its tasks: its progress."),
                  .response = anObject(QStringLiteral("a workflow with its tasks")),
                  .handler = [state, id](ApiCall c) {
                      const qint64 w = numericId(c, id);
                      if (w == 0) return;
                      if (auto found = state->workflow(w)) return c.json(200, *found);
                      c.error(404, QStringLiteral("not_found"), tr("no workflow %1").arg(w), id);
                  }};
    r << ApiRoute{.method = "POST",
                  .path = QStringLiteral("/api/v1/workflows/{id}/cancel"),
                  .operationId = QStringLiteral("cancelWorkflow"),
                  .tag = QStringLiteral("workflows"),
                  .summary = tr("Cancels every unfinished task of a workflow (task.cancel each)."),
                  .permission = QString::fromLatin1(permission::TaskControl),
                  .body = signedOnly,
                  .successStatus = 202,
                  .response = anObject(QStringLiteral("cancelled and refused tasks")),
                  .handler = [this](ApiCall c) { cancelWorkflow(c); }};

    // Alarms and prompts.
    r << paged(QStringLiteral("/api/v1/alarms"), QStringLiteral("listAlarms"),
               QStringLiteral("alarms"), tr("Alarms, newest first."),
               {{QStringLiteral("active"), schema::boolean(),
                 QStringLiteral("only alarms not cleared (default true)")}},
               [state](const ApiCall &c, qint64 offset, qint64 limit) {
                   return state->alarms(c.flag(QStringLiteral("active"), true), offset, limit);
               });
    r << command(QStringLiteral("/api/v1/alarms/{id}/acknowledge"),
                 QStringLiteral("acknowledgeAlarm"), QStringLiteral("alarms"),
                 tr("Acknowledges an alarm (alarm.ack)."), permission::AlarmAck,
                 QStringLiteral("alarm.ack"), true);
    r << paged(QStringLiteral("/api/v1/prompts"), QStringLiteral("listPrompts"),
               QStringLiteral("prompts"), tr("Operator prompts, newest first."),
               {{QStringLiteral("open"), schema::boolean(),
                 QStringLiteral("only open prompts (default true)")}},
               [state](const ApiCall &c, qint64 offset, qint64 limit) {
                   return state->prompts(c.flag(QStringLiteral("open"), true), offset, limit);
               });
    r << command(QStringLiteral("/api/v1/prompts/{id}/answer"), QStringLiteral("answerPrompt"),
                 QStringLiteral("prompts"),
                 tr("Answers an open prompt with one of its options (prompt.answer)."),
                 permission::PromptAnswer, QStringLiteral("prompt.answer"), true,
                 schema::object({{QStringLiteral("option"), string(200, 1)},
                                 {QStringLiteral("note"), string(2000)},
                                 {QStringLiteral("signature"), signature}},
                                {QStringLiteral("option")}));

    // Events as a stream.
    r << ApiRoute{
        .method = "GET",
        .path = QStringLiteral("/api/v1/events"),
        .operationId = QStringLiteral("events"),
        .tag = QStringLiteral("events"),
        .summary = tr("The lab's events as server-sent events (id, event kind, data: the event "
                      "JSON). Resume after a dropped connection with Last-Event-ID (or ?after=)."),
        .query = {{QStringLiteral("after"), integer(0, 1LL << 53),
                   QStringLiteral("start after this event id (else Last-Event-ID, else now)")},
                  {QStringLiteral("types"), string(200),
                   QStringLiteral("comma-separated entity types, e.g. task,workflow")}},
        .responseType = "text/event-stream",
        .handler = [this](ApiCall c) {
            qint64 after = -1;
            const QByteArray last = c.request().header("last-event-id").trimmed();
            if (c.has(QStringLiteral("after"))) {
                after = c.integer(QStringLiteral("after"), -1);
            } else if (!last.isEmpty()) {
                bool ok = false;
                after = last.toLongLong(&ok);
                if (!ok || after < 0)
                    return c.error(400, QStringLiteral("invalid_field"),
                                   tr("Last-Event-ID must be an event id"),
                                   QStringLiteral("Last-Event-ID"));
            }
            QSet<QString> types;
            for (const QString &t : c.text(QStringLiteral("types")).split(u',', Qt::SkipEmptyParts))
                types.insert(t.trimmed());
            if (!m_events->subscribe(c.exchange(), after, types))
                return c.error(503, QStringLiteral("busy"),
                               tr("too many event streams are open (at most %1)")
                                   .arg(ApiEventStream::kMaxSubscribers));
            c.recordStreamStarted();
        }};
    return r;
}

} // namespace alabos
