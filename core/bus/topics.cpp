#include "core/bus/topics.h"

#include "core/bus/embeddedbroker.h"
#include "core/bus/kafka.h"
#include "core/domain/logging.h"
#include "core/domain/types.h"

#include <QObject>
#include <librdkafka/rdkafka.h>

namespace alabos {

QList<TopicSpec> topicCatalogue(const TopicLayout &layout)
{
    constexpr qint64 kDay = 24LL * 3600 * 1000;
    // More partitions spread load over consumers and, on the embedded broker, multiply its
    // 5 MB-per-partition window; fewer make larger produce requests and fetches. Telemetry
    // has 8: librdkafka sends a produce request per partition, and with 32 the embedded
    // broker spent the pipeline benchmark's CPU on tiny requests (emit-to-commit p99 at
    // 100,000 readings/s 60-185 ms, with 8: 25-37 ms; BENCHMARKS.md). A real cluster may
    // want more: --topic-partitions.
    QList<TopicSpec> specs{
        {QLatin1StringView(topic::StateDevices), 8, true, -1},
        {QLatin1StringView(topic::StateTasks), 16, false, 7 * kDay},
        {QLatin1StringView(topic::StateSamples), 8, false, 7 * kDay},
        {QLatin1StringView(topic::StateWorkflows), 8, false, 7 * kDay},
        {QLatin1StringView(topic::Telemetry), 8, false, 2 * kDay},
        {QLatin1StringView(topic::Commands), 4, false, 30 * kDay},
        {QLatin1StringView(topic::Alarms), 4, true, -1},
        {QLatin1StringView(topic::DeadLetter), 1, false, 30 * kDay},
        // Driver hosts: keyed by device, so a device's commands and answers keep their order.
        // A day is plenty: a host that was away is asked for its devices' state, never
        // replayed its commands.
        {QLatin1StringView(topic::DeviceCommands), 8, false, kDay},
        {QLatin1StringView(topic::DeviceReports), 8, false, kDay},
        // Read live by consoles: a list older than its events' arrival is of no use.
        {QLatin1StringView(topic::Signatures), 1, false, kDay},
    };
    for (TopicSpec &spec : specs)
        spec.partitions = layout.partitions.value(spec.name, spec.partitions);
    return specs;
}

QString catalogueTopicName(const QString &name)
{
    const QString full =
        name.startsWith(QLatin1StringView("alabos.")) ? name : QStringLiteral("alabos.") + name;
    for (const TopicSpec &spec : topicCatalogue())
        if (spec.name == full) return full;
    return {};
}

const char *stateTopicFor(const QString &entityType)
{
    if (entityType == QLatin1StringView(entity::Device)) return topic::StateDevices;
    if (entityType == QLatin1StringView(entity::Task)) return topic::StateTasks;
    if (entityType == QLatin1StringView(entity::Sample)) return topic::StateSamples;
    if (entityType == QLatin1StringView(entity::Workflow)) return topic::StateWorkflows;
    if (entityType == QLatin1StringView(entity::Alarm)) return topic::Alarms;
    // Engine entities: prompts travel with the tasks that raise them, positions
    // with the devices they belong to, operator commands on their own audit topic.
    if (entityType == QLatin1StringView(entity::Prompt)) return topic::StateTasks;
    if (entityType == QLatin1StringView(entity::Position)) return topic::StateDevices;
    if (entityType == QLatin1StringView(entity::Command)) return topic::Commands;
    return nullptr;
}

QList<const char *> stateTopics()
{
    return {topic::StateDevices, topic::StateTasks, topic::StateSamples, topic::StateWorkflows,
            topic::Alarms};
}

namespace {
// The cluster's topics with their partition counts; nullopt (with *error) when it cannot be asked.
std::optional<QMap<QString, int>> existingTopics(const KafkaSettings &settings, QString *error)
{
    rd_kafka_conf_t *conf = makeKafkaConf(settings, {}, error);
    if (!conf) return std::nullopt;
    char errstr[512];
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        if (error) *error = QObject::tr("Kafka client: %1").arg(QString::fromUtf8(errstr));
        return std::nullopt;
    }
    const rd_kafka_metadata_t *metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk.get(), 1, nullptr, &metadata, 10000);
    if (err) {
        if (error)
            *error = QObject::tr("reading the topics of %1: %2")
                         .arg(settings.describe(), QString::fromUtf8(rd_kafka_err2str(err)));
        return std::nullopt;
    }
    QMap<QString, int> topics;
    for (int i = 0; i < metadata->topic_cnt; ++i)
        if (metadata->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
            topics.insert(QString::fromUtf8(metadata->topics[i].topic),
                          metadata->topics[i].partition_cnt);
    rd_kafka_metadata_destroy(metadata);
    return topics;
}
} // namespace

