// Electronic signatures (SECURITY.md, "Electronic signatures"): a command of a kind the
// policy names runs only with a signature the scheduler made for exactly that command and
// user. Checked against the engine with the real PostgreSQL (unsigned, replayed, moved to
// another user, forged), against the real binary on every path a command takes (headless
// standard input, the REST API, another console over the broker), and the console's
// signature dialog and policy dialog driven as a person would, offscreen.
#include "app/consolewiring.h"
#include "app/labruntime.h"
#include "core/engine/alarmservice.h"
#include "core/security/signatures.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/enginelab.h"
#include "tests/support/signin.h"
#include "tests/support/testdatabase.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/signaturedialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <pqxx/pqxx>

using namespace alabos;
using namespace alabos::test;

namespace {

QList<DeviceSpec> twoFurnaces()
{
    return {{QStringLiteral("furnace-1"), QStringLiteral("furnace"), {}},
            {QStringLiteral("furnace-2"), QStringLiteral("furnace"), {}}};
}

OperatorCommand pause(qint64 id, const QString &user, const QString &device)
{
    OperatorCommand c;
    c.id = id;
    c.user = user;
    c.host = QStringLiteral("bench-3");
    c.role = Role::Admin;
    c.kind = QStringLiteral("device.pause");
    c.entityId = device;
    c.session = QStringLiteral("session-of-") + user;
    c.timeUs = nowMicros();
    return c;
}

CommandReply run(EngineLab &lab, const OperatorCommand &c)
{
    lab.engine.handleCommand(c);
    QDeadlineTimer deadline(20000);
    while (!lab.replies.contains(c.id) && !deadline.hasExpired())
        QTest::qWait(5);
    return lab.replies.value(c.id, {c.id, false, QStringLiteral("(no reply within 20 s)"), {}});
}

// The reply line of a headless command, sent as `user` with `signature` (none when empty).
QString headless(Alabos &to, const QString &user, const QString &password, const QString &kind,
                 const QString &entity, const QJsonObject &args = {},
                 const QJsonObject &signature = {})
{
    QJsonObject line{{QStringLiteral("user"), user},
                     {QStringLiteral("password"), password},
                     {QStringLiteral("kind"), kind},
                     {QStringLiteral("entity_id"), entity},
                     {QStringLiteral("args"), args}};
    if (!signature.isEmpty()) line.insert(QStringLiteral("signature"), signature);
    const qsizetype from = to.out.size();
    to.send(QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact)));
    return to
        .waitFor(QStringLiteral("(reply to command \\d+ \\(%1[^\\n]*|command refused: [^\\n]*)\\n")
                     .arg(QRegularExpression::escape(kind)),
                 from, 30000)
        .captured(1);
}

QJsonObject signature(const QString &password, const QString &reason, const QString &comment = {})
{
    QJsonObject s{{QStringLiteral("password"), password}, {QStringLiteral("reason"), reason}};
    if (!comment.isEmpty()) s.insert(QStringLiteral("comment"), comment);
    return s;
}

} // namespace

