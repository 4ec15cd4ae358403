// A second console attached mid-run: the real binary as the scheduler on its
// embedded PostgreSQL and broker, a second process as a console only. It shows the same
// fleet as the database, its commands run on the scheduler and their replies come back;
// a second scheduler-capable start becomes a console; losing the lock stops a scheduler.
#include "core/bus/commandchannel.h"
#include "core/storage/embeddedpostgres.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/kcat.h"
#include "tests/support/testdatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <csignal>
#include <pqxx/pqxx>

using namespace alabos;
using alabos::test::Alabos;

namespace {
const QString kOperator =
    QStringLiteral(R"({"user":"operator","password":"operator","kind":"%1","entity_id":"%2"})");

// "idle 5, busy 3" -> {idle: 5, busy: 3}
QMap<QString, qint64> parseCounts(const QString &text)
{
    QMap<QString, qint64> out;
    for (const QString &part : text.split(QStringLiteral(", "), Qt::SkipEmptyParts)) {
        const QStringList kv = part.split(u' ');
        if (kv.size() == 2) out.insert(kv[0], kv[1].toLongLong());
    }
    return out;
}

// Each device's status as of an event: the newest event naming it, its own or the start of a
// task that runs on it (busy).
QMap<QString, qint64> databaseCountsAsOf(const QString &connection, qint64 eventId)
{
    return parseCounts(test::queryValue(
        connection,
        QStringLiteral("SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) "
                       "AS n FROM (SELECT DISTINCT ON (device) status FROM (SELECT id, CASE "
                       "entity_type WHEN 'device' THEN payload->>'status' ELSE 'busy' END AS "
                       "status, CASE entity_type WHEN 'device' THEN entity_id ELSE "
                       "payload->>'device_id' END AS device FROM events WHERE id <= %1 AND "
                       "(entity_type = 'device' OR (entity_type = 'task' AND payload->>'status' "
                       "= 'running' AND payload->>'device_id' <> ''))) e ORDER BY device, id "
                       "DESC) d GROUP BY status) s")
            .arg(eventId)));
}

QString describe(const QMap<QString, qint64> &counts)
{
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    return parts.join(QStringLiteral(", "));
}

void produceCommandMessage(const QString &bootstrap, const QByteArray &key, const QByteArray &value)
{
    QVERIFY(test::kcatProduce(bootstrap, QStringLiteral("alabos.commands"), key, value));
}

QList<QJsonObject> commandMessagesWith(const QString &bootstrap, const QString &topic,
                                       const QString &needle, const QString &also = {})
{
    return test::kcatMessagesWith(bootstrap, topic, needle, also, 30000,
                                  topic == QLatin1StringView("alabos.deadletter"));
}
} // namespace

