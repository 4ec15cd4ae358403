#pragma once
#include <QList>
#include <QString>

typedef struct rd_kafka_s rd_kafka_t;

namespace alabos {

class EmbeddedBroker;
struct KafkaSettings;

namespace topic {
inline constexpr auto StateDevices = "alabos.state.devices";
inline constexpr auto StateTasks = "alabos.state.tasks";
inline constexpr auto StateSamples = "alabos.state.samples";
inline constexpr auto StateWorkflows = "alabos.state.workflows";
inline constexpr auto Telemetry = "alabos.telemetry";
inline constexpr auto Commands = "alabos.commands";
inline constexpr auto Alarms = "alabos.alarms";
inline constexpr auto DeadLetter = "alabos.deadletter";
} // namespace topic

struct TopicSpec
{
    QString name;
    int partitions = 1;
    bool compacted = false;
    qint64 retentionMs = -1; // -1: the cluster's default
};

// The topics of DESIGN.md with explicit partition counts.
QList<TopicSpec> topicCatalogue();
// The state topic that carries events of an entity type; null for unknown types.
const char *stateTopicFor(const QString &entityType);
QList<const char *> stateTopics();

// Creates the catalogue's topics that do not exist yet. On the embedded broker through
// its own API (it does not implement CreateTopics); on a cluster through the Admin API
// with the given replication factor.
bool ensureTopics(const KafkaSettings &settings, EmbeddedBroker *embedded, int replication,
                  QString *error);

} // namespace alabos
