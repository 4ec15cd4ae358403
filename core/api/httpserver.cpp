#include "core/api/httpserver.h"

#include "core/api/router.h"
#include "core/domain/logging.h"

#include <QCoreApplication>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace alabos {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
const char *reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

// %XX decoding of a path; false on a malformed escape or a decoded NUL.
bool percentDecoded(std::string_view in, QByteArray *out)
{
    out->reserve(qsizetype(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out->append(in[i]);
            continue;
        }
        if (i + 2 >= in.size()) return false;
        auto hex = [](char c) {
            return c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
        };
        const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
        out->append(char(hi * 16 + lo));
        i += 2;
    }
    return true;
}
} // namespace

// What every connection offers its exchanges, whatever its transport.
class HttpConnection : public std::enable_shared_from_this<HttpConnection>
{
public:
    virtual ~HttpConnection() = default;
    virtual void post(std::function<void()> work) = 0;
    virtual void writeResponse(const HttpResponse &response, bool keepAlive) = 0;
    virtual void beginStream(const QList<QPair<QByteArray, QByteArray>> &headers,
                             const QByteArray &contentType) = 0;
    virtual void enqueue(QByteArray bytes) = 0;
    virtual void endStream() = 0;
    virtual void shutdown() = 0;

    // Streams: set and read from any thread.
    std::atomic<bool> m_streamOpen{false};
    std::atomic<qint64> m_backlog{0};
    std::mutex m_closedMutex;
    std::function<void()> m_onClosed;
    void notifyClosed()
    {
        std::function<void()> callback;
        {
            std::lock_guard lock(m_closedMutex);
            callback = std::move(m_onClosed);
            m_onClosed = nullptr;
        }
        if (callback) callback();
    }
};

struct HttpServer::Impl
{
    HttpServerSettings settings;
    HttpHandler handler;
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::vector<std::thread> threads;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::unique_ptr<asio::ssl::context> tls;
    std::atomic<size_t> next{0};
    quint16 port = 0;
    std::atomic<bool> stopping{false};
    std::mutex sessionsMutex;
    std::unordered_map<HttpConnection *, std::weak_ptr<HttpConnection>> sessions;

    std::atomic<qint64> connectionsOpen{0}, connectionsTotal{0}, requests{0}, badRequests{0},
        tooLarge{0}, headerTooLarge{0}, timedOut{0}, busy{0};

    void accept();
    template <class Stream> void startSession(Stream stream, bool busy);
};

