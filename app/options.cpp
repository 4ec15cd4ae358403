#include "app/options.h"

#include "core/engine/labsimulation.h"
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

ParsedOptions parseOptions(const QStringList &args, const QProcessEnvironment &env,
                           QString configFile)
{
    ParsedOptions out;
    auto fail = [&](const QString &why) {
        out.outcome = ParsedOptions::ExitError;
        out.message = why;
        return out;
    };

    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("alabos: the laboratory automation console. Runs the lab scheduler and the device "
           "drivers, stores the lab in PostgreSQL and streams it through Kafka. With nothing "
           "configured it starts its own PostgreSQL server and Kafka broker."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     tr("Show the version and exit."));
    const QCommandLineOption headless(
        QStringLiteral("headless"),
        tr("Run without a window (a lab server or CI): print a "
           "progress line every few seconds and a summary at the end."));
    const QCommandLineOption simulate(QStringLiteral("simulate"),
                                      tr("Run a simulated lab: PROFILE is one of: %1.")
                                          .arg(LabProfile::names().join(QStringLiteral(", "))),
                                      QStringLiteral("PROFILE"));
    const QCommandLineOption devices(QStringLiteral("devices"),
                                     tr("Number of simulated devices (1 to %1).").arg(kMaxDevices),
                                     QStringLiteral("N"));
    const QCommandLineOption runFor(QStringLiteral("run-for"),
                                    tr("Stop after SECONDS and print a summary."),
                                    QStringLiteral("SECONDS"));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        tr("Where alabos keeps its embedded database (default %1).").arg(defaultDataDir()),
        QStringLiteral("DIR"));
    const QCommandLineOption databaseUrl(
        QStringLiteral("database-url"),
        tr("Use this PostgreSQL server instead of the embedded one (also ALABOS_DATABASE_URL). "
           "Put the password in a passfile (passfile=... or PGPASSFILE) or PGPASSWORD, not on "
           "the command line: every local user can read a command line."),
        QStringLiteral("URL"));
    const QCommandLineOption databaseOwnerUrl(
        QStringLiteral("database-owner-url"),
        tr("With --database-url: connect as the role that owns the schema for migrations and "
           "retention, and use --database-url for everything else (also "
           "ALABOS_DATABASE_OWNER_URL)."),
        QStringLiteral("URL"));
    const QCommandLineOption kafkaBootstrap(
        QStringLiteral("kafka-bootstrap"),
        tr("Use this Kafka cluster instead of the embedded broker (also "
           "ALABOS_KAFKA_BOOTSTRAP)."),
        QStringLiteral("HOST:PORT,..."));
    const QCommandLineOption kafkaProperty(
        QStringLiteral("kafka-property"),
        tr("A Kafka client property passed through, e.g. security.protocol=SASL_SSL; repeatable."),
        QStringLiteral("KEY=VALUE"));
    const QCommandLineOption topicPartitions(
        QStringLiteral("topic-partitions"),
        tr("Create TOPIC with N partitions, 1 to %1, e.g. telemetry=64; repeatable. Topics "
           "that exist already keep theirs.")
            .arg(kMaxTopicPartitions),
        QStringLiteral("TOPIC=N"));
    const QCommandLineOption topicReplication(
        QStringLiteral("topic-replication"),
        tr("Replication factor of the topics alabos creates on a Kafka cluster, 1 to %1 "
           "(default %2).")
            .arg(kMaxTopicReplication)
            .arg(TopicLayout{}.replication),
        QStringLiteral("N"));
    const QCommandLineOption config(
        QStringLiteral("config"),
        tr("Read settings from FILE (default %1).").arg(defaultConfigFile(env)),
        QStringLiteral("FILE"));
    const QCommandLineOption fastDb(QStringLiteral("no-fsync"),
                                    tr("Run the embedded database without fsync (tests and demos "
                                       "only: a power cut can lose data)."));
    const QCommandLineOption telemetryRetention(
        QStringLiteral("telemetry-retention-days"),
        tr("Keep raw telemetry this many days, 1 to %1 (default %2; also "
           "ALABOS_TELEMETRY_RETENTION_DAYS). Older day partitions are dropped whole.")
            .arg(kMaxRetentionDays)
            .arg(RetentionSettings{}.telemetryDays),
        QStringLiteral("DAYS"));
    const QCommandLineOption eventRetention(
        QStringLiteral("event-retention-days"),
        tr("Keep events this many days, 1 to %1 (default %2; also ALABOS_EVENT_RETENTION_DAYS). "
           "Events the relay has not published yet are always kept.")
            .arg(kMaxRetentionDays)
            .arg(RetentionSettings{}.eventDays),
        QStringLiteral("DAYS"));
    const QCommandLineOption consoleOnly(
        QStringLiteral("console-only"),
        tr("Be a console only: show the lab of the scheduler that uses --database-url and send "
           "commands to it through Kafka; never run the scheduler here."));
    const QCommandLineOption leaderDatabaseUrl(
        QStringLiteral("leader-database-url"),
        tr("A direct PostgreSQL connection for the scheduler lock when --database-url goes "
           "through PgBouncer in transaction mode (also ALABOS_LEADER_DATABASE_URL)."),
        QStringLiteral("URL"));
    const QCommandLineOption lab(
        QStringLiteral("lab"),
        tr("Run the lab declared in FILE (devices, their drivers and settings, positions); also "
           "ALABOS_LAB or \"lab\" in the config file. See docs/lab.md."),
        QStringLiteral("FILE"));
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
    const QCommandLineOption adminPasswordFile(
        QStringLiteral("admin-password-file"),
        tr("At the first start of a new database, give the administrator \"admin\" the "
           "password in FILE (its first line) instead of a generated one."),
        QStringLiteral("FILE"));
    const QCommandLineOption verifyAudit(
        QStringLiteral("verify-audit"),
        tr("Check that no row of the audit trail was changed or removed (its hash chain), "
           "name the first broken row, and exit."));
    const QCommandLineOption apiOn(QStringLiteral("api"),
                                   tr("Serve the REST API, metrics and health (docs/api.md); on by "
                                      "default in headless mode."));
    const QCommandLineOption apiOff(QStringLiteral("no-api"), tr("Do not serve the REST API."));
    const QCommandLineOption apiListen(
        QStringLiteral("api-listen"),
        tr("The API's address (default %1; port 0: any free port).").arg(ApiSettings{}.listen),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption apiCert(QStringLiteral("api-tls-cert"),
                                     tr("Serve the API over HTTPS with this PEM certificate."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption apiKey(QStringLiteral("api-tls-key"),
                                    tr("The PEM private key of --api-tls-cert."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption apiRate(QStringLiteral("api-rate"),
                                     tr("Requests a second each API token may send (default %1).")
                                         .arg(ApiSettings{}.requestsPerSecond),
                                     QStringLiteral("N"));
    const QCommandLineOption apiBurst(
        QStringLiteral("api-burst"),
        tr("Requests an API token may send at once (default %1).").arg(ApiSettings{}.burst),
        QStringLiteral("N"));
    const QCommandLineOption apiThreads(
        QStringLiteral("api-threads"),
        tr("Threads serving the API (default %1).").arg(ApiSettings{}.threads),
        QStringLiteral("N"));
    parser.addOptions({apiOn, apiOff, apiListen, apiCert, apiKey, apiRate, apiBurst, apiThreads});
    parser.addOptions({help,
                       version,
                       headless,
                       simulate,
                       devices,
                       runFor,
                       dataDir,
                       databaseUrl,
                       kafkaBootstrap,
                       kafkaProperty,
                       topicPartitions,
                       topicReplication,
                       config,
                       fastDb,
                       telemetryRetention,
                       eventRetention,
                       consoleOnly,
                       leaderDatabaseUrl,
                       lab,
                       checkLab,
                       exportLab,
                       printLabSchema,
                       adminPasswordFile,
                       verifyAudit,
                       databaseOwnerUrl});

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
    // The retention days of every source, the file's key, variable or flag named when bad.
    struct RetentionSource
    {
        int RetentionSettings::*days;
        QString key;
        QString variable;
        const QCommandLineOption &flag;
    };
    const RetentionSource retentionSources[] = {
        {&RetentionSettings::telemetryDays, QStringLiteral("telemetry_retention_days"),
         QStringLiteral("ALABOS_TELEMETRY_RETENTION_DAYS"), telemetryRetention},
        {&RetentionSettings::eventDays, QStringLiteral("event_retention_days"),
         QStringLiteral("ALABOS_EVENT_RETENTION_DAYS"), eventRetention}};
    auto setRetention = [&](int RetentionSettings::*days, const QString &where,
                            const QString &text) {
        const std::optional<int> value = wholeNumber(text, kMaxRetentionDays);
        if (!value) {
            fail(tr("%1: \"%2\" is not a whole number of days from 1 to %3")
                     .arg(where, text)
                     .arg(kMaxRetentionDays));
            return false;
        }
        o.retention.*days = *value;
        return true;
    };
    // Topic layout: every source names itself in the message.
    auto setPartitions = [&](const QString &where, const QString &topic, const QString &count) {
        const QString name = catalogueTopicName(topic.trimmed());
        if (name.isEmpty()) {
            QStringList known;
            for (const TopicSpec &spec : topicCatalogue())
                known << spec.name;
            fail(tr("%1: unknown topic \"%2\" (known: %3)")
                     .arg(where, topic, known.join(QStringLiteral(", "))));
            return false;
        }
        const std::optional<int> n = wholeNumber(count, kMaxTopicPartitions);
        if (!n) {
            fail(tr("%1: partitions of %2: \"%3\" is not a whole number from 1 to %4")
                     .arg(where, name, count)
                     .arg(kMaxTopicPartitions));
            return false;
        }
        o.topics.partitions.insert(name, *n);
        return true;
    };
    auto setReplication = [&](const QString &where, const QString &text) {
        const std::optional<int> n = wholeNumber(text, kMaxTopicReplication);
        if (!n) {
            fail(tr("%1: \"%2\" is not a whole number from 1 to %3")
                     .arg(where, text)
                     .arg(kMaxTopicReplication));
            return false;
        }
        o.topics.replication = *n;
        return true;
    };
    // 1. The config file.
    const bool explicitConfig = parser.isSet(config) || !configFile.isEmpty();
    if (parser.isSet(config)) configFile = parser.value(config);
    if (configFile.isEmpty()) configFile = defaultConfigFile(env);
    if (QFileInfo::exists(configFile)) {
        QSettings file(configFile, QSettings::IniFormat);
        if (file.status() != QSettings::NoError)
            return fail(
                tr("config file %1 cannot be read: it is not a valid INI file").arg(configFile));
        o.configFile = configFile;
        const QStringList known{QStringLiteral("database_url"),
                                QStringLiteral("database_owner_url"),
                                QStringLiteral("kafka_bootstrap"),
                                QStringLiteral("data_dir"),
                                QStringLiteral("lab"),
                                QStringLiteral("telemetry_retention_days"),
                                QStringLiteral("event_retention_days")};
        for (const QString &key : file.childKeys()) {
            if (!known.contains(key))
                return fail(tr("config file %1: unknown setting \"%2\" (known: %3, a [kafka] "
                               "section of client properties and a [topics] section)")
                                .arg(configFile, key, known.join(QStringLiteral(", "))));
        }
        o.databaseUrl = file.value(QStringLiteral("database_url")).toString();
        o.databaseOwnerUrl = file.value(QStringLiteral("database_owner_url")).toString();
        o.kafka.bootstrap = file.value(QStringLiteral("kafka_bootstrap")).toString();
        o.dataDir = file.value(QStringLiteral("data_dir")).toString();
        // A lab file named in the config file is found next to it.
        if (file.contains(QStringLiteral("lab")))
            o.labFile = QFileInfo(configFile)
                            .absoluteDir()
                            .absoluteFilePath(file.value(QStringLiteral("lab")).toString());
        for (const RetentionSource &r : retentionSources)
            if (file.contains(r.key) &&
                !setRetention(r.days, tr("config file %1: %2").arg(configFile, r.key),
                              file.value(r.key).toString()))
                return out;
        file.beginGroup(QStringLiteral("kafka"));
        for (const QString &key : file.childKeys())
            o.kafka.properties.insert(key, file.value(key).toString());
        file.endGroup();
        file.beginGroup(QStringLiteral("topics"));
        for (const QString &key : file.childKeys()) {
            const QString where = tr("config file %1: [topics] %2").arg(configFile, key);
            const QString value = file.value(key).toString();
            if (key == QLatin1StringView("replication") ? !setReplication(where, value)
                                                        : !setPartitions(where, key, value))
                return out;
        }
        file.endGroup();
        if (const QString key = secretKey(o); !key.isEmpty() && readableByOthers(configFile))
            out.warnings << tr("config file %1 holds a secret (%2) and other users can read it: "
                               "chmod 600 %1")
                                .arg(configFile, key);
    } else if (explicitConfig) {
        return fail(tr("config file %1 does not exist").arg(configFile));
    }
    // 2. The environment.
    if (env.contains(QStringLiteral("ALABOS_DATABASE_URL")))
        o.databaseUrl = env.value(QStringLiteral("ALABOS_DATABASE_URL"));
    if (env.contains(QStringLiteral("ALABOS_KAFKA_BOOTSTRAP")))
        o.kafka.bootstrap = env.value(QStringLiteral("ALABOS_KAFKA_BOOTSTRAP"));
    if (env.contains(QStringLiteral("ALABOS_DATA_DIR")))
        o.dataDir = env.value(QStringLiteral("ALABOS_DATA_DIR"));
    if (env.contains(QStringLiteral("ALABOS_LAB")))
        o.labFile = env.value(QStringLiteral("ALABOS_LAB"));
    for (const RetentionSource &r : retentionSources)
        if (env.contains(r.variable) && !setRetention(r.days, r.variable, env.value(r.variable)))
            return out;
    if (env.contains(QStringLiteral("ALABOS_DATABASE_OWNER_URL")))
        o.databaseOwnerUrl = env.value(QStringLiteral("ALABOS_DATABASE_OWNER_URL"));
    if (env.contains(QStringLiteral("ALABOS_LEADER_DATABASE_URL")))
        o.leaderDatabaseUrl = env.value(QStringLiteral("ALABOS_LEADER_DATABASE_URL"));
    // 3. Flags.
    o.headless = parser.isSet(headless);
    o.durableEmbeddedDatabase = !parser.isSet(fastDb);
    if (parser.isSet(databaseUrl)) o.databaseUrl = parser.value(databaseUrl);
    if (parser.isSet(databaseOwnerUrl)) o.databaseOwnerUrl = parser.value(databaseOwnerUrl);
    if (parser.isSet(kafkaBootstrap)) o.kafka.bootstrap = parser.value(kafkaBootstrap);
    if (parser.isSet(dataDir)) o.dataDir = parser.value(dataDir);
    o.consoleOnly = parser.isSet(consoleOnly);
    if (parser.isSet(lab)) o.labFile = parser.value(lab);
    if (parser.isSet(checkLab)) o.checkLab = parser.value(checkLab);
    if (parser.isSet(exportLab)) o.exportLab = parser.value(exportLab);
    o.printLabSchema = parser.isSet(printLabSchema);
    if (parser.isSet(adminPasswordFile)) o.adminPasswordFile = parser.value(adminPasswordFile);
    o.verifyAudit = parser.isSet(verifyAudit);
    if (parser.isSet(leaderDatabaseUrl)) o.leaderDatabaseUrl = parser.value(leaderDatabaseUrl);
    for (const QString &kv : parser.values(kafkaProperty)) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0) return fail(tr("--kafka-property \"%1\" is not KEY=VALUE").arg(kv));
        o.kafka.properties.insert(kv.left(eq), kv.mid(eq + 1));
    }
    for (const QString &tn : parser.values(topicPartitions)) {
        const qsizetype eq = tn.indexOf(u'=');
        if (eq <= 0) return fail(tr("--topic-partitions \"%1\" is not TOPIC=N").arg(tn));
        if (!setPartitions(QStringLiteral("--topic-partitions"), tn.left(eq), tn.mid(eq + 1)))
            return out;
    }
    if (parser.isSet(topicReplication) &&
        !setReplication(QStringLiteral("--topic-replication"), parser.value(topicReplication)))
        return out;
    for (const RetentionSource &r : retentionSources)
        if (parser.isSet(r.flag) &&
            !setRetention(r.days, QStringLiteral("--") + r.flag.names().first(),
                          parser.value(r.flag)))
            return out;
    if (parser.isSet(apiOn) && parser.isSet(apiOff))
        return fail(tr("--api and --no-api exclude each other"));
    if (parser.isSet(apiOn)) o.api.mode = ApiSettings::Mode::On;
    if (parser.isSet(apiOff)) o.api.mode = ApiSettings::Mode::Off;
    if (parser.isSet(apiListen)) o.api.listen = parser.value(apiListen);
    if (parser.isSet(apiCert)) o.api.tlsCertificate = parser.value(apiCert);
    if (parser.isSet(apiKey)) o.api.tlsKey = parser.value(apiKey);
    if (o.api.tlsCertificate.isEmpty() != o.api.tlsKey.isEmpty())
        return fail(tr("--api-tls-cert and --api-tls-key go together"));
    if (parser.isSet(apiRate)) {
        bool ok = false;
        o.api.requestsPerSecond = parser.value(apiRate).toDouble(&ok);
        if (!ok || o.api.requestsPerSecond < 0.1 || o.api.requestsPerSecond > 100000)
            return fail(tr("--api-rate: \"%1\" is not a number from 0.1 to 100000")
                            .arg(parser.value(apiRate)));
    }
    if (parser.isSet(apiBurst)) {
        const std::optional<int> n = wholeNumber(parser.value(apiBurst), 1000000);
        if (!n)
            return fail(tr("--api-burst: \"%1\" is not a whole number from 1 to 1000000")
                            .arg(parser.value(apiBurst)));
        o.api.burst = *n;
    }
    if (parser.isSet(apiThreads)) {
        const std::optional<int> n = wholeNumber(parser.value(apiThreads), 64);
        if (!n)
            return fail(tr("--api-threads: \"%1\" is not a whole number from 1 to 64")
                            .arg(parser.value(apiThreads)));
        o.api.threads = *n;
    }
    if (parser.isSet(simulate)) {
        o.simulate = parser.value(simulate);
        if (!LabProfile::names().contains(o.simulate))
            return fail(tr("--simulate: unknown profile \"%1\" (known: %2)")
                            .arg(o.simulate, LabProfile::names().join(QStringLiteral(", "))));
    }
    if (parser.isSet(devices)) {
        bool ok = false;
        o.devices = parser.value(devices).toInt(&ok);
        if (!ok || o.devices < 1 || o.devices > kMaxDevices)
            return fail(tr("--devices: \"%1\" is not a whole number from 1 to %2")
                            .arg(parser.value(devices))
                            .arg(kMaxDevices));
        if (o.simulate.isEmpty()) return fail(tr("--devices needs --simulate PROFILE"));
    }
    if (parser.isSet(runFor)) {
        bool ok = false;
        o.runForS = parser.value(runFor).toDouble(&ok);
        if (!ok || o.runForS <= 0 || o.runForS > 365.0 * 24 * 3600)
            return fail(tr("--run-for: \"%1\" is not a positive number of seconds")
                            .arg(parser.value(runFor)));
    }
    if (!o.databaseUrl.isEmpty() && !validDatabaseUrl(o.databaseUrl))
        return fail(tr("database URL: not a postgresql:// URL or libpq keyword=value "
                       "settings that libpq can read, of at most %1 characters (the text is not "
                       "shown: it may hold a password)")
                        .arg(kMaxDatabaseUrlLength));
    if (!o.databaseOwnerUrl.isEmpty() && !validDatabaseUrl(o.databaseOwnerUrl))
        return fail(tr("database owner URL: not a postgresql:// URL or libpq keyword=value "
                       "settings that libpq can read, of at most %1 characters (the text is not "
                       "shown: it may hold a password)")
                        .arg(kMaxDatabaseUrlLength));
    if (!o.databaseOwnerUrl.isEmpty() && o.databaseUrl.isEmpty())
        return fail(tr("--database-owner-url needs --database-url: the embedded database "
                       "manages its own roles"));
    if (!o.leaderDatabaseUrl.isEmpty() && !validDatabaseUrl(o.leaderDatabaseUrl))
        return fail(tr("leader database URL: not a postgresql:// URL or libpq keyword=value "
                       "settings that libpq can read, of at most %1 characters (the text is not "
                       "shown: it may hold a password)")
                        .arg(kMaxDatabaseUrlLength));
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
    if (!o.labFile.isEmpty()) o.labFile = QFileInfo(o.labFile).absoluteFilePath();
    if (!o.kafka.bootstrap.isEmpty() && !validBootstrap(o.kafka.bootstrap))
        return fail(tr("Kafka bootstrap \"%1\" is not a list of HOST:PORT").arg(o.kafka.bootstrap));
    if (o.dataDir.isEmpty()) o.dataDir = defaultDataDir();
    o.dataDir = QDir(o.dataDir).absolutePath();
    return out;
}

} // namespace alabos
