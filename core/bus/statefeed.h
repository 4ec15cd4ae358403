#pragma once
#include "core/bus/kafka.h"
#include "core/bus/recentversions.h"
#include "core/domain/alarms.h"
#include "core/domain/commands.h"
#include "core/domain/types.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace alabos {

class TrustedKeys;

class AssignedConsumer;
class DeadLetterSink;

// One coalesced batch of state for a console's models: the latest state of each entity
// that changed since the previous batch.
struct FeedUpdate
{
    bool reset = false; // true: a snapshot; replace everything
    QList<DeviceState> devices;
    QList<TaskState> tasks;
    QList<SampleState> samples;
    QList<WorkflowState> workflows;
    QList<Alarm> alarms;
    // Latest reading per device and metric since the previous batch (live charts); only
    // when the feed follows telemetry.
    QList<TelemetryReading> telemetry;
    // The events applied since the previous batch, oldest first, for live event logs: at
    // most StateFeed::MaxEventsPerBatch of the newest; eventsOmitted counts the older rest.
    QList<Event> events;
    qint64 eventsOmitted = 0;
    QList<PromptState> prompts; // operator prompts, latest state of each
};

struct FeedStats
{
    qint64 eventsApplied = 0;
    qint64 duplicatesDropped = 0;
    qint64 malformed = 0;
    qint64 lag = 0; // messages behind the end of the state (and telemetry) topics
    EventId lastEventId = 0;
    qint64 deadLettered = 0;      // malformed state messages copied to alabos.deadletter
    qint64 telemetryReadings = 0; // readings seen when following telemetry
    qint64 unsigned_ = 0;         // state messages the scheduler did not sign, never shown
    qint64 resyncs = 0;           // fresh snapshots after the broker's topics were re-created
    qint64 brokerOutages = 0;     // times every broker went down while the feed read
    qint64 verifiedByList = 0;    // state events a signed digest list vouched for
    qint64 verifiedAlone = 0;     // state events whose own signature was checked
};

// A console's view of the lab: starts from a snapshot, then follows the state topics live,
// dropping every event the snapshot already holds or that arrives twice, by event id.
// The snapshot comes from PostgreSQL on the embedded broker (it keeps too little to
// replay), or, in Replay mode (a real cluster), from the state topics themselves: read
// from the beginning up to the end offsets taken at start, then handed over as one reset
// batch. Lives on a bus thread; woken by librdkafka through a pipe, so it never polls.
// Coalesces into at most one batch per flush interval (50 ms: 20 refreshes a second).
// When the broker's topics are re-created (the embedded broker died and was started again:
// offsets restart at 0), the feed notices (an offset out of range, or offsets going back) or
// is told (resync()), and starts over: a fresh snapshot, then the stream from its new end.
// With trusted keys, a live event waits (in its partition's order) for the relay's signed
// digest list that names it, and is checked alone when none has named it within
// kListWaitMs: one signature check per batch instead of per event (core/bus/streamsigning.h).
class StateFeed : public QObject
{
    Q_OBJECT
public:
    using SnapshotLoader = std::function<std::optional<LabSnapshot>(QString *error)>;
    // A log shows a few thousand rows; more per batch only costs memory and copies.
    static constexpr int MaxEventsPerBatch = 2000;
    // How long a live event waits for a digest list before its own signature is checked.
    static constexpr int kListWaitMs = 250;
    // Digests listed before their events arrived are kept this long, at most this many.
    static constexpr int kListedKeepMs = 10000;
    static constexpr qsizetype kMaxListedDigests = 200000;

    enum class SnapshotSource
    {
        PostgreSQL,
        Replay
    };

    StateFeed(KafkaSettings settings, SnapshotLoader loader, int flushIntervalMs = 50,
              QObject *parent = nullptr);
    ~StateFeed() override;

    // Before start(). Replay: the snapshot from the state topics (real clusters).
    void setSnapshotSource(SnapshotSource source) { m_source = source; }
    // Before start(). Malformed state messages are copied to alabos.deadletter through it.
    void setDeadLetterProducer(KafkaProducer *producer);
    // Before start(). Also follow alabos.telemetry from its end (latest value per device
    // and metric in FeedUpdate::telemetry).
    void setFollowTelemetry(bool follow) { m_followTelemetry = follow; }
    // Only state events signed by one of these keys are shown (core/bus/streamsigning.h);
    // the rest are dead-lettered. Without it (tests of the feed itself) every event counts.
    void setTrustedKeys(std::shared_ptr<const TrustedKeys> keys) { m_trusted = std::move(keys); }
    // Before start(). Off: every event's own signature is checked, the relay's digest lists
    // are not read (what a console cost before them; for measurements).
    void setUseDigestLists(bool use) { m_useDigestLists = use; }