namespace {
class Exchange : public HttpExchange
{
public:
    Exchange(std::shared_ptr<HttpConnection> connection, HttpRequest request, bool keepAlive)
        : m_connection(std::move(connection)), m_request(std::move(request)), m_keepAlive(keepAlive)
    {
    }
    ~Exchange() override
    {
        // Dropped without an answer: the client hears so instead of waiting forever.
        if (!m_answered.exchange(true)) {
            auto c = m_connection;
            c->post([c] {
                c->writeResponse(
                    apiError(500, QStringLiteral("internal"),
                             QCoreApplication::translate(
                                 "alabos::api", "the request was dropped without an answer")),
                    false);
            });
        }
    }
    const HttpRequest &request() const override { return m_request; }
    void respond(HttpResponse response) override
    {
        if (m_answered.exchange(true)) return;
        auto c = m_connection;
        c->post([c, r = std::move(response), keep = m_keepAlive] { c->writeResponse(r, keep); });
    }
    void startStream(QList<QPair<QByteArray, QByteArray>> headers, QByteArray contentType) override
    {
        if (m_answered.exchange(true)) return;
        m_connection->m_streamOpen = true;
        auto c = m_connection;
        c->post([c, h = std::move(headers), t = std::move(contentType)] { c->beginStream(h, t); });
    }
    bool write(QByteArray bytes) override
    {
        HttpConnection &c = *m_connection;
        if (!c.m_streamOpen) return false;
        if (c.m_backlog.fetch_add(bytes.size()) + bytes.size() > m_limit) {
            c.m_streamOpen = false; // a client that does not read is cut off, not buffered
            auto s = m_connection;
            s->post([s] { s->shutdown(); });
            return false;
        }
        auto s = m_connection;
        s->post([s, b = std::move(bytes)]() mutable { s->enqueue(std::move(b)); });
        return true;
    }
    void close() override
    {
        m_connection->m_streamOpen = false;
        auto s = m_connection;
        s->post([s] { s->endStream(); });
    }
    void onClosed(std::function<void()> callback) override
    {
        std::lock_guard lock(m_connection->m_closedMutex);
        m_connection->m_onClosed = std::move(callback);
    }
    qint64 m_limit = 4 * 1024 * 1024;

private:
    std::shared_ptr<HttpConnection> m_connection;
    HttpRequest m_request;
    bool m_keepAlive;
    std::atomic<bool> m_answered{false};
};

template <class Stream> class Session : public HttpConnection
{
public:
    Session(HttpServer::Impl &server, Stream stream, QByteArray peer, bool tls)
        : m_server(server), m_stream(std::move(stream)), m_peer(std::move(peer)), m_tls(tls)
    {
    }
    ~Session() override
    {
        --m_server.connectionsOpen;
        std::lock_guard lock(m_server.sessionsMutex);
        m_server.sessions.erase(this);
    }

    // Inline when already on the connection's thread (a handler that answers at once), queued
    // otherwise; either way in the order asked.
    void post(std::function<void()> work) override
    {
        asio::dispatch(m_stream.get_executor(), std::move(work));
    }

    void run(bool busy)
    {
        if (busy) {
            ++m_server.busy;
            return writeResponse(apiError(503, QStringLiteral("busy"),
                                          QCoreApplication::translate(
                                              "alabos::api", "too many connections (at most %1)")
                                              .arg(m_server.settings.maxConnections)),
                                 false);
        }
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            beast::get_lowest_layer(m_stream).expires_after(
                std::chrono::milliseconds(m_server.settings.requestTimeoutMs));
            m_stream.async_handshake(asio::ssl::stream_base::server,
                                     [self = self()](beast::error_code ec) {
                                         if (ec) return self->closeSocket();
                                         self->readRequest();
                                     });
        } else {
            readRequest();
        }
    }

