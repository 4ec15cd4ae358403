// The API's checks before any handler runs: routes, tokens, permissions, rate limits, query
// and body schemas, the error shape, and the OpenAPI document generated from the same table.
// The router is driven through an in-memory exchange here; tst_api drives the real server.
#include "core/api/jsonschema.h"
#include "core/api/ratelimiter.h"
#include "core/api/readaudit.h"
#include "core/api/router.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace alabos;

namespace {
class RecordingExchange : public HttpExchange
{
public:
    explicit RecordingExchange(HttpRequest request) : m_request(std::move(request)) {}
    const HttpRequest &request() const override { return m_request; }
    void respond(HttpResponse response) override
    {
        ++answers;
        this->response = std::move(response);
    }
    void startStream(QList<QPair<QByteArray, QByteArray>>, QByteArray) override
    {
        streaming = true;
    }
    bool write(QByteArray bytes) override
    {
        streamed += bytes;
        return true;
    }
    void close() override {}
    void onClosed(std::function<void()>) override {}

    HttpRequest m_request;
    HttpResponse response;
    int answers = 0;
    bool streaming = false;
    QByteArray streamed;
};

QJsonObject errorOf(const HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value(QLatin1StringView("error")).toObject();
}

QByteArray header(const HttpResponse &r, const QByteArray &name)
{
    for (const auto &h : r.headers)
        if (h.first == name) return h.second;
    return {};
}
} // namespace

class TstApiRouter : public QObject
{
    Q_OBJECT

    std::shared_ptr<RateLimiter> m_limiter;
    std::unique_ptr<ApiRouter> m_router;
    QList<QString> m_seenCallers;

    std::shared_ptr<RecordingExchange> send(const QByteArray &method, const QByteArray &path,
                                            const QByteArray &token = "alabos_good",
                                            const QByteArray &body = {},
                                            const QByteArray &query = {})
    {
        HttpRequest request;
        request.method = method;
        request.path = path;
        request.query = query;
        request.body = body;
        request.peer = "127.0.0.1:40000";
        if (!token.isEmpty()) request.headers.emplaceBack("authorization", "Bearer " + token);
        if (!body.isEmpty()) request.headers.emplaceBack("content-type", "application/json");
        auto exchange = std::make_shared<RecordingExchange>(request);
        m_router->handle(exchange);
        return exchange;
    }

private Q_SLOTS:
    void readsAreCountedPerTokenRouteAndAddressWithinABound()
    {
        ReadAudit audit;
        const ApiCaller tess{QStringLiteral("t1"), QStringLiteral("tess"), {}, Role::Technician};
        audit.record(tess, QStringLiteral("/api/v1/devices/{id}"), QStringLiteral("10.0.0.5"), 200,
                     100);
        audit.record(tess, QStringLiteral("/api/v1/devices/{id}"), QStringLiteral("10.0.0.5"), 404,
                     200);
        audit.record(tess, QStringLiteral("/api/v1/tasks"), QStringLiteral("10.0.0.5"), 200, 300);
        QList<ApiReadSummary> taken = audit.take();
        QCOMPARE(taken.size(), 2);
        std::sort(taken.begin(), taken.end(),
                  [](const auto &a, const auto &b) { return a.route < b.route; });
        QCOMPARE(taken[0].route, QStringLiteral("/api/v1/devices/{id}"));
        QCOMPARE(taken[0].count, 2u);
        QCOMPARE(taken[0].statuses.value(404), 1u);
        QCOMPARE(taken[0].firstUs, 100);
        QCOMPARE(taken[0].lastUs, 200);
        QVERIFY(audit.take().isEmpty());
        // A client walking many addresses does not grow it without end; nothing is uncounted.
        for (int i = 0; i < ReadAudit::kMaxKeys + 500; ++i)
            audit.record(tess, QStringLiteral("/api/v1/tasks"), QStringLiteral("10.1.%1").arg(i),
                         200, i);
        taken = audit.take();
        QCOMPARE(taken.size(), ReadAudit::kMaxKeys + 1);
        quint64 total = 0;
        for (const ApiReadSummary &r : taken)
            total += r.count;
        QCOMPARE(total, quint64(ReadAudit::kMaxKeys + 500));
    }

