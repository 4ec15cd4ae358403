#include "core/storage/embeddedpostgres.h"

#include "core/domain/logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QVersionNumber>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <pqxx/pqxx>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace alabos {

namespace {
// PostgreSQL's defaults (128 MB of shared buffers, 1 GB of WAL between checkpoints) suit a
// small shared server. The embedded one serves one lab on this machine: an eighth of its
// memory for the buffer cache keeps the recent events, tasks and telemetry of a busy day in
// it (the last-events query reads ~130 pages), and 4 GB of WAL between checkpoints keeps a
// burst of writes from forcing one every few seconds.
QStringList memorySettings()
{
    const qint64 pages = sysconf(_SC_PHYS_PAGES);
    const qint64 pageSize = sysconf(_SC_PAGESIZE);
    qint64 ramMb = pages > 0 && pageSize > 0 ? pages * pageSize / (1024 * 1024) : 0;
    // In a container the limit of its cgroup, not the host's memory, is what there is.
    QFile limit(QStringLiteral("/sys/fs/cgroup/memory.max"));
    if (limit.open(QIODevice::ReadOnly)) {
        bool ok = false;
        const qint64 limitMb = limit.readAll().trimmed().toLongLong(&ok) / (1024 * 1024);
        if (ok && limitMb > 0) ramMb = ramMb > 0 ? std::min(ramMb, limitMb) : limitMb;
    }
    const qint64 sharedMb = std::clamp<qint64>(ramMb / 8, 128, 4096);
    const qint64 cacheMb = std::max<qint64>(ramMb / 2, 4 * sharedMb);
    return {QStringLiteral("-c shared_buffers=%1MB").arg(sharedMb),
            QStringLiteral("-c effective_cache_size=%1MB").arg(cacheMb),
            QStringLiteral("-c max_wal_size=4GB")};
}

constexpr auto kServerUser = "postgres";
constexpr int kPasswordLength = 40;

// URL-safe characters only: no ':' or '\' to escape in the passfile, no quote in SQL.
QString generatePassword()
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString out;
    out.reserve(kPasswordLength);
    for (int i = 0; i < kPasswordLength; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(64)]);
    return out;
}

// A conninfo value, quoted when it holds anything but plain characters.
QString conninfoValue(const QString &value)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./-]+$"));
    if (plain.match(value).hasMatch()) return value;
    QString escaped = value;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + escaped + u'\'';
}

// Writes `content` to `path` through a new 0600 file renamed over it, so a crash leaves the
// old file or the new one, and the content is never readable by others, not even briefly.
bool writePrivateFile(const QString &path, const QByteArray &content, uid_t uid, gid_t gid,
                      QString *error)
{
    const QString temporary = path + QStringLiteral(".new");
    QFile::remove(temporary);
    QFile file(temporary);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner) ||
        ::fchown(file.handle(), uid, gid) != 0 || file.write(content) != content.size() ||
        !file.flush() || ::fsync(file.handle()) != 0) {
        *error = QObject::tr("cannot write %1: %2").arg(temporary, file.errorString());
        file.close();
        QFile::remove(temporary);
        return false;
    }
    file.close();
    if (::rename(temporary.toLocal8Bit().constData(), path.toLocal8Bit().constData()) != 0) {
        *error = QObject::tr("cannot replace %1: %2")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        QFile::remove(temporary);
        return false;
    }
    return true;
}
constexpr int kSocketPathLimit = 100; // sun_path is 108 bytes including ".s.PGSQL.NNNNN"
constexpr auto kSocketDirPrefix = "/tmp/alabos-pg-";

// A server left running by a crashed alabos creates and deletes files while this walks the
// tree: a file gone since the listing needs no owner. lchown: a link is never followed, so a
// link planted in the tree cannot hand its target (say /etc/shadow) to the server's user.
bool lchownOrGone(const QString &path, uid_t uid, gid_t gid)
{
    return ::lchown(QFile::encodeName(path).constData(), uid, gid) == 0 || errno == ENOENT;
}

bool chownEntries(const QString &dir, uid_t uid, gid_t gid)
{
    const auto entries = QDir(dir).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot |
                                                 QDir::Hidden | QDir::System);
    for (const QFileInfo &info : entries) {
        const QString path = info.absoluteFilePath();
        if (!lchownOrGone(path, uid, gid)) return false;
        // lstat, not QFileInfo::isDir (which follows links): only real directories are entered.
        struct stat st;
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
            if (errno == ENOENT) continue;
            return false;
        }
        if (S_ISDIR(st.st_mode) && !chownEntries(path, uid, gid)) return false;
    }
    return true;
}