    void writeResponse(const HttpResponse &response, bool keepAlive) override
    {
        if (m_closed) return;
        auto out = std::make_shared<std::string>();
        out->reserve(size_t(160 + response.body.size()));
        out->append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
        out->append(reason(response.status)).append("\r\nContent-Type: ");
        out->append(response.contentType.constData(), size_t(response.contentType.size()));
        out->append("\r\nContent-Length: ").append(std::to_string(response.body.size()));
        out->append(keepAlive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n");
        for (const auto &h : response.headers) {
            out->append(h.first.constData(), size_t(h.first.size())).append(": ");
            out->append(h.second.constData(), size_t(h.second.size())).append("\r\n");
        }
        out->append("\r\n").append(response.body.constData(), size_t(response.body.size()));
        lowest().expires_after(std::chrono::milliseconds(m_server.settings.idleTimeoutMs));
        asio::async_write(m_stream, asio::buffer(*out),
                          [self = self(), out, keepAlive](beast::error_code ec, size_t) {
                              if (ec) return self->closeSocket();
                              if (!keepAlive) return self->lingerAndClose();
                              self->readRequest();
                          });
    }

    void beginStream(const QList<QPair<QByteArray, QByteArray>> &headers,
                     const QByteArray &contentType) override
    {
        QByteArray head =
            "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n";
        for (const auto &h : headers)
            head += h.first + ": " + h.second + "\r\n";
        head += "\r\n";
        m_backlog += head.size();
        enqueue(std::move(head));
        watchForHangUp();
    }

    void enqueue(QByteArray bytes) override
    {
        if (m_closed) return;
        m_queue.push_back(std::move(bytes));
        if (!m_writing) writeNext();
    }

    void endStream() override
    {
        m_streamOpen = false;
        if (!m_writing) return shutdown();
        m_closeAfterWrite = true;
    }

    void shutdown() override { closeSocket(); }

private:
    std::shared_ptr<Session> self()
    {
        return std::static_pointer_cast<Session>(shared_from_this());
    }
    beast::tcp_stream &lowest() { return beast::get_lowest_layer(m_stream); }

    // After an answer that ends the connection, what the client still sends (a body refused
    // for its size) is read and dropped for a moment: closing with unread data would make the
    // kernel reset the connection, and the client might never see the answer.
    void lingerAndClose()
    {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest().expires_after(std::chrono::seconds(2));
        drainThenClose(0);
    }

    void drainThenClose(size_t drained)
    {
        lowest().async_read_some(asio::buffer(m_drain),
                                 [self = self(), drained](beast::error_code ec, size_t n) {
                                     if (ec || drained + n > 16 * 1024 * 1024)
                                         return self->closeSocket();
                                     self->drainThenClose(drained + n);
                                 });
    }

    void closeSocket()
    {
        if (m_closed) return;
        m_closed = true;
        m_streamOpen = false;
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().close();
        notifyClosed();
    }

    // A request in three steps: its first bytes (within idleTimeoutMs of the last answer), then
    // its head and body, which must all arrive within requestTimeoutMs of that first byte.
    void readRequest()
    {
        if (m_closed || m_server.stopping) return closeSocket();
        m_parser.emplace();
        m_parser->header_limit(std::uint32_t(m_server.settings.maxHeaderBytes));
        m_parser->body_limit(std::uint64_t(m_server.settings.maxBodyBytes));
        m_started = false;
        if (m_buffer.size() > 0) return onFirstBytes({}, 0); // pipelined: already here
        lowest().expires_after(std::chrono::milliseconds(m_server.settings.idleTimeoutMs));
        m_stream.async_read_some(
            m_buffer.prepare(4096),
            [self = self()](beast::error_code ec, size_t n) { self->onFirstBytes(ec, n); });
    }

    void onFirstBytes(beast::error_code ec, size_t bytes)
    {
        if (ec) return closeSocket(); // idle too long, or the client left
        m_buffer.commit(bytes);
        m_started = true;
        lowest().expires_after(std::chrono::milliseconds(m_server.settings.requestTimeoutMs));
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = self()](beast::error_code e, size_t) { self->onHead(e); });
    }

    void fail(int status, const QString &code, const QString &message)
    {
        writeResponse(apiError(status, code, message), false);
    }

    // True when `ec` ended the request (answered or cut off).
    bool failed(beast::error_code ec)
    {
        if (!ec) return false;
        if (ec == beast::error::timeout) {
            ++m_server.timedOut; // a request begun and never finished: cut off
            closeSocket();
        } else if (ec == http::error::header_limit) {
            ++m_server.headerTooLarge;
            fail(431, QStringLiteral("header_too_large"),
                 QCoreApplication::translate("alabos::api", "the request's headers exceed %1 bytes")
                     .arg(m_server.settings.maxHeaderBytes));
        } else if (ec == http::error::body_limit) {
            ++m_server.tooLarge;
            const auto length = m_parser->content_length();
            fail(413, QStringLiteral("payload_too_large"),
                 QCoreApplication::translate("alabos::api", "the body is %1 bytes; the limit is %2")
                     .arg(length
                              ? QString::number(*length)
                              : QCoreApplication::translate("alabos::api", "more than the limit"))
                     .arg(m_server.settings.maxBodyBytes));
        } else if (ec == http::error::end_of_stream || ec == asio::error::eof ||
                   ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
            closeSocket();
        } else {
            ++m_server.badRequests;
            fail(400, QStringLiteral("bad_request"),
                 QCoreApplication::translate("alabos::api", "malformed HTTP request: %1")
                     .arg(QString::fromStdString(ec.message())));
        }
        return true;
    }

    void onHead(beast::error_code ec)
    {
        if (failed(ec)) return;
        if (m_parser->is_done()) return onBody({});
        const auto expect = m_parser->get()[http::field::expect];
        if (beast::iequals(expect, "100-continue")) {
            static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            return asio::async_write(m_stream, asio::buffer(kContinue),
                                     [self = self()](beast::error_code e, size_t) {
                                         if (e) return self->closeSocket();
                                         self->readBody();
                                     });
        }
        readBody();
    }

    void readBody()
    {
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = self()](beast::error_code e, size_t) { self->onBody(e); });
    }

    void onBody(beast::error_code ec)
    {
        if (failed(ec)) return;
        lowest().expires_never(); // the handler may answer later; the write has its own limit
        dispatch();
    }

    void dispatch()
    {
        auto &message = m_parser->get();
        HttpRequest request;
        const std::string_view method = message.method_string();
        request.method = QByteArray(method.data(), qsizetype(method.size()));
        const std::string_view target = message.target();
        const size_t question = target.find('?');
        if (!percentDecoded(target.substr(0, question), &request.path) ||
            !request.path.startsWith('/')) {
            ++m_server.badRequests;
            return fail(
                400, QStringLiteral("bad_request"),
                QCoreApplication::translate(
                    "alabos::api", "the request's path is not a valid percent-encoded path"));
        }
        if (question != std::string_view::npos) {
            const std::string_view query = target.substr(question + 1);
            request.query = QByteArray(query.data(), qsizetype(query.size()));
        }
        for (const auto &field : message) {
            const std::string_view name = field.name_string(), value = field.value();
            request.headers.emplaceBack(QByteArray(name.data(), qsizetype(name.size())).toLower(),
                                        QByteArray(value.data(), qsizetype(value.size())));
        }
        std::string &body = message.body();
        request.body = QByteArray(body.data(), qsizetype(body.size()));
        request.peer = m_peer;
        request.tls = m_tls;
        const bool keepAlive = message.keep_alive() && !m_server.stopping;
        m_parser.reset();
        ++m_server.requests;
        auto exchange =
            std::make_shared<Exchange>(shared_from_this(), std::move(request), keepAlive);
        exchange->m_limit = m_server.settings.maxStreamBacklogBytes;
        m_server.handler(std::move(exchange));
    }

    // While a stream runs nothing is read, except to notice the client hanging up.
    void watchForHangUp()
    {
        m_stream.async_read_some(asio::buffer(m_drain),
                                 [self = self()](beast::error_code ec, size_t) {
                                     if (ec) return self->closeSocket();
                                     self->watchForHangUp();
                                 });
    }

    void writeNext()
    {
        if (m_queue.empty() || m_closed) {
            m_writing = false;
            if (m_closeAfterWrite) closeSocket();
            return;
        }
        m_writing = true;
        auto chunk = std::make_shared<QByteArray>(std::move(m_queue.front()));
        m_queue.pop_front();
        lowest().expires_after(std::chrono::milliseconds(m_server.settings.idleTimeoutMs));
        asio::async_write(m_stream, asio::buffer(chunk->constData(), size_t(chunk->size())),
                          [self = self(), chunk](beast::error_code ec, size_t) {
                              self->m_backlog -= chunk->size();
                              if (ec) {
                                  self->m_writing = false;
                                  return self->closeSocket();
                              }
                              self->writeNext();
                          });
    }

    HttpServer::Impl &m_server;
    Stream m_stream;
    QByteArray m_peer;
    bool m_tls;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    bool m_started = false;
    bool m_closed = false;
    bool m_writing = false;
    bool m_closeAfterWrite = false;
    std::deque<QByteArray> m_queue;
    std::array<char, 512> m_drain;
};
} // namespace

