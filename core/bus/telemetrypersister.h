#pragma once
#include "core/bus/kafka.h"
#include "core/domain/commands.h"
#include "core/domain/telemetrysink.h"

#include <QList>
#include <QObject>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace alabos {

class BrokerWindowGuard;

struct TelemetryPersisterOptions
{
    QString group = QStringLiteral("alabos.persister");
    // Readings per transaction at most. Batches are adaptive: the writer commits whatever
    // arrived while the previous transaction ran, so they are small at low rates (low
    // latency) and grow under load (fewer, cheaper transactions). A full batch stops the
    // reading until the writer takes it (back-pressure towards the broker).
    int maxBatch = 20000;
    int sessionTimeoutMs = 6000; // a dead member's partitions move after about this long
    // Writer threads, each with its own connection and its own share of the partitions
    // (partition % writers), so the server runs that many transactions side by side.
    int writers = 2;
    // Readings librdkafka fetches ahead of the reader, all partitions together
    // (queued.min.messages; its consumer queue forwards every partition's). Less throttles
    // fetching under load: 20,000 halved the pipeline benchmark's persisted rate.
    int prefetchReadings = 100000;
    // How often the sink's fold runs (and once more at stop): the lag of the minute rollups.
    // While increments arrive it runs every busyFoldIntervalMs: many small folds instead of
    // one burst that takes a core from the writers (BENCHMARKS.md, pipeline).
    int foldIntervalMs = 1000;
    int busyFoldIntervalMs = 100;
    // The embedded broker only: told where the persister stands, so the publisher sharing it
    // slows the drivers before the broker drops unread telemetry.
    std::shared_ptr<BrokerWindowGuard> windowGuard;
};

struct PersisterStats
{
    qint64 persisted = 0;    // readings committed by this persister
    qint64 batches = 0;      // transactions committed
    qint64 lost = 0;         // readings the broker dropped before they were read
    qint64 deadLettered = 0; // malformed messages copied to alabos.deadletter
    qint64 rewinds = 0;      // failed writes: batch discarded, re-read from stored offsets
    int partitions = 0;      // partitions assigned now
    double writeSeconds = 0; // time spent in the sink's write (transactions)
};

// A consumer-group member (group alabos.persister) that writes alabos.telemetry to
// PostgreSQL in batches, the offsets in the same transaction, and resumes from the stored
// offsets whenever partitions are assigned: a kill at any moment neither loses nor
// duplicates a row. Falling behind the broker's retention (the embedded broker keeps about
// 5 MB a partition) is detected by comparing the next offset with the low watermark and
// reported as lost telemetry, never skipped silently. Threads of its own: the reader
// consumes and decodes the next batches while the writers (options.writers, each owning a
// disjoint set of partitions) commit the previous ones; the sink factory is called once on
// each thread (the reader's sink only loads offsets).
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
    // A writer thread, after each committed transaction (benchmarks measure latency); with
    // several writers it is called from each, so it must be thread-safe.
    void setCommitObserver(std::function<void(const QList<TelemetryReading> &)> observer)
    {
        m_observer = std::move(observer);
    }

Q_SIGNALS:
    void telemetryLost(qint64 count, const QString &message);
    void writeFailed(const QString &message);

private:
    struct Impl;
    struct Handoff;
    void run();
    void runWriter(size_t laneIndex);
    void runFolder();
    void stopFolder(bool finalFold);

    KafkaSettings m_settings;
    TelemetrySinkFactory m_sinkFactory;
    KafkaProducer *m_deadLetterProducer;
    TelemetryPersisterOptions m_options;
    std::function<void(const QList<TelemetryReading> &)> m_observer;
    KafkaHandle m_consumer;
    std::thread m_thread;
    std::vector<std::thread> m_writerThreads;
    std::thread m_folderThread;
    std::mutex m_folderMutex;
    std::condition_variable m_folderWake;
    bool m_stopFolder = false;          // guarded by m_folderMutex
    bool m_finalFold = true;            // guarded by m_folderMutex; false after abandon()
    std::unique_ptr<Handoff> m_handoff; // the batch between reader and writer
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_abandon{false};
    std::atomic<qint64> m_persisted{0};
    std::atomic<qint64> m_batches{0};
    std::atomic<qint64> m_lost{0};
    std::atomic<qint64> m_deadLettered{0};
    std::atomic<qint64> m_rewinds{0};
    std::atomic<int> m_partitions{0};
    std::atomic<qint64> m_writeNs{0};
    Impl *m_impl = nullptr; // the persister thread's state while it runs
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::PersisterStats)