// `root` itself is the cluster directory the operator chose (it may be a link they made to
// another disk); everything below it is walked without following a link.
bool chownTree(const QString &root, uid_t uid, gid_t gid)
{
    if (::chown(QFile::encodeName(root).constData(), uid, gid) != 0) return false;
    return chownEntries(root, uid, gid);
}
} // namespace

EmbeddedPostgres::EmbeddedPostgres(Options options)
    : m_options(std::move(options)), m_port(m_options.port), m_asRoot(::geteuid() == 0)
{
}

EmbeddedPostgres::~EmbeddedPostgres()
{
    stop();
}

QString EmbeddedPostgres::findBinDir(QString *error)
{
    if (const QByteArray env = qgetenv("ALABOS_PG_BINDIR"); !env.isEmpty()) {
        const QString dir = QString::fromLocal8Bit(env);
        if (QFileInfo(dir + QStringLiteral("/pg_ctl")).isExecutable()) return dir;
        if (error) *error = QObject::tr("ALABOS_PG_BINDIR=%1 holds no executable pg_ctl").arg(dir);
        return {};
    }
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QVersionNumber best;
    QString bestDir;
    for (const QString &entry : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString dir = root.filePath(entry) + QStringLiteral("/bin");
        const auto version = QVersionNumber::fromString(entry);
        if (QFileInfo(dir + QStringLiteral("/initdb")).isExecutable() && version > best) {
            best = version;
            bestDir = dir;
        }
    }
    if (bestDir.isEmpty() && error)
        *error = QObject::tr("PostgreSQL server binaries (initdb, pg_ctl) were not found under "
                             "/usr/lib/postgresql/*/bin. Install them with "
                             "'sudo apt-get install postgresql', set ALABOS_PG_BINDIR, or point "
                             "alabos at a server with --database-url.");
    return bestDir;
}

bool EmbeddedPostgres::processAlive(qint64 pid)
{
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)) return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) return true;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || close + 2 >= line.size() || line.at(close + 2) != 'Z';
}

qint64 EmbeddedPostgres::serverPid() const
{
    qint64 pid = 0;
    int port = 0;
    QString socketDir;
    return readRunningServer(&pid, &port, &socketDir) ? pid : 0;
}

QString EmbeddedPostgres::clusterDir() const
{
    return QDir(m_options.dataDir).absoluteFilePath(QStringLiteral("postgres"));
}

QStringList EmbeddedPostgres::asServerUser(const QString &program, const QStringList &args) const
{
    // setsid: the server gets its own session, so a Ctrl-C in the terminal reaches alabos,
    // which then stops the server in order, instead of reaching the server directly.
    QStringList cmd{QStringLiteral("setsid")};
    if (m_asRoot)
        cmd << QStringLiteral("runuser") << QStringLiteral("-u") << QLatin1StringView(kServerUser)
            << QStringLiteral("--");
    cmd << program << args;
    return cmd;
}

