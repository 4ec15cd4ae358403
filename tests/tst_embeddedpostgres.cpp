#include "core/storage/embeddedpostgres.h"
#include "core/storage/migrations.h"
#include "tests/support/testdatabase.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <pqxx/pqxx>
#include <pwd.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace alabos;

namespace {
qint64 serverPid(const QString &dataDir)
{
    QFile f(dataDir + QStringLiteral("/postgres/data/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
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

// Runs a PostgreSQL program as the server's user, as an older alabos did.
bool runAsServerUser(const QStringList &command)
{
    QStringList cmd = command;
    if (::geteuid() == 0)
        cmd = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"),
                          QStringLiteral("postgres"), QStringLiteral("--")} +
              command;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(cmd.first(), cmd.mid(1));
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("%s failed: %s", qPrintable(cmd.join(u' ')), p.readAll().constData());
        return false;
    }
    return true;
}

// Whether `sql`, run by the connection, is refused for want of a privilege.
bool refused(const QString &connection, const std::string &sql)
{
    pqxx::connection c(connection.toStdString());
    try {
        pqxx::nontransaction tx(c);
        tx.exec0(sql);
    } catch (const pqxx::insufficient_privilege &) {
        return true;
    }
    return false;
}

QByteArray fileText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool hbaTrusts(const QString &dataDir)
{
    for (QByteArray line :
         fileText(dataDir + QStringLiteral("/postgres/data/pg_hba.conf")).split('\n')) {
        if (const qsizetype hash = line.indexOf('#'); hash >= 0) line.truncate(hash);
        if (line.simplified().split(' ').contains("trust")) return true;
    }
    return false;
}

// The old layout's default superuser connection, with no password.
QString withoutPassword(const EmbeddedPostgres &pg, const char *role)
{
    return QStringLiteral("host=%1 port=%2 dbname=alabos user=%3 passfile=/nonexistent "
                          "connect_timeout=5")
        .arg(pg.socketDir())
        .arg(pg.port())
        .arg(QLatin1StringView(role));
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
            pqxx::connection c(pg.ownerConnectionString().toStdString());
            pqxx::work tx(c);
            tx.exec0("CREATE TABLE kept (x int)");
            tx.exec0("INSERT INTO kept VALUES (42)");
            tx.commit();
            pid = serverPid(dir);
            QVERIFY(alive(pid));
        } // destructor stops the server
        // pg_ctl returns once the pid file is gone; the postmaster exits a moment later.
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 10000);
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

    void loginsNeedTheRolesPasswords()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        QVERIFY(!pg.upgradedCluster());
        QVERIFY(!hbaTrusts(dir));
        QVERIFY(
            fileText(dir + QStringLiteral("/postgres/data/pg_hba.conf")).contains("scram-sha-256"));

