#include "app/options.h"

#include "core/api/listenaddress.h"
#include "core/engine/labsimulation.h"
#include "core/remote/devicemessages.h"
#include "core/storage/pgutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <libpq-fe.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace alabos {

namespace {
constexpr int kMaxDevices = 100000;
constexpr int kMaxRetentionDays = 3650;
constexpr int kMinRetentionMinutes = 10;
// Queries without a time bound (an entity's last events) visit every partition, so a window
// may span at most this many of them.
constexpr int kMaxPartitionsPerWindow = 3660; // ten years of day partitions
constexpr int kMaxDatabaseUrlLength = 4096;

// A whole number from 1 to max (retention days, partitions, replication), nothing otherwise.
std::optional<int> wholeNumber(const QString &text, int max)
{
    bool ok = false;
    const int n = text.trimmed().toInt(&ok);
    if (!ok || n < 1 || n > max) return std::nullopt;
    return n;
}

bool validDatabaseUrl(const QString &url)
{
    // A postgresql:// URI or a libpq keyword=value string that libpq itself can read.
    const bool looksRight =
        url.startsWith(QLatin1StringView("postgresql://")) ||
        url.startsWith(QLatin1StringView("postgres://")) ||
        QRegularExpression(QStringLiteral("^\\s*[a-z_]+\\s*=")).match(url).hasMatch();
    if (!looksRight || url.size() > kMaxDatabaseUrlLength || url.contains(QChar(u'\0')))
        return false;
    char *parseError = nullptr;
    PQconninfoOption *options = PQconninfoParse(url.toUtf8().constData(), &parseError);
    PQfreemem(parseError);
    PQconninfoFree(options);
    return options != nullptr;
}

bool validBootstrap(const QString &list)
{
    static const QRegularExpression hostPort(
        QStringLiteral("^[A-Za-z0-9_.\\-\\[\\]:]+:(\\d{1,5})$"));
    const QStringList parts = list.split(u',');
    for (const QString &p : parts) {
        const auto m = hostPort.match(p.trimmed());
        if (!m.hasMatch() || m.captured(1).toInt() < 1 || m.captured(1).toInt() > 65535)
            return false;
    }
    return !parts.isEmpty();
}

// True when the file's mode lets its group or everyone read it.
bool readableByOthers(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 &&
           (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

// The config file's first setting that holds a secret, as named in the file; empty: none.
QString secretKey(const Options &o)
{
    if (connectionStringHoldsPassword(o.databaseUrl)) return QStringLiteral("database_url");
    if (connectionStringHoldsPassword(o.databaseOwnerUrl))
        return QStringLiteral("database_owner_url");
    if (connectionStringHoldsPassword(o.leaderDatabaseUrl))
        return QStringLiteral("leader_database_url");
    if (connectionStringHoldsPassword(o.readDatabaseUrl))
        return QStringLiteral("read_database_url");
    for (auto it = o.kafka.properties.begin(); it != o.kafka.properties.end(); ++it)
        if (isSecretKafkaProperty(it.key())) return QStringLiteral("[kafka] ") + it.key();
    return {};
}

QString tr(const char *text)
{
    return QCoreApplication::translate("alabos",
                                       text); // the context lupdate gives free tr() calls here
}
} // namespace

QString defaultDataDir()
{
    // As root the home directory is closed to the server's user: use a system location.
    if (::geteuid() == 0) return QStringLiteral("/var/lib/alabos");
    const QByteArray xdg = qgetenv("XDG_DATA_HOME");
    const QString base = xdg.isEmpty() ? QDir::homePath() + QStringLiteral("/.local/share")
                                       : QString::fromLocal8Bit(xdg);
    return base + QStringLiteral("/alabos");
}

QString defaultConfigFile(const QProcessEnvironment &env)
{
    const QString xdg = env.value(QStringLiteral("XDG_CONFIG_HOME"));
    const QString base = xdg.isEmpty() ? QDir::homePath() + QStringLiteral("/.config") : xdg;
    return base + QStringLiteral("/alabos/alabos.conf");
}

namespace {
constexpr int kMaxApiBurst = 1000000;
constexpr int kMaxApiThreads = 64;
constexpr double kMinApiRate = 0.1;
constexpr double kMaxApiRate = 100000;
constexpr int kMaxPathLength = 4096;

using Kind = Setting::Kind;
using Secret = Setting::Secret;

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

QString wholeNumberError(const QString &text, int max)
{
    return tr("%1 is not a whole number from 1 to %2").arg(quoted(text)).arg(max);
}

// "KEY=VALUE" split at the first '='; nothing when KEY is empty.
std::optional<std::pair<QString, QString>> keyValue(const QString &text)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0) return std::nullopt;
    return std::make_pair(text.left(eq), text.mid(eq + 1));
}

QString databaseUrlError(const QString &url)
{
    if (validDatabaseUrl(url)) return {};
    return tr("not a postgresql:// URL or libpq keyword=value settings that libpq can read, of "
              "at most %1 characters (the text is not shown: it may hold a password)")
        .arg(kMaxDatabaseUrlLength);
}

std::optional<bool> onOff(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"on" || t == u"true" || t == u"yes" || t == u"1") return true;
    if (t == u"off" || t == u"false" || t == u"no" || t == u"0") return false;
    return std::nullopt;
}

