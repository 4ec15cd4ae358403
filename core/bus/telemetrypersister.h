#pragma once
#include "core/bus/kafka.h"
#include "core/domain/commands.h"

#include <QList>
#include <QObject>
#include <atomic>
#include <functional>
#include <optional>
#include <thread>

namespace alabos {

// What the persister writes through, built on its own thread by a factory (a store owns a
// connection, so it must live there). core/storage's TelemetryStore fits it: write() stores
// readings and offsets in one transaction; loadOffsets() returns what it stored.
struct TelemetrySink
{
    std::function<bool(const QList<TelemetryReading> &, const QList<PartitionOffset> &,
                       QString *error)>
        write;
    std::function<std::optional<QList<PartitionOffset>>(QString *error)> loadOffsets;
};
using TelemetrySinkFactory = std::function<TelemetrySink()>;

struct TelemetryPersisterOptions
{
    QString group = QStringLiteral("alabos.persister");
    int maxBatch = 5000;         // readings per transaction
    int maxBatchDelayMs = 20;    // a reading waits at most this long for its transaction
    int sessionTimeoutMs = 6000; // a dead member's partitions move after about this long
};

struct PersisterStats
{
    qint64 persisted = 0;    // readings committed by this persister
    qint64 batches = 0;      // transactions committed
    qint64 lost = 0;         // readings the broker dropped before they were read
    qint64 deadLettered = 0; // malformed messages copied to alabos.deadletter
    qint64 rewinds = 0;      // failed writes: batch discarded, re-read from stored offsets
    int partitions = 0;      // partitions assigned now
};

// A consumer-group member (group alabos.persister) that writes alabos.telemetry to
// PostgreSQL in batches, the offsets in the same transaction, and resumes from the stored
// offsets whenever partitions are assigned: a kill at any moment neither loses nor
// duplicates a row. Falling behind the broker's retention (the embedded broker keeps about
// 5 MB a partition) is detected by comparing the next offset with the low watermark and
// reported as lost telemetry, never skipped silently. Runs on a thread of its own.
class TelemetryPersister : public QObject
{
    Q_OBJECT
public:
    TelemetryPersister(KafkaSettings settings, TelemetrySinkFactory sinkFactory,
                       KafkaProducer *deadLetterProducer, TelemetryPersisterOptions options = {},
                       QObject *parent = nullptr);
    ~TelemetryPersister() override; // stop()

    bool start(QString *error);
    // Clean: writes the current batch, leaves the group.
    void stop();
    // Tests: what a kill does; the batch in memory is dropped, the group is not told.
    void abandon();

    PersisterStats stats() const;
    // Persister thread, after each committed transaction (benchmarks measure latency).
    void setCommitObserver(std::function<void(const QList<TelemetryReading> &)> observer)
    {
        m_observer = std::move(observer);
    }

Q_SIGNALS:
    void telemetryLost(qint64 count, const QString &message);
    void writeFailed(const QString &message);

private:
    struct Impl;
    void run();

    KafkaSettings m_settings;
    TelemetrySinkFactory m_sinkFactory;
    KafkaProducer *m_deadLetterProducer;
    TelemetryPersisterOptions m_options;
    std::function<void(const QList<TelemetryReading> &)> m_observer;
    KafkaHandle m_consumer;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_abandon{false};
    std::atomic<qint64> m_persisted{0};
    std::atomic<qint64> m_batches{0};
    std::atomic<qint64> m_lost{0};
    std::atomic<qint64> m_deadLettered{0};
    std::atomic<qint64> m_rewinds{0};
    std::atomic<int> m_partitions{0};
    Impl *m_impl = nullptr; // the persister thread's state while it runs
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::PersisterStats)
