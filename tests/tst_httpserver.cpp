// The API's HTTP server on real sockets: keep-alive and ordered answers, the limits it
// enforces itself (body, headers, time to send a request, malformed requests), many
// connections, streams and their clients hanging up, TLS, and stopping with work in flight.
#include "core/api/httpserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <mutex>
#include <thread>

using namespace alabos;

namespace {
// Reads one whole response (head and Content-Length body) from `socket`; empty on timeout.
QByteArray readResponse(QTcpSocket &socket, QByteArray *buffer, int timeoutMs = 10000)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            const QByteArray head = buffer->left(headEnd);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buffer->size() >= headEnd + 4 + length) {
                const QByteArray whole = buffer->left(headEnd + 4 + length);
                buffer->remove(0, whole.size());
                return whole;
            }
        }
        if (clock.elapsed() > timeoutMs || socket.state() != QAbstractSocket::ConnectedState) {
            *buffer += socket.readAll();
            return {};
        }
        socket.waitForReadyRead(100);
        *buffer += socket.readAll();
    }
}

int statusOf(const QByteArray &response)
{
    return response.mid(9, 3).toInt();
}

QString codeOf(const QByteArray &response)
{
    const QByteArray body = response.mid(response.indexOf("\r\n\r\n") + 4);
    return QJsonDocument::fromJson(body)
        .object()
        .value("error")
        .toObject()
        .value("code")
        .toString();
}
} // namespace

class TstHttpServer : public QObject
{
    Q_OBJECT

    // Answers "/echo" with the path and body, "/later" from another thread after 200 ms,
    // "/drop" never (the exchange is dropped), "/stream" as a stream the test feeds.
    std::unique_ptr<HttpServer> m_server;
    std::mutex m_mutex;
    std::shared_ptr<HttpExchange> m_stream;
    std::atomic<int> m_streamsClosed{0};

    std::unique_ptr<HttpServer> serve(HttpServerSettings settings = {})
    {
        settings.listen = settings.listen == HttpServerSettings{}.listen
                              ? QStringLiteral("127.0.0.1:0")
                              : settings.listen;
        auto server =
            std::make_unique<HttpServer>(settings, [this](std::shared_ptr<HttpExchange> e) {
                const QByteArray path = e->request().path;
                if (path == "/later") {
                    std::thread([e] {
                        QThread::msleep(200);
                        e->respond({200, "text/plain", "later", {}});
                    }).detach();
                } else if (path == "/drop") {
                    // nothing: the server answers for a dropped exchange
                } else if (path == "/stream") {
                    e->onClosed([this] { ++m_streamsClosed; });
                    e->startStream({{"Cache-Control", "no-store"}}, "text/event-stream");
                    std::lock_guard lock(m_mutex);
                    m_stream = e;
                } else {
                    e->respond({200,
                                "text/plain",
                                path + '|' + e->request().query + '|' + e->request().body,
                                {}});
                }
            });
        QString error;
        if (!server->start(&error)) qWarning("start: %s", qPrintable(error));
        return server;
    }

    QTcpSocket *connectTo(quint16 port)
    {
        auto *socket = new QTcpSocket(this);
        socket->connectToHost(QStringLiteral("127.0.0.1"), port);
        socket->waitForConnected(5000);
        return socket;
    }

private Q_SLOTS:
    void init()
    {
        m_streamsClosed = 0;
        m_server = serve();
    }
    void cleanup()
    {
        m_server.reset();
        std::lock_guard lock(m_mutex);
        m_stream.reset();
    }

