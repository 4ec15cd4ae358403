#pragma once
// The REST API of one alabos process (docs/api.md): the route table, served by HttpServer on
// its own threads. Reads answer from the lab state this process already holds (ApiLabState,
// fed by the console feed) or, for history and search, from PostgreSQL on the API's own
// connections; changes become operator commands under the caller's session, so they meet the
// same permission check, commit and audit as a click.
#include "app/labruntime.h"
#include "app/options.h"
#include "core/api/readaudit.h"
#include "core/api/router.h"

#include <QJsonArray>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>
#include <mutex>

namespace alabos {

class ApiDatabase;
class ApiEventStream;
class ApiLabState;
class HttpServer;
class LabRuntime;
class RateLimiter;
struct CommandReply;

class ApiService : public QObject
{
    Q_OBJECT
public:
    // Commands that wait longer than this for the scheduler's answer get 504.
    static constexpr int kCommandTimeoutMs = 30000;
    static constexpr qint64 kMaxBodyBytes = 1024 * 1024;

    // Lives on the main thread, beside the runtime it serves.
    ApiService(LabRuntime *runtime, ApiSettings settings, QObject *parent = nullptr);
    ~ApiService() override;

    void setAuthenticator(ApiRouter::Authenticator authenticate);

    // Binds and starts serving; false with a message a person can act on.
    bool start(QString *error);
    void stop();
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:8470"
    const ApiRouter *router() const { return m_router.get(); }
    // The /metrics text (docs/metrics.md); any thread. `families`: the names written.
    QByteArray renderMetrics(QList<QByteArray> *families = nullptr) const;

private:
    struct PendingCommand;
    QList<ApiRoute> routes();
    // An operator command for the caller, answered through `done` when the scheduler replies.
    void runCommand(const ApiCall &call, const QString &kind, const QString &entityId,
                    const QJsonObject &args,
                    std::function<void(const ApiCall &, const CommandReply &)> done = {});
    void onCommandReplied(const CommandReply &reply);
    void expireCommands();
    QString sessionFor(const ApiCaller &caller, const QByteArray &peer);
    void registerSamples(const ApiCall &call);
    void registerRows(const ApiCall &call, const QJsonArray &rows, QJsonArray rejected,
                      int retries);
    static void refuseRows(const ApiCall &call, int status, const QString &code,
                           const QString &message, const QJsonArray &rows);
    void cancelWorkflow(const ApiCall &call);

    LabRuntime *m_runtime;
    ApiSettings m_settings;
    std::shared_ptr<ApiLabState> m_state;
    // Applies the feed's batches to m_state on a thread of its own: on the main thread they
    // queued behind the lab's other work, and so did every command's answer (at 10,000
    // devices the main thread was busy all the time).
    QThread m_stateThread;
    QObject *m_stateContext = nullptr;
    std::shared_ptr<RateLimiter> m_limiter;
    std::unique_ptr<ApiDatabase> m_database;
    std::unique_ptr<ApiEventStream> m_events;
    std::unique_ptr<ApiRouter> m_router;
    std::unique_ptr<HttpServer> m_server;
    ApiRouter::Authenticator m_authenticate;
    void pollStatistics();
    // The reads counted since the last time (and those a failed write left), into the audit
    // trail: on an API database worker, or here and now when `now` (at stop).
    void writeReadAudit(bool now);
    // Reads a write could not take, for the next time; beyond the bound they are lost, loudly.
    void keepUnwrittenReads(const QList<ApiReadSummary> &reads, const QString &why);
    std::shared_ptr<ReadAudit> m_readAudit;
    std::mutex m_unwrittenMutex;
    QList<ApiReadSummary> m_unwrittenReads; // a write that failed; tried again next time
    // What the owners reported last (their signals, or a poll on this thread), for /metrics.
    struct Observed
    {
        EngineStats engine;
        FeedStats feed;
        TelemetryCounters telemetry;
        PersisterStats persister;
        qint64 databaseConnections = -1;
    };
    mutable std::mutex m_observedMutex;
    Observed m_observed;
    LabRuntime::MetricSources m_sources;
    QTimer m_poll;
    int m_polls = 0;
    QByteArray m_openApi;
    std::atomic<bool> m_databaseUp{true};
    std::atomic<bool> m_brokerUp{true};
    std::atomic<bool> m_schedulerHere{false};
    std::mutex m_mutex; // guards the two maps below
    QHash<qint64, std::shared_ptr<PendingCommand>> m_pending;
    struct CallerSession
    {
        QString session;
        Role role;
    };
    QHash<QString, CallerSession> m_sessions; // by token id
    std::atomic<qint64> m_nextCommandId;
    QTimer m_expiry;
};

} // namespace alabos
