#include "core/storage/embeddedpostgres.h"
#include "tests/support/testdatabase.h"

#include <QFile>
#include <QTest>

#include <thread>

#include <pqxx/pqxx>

#include <csignal>

using namespace alabos;

namespace {
qint64 serverPid(const QString &dataDir)
{
    QFile f(dataDir + QStringLiteral("/postgres/data/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}
bool alive(qint64 pid)
{
    return EmbeddedPostgres::processAlive(pid);
}
// The server a crashed alabos left running: started and never stopped (the caller deletes it
// after the next start adopted the server, when its stop finds nothing to stop).
EmbeddedPostgres *leftRunning(const QString &dir)
{
    auto *crashed = new EmbeddedPostgres({dir, {}, 5432, false});
    QString error;
    if (!crashed->start(&error)) qFatal("PostgreSQL: %s", qPrintable(error));
    return crashed;
}
} // namespace

class TstEmbeddedPostgres : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsReusesAndStops()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        qint64 pid = 0;
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QString error;
            QVERIFY2(pg.start(&error), qPrintable(error));
            QVERIFY(!pg.reusedCluster());
            pqxx::connection c(pg.connectionString().toStdString());
            pqxx::work tx(c);
            tx.exec0("CREATE TABLE kept (x int)");
            tx.exec0("INSERT INTO kept VALUES (42)");
            tx.commit();
            pid = serverPid(dir);
            QVERIFY(alive(pid));
        } // destructor stops the server
        QVERIFY(!alive(pid));
        QVERIFY(!QFile::exists(dir + QStringLiteral("/postgres/data/postmaster.pid")));

        EmbeddedPostgres again({dir, {}, 5432, false});
        QString error;
        QVERIFY2(again.start(&error), qPrintable(error));
        QVERIFY(again.reusedCluster());
        QCOMPARE(test::queryValue(again.connectionString(), QStringLiteral("SELECT x FROM kept")),
                 QStringLiteral("42"));
        again.stop();
        QVERIFY(!alive(serverPid(dir)));
    }

    void adoptsTheServerACrashedRunLeft()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        EmbeddedPostgres *crashed = leftRunning(dir);
        QString error;
        const qint64 pid = serverPid(dir);

        EmbeddedPostgres next({dir, {}, 5432, false});
        QVERIFY2(next.start(&error), qPrintable(error));
        QVERIFY(next.adoptedRunningServer());
        QCOMPARE(serverPid(dir), pid);
        QCOMPARE(test::queryValue(next.connectionString(), QStringLiteral("SELECT 1")), QStringLiteral("1"));
        next.stop();
        QVERIFY(!alive(pid));
        delete crashed; // its stop finds nothing to stop
    }

    void adoptsAServerThatWasStillStarting()
    {
        // alabos killed while its server was starting: the pid file has no socket yet and
        // says "starting". The next start waits until the server is ready, then adopts it.
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        EmbeddedPostgres *crashed = leftRunning(dir);
        QString error;
        const qint64 pid = serverPid(dir);
        const QString pidPath = dir + QStringLiteral("/postgres/data/postmaster.pid");
        QFile pidFile(pidPath);
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const QByteArray ready = pidFile.readAll();
        pidFile.close();
        QList<QByteArray> lines = ready.split('\n');
        QVERIFY(lines.size() >= 8);
        lines[4] = "";
        lines[7] = "starting";
        auto rewrite = [&pidPath](const QByteArray &content) {
            QFile f(pidPath);
            if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
                qFatal("cannot rewrite %s", qPrintable(pidPath));
        };
        rewrite(lines.join('\n'));
        std::thread readyLater([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(800));
            rewrite(ready);
        });
        EmbeddedPostgres next({dir, {}, 5432, false});
        const bool started = next.start(&error);
        readyLater.join();
        QVERIFY2(started, qPrintable(error));
        QVERIFY(next.adoptedRunningServer());
        QCOMPARE(serverPid(dir), pid);
        QCOMPARE(test::queryValue(next.connectionString(), QStringLiteral("SELECT 1")),
                 QStringLiteral("1"));
        next.stop();
        QVERIFY(!alive(pid));
        delete crashed;
    }

    void stalePidFileIsNoObstacle()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        QString error;
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QVERIFY2(pg.start(&error), qPrintable(error));
        }
        QFile pidFile(dir + QStringLiteral("/postgres/data/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::WriteOnly));
        pidFile.write("999999\n/x\n1\n5432\n/tmp\n");
        pidFile.close();
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QVERIFY2(pg.start(&error), qPrintable(error));
        QVERIFY(!pg.adoptedRunningServer());
    }

    void refusesAForeignNonEmptyDirectory()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        QDir().mkpath(dir + QStringLiteral("/postgres/data"));
        QFile junk(dir + QStringLiteral("/postgres/data/notes.txt"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("mine");
        junk.close();
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QString error;
        QVERIFY(!pg.start(&error));
        QVERIFY2(error.contains(QStringLiteral("not empty")), qPrintable(error));
    }

    void missingBinariesAreNamed()
    {
        QTemporaryDir tmp;
        EmbeddedPostgres pg({tmp.path(), QStringLiteral("/nonexistent/bin"), 5432, false});
        QString error;
        QVERIFY(!pg.start(&error));
        QVERIFY2(error.contains(QStringLiteral("pg_ctl")), qPrintable(error));
        qputenv("ALABOS_PG_BINDIR", "/nonexistent/bin");
        QVERIFY(EmbeddedPostgres::findBinDir(&error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("ALABOS_PG_BINDIR")), qPrintable(error));
        qunsetenv("ALABOS_PG_BINDIR");
    }
};

QTEST_GUILESS_MAIN(TstEmbeddedPostgres)
#include "tst_embeddedpostgres.moc"
