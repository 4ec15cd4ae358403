#pragma once
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
// Use from one thread.
// What it keeps of a partition before dropping the oldest messages (rdkafka_mock.c).
inline constexpr qint64 kEmbeddedBrokerPartitionBytes = 5 * 1024 * 1024;

class EmbeddedBroker
{
public:
    EmbeddedBroker();
    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker &) = delete;
    EmbeddedBroker &operator=(const EmbeddedBroker &) = delete;

    bool start(int brokerCount, QString *error);
    void stop();
    QString bootstrap() const { return m_bootstrap; }
    int brokerCount() const { return m_brokerCount; }

    bool createTopic(const QString &name, int partitions, QString *error);
    // Fault injection for tests: a broker that answers nothing, then comes back.
    void setBrokerDown(int brokerId, bool down);
    void setAllBrokersDown(bool down);
    // The next `count` requests of a Kafka API (RD_KAFKAP_Produce, RD_KAFKAP_Fetch...) get
    // `error` (an rd_kafka_resp_err_t) instead of an answer.
    void pushRequestErrors(int apiKey, int count, int error);

private:
    // Sends one command line and returns the answer ("ok", "error ..."); empty when the helper
    // does not answer.
    QString command(const QString &line);
    QString readLine(int timeoutMs);

    std::unique_ptr<QProcess> m_process;
    QString m_bootstrap;
    int m_brokerCount = 0;
};

} // namespace alabos
