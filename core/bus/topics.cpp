#include "core/bus/topics.h"

#include "core/bus/embeddedbroker.h"
#include "core/bus/kafka.h"
#include "core/domain/logging.h"
#include "core/domain/types.h"

#include <QObject>

#include <librdkafka/rdkafka.h>

namespace alabos {

QList<TopicSpec> topicCatalogue()
{
    constexpr qint64 kDay = 24LL * 3600 * 1000;
    // More partitions spread load over consumers and, on the embedded broker, multiply
    // its 5 MB-per-partition window.
    return {
        {QLatin1StringView(topic::StateDevices), 8, true, -1},
        {QLatin1StringView(topic::StateTasks), 16, false, 7 * kDay},
        {QLatin1StringView(topic::StateSamples), 8, false, 7 * kDay},
        {QLatin1StringView(topic::StateWorkflows), 8, false, 7 * kDay},
        {QLatin1StringView(topic::Telemetry), 32, false, 2 * kDay},
        {QLatin1StringView(topic::Commands), 4, false, 30 * kDay},
        {QLatin1StringView(topic::Alarms), 4, true, -1},
        {QLatin1StringView(topic::DeadLetter), 1, false, 30 * kDay},
    };
}

const char *stateTopicFor(const QString &entityType)
{
    if (entityType == QLatin1StringView(entity::Device))
        return topic::StateDevices;
    if (entityType == QLatin1StringView(entity::Task))
        return topic::StateTasks;
    if (entityType == QLatin1StringView(entity::Sample))
        return topic::StateSamples;
    if (entityType == QLatin1StringView(entity::Workflow))
        return topic::StateWorkflows;
    if (entityType == QLatin1StringView(entity::Alarm))
        return topic::Alarms;
    // Engine entities (issue 5): prompts travel with the tasks that raise them, positions
    // with the devices they belong to, operator commands on their own audit topic.
    if (entityType == QLatin1StringView(entity::Prompt))
        return topic::StateTasks;
    if (entityType == QLatin1StringView(entity::Position))
        return topic::StateDevices;
    if (entityType == QLatin1StringView(entity::Command))
        return topic::Commands;
    return nullptr;
}

QList<const char *> stateTopics()
{
    return {topic::StateDevices, topic::StateTasks, topic::StateSamples, topic::StateWorkflows,
            topic::Alarms};
}

bool ensureTopics(const KafkaSettings &settings, EmbeddedBroker *embedded, int replication,
                  QString *error)
{
    const QList<TopicSpec> specs = topicCatalogue();
    if (embedded) {
        for (const TopicSpec &spec : specs) {
            QString why;
            if (!embedded->createTopic(spec.name, spec.partitions, &why) &&
                !why.contains(QLatin1StringView("already exists"), Qt::CaseInsensitive)) {
                if (error)
                    *error = why;
                return false;
            }
        }
        return true;
    }

    rd_kafka_conf_t *conf = makeKafkaConf(settings, {}, error);
    if (!conf)
        return false;
    char errstr[512];
    KafkaHandle admin(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    if (!admin) {
        rd_kafka_conf_destroy(conf);
        if (error)
            *error = QObject::tr("Kafka admin client: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    std::vector<rd_kafka_NewTopic_t *> newTopics;
    for (const TopicSpec &spec : specs) {
        rd_kafka_NewTopic_t *t = rd_kafka_NewTopic_new(spec.name.toUtf8().constData(),
                                                       spec.partitions, replication, errstr,
                                                       sizeof errstr);
        if (!t) {
            for (auto *n : newTopics)
                rd_kafka_NewTopic_destroy(n);
            if (error)
                *error = QString::fromUtf8(errstr);
            return false;
        }
        if (spec.compacted)
            rd_kafka_NewTopic_set_config(t, "cleanup.policy", "compact");
        if (spec.retentionMs > 0)
            rd_kafka_NewTopic_set_config(t, "retention.ms",
                                         QByteArray::number(spec.retentionMs).constData());
        newTopics.push_back(t);
    }
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin.get());
    rd_kafka_CreateTopics(admin.get(), newTopics.data(), newTopics.size(), nullptr, queue);
    rd_kafka_event_t *event = rd_kafka_queue_poll(queue, 30000);
    bool ok = true;
    if (!event) {
        ok = false;
        if (error)
            *error = QObject::tr("Kafka did not answer the topic creation within 30 s (%1)")
                         .arg(settings.describe());
    } else if (rd_kafka_event_error(event)) {
        ok = false;
        if (error)
            *error = QObject::tr("creating Kafka topics: %1")
                         .arg(QString::fromUtf8(rd_kafka_event_error_string(event)));
    } else {
        size_t count = 0;
        const rd_kafka_topic_result_t **results =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
        for (size_t i = 0; i < count; ++i) {
            const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                qCInfo(lcBus) << "created topic" << rd_kafka_topic_result_name(results[i]);
            } else if (err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                ok = false;
                if (error)
                    *error = QObject::tr("creating topic %1: %2")
                                 .arg(QString::fromUtf8(rd_kafka_topic_result_name(results[i])),
                                      QString::fromUtf8(rd_kafka_topic_result_error_string(results[i])));
            }
        }
    }
    if (event)
        rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    for (auto *n : newTopics)
        rd_kafka_NewTopic_destroy(n);
    return ok;
}

} // namespace alabos
