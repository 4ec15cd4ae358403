// The real binary while its database goes away: the server stopped for 20 s, the
// connection cut by a paused PgBouncer, the embedded server killed. Each time the same
// process goes on, shows the outage while it lasts, and afterwards every count is exact:
// nothing committed is lost, nothing is committed twice, everything committed is relayed.
#include "core/storage/embeddedpostgres.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/labchecks.h"
#include "tests/support/pgbouncer.h"
#include "tests/support/testdatabase.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace alabos;
using test::Alabos;
using test::finishedRun;
using test::queryValue;
using test::tasksCompletedSoFar;
using test::TestDatabase;
using test::verifyExact;

namespace {

qint64 postmasterPid(const QString &clusterDir)
{
    QFile pidFile(clusterDir + QStringLiteral("/data/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly)) return 0;
    return pidFile.readLine(64).trimmed().toLongLong();
}

} // namespace

class TstDatabaseOutage : public QObject
{
    Q_OBJECT
    QString m_bin;

    // Without --no-fsync: a crash of the server loses what that setting acknowledged (no
    // synchronous commit), and these runs crash their server on purpose.
    QStringList labArgs(const QString &dataDir, int runForS) const
    {
        return QStringList{QStringLiteral("--headless"),
                           QStringLiteral("--simulate"),
                           QStringLiteral("demo"),
                           QStringLiteral("--devices"),
                           QStringLiteral("100"),
                           QStringLiteral("--data-dir"),
                           dataDir,
                           QStringLiteral("--run-for"),
                           QString::number(runForS)} +
               test::adminPasswordArgs(dataDir);
    }

    // Waits until the lab reports progress again after `from` in its output.
    static void waitForProgress(Alabos &lab, qsizetype from)
    {
        lab.waitFor(QStringLiteral("\\] tasks completed \\d+[^\\n]*consumer lag[^\\n]*"
                                   "telemetry produced[^|\\n]*\\n"),
                    from, 30000);
    }

    // Waits as waitForProgress; prints how long after the fault ended the lab reported
    // progress without an outage again (the figure RELIABILITY.md quotes).
    static void waitForRecovery(Alabos &lab, const char *fault)
    {
        QElapsedTimer clock;
        clock.start();
        waitForProgress(lab, lab.out.size());
        qInfo("%s: the lab reported progress without an outage %lld ms after the fault ended",
              fault, clock.elapsed());
    }

    // Waits for the lab to be busy; how many tasks it had completed.
    qint64 waitUntilBusy(Alabos &lab)
    {
        lab.waitFor(QStringLiteral("\\] tasks completed [1-9]\\d*"));
        return tasksCompletedSoFar(lab.text());
    }

    // Reads the lab's output for `ms` milliseconds.
    static void readFor(Alabos &lab, int ms) { lab.waitFor(QStringLiteral("(?!)"), 0, ms); }

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void labGoesOnThroughTwentySecondsWithoutItsDatabaseServer()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        const QString connection = TestDatabase::instance().createDatabase();
        // The test server runs without synchronous commit, which loses acknowledged commits
        // in a crash by design; this database gets the setting a lab runs with.
        queryValue(TestDatabase::instance().adminConnection(),
                   QStringLiteral("ALTER DATABASE %1 SET synchronous_commit = on")
                       .arg(queryValue(connection, QStringLiteral("SELECT current_database()"))));
        QTemporaryDir dir;
        Alabos lab;
        lab.start(m_bin, labArgs(dir.path(), 55) +
                             QStringList{QStringLiteral("--database-url"), connection,
                                         QStringLiteral("--database-owner-url"),
                                         TestDatabase::instance().ownerConnection(connection)});
        const qint64 before = waitUntilBusy(lab);
        QVERIFY2(before > 0, qPrintable(lab.text() + lab.errors()));
        // pg_ctl stop -m immediate: SIGQUIT to the postmaster, no shutdown checkpoint.
        EmbeddedPostgres &server = TestDatabase::instance().server();
        const qint64 pid = postmasterPid(server.clusterDir());
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGQUIT), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!server.serverAlive(), 10000);
        const qsizetype outageFrom = lab.out.size();
        readFor(lab, 20000);
        QVERIFY2(lab.text().mid(outageFrom).contains(QStringLiteral("DATABASE UNREACHABLE")),
                 qPrintable(lab.text()));
        QString error;
        QVERIFY2(server.restart(&error), qPrintable(error));
        waitForRecovery(lab, "server stopped 20 s");
        QVERIFY2(lab.process.state() == QProcess::Running, qPrintable(lab.errors()));
        QVERIFY2(tasksCompletedSoFar(lab.text()) > before, qPrintable(lab.text()));
        const auto summary = finishedRun(lab);
        verifyExact(lab, summary, connection);
    }

    void labGoesOnWhileAPausedPoolerCutsItsDatabaseConnection()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        const QString connection = TestDatabase::instance().createDatabase();
        test::PgBouncer bouncer;
        const QString started =
            bouncer.start(queryValue(connection, QStringLiteral("SELECT current_database()")));
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QTemporaryDir dir;
        Alabos lab;
        // The scheduler lock needs a session: it goes to the server directly.
        lab.start(m_bin,
                  labArgs(dir.path(), 55) +
                      QStringList{QStringLiteral("--database-url"), bouncer.pooled,
                                  QStringLiteral("--database-owner-url"), bouncer.pooledOwner,
                                  QStringLiteral("--leader-database-url"), connection});
        const qint64 before = waitUntilBusy(lab);
        QVERIFY2(before > 0, qPrintable(lab.text() + lab.errors()));
        QVERIFY(bouncer.pause());
        const qsizetype outageFrom = lab.out.size();
        readFor(lab, 20000);
        QVERIFY2(lab.text().mid(outageFrom).contains(QStringLiteral("DATABASE UNREACHABLE")),
                 qPrintable(lab.text()));
        QVERIFY(bouncer.resume());
        waitForRecovery(lab, "pooler paused 20 s");
        QVERIFY2(tasksCompletedSoFar(lab.text()) > before, qPrintable(lab.text()));
        const auto summary = finishedRun(lab);
        verifyExact(lab, summary, connection);
    }

    void embeddedServerKilledIsStartedAgainByAlabos()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir dir;
        const QString dataDir = test::makeSharedTempDir(dir);
        Alabos lab;
        lab.start(m_bin, labArgs(dataDir, 40));
        const qint64 before = waitUntilBusy(lab);
        QVERIFY2(before > 0, qPrintable(lab.text() + lab.errors()));
        const QString cluster = dataDir + QStringLiteral("/postgres");
        const qint64 pid = postmasterPid(cluster);
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        // Started again, by alabos, in the same process: a new postmaster.
        QTRY_VERIFY_WITH_TIMEOUT(postmasterPid(cluster) > 0 && postmasterPid(cluster) != pid &&
                                     EmbeddedPostgres::processAlive(postmasterPid(cluster)),
                                 30000);
        waitForRecovery(lab, "embedded server killed");
        QVERIFY2(tasksCompletedSoFar(lab.text()) > before, qPrintable(lab.text()));
        const auto summary = finishedRun(lab);
        QVERIFY2(lab.stderrText.contains(QStringLiteral("was started again by alabos")),
                 qPrintable(lab.stderrText));
        // alabos stopped its server at exit: start it again here to look.
        EmbeddedPostgres server({dataDir, {}, 5432, false});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString connection = server.connectionString();
        QCOMPARE(queryValue(connection, QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                                       "'alarm.raised' AND payload->>'key' = "
                                                       "'database:restarted'")),
                 QStringLiteral("1"));
        verifyExact(lab, summary, connection);
        server.stop();
    }

    // The data directory on a small tmpfs that runs full mid-run: a clear alarm and message,
    // the lab waits, nothing acknowledged is lost, and it recovers by itself once space
    // returns.
    void labWaitsOutAFullDiskAndRecoversByItself()
    {
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir dir;
        const QString mountPoint = test::makeSharedTempDir(dir);
        const QStringList mount{QStringLiteral("mount"),
                                QStringLiteral("-t"),
                                QStringLiteral("tmpfs"),
                                QStringLiteral("-o"),
                                QStringLiteral("size=400m,mode=0755"),
                                QStringLiteral("tmpfs"),
                                mountPoint};
        const bool root = ::geteuid() == 0;
        const int mounted = root ? QProcess::execute(mount.first(), mount.mid(1))
                                 : QProcess::execute(QStringLiteral("sudo"),
                                                     QStringList{QStringLiteral("-n")} + mount);
        if (mounted != 0) QSKIP("mounting a tmpfs needs root or passwordless sudo");
        struct Unmount
        {
            QString path;
            bool root;
            ~Unmount()
            {
                const QStringList umount{QStringLiteral("umount"), QStringLiteral("-l"), path};
                root ? QProcess::execute(umount.first(), umount.mid(1))
                     : QProcess::execute(QStringLiteral("sudo"),
                                         QStringList{QStringLiteral("-n")} + umount);
            }
        } unmount{mountPoint, root};
        const QString dataDir = mountPoint + QStringLiteral("/data");
        QVERIFY(QDir().mkpath(dataDir));
        Alabos lab;
        lab.start(m_bin, labArgs(dataDir, 60));
        const qint64 before = waitUntilBusy(lab);
        QVERIFY2(before > 0, qPrintable(lab.text() + lab.errors()));

        // Fill the disk to the last byte.
        const QString fillerPath = mountPoint + QStringLiteral("/filler");
        {
            QFile filler(fillerPath);
            QVERIFY(filler.open(QIODevice::WriteOnly));
            const QByteArray block(1 << 20, '\0');
            while (filler.write(block) == block.size() && filler.flush()) {
            }
        }
        const qsizetype outageFrom = lab.out.size();
        readFor(lab, 15000);
        QVERIFY2(lab.text().mid(outageFrom).contains(QStringLiteral("DATABASE UNREACHABLE")),
                 qPrintable(lab.text()));
        QVERIFY(lab.process.state() == QProcess::Running);
        const qint64 duringOutage = tasksCompletedSoFar(lab.text());

        QVERIFY(QFile::remove(fillerPath));
        waitForRecovery(lab, "disk full");
        waitForProgress(lab, lab.out.size());
        QVERIFY2(tasksCompletedSoFar(lab.text()) > duringOutage, qPrintable(lab.text()));
        const auto summary = finishedRun(lab);
        QVERIFY2(lab.stderrText.contains(QStringLiteral("its disk is full")),
                 qPrintable(lab.stderrText.left(4000)));
        QVERIFY2(lab.stderrText.contains(QStringLiteral("is nearly full")),
                 qPrintable(lab.stderrText.left(4000)));
        QVERIFY2(lab.stderrText.contains(QStringLiteral("has room again")),
                 qPrintable(lab.stderrText.left(4000)));

        EmbeddedPostgres server({dataDir, {}, 5432, false});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString connection = server.connectionString();
        QCOMPARE(queryValue(connection,
                            QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                           "'alarm.raised' AND payload->>'key' = 'disk:database'")),
                 QStringLiteral("1"));
        verifyExact(lab, summary, connection);
        server.stop();
    }
};

QTEST_GUILESS_MAIN(TstDatabaseOutage)
#include "tst_databaseoutage.moc"