class TstSecondConsole : public QObject
{
    Q_OBJECT
    QString m_bin;

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("kcat")).isEmpty(),
                 "kcat is not installed");
    }

    void commandMessagesDecode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("requestId");
        OperatorCommand c;
        c.id = 7;
        c.user = QStringLiteral("operator");
        c.kind = QStringLiteral("device.pause");
        c.entityId = QStringLiteral("furnace-001");
        c.session = QStringLiteral("s-1");
        QTest::newRow("request") << encodeCommandRequest(QStringLiteral("desk/7"),
                                                         QStringLiteral("desk"), c, 1,
                                                         QByteArray(32, 'k'))
                                 << int(CommandMessage::Request) << QString() << "desk/7";
        QTest::newRow("reply") << encodeCommandReply(QStringLiteral("desk/7"), {0, true, "ok", {}})
                               << int(CommandMessage::Reply) << QString() << "desk/7";
        QTest::newRow("audit")
            << QByteArray(
                   R"({"v":1,"id":5,"entity_type":"command","entity_id":"x","kind":"command.accepted","time_us":1,"payload":{}})")
            << int(CommandMessage::Audit) << QString() << QString();
        QTest::newRow("not json") << QByteArray("pause furnace-001")
                                  << int(CommandMessage::Malformed) << "not-json" << QString();
        QTest::newRow("version 2")
            << QByteArray(R"({"v":2,"kind":"command.request","request_id":"r"})")
            << int(CommandMessage::Malformed) << "unknown-version"
            << "r";
        QTest::newRow("no request id")
            << QByteArray(R"({"v":1,"kind":"command.request","command":{}})")
            << int(CommandMessage::Malformed) << "missing-field" << QString();
        QTest::newRow("no command")
            << QByteArray(R"({"v":1,"kind":"command.request","request_id":"r"})")
            << int(CommandMessage::Malformed) << "missing-field"
            << "r";
        QTest::newRow("bad command")
            << QByteArray(
                   R"({"v":1,"kind":"command.request","request_id":"r","command":{"id":1,"user":"operator","role":"operator","kind":"device.explode"}})")
            << int(CommandMessage::Malformed) << "bad-command"
            << "r";
        QTest::newRow("no role")
            << QByteArray(
                   R"({"v":1,"kind":"command.request","request_id":"r","command":{"id":1,"user":"operator","kind":"device.pause"}})")
            << int(CommandMessage::Malformed) << "bad-command"
            << "r";
        QTest::newRow("unknown kind")
            << QByteArray(R"({"v":1,"kind":"command.shout","request_id":"r"})")
            << int(CommandMessage::Malformed) << "unknown-kind"
            << "r";
        QTest::newRow("reply without ok")
            << QByteArray(R"({"v":1,"kind":"command.reply","request_id":"r"})")
            << int(CommandMessage::Malformed) << "missing-field"
            << "r";
        // Found by fuzzing (tests/fuzz, commandcodec): a counter beyond 64 bits, negative or
        // fractional was cast to quint64, undefined behaviour. A missing one is no proof (0):
        // decoded, then refused for having no session.
        const QByteArray pause =
            R"("command":{"id":1,"user":"operator","role":"operator","kind":"device.pause","entity_id":"furnace-001"})";
        for (const char *counter : {"4e41", "-1", "1.5", "9007199254740994", "\"7\""})
            QTest::newRow(qPrintable(QStringLiteral("request counter %1").arg(counter)))
                << QByteArray(R"({"v":1,"kind":"command.request","request_id":"r","counter":)") +
                       counter + "," + pause + "}"
                << int(CommandMessage::Malformed) << "missing-field"
                << "r";
        QTest::newRow("request without counter")
            << QByteArray(R"({"v":1,"kind":"command.request","request_id":"r",)") + pause + "}"
            << int(CommandMessage::Request) << QString() << "r";
        QTest::newRow("sign-out counter 1e300")
            << QByteArray(R"({"v":1,"kind":"session.close","request_id":"r","counter":1e300})")
            << int(CommandMessage::Malformed) << "missing-field"
            << "r";
        QTest::newRow("request counter 2^53")
            << QByteArray(
                   R"({"v":1,"kind":"command.request","request_id":"r","counter":9007199254740992,)") +
                   pause + "}"
            << int(CommandMessage::Request) << QString() << "r";
        QTest::newRow("too large")
            << QByteArray(R"({"v":1,"pad":")") + QByteArray(1100 * 1024, 'x') + "\"}"
            << int(CommandMessage::Malformed) << "too-large" << QString();
    }

    void commandMessagesDecode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, type);
        QFETCH(QString, reason);
        QFETCH(QString, requestId);
        const CommandMessage m = decodeCommandMessage(bytes);
        QCOMPARE(int(m.type), type);
        QCOMPARE(m.reason, reason);
        QCOMPARE(m.requestId, requestId);
        if (m.type == CommandMessage::Malformed) QVERIFY(!m.problem.isEmpty());
        if (m.type == CommandMessage::Request) {
            QCOMPARE(m.command.kind, QStringLiteral("device.pause"));
            QCOMPARE(m.command.entityId, QStringLiteral("furnace-001"));
        }
    }

    void secondConsoleShowsTheFleetAndRunsCommands()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-console2-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        Alabos scheduler;
        QVERIFY2(!scheduler.startScheduler(m_bin, dataDir, 200).isEmpty(),
                 qPrintable(scheduler.text() + scheduler.errors()));
        // What the first process prints is all a second console needs.
        const auto hint =
            scheduler.waitFor(QStringLiteral("a second console: alabos --console-only "
                                             "--database-url '([^']+)' --kafka-bootstrap (\\S+)"));
        QVERIFY2(hint.hasMatch(), qPrintable(scheduler.text() + scheduler.errors()));
        const QString database = hint.captured(1);
        const QString bootstrap = hint.captured(2);
        // Mid-run: tasks are running.
        QVERIFY2(scheduler.waitFor(QStringLiteral("running [1-9]")).hasMatch(),
                 qPrintable(scheduler.text() + scheduler.errors()));

        Alabos console;
        console.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--console-only"),
                              QStringLiteral("--database-url"), database,
                              QStringLiteral("--kafka-bootstrap"), bootstrap});
        QVERIFY(console.process.waitForStarted());
        const QString schedulerPid = QString::number(scheduler.process.processId());
        QVERIFY2(
            console
                .waitFor(
                    QStringLiteral("console only; scheduler running, pid %1 on").arg(schedulerPid))
                .hasMatch(),
            qPrintable(console.text() + console.errors()));
        // No engine here: it never prints the scheduler's progress line.
        QVERIFY(!console.text().contains(QStringLiteral("tasks completed")));

        // The same fleet as the database: all 200 devices, and per status exactly what the
        // database says as of the newest event the console applied. A line can come while an
        // older event is still on its way from another partition; the next ones converge.
        const QRegularExpression fleetLine(
            QStringLiteral("console: fleet (\\d+) devices \\(([^)]*)\\) \\| scheduler \\S+ pid %1 "
                           "\\| consumer lag \\d+ \\| through event (\\d+)")
                .arg(schedulerPid));
        QElapsedTimer clock;
        clock.start();
        bool converged = false;
        QString last;
        int lines = 0;
        while (!converged && clock.elapsed() < 120000) {
            const auto line = console.waitFor(fleetLine.pattern(), console.out.size(), 5000);
            QVERIFY2(line.hasMatch(), qPrintable(console.text() + console.errors()));
            ++lines;
            const auto shown = parseCounts(line.captured(2));
            const auto stored = databaseCountsAsOf(database, line.captured(3).toLongLong());
            last = QStringLiteral("console %1 devices (%2) through event %3; database (%4)")
                       .arg(line.captured(1), describe(shown), line.captured(3), describe(stored));
            converged = line.captured(1).toInt() == 200 && shown == stored;
        }
        QVERIFY2(converged, qPrintable(last));
        qInfo().noquote() << "converged after" << lines << "fleet lines:" << last;

        // A command from the second console runs on the scheduler; its reply comes back here.
        const QString device = test::queryValue(
            database,
            QStringLiteral(
                "SELECT id FROM device_states WHERE status = 'idle' ORDER BY id LIMIT 1"));
        QVERIFY(!device.isEmpty());
        qsizetype from = console.out.size();
        console.send(kOperator.arg(QStringLiteral("device.pause"), device));
        const auto reply = console.waitFor(
            QStringLiteral(
                "reply to command (\\d+) \\(device.pause %1\\): (accepted|refused): ([^\\n]*)")
                .arg(device),
            from, 30000);
        QVERIFY2(reply.hasMatch(), qPrintable(console.text() + console.errors()));
        QCOMPARE(reply.captured(2), QStringLiteral("accepted"));
        // The same words the scheduler's own console would show (engine: "%1 is %2" or
        // "%1 will be %2 after task %3").
        QVERIFY2(reply.captured(3).startsWith(device + QStringLiteral(" ")),
                 qPrintable(reply.captured(0)));
        // Executed by the scheduler: committed in PostgreSQL, audited with its origin.
        QElapsedTimer pauseClock;
        pauseClock.start();
        while (test::queryValue(database,
                                QStringLiteral("SELECT status FROM device_states WHERE id = '%1'")
                                    .arg(device)) != QStringLiteral("paused") &&
               pauseClock.elapsed() < 60000)
            QTest::qWait(200);
        QCOMPARE(
            test::queryValue(
                database,
                QStringLiteral("SELECT status FROM device_states WHERE id = '%1'").arg(device)),
            QStringLiteral("paused"));
        const QString origin = test::queryValue(
            database,
            QStringLiteral("SELECT payload->>'origin' FROM events WHERE entity_type = 'command' "
                           "AND kind = 'command.accepted' AND payload->>'kind' = 'device.pause' "
                           "AND entity_id = '%1'")
                .arg(device));
        QVERIFY2(origin.endsWith(u'/' + reply.captured(1)), qPrintable(origin));
        // ... and the second console shows it paused, like the database.
        QVERIFY2(console.waitFor(QStringLiteral("paused [1-9]"), from, 30000).hasMatch(),
                 qPrintable(console.text()));

        // A role without the permission: refused by the engine, the refusal comes back.
        from = console.out.size();
        console.send(
            QStringLiteral(
                R"({"user":"technician","password":"technician","kind":"device.resume","entity_id":"%1"})")
                .arg(device));
        const auto refusal = console.waitFor(
            QStringLiteral("reply to command \\d+ \\(device.resume %1\\): refused: ([^\\n]*)")
                .arg(device),
            from, 30000);
        QVERIFY2(refusal.hasMatch(), qPrintable(console.text()));
        QVERIFY2(refusal.captured(1).contains(QStringLiteral("device_control")),
                 qPrintable(refusal.captured(1)));
        // A wrong password: the scheduler refuses the sign-in, and nothing is sent.
        from = console.out.size();
        console.send(
            QStringLiteral(
                R"({"user":"operator","password":"wrong","kind":"device.resume","entity_id":"%1"})")
                .arg(device));
        QVERIFY(console.waitFor(QStringLiteral("command refused: "), from, 30000).hasMatch());
        console.send(QStringLiteral("resume it please"));
        QVERIFY(
            console
                .waitFor(QStringLiteral("command refused: a command line must be one JSON object"),
                         from, 30000)
                .hasMatch());

        // Bad messages straight onto the topic: refused with a reply where one can go,
        // dead-lettered, and the scheduler keeps running. A request in the documented format
        // but without a session proves nobody, whatever user and role it claims.
        produceCommandMessage(bootstrap, "x", "this is not json");
        produceCommandMessage(
            bootstrap, device.toUtf8(),
            QStringLiteral(
                R"({"v":1,"kind":"command.request","request_id":"test-intruder","command":{"id":1,"user":"mallory","host":"h","role":"admin","kind":"device.resume","entity_id":"%1","args":{},"time_us":0}})")
                .arg(device)
                .toUtf8());
        produceCommandMessage(
            bootstrap, device.toUtf8(),
            QStringLiteral(
                R"({"v":1,"kind":"command.request","request_id":"test-claims-admin","command":{"id":1,"user":"operator","host":"h","role":"admin","kind":"device.resume","entity_id":"%1","args":{},"time_us":0}})")
                .arg(device)
                .toUtf8());
        const auto intruder = commandMessagesWith(bootstrap, QStringLiteral("alabos.commands"),
                                                  QStringLiteral("\"command.reply\""),
                                                  QStringLiteral("test-intruder"));
        QCOMPARE(intruder.size(), 1);
        QCOMPARE(intruder[0].value(QStringLiteral("ok")).toBool(), false);
        QVERIFY2(intruder[0]
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("no session")),
                 qPrintable(intruder[0].value(QStringLiteral("message")).toString()));
        const auto claims = commandMessagesWith(bootstrap, QStringLiteral("alabos.commands"),
                                                QStringLiteral("\"command.reply\""),
                                                QStringLiteral("test-claims-admin"));
        QCOMPARE(claims.size(), 1);
        QVERIFY(claims[0]
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("no session")));
        const auto dead = commandMessagesWith(bootstrap, QStringLiteral("alabos.deadletter"),
                                              QStringLiteral("command server"));
        QStringList reasons;
        for (const QJsonObject &d : dead)
            reasons << d.value(QStringLiteral("_headers")).toString();
        QVERIFY2(dead.size() >= 3, qPrintable(reasons.join(u'\n')));
        QVERIFY2(reasons.join(u'\n').contains(QStringLiteral("alabos.reason=not-json")),
                 qPrintable(reasons.join(u'\n')));
        QVERIFY2(reasons.join(u'\n').contains(QStringLiteral("alabos.reason=unauthorised")),
                 qPrintable(reasons.join(u'\n')));
        QCOMPARE(
            test::queryValue(
                database,
                QStringLiteral("SELECT status FROM device_states WHERE id = '%1'").arg(device)),
            QStringLiteral("paused"));
        QCOMPARE(scheduler.process.state(), QProcess::Running);

        // A second scheduler-capable start on the same database becomes a console.
        Alabos second;
        second.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--database-url"),
                             database, QStringLiteral("--kafka-bootstrap"), bootstrap});
        QVERIFY(second.process.waitForStarted());
        QVERIFY2(
            second
                .waitFor(
                    QStringLiteral("console only; scheduler running, pid %1 on").arg(schedulerPid))
                .hasMatch(),
            qPrintable(second.text() + second.errors()));
        QVERIFY2(second.waitFor(fleetLine.pattern()).hasMatch(), qPrintable(second.text()));
        QCOMPARE(test::queryValue(database, QStringLiteral("SELECT pid FROM scheduler_leader")),
                 schedulerPid);
        ::kill(pid_t(second.process.processId()), SIGTERM);
        QVERIFY(second.process.waitForFinished(60000));
        QCOMPARE(second.process.exitCode(), 0);

        // The scheduler stops: the consoles show it unreachable, and a command gets a clear
        // answer instead of silence.
        ::kill(pid_t(scheduler.process.processId()), SIGTERM);
        QVERIFY(scheduler.process.waitForFinished(60000));
        QCOMPARE(scheduler.process.exitCode(), 0);
        from = console.out.size();
        QVERIFY2(console
                     .waitFor(QStringLiteral("scheduler UNREACHABLE \\(last: \\S+ pid %1\\)")
                                  .arg(schedulerPid),
                              from, 30000)
                     .hasMatch(),
                 qPrintable(console.text()));
    }

    void standbyTakesOverWhenTheSchedulerDies()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-standby-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        Alabos first;
        const QString url = first.startScheduler(m_bin, dataDir, 48);
        QVERIFY2(!url.isEmpty(), qPrintable(first.text() + first.errors()));
        QVERIFY2(first.waitFor(QStringLiteral("running [1-9]")).hasMatch(),
                 qPrintable(first.text()));

        // A standby: the same lab configuration, no --console-only, the broker found in the
        // database. While the first runs it is a console.
        Alabos standby;
        standby.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--simulate"),
                              QStringLiteral("demo"), QStringLiteral("--devices"),
                              QStringLiteral("48"), QStringLiteral("--database-url"), url});
        const QString firstPid = QString::number(first.process.processId());
        QVERIFY2(
            standby
                .waitFor(QStringLiteral("console only; scheduler running, pid %1 on").arg(firstPid))
                .hasMatch(),
            qPrintable(standby.text() + standby.errors()));
        QVERIFY2(standby.waitFor(QStringLiteral("console: fleet 48 devices")).hasMatch(),
                 qPrintable(standby.text() + standby.errors()));
        const qsizetype from = standby.out.size();

        // The scheduler dies without a word: its session ends, and with it the lock.
        ::kill(pid_t(first.process.processId()), SIGKILL);
        QVERIFY(first.process.waitForFinished(30000));
        const bool tookOver =
            standby.waitFor(QStringLiteral("this process takes over"), from, 60000).hasMatch();
        if (!tookOver) qWarning().noquote() << standby.errors().right(3000);
        QVERIFY2(tookOver, qPrintable(standby.text().right(2000)));
        // The same process starts again as the scheduler, with a broker of its own, and the lab
        // runs on: tasks that were running are recovered from PostgreSQL.
        const auto hint =
            standby.waitFor(QStringLiteral("a second console: alabos --console-only"), from, 60000);
        QVERIFY2(hint.hasMatch(), qPrintable(standby.text() + standby.errors()));
        QCOMPARE(test::queryValue(url, QStringLiteral("SELECT pid FROM scheduler_leader")),
                 QString::number(standby.process.processId()));
        QCOMPARE(
            test::queryValue(url, QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                                 "application_name = 'alabos-scheduler-lease'")),
            QStringLiteral("1"));
        const qsizetype afterTakeOver = standby.out.size();
        QVERIFY2(standby
                     .waitFor(QStringLiteral("tasks completed [1-9]\\d*, running [1-9]"),
                              afterTakeOver, 60000)
                     .hasMatch(),
                 qPrintable(standby.text() + standby.errors()));

        // Orderly end: the new scheduler stops; the killed one's PostgreSQL server is adopted
        // and stopped.
        ::kill(pid_t(standby.process.processId()), SIGTERM);
        QVERIFY(standby.process.waitForFinished(60000));
        QCOMPARE(standby.process.exitCode(), 0);
        EmbeddedPostgres orphan({dataDir, {}, 5432, false});
        QString error;
        QVERIFY2(orphan.start(&error), qPrintable(error));
        orphan.stop();
    }

    // The lock's session ends (a network cut, an administrator, a database restart) and
    // nobody else takes the lock: the scheduler goes on and takes it back.
    void aSchedulerCutOffFromItsLockTakesItBack()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-lease-XXXXXX"));
        Alabos scheduler;
        const QString url = startSmallScheduler(scheduler, tmp);
        QVERIFY2(!url.isEmpty(), qPrintable(scheduler.text() + scheduler.errors()));
        const QString leasePid = QStringLiteral(
            "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE application_name = "
            "'alabos-scheduler-lease'");
        const QString before = test::queryValue(url, leasePid);
        QVERIFY(before != QStringLiteral("0"));
        test::queryValue(url, QStringLiteral("SELECT pg_terminate_backend(pid) FROM "
                                             "pg_stat_activity WHERE application_name = "
                                             "'alabos-scheduler-lease'"));
        QTRY_VERIFY_WITH_TIMEOUT(test::queryValue(url, leasePid) != QStringLiteral("0") &&
                                     test::queryValue(url, leasePid) != before,
                                 15000);
        QCOMPARE(test::queryValue(url, QStringLiteral("SELECT count(*) FROM pg_locks WHERE "
                                                      "locktype = 'advisory' AND granted AND "
                                                      "classid = 1634492770 AND objid = 21315")),
                 QStringLiteral("1"));
        QTest::qWait(1000);
        QCOMPARE(scheduler.process.state(), QProcess::Running);
    }

    // Another process took the lock while the scheduler was cut off from it: the scheduler
    // stops, because that process may already run the lab.
    void aSchedulerWhoseLockWasTakenStops()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-lease-XXXXXX"));
        Alabos scheduler;
        const QString url = startSmallScheduler(scheduler, tmp);
        QVERIFY2(!url.isEmpty(), qPrintable(scheduler.text() + scheduler.errors()));
        pqxx::connection other(url.toStdString());
        pqxx::nontransaction tx(other);
        tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                "application_name = 'alabos-scheduler-lease'");
        // The scheduler notices within its 2 s check and reconnects after 0.5 s: too late.
        tx.exec("SELECT pg_advisory_lock(1634492770, 21315)");
        QVERIFY(scheduler.process.waitForFinished(60000));
        const QString errors = scheduler.errors();
        QCOMPARE(scheduler.process.exitCode(), 1);
        QVERIFY2(errors.contains(QStringLiteral("Scheduler leadership lost")), qPrintable(errors));
        QVERIFY2(errors.contains(QStringLiteral("another process took the scheduler lock")),
                 qPrintable(errors));
    }

private:
    // A scheduler of 24 simulated devices in `tmp`; its database connection.
    QString startSmallScheduler(Alabos &scheduler, QTemporaryDir &tmp) const
    {
        return scheduler.startScheduler(m_bin, test::makeSharedTempDir(tmp), 24);
    }
};

QTEST_GUILESS_MAIN(TstSecondConsole)
#include "tst_secondconsole.moc"
