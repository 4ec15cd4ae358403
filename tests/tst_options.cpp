#include "app/options.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace alabos;

namespace {
QProcessEnvironment emptyEnv(const QString &configHome)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    return env;
}
// A config file in `dir` with `text`; its path.
QString writeConfig(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.path() + QStringLiteral("/alabos.conf");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) return {};
    return path;
}
QStringList argv(QStringList rest)
{
    rest.prepend(QStringLiteral("alabos"));
    return rest;
}
} // namespace

class TstOptions : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;

    // Flags, a variable ("NAME=VALUE") and a config file together are refused with `expected`.
    void expectRefused(const QStringList &flags, const QString &variable,
                       const QByteArray &fileText, const QString &expected)
    {
        QTemporaryDir dir;
        const QString file = writeConfig(dir, fileText);
        QVERIFY(!file.isEmpty());
        QProcessEnvironment env = emptyEnv(m_home.path());
        if (!variable.isEmpty())
            env.insert(variable.section(u'=', 0, 0), variable.section(u'=', 1));
        const auto p =
            parseOptions(argv(QStringList{QStringLiteral("--config"), file} + flags), env);
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(expected), qPrintable(p.message));
    }

private Q_SLOTS:
    void theReadmeListsExactlyTheFlagsTheProgramKnows()
    {
        const ParsedOptions help =
            parseOptions({QStringLiteral("alabos"), QStringLiteral("--help")},
                         QProcessEnvironment(), QStringLiteral("/nonexistent"));
        QCOMPARE(help.outcome, ParsedOptions::ExitOk);
        const QRegularExpression flag(QStringLiteral("--([a-z][a-z-]+)"));
        QSet<QString> known;
        for (const auto &m : flag.globalMatch(help.message))
            known.insert(m.captured(1));
        known.remove(QStringLiteral("help"));
        known.remove(QStringLiteral("version"));
        QFile readme(QStringLiteral(ALABOS_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        QSet<QString> documented;
        const QRegularExpression row(QStringLiteral("^\\| `--"));
        for (const QString &line : QString::fromUtf8(readme.readAll()).split(u'\n'))
            if (row.match(line).hasMatch())
                for (const auto &m : flag.globalMatch(line.section(u'|', 1, 1)))
                    documented.insert(m.captured(1));
        const QSet<QString> missing = known - documented;
        const QSet<QString> extra = documented - known;
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not in README: ") +
                                               QStringList(missing.values()).join(u' ')));
        QVERIFY2(extra.isEmpty(), qPrintable(QStringLiteral("not a flag: ") +
                                             QStringList(extra.values()).join(u' ')));
    }

    void defaults()
    {
        const auto p = parseOptions(argv({}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QVERIFY(p.options.databaseUrl.isEmpty());
        QVERIFY(p.options.kafka.bootstrap.isEmpty());
        QVERIFY(!p.options.headless);
        QCOMPARE(p.options.dataDir, defaultDataDir());
        QCOMPARE(p.options.retention.telemetryMinutes, 30 * kMinutesPerDay);
        QCOMPARE(p.options.retention.eventMinutes, 90 * kMinutesPerDay);
        QCOMPARE(p.options.retention.partitionMinutes, kMinutesPerDay);
    }

    void labFileFlagBeatsEnvironmentBeatsConfigFile()
    {
        QTemporaryDir dir;
        // A config file's lab is found next to the config file.
        const QString file = writeConfig(dir, "lab=labs/bench.json\n");
        const QStringList config{QStringLiteral("--config"), file};
        QProcessEnvironment env = emptyEnv(m_home.path());
        auto p = parseOptions(argv(config), env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.labFile, dir.path() + QStringLiteral("/labs/bench.json"));
        env.insert(QStringLiteral("ALABOS_LAB"), QStringLiteral("/srv/lab/from-env.json"));
        p = parseOptions(argv(config), env);
        QCOMPARE(p.options.labFile, QStringLiteral("/srv/lab/from-env.json"));
        p = parseOptions(
            argv(config + QStringList{QStringLiteral("--lab"), QStringLiteral("/x/flag.json")}),
            env);
        QCOMPARE(p.options.labFile, QStringLiteral("/x/flag.json"));
        // A relative flag is relative to the working folder, made absolute at once.
        p = parseOptions(argv({QStringLiteral("--lab"), QStringLiteral("lab.json")}),
                         emptyEnv(m_home.path()));
        QCOMPARE(p.options.labFile, QDir::current().absoluteFilePath(QStringLiteral("lab.json")));
        // A lab file and a simulated profile both declare devices; a console runs no lab.
        p = parseOptions(argv({QStringLiteral("--lab"), QStringLiteral("a.json"),
                               QStringLiteral("--simulate"), QStringLiteral("demo")}),
                         emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(QStringLiteral("--lab and --simulate")), qPrintable(p.message));
        p = parseOptions(argv({QStringLiteral("--lab"), QStringLiteral("a.json"),
                               QStringLiteral("--console-only"), QStringLiteral("--database-url"),
                               QStringLiteral("host=/tmp dbname=x")}),
                         emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(QStringLiteral("--console-only runs no lab")),
                 qPrintable(p.message));
        p = parseOptions(argv({QStringLiteral("--check-lab"), QStringLiteral("x.json"),
                               QStringLiteral("--export-lab"), QStringLiteral("y.json")}),
                         emptyEnv(m_home.path()));
        QCOMPARE(p.options.checkLab, QStringLiteral("x.json"));
        QCOMPARE(p.options.exportLab, QStringLiteral("y.json"));
    }

    void retentionFlagsBeatEnvironmentBeatFile()
    {
        QTemporaryDir dir;
        const QString file = writeConfig(dir, "telemetry_retention=7\nevent_retention=365d\n");
        QVERIFY(!file.isEmpty());
        const QStringList config{QStringLiteral("--config"), file};
        QProcessEnvironment env = emptyEnv(m_home.path());
        auto p = parseOptions(argv(config), env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.retention.telemetryMinutes, 7 * kMinutesPerDay);
        QCOMPARE(p.options.retention.eventMinutes, 365 * kMinutesPerDay);

        env.insert(QStringLiteral("ALABOS_TELEMETRY_RETENTION"), QStringLiteral("14d"));
        p = parseOptions(argv(config), env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.retention.telemetryMinutes, 14 * kMinutesPerDay);
        QCOMPARE(p.options.retention.eventMinutes,
                 365 * kMinutesPerDay); // the file's, no variable set

        env.insert(QStringLiteral("ALABOS_EVENT_RETENTION"), QStringLiteral("3650"));
        p = parseOptions(argv(config + QStringList{QStringLiteral("--telemetry-retention"),
                                                   QStringLiteral("12h")}),
                         env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.retention.telemetryMinutes, 12 * 60);
        QCOMPARE(p.options.retention.eventMinutes, 3650 * kMinutesPerDay);

        p = parseOptions(argv({QStringLiteral("--event-retention"), QStringLiteral("45d")}),
                         emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.retention.telemetryMinutes, 30 * kMinutesPerDay);
        QCOMPARE(p.options.retention.eventMinutes, 45 * kMinutesPerDay);
    }

    void badRetentionInEnvironmentOrFile_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QByteArray>("fileText");
        QTest::addColumn<QString>("expected");
        QTest::newRow("env zero") << QStringLiteral("ALABOS_TELEMETRY_RETENTION=0") << QByteArray()
                                  << QStringLiteral("ALABOS_TELEMETRY_RETENTION: \"0\" is not "
                                                    "a duration from 10min to 3650d");
        QTest::newRow("env text") << QStringLiteral("ALABOS_EVENT_RETENTION=ninety") << QByteArray()
                                  << QStringLiteral("ALABOS_EVENT_RETENTION: \"ninety\"");
        QTest::newRow("env under ten minutes")
            << QStringLiteral("ALABOS_EVENT_RETENTION=9min") << QByteArray()
            << QStringLiteral("ALABOS_EVENT_RETENTION: \"9min\" is not a duration");
        QTest::newRow("file too many")
            << QString() << QByteArray("event_retention=3651\n")
            << QStringLiteral("event_retention: \"3651\" is not a duration");
        QTest::newRow("file fraction") << QString() << QByteArray("telemetry_retention=1.5\n")
                                       << QStringLiteral("telemetry_retention: \"1.5\"");
        QTest::newRow("file unknown unit") << QString() << QByteArray("telemetry_retention=2w\n")
                                           << QStringLiteral("telemetry_retention: \"2w\"");
        QTest::newRow("span not dividing a day")
            << QString() << QByteArray("partition_span=7min\n")
            << QStringLiteral("partition_span: \"7min\": a partition span must divide a day");
        QTest::newRow("span over a day")
            << QStringLiteral("ALABOS_PARTITION_SPAN=2d") << QByteArray()
            << QStringLiteral("ALABOS_PARTITION_SPAN: \"2d\"");
        QTest::newRow("span of hours not dividing a day")
            << QStringLiteral("ALABOS_PARTITION_SPAN=5h") << QByteArray()
            << QStringLiteral("ALABOS_PARTITION_SPAN: \"5h\": a partition span");
    }
    void badRetentionInEnvironmentOrFile()
    {
        QFETCH(QString, variable);
        QFETCH(QByteArray, fileText);
        QFETCH(QString, expected);
        expectRefused({}, variable, fileText, expected);
    }

    void topicLayoutFlagsBeatFile()
    {
        QTemporaryDir dir;
        const QString file =
            writeConfig(dir, "[topics]\nreplication=2\ntelemetry=64\nalabos.state.tasks=24\n");
        QVERIFY(!file.isEmpty());
        const QStringList config{QStringLiteral("--config"), file};
        auto p = parseOptions(argv(config), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.topics.replication, 2);
        QCOMPARE(p.options.topics.partitions.value(QStringLiteral("alabos.telemetry")), 64);
        QCOMPARE(p.options.topics.partitions.value(QStringLiteral("alabos.state.tasks")), 24);
        // The catalogue takes the layout; topics not named keep their defaults.
        for (const TopicSpec &spec : topicCatalogue(p.options.topics)) {
            if (spec.name == QLatin1StringView("alabos.telemetry")) QCOMPARE(spec.partitions, 64);
            if (spec.name == QLatin1StringView("alabos.state.devices"))
                QCOMPARE(spec.partitions, 8);
        }

        p = parseOptions(
            argv(config +
                 QStringList{QStringLiteral("--topic-partitions"), QStringLiteral("telemetry=4"),
                             QStringLiteral("--topic-partitions"), QStringLiteral("deadletter=3"),
                             QStringLiteral("--topic-replication"), QStringLiteral("1")}),
            emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.topics.replication, 1);
        QCOMPARE(p.options.topics.partitions.value(QStringLiteral("alabos.telemetry")), 4);
        QCOMPARE(p.options.topics.partitions.value(QStringLiteral("alabos.deadletter")), 3);
        QCOMPARE(p.options.topics.partitions.value(QStringLiteral("alabos.state.tasks")), 24);

        p = parseOptions(argv({}), emptyEnv(m_home.path()));
        QCOMPARE(p.options.topics.replication, 3);
        QVERIFY(p.options.topics.partitions.isEmpty());
    }

    void badTopicLayout_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QByteArray>("fileText");
        QTest::addColumn<QString>("expected");
        const QString tp = QStringLiteral("--topic-partitions");
        QTest::newRow("no equals") << QStringList{tp, QStringLiteral("telemetry")} << QByteArray()
                                   << QStringLiteral("\"telemetry\" is not TOPIC=N");
        QTest::newRow("unknown topic")
            << QStringList{tp, QStringLiteral("telemetryy=4")} << QByteArray()
            << QStringLiteral("unknown topic \"telemetryy\" (known: alabos.state.devices");
        QTest::newRow("zero") << QStringList{tp, QStringLiteral("telemetry=0")} << QByteArray()
                              << QStringLiteral("partitions of alabos.telemetry: \"0\" is not a "
                                                "whole number from 1 to 1000");
        QTest::newRow("too many") << QStringList{tp, QStringLiteral("alabos.alarms=1001")}
                                  << QByteArray() << QStringLiteral("\"1001\" is not a whole");
        QTest::newRow("text") << QStringList{tp, QStringLiteral("telemetry=many")} << QByteArray()
                              << QStringLiteral("\"many\" is not a whole number");
        QTest::newRow("replication zero")
            << QStringList{QStringLiteral("--topic-replication"), QStringLiteral("0")}
            << QByteArray()
            << QStringLiteral("--topic-replication: \"0\" is not a whole number "
                              "from 1 to 16");
        QTest::newRow("file unknown topic")
            << QStringList() << QByteArray("[topics]\nsamples=4\n")
            << QStringLiteral("[topics] samples: unknown topic \"samples\"");
        QTest::newRow("file bad count")
            << QStringList() << QByteArray("[topics]\ntelemetry=-2\n")
            << QStringLiteral("[topics] telemetry: partitions of alabos.telemetry: \"-2\"");
        QTest::newRow("file bad replication")
            << QStringList() << QByteArray("[topics]\nreplication=two\n")
            << QStringLiteral("[topics] replication: \"two\" is not a whole number");
    }

    void badTopicLayout()
    {
        QFETCH(QStringList, flags);
        QFETCH(QByteArray, fileText);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString file = writeConfig(dir, fileText);
        QVERIFY(!file.isEmpty());
        const auto p = parseOptions(argv(QStringList{QStringLiteral("--config"), file} + flags),
                                    emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(expected), qPrintable(p.message));
    }

    void consoleOnlyAndLeaderConnection()
    {
        QProcessEnvironment env = emptyEnv(m_home.path());
        env.insert(QStringLiteral("ALABOS_LEADER_DATABASE_URL"),
                   QStringLiteral("host=/run/pg port=5432"));
        auto p =
            parseOptions(argv({QStringLiteral("--console-only"), QStringLiteral("--database-url"),
                               QStringLiteral("host=/tmp port=6432")}),
                         env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QVERIFY(p.options.consoleOnly);
        QCOMPARE(p.options.leaderDatabaseUrl, QStringLiteral("host=/run/pg port=5432"));
        p = parseOptions(argv({QStringLiteral("--leader-database-url"), QStringLiteral("host=/x")}),
                         env);
        QCOMPARE(p.options.leaderDatabaseUrl, QStringLiteral("host=/x"));
        QVERIFY(!p.options.consoleOnly);
    }

    void readReplicaConnection()
    {
        QProcessEnvironment env = emptyEnv(m_home.path());
        const QString replicas = QStringLiteral("host=a,b port=5432,5432 "
                                                "target_session_attrs=prefer-standby");
        auto p = parseOptions(argv({QStringLiteral("--database-url"), QStringLiteral("host=/x"),
                                    QStringLiteral("--read-database-url"), replicas}),
                              env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.readDatabaseUrl, replicas);
        env.insert(QStringLiteral("ALABOS_READ_DATABASE_URL"), replicas);
        p = parseOptions(argv({}), env);
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(QStringLiteral("--read-database-url needs --database-url")),
                 qPrintable(p.message));
    }

    void ownerConnectionForMigrations()
    {
        QProcessEnvironment env = emptyEnv(m_home.path());
        env.insert(QStringLiteral("ALABOS_DATABASE_OWNER_URL"),
                   QStringLiteral("host=/run/pg user=alabos_owner"));
        auto p = parseOptions(argv({QStringLiteral("--database-url"),
                                    QStringLiteral("host=/run/pg user=alabos_app")}),
                              env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.databaseOwnerUrl, QStringLiteral("host=/run/pg user=alabos_owner"));
        p = parseOptions(argv({QStringLiteral("--database-url"), QStringLiteral("host=/x"),
                               QStringLiteral("--database-owner-url"), QStringLiteral("host=/y")}),
                         env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.databaseOwnerUrl, QStringLiteral("host=/y"));
    }

    void flagsBeatEnvironmentBeatFile()
    {
        QDir().mkpath(m_home.path() + QStringLiteral("/alabos"));
        QFile f(m_home.path() + QStringLiteral("/alabos/alabos.conf"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "database_url=postgresql://file/db\nkafka_bootstrap=file:9092\ndata_dir=/tmp/fromfile\n"
            "[kafka]\nsecurity.protocol=SASL_SSL\nsasl.password=hunter2\n");
        f.close();
        QProcessEnvironment env = emptyEnv(m_home.path());
        auto p = parseOptions(argv({}), env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.databaseUrl, QStringLiteral("postgresql://file/db"));
        QCOMPARE(p.options.kafka.bootstrap, QStringLiteral("file:9092"));
        QCOMPARE(p.options.dataDir, QStringLiteral("/tmp/fromfile"));
        QCOMPARE(p.options.kafka.properties.value(QStringLiteral("security.protocol")),
                 QStringLiteral("SASL_SSL"));
        QVERIFY(!p.options.kafka.describe().contains(QStringLiteral("hunter2")));

        env.insert(QStringLiteral("ALABOS_DATABASE_URL"), QStringLiteral("postgresql://env/db"));
        env.insert(QStringLiteral("ALABOS_KAFKA_BOOTSTRAP"), QStringLiteral("env:9092"));
        p = parseOptions(argv({}), env);
        QCOMPARE(p.options.databaseUrl, QStringLiteral("postgresql://env/db"));
        QCOMPARE(p.options.kafka.bootstrap, QStringLiteral("env:9092"));

        p = parseOptions(
            argv({QStringLiteral("--database-url"), QStringLiteral("host=/tmp dbname=x"),
                  QStringLiteral("--kafka-bootstrap"), QStringLiteral("flag:1,flag2:2")}),
            env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.databaseUrl, QStringLiteral("host=/tmp dbname=x"));
        QCOMPARE(p.options.kafka.bootstrap, QStringLiteral("flag:1,flag2:2"));
        QFile::remove(f.fileName());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown flag")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("devices text")
            << QStringList{QStringLiteral("--simulate"), QStringLiteral("demo"),
                           QStringLiteral("--devices"), QStringLiteral("many")}
            << QStringLiteral("--devices: \"many\"");
        QTest::newRow("devices zero")
            << QStringList{QStringLiteral("--simulate"), QStringLiteral("demo"),
                           QStringLiteral("--devices"), QStringLiteral("0")}
            << QStringLiteral("from 1 to");
        QTest::newRow("devices without simulate")
            << QStringList{QStringLiteral("--devices"), QStringLiteral("5")}
            << QStringLiteral("--devices needs --simulate");
        QTest::newRow("profile") << QStringList{QStringLiteral("--simulate"),
                                                QStringLiteral("mars")}
                                 << QStringLiteral("unknown profile \"mars\"");
        QTest::newRow("run-for") << QStringList{QStringLiteral("--run-for"), QStringLiteral("-3")}
                                 << QStringLiteral("--run-for");
        QTest::newRow("database url")
            << QStringList{QStringLiteral("--database-url"), QStringLiteral("mysql://x")}
            << QStringLiteral("--database-url: not a postgresql:// URL");
        QTest::newRow("bootstrap")
            << QStringList{QStringLiteral("--kafka-bootstrap"), QStringLiteral("nohostport")}
            << QStringLiteral("not a list of HOST:PORT");
        QTest::newRow("kafka property")
            << QStringList{QStringLiteral("--kafka-property"), QStringLiteral("novalue")}
            << QStringLiteral("is not KEY=VALUE");
        QTest::newRow("positional")
            << QStringList{QStringLiteral("stray")} << QStringLiteral("unexpected argument");
        QTest::newRow("telemetry retention zero")
            << QStringList{QStringLiteral("--telemetry-retention"), QStringLiteral("0")}
            << QStringLiteral("--telemetry-retention: \"0\" is not a duration from 10min to "
                              "3650d");
        QTest::newRow("event retention too many")
            << QStringList{QStringLiteral("--event-retention"), QStringLiteral("3651d")}
            << QStringLiteral("--event-retention: \"3651d\"");
        QTest::newRow("event retention text")
            << QStringList{QStringLiteral("--event-retention"), QStringLiteral("forever")}
            << QStringLiteral("--event-retention: \"forever\"");
        QTest::newRow("retention without value")
            << QStringList{QStringLiteral("--telemetry-retention")}
            << QStringLiteral("telemetry-retention");
        QTest::newRow("window of too many partitions")
            << QStringList{QStringLiteral("--partition-span"), QStringLiteral("10min")}
            << QStringLiteral("event_retention 90d in partitions of 10min would keep 12960 "
                              "partitions of a table, more than 3660");
        QTest::newRow("partition span of seconds")
            << QStringList{QStringLiteral("--partition-span"), QStringLiteral("30s")}
            << QStringLiteral("--partition-span: \"30s\": not a duration");
        QTest::newRow("console only without database")
            << QStringList{QStringLiteral("--console-only")}
            << QStringLiteral("--console-only needs --database-url");
        QTest::newRow("console only with simulate")
            << QStringList{QStringLiteral("--console-only"), QStringLiteral("--database-url"),
                           QStringLiteral("host=/tmp"), QStringLiteral("--simulate"),
                           QStringLiteral("demo")}
            << QStringLiteral("leave out --simulate");
        QTest::newRow("leader database url")
            << QStringList{QStringLiteral("--leader-database-url"), QStringLiteral("pgbouncer")}
            << QStringLiteral("--leader-database-url: not a postgresql:// URL");
        QTest::newRow("database url too long")
            << QStringList{QStringLiteral("--database-url"),
                           QStringLiteral("host=/tmp dbname=") + QString(5000, u'x')}
            << QStringLiteral("of at most 4096 characters");
        QTest::newRow("database owner url")
            << QStringList{QStringLiteral("--database-url"), QStringLiteral("host=/tmp"),
                           QStringLiteral("--database-owner-url"), QStringLiteral("owner")}
            << QStringLiteral("--database-owner-url: not a postgresql:// URL");
        QTest::newRow("database owner url without database url")
            << QStringList{QStringLiteral("--database-owner-url"), QStringLiteral("host=/tmp")}
            << QStringLiteral("--database-owner-url needs --database-url");
        QTest::newRow("missing config")
            << QStringList{QStringLiteral("--config"), QStringLiteral("/nonexistent/alabos.conf")}
            << QStringLiteral("does not exist");
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const auto p = parseOptions(argv(args), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(expected), qPrintable(p.message));
    }

    void unparsableDatabaseUrlIsRefusedWithoutShowingIt()
    {
        // A bad %-escape right after the password: libpq's own message would quote it.
        const auto p = parseOptions(argv({QStringLiteral("--database-url"),
                                          QStringLiteral("postgresql://u:s3cret%zz@h/d")}),
                                    emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(!p.message.contains(QStringLiteral("s3cret")), qPrintable(p.message));
        QVERIFY2(p.message.contains(QStringLiteral("not shown")), qPrintable(p.message));
    }

    void passfileAndPasswordSettingsAreKeptForLibpq()
    {
        // libpq reads passfile= (and PGPASSFILE/PGPASSWORD from the environment) itself: the
        // URL reaches it exactly as given.
        const QString url = QStringLiteral("host=/tmp dbname=x passfile=/home/u/.pgpass");
        const auto p =
            parseOptions(argv({QStringLiteral("--database-url"), url}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.databaseUrl, url);
        const auto help = parseOptions(argv({QStringLiteral("--help")}), emptyEnv(m_home.path()));
        QVERIFY2(help.message.contains(QStringLiteral("PGPASSFILE")), qPrintable(help.message));
        QVERIFY(help.message.contains(QStringLiteral("PGPASSWORD")));
        // The help text wraps lines: compared with its spacing simplified.
        QVERIFY2(help.message.simplified().contains(
                     QStringLiteral("every local user can read a command line")),
                 qPrintable(help.message));
    }

    void secretInConfigFileOthersCanReadWarns_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("key"); // empty: no warning
        QTest::newRow("url with password, 0644")
            << QByteArray("database_url=\"postgresql://u:s3cretPW@h/d\"\n") << 0644
            << QStringLiteral("database_url");
        QTest::newRow("key=value password, 0640")
            << QByteArray("database_url=\"host=h password=s3cretPW\"\n") << 0640
            << QStringLiteral("database_url");
        QTest::newRow("url with password, 0600")
            << QByteArray("database_url=\"postgresql://u:s3cretPW@h/d\"\n") << 0600 << QString();
        QTest::newRow("url without password, 0644")
            << QByteArray("database_url=\"postgresql://u@h/d\"\n") << 0644 << QString();
        QTest::newRow("kafka sasl.password, 0604")
            << QByteArray("[kafka]\nsasl.username=u\nsasl.password=s3cretPW\n") << 0604
            << QStringLiteral("[kafka] sasl.password");
        QTest::newRow("kafka sasl.jaas.config, 0644")
            << QByteArray("[kafka]\nsasl.jaas.config=x\n") << 0644
            << QStringLiteral("[kafka] sasl.jaas.config");
        QTest::newRow("kafka ssl.key.pem, 0644") << QByteArray("[kafka]\nssl.key.pem=x\n") << 0644
                                                 << QStringLiteral("[kafka] ssl.key.pem");
        QTest::newRow("kafka without secret, 0644")
            << QByteArray("[kafka]\nsasl.username=u\nsecurity.protocol=SASL_SSL\n") << 0644
            << QString();
    }
    void secretInConfigFileOthersCanReadWarns()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, mode);
        QFETCH(QString, key);
        QTemporaryDir dir;
        const QString file = writeConfig(dir, text);
        QVERIFY(!file.isEmpty());
        QCOMPARE(::chmod(QFile::encodeName(file).constData(), mode_t(mode)), 0);
        const auto p =
            parseOptions(argv({QStringLiteral("--config"), file}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        if (key.isEmpty()) {
            QVERIFY2(p.warnings.isEmpty(), qPrintable(p.warnings.join(u'\n')));
            return;
        }
        QCOMPARE(p.warnings.size(), 1);
        const QString &warning = p.warnings.first();
        QVERIFY2(warning.contains(file), qPrintable(warning));
        QVERIFY2(warning.contains(key), qPrintable(warning));
        QVERIFY2(warning.contains(QStringLiteral("chmod 600 ") + file), qPrintable(warning));
        QVERIFY2(!warning.contains(QStringLiteral("s3cretPW")), qPrintable(warning));
    }

    void unknownConfigKeyIsRefused()
    {
        QTemporaryDir dir;
        const QString file = writeConfig(dir, "databse_url=typo\n");
        QVERIFY(!file.isEmpty());
        const auto p =
            parseOptions(argv({QStringLiteral("--config"), file}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::ExitError);
        QVERIFY2(p.message.contains(QStringLiteral("unknown setting \"databse_url\"")),
                 qPrintable(p.message));
    }

    // docs/configuration.md's settings table, row by row, as the code's table would write it.
    static QString docRow(const QString &file, const QStringList &flags, const QString &variable,
                          const QString &dflt, const QString &range)
    {
        return QStringList{file, flags.join(u','), variable, dflt, range}.join(
            QStringLiteral(" | "));
    }
    void theConfigurationDocListsExactlyTheSettingsOfTheTable()
    {
        QSet<QString> code;
        for (const Setting &s : settingTable()) {
            QStringList flags{s.flag};
            if (!s.offFlag.isEmpty()) flags << s.offFlag;
            code.insert(
                docRow(s.inFile ? s.name() : QString(), flags, s.variable, s.defaultText, s.range));
        }
        QFile doc(QStringLiteral(ALABOS_SOURCE_DIR "/docs/configuration.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QSet<QString> documented;
        bool inTable = false;
        const QRegularExpression flag(QStringLiteral("`--([a-z][a-z-]*)"));
        auto plain = [](QString cell) {
            cell = cell.trimmed();
            if (cell == u"—") return QString();
            if (cell.startsWith(u'`') && cell.endsWith(u'`')) cell = cell.mid(1, cell.size() - 2);
            return cell;
        };
        for (const QString &line : QString::fromUtf8(doc.readAll()).split(u'\n')) {
            if (line.startsWith(QStringLiteral("## "))) inTable = line == u"## Settings";
            if (!inTable || !line.startsWith(QStringLiteral("| ")) ||
                line.startsWith(QStringLiteral("| Config file")))
                continue;
            const QStringList cells = line.split(u'|');
            if (cells.size() < 8) continue; // the separator row has them too, but no flag
            QStringList flags;
            for (const auto &m : flag.globalMatch(cells.at(2)))
                flags << m.captured(1);
            if (flags.isEmpty()) continue;
            documented.insert(docRow(plain(cells.at(1)), flags, plain(cells.at(3)),
                                     plain(cells.at(4)), cells.at(5).trimmed()));
        }
        const QSet<QString> undocumented = code - documented;
        const QSet<QString> unknown = documented - code;
        QVERIFY2(undocumented.isEmpty(),
                 qPrintable(QStringLiteral("not in docs/configuration.md (as written by the "
                                           "code):\n") +
                            QStringList(undocumented.values()).join(u'\n')));
        QVERIFY2(unknown.isEmpty(),
                 qPrintable(QStringLiteral("documented but not in the table:\n") +
                            QStringList(unknown.values()).join(u'\n')));
    }

    void helpListsEveryFlagOfTheTable()
    {
        const auto help = parseOptions(argv({QStringLiteral("--help")}), emptyEnv(m_home.path()));
        QCOMPARE(help.outcome, ParsedOptions::ExitOk);
        QStringList flags{QStringLiteral("print-config"), QStringLiteral("check-lab"),
                          QStringLiteral("export-lab"), QStringLiteral("print-lab-schema"),
                          QStringLiteral("verify-audit")};
        for (const Setting &s : settingTable()) {
            flags << s.flag;
            if (!s.offFlag.isEmpty()) flags << s.offFlag;
            // The help names each setting's variable and file key too.
            if (!s.variable.isEmpty())
                QVERIFY2(help.message.contains(s.variable), qPrintable(s.variable));
        }
        for (const QString &f : flags)
            QVERIFY2(
                QRegularExpression(QStringLiteral("--%1\\b").arg(f)).match(help.message).hasMatch(),
                qPrintable(f));
    }

    // The lines of --print-config by setting name: {value, source}.
    static QMap<QString, QPair<QString, QString>> printedConfig(const QString &text)
    {
        QMap<QString, QPair<QString, QString>> out;
        static const QRegularExpression line(QStringLiteral("^(.+?) = (.*)    \\((.+)\\)$"));
        for (const QString &l : text.split(u'\n')) {
            const auto m = line.match(l);
            if (m.hasMatch()) out.insert(m.captured(1), {m.captured(2), m.captured(3)});
        }
        return out;
    }

    void printConfigNamesTheSourceOfEachValue()
    {
        QTemporaryDir dir;
        const QString file =
            writeConfig(dir, "event_retention=100\ntelemetry_retention=10\npartition_span=12h\n"
                             "[api]\nrate=5\nburst=7\nthreads=3\nlisten=0.0.0.0:9000\n"
                             "[topics]\ntelemetry=12\n[kafka]\nsecurity.protocol=SASL_SSL\n");
        QVERIFY(!file.isEmpty());
        QProcessEnvironment env = emptyEnv(m_home.path());
        env.insert(QStringLiteral("ALABOS_TELEMETRY_RETENTION"), QStringLiteral("36h"));
        env.insert(QStringLiteral("ALABOS_API_LISTEN"), QStringLiteral("[::1]:0"));
        env.insert(QStringLiteral("ALABOS_API"), QStringLiteral("on"));
        const auto p = parseOptions(
            argv({QStringLiteral("--config"), file, QStringLiteral("--print-config"),
                  QStringLiteral("--api-threads"), QStringLiteral("8"),
                  QStringLiteral("--api-listen"), QStringLiteral("lab-server.example:8443")}),
            env);
        QCOMPARE(p.outcome, ParsedOptions::ExitOk);
        const auto lines = printedConfig(p.message);
        // One line per setting (the Maps: one per entry).
        QCOMPARE(p.message.count(u'\n') + 1, settingTable().size());
        const QString fromFile = QStringLiteral("file ") + QFileInfo(file).absoluteFilePath();
        QCOMPARE(lines.value(QStringLiteral("event_retention")),
                 qMakePair(QStringLiteral("100d"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("telemetry_retention")),
                 qMakePair(QStringLiteral("36h"),
                           QStringLiteral("environment ALABOS_TELEMETRY_RETENTION")));
        QCOMPARE(lines.value(QStringLiteral("partition_span")),
                 qMakePair(QStringLiteral("12h"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[api] threads")),
                 qMakePair(QStringLiteral("8"), QStringLiteral("flag --api-threads")));
        QCOMPARE(lines.value(QStringLiteral("[api] listen")),
                 qMakePair(QStringLiteral("lab-server.example:8443"),
                           QStringLiteral("flag --api-listen")));
        QCOMPARE(lines.value(QStringLiteral("[api] enabled")),
                 qMakePair(QStringLiteral("on"), QStringLiteral("environment ALABOS_API")));
        QCOMPARE(lines.value(QStringLiteral("[api] rate")),
                 qMakePair(QStringLiteral("5"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[api] burst")),
                 qMakePair(QStringLiteral("7"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[topics] alabos.telemetry")),
                 qMakePair(QStringLiteral("12"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[kafka] security.protocol")),
                 qMakePair(QStringLiteral("SASL_SSL"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[topics] replication")),
                 qMakePair(QStringLiteral("3"), QStringLiteral("default")));
        QCOMPARE(lines.value(QStringLiteral("--headless")),
                 qMakePair(QStringLiteral("off"), QStringLiteral("default")));
        QCOMPARE(lines.value(QStringLiteral("--config")).first, QFileInfo(file).absoluteFilePath());
        QCOMPARE(lines.value(QStringLiteral("--config")).second, QStringLiteral("flag --config"));
        QCOMPARE(p.options.api.listen, QStringLiteral("lab-server.example:8443"));
        QCOMPARE(p.options.api.threads, 8);
        QCOMPARE(p.options.api.requestsPerSecond, 5.0);
        QCOMPARE(p.options.api.burst, 7);
        QCOMPARE(p.options.api.mode, ApiSettings::Mode::On);
    }

    void printConfigMasksSecrets_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("shown");
        QTest::newRow("uri") << QStringLiteral("postgresql://alabos:s3cretPW@db.example/lab")
                             << QStringLiteral("postgresql://alabos:****@db.example/lab");
        QTest::newRow("uri query") << QStringLiteral("postgresql://db/lab?user=a&password=s3cretPW")
                                   << QStringLiteral("postgresql://db/lab?user=a&password=****");
        QTest::newRow("keyword") << QStringLiteral("host=db password=s3cretPW dbname=lab")
                                 << QStringLiteral("host=db password=**** dbname=lab");
        QTest::newRow("keyword quoted") << QStringLiteral("host=db password='s3cret PW' dbname=lab")
                                        << QStringLiteral("host=db password=**** dbname=lab");
        QTest::newRow("no password")
            << QStringLiteral("host=db dbname=lab") << QStringLiteral("host=db dbname=lab");
    }
    void printConfigMasksSecrets()
    {
        QFETCH(QString, url);
        QFETCH(QString, shown);
        QCOMPARE(maskDatabasePassword(url), shown);
        QProcessEnvironment env = emptyEnv(m_home.path());
        env.insert(QStringLiteral("ALABOS_LEADER_DATABASE_URL"), url);
        const auto p = parseOptions(
            argv({QStringLiteral("--print-config"), QStringLiteral("--database-url"), url,
                  QStringLiteral("--kafka-property"), QStringLiteral("sasl.password=s3cretPW"),
                  QStringLiteral("--kafka-property"), QStringLiteral("sasl.username=lab")}),
            env);
        QCOMPARE(p.outcome, ParsedOptions::ExitOk);
        QVERIFY2(!p.message.contains(QStringLiteral("s3cret")), qPrintable(p.message));
        const auto lines = printedConfig(p.message);
        QCOMPARE(lines.value(QStringLiteral("database_url")),
                 qMakePair(shown, QStringLiteral("flag --database-url")));
        QCOMPARE(lines.value(QStringLiteral("leader_database_url")),
                 qMakePair(shown, QStringLiteral("environment ALABOS_LEADER_DATABASE_URL")));
        QCOMPARE(lines.value(QStringLiteral("[kafka] sasl.password")),
                 qMakePair(QStringLiteral("****"), QStringLiteral("flag --kafka-property")));
        QCOMPARE(lines.value(QStringLiteral("[kafka] sasl.username")).first, QStringLiteral("lab"));
    }

    void apiSettingsDefaultsAndModes()
    {
        auto p = parseOptions(argv({}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.api.mode, ApiSettings::Mode::Default);
        QVERIFY(!p.options.api.enabledFor(false));
        QVERIFY(p.options.api.enabledFor(true));
        QCOMPARE(p.options.api.listen, QStringLiteral("127.0.0.1:8470"));
        QTemporaryDir dir;
        const QString file = writeConfig(dir, "[api]\nenabled=false\n");
        const QStringList config{QStringLiteral("--config"), file};
        QProcessEnvironment env = emptyEnv(m_home.path());
        p = parseOptions(argv(config + QStringList{QStringLiteral("--headless")}), env);
        QCOMPARE(p.options.api.mode, ApiSettings::Mode::Off);
        QVERIFY(!p.options.api.enabledFor(true));
        env.insert(QStringLiteral("ALABOS_API"), QStringLiteral("on"));
        p = parseOptions(argv(config), env);
        QCOMPARE(p.options.api.mode, ApiSettings::Mode::On);
        p = parseOptions(argv(config + QStringList{QStringLiteral("--no-api")}), env);
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.api.mode, ApiSettings::Mode::Off);
        for (const QString &listen :
             {QStringLiteral("0.0.0.0:0"), QStringLiteral("[::]:65535"),
              QStringLiteral("[fe80::1]:8470"), QStringLiteral("localhost:1")}) {
            p = parseOptions(argv({QStringLiteral("--api-listen"), listen}),
                             emptyEnv(m_home.path()));
            QVERIFY2(p.outcome == ParsedOptions::Run, qPrintable(listen + u' ' + p.message));
            QCOMPARE(p.options.api.listen, listen);
        }
        p = parseOptions(argv({QStringLiteral("--api-rate"), QStringLiteral("0.1"),
                               QStringLiteral("--api-burst"), QStringLiteral("1000000"),
                               QStringLiteral("--api-threads"), QStringLiteral("64")}),
                         emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.api.requestsPerSecond, 0.1);
        QCOMPARE(p.options.api.burst, 1000000);
        QCOMPARE(p.options.api.threads, 64);
    }

    void badApiSettings_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QByteArray>("fileText");
        QTest::addColumn<QString>("expected");
        auto f = [](const char *a, const char *b) {
            return QStringList{QString::fromLatin1(a), QString::fromLatin1(b)};
        };
        QTest::newRow("listen no port")
            << f("--api-listen", "127.0.0.1") << QString() << QByteArray()
            << QStringLiteral("--api-listen: \"127.0.0.1\" is not HOST:PORT");
        QTest::newRow("listen port too big")
            << f("--api-listen", "127.0.0.1:65536") << QString() << QByteArray()
            << QStringLiteral("--api-listen: \"127.0.0.1:65536\"");
        QTest::newRow("listen bad ipv4") << f("--api-listen", "300.1.1.1:80") << QString()
                                         << QByteArray() << QStringLiteral("--api-listen");
        QTest::newRow("listen bare ipv6") << f("--api-listen", "::1:80") << QString()
                                          << QByteArray() << QStringLiteral("--api-listen");
        QTest::newRow("listen env")
            << QStringList() << QStringLiteral("ALABOS_API_LISTEN=x y:1") << QByteArray()
            << QStringLiteral("ALABOS_API_LISTEN: \"x y:1\" is not HOST:PORT");
        QTest::newRow("rate too small") << f("--api-rate", "0.05") << QString() << QByteArray()
                                        << QStringLiteral("--api-rate: \"0.05\" is not a number "
                                                          "from 0.1 to 100000");
        QTest::newRow("rate file") << QStringList() << QString() << QByteArray("[api]\nrate=fast\n")
                                   << QStringLiteral("[api] rate: \"fast\" is not a number");
        QTest::newRow("burst zero") << f("--api-burst", "0") << QString() << QByteArray()
                                    << QStringLiteral("--api-burst: \"0\" is not a whole number "
                                                      "from 1 to 1000000");
        QTest::newRow("threads 65")
            << QStringList() << QString() << QByteArray("[api]\nthreads=65\n")
            << QStringLiteral("[api] threads: \"65\" is not a whole number "
                              "from 1 to 64");
        QTest::newRow("enabled maybe")
            << QStringList() << QString() << QByteArray("[api]\nenabled=maybe\n")
            << QStringLiteral("[api] enabled: \"maybe\" is neither on "
                              "nor off");
        QTest::newRow("env api maybe") << QStringList() << QStringLiteral("ALABOS_API=perhaps")
                                       << QByteArray() << QStringLiteral("ALABOS_API: \"perhaps\"");
        QTest::newRow("api and no-api")
            << QStringList{QStringLiteral("--api"), QStringLiteral("--no-api")} << QString()
            << QByteArray() << QStringLiteral("--api and --no-api");
        QTest::newRow("cert without key")
            << f("--api-tls-cert", "/etc/hostname") << QString() << QByteArray()
            << QStringLiteral("give both --api-tls-cert and "
                              "--api-tls-key");
        QTest::newRow("missing cert")
            << QStringList() << QString()
            << QByteArray("[api]\ntls_certificate=nope.pem\ntls_key=nope.key\n")
            << QStringLiteral("API TLS certificate ");
        QTest::newRow("unknown api key")
            << QStringList() << QString() << QByteArray("[api]\nport=1\n")
            << QStringLiteral("unknown setting \"[api] port\"");
    }
    void badApiSettings()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, variable);
        QFETCH(QByteArray, fileText);
        QFETCH(QString, expected);
        expectRefused(flags, variable, fileText, expected);
    }

    void apiTlsFilesResolveNextToTheConfigFileAndAKeyOthersCanReadWarns()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("tls")));
        for (const char *name : {"tls/api.pem", "tls/api.key"}) {
            QFile f(dir.path() + u'/' + QString::fromLatin1(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("-----BEGIN-----\n");
        }
        const QString key = dir.path() + QStringLiteral("/tls/api.key");
        QCOMPARE(::chmod(QFile::encodeName(key).constData(), 0600), 0);
        const QString file =
            writeConfig(dir, "[api]\ntls_certificate=tls/api.pem\ntls_key=tls/api.key\n");
        QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0600), 0);
        auto p = parseOptions(argv({QStringLiteral("--config"), file}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.options.api.tlsCertificate, dir.path() + QStringLiteral("/tls/api.pem"));
        QCOMPARE(p.options.api.tlsKey, key);
        QVERIFY2(p.warnings.isEmpty(), qPrintable(p.warnings.join(u'\n')));
        QCOMPARE(::chmod(QFile::encodeName(key).constData(), 0644), 0);
        p = parseOptions(argv({QStringLiteral("--config"), file}), emptyEnv(m_home.path()));
        QCOMPARE(p.outcome, ParsedOptions::Run);
        QCOMPARE(p.warnings.size(), 1);
        QVERIFY2(p.warnings.first().contains(QStringLiteral("chmod 600 ") + key),
                 qPrintable(p.warnings.first()));
        // An unreadable key is refused (root reads everything: only where that is not so).
        QCOMPARE(::chmod(QFile::encodeName(key).constData(), 0), 0);
        if (::geteuid() != 0) {
            p = parseOptions(argv({QStringLiteral("--config"), file}), emptyEnv(m_home.path()));
            QCOMPARE(p.outcome, ParsedOptions::ExitError);
            QVERIFY2(p.message.contains(QStringLiteral("API TLS key")), qPrintable(p.message));
        }
    }

    void binaryPrintsConfigWithoutStartingAnything()
    {
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir dir;
        const QString dataDir = dir.path() + QStringLiteral("/data");
        const QString file = writeConfig(
            dir, "database_url=\"postgresql://alabos:fileSECRET@db.example/lab\"\n"
                 "event_retention=120\n[api]\nburst=9\n[kafka]\nsasl.password=kafkaSECRET\n");
        QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0600), 0);
        QProcessEnvironment env = emptyEnv(m_home.path());
        env.insert(QStringLiteral("ALABOS_DATA_DIR"), dataDir);
        env.insert(QStringLiteral("ALABOS_API_LISTEN"), QStringLiteral("127.0.0.1:0"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(bin, {QStringLiteral("--config"), file, QStringLiteral("--print-config"),
                      QStringLiteral("--api-rate"), QStringLiteral("2.5")});
        QVERIFY(p.waitForFinished(20000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(!out.contains(QStringLiteral("SECRET")), qPrintable(out));
        const auto lines = printedConfig(out);
        const QString fromFile = QStringLiteral("file ") + QFileInfo(file).absoluteFilePath();
        QCOMPARE(lines.value(QStringLiteral("database_url")),
                 qMakePair(QStringLiteral("postgresql://alabos:****@db.example/lab"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[kafka] sasl.password")),
                 qMakePair(QStringLiteral("****"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("event_retention")),
                 qMakePair(QStringLiteral("120d"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("[api] burst")),
                 qMakePair(QStringLiteral("9"), fromFile));
        QCOMPARE(lines.value(QStringLiteral("data_dir")),
                 qMakePair(dataDir, QStringLiteral("environment ALABOS_DATA_DIR")));
        QCOMPARE(lines.value(QStringLiteral("[api] listen")),
                 qMakePair(QStringLiteral("127.0.0.1:0"),
                           QStringLiteral("environment ALABOS_API_LISTEN")));
        QCOMPARE(lines.value(QStringLiteral("[api] rate")),
                 qMakePair(QStringLiteral("2.5"), QStringLiteral("flag --api-rate")));
        QCOMPARE(lines.value(QStringLiteral("telemetry_retention")),
                 qMakePair(QStringLiteral("30d"), QStringLiteral("default")));
        // Nothing started: no data directory, no database server.
        QVERIFY2(!QFileInfo::exists(dataDir), err.constData());
        // A bad value is refused, naming the setting, with code 2.
        p.start(bin, {QStringLiteral("--config"), file, QStringLiteral("--print-config"),
                      QStringLiteral("--api-threads"), QStringLiteral("0")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--api-threads: \"0\""));
        env.insert(QStringLiteral("ALABOS_API_LISTEN"), QStringLiteral("nowhere"));
        p.setProcessEnvironment(env);
        p.start(bin, {QStringLiteral("--print-config")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("ALABOS_API_LISTEN: \"nowhere\""));
    }

    void binaryExitsWithTwoOnBadFlag()
    {
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QProcess p;
        p.start(bin, {QStringLiteral("--simulate"), QStringLiteral("demo"),
                      QStringLiteral("--devices"), QStringLiteral("x")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--devices"));
        p.start(bin, {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("alabos "));
        p.start(bin, {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray help = p.readAllStandardOutput();
        QVERIFY(help.contains("--headless"));
        QVERIFY2(help.startsWith("Usage: alabos [options]"), help.left(80).constData());
        QVERIFY(help.contains("--telemetry-retention"));
        QVERIFY(help.contains("--event-retention"));
        QVERIFY(help.contains("--partition-span"));
        p.start(bin, {QStringLiteral("--event-retention"), QStringLiteral("0")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--event-retention: \"0\""));
    }
};

QTEST_GUILESS_MAIN(TstOptions)
#include "tst_options.moc"
