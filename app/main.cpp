// alabos: the laboratory automation console. GUI by default, --headless for servers and CI.
#include "app/apiservice.h"
#include "app/consolewiring.h"
#include "app/driverhost.h"
#include "app/headlesscommands.h"
#include "app/headlessreporter.h"
#include "app/labruntime.h"
#include "app/options.h"
#include "core/api/listenaddress.h"
#include "core/domain/logging.h"
#include "core/drivers/labfile.h"
#include "core/security/crypto.h"
#include "core/storage/audittrail.h"
#include "core/storage/databasereader.h"
#include "core/storage/labkeys.h"
#include "core/storage/pgutil.h"
#include "ui/apisettingsdialog.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QMap>
#include <QMessageBox>
#include <QSettings>
#include <QSocketNotifier>
#include <QTimer>
#include <QTranslator>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <pqxx/pqxx>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

// Ctrl-C and SIGTERM end the event loop, so the orderly shutdown (which stops the embedded
// PostgreSQL server) runs.
void installSignalHandlers(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0) return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [app] {
        char buffer[16];
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], buffer, sizeof buffer);
        qCInfo(lcApp) << "signal received: stopping";
        app->quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
}

QTranslator *g_translator = nullptr;
QTranslator *g_qtTranslator = nullptr;