QStringList partitionMismatches(const KafkaSettings &settings, const TopicLayout &layout,
                                QString *error)
{
    const auto topics = existingTopics(settings, error);
    if (!topics) return {};
    QStringList mismatches;
    for (const TopicSpec &spec : topicCatalogue(layout)) {
        const auto it = topics->constFind(spec.name);
        if (it != topics->cend() && *it != spec.partitions)
            mismatches << QObject::tr("topic %1 has %2 partitions, not the %3 configured")
                              .arg(spec.name)
                              .arg(*it)
                              .arg(spec.partitions);
    }
    return mismatches;
}

namespace {
// Existing topics keep their partitions: adding partitions moves keys to other partitions,
// which breaks per-entity order. The operator decides; alabos says so.
void warnAboutMismatches(const KafkaSettings &settings, const TopicLayout &layout)
{
    QString why;
    const QStringList mismatches = partitionMismatches(settings, layout, &why);
    if (!why.isEmpty()) qCWarning(lcBus).noquote() << why;
    for (const QString &m : mismatches)
        qCWarning(lcBus).noquote()
            << QObject::tr("%1; alabos does not change existing topics").arg(m);
}
} // namespace

bool ensureTopics(const KafkaSettings &settings, EmbeddedBroker *embedded,
                  const TopicLayout &layout, QString *error)
{
    const QList<TopicSpec> specs = topicCatalogue(layout);
    const int replication = layout.replication;
    if (embedded) {
        bool existed = false;
        for (const TopicSpec &spec : specs) {
            QString why;
            if (embedded->createTopic(spec.name, spec.partitions, &why)) continue;
            if (!why.contains(QLatin1StringView("already exists"), Qt::CaseInsensitive)) {
                if (error) *error = why;
                return false;
            }
            existed = true;
        }
        if (existed) warnAboutMismatches(settings, layout);
        return true;
    }

    // Only what is missing: a later start needs no right to create topics, and a cluster
    // whose topics an administrator made is left alone.
    QList<TopicSpec> missing;
    if (const auto existing = existingTopics(settings, nullptr)) {
        for (const TopicSpec &spec : specs)
            if (!existing->contains(spec.name)) missing << spec;
        if (missing.isEmpty()) {
            warnAboutMismatches(settings, layout);
            return true;
        }
    } else {
        missing = specs; // asked below, with the cluster's own answer
    }
    rd_kafka_conf_t *conf = makeKafkaConf(settings, {}, error);
    if (!conf) return false;
    char errstr[512];
    KafkaHandle admin(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    if (!admin) {
        rd_kafka_conf_destroy(conf);
        if (error) *error = QObject::tr("Kafka admin client: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    std::vector<rd_kafka_NewTopic_t *> newTopics;
    for (const TopicSpec &spec : std::as_const(missing)) {
        rd_kafka_NewTopic_t *t = rd_kafka_NewTopic_new(
            spec.name.toUtf8().constData(), spec.partitions, replication, errstr, sizeof errstr);
        if (!t) {
            for (auto *n : newTopics)
                rd_kafka_NewTopic_destroy(n);
            if (error) *error = QString::fromUtf8(errstr);
            return false;
        }
        if (spec.compacted) rd_kafka_NewTopic_set_config(t, "cleanup.policy", "compact");
        if (spec.retentionMs > 0)
            rd_kafka_NewTopic_set_config(t, "retention.ms",
                                         QByteArray::number(spec.retentionMs).constData());
        newTopics.push_back(t);
    }
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin.get());
    rd_kafka_CreateTopics(admin.get(), newTopics.data(), newTopics.size(), nullptr, queue);
    rd_kafka_event_t *event = rd_kafka_queue_poll(queue, 30000);
    bool ok = true;
    bool existed = false;
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
            } else if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                existed = true;
            } else {
                ok = false;
                if (error)
                    *error =
                        QObject::tr("creating topic %1: %2")
                            .arg(QString::fromUtf8(rd_kafka_topic_result_name(results[i])),
                                 QString::fromUtf8(rd_kafka_topic_result_error_string(results[i])));
            }
        }
    }
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    for (auto *n : newTopics)
        rd_kafka_NewTopic_destroy(n);
    if (ok && existed) warnAboutMismatches(settings, layout);
    return ok;
}

} // namespace alabos
