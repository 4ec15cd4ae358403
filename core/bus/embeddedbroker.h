#pragma once
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QtGlobal>
#include <memory>

class QProcess;

namespace alabos {

// The Kafka-protocol broker librdkafka ships (rdkafka_mock.h), listening on 127.0.0.1, run in
// a helper process of its own (alabos-broker, next to the running executable) so that its
// fetch handling does not take the CPU from alabos's threads and PostgreSQL as one scheduling
// group with them (BENCHMARKS.md, "pipeline"). Any Kafka client, kcat included, can connect
// to bootstrap(). It keeps messages in memory, at most about 5 MB or 100,000 message sets per
// partition; it stops with this object, or dies with the thread that started it (Linux's
// parent-death signal follows the thread), so start it on a thread that lives as long.
// Use from one thread, whose event loop runs: when the helper dies (killed, crashed), died()
// is emitted at once (QProcess::finished, no polling) and the helper is started again after
// a backoff (0.2 s, doubling to 5 s; back to 0.2 s once one lived a minute) on the SAME
// 127.0.0.1 ports, so every client reconnects by itself, and every topic created through
// createTopic() is created again (empty: the dead helper's messages are gone). restarted()
// follows; while the ports are taken the start fails, restartFailed() says why and it retries.
// What it keeps of a partition before dropping the oldest messages (rdkafka_mock.c).
inline constexpr qint64 kEmbeddedBrokerPartitionBytes = 5 * 1024 * 1024;

class EmbeddedBroker : public QObject
{
    Q_OBJECT
public:
    EmbeddedBroker();
    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker &) = delete;
    EmbeddedBroker &operator=(const EmbeddedBroker &) = delete;

    bool start(int brokerCount, QString *error);
    void stop();
    QString bootstrap() const { return m_bootstrap; }
    int brokerCount() const { return m_brokerCount; }
    // The helper's process id; 0 while it is not running.
    qint64 processId() const;
    bool isRunning() const;
    // How many times the helper was started again after it died.
    int restarts() const { return m_restarts; }

    bool createTopic(const QString &name, int partitions, QString *error);
    // Fault injection for tests: a broker that answers nothing, then comes back.
    void setBrokerDown(int brokerId, bool down);
    void setAllBrokersDown(bool down);
    // The next `count` requests of a Kafka API (RD_KAFKAP_Produce, RD_KAFKAP_Fetch...) get
    // `error` (an rd_kafka_resp_err_t) instead of an answer.
    void pushRequestErrors(int apiKey, int count, int error);

Q_SIGNALS:
    // The helper ended without stop(): its messages are lost; a restart is scheduled.
    void died(const QString &why);
    // Started again on the same bootstrap, every topic re-created; `restarts` counts them.
    void restarted(int restarts);
    // A restart attempt failed (say, the port is taken); another follows after the backoff.
    void restartFailed(const QString &why);

private:
    // Starts the helper; with `ports`, its listeners take them (brokerprocess.cpp).
    bool launch(const QString &ports, QString *why);
    void onFinished();
    void restart();
    void scheduleRestart();

    // Sends one command line and returns the answer ("ok", "error ..."); empty when the helper
    // does not answer.
    QString command(const QString &line);
    QString readLine(int timeoutMs);

    std::unique_ptr<QProcess> m_process;
    QString m_bootstrap;
    int m_brokerCount = 0;
    QList<QPair<QString, int>> m_topics; // created through createTopic(), in order
    bool m_stopping = false;
    int m_restarts = 0;
    qint64 m_pid = 0; // the helper's, kept for the message once it died
    int m_backoffMs = 0;
    QElapsedTimer m_upSince;
};

} // namespace alabos