        struct stat info
        {
        };
        QCOMPARE(::stat(pg.passFile().toLocal8Bit().constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        QCOMPARE(info.st_uid, ::geteuid());
        const QList<QByteArray> lines = fileText(pg.passFile()).trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (const QByteArray &line : lines) {
            const QList<QByteArray> fields = line.split(':');
            QCOMPARE(fields.size(), 5);
            QVERIFY2(fields[4].size() >= 32, line.constData());
            // Connection strings name the file, never a password.
            QVERIFY(!pg.connectionString().contains(QString::fromUtf8(fields[4])));
            QVERIFY(!pg.ownerConnectionString().contains(QString::fromUtf8(fields[4])));
        }

        for (const char *role : {EmbeddedPostgres::kSuperuser, EmbeddedPostgres::kOwnerRole,
                                 EmbeddedPostgres::kAppRole}) {
            bool connected = true;
            try {
                pqxx::connection c(withoutPassword(pg, role).toStdString());
            } catch (const pqxx::broken_connection &e) {
                connected = false;
                QVERIFY2(QByteArray(e.what()).contains("password"), e.what());
            }
            QVERIFY2(!connected, role);
        }
        QCOMPARE(test::queryValue(pg.connectionString(), QStringLiteral("SELECT current_user")),
                 QStringLiteral("alabos_app"));
        QCOMPARE(test::queryValue(pg.connectionString(),
                                  QStringLiteral("SELECT rolsuper OR rolcreatedb OR rolcreaterole "
                                                 "FROM pg_roles WHERE rolname = current_user")),
                 QStringLiteral("f"));
        QCOMPARE(test::queryValue(pg.ownerConnectionString(),
                                  QStringLiteral("SELECT rolsuper FROM pg_roles WHERE rolname = "
                                                 "current_user")),
                 QStringLiteral("f"));
    }

    void theAppRoleWorksButCannotChangeTheAuditTrail()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        {
            pqxx::connection owner(pg.ownerConnectionString().toStdString());
            QVERIFY2(migrate(owner, &error), qPrintable(error));
        }
        const QString app = pg.connectionString();
        test::queryValue(app, QStringLiteral("INSERT INTO audit_log (user_name, action) VALUES "
                                             "('ada', 'sign_in') RETURNING id"));
        QCOMPARE(test::queryValue(app, QStringLiteral("SELECT count(*) FROM audit_log")),
                 QStringLiteral("1"));
        test::queryValue(app, QStringLiteral("INSERT INTO samples (id, barcode, created_at) "
                                             "VALUES (1, 'S-1', now()) RETURNING id"));
        test::queryValue(app, QStringLiteral("UPDATE samples SET metadata = '{\"a\": 1}' "
                                             "WHERE id = 1 RETURNING id"));
        QCOMPARE(test::queryValue(app, QStringLiteral("SELECT metadata->>'a' FROM samples")),
                 QStringLiteral("1"));
        QVERIFY(refused(app, "UPDATE audit_log SET action = 'nothing'"));
        QVERIFY(refused(app, "DELETE FROM audit_log"));
        QVERIFY(refused(app, "TRUNCATE audit_log"));
        QVERIFY(refused(app, "ALTER TABLE audit_log DISABLE TRIGGER ALL"));
        QVERIFY(refused(app, "DROP TABLE audit_log"));
        QVERIFY(refused(app, "CREATE TABLE mine (x int)"));
        QCOMPARE(test::queryValue(app, QStringLiteral("SELECT count(*) FROM audit_log")),
                 QStringLiteral("1"));
        // A table a later migration adds gets the same grants.
        test::queryValue(pg.ownerConnectionString(),
                         QStringLiteral("CREATE TABLE later (x int); SELECT 1"));
        test::queryValue(app, QStringLiteral("INSERT INTO later VALUES (7) RETURNING x"));
        QCOMPARE(test::queryValue(app, QStringLiteral("DELETE FROM later RETURNING x")),
                 QStringLiteral("7"));
    }

