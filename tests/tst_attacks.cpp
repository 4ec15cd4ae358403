// Attacks on a running alabos, each by a process with the access a local account has: the
// broker (kcat), the database's printed connection, the data directory's files. Each must
// fail with nothing changed: a forged command without a session, a request replayed after
// its sign-out, a forged state event and a forged reply (consoles unchanged), an edited
// audit row (found by --verify-audit, even with the later hashes recomputed), the
// application's database role rewriting the audit trail, sign-in to an administrator without
// a password, a demo account on a lab's database, a NaN reading under an over-temperature.
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/domain/commands.h"
#include "core/storage/embeddedpostgres.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/kcat.h"
#include "tests/support/testdatabase.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <pqxx/pqxx>

using namespace alabos;
using alabos::test::Alabos;

namespace {
QString line(const QString &user, const QString &password, const QString &kind,
             const QString &entity)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("user"), user},
                                                       {QStringLiteral("password"), password},
                                                       {QStringLiteral("kind"), kind},
                                                       {QStringLiteral("entity_id"), entity}})
                                 .toJson(QJsonDocument::Compact));
}

QString status(const QString &db, const QString &device)
{
    return test::queryValue(
        db, QStringLiteral("SELECT status FROM device_states WHERE id = '%1'").arg(device));
}

// A scheduler with a simulated lab, and a console-only process attached to it.
struct Lab
{
    QTemporaryDir tmp{QStringLiteral("/tmp/alabos-attacks-XXXXXX")};
    QString dataDir;
    Alabos scheduler;
    Alabos console;
    QString db, bootstrap, device;

    bool start(const QString &bin, bool withConsole)
    {
        dataDir = test::makeSharedTempDir(tmp);
        if (scheduler.startScheduler(bin, dataDir, 24).isEmpty()) return false;
        const auto hint =
            scheduler.waitFor(QStringLiteral("a second console: alabos --console-only "
                                             "--database-url '([^']+)' --kafka-bootstrap (\\S+)"));
        db = hint.captured(1);
        bootstrap = hint.captured(2);
        if (db.isEmpty()) return false;
        // The lab registers its devices just after it prints where it is.
        QDeadlineTimer registered(30000);
        while ((device = test::queryValue(
                    db, QStringLiteral("SELECT id FROM devices ORDER BY id LIMIT 1")))
                   .isEmpty() &&
               !registered.hasExpired())
            QTest::qWait(100);
        if (device.isEmpty()) return false;
        if (!withConsole) return true;
        console.start(bin, {QStringLiteral("--headless"), QStringLiteral("--console-only"),
                            QStringLiteral("--database-url"), db,
                            QStringLiteral("--kafka-bootstrap"), bootstrap});
        return console.waitFor(QStringLiteral("console: fleet 24 devices")).hasMatch();
    }
    // Sends a command line to a process and returns its reply line's outcome and message.
    QRegularExpressionMatch command(Alabos &to, const QString &user, const QString &password,
                                    const QString &kind, const QString &entity)
    {
        const qsizetype from = to.out.size();
        to.send(line(user, password, kind, entity));
        return to.waitFor(
            QStringLiteral("(reply to command \\d+ \\(%1 %2\\): (accepted|refused): "
                           "([^\\n]*)|command refused: ([^\\n]*))")
                .arg(QRegularExpression::escape(kind), QRegularExpression::escape(entity)),
            from, 30000);
    }
};
} // namespace