// HOST:PORT with an IPv4 address, a [IPv6] address or a host name; port 0 to 65535.
// Setters for the common shapes of a setting.
auto text(QString Options::*field)
{
    return [field](Options &o, const QString &t, const QDir &) {
        (o.*field) = t;
        return QString();
    };
}
// A whole number from 1 to max, stored where `field` says.
template <typename Field> auto wholeSetter(Field field, int max)
{
    return [field, max](Options &o, const QString &t, const QDir &) {
        const std::optional<int> n = wholeNumber(t, max);
        if (!n) return wholeNumberError(t, max);
        field(o) = *n;
        return QString();
    };
}
template <typename Field> auto showNumber(Field field)
{
    return [field](const Options &o) { return QStringList{QString::number(field(o))}; };
}
// A path: relative ones start from `base` (the config file's folder, or the working folder).
template <typename Field> auto pathSetter(Field field)
{
    return [field](Options &o, const QString &t, const QDir &base) {
        if (t.size() > kMaxPathLength)
            return tr("a path of at most %1 characters").arg(kMaxPathLength);
        field(o) = t.isEmpty() ? QString() : base.absoluteFilePath(t);
        return QString();
    };
}
auto path(QString Options::*member)
{
    return pathSetter([member](Options &o) -> QString & { return o.*member; });
}
auto databaseUrl(QString Options::*field)
{
    return [field](Options &o, const QString &t, const QDir &) {
        if (!t.isEmpty()) {
            if (const QString why = databaseUrlError(t); !why.isEmpty()) return why;
        }
        (o.*field) = t;
        return QString();
    };
}
// A span of time as a count and a unit: `30d`, `12h`, `20min`; a bare number is days.
std::optional<int> durationMinutes(const QString &text)
{
    static const QRegularExpression form(QStringLiteral("^([0-9]{1,7})\\s*(d|h|min)?$"));
    const QRegularExpressionMatch m = form.match(text.trimmed());
    if (!m.hasMatch()) return std::nullopt;
    const qint64 count = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const qint64 minutes = unit == u"min" ? count
                           : unit == u"h" ? count * 60
                                          : count * kMinutesPerDay;
    if (minutes < 1 || minutes > qint64(kMaxRetentionDays) * kMinutesPerDay) return std::nullopt;
    return int(minutes);
}
QString durationText(int minutes)
{
    if (minutes % kMinutesPerDay == 0) return QStringLiteral("%1d").arg(minutes / kMinutesPerDay);
    if (minutes % 60 == 0) return QStringLiteral("%1h").arg(minutes / 60);
    return QStringLiteral("%1min").arg(minutes);
}
auto retentionWindow(int RetentionSettings::*minutes)
{
    return [minutes](Options &o, const QString &t, const QDir &) {
        const std::optional<int> n = durationMinutes(t);
        if (!n || *n < kMinRetentionMinutes)
            return tr("%1 is not a duration from 10min to %2d (a number with d, h or min; a "
                      "bare number is days)")
                .arg(quoted(t))
                .arg(kMaxRetentionDays);
        o.retention.*minutes = *n;
        return QString();
    };
}
auto showText(QString Options::*field)
{
    return [field](const Options &o) { return QStringList{o.*field}; };
}
auto showSwitch(bool Options::*field)
{
    return [field](const Options &o) {
        return QStringList{(o.*field) ? QStringLiteral("on") : QStringLiteral("off")};
    };
}
} // namespace

QString Setting::name() const
{
    if (!inFile) return QStringLiteral("--") + flag;
    return section.isEmpty() ? key : QStringLiteral("[%1] %2").arg(section, key);
}

QString maskDatabasePassword(const QString &conninfo)
{
    QString out = conninfo;
    // URI: postgresql://user:PASSWORD@host
    static const QRegularExpression uri(
        QStringLiteral("^(\\s*postgres(?:ql)?://[^:@/?]*:)([^@/?]*)(@)"));
    out.replace(uri, QStringLiteral("\\1****\\3"));
    // Keyword form and URI query: password=VALUE or password='VALUE with spaces'
    static const QRegularExpression keyword(
        QStringLiteral("(\\bpassword\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^&\\s]*)"));
    out.replace(keyword, QStringLiteral("\\1****"));
    return out;
}

