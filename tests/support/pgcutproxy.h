// A PostgreSQL wire-protocol relay on a Unix socket that can cut the connection at the one
// moment a client cannot recover by itself: around COMMIT. Either the COMMIT never reaches the
// server (the transaction is rolled back), or the server committed and its answer never reaches
// the client (the work went in). Either way the client sees its connection die during COMMIT
// and cannot know which happened. Runs on its own thread, so a client blocked in libpq on the
// test's thread or any other still gets its bytes relayed.
#pragma once

#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QThread>
#include <QtEndian>
#include <atomic>

namespace alabos::test {

class PgCutProxy
{
public:
    enum class Cut
    {
        Nothing,
        BeforeCommit,
        AfterCommit
    };

    // Relays `<proxyDir>/.s.PGSQL.<port>` to `<serverDir>/.s.PGSQL.<port>`.
    PgCutProxy(const QString &serverDir, const QString &proxyDir, int port)
        : m_target(QStringLiteral("%1/.s.PGSQL.%2").arg(serverDir).arg(port)),
          m_listen(QStringLiteral("%1/.s.PGSQL.%2").arg(proxyDir).arg(port))
    {
        QFile::remove(m_listen);
        m_thread.start();
        m_server = new QLocalServer;
        m_server->moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            m_server,
            [this] {
                QObject::connect(m_server, &QLocalServer::newConnection, m_server,
                                 [this] { accept(); });
                m_listening = m_server->listen(m_listen);
            },
            Qt::BlockingQueuedConnection);
    }
    ~PgCutProxy()
    {
        QMetaObject::invokeMethod(
            m_server, [s = m_server] { delete s; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    bool listening() const { return m_listening; }
    // The next COMMIT on any relayed connection is cut as `cut`; once.
    void arm(Cut cut) { m_armed = cut; }
    int cuts() const { return m_cuts; }

private:
    struct Pair
    {
        QLocalSocket *client;
        QLocalSocket *server;
        QByteArray fromClient, fromServer;
        bool startupSeen = false;
    };

    void accept()
    {
        while (QLocalSocket *client = m_server->nextPendingConnection()) {
            auto *server = new QLocalSocket(client);
            auto *pair = new Pair{client, server, {}, {}};
            QObject::connect(client, &QLocalSocket::readyRead, client,
                             [this, pair] { relay(pair, true); });
            QObject::connect(server, &QLocalSocket::readyRead, client,
                             [this, pair] { relay(pair, false); });
            QObject::connect(server, &QLocalSocket::disconnected, client,
                             [client] { client->disconnectFromServer(); });
            QObject::connect(client, &QLocalSocket::disconnected, client, [client, pair] {
                pair->server->disconnectFromServer();
                client->deleteLater();
                delete pair;
            });
            server->connectToServer(m_target);
            if (!server->waitForConnected(5000)) client->disconnectFromServer();
        }
    }

    // Forwards every whole message; the one the armed cut names is dropped with the link.
    void relay(Pair *pair, bool clientToServer)
    {
        QLocalSocket *from = clientToServer ? pair->client : pair->server;
        QLocalSocket *to = clientToServer ? pair->server : pair->client;
        QByteArray &buffer = clientToServer ? pair->fromClient : pair->fromServer;
        buffer += from->readAll();
        qsizetype at = 0;
        while (true) {
            // The client's first message (startup) has no type byte.
            const bool typed = !clientToServer || pair->startupSeen;
            const qsizetype header = typed ? 5 : 4;
            if (buffer.size() - at < header) break;
            const quint32 length =
                qFromBigEndian<quint32>(buffer.constData() + at + (typed ? 1 : 0));
            const qsizetype whole = qsizetype(length) + (typed ? 1 : 0);
            if (buffer.size() - at < whole) break;
            const QByteArray message = buffer.mid(at, whole);
            at += whole;
            if (!typed) {
                pair->startupSeen = true;
            } else if (isCommit(message, clientToServer)) {
                m_armed = Cut::Nothing;
                ++m_cuts;
                to->write(buffer.first(at - whole)); // everything before it, not it
                to->flush();
                // Aborting one side ends the pair (and frees it); the client socket itself
                // is deleted later, so it can still be aborted.
                QLocalSocket *client = pair->client;
                pair->server->abort();
                client->abort();
                return;
            }
        }
        to->write(buffer.first(at));
        buffer.remove(0, at);
    }

    // The armed cut's message: the client's simple-query COMMIT, or the server's
    // CommandComplete for it.
    bool isCommit(const QByteArray &message, bool clientToServer) const
    {
        const Cut cut = m_armed;
        if (cut == Cut::BeforeCommit && clientToServer && message.startsWith('Q'))
            return message.mid(5).trimmed().startsWith("COMMIT");
        if (cut == Cut::AfterCommit && !clientToServer && message.startsWith('C'))
            return message.mid(5).startsWith("COMMIT");
        return false;
    }

    QString m_target, m_listen;
    QThread m_thread;
    QLocalServer *m_server = nullptr;
    bool m_listening = false;
    std::atomic<Cut> m_armed{Cut::Nothing};
    std::atomic<int> m_cuts{0};
};

} // namespace alabos::test