// "en", "de" or empty (the system's language).
void installTranslators(QString language)
{
    if (language.isEmpty()) language = QLocale::system().name().left(2);
    for (QTranslator **t : {&g_translator, &g_qtTranslator}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    if (language == QLatin1StringView("en")) return;
    g_translator = new QTranslator;
    if (g_translator->load(QStringLiteral(":/i18n/alabos_%1.qm").arg(language)))
        QCoreApplication::installTranslator(g_translator);
    g_qtTranslator = new QTranslator;
    if (g_qtTranslator->load(QStringLiteral("qtbase_%1").arg(language),
                             QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(g_qtTranslator);
    QLocale::setDefault(QLocale(language));
}

// --check-lab: every problem on standard error, each with its JSON path; 0 good, 2 bad.
int checkLabFile(const QString &path)
{
    QList<alabos::LabProblem> problems;
    const auto lab = alabos::LabFile::load(path, &problems);
    if (!lab) {
        for (const alabos::LabProblem &p : std::as_const(problems))
            std::fprintf(stderr, "%s: %s\n", qPrintable(path), qPrintable(p.toString()));
        return 2;
    }
    QMap<QString, int> kinds;
    for (const alabos::LabDevice &d : lab->devices)
        ++kinds[d.driver];
    QStringList parts;
    for (auto it = kinds.cbegin(); it != kinds.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    std::fprintf(stdout, "%s: lab OK: %lld devices (%s), %lld positions\n", qPrintable(path),
                 qint64(lab->devices.size()), qPrintable(parts.join(QStringLiteral(", "))),
                 qint64(lab->positions.size()));
    return 0;
}

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}
} // namespace

// --verify-audit: exit 0 when the chain and every anchor hold, 3 with the first broken row.
// A driver host (docs/driver-hosts.md): until a signal, --run-for or a fatal error.
int runDriverHost(QCoreApplication &app, const alabos::Options &options)
{
    alabos::DriverHostProcess host(options);
    QString error;
    if (!host.start(&error)) {
        std::fprintf(stderr, "alabos: %s\n", qPrintable(error));
        return 1;
    }
    std::fprintf(stdout, "alabos: driver host %s runs %d devices (Kafka %s)\n",
                 qPrintable(options.driverHost), host.deviceCount(),
                 qPrintable(host.kafkaBootstrap()));
    std::fflush(stdout);
    int exitCode = 0;
    QObject::connect(&host, &alabos::DriverHostProcess::fatalError, &app, [&](const QString &m) {
        std::fprintf(stderr, "alabos: %s\n", qPrintable(m));
        exitCode = 1;
        app.quit();
    });
    if (options.runForS > 0)
        QTimer::singleShot(int(options.runForS * 1000), &app, &QCoreApplication::quit);
    app.exec();
    const alabos::DriverHostStats s = host.stats();
    host.stop();
    std::fprintf(stdout,
                 "alabos: driver host %s: %lld commands, %lld run, %lld duplicates not run, %lld "
                 "refused\n",
                 qPrintable(options.driverHost), s.commands, s.executed, s.duplicates, s.refused);
    return exitCode;
}

int verifyAudit(alabos::LabRuntime &runtime, const alabos::Options &options)
{
    using namespace alabos;
    try {
        pqxx::connection c(runtime.databaseConnection().toStdString());
        // The key that signs the anchors is this scheduler's own (its data directory); a
        // database without one here trusts the keys its schedulers registered.
        QList<QByteArray> trusted;
        const QString keyPath = options.dataDir + QStringLiteral("/keys/scheduler.ed25519");
        QString keyError;
        if (QFileInfo::exists(keyPath)) {
            if (const auto key = SigningKey::loadOrCreate(keyPath, &keyError))
                trusted << key->publicKey();
        }
        if (trusted.isEmpty()) trusted = loadSchedulerKeys(c);
        const AuditVerification v = verifyAuditTrail(c, trusted);
        if (!v.ok) {
            std::fprintf(stdout, "alabos: audit trail BROKEN at row %lld: %s\n", v.firstBrokenId,
                         qPrintable(v.problem));
            return 3;
        }
        std::fprintf(stdout,
                     "alabos: audit trail intact: %lld rows, %lld signed anchors, %lld rows "
                     "after the last anchor\n",
                     v.rows, v.anchors, v.rowsAfterLastAnchor);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "alabos: --verify-audit: %s\n", e.what());
        return 1;
    }
}

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const alabos::ParsedOptions parsed =
        alabos::parseOptions(args, QProcessEnvironment::systemEnvironment());
    // Warnings first: --print-config shows the settings they are about.
    for (const QString &warning : parsed.warnings)
        std::fprintf(stderr, "alabos: warning: %s\n", qPrintable(warning));
    if (parsed.outcome == alabos::ParsedOptions::ExitOk) {
        std::fprintf(stdout, "%s\n", qPrintable(parsed.message));
        return 0;
    }
    if (parsed.outcome == alabos::ParsedOptions::ExitError) {
        std::fprintf(stderr, "alabos: %s\n", qPrintable(parsed.message));
        return 2;
    }
    alabos::Options options = parsed.options;
    // One-shot tools open no window.
    if (!options.checkLab.isEmpty() || options.printLabSchema || !options.exportLab.isEmpty() ||
        options.verifyAudit || options.driversOnly)
        options.headless = true;
    if (!options.headless && !displayAvailable()) {
        std::fprintf(stderr, "alabos: no display found (DISPLAY is not set): running headless\n");
        options.headless = true;
    }

    std::unique_ptr<QCoreApplication> app;
    if (options.headless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("alabos"));
    QCoreApplication::setOrganizationName(QStringLiteral("alabos"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ALABOS_VERSION));
    installSignalHandlers(app.get());
    qSetMessagePattern(QStringLiteral("%{time hh:mm:ss.zzz} %{category}: %{message}"));

    if (options.printLabSchema) {
        QFile schema(QStringLiteral(":/alabos/lab/lab.schema.json"));
        if (!schema.open(QIODevice::ReadOnly)) return 1;
        std::fwrite(schema.readAll().constData(), 1, size_t(schema.size()), stdout);
        return 0;
    }
    if (!options.checkLab.isEmpty()) return checkLabFile(options.checkLab);

    if (options.driversOnly) return runDriverHost(*app, options);

    alabos::LabRuntime runtime(options);
    QString error;
    if (!options.exportLab.isEmpty()) {
        const bool exported =
            runtime.startDatabase(&error) && runtime.exportLab(options.exportLab, &error);
        runtime.stop();
        if (!exported) {
            std::fprintf(stderr, "alabos: --export-lab: %s\n", qPrintable(error));
            return 1;
        }
        std::fprintf(stdout, "alabos: lab exported to %s\n", qPrintable(options.exportLab));
        return 0;
    }
    if (options.verifyAudit) {
        const int code = runtime.startDatabase(&error) ? verifyAudit(runtime, options) : 1;
        if (!error.isEmpty())
            std::fprintf(stderr, "alabos: --verify-audit: %s\n", qPrintable(error));
        runtime.stop();
        return code;
    }
    // The REST API, metrics and health (docs/api.md): on by default in headless mode. Made
    // before the lab starts so that its copy of the lab takes the feed's first snapshot.
    std::unique_ptr<alabos::ApiService> api;
    if (!options.headless) {
        // With a window, the console's own setting (Lab > REST API...) where nothing else
        // decided: a flag, the environment or the configuration file.
        const alabos::ConsoleApiSetting console = alabos::ConsoleApiSetting::load();
        options.api.consoleEnabled = console.enabled;
        if (!console.listen.isEmpty() && !parsed.sources.contains(QStringLiteral("[api] listen"))) {
            if (alabos::validListenAddress(console.listen))
                options.api.listen = console.listen;
            else
                std::fprintf(stderr,
                             "alabos: warning: the console's API address %s is not HOST:PORT; "
                             "using %s\n",
                             qPrintable(console.listen), qPrintable(options.api.listen));
        }
    }
    if (options.api.enabledFor(options.headless))
        api = std::make_unique<alabos::ApiService>(&runtime, options.api);
    std::fprintf(stderr, "alabos: starting (data directory %s)\n", qPrintable(options.dataDir));
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "alabos: %s\n", qPrintable(error));
        if (!options.headless)
            QMessageBox::critical(nullptr, QObject::tr("alabos could not start"), error);
        runtime.stop();
        return 1;
    }
    if (const QString password = runtime.generatedAdminPassword(); !password.isEmpty())
        std::fprintf(stdout,
                     "alabos: the administrator account \"admin\" of this new database has the "
                     "password %s\nalabos: it is shown only this once: keep it, or choose another "
                     "at the next sign-in\n",
                     qPrintable(password));
    std::fprintf(stdout, "alabos: Kafka bootstrap %s (kcat -b %s -L lists the topics)\n",
                 qPrintable(runtime.kafkaBootstrap()), qPrintable(runtime.kafkaBootstrap()));
    if (runtime.consoleOnly()) {
        const alabos::SchedulerInfo s = runtime.schedulerInfo();
        std::fprintf(stdout, "alabos: console only; scheduler %s, pid %lld on %s\n",
                     s.running ? "running" : "NOT RUNNING", qint64(s.pid), qPrintable(s.host));
    } else {
        // What a second console needs (docs/console.md): this database and this broker.
        // Never its password: the output goes to terminals, logs and CI artefacts.
        const QString database = alabos::redactedConnectionString(runtime.databaseConnection());
        std::fprintf(stdout, "alabos: PostgreSQL %s\n", qPrintable(database));
        std::fprintf(stdout,
                     "alabos: a second console: alabos --console-only --database-url '%s' "
                     "--kafka-bootstrap %s\n",
                     qPrintable(database), qPrintable(runtime.kafkaBootstrap()));
    }
    // The API's server starts once the lab runs: its health answers need the lab's parts.
    if (api) {
        if (!api->start(&error)) {
            api.reset();
            // Asked for by name, it must run; on by default, a taken port only costs the API.
            if (options.api.mode == alabos::ApiSettings::Mode::On) {
                std::fprintf(stderr, "alabos: %s\n", qPrintable(error));
                runtime.stop();
                return 1;
            }
            std::fprintf(stderr, "alabos: warning: %s; running without the API\n",
                         qPrintable(error));
        } else {
            std::fprintf(stdout, "alabos: API %s (docs/api.md; metrics at %s/metrics)\n",
                         qPrintable(api->baseUrl()), qPrintable(api->baseUrl()));
        }
    }
    std::fflush(stdout);

    int exitCode = 0;
    QObject::connect(&runtime, &alabos::LabRuntime::fatalError, app.get(),
                     [&](const QString &message) {
                         std::fprintf(stderr, "alabos: %s\n", qPrintable(message));
                         exitCode = 1;
                         app->quit();
                     });
    if (options.runForS > 0)
        QTimer::singleShot(int(options.runForS * 1000), app.get(), &QCoreApplication::quit);
    // A standby takes over a vacant scheduler by starting again (docs/console.md): the new
    // start takes the lock if it is still free and recovers the lab from PostgreSQL.
    bool takeOver = false;
    QObject::connect(&runtime, &alabos::LabRuntime::schedulerVacant, app.get(), [&] {
        if (takeOver) return;
        takeOver = true;
        app->quit();
    });

    std::unique_ptr<alabos::HeadlessReporter> reporter;
    std::unique_ptr<alabos::HeadlessCommands> commands;
    std::unique_ptr<alabos::LabModels> models;
    std::unique_ptr<alabos::ConsoleSession> session;
    std::unique_ptr<alabos::ConsoleServices> services;
    std::unique_ptr<alabos::DatabaseReader> reader;
    std::unique_ptr<alabos::MainWindow> window;
    if (options.headless) {
        reporter = std::make_unique<alabos::HeadlessReporter>(&runtime,
                                                              runtime.consoleOnly() ? 1000 : 5000);
        commands = std::make_unique<alabos::HeadlessCommands>(&runtime);
    } else {
        using alabos::LabRuntime;
        using alabos::MainWindow;
        models = std::make_unique<alabos::LabModels>();
        session = std::make_unique<alabos::ConsoleSession>();
        services = std::make_unique<alabos::ConsoleServices>();
        QStringList readConnections{runtime.databaseConnection()};
        if (!options.readDatabaseUrl.isEmpty()) readConnections.prepend(options.readDatabaseUrl);
        reader = std::make_unique<alabos::DatabaseReader>(readConnections);
        services->reader = reader.get();
        services->apiAddress = [&api] { return api ? api->baseUrl() : QString(); };
        runtime.subscribeFeed(models.get(),
                              [m = models.get()](const alabos::FeedUpdate &u) { m->apply(u); });
        QObject::connect(&runtime, &LabRuntime::feedStatsChanged, models.get(),
                         &alabos::LabModels::setFeedStats);
        alabos::attachConsole(runtime, session.get(), services.get());
        alabos::showOwnAlarms(runtime, models->alarms());
        // The platform's own look unless the person chose a theme.
        if (const alabos::Theme theme = alabos::savedTheme(); theme != alabos::Theme::System)
            alabos::applyTheme(theme);
        // The window holds no lab state (the models and the session do), so a language
        // switch simply builds it again under the new translator.
        std::function<void()> buildWindow = [&] {
            if (window) {
                window->saveLayout();
                window.reset();
            }
            installTranslators(QSettings().value(QStringLiteral("ui/language")).toString());
            window = std::make_unique<MainWindow>(models.get(), session.get(), services.get());
            QObject::connect(&runtime, &LabRuntime::engineStatsChanged, window.get(),
                             &MainWindow::setEngineStats);
            QObject::connect(&runtime, &LabRuntime::databaseConnectionChanged, window.get(),
                             &MainWindow::setDatabaseState);
            QObject::connect(&runtime, &LabRuntime::brokerStateChanged, window.get(),
                             &MainWindow::setBrokerState);
            QObject::connect(window.get(), &MainWindow::languageChangeRequested, app.get(), [&] {
                QMetaObject::invokeMethod(app.get(), buildWindow, Qt::QueuedConnection);
            });
            window->setConnectionInfo(runtime.databaseConnection(), runtime.kafkaBootstrap());
            QObject::connect(&runtime, &LabRuntime::schedulerChanged, window.get(),
                             [&](const alabos::SchedulerInfo &info) {
                                 window->setScheduler(info, !runtime.consoleOnly());
                             });
            window->setScheduler(runtime.schedulerInfo(), !runtime.consoleOnly());
            window->setDatabaseState(runtime.databaseConnected(), QString());
            window->setBrokerState(runtime.brokerHealthy(), QString());
            window->restoreLayout();
            window->show();
            // The models hold everything seen so far; a rebuilt window shows it at once.
            window->models()->setFeedStats(window->models()->feedStats());
        };
        buildWindow();
        window->showSignIn();
    }
    const int loopCode = app->exec();
    if (loopCode != 0 && exitCode == 0) exitCode = loopCode;
    window.reset();
    reader.reset();
    commands.reset();
    api.reset(); // its clients are answered before the lab stops under them
    runtime.stop();
    if (reporter) reporter->printSummary();
    if (takeOver && exitCode == 0) {
        std::fprintf(stdout, "alabos: the scheduler stopped; this process takes over\n");
        std::fflush(stdout);
        std::fflush(stderr);
        ::execv("/proc/self/exe", argv);
        std::fprintf(stderr, "alabos: cannot start again to take over: %s\n", std::strerror(errno));
        return 1;
    }
    return exitCode;
}
