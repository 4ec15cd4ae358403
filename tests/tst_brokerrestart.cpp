// The embedded broker's helper killed (SIGKILL) while a simulated lab runs, twice: the same
// alabos goes on, the helper runs again on the same port, an alarm says so, events committed
// afterwards reach the state topics, a second console sees the lab again, every event is
// relayed and the run ends promptly.
#include "core/bus/eventcodec.h"
#include "core/bus/topics.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/childprocess.h"
#include "tests/support/testdatabase.h"
#include "tests/support/topicreader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cerrno>
#include <csignal>
#include <cstring>

using namespace alabos;
using test::Alabos;
using test::queryValue;

namespace {
// The alabos-broker child of `parent`; 0 when there is none.
qint64 helperOf(qint64 parent)
{
    return test::childNamed(parent, "alabos-broker");
}

qint64 waitForNewHelper(qint64 parent, qint64 old, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const qint64 pid = helperOf(parent);
        if (pid != 0 && pid != old) return pid;
        QTest::qWait(50);
    }
    return 0;
}
} // namespace

class TstBrokerRestart : public QObject
{
    Q_OBJECT
    QString m_bin = qEnvironmentVariable("ALABOS_BIN");

private Q_SLOTS:
    void theLabGoesOnWhenTheEmbeddedBrokerDiesTwice()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-brokerrestart-XXXXXX"));
        // Their logs go to files: librdkafka's complaints while the broker is away would fill
        // a pipe nobody reads and stop them.
        const QString dataDir = test::makeSharedTempDir(tmp);
        Alabos scheduler;
        scheduler.process.setStandardErrorFile(dataDir + QStringLiteral("/scheduler.log"));
        const QString database = scheduler.startScheduler(m_bin, dataDir, 100);
        QVERIFY2(!database.isEmpty(), qPrintable(scheduler.text() + scheduler.errors()));
        const auto hint =
            scheduler.waitFor(QStringLiteral("a second console: alabos --console-only "
                                             "--database-url '([^']+)' --kafka-bootstrap (\\S+)"));
        QVERIFY2(hint.hasMatch(), qPrintable(scheduler.text() + scheduler.errors()));
        const QString bootstrap = hint.captured(2);
        // Its ports lie above the kernel's ephemeral range: no program's outgoing connection
        // can be given one while the broker is down.
        QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
        QVERIFY(range.open(QIODevice::ReadOnly));
        const int ephemeralEnd =
            QString::fromLatin1(range.readAll()).simplified().section(u' ', 1).toInt();
        for (const QString &address : bootstrap.split(u','))
            QVERIFY2(address.section(u':', -1).toInt() > ephemeralEnd, qPrintable(bootstrap));
        QVERIFY(scheduler.waitFor(QStringLiteral("running [1-9]")).hasMatch());

