#pragma once
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace alabos {

// A private PostgreSQL cluster in alabos' data directory, run with the
// distribution's initdb/pg_ctl. Reused on the next start; stopped by stop() or the
// destructor. Started as root, the server runs as the unprivileged `postgres` user.
class EmbeddedPostgres
{
public:
    struct Options
    {
        QString dataDir;    // alabos' data directory; the cluster lives in dataDir/postgres
        QString binDir;     // empty: the newest /usr/lib/postgresql/*/bin
        int port = 5432;    // only names the socket file: the server listens on no TCP port
        bool durable = true; // false (tests): no fsync, much faster and not crash-safe
    };

    explicit EmbeddedPostgres(Options options);
    ~EmbeddedPostgres();
    EmbeddedPostgres(const EmbeddedPostgres &) = delete;
    EmbeddedPostgres &operator=(const EmbeddedPostgres &) = delete;

    // Creates the cluster if needed, starts it and makes sure the alabos database
    // exists. On failure returns false with a message a person can act on.
    bool start(QString *error);
    void stop();
    bool isRunning() const { return m_started; }

    QString connectionString(const QString &database = QStringLiteral("alabos")) const;
    QString clusterDir() const;
    QString socketDir() const { return m_socketDir; }
    int port() const { return m_port; }
    // True when start() found an existing cluster instead of creating one.
    bool reusedCluster() const { return m_reused; }
    // True when start() adopted a server an earlier alabos left running (after kill -9).
    bool adoptedRunningServer() const { return m_adopted; }

    static QString findBinDir(QString *error);
    // True for a running process; false for none and for a zombie awaiting its reaper.
    static bool processAlive(qint64 pid);

private:
    bool run(const QString &program, const QStringList &args, int timeoutMs, QString *output);
    QStringList asServerUser(const QString &program, const QStringList &args) const;
    bool prepareDirectories(QString *error);
    // For a data directory too long for a socket path: a private folder in /tmp, owned by
    // `owner` with mode 0700, its name recorded in CLUSTER/socket-dir and checked again at
    // every start; false with a message naming the folder and what is wrong with it.
    bool prepareShortSocketDir(uid_t owner, gid_t group, QString *error);
    bool readRunningServer(qint64 *pid, int *port, QString *socketDir) const;
    QString logTail() const;

    Options m_options;
    QString m_binDir;
    QString m_socketDir;
    int m_port = 0;
    bool m_started = false;
    bool m_reused = false;
    bool m_adopted = false;
    bool m_asRoot = false;
};

} // namespace alabos