template <class Stream> void HttpServer::Impl::startSession(Stream stream, bool overLimit)
{
    beast::error_code ec;
    const tcp::endpoint remote = beast::get_lowest_layer(stream).socket().remote_endpoint(ec);
    const QByteArray peer = ec ? QByteArray("unknown")
                               : QByteArray::fromStdString(remote.address().to_string()) + ':' +
                                     QByteArray::number(remote.port());
    auto session = std::make_shared<Session<Stream>>(*this, std::move(stream), peer, bool(tls));
    ++connectionsOpen;
    ++connectionsTotal;
    {
        std::lock_guard lock(sessionsMutex);
        sessions.emplace(session.get(), session);
    }
    session->post([session, overLimit] { session->run(overLimit); });
}

void HttpServer::Impl::accept()
{
    asio::io_context &target = *contexts[next++ % contexts.size()];
    acceptor->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
        if (stopping) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            const bool overLimit = connectionsOpen.load() >= settings.maxConnections;
            if (tls)
                startSession(beast::ssl_stream<beast::tcp_stream>(
                                 beast::tcp_stream(std::move(socket)), *tls),
                             overLimit);
            else
                startSession(beast::tcp_stream(std::move(socket)), overLimit);
        } else if (ec == asio::error::no_descriptors) {
            qCWarning(lcApi) << "API: out of file descriptors; accepting again in 100 ms";
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        accept();
    });
}

HttpServer::HttpServer(HttpServerSettings settings, HttpHandler handler)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->settings = std::move(settings);
    m_impl->handler = std::move(handler);
}

