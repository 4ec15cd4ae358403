#pragma once
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <sys/types.h>

class QTimer;

namespace alabos {

// A private PostgreSQL cluster in alabos' data directory, run with the
// distribution's initdb/pg_ctl. Reused on the next start; stopped by stop() or the
// destructor. Started as root, the server runs as the unprivileged `postgres` user.
//
// Least privilege: the server accepts only socket logins with a scram-sha-256 password.
// Three roles, whose generated passwords live in a 0600 libpq passfile (passFile()) owned
// by the user running alabos; connection strings name that file, never a password:
//   alabos        the bootstrap superuser: creates roles and databases, upgrades
//   alabos_owner  owns the schema objects; migrations and retention run as it
//   alabos_app    owns nothing; reads and writes the tables, but only SELECT and INSERT on
//                 audit_log, so it can neither change the audit trail nor disable its trigger
// A cluster made by an older alabos (trust logins, everything owned by the superuser) is
// upgraded in place by start(); every step is idempotent, so a crash half-way resumes.
class EmbeddedPostgres
{
public:
    static constexpr auto kSuperuser = "alabos";
    static constexpr auto kOwnerRole = "alabos_owner";
    static constexpr auto kAppRole = "alabos_app";

    struct Options
    {
        QString dataDir;     // alabos' data directory; the cluster lives in dataDir/postgres
        QString binDir;      // empty: the newest /usr/lib/postgresql/*/bin
        int port = 5432;     // only names the socket file: the server listens on no TCP port
        bool durable = true; // false (tests): no fsync, much faster and not crash-safe
        // The storage writer commits a group's two parts by two-phase commit; 0 (tests of a
        // server without it) makes it commit each group in one transaction.
        int preparedTransactions = 16;
    };

    explicit EmbeddedPostgres(Options options);
    ~EmbeddedPostgres();
    EmbeddedPostgres(const EmbeddedPostgres &) = delete;
    EmbeddedPostgres &operator=(const EmbeddedPostgres &) = delete;

    // Creates the cluster if needed, starts it and makes sure the alabos database
    // exists. On failure returns false with a message a person can act on.
    bool start(QString *error);
    void stop();
    // The server this object started still runs (its pid file names a live postmaster).
    bool serverAlive() const;
    // Starts the server again after it died, with the same cluster and settings.
    bool restart(QString *error);
    bool isRunning() const { return m_started; }
    // The postmaster's process id (its pid file); 0 when no server runs.
    qint64 serverPid() const;

    // The application role's connection: everything the running lab does.
    QString connectionString(const QString &database = QStringLiteral("alabos")) const;
    // The owner role's connection: schema migrations and partition retention.
    QString ownerConnectionString(const QString &database = QStringLiteral("alabos")) const;
    // The bootstrap superuser's connection: creating databases and roles only.
    QString superuserConnectionString(const QString &database = QStringLiteral("postgres")) const;
    // Creates `database` owned by the owner role, with default privileges so that every table,
    // sequence and function the owner creates in it is usable by the app role. Idempotent.
    bool createDatabase(const QString &database, QString *error);
    // The libpq passfile holding the three roles' generated passwords.
    QString passFile() const;
    // True when start() upgraded a cluster an older alabos made (trust logins).
    bool upgradedCluster() const { return m_upgraded; }
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
    bool startServer(QString *error);
    bool readRunningServer(qint64 *pid, int *port, QString *socketDir) const;
    QString logTail() const;
    QString connectionFor(const char *role, const QString &database) const;
    bool loadOrCreatePasswords(bool fresh, QString *error);
    bool writeHbaConf(QString *error);
    bool hbaTrustsAnyone() const;
    bool ensureRolesAndDatabase(bool upgrading, QString *error);
    bool setUpDatabase(const QString &database, QString *error);

    Options m_options;
    QString m_binDir;
    QString m_socketDir;
    int m_port = 0;
    bool m_started = false;
    bool m_reused = false;
    bool m_adopted = false;
    bool m_asRoot = false;
    bool m_upgraded = false;
    QMap<QString, QString> m_passwords; // role -> password, as in passFile()
};

// Keeps the embedded server running: alabos owns it, so when it dies (killed, crashed, its
// disk full) alabos starts it again, with backoff. Lives on a thread of its own: a restart
// waits for pg_ctl. The server object must outlive it.
class PostgresKeeper : public QObject
{
    Q_OBJECT
public:
    explicit PostgresKeeper(EmbeddedPostgres *server, QObject *parent = nullptr);

public Q_SLOTS:
    void start();

    // Free space under which the disk holding the cluster counts as nearly full.
    static qint64 lowSpaceBytes(qint64 diskBytes) { return qMax<qint64>(64 << 20, diskBytes / 20); }

Q_SIGNALS:
    void died(const QString &message);
    void restarted(const QString &message);
    // The disk holding the cluster is nearly full (low), or has room again.
    void diskSpaceChanged(bool low, const QString &message);

private:
    void check();
    void checkDiskSpace();

    EmbeddedPostgres *m_server;
    QTimer *m_timer = nullptr;
    qint64 m_diedAtMs = 0;
    int m_attempts = 0;
    bool m_diskLow = false;
    QString m_diskMessage;
};

} // namespace alabos