    FeedStats stats() const { return m_stats; }

public Q_SLOTS:
    void start();
    void stop();
    // Starts over from a fresh snapshot (the topics were re-created); retried every second
    // while the broker cannot be reached.
    void resync(const QString &why);

Q_SIGNALS:
    void updated(const alabos::FeedUpdate &update);
    void statsChanged(const alabos::FeedStats &stats);
    void failed(const QString &message);
    void started();

private:
    // False with *error when it could not start; `again` (a resync): leaves failing to the caller.
    bool begin(QString *error);
    void scheduleResync(const QString &why);
    bool assign(QString *error);
    void drain();
    void onDrained();
    void handle(const rd_kafka_message_t *message);
    bool alreadyApplied(const Event &event) const;
    // Every broker went down: each state partition is read again from the last message read
    // there, to learn whether the broker that answers kept its log.
    void checkLogsAfterOutage();
    struct PartitionPosition;
    bool readHereBefore(const PartitionPosition &position, const QByteArray &bytes) const;
    bool apply(const Event &event, QString *why);
    struct DeviceReplica;
    // Puts the device as it is to be shown (its told state, busy while a newer start names it)
    // into the next batch.
    void showDevice(const QString &id, const DeviceReplica &replica);
    struct HeldEvent;
    void hold(int positionIndex, const rd_kafka_message_t *message, Event event);
    void handleDigestList(const rd_kafka_message_t *message);
    // True when a trusted key signed it; otherwise counted and dead-lettered with `refusal`.
    bool signedByScheduler(const rd_kafka_message_t *message, const QString &refusal);
    bool signedByScheduler(const QByteArray &topic, int partition, qint64 offset,
                           const QByteArray &key, const QByteArray &value,
                           const QByteArray &signature, const QString &refusal);
    // Delivers the partition's held events in order: those a list named, and, when they
    // were held before `checkAloneBeforeMs`, the rest after checking their own signature.
    void releaseHeld(int positionIndex, qint64 checkAloneBeforeMs);
    void deliver(const QByteArray &topic, int partition, const HeldEvent &held);
    void forgetOldListedDigests(qint64 nowMs);
    void finishReplayIfCaughtUp();
    void flush();
    void updateLag();

    KafkaSettings m_settings;
    SnapshotLoader m_loader;
    AssignedConsumer *m_consumer;
    QTimer m_flushTimer;
    EventId m_snapshotEventId = 0;
    // "type:id" -> newest event applied; entities quiet for this many others are forgotten.
    static constexpr qsizetype kEntitiesRemembered = 100000;
    RecentVersions m_lastApplied{kEntitiesRemembered};
    QHash<QString, DeviceState> m_devices; // changed since the last flush
    // Each device as its own events last told it, and the running task that last named it.
    // The engine writes no event when a task's own device turns busy: the task's start says
    // so. A device is shown busy with that task while the start is newer than what the
    // device's own events told, whichever topic was read first.
    struct DeviceReplica
    {
        std::optional<DeviceState> told;
        EventId toldId = 0;
        TaskId startedTask = 0;
        EventId startedId = 0;
        qint64 startedUs = 0;
    };
    QHash<QString, DeviceReplica> m_deviceReplicas;
    QHash<TaskId, TaskState> m_tasks;
    QHash<SampleId, SampleState> m_samples;
    QHash<WorkflowId, WorkflowState> m_workflows;
    QHash<qint64, Alarm> m_alarms;
    QList<Event> m_events; // applied since the last flush, trimmed at flush
    qint64 m_eventsOmitted = 0;
    QHash<qint64, PromptState> m_prompts;
    // A live state event waiting for the digest list that vouches for it, with the bytes
    // that list or its own signature are checked against.
    struct HeldEvent
    {
        Event event;
        QByteArray key;
        QByteArray value;
        QByteArray signature;
        QByteArray digest;
        qint64 offset = 0;
        qint64 heldSinceMs = 0;
        bool listed = false;
    };
    struct PartitionPosition
    {
        QByteArray topic;
        int partition = 0;
        qint64 next = 0;
        // The message at next - 1 as this feed read it (a hash of its bytes), if it read one.
        std::optional<size_t> lastRead;
        // After an outage: the offset whose message must be the one read there before.
        qint64 checkAt = -1;
        QList<HeldEvent> held; // oldest first
    };
    QList<PartitionPosition> m_positions;
    QHash<QByteArray, int> m_positionIndex; // "topic/partition" -> index
    QSet<QString> m_loggedProblems;
    FeedStats m_stats;
    SnapshotSource m_source = SnapshotSource::PostgreSQL;
    bool m_followTelemetry = false;
    bool m_useDigestLists = true;
    std::shared_ptr<const TrustedKeys> m_trusted;
    bool m_replaying = false;
    bool m_resyncPending = false;
    bool m_stopped = false;
    QHash<int, qint64> m_replayTargets; // position index -> end offset at start
    std::unique_ptr<DeadLetterSink> m_deadLetter;
    QHash<QString, TelemetryReading> m_telemetry; // "device\x1fmetric" -> latest
    QHash<QByteArray, int> m_heldByDigest;        // digest -> position index holding it
    QHash<QByteArray, qint64> m_listedDigests;    // listed, its event not seen yet -> when
    qint64 m_listedForgottenAtMs = 0;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::FeedUpdate)
Q_DECLARE_METATYPE(alabos::FeedStats)