class TstSignatures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theEngineRunsOnlyASignatureMadeForThatCommandAndUser()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QVERIFY2(!conn.isEmpty(), qPrintable(TestDatabase::instance().error()));
        auto authority = std::make_shared<SignatureAuthority>();
        SignaturePolicy policy = SignaturePolicy::defaults();
        policy.kinds = {QStringLiteral("device.pause")};
        authority->setPolicy(policy);
        EngineLab lab(conn, twoFurnaces());
        lab.engine.setSignatures(authority);
        QVERIFY(lab.start());
        QTRY_COMPARE_WITH_TIMEOUT(lab.q("SELECT count(*) FROM device_states WHERE status = 'idle'"),
                                  QStringLiteral("2"), 20000);

        // Unsigned: refused, naming what it needs; the device is untouched.
        CommandReply r = run(lab, pause(1, QStringLiteral("ada"), QStringLiteral("furnace-1")));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QLatin1StringView("needs an electronic signature")),
                 qPrintable(r.message));
        QCOMPARE(r.data.value("signature_policy").toObject().value("kinds").toArray(),
                 QJsonArray{QStringLiteral("device.pause")});
        // Signed by the account service's authority for exactly this command: runs, and the
        // signature is in the reply, the event and the audit row of the same transaction.
        OperatorCommand signedPause = pause(2, QStringLiteral("ada"), QStringLiteral("furnace-1"));
        signedPause.signature = authority->sign(
            signedPause, QStringLiteral("Ada Lovelace"),
            {QStringLiteral("pw"), QStringLiteral("Approved"), QStringLiteral("end of batch")});
        r = run(lab, signedPause);
        QVERIFY2(r.ok, qPrintable(r.message));
        const QJsonObject shown = r.data.value(QLatin1StringView("signature")).toObject();
        QCOMPARE(shown.value(QLatin1StringView("reason")).toString(), QStringLiteral("Approved"));
        QCOMPARE(shown.value(QLatin1StringView("name")).toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(shown.value(QLatin1StringView("comment")).toString(),
                 QStringLiteral("end of batch"));
        QVERIFY(!shown.contains(QLatin1StringView("mac")));
        QCOMPARE(lab.q("SELECT status FROM device_states WHERE id = 'furnace-1'"),
                 QStringLiteral("paused"));
        QCOMPARE(lab.q("SELECT detail->'signature'->>'reason' FROM audit_log "
                       "WHERE action = 'command' AND detail->>'id' = '2'"),
                 QStringLiteral("Approved"));
        QCOMPARE(lab.q("SELECT payload->'signature'->>'user' FROM events "
                       "WHERE kind = 'command.accepted' AND payload->>'id' = '2'"),
                 QStringLiteral("ada"));

        // The same signature on another device, on the same command sent again (another id),
        // on another user's command, and one whose MAC is made up: each refused.
        OperatorCommand moved = pause(3, QStringLiteral("ada"), QStringLiteral("furnace-2"));
        moved.signature = signedPause.signature;
        r = run(lab, moved);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QLatin1StringView("not made for this command")),
                 qPrintable(r.message));
        OperatorCommand again = signedPause;
        again.id = 4;
        QVERIFY(!run(lab, again).ok);
        OperatorCommand bobs = pause(5, QStringLiteral("bob"), QStringLiteral("furnace-2"));
        bobs.signature = signedPause.signature;
        r = run(lab, bobs);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QLatin1StringView("not by bob")), qPrintable(r.message));
        OperatorCommand forged = pause(6, QStringLiteral("ada"), QStringLiteral("furnace-2"));
        forged.signature = signedPause.signature;
        forged.signature.insert(QStringLiteral("mac"),
                                QString::fromLatin1(QByteArray(32, 'x').toBase64()));
        QVERIFY(!run(lab, forged).ok);
        // A signature made by another process' authority (another key) is no signature here.
        SignatureAuthority other;
        OperatorCommand foreign = pause(7, QStringLiteral("ada"), QStringLiteral("furnace-2"));
        foreign.signature = other.sign(foreign, QStringLiteral("Ada"),
                                       {QStringLiteral("pw"), QStringLiteral("Approved"), {}});
        QVERIFY(!run(lab, foreign).ok);
        QCOMPARE(lab.q("SELECT status FROM device_states WHERE id = 'furnace-2'"),
                 QStringLiteral("idle"));
        QCOMPARE(lab.q("SELECT count(*) FROM audit_log WHERE action = 'command_refused' "
                       "AND detail->>'kind' = 'device.pause'"),
                 QStringLiteral("6"));
        // The alarm service checks the same way: shelving unsigned is refused before anything
        // else; signed, it goes on to the alarm (none is open here).
        policy.kinds << QStringLiteral("alarm.shelve");
        authority->setPolicy(policy);
        AlarmService alarms;
        alarms.setSignatures(authority);
        QSignalSpy alarmReplies(&alarms, &AlarmService::commandReplied);
        OperatorCommand shelve = pause(20, QStringLiteral("ada"), QStringLiteral("1"));
        shelve.kind = QStringLiteral("alarm.shelve");
        alarms.handleCommand(shelve);
        shelve.id = 21;
        shelve.signature = authority->sign(shelve, QStringLiteral("Ada"),
                                           {QStringLiteral("pw"), QStringLiteral("Approved"), {}});
        alarms.handleCommand(shelve);
        QCOMPARE(alarmReplies.size(), 2);
        QVERIFY(alarmReplies.at(0).at(0).value<CommandReply>().message.contains(
            QLatin1StringView("needs an electronic signature")));
        QVERIFY2(alarmReplies.at(1).at(0).value<CommandReply>().message.contains(
                     QLatin1StringView("no open alarm")),
                 qPrintable(alarmReplies.at(1).at(0).value<CommandReply>().message));
        // A kind the policy does not name needs nothing.
        OperatorCommand resume = pause(8, QStringLiteral("ada"), QStringLiteral("furnace-1"));
        resume.kind = QStringLiteral("device.resume");
        QVERIFY(run(lab, resume).ok);
    }

    void thePolicyIsCheckedNamingTheFieldAndTheLimit_data()
    {
        QTest::addColumn<QJsonObject>("args");
        QTest::addColumn<QString>("expected");
        const QJsonArray fine{QStringLiteral("Approved")};
        QTest::newRow("unknown kind")
            << QJsonObject{{"kinds", QJsonArray{"device.explode"}}, {"reasons", fine}}
            << QStringLiteral("args.kinds: \"device.explode\"");
        QTest::newRow("unsignable kind")
            << QJsonObject{{"kinds", QJsonArray{"token.list"}}, {"reasons", fine}}
            << QStringLiteral("token.list cannot be signed");
        QTest::newRow("long reason")
            << QJsonObject{{"kinds", QJsonArray{}},
                           {"reasons", QJsonArray{QString(101, QLatin1Char('r'))}}}
            << QStringLiteral(
                   "args.reasons[0] is 101 characters long; a reason may have at most 100");
        QJsonArray many;
        for (int i = 0; i < 21; ++i)
            many.append(QStringLiteral("reason %1").arg(i));
        QTest::newRow("too many reasons") << QJsonObject{{"kinds", QJsonArray{}}, {"reasons", many}}
                                          << QStringLiteral("21 reasons; at most 20");
        QTest::newRow("duplicate")
            << QJsonObject{{"kinds", QJsonArray{}}, {"reasons", QJsonArray{"A", "A"}}}
            << QStringLiteral("args.reasons[1]: \"A\" is listed twice");
        QTest::newRow("no reason while signing")
            << QJsonObject{{"kinds", QJsonArray{"task.cancel"}}, {"reasons", QJsonArray{}}}
            << QStringLiteral("at least one reason");
    }
    void thePolicyIsCheckedNamingTheFieldAndTheLimit()
    {
        QFETCH(QJsonObject, args);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!SignaturePolicy::fromJson(args, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        SignatureAuthority authority;
        QVERIFY(authority
                    .requestProblem({QStringLiteral("pw"), QStringLiteral("Approved"),
                                     QString(501, QLatin1Char('c'))})
                    .contains(QLatin1StringView("comment is 501 characters long; at most 500")));
        QVERIFY(authority.requestProblem({QStringLiteral("pw"), QStringLiteral("Because"), {}})
                    .contains(QLatin1StringView("not one of the configured reasons")));
    }

    void theSchedulerChecksSignaturesOnEveryPath()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-signatures-XXXXXX"));
        const QString dataDir = makeSharedTempDir(tmp);
        Alabos scheduler;
        scheduler.start(qEnvironmentVariable("ALABOS_BIN"),
                        QStringList{QStringLiteral("--headless"), QStringLiteral("--simulate"),
                                    QStringLiteral("demo"), QStringLiteral("--devices"),
                                    QStringLiteral("6"), QStringLiteral("--data-dir"), dataDir,
                                    QStringLiteral("--no-fsync"), QStringLiteral("--api-listen"),
                                    QStringLiteral("127.0.0.1:0")} +
                            adminPasswordArgs(dataDir));
        const QString base =
            scheduler.waitFor(QStringLiteral("alabos: API (http://127\\.0\\.0\\.1:\\d+)"))
                .captured(1);
        const auto hint = scheduler.waitFor(
            QStringLiteral("a second console: alabos --console-only --database-url '([^']+)' "
                           "--kafka-bootstrap (\\S+)"));
        const QString db = hint.captured(1);
        QVERIFY2(!base.isEmpty() && !db.isEmpty(), qPrintable(scheduler.text()));
        QString device;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(device = queryValue(db, QStringLiteral("SELECT id FROM devices ORDER BY id LIMIT 1")))
                 .isEmpty(),
            30000);
        const QString otherDevice =
            queryValue(db, QStringLiteral("SELECT id FROM devices ORDER BY id OFFSET 1 LIMIT 1"));
        const QString admin = QStringLiteral("admin");

        // The administrator's policy: audited with the old and the new policy.
        QString reply =
            headless(scheduler, admin, kAdminPassword, QStringLiteral("signature.policy"), {},
                     {{"kinds", QJsonArray{"device.pause", "device.maintenance", "user.add",
                                           "sample.register"}},
                      {"reasons", QJsonArray{"Approved", "Reviewed"}}});
        QVERIFY2(reply.contains(QLatin1StringView("accepted")), qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT detail->'new'->'kinds'->>0 || ' ' || "
                                               "(detail->'old'->'reasons'->>3) || ' by ' || "
                                               "user_name FROM audit_log WHERE action = "
                                               "'signature_policy'")),
                 QStringLiteral("device.maintenance Cancelled on request by admin"));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT string_agg(reason, ',' ORDER BY position) "
                                               "FROM signature_reasons")),
                 QStringLiteral("Approved,Reviewed"));
        // Refused naming the field and the limit; an operator may not change it.
        reply = headless(
            scheduler, admin, kAdminPassword, QStringLiteral("signature.policy"), {},
            {{"kinds", QJsonArray{}}, {"reasons", QJsonArray{QString(101, QLatin1Char('r'))}}});
        QVERIFY2(reply.contains(QLatin1StringView("refused")) &&
                     reply.contains(QLatin1StringView("args.reasons[0] is 101 characters")),
                 qPrintable(reply));
        reply = headless(scheduler, QStringLiteral("operator"), QStringLiteral("operator"),
                         QStringLiteral("signature.policy"), {},
                         {{"kinds", QJsonArray{}}, {"reasons", QJsonArray{"x"}}});
        QVERIFY2(reply.contains(QLatin1StringView("lacks the permission \"user_admin\"")),
                 qPrintable(reply));

        // Commands with audit rows of their own (accounts, sample registrations): refused
        // unsigned; signed, their row carries the signature, never the new user's password.
        const QJsonObject eve{{"name", "eve"}, {"role", "operator"}, {"password", "eve-secret-77"}};
        reply = headless(scheduler, admin, kAdminPassword, QStringLiteral("user.add"), {}, eve);
        QVERIFY2(reply.contains(QLatin1StringView("needs an electronic signature")),
                 qPrintable(reply));
        reply = headless(scheduler, admin, kAdminPassword, QStringLiteral("user.add"), {}, eve,
                         signature(kAdminPassword, QStringLiteral("Approved")));
        QVERIFY2(reply.contains(QLatin1StringView("accepted")), qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT (detail->'signature'->>'reason') || ' by ' "
                                               "|| (detail->'signature'->>'user') FROM audit_log "
                                               "WHERE action = 'user_added' AND entity_id = "
                                               "'eve'")),
                 QStringLiteral("Approved by admin"));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT count(*) FROM audit_log WHERE "
                                               "detail::text LIKE '%eve-secret-77%'")),
                 QStringLiteral("0"));
        const QJsonObject sample{
            {"samples", QJsonArray{QJsonObject{{"barcode", "SIGNED-1"}, {"name", "signed"}}}}};
        reply = headless(scheduler, admin, kAdminPassword, QStringLiteral("sample.register"), {},
                         sample);
        QVERIFY2(reply.contains(QLatin1StringView("needs an electronic signature")),
                 qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT count(*) FROM samples WHERE barcode = "
                                               "'SIGNED-1'")),
                 QStringLiteral("0"));
        reply = headless(scheduler, admin, kAdminPassword, QStringLiteral("sample.register"), {},
                         sample, signature(kAdminPassword, QStringLiteral("Reviewed")));
        QVERIFY2(reply.contains(QLatin1StringView("accepted")), qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT detail->'signature'->>'reason' FROM "
                                               "audit_log WHERE action = 'sample.register_batch' "
                                               "AND detail->>'first_barcode' = 'SIGNED-1'")),
                 QStringLiteral("Reviewed"));
        // A list changes nothing: there is nothing to sign.
        reply = headless(scheduler, admin, kAdminPassword, QStringLiteral("token.list"), {}, {},
                         signature(kAdminPassword, QStringLiteral("Approved")));
        QVERIFY2(reply.contains(QLatin1StringView("token.list cannot be signed")),
                 qPrintable(reply));

        // Headless standard input: unsigned, a wrong password, an unknown reason: refused.
        const QString op = QStringLiteral("operator");
        reply = headless(scheduler, op, op, QStringLiteral("device.pause"), device);
        QVERIFY2(reply.contains(QLatin1StringView("refused")) &&
                     reply.contains(QLatin1StringView("needs an electronic signature")),
                 qPrintable(reply));
        reply = headless(scheduler, op, op, QStringLiteral("device.pause"), device, {},
                         signature(QStringLiteral("not-my-password"), QStringLiteral("Approved")));
        QVERIFY2(reply.contains(QLatin1StringView("The password is wrong")), qPrintable(reply));
        reply = headless(scheduler, op, op, QStringLiteral("device.pause"), device, {},
                         signature(op, QStringLiteral("Because")));
        QVERIFY2(reply.contains(QLatin1StringView("not one of the configured reasons")),
                 qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = "
                                               "'signature_refused' AND user_name = 'operator'")),
                 QStringLiteral("1"));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT count(*) FROM device_states WHERE status = "
                                               "'paused'")),
                 QStringLiteral("0"));
        // Signed: accepted, the signature in the reply and in the audit row.
        reply = headless(scheduler, op, op, QStringLiteral("device.pause"), device, {},
                         signature(op, QStringLiteral("Reviewed"), QStringLiteral("shift end")));
        QVERIFY2(reply.contains(QLatin1StringView("accepted")) &&
                     reply.contains(QLatin1StringView("\"reason\":\"Reviewed\"")),
                 qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT detail->'signature'->>'user' || ' ' || "
                                               "(detail->'signature'->>'comment') FROM audit_log "
                                               "WHERE action = 'command' AND entity_id = "
                                               "'device.pause'")),
                 QStringLiteral("operator shift end"));
        QVERIFY(!queryValue(db, QStringLiteral("SELECT detail::text FROM audit_log WHERE action "
                                               "= 'command' AND entity_id = 'device.pause'"))
                     .contains(QLatin1StringView("\"password\"")));

        // The REST API: the same rules for a token's user.
        reply = headless(scheduler, op, op, QStringLiteral("token.create"), {},
                         {{"name", "robot"}, {"expiresInDays", 1}});
        const QByteArray token = QRegularExpression(QStringLiteral("\"token\":\"(alabos_[^\"]+)\""))
                                     .match(reply)
                                     .captured(1)
                                     .toUtf8();
        QVERIFY2(!token.isEmpty(), qPrintable(reply));
        QNetworkAccessManager network;
        auto post = [&](const QString &path, const QJsonObject &body) {
            QNetworkRequest request(QUrl(base + path));
            request.setRawHeader("Authorization", "Bearer " + token);
            QByteArray bytes;
            if (!body.isEmpty()) {
                request.setRawHeader("Content-Type", "application/json");
                bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
            }
            QNetworkReply *r = network.post(request, bytes);
            QSignalSpy done(r, &QNetworkReply::finished);
            done.wait(30000);
            const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject json = QJsonDocument::fromJson(r->readAll()).object();
            r->deleteLater();
            return std::pair{status, json};
        };
        const QString maintenance = QStringLiteral("/api/v1/devices/%1/maintenance").arg(device);
        auto [status, json] = post(maintenance, {});
        QCOMPARE(status, 422);
        QVERIFY2(QJsonDocument(json).toJson().contains("needs an electronic signature"),
                 QJsonDocument(json).toJson().constData());
        std::tie(status, json) =
            post(maintenance,
                 {{"signature", signature(QStringLiteral("guess"), QStringLiteral("Approved"))}});
        QCOMPARE(status, 422);
        std::tie(status, json) =
            post(maintenance, {{"signature", signature(op, QStringLiteral("Approved"))}});
        QVERIFY2(status == 200, QJsonDocument(json).toJson().constData());
        QCOMPARE(
            json.value("data").toObject().value("signature").toObject().value("reason").toString(),
            QStringLiteral("Approved"));

        // Another console, over the broker: its password sealed to the scheduler.
        Alabos console;
        console.start(qEnvironmentVariable("ALABOS_BIN"),
                      {QStringLiteral("--headless"), QStringLiteral("--console-only"),
                       QStringLiteral("--database-url"), db, QStringLiteral("--kafka-bootstrap"),
                       hint.captured(2)});
        QVERIFY2(console.waitFor(QStringLiteral("console: fleet 6 devices")).hasMatch(),
                 qPrintable(console.text()));
        const QString sup = QStringLiteral("supervisor");
        reply = headless(console, sup, sup, QStringLiteral("device.pause"), otherDevice);
        QVERIFY2(reply.contains(QLatin1StringView("needs an electronic signature")) &&
                     reply.contains(QLatin1StringView("\"signature_policy\":{\"kinds\":[\"device."
                                                      "maintenance\",\"device.pause\",\"sample."
                                                      "register\",\"user.add\"]")),
                 qPrintable(reply));
        reply = headless(console, sup, sup, QStringLiteral("device.pause"), otherDevice, {},
                         signature(sup, QStringLiteral("Approved")));
        QVERIFY2(reply.contains(QLatin1StringView("accepted")), qPrintable(reply));
        QCOMPARE(queryValue(db, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = "
                                               "'command' AND detail->'signature'->>'user' = "
                                               "'supervisor' AND detail->>'origin' <> ''")),
                 QStringLiteral("1"));
    }

    void theConsolesCommandPathIsSignedByTheSchedulerAndRefusedUnsigned()
    {
        // The scheduler's own console: ConsoleSession, LabRuntime's gate and account service,
        // the engine, PostgreSQL, as the window uses them.
        const QString conn = TestDatabase::instance().createDatabase();
        Options options;
        options.databaseUrl = conn;
        options.shutdownGraceMs = 0;
        LabRuntime runtime(options);
        QString error;
        QVERIFY2(runtime.start(&error), qPrintable(error));
        ConsoleSession session;
        ConsoleServices services;
        attachConsole(runtime, &session, &services);
        const QString sessionId = signIn(runtime, QStringLiteral("ada"), Role::Admin, &error);
        QVERIFY2(!sessionId.isEmpty(), qPrintable(error));
        session.setIdentity(QStringLiteral("ada"), Role::Admin, sessionId);
        auto send = [&](const QString &kind, const QString &entity, const QJsonObject &args) {
            std::optional<CommandReply> reply;
            session.send(kind, entity, args, [&](const CommandReply &r) { reply = r; });
            QDeadlineTimer deadline(30000);
            while (!reply && !deadline.hasExpired())
                QTest::qWait(5);
            return reply.value_or(CommandReply{0, false, QStringLiteral("(no reply)"), {}});
        };

        CommandReply r = send(QStringLiteral("signature.policy"), {},
                              {{"kinds", QJsonArray{"position.add"}},
                               {"reasons", QJsonArray{"Approved", "Reviewed"}}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(services.signaturePolicy().kinds, QStringList{QStringLiteral("position.add")});
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT user_name || ' ' || (detail->'new'->"
                                                 "'kinds'->>0) FROM audit_log WHERE action = "
                                                 "'signature_policy'")),
                 QStringLiteral("ada position.add"));

        // A console that asks for no signature: the engine refuses.
        r = send(QStringLiteral("position.add"), QStringLiteral("rack-1"), {});
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QLatin1StringView("needs an electronic signature")),
                 qPrintable(r.message));
        // Signed with a wrong password, then with the right one.
        SignatureRequest given{QStringLiteral("wrong"), QStringLiteral("Reviewed"), {}};
        session.setSignatures(services.signaturePolicy,
                              [&](const OperatorCommand &, const SignaturePolicy &) {
                                  return std::optional<SignatureRequest>(given);
                              });
        r = send(QStringLiteral("position.add"), QStringLiteral("rack-1"), {});
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QLatin1StringView("The password is wrong")),
                 qPrintable(r.message));
        given.password = kTestPassword;
        r = send(QStringLiteral("position.add"), QStringLiteral("rack-1"), {});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value("signature").toObject().value("reason").toString(),
                 QStringLiteral("Reviewed"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT detail->'signature'->>'user' FROM "
                                                 "audit_log WHERE action = 'command' AND "
                                                 "entity_id = 'position.add'")),
                 QStringLiteral("ada"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM sample_positions WHERE "
                                                 "name = 'rack-1'")),
                 QStringLiteral("1"));
        runtime.stop();
    }

    void theConsoleAsksForASignatureAndTheAdministratorEditsThePolicy()
    {
        ConsoleSession session;
        session.setIdentity(QStringLiteral("ada"), Role::Admin, QStringLiteral("s-1"));
        SignaturePolicy policy = SignaturePolicy::defaults();
        policy.kinds = {QStringLiteral("task.cancel")};
        session.setSignatures([&policy] { return policy; }, SignatureDialog::signer(nullptr));
        QList<OperatorCommand> sent;
        connect(&session, &ConsoleSession::commandIssued, this,
                [&](const OperatorCommand &c) { sent << c; });

        // A kind that needs none is sent at once.
        session.send(QStringLiteral("task.hold"), QStringLiteral("7"));
        QCOMPARE(sent.size(), 1);

        // The dialog: Sign only with a password; a long comment refused naming the limit;
        // every field reachable with the keyboard.
        bool checked = false;
        QPushButton *sign = nullptr;
        // Checks the open dialog; a failed check leaves `checked` false and the dialog is
        // cancelled, so the test never waits on a modal dialog nobody closes.
        auto inspect = [&](SignatureDialog *dialog) {
            QVERIFY(dialog);
            auto *password = dialog->findChild<QLineEdit *>(QStringLiteral("signaturePassword"));
            auto *reason = dialog->findChild<QComboBox *>(QStringLiteral("signatureReason"));
            auto *comment = dialog->findChild<QPlainTextEdit *>(QStringLiteral("signatureComment"));
            sign = dialog->findChild<QPushButton *>(QStringLiteral("signButton"));
            auto *problem = dialog->findChild<QLabel *>(QStringLiteral("signatureProblem"));
            QVERIFY(password && reason && comment && sign && problem);
            QCOMPARE(password->echoMode(), QLineEdit::Password);
            QVERIFY(!password->accessibleName().isEmpty() && !reason->accessibleName().isEmpty() &&
                    !comment->accessibleName().isEmpty());
            QCOMPARE(reason->count(), 4);
            QVERIFY(!sign->isEnabled());
            QTest::keyClicks(password, QStringLiteral("secret"));
            QVERIFY(sign->isEnabled());
            comment->setPlainText(QString(501, QLatin1Char('c')));
            QVERIFY(!sign->isEnabled());
            QVERIFY2(problem->text().contains(QLatin1StringView("at most 500")),
                     qPrintable(problem->text()));
            comment->setPlainText(QStringLiteral("asked by the customer"));
            // Tab from the password reaches the reason, then the comment.
            dialog->activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(dialog));
            password->setFocus();
            QTest::keyClick(password, Qt::Key_Tab);
            QCOMPARE(QApplication::focusWidget(), reason);
            QTest::keyClick(reason, Qt::Key_Down);
            QTest::keyClick(reason, Qt::Key_Tab);
            QCOMPARE(QApplication::focusWidget(), comment);
            checked = true;
        };
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<SignatureDialog *>(QApplication::activeModalWidget());
            inspect(dialog);
            if (checked)
                sign->click();
            else if (dialog)
                dialog->reject();
        });
        session.send(QStringLiteral("task.cancel"), QStringLiteral("7"));
        QVERIFY(checked);
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.last().kind, QStringLiteral("task.cancel"));
        QCOMPARE(sent.last().signatureRequest.password, QStringLiteral("secret"));
        QCOMPARE(sent.last().signatureRequest.reason, QStringLiteral("Reviewed"));
        QCOMPARE(sent.last().signatureRequest.comment, QStringLiteral("asked by the customer"));
        QVERIFY(!sent.last().toJson().contains(QLatin1StringView("signatureRequest")));
        QVERIFY(!QJsonDocument(sent.last().toJson()).toJson().contains("secret"));

        // Cancelled: nothing is sent, and the caller hears why.
        QTimer::singleShot(0, this, [] { QApplication::activeModalWidget()->close(); });
        std::optional<CommandReply> declined;
        session.send(QStringLiteral("task.cancel"), QStringLiteral("8"), {},
                     [&](const CommandReply &r) { declined = r; });
        QTRY_VERIFY(declined.has_value());
        QVERIFY(!declined->ok);
        QVERIFY(declined->message.contains(QLatin1StringView("needs your electronic signature")));
        QCOMPARE(sent.size(), 2);

        // The administrator's dialog: a kind ticked, a reason added, sent as signature.policy.
        SignaturePolicyDialog dialog(&session);
        auto *kinds = dialog.findChild<QListWidget *>(QStringLiteral("signatureKinds"));
        auto *newReason = dialog.findChild<QLineEdit *>(QStringLiteral("newReason"));
        QVERIFY(kinds && newReason);
        QVERIFY(kinds->findItems(QStringLiteral("token.list"), Qt::MatchExactly).isEmpty());
        QCOMPARE(kinds->findItems(QStringLiteral("user.add"), Qt::MatchExactly).size(), 1);
        QCOMPARE(
            kinds->findItems(QStringLiteral("task.cancel"), Qt::MatchExactly).first()->checkState(),
            Qt::Checked);
        kinds->findItems(QStringLiteral("alarm.shelve"), Qt::MatchExactly)
            .first()
            ->setCheckState(Qt::Checked);
        QCOMPARE(newReason->maxLength(), SignaturePolicy::kMaxReasonLength);
        QTest::keyClicks(newReason, QStringLiteral("Verified by a second person"));
        QTest::keyClick(newReason, Qt::Key_Return);
        // The new reason moved up one place (the signer sees them in this order).
        auto *reasons = dialog.findChild<QListWidget *>(QStringLiteral("signatureReasons"));
        QVERIFY(reasons);
        reasons->setCurrentRow(reasons->count() - 1);
        dialog.findChild<QPushButton *>(QStringLiteral("reasonUp"))->click();
        dialog.save();
        QCOMPARE(sent.size(), 3);
        QCOMPARE(sent.last().kind, QStringLiteral("signature.policy"));
        QCOMPARE(sent.last().args.value("kinds").toArray(),
                 (QJsonArray{"alarm.shelve", "task.cancel"}));
        QCOMPARE(sent.last().args.value("reasons").toArray().at(3).toString(),
                 QStringLiteral("Verified by a second person"));
        QCOMPARE(sent.last().args.value("reasons").toArray().last().toString(),
                 QStringLiteral("Cancelled on request"));
    }
};

QTEST_MAIN(TstSignatures)
#include "tst_signatures.moc"