bool EmbeddedPostgres::run(const QString &program, const QStringList &args, int timeoutMs,
                           QString *output)
{
    const QStringList cmd = asServerUser(program, args);
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(cmd.first(), cmd.mid(1));
    if (!process.waitForStarted(10000)) {
        if (output)
            *output =
                QObject::tr("could not run %1: %2").arg(cmd.join(u' '), process.errorString());
        return false;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        if (output)
            *output = QObject::tr("%1 did not finish within %2 s")
                          .arg(QFileInfo(program).fileName())
                          .arg(timeoutMs / 1000);
        return false;
    }
    if (output) *output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool EmbeddedPostgres::prepareShortSocketDir(uid_t owner, gid_t group, QString *error)
{
    // /tmp is everyone's: a folder there is trusted only if it is a real directory, the
    // server's user owns it and nobody else may enter it. Its random name is recorded in the
    // cluster directory so the next start uses the same one.
    const QString record = clusterDir() + QStringLiteral("/socket-dir");
    QFile recordFile(record);
    if (recordFile.exists()) {
        if (!recordFile.open(QIODevice::ReadOnly)) {
            *error =
                QObject::tr("cannot read %1: check permissions of the data directory").arg(record);
            return false;
        }
        const QString recorded = QString::fromLocal8Bit(recordFile.read(256)).trimmed();
        recordFile.close();
        if (!recorded.startsWith(QLatin1StringView(kSocketDirPrefix)) ||
            recorded.toLocal8Bit().size() > kSocketPathLimit - 16 ||
            recorded.contains(QLatin1StringView("/.."))) {
            *error = QObject::tr("%1 names \"%2\", which is not a socket folder alabos made (%3"
                                 "XXXXXX); delete %1 and start again")
                         .arg(record, recorded.left(100), QLatin1StringView(kSocketDirPrefix));
            return false;
        }
        struct stat st;
        if (::lstat(QFile::encodeName(recorded).constData(), &st) == 0) {
            QString wrong;
            if (S_ISLNK(st.st_mode))
                wrong = QObject::tr("it is a symbolic link");
            else if (!S_ISDIR(st.st_mode))
                wrong = QObject::tr("it is not a directory");
            else if (st.st_uid != owner)
                wrong = QObject::tr("it is owned by uid %1, not by uid %2 that runs the server")
                            .arg(st.st_uid)
                            .arg(owner);
            else if ((st.st_mode & 07777) != 0700)
                wrong = QObject::tr("its mode is %1, not 0700")
                            .arg(QString::number(st.st_mode & 07777, 8).rightJustified(4, u'0'));
            if (!wrong.isEmpty()) {
                *error = QObject::tr("refusing the PostgreSQL socket folder %1: %2 (someone "
                                     "else may have made it; remove it, then start again)")
                             .arg(recorded, wrong);
                return false;
            }
            m_socketDir = recorded;
            return true;
        }
        if (errno != ENOENT) {
            *error = QObject::tr("cannot inspect the PostgreSQL socket folder %1: %2")
                         .arg(recorded, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        // Gone (/tmp is emptied at boot): a new one below.
    }
    QByteArray name = QByteArray(kSocketDirPrefix) + "XXXXXX";
    if (!::mkdtemp(name.data())) {
        *error = QObject::tr("cannot create a PostgreSQL socket folder in /tmp: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (::geteuid() != owner && ::lchown(name.constData(), owner, group) != 0) {
        *error = QObject::tr("cannot hand the PostgreSQL socket folder %1 to uid %2: %3")
                     .arg(QString::fromLocal8Bit(name))
                     .arg(owner)
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        ::rmdir(name.constData());
        return false;
    }
    if (!recordFile.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        recordFile.write(name + '\n') != name.size() + 1 || !recordFile.flush()) {
        *error =
            QObject::tr("cannot write %1: check permissions of the data directory").arg(record);
        ::rmdir(name.constData());
        return false;
    }
    m_socketDir = QString::fromLocal8Bit(name);
    return true;
}

bool EmbeddedPostgres::prepareDirectories(QString *error)
{
    const QString base = clusterDir();
    for (const char *sub : {"data", "log", "run"}) {
        if (!QDir().mkpath(base + u'/' + QLatin1StringView(sub))) {
            *error = QObject::tr("cannot create %1/%2: check permissions of the data directory")
                         .arg(base, QLatin1StringView(sub));
            return false;
        }
    }
    QFile::setPermissions(base + QStringLiteral("/data"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const passwd *pw = nullptr;
    if (m_asRoot) {
        pw = ::getpwnam(kServerUser);
        if (!pw) {
            *error = QObject::tr("alabos runs as root, and PostgreSQL refuses to run as root, but "
                                 "there is no '%1' user to run it as. Install the postgresql "
                                 "package or run alabos as a normal user.")
                         .arg(QLatin1StringView(kServerUser));
            return false;
        }
        if (!chownTree(base, pw->pw_uid, pw->pw_gid)) {
            *error = QObject::tr("cannot hand %1 to the '%2' user")
                         .arg(base, QLatin1StringView(kServerUser));
            return false;
        }
        // The passwords are the client's: the server's user has no need to read them.
        if (QFileInfo::exists(passFile()) &&
            ::chown(passFile().toLocal8Bit().constData(), ::geteuid(), ::getegid()) != 0) {
            *error = QObject::tr("cannot take back %1 from the '%2' user")
                         .arg(passFile(), QLatin1StringView(kServerUser));
            return false;
        }
    }
    // A socket path must fit in sun_path; long data directories get a short one in /tmp.
    m_socketDir = base + QStringLiteral("/run");
    if (m_socketDir.toLocal8Bit().size() > kSocketPathLimit - 16 &&
        !prepareShortSocketDir(pw ? pw->pw_uid : ::geteuid(), pw ? pw->pw_gid : ::getegid(), error))
        return false;
    if (m_asRoot) {
        // Every directory on the path must be traversable by the server's user.
        QString out;
        if (!run(QStringLiteral("test"), {QStringLiteral("-w"), base + QStringLiteral("/data")},
                 10000, &out)) {
            *error = QObject::tr("The PostgreSQL server runs as user '%1', which cannot reach %2 "
                                 "(a directory on the path is not traversable for it, as /root "
                                 "is). Choose a data directory such as /var/lib/alabos with "
                                 "--data-dir.")
                         .arg(QLatin1StringView(kServerUser), base);
            return false;
        }
    }
    return true;
}

bool EmbeddedPostgres::readRunningServer(qint64 *pid, int *port, QString *socketDir) const
{
    // An alabos killed while its server was still starting or stopping leaves a server whose
    // pid file is not complete yet (the socket line is written once the socket exists, the
    // last line says "starting", "ready" or "stopping"). Wait until it is ready, or gone.
    QDeadlineTimer deadline(60000);
    while (true) {
        QFile pidFile(clusterDir() + QStringLiteral("/data/postmaster.pid"));
        if (!pidFile.open(QIODevice::ReadOnly)) return false;
        const QList<QByteArray> lines = pidFile.readAll().split('\n');
        pidFile.close();
        bool ok = false;
        *pid = lines.value(0).trimmed().toLongLong(&ok);
        if (!ok || *pid <= 0 || !processAlive(*pid))
            return false; // stale or half-written pid file: the server's start replaces it
        *port = lines.value(3).trimmed().toInt();
        *socketDir = QString::fromLocal8Bit(lines.value(4).trimmed());
        const QByteArray status = lines.value(7).trimmed();
        if (status == "ready" && *port > 0 && !socketDir->isEmpty()) return true;
        if (deadline.hasExpired()) {
            qCWarning(lcStorage) << "the PostgreSQL server left running (pid" << *pid
                                 << ") is still" << (status.isEmpty() ? "starting" : status)
                                 << "after 60 s; starting our own";
            return false;
        }
        QThread::msleep(100);
    }
}

QString EmbeddedPostgres::logTail() const
{
    QFile log(clusterDir() + QStringLiteral("/log/postgres.log"));
    if (!log.open(QIODevice::ReadOnly)) return {};
    const qint64 size = log.size();
    log.seek(qMax<qint64>(0, size - 1500));
    return QString::fromLocal8Bit(log.readAll()).trimmed();
}

bool EmbeddedPostgres::start(QString *error)
{
    QString scratch;
    if (!error) error = &scratch;
    if (m_started) return true;
    m_binDir = m_options.binDir.isEmpty() ? findBinDir(error) : m_options.binDir;
    if (m_binDir.isEmpty()) return false;
    if (!QFileInfo(m_binDir + QStringLiteral("/pg_ctl")).isExecutable()) {
        *error = QObject::tr("no executable pg_ctl in %1").arg(m_binDir);
        return false;
    }
    if (!prepareDirectories(error)) return false;

    const QString data = clusterDir() + QStringLiteral("/data");
    const QString versionFile = data + QStringLiteral("/PG_VERSION");
    QString out;
    if (QFileInfo::exists(versionFile)) {
        QFile f(versionFile);
        f.open(QIODevice::ReadOnly);
        const QString clusterVersion = QString::fromLatin1(f.readAll()).trimmed();
        const QString binVersion = QFileInfo(m_binDir).dir().dirName();
        if (!binVersion.isEmpty() && binVersion[0].isDigit() && clusterVersion != binVersion) {
            *error = QObject::tr("The database in %1 was made by PostgreSQL %2, but this machine "
                                 "runs PostgreSQL %3. Upgrade it with pg_upgrade or choose "
                                 "another --data-dir.")
                         .arg(data, clusterVersion, binVersion);
            return false;
        }
        m_reused = true;
    } else {
        if (!QDir(data).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
            *error = QObject::tr("%1 is not empty but holds no PostgreSQL cluster (no PG_VERSION); "
                                 "move its contents away or choose another --data-dir.")
                         .arg(data);
            return false;
        }
        qCInfo(lcStorage) << "creating PostgreSQL cluster in" << data;
        if (!loadOrCreatePasswords(true, error)) return false;
        // initdb reads the superuser's password from a file the server's user can read; it
        // lives only as long as initdb runs.
        const QString pwFile = clusterDir() + QStringLiteral("/initdb-password");
        uid_t serverUid = ::geteuid();
        gid_t serverGid = ::getegid();
        if (m_asRoot) {
            const passwd *pw = ::getpwnam(kServerUser);
            serverUid = pw->pw_uid;
            serverGid = pw->pw_gid;
        }
        if (!writePrivateFile(pwFile, m_passwords.value(QLatin1StringView(kSuperuser)).toUtf8(),
                              serverUid, serverGid, error))
            return false;
        QStringList args{QStringLiteral("-D"),
                         data,
                         QStringLiteral("-U"),
                         QLatin1StringView(kSuperuser),
                         QStringLiteral("--auth=scram-sha-256"),
                         QStringLiteral("--pwfile=") + pwFile,
                         QStringLiteral("-E"),
                         QStringLiteral("UTF8"),
                         QStringLiteral("--locale=C.UTF-8")};
        if (!m_options.durable) args << QStringLiteral("--no-sync");
        const bool made = run(m_binDir + QStringLiteral("/initdb"), args, 120000, &out);
        QFile::remove(pwFile);
        if (!made) {
            *error = QObject::tr("initdb failed for %1: %2").arg(data, out.right(1500));
            return false;
        }
        if (!writeHbaConf(error)) return false;
    }
    // An older alabos let every local user in (trust): this start upgrades the cluster.
    const bool upgrading = m_reused && hbaTrustsAnyone();
    if (m_reused) {
        if (!upgrading && !QFileInfo::exists(passFile())) {
            *error = QObject::tr("The embedded database in %1 asks for passwords, but their file "
                                 "%2 is missing. To set new ones, change every method in "
                                 "%1/pg_hba.conf to 'trust' and start alabos again: it then "
                                 "writes new passwords and turns password logins back on.")
                         .arg(data, passFile());
            return false;
        }
        if (!loadOrCreatePasswords(false, error)) return false;
        if (upgrading)
            qCInfo(lcStorage) << "upgrading the PostgreSQL cluster in" << data
                              << "to password logins and separate owner and app roles";
    }

    qint64 pid = 0;
    int runningPort = 0;
    QString runningSocket;
    if (readRunningServer(&pid, &runningPort, &runningSocket)) {
        // Our data-directory lock was free, so this server is a leftover of an alabos that
        // died without stopping it (kill -9). It is ours: adopt it and stop it on exit.
        qCWarning(lcStorage) << "adopting the PostgreSQL server (pid" << pid
                             << ") that an earlier alabos left running";
        m_port = runningPort;
        m_socketDir = runningSocket;
        m_adopted = true;
    } else {
        if (!startServer(error)) return false;
    }
    m_started = true;

    if (!ensureRolesAndDatabase(upgrading, error)) {
        stop();
        return false;
    }
    if (upgrading) {
        QString reloaded;
        if (!writeHbaConf(error) ||
            !run(m_binDir + QStringLiteral("/pg_ctl"),
                 {QStringLiteral("reload"), QStringLiteral("-D"), data}, 60000, &reloaded)) {
            if (error->isEmpty())
                *error =
                    QObject::tr("PostgreSQL did not reload %1/pg_hba.conf: %2").arg(data, reloaded);
            stop();
            return false;
        }
        m_upgraded = true;
        qCInfo(lcStorage) << "PostgreSQL cluster upgraded: logins need a password now";
    }
    qCInfo(lcStorage).noquote() << "PostgreSQL ready:" << connectionString();
    return true;
}

bool EmbeddedPostgres::startServer(QString *error)
{
    QString out;
    const QString data = clusterDir() + QStringLiteral("/data");
    QStringList serverOptions{
        QStringLiteral("-p %1").arg(m_port), QStringLiteral("-k %1").arg(m_socketDir),
        QStringLiteral("-c listen_addresses=''"), QStringLiteral("-c unix_socket_permissions=0700"),
        QStringLiteral("-c max_connections=100")};
    serverOptions
        << memorySettings()
        << QStringLiteral("-c max_prepared_transactions=%1").arg(m_options.preparedTransactions);
    if (!m_options.durable)
        serverOptions << QStringLiteral("-c fsync=off -c synchronous_commit=off -c "
                                        "full_page_writes=off");
    const QStringList args{QStringLiteral("start"),
                           QStringLiteral("-D"),
                           data,
                           QStringLiteral("-l"),
                           clusterDir() + QStringLiteral("/log/postgres.log"),
                           QStringLiteral("-w"),
                           QStringLiteral("-t"),
                           QStringLiteral("60"),
                           QStringLiteral("-o"),
                           serverOptions.join(u' ')};
    if (!run(m_binDir + QStringLiteral("/pg_ctl"), args, 90000, &out)) {
        *error = QObject::tr("The embedded PostgreSQL server did not start (%1). Its log "
                             "says:\n%2")
                     .arg(out.right(500), logTail());
        return false;
    }
    return true;
}

bool EmbeddedPostgres::serverAlive() const
{
    QFile pidFile(clusterDir() + QStringLiteral("/data/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly)) return false;
    bool ok = false;
    const qint64 pid = pidFile.readLine(64).trimmed().toLongLong(&ok);
    return ok && pid > 0 && processAlive(pid);
}

bool EmbeddedPostgres::restart(QString *error)
{
    if (!startServer(error)) return false;
    m_started = true;
    qCInfo(lcStorage).noquote() << "PostgreSQL started again:" << connectionString();
    return true;
}

PostgresKeeper::PostgresKeeper(EmbeddedPostgres *server, QObject *parent)
    : QObject(parent), m_server(server)
{
}

void PostgresKeeper::start()
{
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &PostgresKeeper::check);
    m_timer->start(1000);
}

void PostgresKeeper::checkDiskSpace()
{
    struct statvfs disk
    {
    };
    const QString dir = m_server->clusterDir();
    if (::statvfs(QFile::encodeName(dir).constData(), &disk) != 0) return;
    const qint64 total = qint64(disk.f_blocks) * qint64(disk.f_frsize);
    const qint64 free = qint64(disk.f_bavail) * qint64(disk.f_frsize);
    const bool low = free < lowSpaceBytes(total);
    if (low == m_diskLow) return;
    m_diskLow = low;
    m_diskMessage =
        low ? QObject::tr("The disk holding the database (%1) is nearly full: %2 MB of %3 MB "
                          "free. The lab goes on while PostgreSQL can write; free space there "
                          "and alabos recovers by itself.")
                  .arg(dir)
                  .arg(free >> 20)
                  .arg(total >> 20)
            : QObject::tr("The disk holding the database (%1) has room again: %2 MB free")
                  .arg(dir)
                  .arg(free >> 20);
    if (low)
        qCCritical(lcStorage).noquote() << m_diskMessage;
    else
        qCInfo(lcStorage).noquote() << m_diskMessage;
    Q_EMIT diskSpaceChanged(low, m_diskMessage);
}

void PostgresKeeper::check()
{
    checkDiskSpace();
    if (m_server->serverAlive()) {
        m_timer->start(1000);
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_diedAtMs == 0) {
        m_diedAtMs = now;
        m_attempts = 0;
        QString message =
            QObject::tr("The embedded PostgreSQL server stopped; alabos starts it again");
        if (m_diskLow) message += QStringLiteral(". ") + m_diskMessage;
        qCCritical(lcStorage).noquote() << message;
        Q_EMIT died(message);
    }
    ++m_attempts;
    QString error;
    if (m_server->restart(&error)) {
        const QString message =
            QObject::tr("The embedded PostgreSQL server stopped at %1 and was started again by "
                        "alabos after %2 s (%3 attempts); committed work is kept, work not yet "
                        "committed was retried")
                .arg(QDateTime::fromMSecsSinceEpoch(m_diedAtMs).toString(Qt::ISODate))
                .arg(double(now - m_diedAtMs) / 1000.0, 0, 'f', 1)
                .arg(m_attempts);
        m_diedAtMs = 0;
        Q_EMIT restarted(message);
        m_timer->start(1000);
        return;
    }
    // The first attempts often meet the dead server's last backends still exiting.
    if (m_attempts >= 3)
        qCWarning(lcStorage).noquote() << "starting PostgreSQL again failed:" << error.left(2000);
    m_timer->start(qMin(1000 * (1 << qMin(m_attempts, 3)), 10000));
}

void EmbeddedPostgres::stop()
{
    if (!m_started) return;
    m_started = false;
    QString out;
    const QString data = clusterDir() + QStringLiteral("/data");
    if (!run(m_binDir + QStringLiteral("/pg_ctl"),
             {QStringLiteral("stop"), QStringLiteral("-D"), data, QStringLiteral("-m"),
              QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"),
              QStringLiteral("60")},
             90000, &out))
        qCWarning(lcStorage).noquote() << "stopping PostgreSQL failed:" << out;
    else
        qCInfo(lcStorage) << "PostgreSQL stopped";
}

QString EmbeddedPostgres::passFile() const
{
    return clusterDir() + QStringLiteral("/passwords");
}

QString EmbeddedPostgres::connectionFor(const char *role, const QString &database) const
{
    return QStringLiteral("host=%1 port=%2 dbname=%3 user=%4 passfile=%5 connect_timeout=10")
        .arg(conninfoValue(m_socketDir))
        .arg(m_port)
        .arg(conninfoValue(database), QLatin1StringView(role), conninfoValue(passFile()));
}

QString EmbeddedPostgres::connectionString(const QString &database) const
{
    return connectionFor(kAppRole, database);
}

QString EmbeddedPostgres::ownerConnectionString(const QString &database) const
{
    return connectionFor(kOwnerRole, database);
}

QString EmbeddedPostgres::superuserConnectionString(const QString &database) const
{
    return connectionFor(kSuperuser, database);
}

bool EmbeddedPostgres::loadOrCreatePasswords(bool fresh, QString *error)
{
    m_passwords.clear();
    QFile file(passFile());
    if (!fresh && file.open(QIODevice::ReadOnly)) {
        // pgpass lines, as written below: *:*:*:ROLE:PASSWORD
        while (!file.atEnd()) {
            const QList<QByteArray> fields = file.readLine(4096).trimmed().split(':');
            if (fields.size() == 5 && !fields[3].isEmpty() && !fields[4].isEmpty())
                m_passwords.insert(QString::fromUtf8(fields[3]), QString::fromUtf8(fields[4]));
        }
        file.close();
    }
    bool changed = fresh;
    for (const char *role : {kSuperuser, kOwnerRole, kAppRole}) {
        const QString name = QLatin1StringView(role);
        if (!m_passwords.contains(name)) {
            m_passwords.insert(name, generatePassword());
            changed = true;
        }
    }
    if (!changed) return true;
    QByteArray content;
    for (auto it = m_passwords.cbegin(); it != m_passwords.cend(); ++it)
        content += "*:*:*:" + it.key().toUtf8() + ':' + it.value().toUtf8() + '\n';
    return writePrivateFile(passFile(), content, ::geteuid(), ::getegid(), error);
}

bool EmbeddedPostgres::hbaTrustsAnyone() const
{
    QFile hba(clusterDir() + QStringLiteral("/data/pg_hba.conf"));
    if (!hba.open(QIODevice::ReadOnly)) return false;
    while (!hba.atEnd()) {
        QByteArray line = hba.readLine(4096);
        if (const qsizetype hash = line.indexOf('#'); hash >= 0) line.truncate(hash);
        if (line.simplified().split(' ').contains("trust")) return true;
    }
    return false;
}

bool EmbeddedPostgres::writeHbaConf(QString *error)
{
    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (m_asRoot) {
        const passwd *pw = ::getpwnam(kServerUser);
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    // The server listens on no TCP port: socket logins are all there is, each with a password.
    return writePrivateFile(clusterDir() + QStringLiteral("/data/pg_hba.conf"),
                            "# Written by alabos: socket logins only, each with its role's "
                            "password (in alabos' passfile).\n"
                            "# TYPE  DATABASE  USER  METHOD\n"
                            "local   all       all   scram-sha-256\n",
                            uid, gid, error);
}

bool EmbeddedPostgres::ensureRolesAndDatabase(bool upgrading, QString *error)
{
    try {
        pqxx::connection admin(superuserConnectionString().toStdString());
        pqxx::nontransaction tx(admin);
        for (const char *role : {kOwnerRole, kAppRole}) {
            const std::string name = tx.quote_name(role);
            const std::string password =
                tx.quote(m_passwords.value(QLatin1StringView(role)).toStdString());
            if (tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role).empty())
                tx.exec0("CREATE ROLE " + name + " LOGIN PASSWORD " + password);
            else if (upgrading)
                tx.exec0("ALTER ROLE " + name + " PASSWORD " + password);
            tx.exec0("ALTER ROLE " + name +
                     " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN");
        }
        if (upgrading)
            tx.exec0("ALTER ROLE " + tx.quote_name(kSuperuser) + " PASSWORD " +
                     tx.quote(m_passwords.value(QLatin1StringView(kSuperuser)).toStdString()));
    } catch (const std::exception &e) {
        *error = QObject::tr("The embedded PostgreSQL server started but its roles cannot be set "
                             "up: %1")
                     .arg(QString::fromLocal8Bit(e.what()).trimmed());
        return false;
    }
    return createDatabase(QStringLiteral("alabos"), error);
}

bool EmbeddedPostgres::createDatabase(const QString &database, QString *error)
{
    QString scratch;
    if (!error) error = &scratch;
    try {
        pqxx::connection admin(superuserConnectionString().toStdString());
        pqxx::nontransaction tx(admin);
        const pqxx::result r =
            tx.exec_params("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1",
                           database.toStdString());
        const std::string name = tx.quote_name(database.toStdString());
        if (r.empty())
            tx.exec0("CREATE DATABASE " + name + " OWNER " + tx.quote_name(kOwnerRole));
        else if (r[0][0].as<std::string>() != kOwnerRole)
            tx.exec0("ALTER DATABASE " + name + " OWNER TO " + tx.quote_name(kOwnerRole));
    } catch (const std::exception &e) {
        *error = QObject::tr("Cannot create the database %1 in the embedded PostgreSQL server: %2")
                     .arg(database, QString::fromLocal8Bit(e.what()).trimmed());
        return false;
    }
    return setUpDatabase(database, error);
}

bool EmbeddedPostgres::setUpDatabase(const QString &database, QString *error)
{
    try {
        pqxx::connection c(superuserConnectionString(database).toStdString());
        pqxx::work tx(c);
        const std::string owner = tx.quote_name(kOwnerRole);
        const std::string app = tx.quote_name(kAppRole);
        // Objects an older alabos made as the superuser go to the owner role (indexes and the
        // sequences of serial columns go with their tables), all in this
        // transaction with their grants, so a crash leaves either none or all of them moved.
        // REASSIGN OWNED cannot be used: the bootstrap superuser also owns the system catalogs.
        const char *userSchemas = "n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'";
        const std::string superuser = tx.quote(std::string(kSuperuser));
        QList<std::string> statements;
        for (const auto &row : tx.exec(
                 std::string("SELECT c.relkind, quote_ident(n.nspname) || '.' || "
                             "quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON "
                             "n.oid = c.relnamespace WHERE ") +
                 userSchemas + " AND c.relowner = " + superuser +
                 "::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT (c.relkind = 'S' "
                 "AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
                 "AND d.objid = c.oid AND d.deptype IN ('a', 'i'))) ORDER BY c.relkind = 'S'")) {
            const char kind = row[0].c_str()[0];
            const char *what = kind == 'v'   ? "VIEW"
                               : kind == 'm' ? "MATERIALIZED VIEW"
                               : kind == 'S' ? "SEQUENCE"
                                             : "TABLE";
            statements << std::string("ALTER ") + what + ' ' + row[1].c_str() + " OWNER TO " +
                              owner;
        }
        for (const auto &row :
             tx.exec(std::string("SELECT p.prokind, p.oid::regprocedure::text FROM pg_proc p JOIN "
                                 "pg_namespace n ON n.oid = p.pronamespace WHERE ") +
                     userSchemas + " AND p.proowner = " + superuser + "::regrole")) {
            const char kind = row[0].c_str()[0];
            const char *what = kind == 'p' ? "PROCEDURE" : kind == 'a' ? "AGGREGATE" : "FUNCTION";
            statements << std::string("ALTER ") + what + ' ' + row[1].c_str() + " OWNER TO " +
                              owner;
        }
        for (const auto &row : tx.exec(
                 std::string("SELECT t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON "
                             "n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid "
                             "WHERE ") +
                 userSchemas + " AND t.typowner = " + superuser +
                 "::regrole AND t.typtype IN ('c', 'e', 'd', 'r') AND (t.typrelid = 0 OR "
                 "c.relkind = 'c')"))
            statements << "ALTER TYPE " + std::string(row[0].c_str()) + " OWNER TO " + owner;
        for (const auto &row :
             tx.exec(std::string("SELECT quote_ident(n.nspname) FROM pg_namespace n WHERE ") +
                     userSchemas + " AND n.nspname <> 'public' AND n.nspowner = " + superuser +
                     "::regrole"))
            statements << "ALTER SCHEMA " + std::string(row[0].c_str()) + " OWNER TO " + owner;
        for (const std::string &statement : std::as_const(statements))
            tx.exec0(statement);
        if (!statements.isEmpty()) {
            qCInfo(lcStorage) << "moved" << statements.size() << "objects of database" << database
                              << "from the superuser to" << kOwnerRole;
            tx.exec0("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " +
                     app);
            tx.exec0("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + app);
            tx.exec0("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO " + app);
            if (!tx.exec1("SELECT to_regclass('public.audit_log') IS NULL")[0].as<bool>())
                tx.exec0("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " + app);
        }
        // What the owner creates from now on (every migration) is usable by the app role;
        // a migration that wants less for a table revokes it there.
        tx.exec0("ALTER DEFAULT PRIVILEGES FOR ROLE " + owner +
                 " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app);
        tx.exec0("ALTER DEFAULT PRIVILEGES FOR ROLE " + owner +
                 " GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO " + app);
        tx.exec0("ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " GRANT EXECUTE ON FUNCTIONS TO " +
                 app);
        tx.commit();
    } catch (const std::exception &e) {
        *error = QObject::tr("Cannot set up the roles' rights in the database %1: %2")
                     .arg(database, QString::fromLocal8Bit(e.what()).trimmed());
        return false;
    }
    return true;
}

} // namespace alabos