    void init()
    {
        m_limiter = std::make_shared<RateLimiter>(1000, 1000);
        QList<ApiRoute> routes;
        routes << ApiRoute{"GET",
                           QStringLiteral("/healthz"),
                           QStringLiteral("health"),
                           QStringLiteral("service"),
                           QStringLiteral("alive"),
                           true,
                           {},
                           {},
                           {},
                           200,
                           {},
                           "application/json",
                           [](ApiCall c) { c.json(200, QByteArray("{}")); }};
        routes << ApiRoute{"GET",
                           QStringLiteral("/api/v1/devices/{id}"),
                           QStringLiteral("getDevice"),
                           QStringLiteral("devices"),
                           QStringLiteral("one"),
                           false,
                           {},
                           {{QStringLiteral("limit"), schema::integer(1, 1000), {}},
                            {QStringLiteral("open"), schema::boolean(), {}}},
                           {},
                           200,
                           {},
                           "application/json",
                           [this](ApiCall c) {
                               m_seenCallers << c.caller().user;
                               c.json(200, QJsonObject{{QStringLiteral("id"), c.path("id")},
                                                       {QStringLiteral("limit"),
                                                        c.integer(QStringLiteral("limit"), 100)}});
                           }};
        routes << ApiRoute{"POST",
                           QStringLiteral("/api/v1/tasks/{id}/cancel"),
                           QStringLiteral("cancelTask"),
                           QStringLiteral("tasks"),
                           QStringLiteral("cancel"),
                           false,
                           QString::fromLatin1(permission::TaskControl),
                           {},
                           {},
                           200,
                           {},
                           "application/json",
                           [](ApiCall c) { c.json(200, QByteArray("{}")); }};
        routes << ApiRoute{
            "POST",
            QStringLiteral("/api/v1/samples"),
            QStringLiteral("registerSamples"),
            QStringLiteral("samples"),
            QStringLiteral("register"),
            false,
            {},
            {},
            schema::object(
                {{QStringLiteral("samples"),
                  schema::array(schema::object({{QStringLiteral("barcode"), schema::string(64, 1)}},
                                               {QStringLiteral("barcode")}),
                                3, 1)},
                 {QStringLiteral("valid_only"), schema::boolean()}},
                {QStringLiteral("samples")}),
            201,
            {},
            "application/json",
            [](ApiCall c) { c.json(201, c.body().toObject()); }};
        m_router = std::make_unique<ApiRouter>(
            routes,
            [](QByteArrayView token, QString *why) -> std::optional<ApiCaller> {
                if (token == "alabos_good")
                    return ApiCaller{QStringLiteral("t1"), QStringLiteral("ada"),
                                     QStringLiteral("Ada"), Role::Supervisor};
                if (token == "alabos_technician")
                    return ApiCaller{QStringLiteral("t2"), QStringLiteral("tess"),
                                     QStringLiteral("Tess"), Role::Technician};
                *why = QStringLiteral("invalid or expired token");
                return std::nullopt;
            },
            m_limiter);
        m_seenCallers.clear();
    }

    void routesMethodsAndTheErrorShape()
    {
        auto r = send("GET", "/api/v1/devices/furnace-2");
        QCOMPARE(r->response.status, 200);
        QCOMPARE(QJsonDocument::fromJson(r->response.body).object().value("id").toString(),
                 QStringLiteral("furnace-2"));
        QCOMPARE(m_seenCallers, QList<QString>{QStringLiteral("ada")});

        r = send("GET", "/api/v1/nothing");
        QCOMPARE(r->response.status, 404);
        const QJsonObject e = errorOf(r->response);
        QCOMPARE(e.value("code").toString(), QStringLiteral("not_found"));
        QVERIFY(e.contains("message") && e.contains("field") && e.value("field").isNull());

        r = send("DELETE", "/api/v1/devices/furnace-2");
        QCOMPARE(r->response.status, 405);
        QCOMPARE(header(r->response, "Allow"), QByteArray("GET"));

        r = send("GET", "/api/v1/devices/" + QByteArray(201, 'x'));
        QCOMPARE(r->response.status, 400);
        QCOMPARE(errorOf(r->response).value("field").toString(), QStringLiteral("id"));
        QCOMPARE(r->answers, 1);
    }

