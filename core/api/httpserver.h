#pragma once
// The HTTP/1.1 server of the API (Boost.Beast over Asio, chosen by measurement: BENCHMARKS.md,
// "HTTP server library"). Its own threads, one event loop each; connections spread over them.
// It enforces the limits a client must not exceed (headers, body, time to send a request,
// connections) and answers them in the API's error shape; everything else goes to the handler.
#include "core/api/http.h"

#include <QString>
#include <memory>

namespace alabos {

struct HttpServerSettings
{
    QString listen = QStringLiteral("127.0.0.1:8470"); // HOST:PORT; port 0: any free port
    QString tlsCertificate;                            // PEM; with tlsKey: HTTPS only
    QString tlsKey;
    int threads = 2;
    int maxConnections = 10000;        // beyond: 503 and close
    int maxHeaderBytes = 16 * 1024;    // beyond: 431
    qint64 maxBodyBytes = 1024 * 1024; // beyond: 413, the body not read
    int requestTimeoutMs = 10000;      // from a request's first byte to its last: else cut off
    int idleTimeoutMs = 60000;         // a kept-alive connection with nothing to say: closed
    qint64 maxStreamBacklogBytes = 4 * 1024 * 1024; // a stream client that does not read: cut off
};

class HttpServer
{
public:
    struct Stats
    {
        qint64 connectionsOpen = 0;
        qint64 connectionsTotal = 0;
        qint64 requests = 0;
        qint64 rejectedBadRequest = 0;
        qint64 rejectedTooLarge = 0;
        qint64 rejectedHeaderTooLarge = 0;
        qint64 timedOut = 0;
        qint64 rejectedBusy = 0;
    };

    HttpServer(HttpServerSettings settings, HttpHandler handler);
    ~HttpServer(); // stops

    // Binds and starts the threads; false with a message a person can act on.
    bool start(QString *error);
    quint16 port() const;
    // Closes every connection (open streams see onClosed) and joins the threads.
    void stop();
    Stats stats() const; // any thread

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace alabos
