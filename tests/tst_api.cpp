// The REST API against the real binary: a headless lab with its API on a free port, real HTTP
// clients (Qt's, raw sockets and curl), tokens made through the command channel, and the
// database checked for what changed and what did not.
#include "tests/support/alabosprocess.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <pqxx/pqxx>

using namespace alabos;
using namespace alabos::test;

namespace {
struct Answer
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
        return {};
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    QString error() const
    {
        return json.value(QLatin1StringView("error")).toObject().value("code").toString();
    }
    QString field() const
    {
        return json.value(QLatin1StringView("error")).toObject().value("field").toString();
    }
};
} // namespace

class TstApi : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Alabos m_alabos;
    QString m_base; // http://127.0.0.1:PORT
    std::string m_database;
    QNetworkAccessManager m_network;
    int m_devices = 120;
    qint64 m_nextCommand = 1;

    Answer call(const QByteArray &method, const QString &path, const QByteArray &token = {},
                const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        QNetworkRequest request(QUrl(m_base + path));
        if (!token.isEmpty()) request.setRawHeader("Authorization", "Bearer " + token);
        if (!body.isEmpty()) request.setRawHeader("Content-Type", "application/json");
        for (const auto &h : headers)
            request.setRawHeader(h.first, h.second);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        a.json = QJsonDocument::fromJson(a.body).object();
        a.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return a;
    }

    // A command line through headless mode's standard input; the reply line.
    QString command(const QString &user, const QString &password, const QString &kind,
                    const QString &entity, const QJsonObject &args)
    {
        const qsizetype from = m_alabos.out.size();
        m_alabos.send(QJsonDocument(QJsonObject{{"user", user},
                                                {"password", password},
                                                {"kind", kind},
                                                {"entity_id", entity},
                                                {"args", args}})
                          .toJson(QJsonDocument::Compact));
        return m_alabos
            .waitFor(QStringLiteral("reply to command \\d+ \\(%1[^\\n]*\\n").arg(kind), from)
            .captured(0);
    }

    QByteArray newToken(const QString &user, const QString &password, const QString &name)
    {
        const QString reply = command(user, password, QStringLiteral("token.create"), {},
                                      {{"name", name}, {"expiresInDays", 1}});
        const auto m =
            QRegularExpression(QStringLiteral("\"token\":\"(alabos_[^\"]+)\"")).match(reply);
        if (!m.hasMatch()) qWarning("no token in: %s", qPrintable(reply));
        return m.captured(1).toUtf8();
    }

    qint64 scalar(const std::string &sql)
    {
        pqxx::connection c(m_database);
        pqxx::nontransaction tx(c);
        return tx.exec1(sql)[0].as<qint64>();
    }

    QByteArray m_admin;
    QByteArray m_technician;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // As root the embedded server runs as postgres, who must reach the data directory.
        QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                QFile::ReadGroup | QFile::ExeGroup |
                                                QFile::ReadOther | QFile::ExeOther);
        m_alabos.start(qEnvironmentVariable("ALABOS_BIN"),
                       QStringList{QStringLiteral("--headless"), QStringLiteral("--simulate"),
                                   QStringLiteral("demo"), QStringLiteral("--devices"),
                                   QString::number(m_devices), QStringLiteral("--data-dir"),
                                   m_dir.path(), QStringLiteral("--no-fsync"),
                                   QStringLiteral("--api-listen"), QStringLiteral("127.0.0.1:0"),
                                   QStringLiteral("--api-rate"), QStringLiteral("50"),
                                   QStringLiteral("--api-burst"), QStringLiteral("300")} +
                           adminPasswordArgs(m_dir.path()));
        m_base = m_alabos.waitFor(QStringLiteral("alabos: API (http://127\\.0\\.0\\.1:\\d+)"))
                     .captured(1);
        QVERIFY2(!m_base.isEmpty(), qPrintable(m_alabos.text() + m_alabos.errors()));
        m_database = m_alabos.waitFor(QStringLiteral("alabos: PostgreSQL ([^\\n]+)"))
                         .captured(1)
                         .trimmed()
                         .toStdString();
        m_admin = newToken(QStringLiteral("admin"), kAdminPassword, QStringLiteral("tests"));
        QVERIFY(!m_admin.isEmpty());
        QVERIFY(command(QStringLiteral("admin"), kAdminPassword, QStringLiteral("user.add"), {},
                        {{"name", "tess"}, {"role", "technician"}, {"password", "tess-pass-123"}})
                    .contains(QStringLiteral("accepted")));
        m_technician = newToken(QStringLiteral("tess"), QStringLiteral("tess-pass-123"),
                                QStringLiteral("bench"));
        QVERIFY(!m_technician.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", QStringLiteral("/readyz")).status, 200, 30000);
        // The lab declares its devices as it starts: every one is in the API's view.
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", QStringLiteral("/api/v1/devices?limit=1"), m_admin)
                                      .json.value("total")
                                      .toInt(),
                                  m_devices, 30000);
    }

    void healthAndTheDocumentMatchTheDocs()
    {
        QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200);
        const Answer doc = call("GET", QStringLiteral("/openapi.json"));
        QCOMPARE(doc.status, 200);
        QCOMPARE(doc.json.value("openapi").toString(), QStringLiteral("3.1.0"));
        QSet<QString> served;
        const QJsonObject paths = doc.json.value("paths").toObject();
        for (auto p = paths.begin(); p != paths.end(); ++p)
            for (const QString &method : p.value().toObject().keys())
                served << method.toUpper() + u' ' + p.key();
        QFile file(QStringLiteral(ALABOS_SOURCE_DIR "/docs/api.md"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> documented;
        static const QRegularExpression row(
            QStringLiteral("^\\| (GET|POST|PUT|DELETE) \\| `([^`]+)` \\|"));
        for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n'))
            if (const auto m = row.match(line); m.hasMatch())
                documented << m.captured(1) + u' ' + m.captured(2);
        QCOMPARE(documented - served, QSet<QString>());
        QCOMPARE(served - documented, QSet<QString>());
    }

    void everyRouteWantsAValidTokenAndTheRightRole()
    {
        const Answer first = call("GET", QStringLiteral("/api/v1/devices?limit=1"), m_admin);
        QVERIFY2(first.status == 200 && !first.json.value("items").toArray().isEmpty(),
                 first.body.constData());
        const QString device = QStringLiteral("/api/v1/devices/") +
                               call("GET", QStringLiteral("/api/v1/devices?limit=1"), m_admin)
                                   .json.value("items")
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value("id")
                                   .toString();
        Answer a = call("GET", device);
        QCOMPARE(a.status, 401);
        QCOMPARE(a.error(), QStringLiteral("unauthorized"));
        QVERIFY(!a.header("WWW-Authenticate").isEmpty());
        QCOMPARE(call("GET", device, "alabos_AAAAAAAAAAAA_" + QByteArray(43, 'A')).status, 401);
        QCOMPARE(call("GET", device, "Basic YWRtaW46YWRtaW4=").status, 401);
        QCOMPARE(call("GET", device, m_technician).status, 200);
        a = call("POST", device + QStringLiteral("/pause"), m_technician);
        QCOMPARE(a.status, 403);
        QCOMPARE(a.error(), QStringLiteral("forbidden"));
        QCOMPARE(
            call("GET", QStringLiteral("/api/v1/me"), m_technician).json.value("role").toString(),
            QStringLiteral("technician"));
    }

    void aChangeIsAnOperatorCommandAndAudited()
    {
        const QString path =
            QStringLiteral("/api/v1/devices/") +
            call("GET", QStringLiteral("/api/v1/devices?type=balance&limit=1"), m_admin)
                .json.value("items")
                .toArray()
                .first()
                .toObject()
                .value("id")
                .toString();
        const Answer a = call("POST", path + QStringLiteral("/pause"), m_admin);
        QVERIFY2(a.status == 200, a.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", path, m_admin).json.value("status").toString(),
                                  QStringLiteral("paused"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            scalar("SELECT count(*) FROM events WHERE entity_type = 'command' AND "
                   "payload->>'kind' = 'device.pause' AND payload->>'user' = 'admin' AND "
                   "payload->>'origin' LIKE 'api:%'") == 1,
            10000);
        QVERIFY(call("POST", path + QStringLiteral("/resume"), m_admin).status == 200);
        const Answer refused =
            call("POST", QStringLiteral("/api/v1/devices/no-such/pause"), m_admin);
        QCOMPARE(refused.status, 422); // the scheduler's refusal, with its reason
        QCOMPARE(refused.error(), QStringLiteral("refused"));
    }

    void readsAreAuditedAsCounts()
    {
        // Answers 404 to tess on this route: the earlier tests' reads there were answered 200.
        const std::string notFound =
            "SELECT coalesce(sum((detail->'statuses'->>'404')::bigint), 0) FROM audit_log WHERE "
            "action = 'api_read' AND user_name = 'tess' AND entity_id = '/api/v1/devices/{id}' "
            "AND host = '127.0.0.1' AND detail->>'origin' LIKE 'api:%'";
        const qint64 before = scalar(notFound);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                call("GET", QStringLiteral("/api/v1/devices/no-such-device"), m_technician).status,
                404);
        QTRY_COMPARE_WITH_TIMEOUT(scalar(notFound), before + 3, 15000);
        // A request without a valid token is nobody's read.
        QCOMPARE(call("GET", QStringLiteral("/api/v1/devices/no-such-device"), "alabos_x").status,
                 401);
        QCOMPARE(scalar("SELECT count(*) FROM audit_log WHERE action = 'api_read' AND "
                        "(user_name = '' OR user_name IS NULL)"),
                 0);
    }

    void listsArePagedAndFiltered()
    {
        Answer a = call("GET", QStringLiteral("/api/v1/devices?limit=50"), m_admin);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value("items").toArray().size(), 50);
        QCOMPARE(a.json.value("total").toInt(), m_devices);
        a = call("GET", QStringLiteral("/api/v1/devices?offset=100&limit=50"), m_admin);
        QCOMPARE(a.json.value("items").toArray().size(), m_devices - 100);
        a = call("GET", QStringLiteral("/api/v1/devices?type=xrd&limit=1000"), m_admin);
        for (const QJsonValue &d : a.json.value("items").toArray())
            QCOMPARE(d.toObject().value("type").toString(), QStringLiteral("xrd"));
        QVERIFY(a.json.value("total").toInt() > 0);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/devices/no-such-device"), m_admin).status,
                 404);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/devices?limit=0"), m_admin).status, 400);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/devices?colour=red"), m_admin).error(),
                 QStringLiteral("unknown_parameter"));
        // The queue in the engine's order. With every dosing station paused, the workflows
        // that keep arriving make one: a lab with devices to spare may have none otherwise.
        QStringList dosing;
        for (const QJsonValue &d :
             call("GET", QStringLiteral("/api/v1/devices?type=dosing_station&limit=1000"), m_admin)
                 .json.value("items")
                 .toArray())
            dosing << QStringLiteral("/api/v1/devices/") + d.toObject().value("id").toString();
        QVERIFY(!dosing.isEmpty());
        for (const QString &device : std::as_const(dosing))
            QCOMPARE(call("POST", device + QStringLiteral("/pause"), m_admin).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(call("GET", QStringLiteral("/api/v1/queue?limit=1000"), m_admin)
                                         .json.value("total")
                                         .toInt() > 0,
                                 30000);
        a = call("GET", QStringLiteral("/api/v1/queue?limit=1000"), m_admin);
        for (const QString &device : std::as_const(dosing))
            QCOMPARE(call("POST", device + QStringLiteral("/resume"), m_admin).status, 200);
        qint64 rank = std::numeric_limits<qint64>::min();
        for (const QJsonValue &t : a.json.value("items").toArray()) {
            const qint64 r = t.toObject().value("queue_rank").toInteger();
            QVERIFY(r >= rank);
            rank = r;
        }
        a = call("GET", QStringLiteral("/api/v1/tasks?status=completed&limit=20"), m_admin);
        for (const QJsonValue &t : a.json.value("items").toArray())
            QCOMPARE(t.toObject().value("status").toString(), QStringLiteral("completed"));
        QCOMPARE(call("GET", QStringLiteral("/api/v1/alarms"), m_admin).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/prompts?open=false"), m_admin).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/positions?limit=5"), m_admin).status, 200);
        const Answer templates = call("GET", QStringLiteral("/api/v1/workflow-templates"), m_admin);
        bool demo = false;
        for (const QJsonValue &t : templates.json.value("items").toArray())
            demo = demo ||
                   t.toObject().value("name").toString() == QLatin1StringView("demo-synthesis");
        QVERIFY(demo);
    }

    void badRequestsAreAnsweredAndChangeNothing()
    {
        // The simulated lab registers samples of its own meanwhile: only these barcodes count.
        const std::string mine = "SELECT count(*) FROM samples WHERE barcode IN ('X1', 'OK-1', "
                                 "'OK-2') OR barcode LIKE 'bad%' OR barcode LIKE 'A%B'";
        const qint64 before = scalar(mine);
        const QString samples = QStringLiteral("/api/v1/samples");
        Answer a = call("POST", samples, m_admin, "{\"samples\": [");
        QCOMPARE(a.status, 400);
        QCOMPARE(a.error(), QStringLiteral("bad_json"));
        a = call("POST", samples, m_admin, R"({"samples":[{"barcode":42}]})");
        QCOMPARE(a.field(), QStringLiteral("samples[0].barcode"));
        a = call("POST", samples, m_admin, R"({"samples":[{"barcode":"X1"}],"mode":"all"})");
        QCOMPARE(a.field(), QStringLiteral("mode"));
        a = call("POST", samples, m_admin,
                 R"({"samples":[{"barcode":"OK-1"},{"barcode":"bad)" + QByteArray(80, 'x') +
                     R"("},{"barcode":"OK-2"}]})");
        QCOMPARE(a.status, 400);
        QVERIFY2(a.error() == QLatin1StringView("invalid_field") ||
                     a.error() == QLatin1StringView("invalid_rows"),
                 a.body.constData());
        a = call("POST", samples, m_admin,
                 R"({"samples":[{"barcode":"OK-1"},{"barcode":"A\u0007B"},{"barcode":"OK-2"}]})");
        QCOMPARE(a.status, 400);
        QCOMPARE(a.error(), QStringLiteral("invalid_rows"));
        const QJsonArray rows = a.json.value("error").toObject().value("rows").toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value("row").toInt(), 1);
        a = call("POST", samples, m_admin, QByteArray(2 * 1024 * 1024, ' ') + "{}");
        QCOMPARE(a.status, 413);
        QCOMPARE(a.error(), QStringLiteral("payload_too_large"));
        QCOMPARE(scalar(mine), before);
        // On request, the valid rows alone, the rest named.
        a = call(
            "POST", samples, m_admin,
            R"({"valid_only":true,"samples":[{"barcode":"OK-1"},{"barcode":"A\u0007B"},{"barcode":"OK-2"}]})");
        QVERIFY2(a.status == 201, a.body.constData());
        QCOMPARE(a.json.value("registered").toObject().value("count").toInt(), 2);
        QCOMPARE(a.json.value("rejected").toArray().size(), 1);
        a = call("POST", samples, m_admin, R"({"samples":[{"barcode":"OK-1"}]})");
        QCOMPARE(a.status, 409);
        QCOMPARE(a.error(), QStringLiteral("duplicate_barcodes"));
        QCOMPARE(scalar(mine), before + 2);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/samples/OK-1"), m_admin)
                     .json.value("barcode")
                     .toString(),
                 QStringLiteral("OK-1"));
        QVERIFY(call("GET", QStringLiteral("/api/v1/samples?q=OK-&limit=10"), m_admin)
                    .json.value("items")
                    .toArray()
                    .size() >= 2);
    }

    void aSlowClientIsCutOffAndOthersAreServed()
    {
        QTcpSocket slow;
        const QUrl url(m_base);
        slow.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(slow.waitForConnected(5000));
        slow.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // and never the blank line
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(call("GET", QStringLiteral("/healthz")).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            slow.state() == QAbstractSocket::UnconnectedState || slow.bytesAvailable() > 0, 20000);
        QVERIFY(clock.elapsed() >= 5000); // not before the request timeout
        const QByteArray answer = slow.readAll();
        QVERIFY2(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer.constData());
    }

    void eachTokenHasItsRate()
    {
        const QByteArray token =
            newToken(QStringLiteral("admin"), kAdminPassword, QStringLiteral("greedy"));
        int limited = 0;
        QByteArray retryAfter;
        for (int i = 0; i < 400; ++i) {
            const Answer a = call("GET", QStringLiteral("/api/v1/me"), token);
            if (a.status == 429) {
                ++limited;
                retryAfter = a.header("Retry-After");
            }
        }
        QVERIFY(limited > 0);
        QVERIFY(retryAfter.toInt() >= 1);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/me"), m_technician).status, 200);
    }

    void curlRegistersAThousandSamplesAndTheStreamShowsTheirWorkflowsFinish()
    {
        auto curl = [&](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral("curl"),
                    QStringList{
                        QStringLiteral("-sS"), QStringLiteral("-H"),
                        QStringLiteral("Authorization: Bearer ") + QString::fromUtf8(m_admin),
                        QStringLiteral("-H"), QStringLiteral("Content-Type: application/json")} +
                        args);
            p.waitForFinished(60000);
            return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        };
        QJsonArray rows;
        QStringList barcodes;
        for (int i = 0; i < 1000; ++i) {
            barcodes << QStringLiteral("CURL-%1").arg(i, 4, 10, QLatin1Char('0'));
            rows.append(QJsonObject{{"barcode", barcodes.last()}, {"name", "curl sample"}});
        }
        const QString body = QString::fromUtf8(
            QJsonDocument(QJsonObject{{"samples", rows}}).toJson(QJsonDocument::Compact));
        const QJsonObject registered =
            curl({QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-d"), body,
                  m_base + QStringLiteral("/api/v1/samples")});
        QCOMPARE(registered.value("registered").toObject().value("count").toInt(), 1000);

        // The stream first, then the submissions: every finish arrives after it started.
        QProcess stream;
        stream.start(QStringLiteral("curl"),
                     {QStringLiteral("-sN"), QStringLiteral("-H"),
                      QStringLiteral("Authorization: Bearer ") + QString::fromUtf8(m_admin),
                      m_base + QStringLiteral("/api/v1/events?types=workflow")});
        QVERIFY(stream.waitForStarted());
        QTest::qWait(500);
        QSet<QString> workflows;
        for (int w = 0; w < 10; ++w) {
            const QJsonObject submitted =
                curl({QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-d"),
                      QString::fromUtf8(
                          QJsonDocument(QJsonObject{{"template", "demo-synthesis"},
                                                    {"barcodes", QJsonArray::fromStringList(
                                                                     barcodes.mid(w * 100, 100))}})
                              .toJson(QJsonDocument::Compact)),
                      m_base + QStringLiteral("/api/v1/workflows")});
            const qint64 id = submitted.value("data").toObject().value("workflow_id").toInteger();
            QVERIFY2(id > 0, QJsonDocument(submitted).toJson().constData());
            workflows << QString::number(id);
        }
        QSet<QString> finished;
        QByteArray seen;
        QElapsedTimer clock;
        clock.start();
        while (finished.size() < workflows.size() && clock.elapsed() < 240000) {
            stream.waitForReadyRead(1000);
            seen += stream.readAllStandardOutput();
            for (const QByteArray &line : seen.split('\n')) {
                if (!line.startsWith("data: ")) continue;
                const QJsonObject e = QJsonDocument::fromJson(line.mid(6)).object();
                if (e.value("kind").toString() == QLatin1StringView("workflow.finished") &&
                    workflows.contains(e.value("entity_id").toString()))
                    finished << e.value("entity_id").toString();
            }
        }
        stream.kill();
        stream.waitForFinished();
        QCOMPARE(finished, workflows);
        // The stream follows the events table; the state follows the broker and may trail it.
        const QString one = *workflows.begin();
        QString progress;
        auto completedWhole = [&] {
            const QJsonObject p =
                call("GET", QStringLiteral("/api/v1/workflows/") + one, m_admin).json;
            const qsizetype tasks = p.value("tasks").toArray().size();
            progress = QStringLiteral("%1, %2 of %3 tasks finished")
                           .arg(p.value("status").toString())
                           .arg(p.value("tasks_finished").toInt())
                           .arg(tasks);
            return p.value("status").toString() == QLatin1StringView("completed") && tasks > 0 &&
                   p.value("tasks_finished").toInt() == tasks;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(completedWhole(), qPrintable(progress), 20000);
    }

    void theEventStreamResumesWhereADroppedConnectionLeftOff()
    {
        // One stream that never drops, and one that drops and comes back with Last-Event-ID.
        auto open = [&](const QByteArray &lastId, QList<qint64> *ids) {
            QNetworkRequest request(QUrl(m_base + QStringLiteral("/api/v1/events")));
            request.setRawHeader("Authorization", "Bearer " + m_admin);
            if (!lastId.isEmpty()) request.setRawHeader("Last-Event-ID", lastId);
            QNetworkReply *reply = m_network.get(request);
            auto buffer = std::make_shared<QByteArray>();
            connect(reply, &QNetworkReply::readyRead, reply, [reply, buffer, ids] {
                *buffer += reply->readAll();
                qsizetype end;
                while ((end = buffer->indexOf("\n\n")) >= 0) {
                    const QByteArray frame = buffer->left(end);
                    buffer->remove(0, end + 2);
                    for (const QByteArray &line : frame.split('\n'))
                        if (line.startsWith("id: ")) ids->append(line.mid(4).toLongLong());
                }
            });
            return reply;
        };
        QList<qint64> steady, dropped, resumed;
        QNetworkReply *a = open({}, &steady);
        QTest::qWait(300);
        QNetworkReply *b = open({}, &dropped);
        QTRY_VERIFY_WITH_TIMEOUT(dropped.size() >= 50, 30000);
        b->abort();
        b->deleteLater();
        const qint64 last = dropped.last();
        QTest::qWait(1500); // events go on while it is away
        QNetworkReply *c = open(QByteArray::number(last), &resumed);
        QTRY_VERIFY_WITH_TIMEOUT(!resumed.isEmpty() && !steady.isEmpty() &&
                                     resumed.last() >= steady.last() && steady.last() > last + 20,
                                 30000);
        const qint64 upTo = std::min(resumed.last(), steady.last());
        QList<qint64> expected;
        for (qint64 id : std::as_const(steady))
            if (id > last && id <= upTo) expected << id;
        QList<qint64> got;
        for (qint64 id : std::as_const(resumed))
            if (id <= upTo) got << id;
        QCOMPARE(got, expected);
        QVERIFY(!expected.isEmpty());
        // Ids only grow, with nothing twice.
        for (qsizetype i = 1; i < steady.size(); ++i)
            QVERIFY(steady.at(i) > steady.at(i - 1));
        a->abort();
        c->abort();
        a->deleteLater();
        c->deleteLater();
    }

    void metricsAreValidAndDocumented()
    {
        call("GET", QStringLiteral("/api/v1/me"), m_admin); // one request counted at least
        const Answer metrics = call("GET", QStringLiteral("/metrics"));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        QSet<QString> served;
        for (const QByteArray &line : metrics.body.split('\n'))
            if (line.startsWith("# TYPE ")) served << QString::fromUtf8(line.split(' ').value(2));
        QFile doc(QStringLiteral(ALABOS_SOURCE_DIR "/docs/metrics.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QSet<QString> documented;
        static const QRegularExpression row(
            QStringLiteral("^\\| `(alabos_[a-z_]+)` \\| (counter|gauge|histogram) \\|"));
        for (const QString &line : QString::fromUtf8(doc.readAll()).split(u'\n'))
            if (const auto m = row.match(line); m.hasMatch()) documented << m.captured(1);
        QCOMPARE(served - documented, QSet<QString>());
        QCOMPARE(documented - served, QSet<QString>());
        QVERIFY(metrics.body.contains("alabos_api_requests_total{route=\"me\",status=\"200\"}"));
        QVERIFY(metrics.body.contains("alabos_devices{status=\"idle\"}"));
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty()) QSKIP("promtool is not installed (scripts/install-deps)");
        QProcess check;
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        check.write(metrics.body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());
    }

    void prometheusScrapesTheQueueDepthAlabosReports()
    {
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty()) QSKIP("prometheus is not installed (scripts/install-deps)");
        QTcpServer probe; // a free port for Prometheus's own API
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const QUrl target(m_base);
        QDir dir(m_dir.path());
        dir.mkpath(QStringLiteral("prometheus"));
        QFile config(dir.filePath(QStringLiteral("prometheus/prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n"
                                    "  - job_name: alabos\n    static_configs:\n"
                                    "      - targets: ['127.0.0.1:%1']\n")
                         .arg(target.port())
                         .toUtf8());
        config.close();
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(prometheus, {QStringLiteral("--config.file=") + config.fileName(),
                                  QStringLiteral("--storage.tsdb.path=") +
                                      dir.filePath(QStringLiteral("prometheus/data")),
                                  QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port)});
        QVERIFY(server.waitForStarted());
        // What alabos reports, sampled while Prometheus scrapes it.
        QSet<double> reported;
        double scraped = -1;
        QElapsedTimer clock;
        clock.start();
        while (scraped < 0 && clock.elapsed() < 60000) {
            const Answer metrics = call("GET", QStringLiteral("/metrics"));
            QCOMPARE(metrics.status, 200);
            for (const QByteArray &line : metrics.body.split('\n'))
                if (line.startsWith("alabos_queue_depth "))
                    reported.insert(line.mid(19).trimmed().toDouble());
            QNetworkRequest request(
                QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/query?query=alabos_queue_depth")
                         .arg(port)));
            QNetworkReply *reply = m_network.get(request);
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const QJsonArray result = QJsonDocument::fromJson(reply->readAll())
                                          .object()
                                          .value("data")
                                          .toObject()
                                          .value("result")
                                          .toArray();
            reply->deleteLater();
            if (!result.isEmpty())
                scraped =
                    result.first().toObject().value("value").toArray().at(1).toString().toDouble();
            QTest::qWait(100);
        }
        server.terminate();
        server.waitForFinished(10000);
        QVERIFY2(scraped >= 0, "Prometheus never returned alabos_queue_depth");
        QVERIFY2(!reported.isEmpty(), "alabos did not report alabos_queue_depth");
        QVERIFY2(reported.contains(scraped),
                 qPrintable(QStringLiteral("Prometheus has %1; alabos reported %2 values meanwhile")
                                .arg(scraped)
                                .arg(reported.size())));
    }

    void aWorkflowIsCancelledWhole()
    {
        QVERIFY(call("POST", QStringLiteral("/api/v1/samples"), m_admin,
                     R"({"samples":[{"barcode":"CANCEL-1"}]})")
                    .status == 201);
        const Answer submitted =
            call("POST", QStringLiteral("/api/v1/workflows"), m_admin,
                 R"({"template":"demo-synthesis","barcodes":["CANCEL-1"],"priority":"low"})");
        QVERIFY2(submitted.status == 201, submitted.body.constData());
        const qint64 id = submitted.json.value("data").toObject().value("workflow_id").toInteger();
        QTRY_COMPARE_WITH_TIMEOUT(
            call("GET", QStringLiteral("/api/v1/workflows/%1").arg(id), m_admin).status, 200,
            10000);
        const Answer cancelled =
            call("POST", QStringLiteral("/api/v1/workflows/%1/cancel").arg(id), m_admin);
        QVERIFY2(cancelled.status == 202, cancelled.body.constData());
        QVERIFY(!cancelled.json.value("cancelled").toArray().isEmpty());
        // A workflow whose tasks were cancelled ends as one that did not complete: failed
        // (docs/engine.md), every task cancelled or completed. The API follows the workflow
        // and task topics apart, so the last task may show its end just after the workflow.
        const auto settled = [&] {
            const Answer now = call("GET", QStringLiteral("/api/v1/workflows/%1").arg(id), m_admin);
            if (now.json.value("status").toString() != QLatin1StringView("failed")) return false;
            for (const QJsonValue &t : now.json.value("tasks").toArray())
                if (!QStringList{"cancelled", "completed", "failed"}.contains(
                        t.toObject().value("status").toString()))
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        const Answer finished =
            call("GET", QStringLiteral("/api/v1/workflows/%1").arg(id), m_admin);
        int cancelledTasks = 0;
        for (const QJsonValue &t : finished.json.value("tasks").toArray()) {
            const QString status = t.toObject().value("status").toString();
            QVERIFY2(status == QLatin1StringView("cancelled") ||
                         status == QLatin1StringView("completed"),
                     qPrintable(status));
            cancelledTasks += status == QLatin1StringView("cancelled") ? 1 : 0;
        }
        QVERIFY(cancelledTasks > 0);
        QCOMPARE(
            call("POST", QStringLiteral("/api/v1/workflows/%1/cancel").arg(id), m_admin).status,
            409);
        QCOMPARE(call("POST", QStringLiteral("/api/v1/workflows"), m_admin,
                      R"({"template":"no-such","barcodes":["CANCEL-1"]})")
                     .status,
                 404);

        // Its workflow over, the sample can be deleted, with a reason; afterwards it is in no
        // new workflow and its record says it was deleted.
        const QString deletions = QStringLiteral("/api/v1/sample-deletions");
        Answer a =
            call("POST", deletions, m_technician, R"({"barcodes":["CANCEL-1"],"reason":"x"})");
        QCOMPARE(a.status, 403);
        a = call("POST", deletions, m_admin, R"({"barcodes":["CANCEL-1"]})");
        QCOMPARE(a.status, 400);
        QCOMPARE(a.field(), QStringLiteral("reason"));
        a = call("POST", deletions, m_admin,
                 R"({"barcodes":["CANCEL-1","NO-SUCH-9"],"reason":"x"})");
        QCOMPARE(a.status, 422);
        QVERIFY2(a.body.contains("not registered: NO-SUCH-9"), a.body.constData());
        a = call("POST", deletions, m_admin,
                 R"({"barcodes":["CANCEL-1"],"reason":"contaminated"})");
        QVERIFY2(a.status == 200, a.body.constData());
        QCOMPARE(a.json.value("message").toString(), QStringLiteral("Deleted 1 sample(s)"));
        const Answer again = call("POST", QStringLiteral("/api/v1/workflows"), m_admin,
                                  R"({"template":"demo-synthesis","barcodes":["CANCEL-1"]})");
        QCOMPARE(again.status, 409);
        QCOMPARE(again.error(), QStringLiteral("sample_deleted"));
        QVERIFY(call("GET", QStringLiteral("/api/v1/samples/CANCEL-1"), m_admin)
                    .json.value("deleted_us")
                    .toInteger() > 0);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/samples?q=CANCEL-1"), m_admin)
                     .json.value("items")
                     .toArray()
                     .size(),
                 0);
    }
};

QTEST_GUILESS_MAIN(TstApi)
#include "tst_api.moc"