    void tokensAndPermissions()
    {
        auto r = send("GET", "/api/v1/devices/a", "");
        QCOMPARE(r->response.status, 401);
        QCOMPARE(header(r->response, "WWW-Authenticate"), QByteArray("Bearer"));
        r = send("GET", "/api/v1/devices/a", "alabos_forged");
        QCOMPARE(r->response.status, 401);
        QCOMPARE(errorOf(r->response).value("message").toString(),
                 QStringLiteral("invalid or expired token"));
        // An open route needs none.
        QCOMPARE(send("GET", "/healthz", "")->response.status, 200);
        // A technician may not cancel tasks; a supervisor may.
        r = send("POST", "/api/v1/tasks/7/cancel", "alabos_technician");
        QCOMPARE(r->response.status, 403);
        QVERIFY2(errorOf(r->response).value("message").toString().contains("task_control"),
                 r->response.body.constData());
        QCOMPARE(send("POST", "/api/v1/tasks/7/cancel")->response.status, 200);
    }

    void rateLimitPerTokenWithRetryAfter()
    {
        m_limiter = std::make_shared<RateLimiter>(1, 3);
        const QList<ApiRoute> routes = m_router->routes();
        m_router = std::make_unique<ApiRouter>(
            routes,
            [](QByteArrayView token, QString *why) -> std::optional<ApiCaller> {
                if (token == "alabos_good")
                    return ApiCaller{
                        QStringLiteral("t1"), QStringLiteral("ada"), {}, Role::Supervisor};
                if (token == "alabos_other")
                    return ApiCaller{
                        QStringLiteral("t3"), QStringLiteral("bob"), {}, Role::Supervisor};
                *why = QStringLiteral("invalid or expired token");
                return std::nullopt;
            },
            m_limiter);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(send("GET", "/api/v1/devices/a")->response.status, 200);
        auto r = send("GET", "/api/v1/devices/a");
        QCOMPARE(r->response.status, 429);
        QCOMPARE(header(r->response, "Retry-After"), QByteArray("1"));
        QCOMPARE(errorOf(r->response).value("code").toString(), QStringLiteral("rate_limited"));
        // Another token has its own bucket.
        QCOMPARE(send("GET", "/api/v1/devices/a", "alabos_other")->response.status, 200);
        // Guessing tokens spends the address's bucket.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(send("GET", "/api/v1/devices/a", "alabos_guess")->response.status, 401);
        QCOMPARE(send("GET", "/api/v1/devices/a", "alabos_guess")->response.status, 429);
    }

    void queryParametersAreDeclaredAndChecked()
    {
        auto r = send("GET", "/api/v1/devices/a", "alabos_good", {}, "limit=5");
        QCOMPARE(QJsonDocument::fromJson(r->response.body).object().value("limit").toInt(), 5);
        r = send("GET", "/api/v1/devices/a", "alabos_good", {}, "limt=5");
        QCOMPARE(r->response.status, 400);
        QCOMPARE(errorOf(r->response).value("code").toString(),
                 QStringLiteral("unknown_parameter"));
        QCOMPARE(errorOf(r->response).value("field").toString(), QStringLiteral("limt"));
        r = send("GET", "/api/v1/devices/a", "alabos_good", {}, "limit=5000");
        QCOMPARE(r->response.status, 400);
        QVERIFY(errorOf(r->response).value("message").toString().contains("1000"));
        r = send("GET", "/api/v1/devices/a", "alabos_good", {}, "limit=five");
        QCOMPARE(r->response.status, 400);
        r = send("GET", "/api/v1/devices/a", "alabos_good", {}, "open=yes");
        QCOMPARE(r->response.status, 400);
        r = send("GET", "/api/v1/devices/a", "alabos_good", {}, QByteArray(5000, 'a'));
        QCOMPARE(r->response.status, 414);
    }