        Alabos console;
        console.process.setStandardErrorFile(dataDir + QStringLiteral("/console.log"));
        console.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--console-only"),
                              QStringLiteral("--database-url"), hint.captured(1),
                              QStringLiteral("--kafka-bootstrap"), bootstrap});
        if (!console.waitFor(QStringLiteral("through event \\d+")).hasMatch()) {
            QFile log(dataDir + QStringLiteral("/console.log"));
            log.open(QIODevice::ReadOnly);
            QFAIL(qPrintable(QStringLiteral("the console did not follow the lab; its log ends:\n") +
                             QString::fromUtf8(log.readAll().right(4000))));
        }

        const qint64 alabosPid = scheduler.process.processId();
        qint64 helper = helperOf(alabosPid);
        QVERIFY(helper != 0);
        for (int death = 1; death <= 2; ++death) {
            const qint64 lastEvent =
                queryValue(database, QStringLiteral("SELECT coalesce(max(id), 0) FROM events"))
                    .toLongLong();
            if (::kill(pid_t(helper), SIGKILL) != 0) {
                // The helper went before the test killed it: what the scheduler saw says why.
                const int error = errno;
                QFile log(dataDir + QStringLiteral("/scheduler.log"));
                log.open(QIODevice::ReadOnly);
                QFAIL(qPrintable(QStringLiteral("kill(%1) before death %2: %3; helper now %4; the "
                                                "scheduler's log ends:\n%5")
                                     .arg(helper)
                                     .arg(death)
                                     .arg(QString::fromLocal8Bit(::strerror(error)))
                                     .arg(helperOf(alabosPid))
                                     .arg(QString::fromUtf8(log.readAll().right(6000)))));
            }
            const qint64 again = waitForNewHelper(alabosPid, helper, 15000);
            QVERIFY2(again != 0, qPrintable(scheduler.errors()));
            helper = again;
            QCOMPARE(scheduler.process.state(), QProcess::Running);
            // The alarm, committed like every other (the lab's own events table).
            QElapsedTimer clock;
            clock.start();
            QString alarms;
            // The persister first writes what it holds of the dead broker: on a loaded
            // machine (the suite runs two tests at once) that alone took over 15 s.
            while (clock.elapsed() < 60000) {
                alarms = queryValue(
                    database,
                    QStringLiteral("SELECT count(*) FROM events WHERE entity_type = 'alarm' AND "
                                   "payload->>'key' = 'broker:restarted' AND payload->>'message' "
                                   "LIKE '%%restart %1)%%telemetry readings%%'")
                        .arg(death));
                if (alarms.toInt() > 0) break;
                QTest::qWait(200);
            }
            if (alarms.toInt() == 0) {
                QFile log(dataDir + QStringLiteral("/scheduler.log"));
                log.open(QIODevice::ReadOnly);
                QFAIL(qPrintable(QStringLiteral("no broker:restarted alarm for restart %1 within "
                                                "60 s; the scheduler's log ends:\n%2")
                                     .arg(death)
                                     .arg(QString::fromUtf8(log.readAll().right(4000)))));
            }
            // The helper that runs now: a restart may have tried more than one.
            helper = helperOf(alabosPid);
            QVERIFY(helper != 0);
            // Events committed after the restart reach the new broker's state topics.
            bool relayed = false;
            clock.restart();
            while (!relayed && clock.elapsed() < 20000) {
                for (const test::TopicRecord &r :
                     test::readTopic(bootstrap, topic::StateTasks, 1000000, 1500)) {
                    DecodeProblem problem;
                    if (const auto e = decodeEvent(r.value, &problem, nullptr);
                        e && e->id > lastEvent)
                        relayed = true;
                }
            }
            QVERIFY(relayed);
            // The second console took a fresh snapshot and follows the lab past the restart.
            QRegularExpressionMatch seen;
            clock.restart();
            while (clock.elapsed() < 20000) {
                // The newest line only: older ones may still show the lab before the kill.
                seen = console.waitFor(QStringLiteral("through event (\\d+)"), console.out.size(),
                                       5000);
                if (seen.hasMatch() && seen.captured(1).toLongLong() > lastEvent) break;
            }
            QVERIFY2(seen.hasMatch() && seen.captured(1).toLongLong() > lastEvent,
                     qPrintable(console.text().right(2000) + console.errors()));
        }
        QVERIFY(
            scheduler.waitFor(QStringLiteral("running [1-9]"), scheduler.out.size()).hasMatch());

        // A third death, and this time another process holds the broker's port for a while:
        // the console's sign-in and command wait for the broker, reach the new one, and the
        // scheduler (whose command tail now points past the new broker's end) still reads
        // them, answers, and the console reads the answer.
        const QString device =
            queryValue(database, QStringLiteral("SELECT id FROM devices ORDER BY id LIMIT 1"));
        QVERIFY(!device.isEmpty());
        QVERIFY(::kill(pid_t(helper), SIGKILL) == 0);
        // The port is free once the killed helper is gone, and alabos waits before it starts
        // the next (its backoff has grown to 800 ms by now).
        QTcpServer squatter;
        QElapsedTimer squatting;
        squatting.start();
        while (!squatter.listen(QHostAddress(bootstrap.section(u':', 0, 0)),
                                quint16(bootstrap.section(u':', -1).toUInt())) &&
               squatting.elapsed() < 3000)
            QThread::msleep(5);
        QVERIFY2(squatter.isListening(), qPrintable(squatter.errorString()));
        const qsizetype before = console.out.size();
        console.send(test::headlessCommand(QStringLiteral("device.pause"), device, {}));
        const QString reply =
            QStringLiteral("reply to command \\d+ \\(device.pause %1\\): (accepted|refused)[^\\n]*")
                .arg(QRegularExpression::escape(device));
        QVERIFY2(!console.waitFor(reply, before, 3000).hasMatch(), qPrintable(console.text()));
        // The failed restarts name who holds the port, for the operator to act on.
        const auto schedulerLog = [&] {
            QFile log(dataDir + QStringLiteral("/scheduler.log"));
            return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
        };
        QTRY_VERIFY2_WITH_TIMEOUT(
            schedulerLog().contains(
                QStringLiteral("is held by process %1 (").arg(QCoreApplication::applicationPid())),
            qPrintable(schedulerLog().right(3000)), 10000);
        squatter.close();
        QVERIFY2(waitForNewHelper(alabosPid, helper, 30000) != 0, qPrintable(scheduler.errors()));
        const QRegularExpressionMatch answered = console.waitFor(reply, before, 30000);
        if (!answered.hasMatch()) { // QtTest cuts a failure message at 1 KB: the tails first
            const auto tail = [&](const char *name) {
                QFile log(dataDir + QLatin1Char('/') + QLatin1StringView(name));
                return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll().right(4000))
                                                     : QString();
            };
            qWarning().noquote() << "console:" << console.text().mid(before).right(3000)
                                 << "\nconsole.log:" << tail("console.log")
                                 << "\nscheduler.log:" << tail("scheduler.log");
        }
        QVERIFY(answered.hasMatch());
        QCOMPARE(answered.captured(1), QStringLiteral("accepted"));
        QTRY_COMPARE_WITH_TIMEOUT(
            queryValue(
                database,
                QStringLiteral("SELECT status FROM device_states WHERE id = '%1'").arg(device)),
            QStringLiteral("paused"), 20000);

        // A fourth death with the port held longer than a console waits (15 s): the console
        // says its sign-in was not sent, and nothing it asked for runs once the broker is back.
        const qint64 held = helperOf(alabosPid);
        QVERIFY(held != 0);
        QVERIFY(::kill(pid_t(held), SIGKILL) == 0);
        squatting.restart();
        while (!squatter.listen(QHostAddress(bootstrap.section(u':', 0, 0)),
                                quint16(bootstrap.section(u':', -1).toUInt())) &&
               squatting.elapsed() < 3000)
            QThread::msleep(5);
        QVERIFY2(squatter.isListening(), qPrintable(squatter.errorString()));
        const qsizetype beforeResume = console.out.size();
        console.send(test::headlessCommand(QStringLiteral("device.resume"), device, {}));
        const QRegularExpressionMatch notSent = console.waitFor(
            QStringLiteral("command refused: ([^\\n]*was not sent[^\\n]*)"), beforeResume, 30000);
        QVERIFY2(notSent.hasMatch(), qPrintable(console.text().mid(beforeResume)));
        squatter.close();
        QVERIFY2(waitForNewHelper(alabosPid, held, 30000) != 0, qPrintable(scheduler.errors()));
        QTest::qWait(3000);
        QVERIFY(!console.text().mid(beforeResume).contains(QStringLiteral("device.resume")));
        QCOMPARE(
            queryValue(
                database,
                QStringLiteral("SELECT status FROM device_states WHERE id = '%1'").arg(device)),
            QStringLiteral("paused"));

        // A prompt, complete end: every committed event relayed.
        ::kill(pid_t(console.process.processId()), SIGTERM);
        QVERIFY(console.process.waitForFinished(20000));
        QElapsedTimer exitClock;
        exitClock.start();
        ::kill(pid_t(alabosPid), SIGTERM);
        if (!scheduler.process.waitForFinished(60000)) {
            // What it waits for, then its log: QtTest cuts a failure message at 1 KB.
            qWarning().noquote() << "alabos did not exit within 60 s of SIGTERM; its threads:\n"
                                 << test::stacksOf(alabosPid);
            QFile log(dataDir + QStringLiteral("/scheduler.log"));
            log.open(QIODevice::ReadOnly);
            qWarning().noquote() << "scheduler.log ends:\n"
                                 << QString::fromUtf8(log.readAll().right(6000));
            QFAIL("alabos did not exit within 60 s of SIGTERM");
        }
        QVERIFY2(exitClock.elapsed() < 15000, qPrintable(QString::number(exitClock.elapsed())));
        QFile log(dataDir + QStringLiteral("/scheduler.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QString errors = QString::fromUtf8(log.readAll());
        // What the operator reads (and RELIABILITY.md quotes), and how long the exit took.
        for (const QString &line : errors.split(u'\n'))
            if (line.contains(QStringLiteral("alarm raised")) &&
                line.contains(QStringLiteral("broker")))
                qInfo().noquote() << line;
        qInfo() << "exit took" << exitClock.elapsed() << "ms";
        QVERIFY2(!errors.contains(QStringLiteral("not every committed event reached Kafka")),
                 qPrintable(errors.right(3000)));
    }
};

QTEST_GUILESS_MAIN(TstBrokerRestart)
#include "tst_brokerrestart.moc"
