#pragma once
#include "core/bus/kafka.h"
#include "core/domain/types.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class QSocketNotifier;

namespace alabos {

// One coalesced batch of state for a console's models: the latest state of each entity
// that changed since the previous batch.
struct FeedUpdate
{
    bool reset = false; // true: a snapshot; replace everything
    QList<DeviceState> devices;
    QList<TaskState> tasks;
    QList<SampleState> samples;
    QList<WorkflowState> workflows;
    QList<PromptState> prompts; // operator prompts, latest state of each
};

struct FeedStats
{
    qint64 eventsApplied = 0;
    qint64 duplicatesDropped = 0;
    qint64 malformed = 0;
    qint64 lag = 0; // messages behind the end of the state topics
    EventId lastEventId = 0;
};

// A console's view of the lab: starts from a snapshot (PostgreSQL on the embedded broker,
// which keeps too little to replay), then follows the state topics live, dropping every
// event the snapshot already holds or that arrives twice, by event id. Lives on a bus
// thread; woken by librdkafka through a pipe, so it never polls.
class StateFeed : public QObject
{
    Q_OBJECT
public:
    using SnapshotLoader = std::function<std::optional<LabSnapshot>(QString *error)>;

    StateFeed(KafkaSettings settings, SnapshotLoader loader, int flushIntervalMs = 50,
              QObject *parent = nullptr);
    ~StateFeed() override;

    FeedStats stats() const { return m_stats; }

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void updated(const alabos::FeedUpdate &update);
    void statsChanged(const alabos::FeedStats &stats);
    void failed(const QString &message);
    void started();

private:
    bool assignAtEnd(QString *error);
    void drain();
    void apply(const Event &event);
    void flush();
    void updateLag();

    KafkaSettings m_settings;
    SnapshotLoader m_loader;
    KafkaHandle m_consumer;
    rd_kafka_queue_t *m_queue = nullptr;
    int m_pipe[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_flushTimer;
    EventId m_snapshotEventId = 0;
    QHash<QString, EventId> m_lastApplied; // "type:id" -> newest event applied
    QHash<QString, DeviceState> m_devices;
    QHash<TaskId, TaskState> m_tasks;
    QHash<SampleId, SampleState> m_samples;
    QHash<WorkflowId, WorkflowState> m_workflows;
    QHash<qint64, PromptState> m_prompts;
    struct PartitionPosition
    {
        QByteArray topic;
        int partition = 0;
        qint64 next = 0;
    };
    QList<PartitionPosition> m_positions;
    QHash<QByteArray, int> m_positionIndex; // "topic/partition" -> index
    QSet<QString> m_loggedProblems;
    FeedStats m_stats;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::FeedUpdate)
Q_DECLARE_METATYPE(alabos::FeedStats)