QList<Setting> settingTable()
{
    const QString profiles = LabProfile::names().join(QStringLiteral(", "));
    QList<Setting> t;
    t << Setting{.kind = Kind::Switch,
                 .key = QStringLiteral("headless"),
                 .inFile = false,
                 .flag = QStringLiteral("headless"),
                 .defaultText = QStringLiteral("off"),
                 .range = QStringLiteral("on, off"),
                 .description = tr("Run without a window (a lab server or CI): print a progress "
                                   "line every few seconds and a summary at the end."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         o.headless = v == u"on";
                         return QString();
                     },
                 .show = showSwitch(&Options::headless)};
    t << Setting{.key = QStringLiteral("simulate"),
                 .inFile = false,
                 .flag = QStringLiteral("simulate"),
                 .valueName = QStringLiteral("PROFILE"),
                 .defaultText = QStringLiteral("(none)"),
                 .range = profiles,
                 .description = tr("Run a simulated lab of this profile."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         if (!LabProfile::names().contains(v))
                             return tr("unknown profile %1 (known: %2)")
                                 .arg(quoted(v), LabProfile::names().join(QStringLiteral(", ")));
                         o.simulate = v;
                         return QString();
                     },
                 .show = showText(&Options::simulate)};
    t << Setting{.key = QStringLiteral("devices"),
                 .inFile = false,
                 .flag = QStringLiteral("devices"),
                 .valueName = QStringLiteral("N"),
                 .defaultText = QStringLiteral("the profile's"),
                 .range = QStringLiteral("1 to %1").arg(kMaxDevices),
                 .description = tr("Number of simulated devices; needs --simulate."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         const std::optional<int> n = wholeNumber(v, kMaxDevices);
                         if (!n) return wholeNumberError(v, kMaxDevices);
                         o.devices = *n;
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         return QStringList{o.devices ? QString::number(o.devices) : QString()};
                     }};
    t << Setting{.key = QStringLiteral("run-for"),
                 .inFile = false,
                 .flag = QStringLiteral("run-for"),
                 .valueName = QStringLiteral("SECONDS"),
                 .defaultText = QStringLiteral("(until closed)"),
                 .range = QStringLiteral("more than 0, at most 31536000"),
                 .description = tr("Stop after SECONDS and print a summary."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         bool ok = false;
                         const double s = v.toDouble(&ok);
                         if (!ok || !(s > 0) || s > 365.0 * 24 * 3600)
                             return tr("%1 is not a positive number of seconds").arg(quoted(v));
                         o.runForS = s;
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         return QStringList{o.runForS > 0 ? QString::number(o.runForS) : QString()};
                     }};
    t << Setting{.key = QStringLiteral("config"),
                 .inFile = false,
                 .flag = QStringLiteral("config"),
                 .valueName = QStringLiteral("FILE"),
                 .defaultText = QStringLiteral("$XDG_CONFIG_HOME/alabos/alabos.conf"),
                 .range = tr("a readable INI file"),
                 .description =
                     tr("Read settings from FILE; a missing file given this way is an error."),
                 .assign = [](Options &, const QString &, const QDir &) { return QString(); },
                 .show = showText(&Options::configFile)};
    t << Setting{.key = QStringLiteral("data_dir"),
                 .flag = QStringLiteral("data-dir"),
                 .valueName = QStringLiteral("DIR"),
                 .variable = QStringLiteral("ALABOS_DATA_DIR"),
                 .defaultText = QStringLiteral("$XDG_DATA_HOME/alabos (root: /var/lib/alabos)"),
                 .range = tr("a folder"),
                 .description = tr("Where alabos keeps its embedded database."),
                 .assign = path(&Options::dataDir),
                 .show = showText(&Options::dataDir)};
    t << Setting{.key = QStringLiteral("lab"),
                 .flag = QStringLiteral("lab"),
                 .valueName = QStringLiteral("FILE"),
                 .variable = QStringLiteral("ALABOS_LAB"),
                 .defaultText = QStringLiteral("(none)"),
                 .range = tr("a lab file (docs/lab.md)"),
                 .description = tr("Run the lab declared in FILE (devices, their drivers and "
                                   "settings, positions). See docs/lab.md."),
                 .assign = path(&Options::labFile),
                 .show = showText(&Options::labFile)};
    t << Setting{.key = QStringLiteral("database_url"),
                 .flag = QStringLiteral("database-url"),
                 .valueName = QStringLiteral("URL"),
                 .variable = QStringLiteral("ALABOS_DATABASE_URL"),
                 .defaultText = QStringLiteral("(the embedded server)"),
                 .range = tr("postgresql:// URL or libpq key=value, at most %1 characters")
                              .arg(kMaxDatabaseUrlLength),
                 .description = tr("Use this PostgreSQL server instead of the embedded one. Put "
                                   "the password in a passfile (passfile=... or PGPASSFILE) or "
                                   "PGPASSWORD, not on the command line: every local user can "
                                   "read a command line."),
                 .secret = Secret::DatabasePassword,
                 .assign = databaseUrl(&Options::databaseUrl),
                 .show = showText(&Options::databaseUrl)};
    t << Setting{.key = QStringLiteral("database_owner_url"),
                 .flag = QStringLiteral("database-owner-url"),
                 .valueName = QStringLiteral("URL"),
                 .variable = QStringLiteral("ALABOS_DATABASE_OWNER_URL"),
                 .defaultText = QStringLiteral("(database_url)"),
                 .range = tr("as database_url"),
                 .description = tr("With --database-url: connect as the role that owns the "
                                   "schema for migrations and retention, and use --database-url "
                                   "for everything else."),
                 .secret = Secret::DatabasePassword,
                 .assign = databaseUrl(&Options::databaseOwnerUrl),
                 .show = showText(&Options::databaseOwnerUrl)};
    t << Setting{.key = QStringLiteral("leader_database_url"),
                 .flag = QStringLiteral("leader-database-url"),
                 .valueName = QStringLiteral("URL"),
                 .variable = QStringLiteral("ALABOS_LEADER_DATABASE_URL"),
                 .defaultText = QStringLiteral("(database_url)"),
                 .range = tr("as database_url"),
                 .description = tr("A direct PostgreSQL connection for the scheduler lock when "
                                   "--database-url goes through PgBouncer in transaction mode."),
                 .secret = Secret::DatabasePassword,
                 .assign = databaseUrl(&Options::leaderDatabaseUrl),
                 .show = showText(&Options::leaderDatabaseUrl)};
    t << Setting{.key = QStringLiteral("read_database_url"),
                 .flag = QStringLiteral("read-database-url"),
                 .valueName = QStringLiteral("URL"),
                 .variable = QStringLiteral("ALABOS_READ_DATABASE_URL"),
                 .defaultText = QStringLiteral("(database_url)"),
                 .range = tr("as database_url"),
                 .description = tr("Send the console's history, chart and search queries to a "
                                   "replica, e.g. host=a,b,c target_session_attrs=prefer-standby; "
                                   "when it does not answer they go to --database-url."),
                 .secret = Secret::DatabasePassword,
                 .assign = databaseUrl(&Options::readDatabaseUrl),
                 .show = showText(&Options::readDatabaseUrl)};
    t << Setting{.kind = Kind::Switch,
                 .key = QStringLiteral("console-only"),
                 .inFile = false,
                 .flag = QStringLiteral("console-only"),
                 .defaultText = QStringLiteral("off"),
                 .range = QStringLiteral("on, off"),
                 .description = tr("Be a console only: show the lab of the scheduler that uses "
                                   "--database-url and send commands to it through Kafka; never "
                                   "run the scheduler here."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         o.consoleOnly = v == u"on";
                         return QString();
                     },
                 .show = showSwitch(&Options::consoleOnly)};
    t << Setting{.kind = Kind::Switch,
                 .key = QStringLiteral("drivers-only"),
                 .inFile = false,
                 .flag = QStringLiteral("drivers-only"),
                 .defaultText = QStringLiteral("off"),
                 .range = QStringLiteral("on, off"),
                 .description = tr("Be a driver host: run only the drivers of the devices the "
                                   "lab file assigns to --host NAME, commanded by the scheduler "
                                   "through Kafka (docs/driver-hosts.md). Headless; needs --lab, "
                                   "--host and --database-url."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         o.driversOnly = v == u"on";
                         return QString();
                     },
                 .show = showSwitch(&Options::driversOnly)};
    t << Setting{.key = QStringLiteral("host"),
                 .inFile = false,
                 .flag = QStringLiteral("host"),
                 .valueName = QStringLiteral("NAME"),
                 .defaultText = QStringLiteral("(none)"),
                 .range = tr("a lab file's driver_host: 1 to 64 letters, digits, '.' or '-'"),
                 .description = tr("With --drivers-only: the driver host this process is; it "
                                   "runs the devices whose \"driver_host\" is NAME."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         if (!isDriverHostName(v))
                             return tr("must be a host name: 1 to 64 letters, digits, '.' or "
                                       "'-', starting with a letter or digit");
                         o.driverHost = v;
                         return QString();
                     },
                 .show = showText(&Options::driverHost)};
    t << Setting{.kind = Kind::Switch,
                 .key = QStringLiteral("no-fsync"),
                 .inFile = false,
                 .flag = QStringLiteral("no-fsync"),
                 .defaultText = QStringLiteral("off"),
                 .range = QStringLiteral("on, off"),
                 .description = tr("Run the embedded database without fsync (tests and demos "
                                   "only: a power cut can lose data)."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         o.durableEmbeddedDatabase = v != u"on";
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         return QStringList{o.durableEmbeddedDatabase ? QStringLiteral("off")
                                                                      : QStringLiteral("on")};
                     }};
    t << Setting{.key = QStringLiteral("admin-password-file"),
                 .inFile = false,
                 .flag = QStringLiteral("admin-password-file"),
                 .valueName = QStringLiteral("FILE"),
                 .defaultText = QStringLiteral("(a generated password)"),
                 .range = tr("a file; its first line is the password"),
                 .description = tr("At the first start of a new database, give the "
                                   "administrator \"admin\" the password in FILE (its first "
                                   "line) instead of a generated one."),
                 .assign = text(&Options::adminPasswordFile),
                 .show = showText(&Options::adminPasswordFile)};
    for (const auto &[minutes, key, what, dflt] :
         {std::tuple{&RetentionSettings::telemetryMinutes, QStringLiteral("telemetry"),
                     tr("Keep raw telemetry this long. A partition is dropped whole once all of "
                        "it is older."),
                     RetentionSettings{}.telemetryMinutes},
          std::tuple{&RetentionSettings::eventMinutes, QStringLiteral("event"),
                     tr("Keep events this long. Events the relay has not published yet are "
                        "always kept."),
                     RetentionSettings{}.eventMinutes}}) {
        const auto field = minutes;
        t << Setting{
            .key = key + QStringLiteral("_retention"),
            .flag = key + QStringLiteral("-retention"),
            .valueName = QStringLiteral("DURATION"),
            .variable = QStringLiteral("ALABOS_%1_RETENTION").arg(key.toUpper()),
            .defaultText = durationText(dflt),
            .range = tr("10min to %1d; d, h or min, a bare number is days").arg(kMaxRetentionDays),
            .description = what,
            .assign = retentionWindow(minutes),
            .show = [field](const Options &o) {
                return QStringList{durationText(o.retention.*field)};
            }};
    }
    t << Setting{.key = QStringLiteral("partition_span"),
                 .flag = QStringLiteral("partition-span"),
                 .valueName = QStringLiteral("DURATION"),
                 .variable = QStringLiteral("ALABOS_PARTITION_SPAN"),
                 .defaultText = durationText(RetentionSettings{}.partitionMinutes),
                 .range = tr("10min to 1d, dividing a day"),
                 .description = tr("The time each partition of events and telemetry covers. "
                                   "Retention drops whole partitions, so a window of hours "
                                   "needs a span shorter than it."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         const std::optional<int> n = durationMinutes(v);
                         const QString why = n ? partitionSpanProblem(*n) : tr("not a duration");
                         if (!why.isEmpty()) return quoted(v) + QStringLiteral(": ") + why;
                         o.retention.partitionMinutes = *n;
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         return QStringList{durationText(o.retention.partitionMinutes)};
                     }};
    t << Setting{.key = QStringLiteral("kafka_bootstrap"),
                 .flag = QStringLiteral("kafka-bootstrap"),
                 .valueName = QStringLiteral("HOST:PORT,..."),
                 .variable = QStringLiteral("ALABOS_KAFKA_BOOTSTRAP"),
                 .defaultText = QStringLiteral("(the embedded broker)"),
                 .range = tr("HOST:PORT list, ports 1 to 65535"),
                 .description = tr("Use this Kafka cluster instead of the embedded broker."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         if (!v.isEmpty() && !validBootstrap(v))
                             return tr("%1 is not a list of HOST:PORT").arg(quoted(v));
                         o.kafka.bootstrap = v;
                         return QString();
                     },
                 .show = [](const Options &o) { return QStringList{o.kafka.bootstrap}; }};
    t << Setting{.kind = Kind::Map,
                 .key = QStringLiteral("PROPERTY"),
                 .section = QStringLiteral("kafka"),
                 .flag = QStringLiteral("kafka-property"),
                 .valueName = QStringLiteral("KEY=VALUE"),
                 .defaultText = QStringLiteral("(none)"),
                 .range = tr("librdkafka client properties"),
                 .description = tr("A Kafka client property passed through, e.g. "
                                   "security.protocol=SASL_SSL; repeatable."),
                 .secret = Secret::KafkaProperties,
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         const auto kv = keyValue(v);
                         if (!kv) return tr("%1 is not KEY=VALUE").arg(quoted(v));
                         o.kafka.properties.insert(kv->first, kv->second);
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         QStringList out;
                         for (auto it = o.kafka.properties.begin(); it != o.kafka.properties.end();
                              ++it)
                             out << it.key() + u'=' + it.value();
                         return out;
                     }};
    t << Setting{.kind = Kind::Map,
                 .key = QStringLiteral("TOPIC"),
                 .section = QStringLiteral("topics"),
                 .flag = QStringLiteral("topic-partitions"),
                 .valueName = QStringLiteral("TOPIC=N"),
                 .defaultText = QStringLiteral("(docs/events.md)"),
                 .range = QStringLiteral("1 to %1").arg(kMaxTopicPartitions),
                 .description = tr("Create TOPIC with N partitions, e.g. telemetry=64; "
                                   "repeatable. Topics that exist already keep theirs."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         const auto kv = keyValue(v);
                         if (!kv) return tr("%1 is not TOPIC=N").arg(quoted(v));
                         const QString name = catalogueTopicName(kv->first.trimmed());
                         if (name.isEmpty()) {
                             QStringList known;
                             for (const TopicSpec &spec : topicCatalogue())
                                 known << spec.name;
                             return tr("unknown topic %1 (known: %2)")
                                 .arg(quoted(kv->first), known.join(QStringLiteral(", ")));
                         }
                         const std::optional<int> n = wholeNumber(kv->second, kMaxTopicPartitions);
                         if (!n)
                             return tr("partitions of %1: %2")
                                 .arg(name, wholeNumberError(kv->second, kMaxTopicPartitions));
                         o.topics.partitions.insert(name, *n);
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         QStringList out;
                         for (auto it = o.topics.partitions.begin();
                              it != o.topics.partitions.end(); ++it)
                             out << it.key() + u'=' + QString::number(it.value());
                         return out;
                     }};
    t << Setting{.key = QStringLiteral("replication"),
                 .section = QStringLiteral("topics"),
                 .flag = QStringLiteral("topic-replication"),
                 .valueName = QStringLiteral("N"),
                 .defaultText = QString::number(TopicLayout{}.replication),
                 .range = QStringLiteral("1 to %1").arg(kMaxTopicReplication),
                 .description = tr("Replication factor of the topics alabos creates on a Kafka "
                                   "cluster."),
                 .assign = wholeSetter([](Options &o) -> int & { return o.topics.replication; },
                                       kMaxTopicReplication),
                 .show = showNumber([](const Options &o) { return o.topics.replication; })};
    t << Setting{.kind = Kind::Switch,
                 .key = QStringLiteral("enabled"),
                 .section = QStringLiteral("api"),
                 .flag = QStringLiteral("api"),
                 .offFlag = QStringLiteral("no-api"),
                 .variable = QStringLiteral("ALABOS_API"),
                 .defaultText = QStringLiteral("on headless; with a window, the console's setting (off)"),
                 .range = QStringLiteral("on, off (true, false)"),
                 .description = tr("Serve the REST API, metrics and health (docs/api.md)."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         const std::optional<bool> on = onOff(v);
                         if (!on) return tr("%1 is neither on nor off").arg(quoted(v));
                         o.api.mode = *on ? ApiSettings::Mode::On : ApiSettings::Mode::Off;
                         return QString();
                     },
                 .show =
                     [](const Options &o) {
                         return QStringList{o.api.enabledFor(o.headless) ? QStringLiteral("on")
                                                                         : QStringLiteral("off")};
                     }};
    t << Setting{.key = QStringLiteral("listen"),
                 .section = QStringLiteral("api"),
                 .flag = QStringLiteral("api-listen"),
                 .valueName = QStringLiteral("HOST:PORT"),
                 .variable = QStringLiteral("ALABOS_API_LISTEN"),
                 .defaultText = ApiSettings{}.listen,
                 .range = tr("IPv4, [IPv6] or host name; port 0 to 65535 (0: any free port)"),
                 .description = tr("The address the API listens on."),
                 .assign =
                     [](Options &o, const QString &v, const QDir &) {
                         if (!validListenAddress(v.trimmed()))
                             return tr("%1 is not HOST:PORT (an IPv4 address, a [IPv6] address "
                                       "or a host name; a port from 0 to 65535)")
                                 .arg(quoted(v));
                         o.api.listen = v.trimmed();
                         return QString();
                     },
                 .show = [](const Options &o) { return QStringList{o.api.listen}; }};
    t << Setting{.key = QStringLiteral("tls_certificate"),
                 .section = QStringLiteral("api"),
                 .flag = QStringLiteral("api-tls-cert"),
                 .valueName = QStringLiteral("FILE"),
                 .defaultText = QStringLiteral("(none: plain HTTP)"),
                 .range = tr("a readable PEM file; with tls_key"),
                 .description = tr("Serve the API over HTTPS only, with this certificate chain."),
                 .assign = pathSetter([](Options &o) -> QString & { return o.api.tlsCertificate; }),
                 .show = [](const Options &o) { return QStringList{o.api.tlsCertificate}; }};
    t << Setting{.key = QStringLiteral("tls_key"),
                 .section = QStringLiteral("api"),
                 .flag = QStringLiteral("api-tls-key"),
                 .valueName = QStringLiteral("FILE"),
                 .defaultText = QStringLiteral("(none)"),
                 .range = tr("a readable PEM file, private to its owner; with tls_certificate"),
                 .description = tr("The private key of the API's certificate."),
                 .assign = pathSetter([](Options &o) -> QString & { return o.api.tlsKey; }),
                 .show = [](const Options &o) { return QStringList{o.api.tlsKey}; }};
    t << Setting{
        .key = QStringLiteral("rate"),
        .section = QStringLiteral("api"),
        .flag = QStringLiteral("api-rate"),
        .valueName = QStringLiteral("N"),
        .defaultText = QString::number(ApiSettings{}.requestsPerSecond),
        .range = QStringLiteral("%1 to %2").arg(kMinApiRate).arg(kMaxApiRate),
        .description = tr("Requests per second each API token may make, sustained."),
        .assign =
            [](Options &o, const QString &v, const QDir &) {
                bool ok = false;
                const double r = v.trimmed().toDouble(&ok);
                if (!ok || !(r >= kMinApiRate) || r > kMaxApiRate)
                    return tr("%1 is not a number from %2 to %3")
                        .arg(quoted(v))
                        .arg(kMinApiRate)
                        .arg(kMaxApiRate);
                o.api.requestsPerSecond = r;
                return QString();
            },
        .show =
            [](const Options &o) { return QStringList{QString::number(o.api.requestsPerSecond)}; }};
    t << Setting{.key = QStringLiteral("burst"),
                 .section = QStringLiteral("api"),
                 .flag = QStringLiteral("api-burst"),
                 .valueName = QStringLiteral("N"),
                 .defaultText = QString::number(ApiSettings{}.burst),
                 .range = QStringLiteral("1 to %1").arg(kMaxApiBurst),
                 .description = tr("Requests each API token may make at once above the rate."),
                 .assign =
                     wholeSetter([](Options &o) -> int & { return o.api.burst; }, kMaxApiBurst),
                 .show = showNumber([](const Options &o) { return o.api.burst; })};
    t << Setting{.key = QStringLiteral("threads"),
                 .section = QStringLiteral("api"),
                 .flag = QStringLiteral("api-threads"),
                 .valueName = QStringLiteral("N"),
                 .defaultText = QString::number(ApiSettings{}.threads),
                 .range = QStringLiteral("1 to %1").arg(kMaxApiThreads),
                 .description = tr("Threads serving the API."),
                 .assign =
                     wholeSetter([](Options &o) -> int & { return o.api.threads; }, kMaxApiThreads),
                 .show = showNumber([](const Options &o) { return o.api.threads; })};
    return t;
}