    // A cluster an older alabos made: trust logins, everything owned by the superuser.
    void upgradesAClusterAnOlderAlabosMadeInPlace()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        QString error;
        const QString binDir = EmbeddedPostgres::findBinDir(&error);
        QVERIFY2(!binDir.isEmpty(), qPrintable(error));
        const QString base = dir + QStringLiteral("/postgres");
        for (const char *sub : {"data", "log", "run"})
            QVERIFY(QDir().mkpath(base + u'/' + QLatin1StringView(sub)));
        if (::geteuid() == 0)
            QCOMPARE(QProcess::execute(QStringLiteral("chown"),
                                       {QStringLiteral("-R"), QStringLiteral("postgres"), base}),
                     0);
        QFile::setPermissions(base + QStringLiteral("/data"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(
            runAsServerUser({binDir + QStringLiteral("/initdb"), QStringLiteral("-D"),
                             base + QStringLiteral("/data"), QStringLiteral("-U"),
                             QStringLiteral("alabos"), QStringLiteral("-A"),
                             QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                             QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync")}));
        const QStringList pgCtl{binDir + QStringLiteral("/pg_ctl"), QStringLiteral("-D"),
                                base + QStringLiteral("/data")};
        QVERIFY(runAsServerUser(
            pgCtl + QStringList{QStringLiteral("-l"), base + QStringLiteral("/log/postgres.log"),
                                QStringLiteral("-w"), QStringLiteral("-o"),
                                QStringLiteral("-p 5432 -k %1/run -c listen_addresses='' -c "
                                               "fsync=off")
                                    .arg(base),
                                QStringLiteral("start")}));
        const QString old =
            QStringLiteral("host=%1/run port=5432 dbname=%2 user=alabos connect_timeout=10")
                .arg(base);
        test::queryValue(old.arg(QStringLiteral("postgres")),
                         QStringLiteral("CREATE DATABASE alabos"));
        {
            pqxx::connection c(old.arg(QStringLiteral("alabos")).toStdString());
            QVERIFY2(migrate(c, &error, nullptr, 7), qPrintable(error));
        }
        test::queryValue(old.arg(QStringLiteral("alabos")),
                         QStringLiteral("INSERT INTO audit_log (user_name, action) VALUES ('ada', "
                                        "'sign_in') RETURNING id"));
        QVERIFY(runAsServerUser(pgCtl + QStringList{QStringLiteral("-w"), QStringLiteral("stop")}));
        QVERIFY(hbaTrusts(dir));

        const char *ownedBySuperuser =
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relowner = 'alabos'::regrole UNION ALL "
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proowner = 'alabos'::regrole UNION ALL "
            "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typowner = 'alabos'::regrole";
        for (int round = 0; round < 3; ++round) {
            // Round 1: a crash after the roles were made but before pg_hba.conf was
            // rewritten leaves trust in it: the next start finishes the upgrade.
            if (round == 1) {
                QFile hba(base + QStringLiteral("/data/pg_hba.conf"));
                QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
                hba.write("local all all trust\n");
            }
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QVERIFY2(pg.start(&error), qPrintable(error));
            QVERIFY(pg.reusedCluster());
            QCOMPARE(pg.upgradedCluster(), round != 2);
            QVERIFY(!hbaTrusts(dir));
            QVERIFY(QFileInfo::exists(pg.passFile()));
            const QString owner = pg.ownerConnectionString();
            QCOMPARE(test::queryValue(owner, QStringLiteral("SELECT sum(count) FROM (%1) c")
                                                 .arg(QString::fromLatin1(ownedBySuperuser))),
                     QStringLiteral("0"));
            QCOMPARE(test::queryValue(owner, QStringLiteral("SELECT tableowner FROM pg_tables "
                                                            "WHERE tablename = 'audit_log'")),
                     QStringLiteral("alabos_owner"));
            QCOMPARE(
                test::queryValue(owner, QStringLiteral("SELECT pg_get_userbyid(datdba) FROM "
                                                       "pg_database WHERE datname = 'alabos'")),
                QStringLiteral("alabos_owner"));
            {
                pqxx::connection c(owner.toStdString());
                MigrationReport report;
                QVERIFY2(migrate(c, &error, &report), qPrintable(error));
                QCOMPARE(report.toVersion, latestSchemaVersion());
            }
            const QString app = pg.connectionString();
            QCOMPARE(test::queryValue(app, QStringLiteral("SELECT count(*) FROM audit_log WHERE "
                                                          "user_name = 'ada'")),
                     QStringLiteral("1"));
            test::queryValue(app, QStringLiteral("INSERT INTO samples (id, barcode, created_at) "
                                                 "VALUES (%1, 'S-%1', now()) RETURNING id")
                                      .arg(round + 1));
            QVERIFY(refused(app, "UPDATE audit_log SET action = 'nothing'"));
            QVERIFY(refused(app, "DELETE FROM audit_log"));
            QVERIFY(refused(app, "TRUNCATE audit_log"));
            QVERIFY(refused(app, "ALTER TABLE audit_log DISABLE TRIGGER ALL"));
            bool connected = true;
            try {
                pqxx::connection c(withoutPassword(pg, EmbeddedPostgres::kSuperuser).toStdString());
            } catch (const pqxx::broken_connection &) {
                connected = false;
            }
            QVERIFY(!connected);
        }
    }

    void aLostPassfileIsNamedAndTrustSetsNewPasswords()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-pg-XXXXXX"));
        const QString dir = test::makeSharedTempDir(tmp);
        QString error;
        QString passFile;
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QVERIFY2(pg.start(&error), qPrintable(error));
            passFile = pg.passFile();
        }
        QVERIFY(QFile::remove(passFile));
        {
            EmbeddedPostgres pg({dir, {}, 5432, false});
            QVERIFY(!pg.start(&error));
            QVERIFY2(error.contains(passFile) && error.contains(QStringLiteral("trust")),
                     qPrintable(error));
        }
        QFile hba(dir + QStringLiteral("/postgres/data/pg_hba.conf"));
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write("local all all trust\n");
        hba.close();
        EmbeddedPostgres pg({dir, {}, 5432, false});
        QVERIFY2(pg.start(&error), qPrintable(error));
        QVERIFY(pg.upgradedCluster());
        QVERIFY(!hbaTrusts(dir));
        QCOMPARE(test::queryValue(pg.connectionString(), QStringLiteral("SELECT current_user")),
                 QStringLiteral("alabos_app"));
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
        QCOMPARE(test::queryValue(next.connectionString(), QStringLiteral("SELECT 1")),
                 QStringLiteral("1"));
        next.stop();
        // pg_ctl returns once the pid file is gone; the postmaster exits a moment later.
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 10000);
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
        // pg_ctl returns once the pid file is gone; the postmaster exits a moment later.
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 10000);
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
