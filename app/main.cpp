// alabos: the laboratory automation console. GUI by default, --headless for servers and CI.
#include "app/headlessreporter.h"
#include "app/consolewiring.h"
#include "app/labruntime.h"
#include "app/options.h"
#include "core/domain/logging.h"
#include "core/storage/databasereader.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
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
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return;
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

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}
} // namespace

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const alabos::ParsedOptions parsed =
        alabos::parseOptions(args, QProcessEnvironment::systemEnvironment());
    if (parsed.outcome == alabos::ParsedOptions::ExitOk) {
        std::fprintf(stdout, "%s\n", qPrintable(parsed.message));
        return 0;
    }
    if (parsed.outcome == alabos::ParsedOptions::ExitError) {
        std::fprintf(stderr, "alabos: %s\n", qPrintable(parsed.message));
        return 2;
    }
    alabos::Options options = parsed.options;
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

    alabos::LabRuntime runtime(options);
    QString error;
    std::fprintf(stderr, "alabos: starting (data directory %s)\n", qPrintable(options.dataDir));
    if (!runtime.start(&error)) {
        std::fprintf(stderr, "alabos: %s\n", qPrintable(error));
        if (!options.headless)
            QMessageBox::critical(nullptr, QObject::tr("alabos could not start"), error);
        runtime.stop();
        return 1;
    }
    std::fprintf(stdout, "alabos: Kafka bootstrap %s (kcat -b %s -L lists the topics)\n",
                 qPrintable(runtime.kafkaBootstrap()), qPrintable(runtime.kafkaBootstrap()));
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

    std::unique_ptr<alabos::HeadlessReporter> reporter;
    std::unique_ptr<alabos::LabModels> models;
    std::unique_ptr<alabos::ConsoleSession> session;
    std::unique_ptr<alabos::ConsoleServices> services;
    std::unique_ptr<alabos::DatabaseReader> reader;
    std::unique_ptr<alabos::MainWindow> window;
    if (options.headless) {
        reporter = std::make_unique<alabos::HeadlessReporter>(&runtime);
    } else {
        using alabos::LabRuntime;
        using alabos::MainWindow;
        models = std::make_unique<alabos::LabModels>();
        session = std::make_unique<alabos::ConsoleSession>();
        services = std::make_unique<alabos::ConsoleServices>();
        reader = std::make_unique<alabos::DatabaseReader>(runtime.databaseConnection());
        services->reader = reader.get();
        QObject::connect(&runtime, &LabRuntime::feedUpdated, models.get(), &alabos::LabModels::apply);
        QObject::connect(&runtime, &LabRuntime::feedStatsChanged, models.get(),
                         &alabos::LabModels::setFeedStats);
        alabos::attachConsole(runtime, session.get(), services.get());
        window = std::make_unique<MainWindow>(models.get(), session.get(), services.get());
        QObject::connect(&runtime, &LabRuntime::engineStatsChanged, window.get(),
                         &MainWindow::setEngineStats);
        QObject::connect(&runtime, &LabRuntime::databaseConnectionChanged, window.get(),
                         &MainWindow::setDatabaseState);
        QObject::connect(&runtime, &LabRuntime::brokerStateChanged, window.get(),
                         &MainWindow::setBrokerState);
        window->setConnectionInfo(runtime.databaseConnection(), runtime.kafkaBootstrap());
        window->restoreLayout();
        window->show();
        window->showSignIn();
    }
    const int loopCode = app->exec();
    if (loopCode != 0 && exitCode == 0)
        exitCode = loopCode;
    window.reset();
    reader.reset();
    runtime.stop();
    if (reporter)
        reporter->printSummary();
    return exitCode;
}
