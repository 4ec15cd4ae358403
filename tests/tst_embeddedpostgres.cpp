#include "core/storage/embeddedpostgres.h"
#include "tests/support/testdatabase.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

#include <pqxx/pqxx>

#include <csignal>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

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
// A data directory under `tmp` too long for a socket path, so the server's socket goes to /tmp.
QString longDataDir(const QTemporaryDir &tmp)
{
    const QString dir = tmp.path() + u'/' + QString(90, u'd');
    QDir().mkpath(dir);
    return dir;
}
// The user the embedded server runs as: `postgres` when the test runs as root.
uid_t serverUid()
{
    if (::geteuid() != 0) return ::geteuid();
    const passwd *pw = ::getpwnam("postgres");
    return pw ? pw->pw_uid : 0;
}
// Records `socketDir` as the cluster's socket folder, as an earlier start would have.
bool recordSocketDir(const QString &dataDir, const QString &socketDir)
{
    QDir().mkpath(dataDir + QStringLiteral("/postgres"));
    QFile f(dataDir + QStringLiteral("/postgres/socket-dir"));
    return f.open(QIODevice::WriteOnly) && f.write(QFile::encodeName(socketDir) + '\n') > 0;
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

    void longDataDirectoryGetsAPrivateSocketFolderReusedNextTime()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        test::makeSharedTempDir(tmp);
        const QString dir = longDataDir(tmp);
        QFile::setPermissions(dir, QFile::permissions(tmp.path()));
        QString socketDir;
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QString error;
            QVERIFY2(pg.start(&error), qPrintable(error));
            socketDir = pg.socketDir();
            QVERIFY2(socketDir.startsWith(QStringLiteral("/tmp/alabos-pg-")),
                     qPrintable(socketDir));
            struct stat st;
            QCOMPARE(::lstat(QFile::encodeName(socketDir).constData(), &st), 0);
            QVERIFY(S_ISDIR(st.st_mode));
            QCOMPARE(st.st_mode & 07777, mode_t(0700));
            QCOMPARE(st.st_uid, serverUid());
            QFile record(dir + QStringLiteral("/postgres/socket-dir"));
            QVERIFY(record.open(QIODevice::ReadOnly));
            QCOMPARE(QString::fromLocal8Bit(record.readAll()).trimmed(), socketDir);
            QCOMPARE(test::queryValue(pg.connectionString(), QStringLiteral("SELECT 1")),
                     QStringLiteral("1"));
        }
        EmbeddedPostgres again({dir, {}, 5432, false});
        QString error;
        QVERIFY2(again.start(&error), qPrintable(error));
        QCOMPARE(again.socketDir(), socketDir);
        QCOMPARE(test::queryValue(again.connectionString(), QStringLiteral("SELECT 1")),
                 QStringLiteral("1"));
        again.stop();
        QDir(socketDir).removeRecursively();
    }

    void untrustworthySocketFolderIsRefused()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        test::makeSharedTempDir(tmp);
        const QString dir = longDataDir(tmp);
        // A folder someone else could have made at the recorded name: open to all.
        QTemporaryDir open(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        QCOMPARE(::chmod(QFile::encodeName(open.path()).constData(), 0777), 0);
        QCOMPARE(::chown(QFile::encodeName(open.path()).constData(), serverUid(), gid_t(-1)), 0);
        QVERIFY(recordSocketDir(dir, open.path()));
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QString error;
            QVERIFY(!pg.start(&error));
            QVERIFY2(error.contains(open.path()) && error.contains(QStringLiteral("mode is 0777")),
                     qPrintable(error));
        }
        // A symbolic link at the recorded name, to a folder of the right owner and mode.
        QTemporaryDir target(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        QCOMPARE(::chmod(QFile::encodeName(target.path()).constData(), 0700), 0);
        QCOMPARE(::chown(QFile::encodeName(target.path()).constData(), serverUid(), gid_t(-1)), 0);
        const QString link = target.path() + QStringLiteral("-link");
        QVERIFY(QFile::link(target.path(), link));
        QVERIFY(recordSocketDir(dir, link));
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QString error;
            QVERIFY(!pg.start(&error));
            QVERIFY2(error.contains(link) && error.contains(QStringLiteral("symbolic link")),
                     qPrintable(error));
        }
        QFile::remove(link);
        // A recorded name outside the folders alabos makes is refused too.
        QVERIFY(recordSocketDir(dir, QStringLiteral("/etc")));
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QString error;
        QVERIFY(!pg.start(&error));
        QVERIFY2(error.contains(QStringLiteral("socket-dir")) &&
                     error.contains(QStringLiteral("/etc")),
                 qPrintable(error));
    }

    void ownershipWalkNeverFollowsALink()
    {
        if (::geteuid() != 0) QSKIP("only root hands the cluster to the postgres user");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        // Root's file and folder outside the data directory, linked from inside the cluster.
        QTemporaryDir outside(QStringLiteral("/tmp/alabos-outside-XXXXXX"));
        const QString secretFile = outside.path() + QStringLiteral("/shadow");
        QFile f(secretFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("root only");
        f.close();
        const QString cluster = dir + QStringLiteral("/postgres");
        QVERIFY(QDir().mkpath(cluster + QStringLiteral("/log")));
        QVERIFY(QFile::link(secretFile, cluster + QStringLiteral("/log/evil-file")));
        QVERIFY(QFile::link(outside.path(), cluster + QStringLiteral("/evil-dir")));
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        struct stat st;
        for (const QString &path : {secretFile, outside.path()}) {
            QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
            QVERIFY2(st.st_uid == 0, qPrintable(path));
        }
        // The links themselves are the server's, like everything else in the cluster.
        QCOMPARE(::lstat(QFile::encodeName(cluster + QStringLiteral("/evil-dir")).constData(), &st),
                 0);
        QCOMPARE(st.st_uid, serverUid());
        pg.stop();
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