namespace {
// The value as --print-config shows it, secrets as ****.
QString maskedValue(const Setting &s, const QString &value)
{
    if (value.isEmpty()) return QStringLiteral("(none)");
    switch (s.secret) {
    case Secret::No:
        return value;
    case Secret::Whole:
        return QStringLiteral("****");
    case Secret::DatabasePassword:
        return maskDatabasePassword(value);
    case Secret::KafkaProperties: {
        const auto kv = keyValue(value);
        return kv && isSecretKafkaProperty(kv->first) ? kv->first + QStringLiteral("=****") : value;
    }
    }
    return value;
}

QString printConfig(const QList<Setting> &table, const ParsedOptions &parsed)
{
    QStringList lines;
    const Options &o = parsed.options;
    for (const Setting &s : table) {
        const QStringList values = s.show(o);
        if (s.kind == Kind::Map) {
            if (values.isEmpty())
                lines << QStringLiteral("[%1] = (none)    (default)").arg(s.section);
            for (const QString &entry : values) {
                const QString key = entry.section(u'=', 0, 0);
                const QString name = QStringLiteral("[%1] %2").arg(s.section, key);
                const QString shown = maskedValue(s, entry).section(u'=', 1);
                lines << QStringLiteral("%1 = %2    (%3)")
                             .arg(name, shown,
                                  parsed.sources.value(name, QStringLiteral("default")));
            }
            continue;
        }
        lines << QStringLiteral("%1 = %2    (%3)")
                     .arg(s.name(), maskedValue(s, values.value(0)),
                          parsed.sources.value(s.name(), QStringLiteral("default")));
    }
    return lines.join(u'\n');
}
} // namespace

