#include "core/api/router.h"

#include "core/api/jsonschema.h"
#include "core/api/ratelimiter.h"
#include "core/api/readaudit.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>

namespace alabos {

namespace {
qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

// The address part of "1.2.3.4:5678" or "[::1]:5678".
QByteArray peerAddress(const QByteArray &peer)
{
    const qsizetype colon = peer.lastIndexOf(':');
    return colon > 0 ? peer.left(colon) : peer;
}

QString decodeQueryPart(QByteArray part)
{
    part.replace('+', ' ');
    return QUrl::fromPercentEncoding(part);
}
} // namespace

// The statuses counted one by one; any other counts as the last slot.
constexpr std::array<int, 20> kCountedStatuses{200, 201, 202, 400, 401, 403, 404, 405, 408, 409,
                                               411, 413, 414, 415, 422, 429, 431, 500, 503, 504};

struct ApiRouter::Statistics
{
    explicit Statistics(qsizetype routes)
        : counts(std::make_unique<std::atomic<quint64>[]>(size_t(routes + 1) *
                                                          (kCountedStatuses.size() + 1)))
    {
    }
    void count(qsizetype route, int status)
    {
        const auto it = std::find(kCountedStatuses.begin(), kCountedStatuses.end(), status);
        const size_t slot = size_t(it - kCountedStatuses.begin());
        counts[size_t(route) * (kCountedStatuses.size() + 1) + slot].fetch_add(
            1, std::memory_order_relaxed);
    }
    std::unique_ptr<std::atomic<quint64>[]> counts; // [route (last: unmatched)][status]
    Histogram latency{Histogram::latencyBuckets()};
};

struct ApiCall::State
{
    std::shared_ptr<HttpExchange> exchange;
    const ApiRoute *route = nullptr;
    ApiCaller caller;
    QHash<QString, QString> pathParameters;
    QHash<QString, QString> query;
    QJsonValue body;
    std::shared_ptr<ApiRouter::Statistics> statistics;
    std::shared_ptr<ReadAudit> readAudit;
    qsizetype routeIndex = -1; // -1: unmatched
    qsizetype routes = 0;
    QElapsedTimer clock;
    std::atomic<bool> answered{false};
};

const HttpRequest &ApiCall::request() const
{
    return m_state->exchange->request();
}
const ApiRoute &ApiCall::route() const
{
    return *m_state->route;
}
const ApiCaller &ApiCall::caller() const
{
    return m_state->caller;
}
QString ApiCall::path(const QString &name) const
{
    return m_state->pathParameters.value(name);
}
bool ApiCall::has(const QString &name) const
{
    return m_state->query.contains(name);
}
QString ApiCall::text(const QString &name, const QString &fallback) const
{
    return m_state->query.value(name, fallback);
}
qint64 ApiCall::integer(const QString &name, qint64 fallback) const
{
    bool ok = false;
    const qint64 v = m_state->query.value(name).toLongLong(&ok);
    return ok ? v : fallback;
}
double ApiCall::number(const QString &name, double fallback) const
{
    bool ok = false;
    const double v = m_state->query.value(name).toDouble(&ok);
    return ok ? v : fallback;
}
bool ApiCall::flag(const QString &name, bool fallback) const
{
    if (!m_state->query.contains(name)) return fallback;
    return m_state->query.value(name) == QLatin1StringView("true");
}
const QJsonValue &ApiCall::body() const
{
    return m_state->body;
}

void ApiCall::respond(HttpResponse response) const
{
    if (m_state->answered.exchange(true)) return;
    State &s = *m_state;
    s.statistics->count(s.routeIndex < 0 ? s.routes : s.routeIndex, response.status);
    s.statistics->latency.observe(double(s.clock.nsecsElapsed()) / 1e9);
    // Reads by a known caller are counted for the audit trail (changes are commands, audited
    // by the scheduler).
    if (s.readAudit && s.route && !s.caller.user.isEmpty() && s.route->method == "GET")
        s.readAudit->record(s.caller, s.route->path,
                            QString::fromLatin1(peerAddress(s.exchange->request().peer)),
                            response.status, nowUs());
    s.exchange->respond(std::move(response));
}

void ApiCall::json(int status, const QByteArray &encoded) const
{
    HttpResponse r;
    r.status = status;
    r.body = encoded;
    respond(std::move(r));
}

void ApiCall::json(int status, const QJsonObject &object) const
{
    json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void ApiCall::error(int status, const QString &code, const QString &message,
                    const QString &field) const
{
    respond(apiError(status, code, message, field));
}

std::shared_ptr<HttpExchange> ApiCall::exchange() const
{
    return m_state->exchange;
}

void ApiCall::recordStreamStarted() const
{
    if (m_state->answered.exchange(true)) return;
    State &s = *m_state;
    s.statistics->count(s.routeIndex, 200);
    s.statistics->latency.observe(double(s.clock.nsecsElapsed()) / 1e9);
}

QByteArray apiErrorBody(const QString &code, const QString &message, const QString &field)
{
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    error.insert(QStringLiteral("field"), field.isEmpty() ? QJsonValue() : QJsonValue(field));
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

HttpResponse apiError(int status, const QString &code, const QString &message, const QString &field)
{
    HttpResponse r;
    r.status = status;
    r.body = apiErrorBody(code, message, field);
    return r;
}

struct ApiRouter::Match
{
    const ApiRoute *route = nullptr;
    qsizetype index = -1;
    QHash<QString, QString> parameters;
};

ApiRouter::ApiRouter(QList<ApiRoute> routes, Authenticator authenticate,
                     std::shared_ptr<RateLimiter> limiter)
    : m_routes(std::move(routes)), m_authenticate(std::move(authenticate)),
      m_limiter(std::move(limiter)), m_statistics(std::make_shared<Statistics>(m_routes.size()))
{
    for (const ApiRoute &r : std::as_const(m_routes))
        m_segments << r.path.toUtf8().split('/');
}

QList<QPair<QString, QList<QPair<int, quint64>>>> ApiRouter::answers() const
{
    QList<QPair<QString, QList<QPair<int, quint64>>>> out;
    for (qsizetype r = 0; r <= m_routes.size(); ++r) {
        QList<QPair<int, quint64>> byStatus;
        for (size_t i = 0; i <= kCountedStatuses.size(); ++i) {
            const quint64 n =
                m_statistics->counts[size_t(r) * (kCountedStatuses.size() + 1) + i].load(
                    std::memory_order_relaxed);
            // The last slot holds every other status: shown as 0, "another status".
            if (n > 0) byStatus.append({i < kCountedStatuses.size() ? kCountedStatuses[i] : 0, n});
        }
        if (!byStatus.isEmpty())
            out.append(
                {r < m_routes.size() ? m_routes.at(r).operationId : QStringLiteral("unmatched"),
                 byStatus});
    }
    return out;
}

std::shared_ptr<const Histogram> ApiRouter::latency() const
{
    return std::shared_ptr<const Histogram>(m_statistics, &m_statistics->latency);
}

ApiRouter::~ApiRouter() = default;

std::optional<ApiRouter::Match> ApiRouter::match(const HttpRequest &request,
                                                 QList<QByteArray> *allowed) const
{
    const QList<QByteArray> parts = request.path.split('/');
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const QList<QByteArray> &segments = m_segments.at(i);
        if (segments.size() != parts.size()) continue;
        Match m;
        m.index = i;
        bool same = true;
        for (qsizetype s = 0; s < segments.size() && same; ++s) {
            const QByteArray &want = segments.at(s);
            if (want.startsWith('{')) {
                if (parts.at(s).isEmpty())
                    same = false;
                else
                    m.parameters.insert(QString::fromUtf8(want.mid(1, want.size() - 2)),
                                        QString::fromUtf8(parts.at(s)));
            } else {
                same = want == parts.at(s);
            }
        }
        if (!same) continue;
        if (m_routes.at(i).method != request.method) {
            allowed->append(m_routes.at(i).method);
            continue;
        }
        m.route = &m_routes.at(i);
        return m;
    }
    return std::nullopt;
}

void ApiRouter::handle(std::shared_ptr<HttpExchange> exchange) const
{
    ApiCall call;
    call.m_state = std::make_shared<ApiCall::State>();
    ApiCall::State &state = *call.m_state;
    state.clock.start();
    state.exchange = std::move(exchange);
    state.statistics = m_statistics;
    state.readAudit = m_readAudit;
    state.routes = m_routes.size();
    const HttpRequest &request = state.exchange->request();

    QList<QByteArray> allowed;
    std::optional<Match> m = match(request, &allowed);
    if (!m) {
        if (!allowed.isEmpty()) {
            HttpResponse r = apiError(
                405, QStringLiteral("method_not_allowed"),
                QCoreApplication::translate("alabos::api", "%1 is not allowed here; allowed: %2")
                    .arg(QString::fromLatin1(request.method.left(20)),
                         QString::fromLatin1(allowed.join(", "))));
            r.headers.append(qMakePair(QByteArray("Allow"), QByteArray(allowed.join(", "))));
            return call.respond(std::move(r));
        }
        return call.error(404, QStringLiteral("not_found"),
                          QCoreApplication::translate("alabos::api", "no such route: %1")
                              .arg(QString::fromUtf8(request.path.left(200))));
    }
    state.route = m->route;
    state.routeIndex = m->index;
    const ApiRoute &route = *m->route;
    for (auto it = m->parameters.begin(); it != m->parameters.end(); ++it) {
        if (it.value().size() > kMaxPathParameterLength)
            return call.error(400, QStringLiteral("invalid_field"),
                              QCoreApplication::translate(
                                  "alabos::api", "%1 has %2 characters; at most %3 are allowed")
                                  .arg(it.key())
                                  .arg(it.value().size())
                                  .arg(kMaxPathParameterLength),
                              it.key());
        for (const QChar c : it.value())
            if (c.category() == QChar::Other_Control)
                return call.error(
                    400, QStringLiteral("invalid_field"),
                    QCoreApplication::translate("alabos::api", "%1 holds a control character")
                        .arg(it.key()),
                    it.key());
    }
    state.pathParameters = std::move(m->parameters);

    // Who is asking, and may they (before anything else is parsed).
    if (!route.open) {
        const QByteArray authorization = request.header("authorization");
        const QByteArray scheme = authorization.left(7).toLower();
        if (authorization.isEmpty() || scheme != "bearer ") {
            HttpResponse r = apiError(
                401, QStringLiteral("unauthorized"),
                QCoreApplication::translate(
                    "alabos::api",
                    "this route needs an API token: send \"Authorization: Bearer TOKEN\" (create "
                    "one in the console under File > API tokens)"));
            r.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
            return call.respond(std::move(r));
        }
        QString why;
        std::optional<ApiCaller> caller =
            m_authenticate(QByteArrayView(authorization.mid(7).trimmed()), &why);
        if (!caller) {
            // Guessing tokens costs the address its rate like any other request.
            if (m_limiter) {
                if (auto wait = m_limiter->take("addr:" + peerAddress(request.peer), nowUs())) {
                    HttpResponse r =
                        apiError(429, QStringLiteral("rate_limited"),
                                 QCoreApplication::translate(
                                     "alabos::api", "too many requests from this address"));
                    r.headers.append(
                        qMakePair(QByteArray("Retry-After"),
                                  QByteArray(QByteArray::number(int(std::ceil(*wait))))));
                    return call.respond(std::move(r));
                }
            }
            HttpResponse r = apiError(401, QStringLiteral("unauthorized"), why);
            r.headers.append(qMakePair(QByteArray("WWW-Authenticate"),
                                       QByteArray("Bearer error=\"invalid_token\"")));
            return call.respond(std::move(r));
        }
        state.caller = std::move(*caller);
        if (m_limiter) {
            if (auto wait = m_limiter->take("token:" + state.caller.tokenId.toUtf8(), nowUs())) {
                HttpResponse r = apiError(
                    429, QStringLiteral("rate_limited"),
                    QCoreApplication::translate(
                        "alabos::api",
                        "more than %1 requests a second (burst %2) with this token; retry later")
                        .arg(m_limiter->perSecond())
                        .arg(m_limiter->burst()));
                r.headers.append(qMakePair(QByteArray("Retry-After"),
                                           QByteArray(QByteArray::number(int(std::ceil(*wait))))));
                return call.respond(std::move(r));
            }
        }
        if (!route.permission.isEmpty() && !roleAllows(state.caller.role, route.permission))
            return call.error(
                403, QStringLiteral("forbidden"),
                QCoreApplication::translate("alabos::api", "the role %1 of %2 does not allow %3")
                    .arg(toString(state.caller.role), state.caller.user, route.permission));
    }

    // The query: only the parameters the route declares, each against its schema.
    if (request.query.size() > kMaxQueryBytes)
        return call.error(414, QStringLiteral("query_too_long"),
                          QCoreApplication::translate(
                              "alabos::api", "the query has %1 bytes; at most %2 are allowed")
                              .arg(request.query.size())
                              .arg(kMaxQueryBytes));
    if (!request.query.isEmpty()) {
        const QList<QByteArray> pairs = request.query.split('&');
        if (pairs.size() > kMaxQueryParameters)
            return call.error(
                400, QStringLiteral("bad_request"),
                QCoreApplication::translate("alabos::api",
                                            "the query has %1 parameters; at most %2 are allowed")
                    .arg(pairs.size())
                    .arg(kMaxQueryParameters));
        for (const QByteArray &pair : pairs) {
            if (pair.isEmpty()) continue;
            const qsizetype eq = pair.indexOf('=');
            const QString name = decodeQueryPart(eq < 0 ? pair : pair.left(eq));
            const QString value = eq < 0 ? QString() : decodeQueryPart(pair.mid(eq + 1));
            const ApiQueryParameter *declared = nullptr;
            for (const ApiQueryParameter &p : route.query)
                if (p.name == name) declared = &p;
            if (!declared) {
                QStringList known;
                for (const ApiQueryParameter &p : route.query)
                    known << p.name;
                return call.error(
                    400, QStringLiteral("unknown_parameter"),
                    QCoreApplication::translate("alabos::api",
                                                "unknown query parameter \"%1\" (known: %2)")
                        .arg(name.left(100),
                             known.isEmpty() ? QCoreApplication::translate("alabos::api", "none")
                                             : known.join(QStringLiteral(", "))),
                    name.left(100));
            }
            QJsonValue typed(value);
            const QString type = declared->schema.value(QLatin1StringView("type")).toString();
            if (type == QLatin1StringView("integer") || type == QLatin1StringView("number")) {
                bool ok = false;
                const double d = value.toDouble(&ok);
                if (!ok)
                    return call.error(
                        400, QStringLiteral("invalid_field"),
                        QCoreApplication::translate("alabos::api", "%1: \"%2\" is not a number")
                            .arg(name, value.left(50)),
                        name);
                typed = d;
            } else if (type == QLatin1StringView("boolean")) {
                if (value != QLatin1StringView("true") && value != QLatin1StringView("false"))
                    return call.error(
                        400, QStringLiteral("invalid_field"),
                        QCoreApplication::translate("alabos::api", "%1 must be true or false")
                            .arg(name),
                        name);
                typed = value == QLatin1StringView("true");
            }
            if (auto problem = checkAgainstSchema(typed, declared->schema, name))
                return call.error(400, QStringLiteral("invalid_field"), problem->message,
                                  problem->field);
            state.query.insert(name, value);
        }
    }

    // The body: JSON against the route's schema, or nothing at all.
    if (route.body.isEmpty()) {
        if (!request.body.isEmpty())
            return call.error(400, QStringLiteral("bad_request"),
                              QCoreApplication::translate("alabos::api", "%1 %2 takes no body")
                                  .arg(QString::fromLatin1(route.method), route.path));
    } else if (request.body.isEmpty() &&
               route.body.value(QLatin1StringView("required")).toArray().isEmpty()) {
        // Nothing is required (an operator command whose body only adds a signature): no
        // body is the empty object.
        state.body = QJsonObject();
    } else {
        const QByteArray type = request.header("content-type").toLower();
        if (!type.startsWith("application/json"))
            return call.error(415, QStringLiteral("unsupported_media_type"),
                              QCoreApplication::translate(
                                  "alabos::api",
                                  "send the body as JSON with \"Content-Type: application/json\""));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return call.error(400, QStringLiteral("bad_json"),
                              QCoreApplication::translate(
                                  "alabos::api", "the body is not valid JSON: %1 at byte %2")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset));
        state.body =
            document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        if (auto problem = checkAgainstSchema(state.body, route.body))
            return call.error(400, QStringLiteral("invalid_field"), problem->message,
                              problem->field);
    }
    route.handler(call);
}

QJsonObject ApiRouter::openApi(const QString &title, const QString &version) const
{
    const QJsonObject errorRef{
        {QStringLiteral("$ref"), QStringLiteral("#/components/schemas/Error")}};
    auto errorResponse = [&](const QString &description) {
        return QJsonObject{{QStringLiteral("description"), description},
                           {QStringLiteral("content"),
                            QJsonObject{{QStringLiteral("application/json"),
                                         QJsonObject{{QStringLiteral("schema"), errorRef}}}}}};
    };
    QJsonObject paths;
    for (const ApiRoute &route : m_routes) {
        QJsonObject operation{{QStringLiteral("operationId"), route.operationId},
                              {QStringLiteral("summary"), route.summary},
                              {QStringLiteral("tags"), QJsonArray{route.tag}}};
        QJsonArray parameters;
        for (const QString &segment : route.path.split(u'/'))
            if (segment.startsWith(u'{'))
                parameters.append(QJsonObject{
                    {QStringLiteral("name"), segment.mid(1, segment.size() - 2)},
                    {QStringLiteral("in"), QStringLiteral("path")},
                    {QStringLiteral("required"), true},
                    {QStringLiteral("schema"),
                     QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                 {QStringLiteral("maxLength"), kMaxPathParameterLength}}}});
        for (const ApiQueryParameter &p : route.query)
            parameters.append(QJsonObject{{QStringLiteral("name"), p.name},
                                          {QStringLiteral("in"), QStringLiteral("query")},
                                          {QStringLiteral("description"), p.description},
                                          {QStringLiteral("schema"), p.schema}});
        if (!parameters.isEmpty()) operation.insert(QStringLiteral("parameters"), parameters);
        if (!route.body.isEmpty())
            operation.insert(
                QStringLiteral("requestBody"),
                QJsonObject{{QStringLiteral("required"), true},
                            {QStringLiteral("content"),
                             QJsonObject{{QStringLiteral("application/json"),
                                          QJsonObject{{QStringLiteral("schema"), route.body}}}}}});
        QJsonObject success{{QStringLiteral("description"), route.summary}};
        if (!route.response.isEmpty())
            success.insert(QStringLiteral("content"),
                           QJsonObject{{QString::fromLatin1(route.responseType),
                                        QJsonObject{{QStringLiteral("schema"), route.response}}}});
        QJsonObject responses{{QString::number(route.successStatus), success},
                              {QStringLiteral("400"), errorResponse(QCoreApplication::translate(
                                                          "alabos::api", "bad request"))}};
        if (!route.open) {
            responses.insert(QStringLiteral("401"), errorResponse(QCoreApplication::translate(
                                                        "alabos::api", "no valid token")));
            responses.insert(QStringLiteral("403"),
                             errorResponse(QCoreApplication::translate(
                                 "alabos::api", "the role does not allow it")));
            responses.insert(QStringLiteral("429"), errorResponse(QCoreApplication::translate(
                                                        "alabos::api", "rate limited")));
            operation.insert(QStringLiteral("security"),
                             QJsonArray{QJsonObject{{QStringLiteral("bearer"), QJsonArray{}}}});
            if (!route.permission.isEmpty())
                operation.insert(QStringLiteral("x-alabos-permission"), route.permission);
        } else {
            operation.insert(QStringLiteral("security"), QJsonArray{});
        }
        operation.insert(QStringLiteral("responses"), responses);
        QJsonObject item = paths.value(route.path).toObject();
        item.insert(QString::fromLatin1(route.method).toLower(), operation);
        paths.insert(route.path, item);
    }
    const QJsonObject errorSchema = schema::object(
        {{QStringLiteral("error"),
          schema::object(
              {{QStringLiteral("code"), schema::string(64)},
               {QStringLiteral("message"), schema::string(4000)},
               {QStringLiteral("field"),
                QJsonObject{{QStringLiteral("type"),
                             QJsonArray{QStringLiteral("string"), QStringLiteral("null")}}}}},
              {QStringLiteral("code"), QStringLiteral("message"), QStringLiteral("field")})}},
        {QStringLiteral("error")});
    return {
        {QStringLiteral("openapi"), QStringLiteral("3.1.0")},
        {QStringLiteral("info"),
         QJsonObject{{QStringLiteral("title"), title}, {QStringLiteral("version"), version}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"),
         QJsonObject{
             {QStringLiteral("schemas"), QJsonObject{{QStringLiteral("Error"), errorSchema}}},
             {QStringLiteral("securitySchemes"),
              QJsonObject{{QStringLiteral("bearer"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                                       {QStringLiteral("scheme"), QStringLiteral("bearer")}}}}}}}};
}

} // namespace alabos
