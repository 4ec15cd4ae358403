// Candidate: alabos's HttpServer (Boost.Beast over Asio, one event loop per thread).
#include "core/api/httpserver.h"
#include "workload.h"

#include <QCoreApplication>
#include <csignal>
#include <thread>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const auto documents = deviceDocuments();
    alabos::HttpServerSettings settings;
    settings.listen = QStringLiteral("127.0.0.1:%1").arg(argc > 1 ? argv[1] : "18001");
    settings.threads = 2;
    alabos::HttpServer server(settings, [&documents](std::shared_ptr<alabos::HttpExchange> e) {
        const QByteArray &path = e->request().path;
        const auto it = documents.constFind(path.mid(9)); // "/devices/"
        if (it == documents.constEnd()) return e->respond({404, "application/json", "{}", {}});
        e->respond({200, "application/json", *it, {}});
    });
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::fprintf(stderr, "beast on %d\n", server.port());
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
    return 0;
}