ParsedOptions parseOptions(const QStringList &args, const QProcessEnvironment &env,
                           QString configFile)
{
    ParsedOptions out;
    auto fail = [&](const QString &why) {
        out.outcome = ParsedOptions::ExitError;
        out.message = why;
        return out;
    };
    const QList<Setting> table = settingTable();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("alabos: the laboratory automation console. Runs the lab scheduler and the device "
           "drivers, stores the lab in PostgreSQL and streams it through Kafka. With nothing "
           "configured it starts its own PostgreSQL server and Kafka broker. Flags beat "
           "environment variables beat the config file (docs/configuration.md)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     tr("Show the version and exit."));
    const QCommandLineOption checkLab(
        QStringLiteral("check-lab"),
        tr("Check a lab file without starting anything: exit 0 when it is good, 2 with every "
           "problem listed (each named by its JSON path)."),
        QStringLiteral("FILE"));
    const QCommandLineOption exportLab(
        QStringLiteral("export-lab"),
        tr("Write the lab the database holds (devices with their driver settings, positions) "
           "to FILE as a lab file, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption printLabSchema(QStringLiteral("print-lab-schema"),
                                            tr("Print the JSON Schema of lab files and exit."));
    const QCommandLineOption verifyAudit(
        QStringLiteral("verify-audit"),
        tr("Check that no row of the audit trail was changed or removed (its hash chain), "
           "name the first broken row, and exit."));
    const QCommandLineOption printConfigFlag(
        QStringLiteral("print-config"),
        tr("Print every setting's effective value and where it came from (flag, environment, "
           "file or default), secrets as ****, and exit without starting anything."));
    parser.addOptions({help, version});
    for (const Setting &s : table) {
        QString description = s.description;
        if (!s.range.isEmpty() && s.kind != Kind::Switch)
            description += u' ' + tr("Range: %1.").arg(s.range);
        if (s.kind != Kind::Switch || s.inFile)
            description += u' ' + tr("Default: %1.").arg(s.defaultText);
        if (!s.variable.isEmpty()) description += u' ' + tr("Also %1.").arg(s.variable);
        if (s.inFile) description += u' ' + tr("Config file: %1.").arg(s.name());
        parser.addOption(QCommandLineOption(s.flag, description, s.valueName));
        if (!s.offFlag.isEmpty())
            parser.addOption(
                QCommandLineOption(s.offFlag, tr("The opposite of --%1.").arg(s.flag)));
    }
    parser.addOptions({checkLab, exportLab, printLabSchema, verifyAudit, printConfigFlag});

    if (!parser.parse(args))
        return fail(parser.errorText() + u'\n' + tr("Run 'alabos --help' for the options."));
    if (!parser.positionalArguments().isEmpty())
        return fail(tr("unexpected argument \"%1\"; run 'alabos --help' for the options.")
                        .arg(parser.positionalArguments().first()));
    if (parser.isSet(help)) {
        out.outcome = ParsedOptions::ExitOk;
        // Parsed before the application object exists, when Qt cannot know the program's name.
        out.message = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                QStringLiteral("alabos"));
        return out;
    }
    if (parser.isSet(version)) {
        out.outcome = ParsedOptions::ExitOk;
        out.message = QStringLiteral("alabos %1").arg(QLatin1StringView(ALABOS_VERSION));
        return out;
    }

    Options &o = out.options;
    // Every source present is checked, weakest first, so a bad value is refused even where a
    // stronger source overrides it; the last one taken is the one reported.
    auto take = [&](const Setting &s, const QString &where, const QString &source,
                    const QString &value, const QDir &base, const QString &name) {
        if (const QString why = s.assign(o, value, base); !why.isEmpty()) {
            fail(QStringLiteral("%1: %2").arg(where, why));
            return false;
        }
        out.sources.insert(name, source);
        return true;
    };
    const QDir here = QDir::current();

    // 1. The config file.
    const bool explicitConfig = parser.isSet(QStringLiteral("config")) || !configFile.isEmpty();
    if (parser.isSet(QStringLiteral("config"))) configFile = parser.value(QStringLiteral("config"));
    if (configFile.isEmpty()) configFile = defaultConfigFile(env);
    if (QFileInfo::exists(configFile)) {
        QSettings file(configFile, QSettings::IniFormat);
        if (file.status() != QSettings::NoError)
            return fail(
                tr("config file %1 cannot be read: it is not a valid INI file").arg(configFile));
        o.configFile = QFileInfo(configFile).absoluteFilePath();
        out.sources.insert(QStringLiteral("--config"), parser.isSet(QStringLiteral("config"))
                                                           ? QStringLiteral("flag --config")
                                                           : QStringLiteral("default"));
        const QDir base = QFileInfo(configFile).absoluteDir();
        const QString source = QStringLiteral("file %1").arg(o.configFile);
        // Which keys each section knows; a Map section takes every key the others do not.
        QStringList sections{QString()};
        for (const Setting &s : table)
            if (s.inFile && !sections.contains(s.section)) sections << s.section;
        // Other sections ([window], [ui]) belong to the console's own QSettings, which share
        // the file: they are not settings of this table and are left alone.
        for (const QString &section : sections) {
            if (!section.isEmpty()) file.beginGroup(section);
            const Setting *map = nullptr;
            QStringList known;
            for (const Setting &s : table) {
                if (!s.inFile || s.section != section) continue;
                if (s.kind == Kind::Map)
                    map = &s;
                else
                    known << s.key;
            }
            for (const QString &key : file.childKeys()) {
                const QString label =
                    section.isEmpty() ? key : QStringLiteral("[%1] %2").arg(section, key);
                const QString where = tr("config file %1: %2").arg(configFile, label);
                const QString value = file.value(key).toString();
                if (known.contains(key)) {
                    for (const Setting &s : table)
                        if (s.inFile && s.section == section && s.key == key &&
                            !take(s, where, source, value, base, s.name()))
                            return out;
                } else if (map) {
                    if (!take(*map, where, source, key + u'=' + value, base, label)) return out;
                } else {
                    return fail(tr("config file %1: unknown setting \"%2\" (known: %3, a [kafka] "
                                   "section of client properties, a [topics] section and an "
                                   "[api] section)")
                                    .arg(configFile, label, known.join(QStringLiteral(", "))));
                }
            }
            if (!section.isEmpty()) file.endGroup();
        }
        if (const QString key = secretKey(o); !key.isEmpty() && readableByOthers(configFile))
            out.warnings << tr("config file %1 holds a secret (%2) and other users can read it: "
                               "chmod 600 %1")
                                .arg(configFile, key);
    } else if (explicitConfig) {
        return fail(tr("config file %1 does not exist").arg(configFile));
    }
    // 2. The environment.
    for (const Setting &s : table)
        if (!s.variable.isEmpty() && env.contains(s.variable) &&
            !take(s, s.variable, QStringLiteral("environment ") + s.variable, env.value(s.variable),
                  here, s.name()))
            return out;
    // 3. Flags.
    for (const Setting &s : table) {
        if (s.flag == u"config") continue;
        const QString flag = QStringLiteral("--") + s.flag;
        const QString source = QStringLiteral("flag ") + flag;
        if (s.kind == Kind::Switch) {
            const bool on = parser.isSet(s.flag);
            const bool off = !s.offFlag.isEmpty() && parser.isSet(s.offFlag);
            if (on && off)
                return fail(tr("%1 and --%2 contradict each other: give one").arg(flag, s.offFlag));
            if ((on || off) &&
                !take(s, flag, on ? source : QStringLiteral("flag --") + s.offFlag,
                      on ? QStringLiteral("on") : QStringLiteral("off"), here, s.name()))
                return out;
        } else if (s.kind == Kind::Map) {
            for (const QString &entry : parser.values(s.flag)) {
                const auto kv = keyValue(entry);
                QString name = QStringLiteral("[%1] %2").arg(s.section, kv ? kv->first : entry);
                if (!take(s, flag, source, entry, here, name)) return out;
                // Topics are stored by their catalogue name: report the source under it.
                if (s.section == u"topics") {
                    out.sources.remove(name);
                    out.sources.insert(
                        QStringLiteral("[topics] %1").arg(catalogueTopicName(kv->first.trimmed())),
                        source);
                }
            }
        } else if (parser.isSet(s.flag) &&
                   !take(s, flag, source, parser.value(s.flag), here, s.name())) {
            return out;
        }
    }
    // A file's [topics] entries are named as written ("telemetry"): report them by catalogue
    // name too.
    for (const QString &name : out.sources.keys()) {
        if (!name.startsWith(QStringLiteral("[topics] ")) || name == u"[topics] replication")
            continue;
        const QString full = catalogueTopicName(name.mid(9));
        if (!full.isEmpty() && full != name.mid(9)) {
            const QString source = out.sources.take(name);
            if (!out.sources.contains(QStringLiteral("[topics] ") + full))
                out.sources.insert(QStringLiteral("[topics] ") + full, source);
        }
    }
    // Actions.
    if (parser.isSet(checkLab)) o.checkLab = parser.value(checkLab);
    if (parser.isSet(exportLab)) o.exportLab = parser.value(exportLab);
    o.printLabSchema = parser.isSet(printLabSchema);
    o.verifyAudit = parser.isSet(verifyAudit);

    // Settings that depend on each other.
    for (const auto &[window, name] :
         {std::pair{o.retention.eventMinutes, QStringLiteral("event_retention")},
          std::pair{o.retention.telemetryMinutes, QStringLiteral("telemetry_retention")}}) {
        const int partitions = window / o.retention.partitionMinutes;
        if (partitions > kMaxPartitionsPerWindow)
            return fail(
                tr("%1 %2 in partitions of %3 would keep %4 partitions of a table, more "
                   "than %5: give a longer partition_span or a shorter window")
                    .arg(name, durationText(window), durationText(o.retention.partitionMinutes))
                    .arg(partitions)
                    .arg(kMaxPartitionsPerWindow));
    }
    if (o.devices != 0 && o.simulate.isEmpty())
        return fail(tr("--devices needs --simulate PROFILE"));
    if (!o.databaseOwnerUrl.isEmpty() && o.databaseUrl.isEmpty())
        return fail(tr("--database-owner-url needs --database-url: the embedded database "
                       "manages its own roles"));
    if (!o.readDatabaseUrl.isEmpty() && o.databaseUrl.isEmpty())
        return fail(tr("--read-database-url needs --database-url: the embedded database has no "
                       "replica"));
    if (o.consoleOnly && o.databaseUrl.isEmpty())
        return fail(tr("--console-only needs --database-url: the database of the running "
                       "scheduler (it prints it at start)"));
    if (o.consoleOnly && !o.simulate.isEmpty())
        return fail(tr("--console-only runs no lab: leave out --simulate"));
    if (!o.labFile.isEmpty() && !o.simulate.isEmpty())
        return fail(tr("--lab and --simulate both declare the lab's devices: give one of them (a "
                       "lab file can declare simulated devices with \"driver\": \"simulated\")"));
    if (o.consoleOnly && !o.labFile.isEmpty())
        return fail(tr("--console-only runs no lab: leave out --lab (the scheduler has it)"));
    if (o.driversOnly) {
        if (o.labFile.isEmpty() || o.driverHost.isEmpty() || o.databaseUrl.isEmpty())
            return fail(tr("--drivers-only needs --lab FILE, --host NAME and --database-url (the "
                           "lab's database: its schedulers' keys and broker are read there)"));
        if (!o.simulate.isEmpty() || o.consoleOnly)
            return fail(tr("--drivers-only runs drivers only: leave out --simulate and "
                           "--console-only"));
    } else if (!o.driverHost.isEmpty()) {
        return fail(tr("--host NAME is for a driver host: give --drivers-only too"));
    }
    if (o.api.tlsCertificate.isEmpty() != o.api.tlsKey.isEmpty())
        return fail(tr("API TLS: give both --api-tls-cert and --api-tls-key ([api] "
                       "tls_certificate and tls_key), or neither"));
    for (const auto &[file, what] : {std::pair{o.api.tlsCertificate, QStringLiteral("certificate")},
                                     std::pair{o.api.tlsKey, QStringLiteral("key")}}) {
        if (file.isEmpty()) continue;
        const QFileInfo info(file);
        if (!info.isFile() || !info.isReadable())
            return fail(tr("API TLS %1 %2: no such readable file").arg(what, file));
    }
    if (!o.api.tlsKey.isEmpty() && readableByOthers(o.api.tlsKey))
        out.warnings
            << tr("API TLS key %1 can be read by other users: chmod 600 %1").arg(o.api.tlsKey);
    if (o.dataDir.isEmpty()) o.dataDir = defaultDataDir();
    o.dataDir = QDir(o.dataDir).absolutePath();
    if (parser.isSet(printConfigFlag)) {
        out.outcome = ParsedOptions::ExitOk;
        out.message = printConfig(table, out);
    }
    return out;
}

} // namespace alabos