class TstAttacks : public QObject
{
    Q_OBJECT
    QString m_bin;

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
    }

    void aForgedCommandWithoutAProvenSessionChangesNothing()
    {
        Lab lab;
        QVERIFY2(lab.start(m_bin, false),
                 qPrintable(lab.scheduler.text() + lab.scheduler.errors()));
        QVERIFY(status(lab.db, lab.device) != QStringLiteral("paused"));
        // The documented format, claiming the administrator; once with no session, once
        // with a made-up session and proof.
        const QString forged = QStringLiteral(
            R"({"v":1,"kind":"command.request","request_id":"mallory/1","console":"mallory","counter":1,%1"command":{"id":1,"user":"admin","host":"lab-pc","role":"admin","kind":"device.pause","entity_id":"%2","args":{},"time_us":0}})");
        QVERIFY(test::kcatProduce(lab.bootstrap, QStringLiteral("alabos.commands"),
                                  lab.device.toUtf8(), forged.arg(QString(), lab.device).toUtf8()));
        QVERIFY(test::kcatProduce(
            lab.bootstrap, QStringLiteral("alabos.commands"), lab.device.toUtf8(),
            forged
                .arg(QStringLiteral(R"("session":"AAAAAAAAAAAAAAAAAAAAAAAA","mac":"AAAA",)"),
                     lab.device)
                .toUtf8()));
        const auto replies = test::kcatMessagesWith(
            lab.bootstrap, QStringLiteral("alabos.commands"), QStringLiteral("\"command.reply\""),
            QStringLiteral("mallory/1"));
        QVERIFY(!replies.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(
                lab.db,
                QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'command_refused' "
                               "AND detail->>'claimed_user' = 'admin'")),
            QStringLiteral("2"), 20000);
        for (const QJsonObject &r : replies)
            QVERIFY(!r.value(QStringLiteral("ok")).toBool());
        // The demo's own work may make the device busy meanwhile; what must never happen is
        // the pause the forged commands asked for.
        QTest::qWait(2000);
        QVERIFY(status(lab.db, lab.device) != QStringLiteral("paused"));
        QCOMPARE(test::queryValue(lab.db, QStringLiteral("SELECT count(*) FROM audit_log WHERE "
                                                         "action = 'command' AND entity_id = "
                                                         "'device.pause'")),
                 QStringLiteral("0"));

        // The database connection the scheduler prints (the application's role) cannot
        // rewrite the audit trail, switch off its triggers, or remove the scheduler's anchors.
        for (const char *sql :
             {"UPDATE audit_log SET user_name = 'nobody'", "DELETE FROM audit_log",
              "TRUNCATE audit_log", "ALTER TABLE audit_log DISABLE TRIGGER ALL",
              "DELETE FROM audit_anchors", "UPDATE scheduler_keys SET host = 'evil'"}) {
            pqxx::connection c(lab.db.toStdString());
            QString refusal;
            try {
                pqxx::nontransaction(c).exec0(sql);
            } catch (const pqxx::sql_error &e) {
                refusal = QString::fromUtf8(e.what());
            }
            QVERIFY2(refusal.contains(QStringLiteral("permission denied")) ||
                         refusal.contains(QStringLiteral("must be owner")),
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1StringView(sql), refusal)));
        }
        QCOMPARE(test::queryValue(lab.db,
                                  QStringLiteral("SELECT count(*) FROM events WHERE entity_type = "
                                                 "'command' AND kind = 'command.accepted'")),
                 QStringLiteral("0"));
    }

    // Texts beyond every bound, through the command path a person or script uses: each is
    // refused with the field and the limit, and the lab goes on taking commands.
    void oversizedCommandsAreRefusedAndTheLabGoesOn()
    {
        Lab lab;
        QVERIFY2(lab.start(m_bin, false),
                 qPrintable(lab.scheduler.text() + lab.scheduler.errors()));
        const QString longId(OperatorCommand::kMaxEntityIdLength + 1, u'd');
        auto reply = lab.command(lab.scheduler, QStringLiteral("admin"), test::kAdminPassword,
                                 QStringLiteral("device.pause"), longId.left(200));
        QVERIFY(reply.hasMatch());
        QVERIFY2(!reply.captured(0).contains(QStringLiteral("at most 200")),
                 qPrintable(reply.captured(0))); // 200 is within the bound
        {
            const qsizetype from = lab.scheduler.out.size();
            lab.scheduler.send(line(QStringLiteral("admin"), test::kAdminPassword,
                                    QStringLiteral("device.pause"), longId));
            const auto refused = lab.scheduler.waitFor(
                QStringLiteral("refused: [^\\n]*entity id is 201 characters long; at most 200"),
                from, 30000);
            QVERIFY2(refused.hasMatch(), qPrintable(lab.scheduler.text().mid(from)));
        }
        {
            const qsizetype from = lab.scheduler.out.size();
            QJsonObject json{{QStringLiteral("user"), QStringLiteral("admin")},
                             {QStringLiteral("password"), test::kAdminPassword},
                             {QStringLiteral("kind"), QStringLiteral("prompt.answer")},
                             {QStringLiteral("entity_id"), QStringLiteral("1")},
                             {QStringLiteral("args"),
                              QJsonObject{{QStringLiteral("note"), QString(5000, u'n')}}}};
            lab.scheduler.send(
                QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
            const auto refused = lab.scheduler.waitFor(
                QStringLiteral("refused: [^\\n]*args.note is 5000 characters long; at most 4000"),
                from, 30000);
            QVERIFY2(refused.hasMatch(), qPrintable(lab.scheduler.text().mid(from)));
        }
        {
            // Two megabytes without a line break.
            const qsizetype from = lab.scheduler.out.size();
            lab.scheduler.process.write(QByteArray(2 * 1024 * 1024, 'x'));
            lab.scheduler.send(QString());
            const auto refused = lab.scheduler.waitFor(
                QStringLiteral("command refused: a command line may be at most 1024 KiB"), from,
                30000);
            QVERIFY2(refused.hasMatch(), qPrintable(lab.scheduler.text().mid(from)));
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(lab.db, QStringLiteral("SELECT count(*) FROM audit_log WHERE action "
                                                    "= 'command_refused' AND detail->>'message' "
                                                    "LIKE '%at most%'")),
            QStringLiteral("2"), 20000);
        const auto accepted =
            lab.command(lab.scheduler, QStringLiteral("admin"), test::kAdminPassword,
                        QStringLiteral("device.pause"), lab.device);
        QVERIFY2(accepted.captured(2) == QStringLiteral("accepted"),
                 qPrintable(lab.scheduler.text()));
        QTRY_COMPARE_WITH_TIMEOUT(status(lab.db, lab.device), QStringLiteral("paused"), 20000);
    }

    void aRequestReplayedAfterItsSignOutIsRefused()
    {
        Lab lab;
        QVERIFY2(lab.start(m_bin, true), qPrintable(lab.console.text() + lab.console.errors()));
        auto paused =
            lab.command(lab.console, QStringLiteral("operator"), QStringLiteral("operator"),
                        QStringLiteral("device.pause"), lab.device);
        QVERIFY2(paused.captured(2) == QStringLiteral("accepted"),
                 qPrintable(lab.console.text() + lab.console.errors()));
        QTRY_COMPARE_WITH_TIMEOUT(status(lab.db, lab.device), QStringLiteral("paused"), 60000);
        auto resumed =
            lab.command(lab.console, QStringLiteral("operator"), QStringLiteral("operator"),
                        QStringLiteral("device.resume"), lab.device);
        QCOMPARE(resumed.captured(2), QStringLiteral("accepted"));
        QTRY_VERIFY_WITH_TIMEOUT(status(lab.db, lab.device) != QStringLiteral("paused"), 30000);
        // The pause request as it crossed the broker, sent again word for word.
        const auto requests = test::kcatMessagesWith(
            lab.bootstrap, QStringLiteral("alabos.commands"), QStringLiteral("\"command.request\""),
            QStringLiteral("\"kind\":\"device.pause\""));
        QCOMPARE(requests.size(), 1);
        const QString requestId = requests[0].value(QStringLiteral("request_id")).toString();
        QVERIFY(test::kcatProduce(lab.bootstrap, QStringLiteral("alabos.commands"),
                                  requests[0].value(QStringLiteral("_key")).toString().toUtf8(),
                                  requests[0].value(QStringLiteral("_raw")).toString().toUtf8()));
        QList<QJsonObject> replies;
        QTRY_VERIFY_WITH_TIMEOUT(
            (replies = test::kcatMessagesWith(lab.bootstrap, QStringLiteral("alabos.commands"),
                                              QStringLiteral("\"command.reply\""), requestId))
                    .size() == 2,
            30000);
        QVERIFY(!replies[1].value(QStringLiteral("ok")).toBool());
        QVERIFY2(replies[1]
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("not open")),
                 qPrintable(replies[1].value(QStringLiteral("message")).toString()));
        QTest::qWait(2000);
        QVERIFY(status(lab.db, lab.device) != QStringLiteral("paused"));
    }

    void forgedStateEventsAndRepliesAreNeverShown()
    {
        Lab lab;
        QVERIFY2(lab.start(m_bin, true), qPrintable(lab.console.text() + lab.console.errors()));
        // A real event of the device, given a huge id and another status: if a console took
        // it, it would show the device in maintenance and drop every later real event of it.
        const auto real =
            test::kcatMessagesWith(lab.bootstrap, QStringLiteral("alabos.state.devices"),
                                   QStringLiteral("\"entity_id\":\"%1\"").arg(lab.device));
        QVERIFY(!real.isEmpty());
        QJsonObject forged = real.last();
        for (const char *k : {"_headers", "_key", "_raw"})
            forged.remove(QLatin1StringView(k));
        forged.insert(QStringLiteral("id"), 9007199254740000.0);
        QJsonObject payload = forged.value(QStringLiteral("payload")).toObject();
        payload.insert(QStringLiteral("status"), QStringLiteral("maintenance"));
        forged.insert(QStringLiteral("payload"), payload);
        const QByteArray forgedBytes = QJsonDocument(forged).toJson(QJsonDocument::Compact);
        // First a digest list naming it, as if the relay vouched for it, which the scheduler
        // did not sign; then the event.
        DigestList list;
        list.relay = QStringLiteral("main");
        list.digests = {messageDigest(topic::StateDevices, lab.device.toUtf8(), forgedBytes)};
        QVERIFY(test::kcatProduce(lab.bootstrap, QString::fromLatin1(topic::Signatures), "main",
                                  encodeDigestList(list)));
        QVERIFY(test::kcatProduce(lab.bootstrap, QStringLiteral("alabos.state.devices"),
                                  lab.device.toUtf8(), forgedBytes));
        for (const char *source : {topic::Signatures, topic::StateDevices}) {
            const auto dead = test::kcatMessagesWith(
                lab.bootstrap, QStringLiteral("alabos.deadletter"),
                QStringLiteral("alabos.reason=unsigned"),
                QStringLiteral("alabos.source-topic=%1").arg(QLatin1StringView(source)), 30000,
                true);
            QVERIFY2(!dead.isEmpty(), source);
        }
        // The real pause that follows is shown; the forged maintenance never is.
        const qsizetype from = lab.console.out.size();
        auto paused =
            lab.command(lab.console, QStringLiteral("operator"), QStringLiteral("operator"),
                        QStringLiteral("device.pause"), lab.device);
        QCOMPARE(paused.captured(2), QStringLiteral("accepted"));
        QVERIFY2(
            lab.console
                .waitFor(QStringLiteral("console: fleet 24 devices \\([^)]*paused 1"), from, 30000)
                .hasMatch(),
            qPrintable(lab.console.text().mid(from)));
        QVERIFY(!lab.console.text().mid(from).contains(QStringLiteral("maintenance")));

        // A forged "accepted" for a request the scheduler has not answered yet (it is
        // stopped): the console waits for the real answer.
        ::kill(pid_t(lab.scheduler.process.processId()), SIGSTOP);
        const qsizetype before = lab.console.out.size();
        lab.console.send(line(QStringLiteral("operator"), QStringLiteral("operator"),
                              QStringLiteral("device.resume"), lab.device));
        // The sign-in needs the scheduler: it answers once it runs again. Meanwhile the
        // attacker answers the sign-in request it read off the topic.
        const auto signIn = test::kcatMessagesWith(lab.bootstrap, QStringLiteral("alabos.commands"),
                                                   QStringLiteral("\"session.open\""));
        QVERIFY(!signIn.isEmpty());
        const QString signInId = signIn.last().value(QStringLiteral("request_id")).toString();
        QVERIFY(test::kcatProduce(
            lab.bootstrap, QStringLiteral("alabos.commands"), "x",
            QStringLiteral(
                R"({"v":1,"kind":"session.opened","request_id":"%1","ok":false,"message":"FORGED: wrong password"})")
                .arg(signInId)
                .toUtf8()));
        QTest::qWait(3000);
        QVERIFY(!lab.console.text().mid(before).contains(QStringLiteral("FORGED")));
        ::kill(pid_t(lab.scheduler.process.processId()), SIGCONT);
        const auto resumed = lab.console.waitFor(
            QStringLiteral("reply to command \\d+ \\(device.resume %1\\): (accepted|refused)")
                .arg(lab.device),
            before, 30000);
        QVERIFY2(resumed.hasMatch(), qPrintable(lab.console.text().mid(before)));
        QCOMPARE(resumed.captured(1), QStringLiteral("accepted"));
        QVERIFY(!lab.console.text().contains(QStringLiteral("FORGED")));
    }

    void anEditedAuditRowIsFoundEvenWithTheChainRecomputed()
    {
        Lab lab;
        QVERIFY2(lab.start(m_bin, false),
                 qPrintable(lab.scheduler.text() + lab.scheduler.errors()));
        for (const char *kind : {"device.pause", "device.resume"})
            QVERIFY2(lab.command(lab.scheduler, QStringLiteral("operator"),
                                 QStringLiteral("operator"), QString::fromLatin1(kind), lab.device)
                             .captured(2) == QStringLiteral("accepted"),
                     qPrintable(lab.scheduler.text().right(3000)));
        ::kill(pid_t(lab.scheduler.process.processId()), SIGTERM);
        QVERIFY(lab.scheduler.process.waitForFinished(60000));
        auto verify = [&] {
            Alabos check;
            check.start(m_bin, {QStringLiteral("--verify-audit"), QStringLiteral("--data-dir"),
                                lab.dataDir});
            check.process.waitForFinished(120000);
            check.out += check.process.readAllStandardOutput();
            return std::make_pair(check.process.exitCode(), check.text() + check.errors());
        };
        auto [code, text] = verify();
        QVERIFY2(code == 0 && text.contains(QStringLiteral("intact")), qPrintable(text));

        EmbeddedPostgres server({lab.dataDir, {}, 5432, false});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString superuser = server.superuserConnectionString(QStringLiteral("alabos"));
        const QString row = test::queryValue(
            superuser, QStringLiteral("SELECT min(id) FROM audit_log WHERE action = 'command'"));
        QVERIFY(!row.isEmpty());
        test::queryValue(superuser,
                         QStringLiteral("ALTER TABLE audit_log DISABLE TRIGGER USER; "
                                        "UPDATE audit_log SET user_name = 'nobody' WHERE id = %1; "
                                        "ALTER TABLE audit_log ENABLE TRIGGER USER; SELECT 1")
                             .arg(row));
        server.stop();
        std::tie(code, text) = verify();
        QCOMPARE(code, 3);
        QVERIFY2(text.contains(QStringLiteral("BROKEN at row %1").arg(row)), qPrintable(text));

        // A superuser who also recomputes every later hash: the scheduler's signature says no.
        QVERIFY2(server.start(&error), qPrintable(error));
        test::queryValue(
            superuser,
            QStringLiteral(
                "ALTER TABLE audit_log DISABLE TRIGGER USER; "
                "DO $$ DECLARE r record; last bytea; BEGIN "
                "SELECT hash INTO last FROM audit_log WHERE id < %1 ORDER BY id DESC LIMIT 1; "
                "FOR r IN SELECT * FROM audit_log WHERE id >= %1 ORDER BY id LOOP "
                "UPDATE audit_log SET prev_hash = coalesce(last, '\\x'::bytea), hash = "
                "sha256(coalesce(last, '\\x'::bytea) || "
                "alabos_audit_row_text(r.id, r.at, r.user_name, r.host, r.action, r.entity_type, "
                "r.entity_id, r.detail)) "
                "WHERE id = r.id RETURNING hash INTO last; END LOOP; END $$; "
                "ALTER TABLE audit_log ENABLE TRIGGER USER; SELECT 1")
                .arg(row));
        server.stop();
        std::tie(code, text) = verify();
        QCOMPARE(code, 3);
        QVERIFY2(text.contains(QStringLiteral("hash differs from the one the scheduler signed")),
                 qPrintable(text));
    }

    void noPasswordlessAdministratorAndNoDemoAccountsOnALabDatabase()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-attacks-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        const QString labPath = tmp.filePath(QStringLiteral("lab.json"));
        QFile lab(labPath);
        QVERIFY(lab.open(QIODevice::WriteOnly));
        lab.write(
            R"({"alabos_lab":1,"devices":[{"id":"bal-1","type":"balance","driver":"simulated"}]})");
        lab.close();
        // Headless and no password file: admin gets a generated password, printed once.
        Alabos alabos;
        alabos.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--lab"), labPath,
                             QStringLiteral("--data-dir"), dataDir, QStringLiteral("--no-fsync")});
        const auto printed = alabos.waitFor(QStringLiteral("has the password (\\S+)"));
        QVERIFY2(printed.hasMatch(), qPrintable(alabos.text() + alabos.errors()));
        QVERIFY(alabos.waitFor(QStringLiteral("alabos: PostgreSQL")).hasMatch());
        Lab l;
        for (const QString &guess :
             {QString(), QStringLiteral("admin"), QStringLiteral("password")})
            QVERIFY(l.command(alabos, QStringLiteral("admin"), guess,
                              QStringLiteral("device.pause"), QStringLiteral("bal-1"))
                        .captured(4)
                        .contains(QStringLiteral("wrong")));
        QCOMPARE(l.command(alabos, QStringLiteral("admin"), printed.captured(1),
                           QStringLiteral("device.pause"), QStringLiteral("bal-1"))
                     .captured(2),
                 QStringLiteral("accepted"));
        // A demo account and password: nobody here.
        QVERIFY(l.command(alabos, QStringLiteral("operator"), QStringLiteral("operator"),
                          QStringLiteral("device.resume"), QStringLiteral("bal-1"))
                    .captured(4)
                    .contains(QStringLiteral("wrong")));
        ::kill(pid_t(alabos.process.processId()), SIGTERM);
        QVERIFY(alabos.process.waitForFinished(60000));
        // The same database started as a simulation later still gets no demo accounts.
        Alabos again;
        again.start(m_bin,
                    {QStringLiteral("--headless"), QStringLiteral("--simulate"),
                     QStringLiteral("demo"), QStringLiteral("--devices"), QStringLiteral("4"),
                     QStringLiteral("--data-dir"), dataDir, QStringLiteral("--no-fsync")});
        QVERIFY(again.waitFor(QStringLiteral("alabos: PostgreSQL")).hasMatch());
        QVERIFY(!again.text().contains(QStringLiteral("has the password"))); // shown only once
        QVERIFY(l.command(again, QStringLiteral("operator"), QStringLiteral("operator"),
                          QStringLiteral("device.pause"), QStringLiteral("bal-1"))
                    .captured(4)
                    .contains(QStringLiteral("wrong")));
    }

    void aFaultySensorsNaNNeverClearsAnOverTemperature()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-attacks-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        const QString labPath = tmp.filePath(QStringLiteral("lab.json"));
        const QJsonObject furnace{
            {QStringLiteral("id"), QStringLiteral("furnace-1")},
            {QStringLiteral("type"), QStringLiteral("box_furnace")},
            {QStringLiteral("driver"), QStringLiteral("process")},
            {QStringLiteral("program"),
             QStringLiteral(ALABOS_TESTS_DIR "/drivers/misbehaving_driver.py")},
            {QStringLiteral("settings"),
             QJsonObject{{QStringLiteral("mode"), QStringLiteral("hot_then_nan")}}}};
        QFile lab(labPath);
        QVERIFY(lab.open(QIODevice::WriteOnly));
        lab.write(QJsonDocument(QJsonObject{{QStringLiteral("alabos_lab"), 1},
                                            {QStringLiteral("devices"), QJsonArray{furnace}}})
                      .toJson());
        lab.close();
        Alabos alabos;
        const QString db = alabos.startLab(m_bin, labPath, dataDir);
        QVERIFY2(!db.isEmpty(), qPrintable(alabos.text() + alabos.errors()));
        // Alarms are events of entity type "alarm"; the newest event of a key is its state.
        const auto alarmState = [&](const QString &key) {
            return test::queryValue(
                db, QStringLiteral("SELECT payload->>'state' FROM events WHERE "
                                   "entity_type = 'alarm' AND payload->>'key' = '%1' "
                                   "ORDER BY id DESC LIMIT 1")
                        .arg(key));
        };
        const QString overTemperature = QStringLiteral("threshold:furnace-1:temperature_c");
        QTRY_COMPARE_WITH_TIMEOUT(alarmState(overTemperature), QStringLiteral("active"), 30000);
        // The sensor then reports no valid number: a device fault alarm, and the
        // over-temperature stays.
        QTRY_COMPARE_WITH_TIMEOUT(alarmState(QStringLiteral("fault:furnace-1:temperature_c")),
                                  QStringLiteral("active"), 30000);
        QTest::qWait(3000);
        QCOMPARE(alarmState(overTemperature), QStringLiteral("active"));
        QCOMPARE(
            test::queryValue(db, QStringLiteral("SELECT count(*) FROM events WHERE entity_type = "
                                                "'alarm' AND payload->>'state' = 'cleared'")),
            QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TstAttacks)
#include "tst_attacks.moc"
