#include "core/bus/embeddedbroker.h"

#include "core/domain/logging.h"

#include <QObject>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <vector>

namespace alabos {

EmbeddedBroker::EmbeddedBroker() = default;

EmbeddedBroker::~EmbeddedBroker()
{
    stop();
}

bool EmbeddedBroker::start(int brokerCount, QString *error)
{
    if (m_cluster) return true;
    QString confError;
    rd_kafka_conf_t *conf = makeKafkaConf({}, {}, &confError);
    if (!conf) {
        if (error) *error = confError;
        return false;
    }
    char errstr[512];
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!host) {
        rd_kafka_conf_destroy(conf);
        if (error) *error = QObject::tr("embedded Kafka broker: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    m_host.reset(host);
    m_cluster = rd_kafka_mock_cluster_new(host, brokerCount);
    if (!m_cluster) {
        m_host.reset();
        if (error)
            *error = QObject::tr("the embedded Kafka broker could not start (no free port on "
                                 "127.0.0.1?)");
        return false;
    }
    m_brokerCount = brokerCount;
    m_bootstrap = QString::fromUtf8(rd_kafka_mock_cluster_bootstraps(m_cluster));
    qCInfo(lcBus).noquote() << "embedded Kafka broker listening on" << m_bootstrap;
    return true;
}

void EmbeddedBroker::stop()
{
    if (m_cluster) {
        rd_kafka_mock_cluster_destroy(m_cluster);
        m_cluster = nullptr;
    }
    m_host.reset();
}

bool EmbeddedBroker::createTopic(const QString &name, int partitions, QString *error)
{
    const rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(m_cluster, name.toUtf8().constData(),
                                                               partitions, qMin(m_brokerCount, 3));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (error)
            *error = QObject::tr("creating topic %1 on the embedded broker: %2")
                         .arg(name, QString::fromUtf8(rd_kafka_err2str(err)));
        return false;
    }
    return true;
}

void EmbeddedBroker::setBrokerDown(int brokerId, bool down)
{
    if (down)
        rd_kafka_mock_broker_set_down(m_cluster, brokerId);
    else
        rd_kafka_mock_broker_set_up(m_cluster, brokerId);
}

void EmbeddedBroker::pushRequestErrors(int apiKey, int count, int error)
{
    const std::vector<rd_kafka_resp_err_t> errors(size_t(count),
                                                  static_cast<rd_kafka_resp_err_t>(error));
    rd_kafka_mock_push_request_errors_array(m_cluster, int16_t(apiKey), size_t(count),
                                            errors.data());
}

void EmbeddedBroker::setAllBrokersDown(bool down)
{
    for (int id = 1; id <= m_brokerCount; ++id)
        setBrokerDown(id, down);
}

} // namespace alabos
