#pragma once
#include "core/bus/kafka.h"

namespace alabos {

// The in-process Kafka-protocol broker librdkafka ships (rdkafka_mock.h), listening on
// 127.0.0.1. Any Kafka client, kcat included, can connect to bootstrap(). It keeps
// messages in memory, at most about 5 MB or 100,000 messages per partition.
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
    rd_kafka_mock_cluster_t *cluster() const { return m_cluster; }
    int brokerCount() const { return m_brokerCount; }

    bool createTopic(const QString &name, int partitions, QString *error);
    // Fault injection for tests: a broker that answers nothing, then comes back.
    void setBrokerDown(int brokerId, bool down);
    void setAllBrokersDown(bool down);
    // The next `count` requests of a Kafka API (RD_KAFKAP_Produce, RD_KAFKAP_Fetch...) get
    // `error` (an rd_kafka_resp_err_t) instead of an answer.
    void pushRequestErrors(int apiKey, int count, int error);

private:
    KafkaHandle m_host;
    rd_kafka_mock_cluster_t *m_cluster = nullptr;
    QString m_bootstrap;
    int m_brokerCount = 0;
};

} // namespace alabos
