// Candidate: Qt HttpServer 6.4 (QHttpServer on the thread of its QTcpServer).
#include "workload.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const auto documents = deviceDocuments();
    QHttpServer server;
    server.route("/devices/<arg>", [&documents](const QString &id) {
        const auto it = documents.constFind(id.toUtf8());
        if (it == documents.constEnd())
            return QHttpServerResponse("application/json", "{}",
                                       QHttpServerResponder::StatusCode::NotFound);
        return QHttpServerResponse("application/json", *it);
    });
    const int port = server.listen(QHostAddress::LocalHost, argc > 1 ? atoi(argv[1]) : 18002);
    if (port <= 0) return 1;
    std::fprintf(stderr, "qthttpserver on %d\n", port);
    return app.exec();
}
