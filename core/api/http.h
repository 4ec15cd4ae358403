#pragma once
// The HTTP contract between the server (core/api/httpserver.h) and what answers requests
// (the API's router). Plain value types plus one exchange object, so the router never sees
// the server library and the server never sees the lab.
#include <QByteArray>
#include <QList>
#include <QPair>
#include <functional>
#include <memory>

namespace alabos {

struct HttpRequest
{
    QByteArray method; // "GET", "POST", ... as sent
    QByteArray path;   // percent-decoded, without the query
    QByteArray query;  // raw, after '?', not decoded
    // Header names lower-cased, in the order received.
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray peer; // "127.0.0.1:53122"
    bool tls = false;

    // The first header of that (lower-case) name, or empty.
    QByteArray header(QByteArrayView lowerName) const
    {
        for (const auto &h : headers)
            if (h.first == lowerName) return h.second;
        return {};
    }
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // besides Content-Type and Content-Length
};

// One request in flight. The router answers it once, from any thread and at any time (a
// handler that waits for a commit answers when the commit comes back); or it turns it
// into a stream (server-sent events) and writes to it until either side closes.
class HttpExchange
{
public:
    virtual ~HttpExchange() = default;
    virtual const HttpRequest &request() const = 0;
    // Sends the whole answer. Any thread; later calls are ignored.
    virtual void respond(HttpResponse response) = 0;
    // Starts a streamed answer: status 200, these headers, no Content-Length, and the
    // connection is not reused. Any thread.
    virtual void startStream(QList<QPair<QByteArray, QByteArray>> headers,
                             QByteArray contentType) = 0;
    // Appends to a started stream. False once the client is gone or the stream closed;
    // the writer then stops. Any thread. Bytes written but not yet sent are bounded by the
    // server (a client that does not read is cut off rather than buffered forever).
    virtual bool write(QByteArray bytes) = 0;
    // Ends a stream from the writer's side.
    virtual void close() = 0;
    // Called once, on a server thread, when the client went away (or the stream was closed);
    // set it before startStream(). Not called for an exchange that was answered with respond().
    virtual void onClosed(std::function<void()> callback) = 0;
};

// Called on a server thread for every complete, well-formed request within the limits.
// Must not block: it answers at once or hands the exchange to whoever answers later.
using HttpHandler = std::function<void(std::shared_ptr<HttpExchange>)>;

} // namespace alabos
