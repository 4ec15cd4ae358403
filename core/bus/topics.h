#pragma once
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

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
inline constexpr auto DeviceCommands = "alabos.device.commands"; // scheduler -> driver hosts
inline constexpr auto DeviceReports = "alabos.device.reports";   // driver hosts -> scheduler
// One signed list of digests per batch the relay published (core/bus/streamsigning.h).
inline constexpr auto Signatures = "alabos.signatures";
} // namespace topic

struct TopicSpec
{
    QString name;
    int partitions = 1;
    bool compacted = false;
    qint64 retentionMs = -1; // -1: the cluster's default
};

// What the operator chose for the catalogue (config [topics], --topic-partitions,
// --topic-replication); anything not chosen keeps the catalogue's default.
struct TopicLayout
{
    QMap<QString, int> partitions; // full topic name -> partition count
    int replication = 3;           // real clusters; the embedded broker has one broker
};
inline constexpr int kMaxTopicPartitions = 1000;
inline constexpr int kMaxTopicReplication = 16;

// The topics of DESIGN.md with explicit partition counts, the layout's choices applied.
QList<TopicSpec> topicCatalogue(const TopicLayout &layout = {});
// "telemetry" or "alabos.telemetry" -> "alabos.telemetry"; empty when not in the catalogue.
QString catalogueTopicName(const QString &name);
// The state topic that carries events of an entity type; null for unknown types.
const char *stateTopicFor(const QString &entityType);
QList<const char *> stateTopics();

// Creates the catalogue's topics that do not exist yet. On the embedded broker through
// its own API (it does not implement CreateTopics); on a cluster through the Admin API
// with the layout's replication factor. A topic that exists with fewer partitions than
// the layout asks for is logged, not changed: adding partitions moves keys.
bool ensureTopics(const KafkaSettings &settings, EmbeddedBroker *embedded,
                  const TopicLayout &layout, QString *error);

// The catalogue's topics that exist with another partition count than the layout's, one
// line each; empty (with *error set) when the cluster cannot be asked.
QStringList partitionMismatches(const KafkaSettings &settings, const TopicLayout &layout,
                                QString *error);

} // namespace alabos
