#pragma once
#include "core/bus/kafka.h"
#include "core/bus/topics.h"
#include "core/storage/retention.h"

#include <QDir>
#include <QList>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <functional>

namespace alabos {

// The REST API, metrics and health listener (docs/api.md). One address serves all three.
struct ApiSettings
{
    enum class Mode
    {
        Default, // on in headless mode, off with a window
        On,
        Off
    };
    Mode mode = Mode::Default;
    QString listen = QStringLiteral("127.0.0.1:8470"); // HOST:PORT
    QString tlsCertificate;                            // PEM; with tlsKey: HTTPS only
    QString tlsKey;
    double requestsPerSecond = 50; // per token, sustained
    int burst = 100;               // per token, above the sustained rate
    int threads = 2;               // server threads
    // With a window: the console's own setting (Lab > REST API...), when nothing else decides.
    bool consoleEnabled = false;
    bool enabledFor(bool headless) const
    {
        return mode == Mode::On || (mode == Mode::Default && (headless || consoleEnabled));
    }
};

struct Options
{
    bool headless = false;
    QString simulate;  // profile name; empty: no simulated lab
    QString labFile;   // the lab file (--lab); empty: none
    QString exportLab; // --export-lab FILE: write the database's lab to FILE and exit
    QString checkLab;  // --check-lab FILE: check a lab file and exit
    bool printLabSchema = false;
    int devices = 0;    // 0: the profile's own count
    double runForS = 0; // 0: until closed or signalled
    QString dataDir;
    QString databaseUrl; // empty: the embedded PostgreSQL server
    // The role that owns the schema, for migrations and retention; empty: databaseUrl.
    QString databaseOwnerUrl;
    KafkaSettings kafka; // empty bootstrap: the embedded broker
    TopicLayout topics;  // partition counts and replication of the topics alabos creates
    bool durableEmbeddedDatabase = true;
    int shutdownGraceMs = 5000;  // running tasks may finish this long at exit
    RetentionSettings retention; // windows kept (30 and 90 days) and the partition span
    QString configFile;          // the file that was read, if any
    // Scheduler leadership (docs/console.md, "A second console"): a console only never runs
    // the engine; the lock connection must reach PostgreSQL directly (not PgBouncer in
    // transaction mode); empty: databaseUrl.
    bool consoleOnly = false;
    QString leaderDatabaseUrl;
    // A driver host (docs/driver-hosts.md): only the drivers of the lab file's devices whose
    // driver_host is driverHost.
    bool driversOnly = false;
    QString driverHost;
    // The console's history and search queries: a replica, falling back to databaseUrl.
    QString readDatabaseUrl;
    QString adminPasswordFile; // the first admin password, instead of a generated one
    bool verifyAudit = false;  // --verify-audit: check the audit trail's chain and exit
    ApiSettings api;
};

struct ParsedOptions
{
    enum Outcome
    {
        Run,
        ExitOk,
        ExitError
    } outcome = Run;
    Options options;
    QString message;      // help/version text for ExitOk, the reason for ExitError
    QStringList warnings; // worth telling (e.g. a secret in a config file others can read)
    // Where each setting's value came from, by Setting::name() (a Map entry: "[kafka] KEY"):
    // "flag --x", "environment ALABOS_X" or "file /path"; absent: the default.
    QMap<QString, QString> sources;
};

// One setting of alabos. settingTable() lists them all; that one table drives parsing (config
// file, environment, flags), --help, --print-config, the refusal messages and the check of
// docs/configuration.md. Actions (--help, --check-lab, --print-config...) are not settings.
struct Setting
{
    enum class Kind
    {
        Value,  // one value; the strongest source wins
        Switch, // a flag without a value (and, with offFlag, its opposite)
        Map     // KEY=VALUE entries: a repeatable flag and a whole config file section
    };
    enum class Secret
    {
        No,
        Whole,            // never shown
        DatabasePassword, // a connection string: its password is hidden
        KafkaProperties   // the entries isSecretKafkaProperty() names are hidden
    };
    Kind kind = Kind::Value;
    QString key;        // the config file key ("listen"; for a Map: what its keys are, "TOPIC")
    QString section;    // the config file section ("api"); empty: the top of the file
    bool inFile = true; // false: flag only
    QString flag;       // without "--"; empty: none
    QString valueName;  // what the flag takes ("URL"); empty for a Switch
    QString offFlag;    // a Switch's opposite ("no-api"), without "--"
    QString variable;   // ALABOS_*; empty: none
    QString defaultText;
    QString range;       // the values it takes, for the docs and help
    QString description; // translated
    Secret secret = Secret::No;
    // Checks `text` and stores it in `o`; returns why it is refused (empty: taken). A Switch
    // gets "on" or "off", a Map entry "KEY=VALUE". Relative paths start from `base`.
    std::function<QString(Options &o, const QString &text, const QDir &base)> assign;
    // The effective value as text (a Map: one "KEY=VALUE" a line entry each), unmasked.
    std::function<QStringList(const Options &o)> show;

    // How --print-config and the docs name it: "[api] listen", "database_url", or "--headless"
    // for a flag-only setting.
    QString name() const;
};

// Every setting, in the order --help and --print-config list them.
QList<Setting> settingTable();
// A connection string with its password replaced by ****, in both the URI and the keyword form.
QString maskDatabasePassword(const QString &conninfo);

// Flags beat environment beat the config file. `args` includes the program name.
// configFile: empty means the XDG default ($XDG_CONFIG_HOME/alabos/alabos.conf).
ParsedOptions parseOptions(const QStringList &args, const QProcessEnvironment &env,
                           QString configFile = {});
QString defaultDataDir();
QString defaultConfigFile(const QProcessEnvironment &env);

} // namespace alabos