HttpServer::~HttpServer()
{
    stop();
}

bool HttpServer::start(QString *error)
{
    Impl &s = *m_impl;
    auto failWith = [&](const QString &message) {
        if (error) *error = message;
        return false;
    };
    const QString listen = s.settings.listen.trimmed();
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : -1;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']')) host = host.mid(1, host.size() - 2);
    if (!portOk || port < 0 || port > 65535 || host.isEmpty())
        return failWith(QCoreApplication::translate("alabos::api", "\"%1\" is not HOST:PORT")
                            .arg(listen.left(300)));
    if (!s.settings.tlsCertificate.isEmpty() || !s.settings.tlsKey.isEmpty()) {
        try {
            s.tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
            s.tls->set_options(asio::ssl::context::default_workarounds |
                               asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                               asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
            s.tls->use_certificate_chain_file(s.settings.tlsCertificate.toStdString());
            s.tls->use_private_key_file(s.settings.tlsKey.toStdString(), asio::ssl::context::pem);
        } catch (const std::exception &e) {
            s.tls.reset();
            return failWith(
                QCoreApplication::translate("alabos::api",
                                            "the TLS certificate %1 or key %2 cannot be used: %3")
                    .arg(s.settings.tlsCertificate, s.settings.tlsKey,
                         QString::fromUtf8(e.what())));
        }
    }
    const int threads = std::clamp(s.settings.threads, 1, 64);
    for (int i = 0; i < threads; ++i) {
        s.contexts.push_back(std::make_unique<asio::io_context>(1));
        s.guards.push_back(asio::make_work_guard(*s.contexts.back()));
    }
    try {
        tcp::resolver resolver(*s.contexts.front());
        const auto endpoints =
            resolver.resolve(host.toStdString(), std::to_string(port), tcp::resolver::passive);
        if (endpoints.empty())
            return failWith(
                QCoreApplication::translate("alabos::api", "%1 does not resolve").arg(host));
        const tcp::endpoint endpoint = endpoints.begin()->endpoint();
        s.acceptor = std::make_unique<tcp::acceptor>(*s.contexts.front());
        s.acceptor->open(endpoint.protocol());
        s.acceptor->set_option(asio::socket_base::reuse_address(true));
        s.acceptor->bind(endpoint);
        s.acceptor->listen(asio::socket_base::max_listen_connections);
        s.port = s.acceptor->local_endpoint().port();
    } catch (const std::exception &e) {
        s.acceptor.reset();
        s.guards.clear();
        s.contexts.clear();
        return failWith(QString::fromUtf8(e.what()));
    }
    s.accept();
    for (auto &context : s.contexts)
        s.threads.emplace_back([c = context.get()] { c->run(); });
    return true;
}

quint16 HttpServer::port() const
{
    return m_impl->port;
}

void HttpServer::stop()
{
    Impl &s = *m_impl;
    if (s.threads.empty() || s.stopping.exchange(true)) return;
    asio::post(*s.contexts.front(), [&s] {
        beast::error_code ignored;
        s.acceptor->close(ignored);
    });
    std::vector<std::shared_ptr<HttpConnection>> open;
    {
        std::lock_guard lock(s.sessionsMutex);
        for (auto &[raw, weak] : s.sessions)
            if (auto session = weak.lock()) open.push_back(std::move(session));
    }
    for (auto &session : open)
        session->post([session] { session->shutdown(); });
    open.clear();
    // Each loop runs what was posted (the closes), then stops.
    for (auto &context : s.contexts) {
        auto done = std::make_shared<std::promise<void>>();
        auto finished = done->get_future();
        asio::post(*context, [done] { done->set_value(); });
        finished.wait_for(std::chrono::seconds(2));
    }
    s.guards.clear();
    for (auto &context : s.contexts)
        context->stop();
    for (std::thread &t : s.threads)
        t.join();
    s.threads.clear();
}

HttpServer::Stats HttpServer::stats() const
{
    const Impl &s = *m_impl;
    return {s.connectionsOpen.load(), s.connectionsTotal.load(),
            s.requests.load(),        s.badRequests.load(),
            s.tooLarge.load(),        s.headerTooLarge.load(),
            s.timedOut.load(),        s.busy.load()};
}

} // namespace alabos