    void keepAliveAndPipelinedRequestsAnsweredInOrder()
    {
        QTcpSocket *s = connectTo(m_server->port());
        QByteArray buffer;
        for (int i = 0; i < 100; ++i) {
            s->write("GET /echo%20" + QByteArray::number(i) + "?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            const QByteArray r = readResponse(*s, &buffer);
            QCOMPARE(statusOf(r), 200);
            QVERIFY(r.endsWith("/echo " + QByteArray::number(i) + "|a=1|"));
        }
        // The first answered later from another thread, the second at once: still in order.
        s->write("GET /later HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
                 "Content-Length: 3\r\n\r\nabc");
        QVERIFY(readResponse(*s, &buffer).endsWith("later"));
        QVERIFY(readResponse(*s, &buffer).endsWith("/echo||abc"));
        const QByteArray dropped =
            (s->write("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n"), readResponse(*s, &buffer));
        QCOMPARE(statusOf(dropped), 500);
    }

    void limitsAnsweredInTheErrorShape()
    {
        QByteArray buffer;
        QTcpSocket *s = connectTo(m_server->port());
        s->write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n");
        QByteArray r = readResponse(*s, &buffer);
        QCOMPARE(statusOf(r), 413);
        QCOMPARE(codeOf(r), QStringLiteral("payload_too_large"));

        s = connectTo(m_server->port());
        buffer.clear();
        s->write("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20000, 'a') + "\r\n\r\n");
        r = readResponse(*s, &buffer);
        QCOMPARE(statusOf(r), 431);
        QCOMPARE(codeOf(r), QStringLiteral("header_too_large"));

        s = connectTo(m_server->port());
        buffer.clear();
        s->write("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        r = readResponse(*s, &buffer);
        QCOMPARE(statusOf(r), 400);
        QCOMPARE(codeOf(r), QStringLiteral("bad_request"));

        s = connectTo(m_server->port());
        buffer.clear();
        s->write("THIS IS NOT HTTP\r\n\r\n");
        r = readResponse(*s, &buffer);
        QCOMPARE(statusOf(r), 400);
        const HttpServer::Stats stats = m_server->stats();
        QCOMPARE(stats.rejectedTooLarge, 1);
        QCOMPARE(stats.rejectedHeaderTooLarge, 1);
        QVERIFY(stats.rejectedBadRequest >= 2);
    }

    void aSlowClientIsCutOffAtTheRequestTimeout()
    {
        HttpServerSettings settings;
        settings.requestTimeoutMs = 1000;
        auto server = serve(settings);
        QTcpSocket *s = connectTo(server->port());
        s->write("GET /echo HTTP/1.1\r\nHost: x\r\n"); // never the end of the head
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(s->state() == QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(clock.elapsed() >= 900);
        QCOMPARE(server->stats().timedOut, 1);
        // An idle kept-alive connection is not a slow request: it stays until idleTimeoutMs.
        QTcpSocket *idle = connectTo(server->port());
        QTest::qWait(1500);
        QCOMPARE(idle->state(), QAbstractSocket::ConnectedState);
    }

    void aThousandConnectionsAreAllAnswered()
    {
        QList<QTcpSocket *> sockets;
        for (int i = 0; i < 1000; ++i) {
            auto *s = new QTcpSocket(this);
            s->connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
            sockets << s;
        }
        for (QTcpSocket *s : sockets)
            QVERIFY(s->waitForConnected(10000));
        for (QTcpSocket *s : sockets)
            s->write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        int answered = 0;
        for (QTcpSocket *s : sockets) {
            QByteArray buffer;
            answered += statusOf(readResponse(*s, &buffer)) == 200 ? 1 : 0;
        }
        QCOMPARE(answered, 1000);
        QCOMPARE(m_server->stats().connectionsOpen, 1000);
        qDeleteAll(sockets);
    }

    void aTakenPortOrABadAddressIsAClearError()
    {
        HttpServerSettings settings;
        settings.listen = QStringLiteral("127.0.0.1:%1").arg(m_server->port());
        HttpServer second(settings, [](std::shared_ptr<HttpExchange>) {});
        QString error;
        QVERIFY(!second.start(&error));
        QVERIFY2(error.contains(QStringLiteral("in use"), Qt::CaseInsensitive), qPrintable(error));
        settings.listen = QStringLiteral("nonsense");
        HttpServer third(settings, [](std::shared_ptr<HttpExchange>) {});
        QVERIFY(!third.start(&error));
        QVERIFY2(error.contains(QStringLiteral("HOST:PORT")), qPrintable(error));
    }

    void aStreamIsWrittenFromAnotherThreadAndNoticesTheClientLeaving()
    {
        QTcpSocket *s = connectTo(m_server->port());
        s->write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(m_stream != nullptr, 5000);
        std::shared_ptr<HttpExchange> stream;
        {
            std::lock_guard lock(m_mutex);
            stream = m_stream;
        }
        std::thread writer([stream] {
            for (int i = 0; i < 5; ++i)
                stream->write("data: " + QByteArray::number(i) + "\n\n");
        });
        writer.join();
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += s->readAll()).contains("data: 4\n\n"), 5000);
        QVERIFY(got.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(got.contains("Content-Type: text/event-stream"));
        QVERIFY(got.indexOf("data: 0") < got.indexOf("data: 4"));
        s->abort();
        QTRY_COMPARE_WITH_TIMEOUT(m_streamsClosed.load(), 1, 5000);
        QVERIFY(!stream->write("data: after\n\n"));
    }

    void aStreamClientThatDoesNotReadIsCutOff()
    {
        HttpServerSettings settings;
        settings.maxStreamBacklogBytes = 256 * 1024;
        auto server = serve(settings);
        QTcpSocket *s = connectTo(server->port());
        s->setReadBufferSize(1024);
        s->write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(m_stream != nullptr, 5000);
        std::shared_ptr<HttpExchange> stream;
        {
            std::lock_guard lock(m_mutex);
            stream = m_stream;
        }
        bool refused = false;
        const QByteArray chunk(64 * 1024, 'x');
        for (int i = 0; i < 2000 && !refused; ++i)
            refused = !stream->write(chunk); // never read by the client: the kernel fills up
        QVERIFY(refused);
    }

    void httpsWithACertificateAndPlainHttpRefused()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1")});
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);
        HttpServerSettings settings;
        settings.tlsCertificate = cert;
        settings.tlsKey = key;
        auto server = serve(settings);
        QVERIFY(server->port() > 0);
        QSslSocket tls;
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        tls.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server->port());
        QVERIFY2(tls.waitForEncrypted(10000), qPrintable(tls.errorString()));
        tls.write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray buffer;
        QCOMPARE(statusOf(readResponse(tls, &buffer)), 200);
        QTcpSocket *plain = connectTo(server->port());
        plain->write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(plain->state() == QAbstractSocket::UnconnectedState, 10000);
        QVERIFY(!plain->readAll().contains("HTTP/1.1 200"));

        settings.tlsKey = dir.filePath(QStringLiteral("missing.pem"));
        HttpServer bad(settings, [](std::shared_ptr<HttpExchange>) {});
        QString error;
        QVERIFY(!bad.start(&error));
        QVERIFY2(error.contains(QStringLiteral("missing.pem")), qPrintable(error));
    }

    void stopEndsConnectionsAndStreamsPromptly()
    {
        QTcpSocket *s = connectTo(m_server->port());
        s->write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(m_stream != nullptr, 5000);
        QTcpSocket *idle = connectTo(m_server->port());
        QElapsedTimer clock;
        clock.start();
        m_server->stop();
        QVERIFY(clock.elapsed() < 3000);
        QCOMPARE(m_streamsClosed.load(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(idle->state() == QAbstractSocket::UnconnectedState, 5000);
    }
};

QTEST_GUILESS_MAIN(TstHttpServer)
#include "tst_httpserver.moc"