    void bodiesAreJsonWithinTheirSchema_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("valid") << QByteArray(R"({"samples":[{"barcode":"S1"}]})") << 201
                               << QString() << QString();
        QTest::newRow("not json") << QByteArray("{samples:") << 400 << "bad_json" << QString();
        QTest::newRow("unknown field")
            << QByteArray(R"({"samples":[{"barcode":"S1","colour":"red"}]})") << 400
            << "invalid_field"
            << "samples[0].colour";
        QTest::newRow("wrong type")
            << QByteArray(R"({"samples":[{"barcode":7}]})") << 400 << "invalid_field"
            << "samples[0].barcode";
        QTest::newRow("too long") << QByteArray(R"({"samples":[{"barcode":")" +
                                                QByteArray(65, 'x') + R"("}]})")
                                  << 400 << "invalid_field"
                                  << "samples[0].barcode";
        QTest::newRow("missing") << QByteArray(R"({"valid_only":true})") << 400 << "invalid_field"
                                 << "samples";
        QTest::newRow("too many")
            << QByteArray(R"({"samples":[{"barcode":"a"},{"barcode":"b"},{"barcode":"c"},)"
                          R"({"barcode":"d"}]})")
            << 400 << "invalid_field"
            << "samples";
        QTest::newRow("empty barcode")
            << QByteArray(R"({"samples":[{"barcode":""}]})") << 400 << "invalid_field"
            << "samples[0].barcode";
    }

    void bodiesAreJsonWithinTheirSchema()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, field);
        auto r = send("POST", "/api/v1/samples", "alabos_good", body);
        QCOMPARE(r->response.status, status);
        if (status >= 400) {
            QCOMPARE(errorOf(r->response).value("code").toString(), code);
            if (!field.isEmpty()) QCOMPARE(errorOf(r->response).value("field").toString(), field);
        }
    }

    void aBodyNeedsItsContentTypeAndARouteWithoutOneRefusesIt()
    {
        HttpRequest request;
        request.method = "POST";
        request.path = "/api/v1/samples";
        request.body = R"({"samples":[{"barcode":"S1"}]})";
        request.headers.emplaceBack("authorization", "Bearer alabos_good");
        auto exchange = std::make_shared<RecordingExchange>(request);
        m_router->handle(exchange);
        QCOMPARE(exchange->response.status, 415);
        auto r = send("POST", "/api/v1/tasks/7/cancel", "alabos_good", "{}");
        QCOMPARE(r->response.status, 400);
    }

    void theOpenApiDocumentIsTheRouteTable()
    {
        const QJsonObject doc = m_router->openApi(QStringLiteral("alabos"), QStringLiteral("1"));
        QCOMPARE(doc.value("openapi").toString(), QStringLiteral("3.1.0"));
        const QJsonObject paths = doc.value("paths").toObject();
        int operations = 0;
        for (auto it = paths.begin(); it != paths.end(); ++it)
            operations += it.value().toObject().size();
        QCOMPARE(operations, m_router->routes().size());
        const QJsonObject cancel =
            paths.value("/api/v1/tasks/{id}/cancel").toObject().value("post").toObject();
        QCOMPARE(cancel.value("x-alabos-permission").toString(), QStringLiteral("task_control"));
        QVERIFY(cancel.value("responses").toObject().contains("403"));
        QCOMPARE(cancel.value("parameters").toArray().first().toObject().value("in").toString(),
                 QStringLiteral("path"));
        const QJsonObject samples =
            paths.value("/api/v1/samples").toObject().value("post").toObject();
        QVERIFY(samples.value("requestBody").toObject().contains("content"));
        QVERIFY(paths.value("/healthz")
                    .toObject()
                    .value("get")
                    .toObject()
                    .value("security")
                    .toArray()
                    .isEmpty());
        QVERIFY(doc.value("components").toObject().value("schemas").toObject().contains("Error"));
    }

    void theLimiterRefillsAndForgetsOldKeys()
    {
        RateLimiter limiter(10, 2, 32);
        QVERIFY(!limiter.take("a", 0));
        QVERIFY(!limiter.take("a", 0));
        const std::optional<double> wait = limiter.take("a", 0);
        QVERIFY(wait && *wait > 0.09 && *wait <= 0.1);
        QVERIFY(!limiter.take("a", 100000)); // 0.1 s later: one more
        for (int i = 0; i < 10000; ++i)
            limiter.take(QByteArray::number(i), 1000000 + i);
        // Still answers, and a key it forgot starts full again.
        QVERIFY(!limiter.take("a", 20000000));
    }
};

QTEST_GUILESS_MAIN(TstApiRouter)
#include "tst_apirouter.moc"
