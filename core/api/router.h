#pragma once
// The API's route table and what every request meets before a handler sees it: the route
// (404, 405), the token (401), the role's permission (403, the same check as a click), the
// rate limit per token (429 with Retry-After), the query and the JSON body against the
// route's schemas (400 naming the field). The same table generates /openapi.json.
#include "core/api/http.h"
#include "core/domain/commands.h"
#include "core/metrics/metrics.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace alabos {

class RateLimiter;
class ReadAudit;

// Who sent a request: the user an API token belongs to, with that user's current role.
struct ApiCaller
{
    QString tokenId;
    QString user;
    QString displayName;
    Role role = Role::Operator;
};

struct ApiQueryParameter
{
    QString name;
    QJsonObject schema; // string, integer, number or boolean (core/api/jsonschema.h)
    QString description;
};

class ApiCall;

struct ApiRoute
{
    QByteArray method; // GET, POST, PUT, DELETE
    QString path;      // "/api/v1/devices/{id}"; a {name} segment is a path parameter
    QString operationId;
    QString tag; // the OpenAPI group: devices, tasks, samples, ...
    QString summary;
    bool open = false;  // true: no token needed (health, metrics, the document itself)
    QString permission; // with a token: the role must allow this; empty: any valid token
    QList<ApiQueryParameter> query;
    QJsonObject body;        // the request body's schema; empty: no body accepted
    int successStatus = 200; // 200, 201 or 202
    QJsonObject response;    // the success body's schema (documentation)
    QByteArray responseType = "application/json";
    std::function<void(ApiCall)> handler;
};

// One request that passed the checks: its caller, parameters and body, and the one way to
// answer it (errors in the API's single shape). Cheap to copy; a handler that answers later
// keeps a copy. Answer once; further answers are ignored.
class ApiCall
{
public:
    const HttpRequest &request() const;
    const ApiRoute &route() const;
    const ApiCaller &caller() const; // empty user on an open route
    QString path(const QString &name) const;
    bool has(const QString &name) const; // a query parameter was given
    QString text(const QString &name, const QString &fallback = {}) const;
    qint64 integer(const QString &name, qint64 fallback) const; // validated by the schema
    double number(const QString &name, double fallback) const;
    bool flag(const QString &name, bool fallback) const;
    const QJsonValue &body() const;

    void json(int status, const QJsonObject &object) const;
    void json(int status, const QByteArray &encoded) const;
    void error(int status, const QString &code, const QString &message,
               const QString &field = {}) const;
    void respond(HttpResponse response) const;
    // For a streamed answer (server-sent events): the exchange itself. The route's latency is
    // recorded when the stream starts.
    std::shared_ptr<HttpExchange> exchange() const;
    void recordStreamStarted() const;

private:
    friend class ApiRouter;
    struct State;
    std::shared_ptr<State> m_state;
};

// The body of every error the API sends: {"error": {"code", "message", "field"}}.
QByteArray apiErrorBody(const QString &code, const QString &message, const QString &field = {});
HttpResponse apiError(int status, const QString &code, const QString &message,
                      const QString &field = {});

class ApiRouter
{
public:
    // The caller a bearer token stands for, or nullopt with a message for the client.
    using Authenticator =
        std::function<std::optional<ApiCaller>(QByteArrayView token, QString *why)>;
    // Answers by route and status, and their latency: counted without a lock by whichever
    // thread answers, read by /metrics.
    struct Statistics;

    static constexpr int kMaxQueryBytes = 4096;
    static constexpr int kMaxQueryParameters = 32;
    static constexpr int kMaxPathParameterLength = 200;

    ApiRouter(QList<ApiRoute> routes, Authenticator authenticate,
              std::shared_ptr<RateLimiter> limiter);
    ~ApiRouter();

    // Each route's answers by status ("unmatched" for requests no route took), and the
    // latency of all answers.
    QList<QPair<QString, QList<QPair<int, quint64>>>> answers() const;
    std::shared_ptr<const Histogram> latency() const;
    // The server's handler: called on server threads, never blocks.
    void handle(std::shared_ptr<HttpExchange> exchange) const;
    const QList<ApiRoute> &routes() const { return m_routes; }
    // Counts every GET a token's caller makes (set before the server starts).
    void setReadAudit(std::shared_ptr<ReadAudit> audit) { m_readAudit = std::move(audit); }
    // The OpenAPI 3.1 document of this table.
    QJsonObject openApi(const QString &title, const QString &version) const;

private:
    struct Match;
    std::optional<Match> match(const HttpRequest &request, QList<QByteArray> *allowed) const;

    QList<ApiRoute> m_routes;
    QList<QList<QByteArray>> m_segments; // each route's path, split
    Authenticator m_authenticate;
    std::shared_ptr<RateLimiter> m_limiter;
    std::shared_ptr<Statistics> m_statistics;
    std::shared_ptr<ReadAudit> m_readAudit;
};

} // namespace alabos
