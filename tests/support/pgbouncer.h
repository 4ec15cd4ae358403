#pragma once
// Debian's PgBouncer in front of the test server, in transaction pool mode with one server
// connection shared by all its clients; paused and resumed as an operator would (SIGUSR1,
// SIGUSR2) to cut the connection to the database without stopping it.
#include "tests/support/testdatabase.h"

#include <QFile>
#include <QMap>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <pqxx/pqxx>
#include <unistd.h>

namespace alabos::test {

class PgBouncer
{
public:
    QString pooled;      // as the application role
    QString pooledOwner; // as the owner role: migrations and retention

    // Starts it for the database `dbName` of the test server; an error message, or empty.
    QString start(const QString &dbName)
    {
        const QString bin = QStringLiteral("/usr/sbin/pgbouncer");
        if (!QFile::exists(bin))
            return QStringLiteral("pgbouncer is not installed (scripts/install-deps installs it)");
        int port = 0;
        {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0)) return QStringLiteral("no free port");
            port = probe.serverPort();
        }
        m_path = makeSharedTempDir(m_dir);
        // PgBouncer logs in to the server itself, with the roles' passwords from the passfile;
        // clients of the pooler need none (auth_type any), as on a host only alabos uses.
        QMap<QString, QString> passwords;
        QFile passFile(TestDatabase::instance().server().passFile());
        if (!passFile.open(QIODevice::ReadOnly)) return QStringLiteral("no passfile");
        for (const QByteArray &line : passFile.readAll().trimmed().split('\n')) {
            const QList<QByteArray> fields = line.split(':');
            if (fields.size() != 5) return QStringLiteral("unexpected passfile line");
            passwords.insert(QString::fromUtf8(fields[3]), QString::fromUtf8(fields[4]));
        }
        const QString server = QStringLiteral("host=%1 port=%2 dbname=%3")
                                   .arg(TestDatabase::instance().server().socketDir())
                                   .arg(TestDatabase::instance().server().port())
                                   .arg(dbName);
        QFile ini(m_path + QStringLiteral("/pgbouncer.ini"));
        if (!ini.open(QIODevice::WriteOnly)) return QStringLiteral("cannot write pgbouncer.ini");
        ini.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        ini.write(QStringLiteral("[databases]\n"
                                 "%1 = %2 user=alabos_app password=%3\n"
                                 "%1_owner = %2 user=alabos_owner password=%4\n"
                                 "[pgbouncer]\n"
                                 "listen_addr = 127.0.0.1\nlisten_port = %5\nunix_socket_dir =\n"
                                 "auth_type = any\npool_mode = transaction\n"
                                 "default_pool_size = 1\nmax_client_conn = 50\n"
                                 "logfile = %6/pgbouncer.log\npidfile = %6/pgbouncer.pid\n")
                      .arg(dbName, server, passwords.value(QStringLiteral("alabos_app")),
                           passwords.value(QStringLiteral("alabos_owner")))
                      .arg(port)
                      .arg(m_path)
                      .toUtf8());
        ini.close();
        // pgbouncer refuses to run as root; run it as postgres, like the server.
        if (::geteuid() == 0) {
            if (QProcess::execute(QStringLiteral("chown"),
                                  {QStringLiteral("-R"), QStringLiteral("postgres"), m_path}) != 0)
                return QStringLiteral("chown failed");
            m_process.start(QStringLiteral("runuser"),
                            {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                             bin, ini.fileName()});
        } else {
            m_process.start(bin, {ini.fileName()});
        }
        if (!m_process.waitForStarted()) return QStringLiteral("pgbouncer did not start");
        pooled =
            QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=alabos_app connect_timeout=5")
                .arg(port)
                .arg(dbName);
        pooledOwner =
            QStringLiteral(
                "host=127.0.0.1 port=%1 dbname=%2_owner user=alabos_owner connect_timeout=5")
                .arg(port)
                .arg(dbName);
        for (int i = 0; i < 150; ++i) {
            try {
                pqxx::connection c(pooled.toStdString());
                return {};
            } catch (...) {
                QTest::qWait(100);
            }
        }
        return QStringLiteral("pgbouncer does not accept connections: see %1/pgbouncer.log")
            .arg(m_path);
    }
    // PAUSE: server connections are released as their transactions end; clients' queries wait.
    bool pause() { return signal(SIGUSR1); }
    bool resume() { return signal(SIGUSR2); }
    ~PgBouncer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            // runuser forwards SIGTERM to pgbouncer.
            m_process.terminate();
            if (!m_process.waitForFinished(10000)) m_process.kill();
        }
    }

private:
    bool signal(int sig)
    {
        QFile pidFile(m_path + QStringLiteral("/pgbouncer.pid"));
        if (!pidFile.open(QIODevice::ReadOnly)) return false;
        const pid_t pid = pid_t(pidFile.readAll().trimmed().toLongLong());
        return pid > 0 && ::kill(pid, sig) == 0;
    }

    QTemporaryDir m_dir{QStringLiteral("/tmp/alabos-pgbouncer-XXXXXX")};
    QString m_path;
    QProcess m_process;
};

} // namespace alabos::test
