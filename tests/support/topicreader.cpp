#include "tests/support/topicreader.h"

#include "core/bus/kafka.h"

#include <QElapsedTimer>

#include <librdkafka/rdkafka.h>

namespace alabos::test {

QList<TopicRecord> readTopic(const QString &bootstrap, const char *topic, int expected, int timeoutMs)
{
    QString error;
    rd_kafka_conf_t *conf = makeKafkaConf({bootstrap, {}, 5},
                                          {{QStringLiteral("group.id"), QStringLiteral("test-reader")},
                                           {QStringLiteral("enable.auto.commit"), QStringLiteral("false")}},
                                          &error);
    char errstr[256];
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr));
    rd_kafka_poll_set_consumer(rk.get());
    const rd_kafka_metadata_t *md = nullptr;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk.get(), topic, nullptr);
    rd_kafka_metadata(rk.get(), 0, rkt, &md, 5000);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(64);
    for (int p = 0; md && p < md->topics[0].partition_cnt; ++p)
        rd_kafka_topic_partition_list_add(list, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_assign(rk.get(), list);
    rd_kafka_topic_partition_list_destroy(list);
    QList<TopicRecord> out;
    QElapsedTimer clock;
    clock.start();
    while (out.size() < expected && clock.elapsed() < timeoutMs) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk.get(), 50);
        if (!m)
            continue;
        if (!m->err) {
            TopicRecord r;
            r.partition = m->partition;
            r.offset = m->offset;
            r.key = QByteArray(static_cast<const char *>(m->key), int(m->key_len));
            r.value = QByteArray(static_cast<const char *>(m->payload), int(m->len));
            rd_kafka_headers_t *hdrs = nullptr;
            if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const char *name;
                const void *value;
                size_t size;
                for (size_t i = 0; !rd_kafka_header_get_all(hdrs, i, &name, &value, &size); ++i)
                    r.headers.insert(name, QByteArray(static_cast<const char *>(value), int(size)));
            }
            out.append(r);
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk.get());
    return out;
}

} // namespace alabos::test
