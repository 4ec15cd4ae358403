#include "core/bus/telemetrypersister.h"

#include "core/bus/brokerwindow.h"
#include "core/bus/deadletter.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <librdkafka/rdkafka.h>
#include <mutex>
#include <pthread.h>
#include <string>
#include <vector>

namespace alabos {

// What the reader hands the writers: per writer (lane), the batch being filled while the
// previous one commits. A partition always goes to the same lane (partition % lanes), so its
// rows and its offset commit in one transaction and offsets only move forward.
struct TelemetryPersister::Handoff
{
    struct Lane
    {
        QList<TelemetryReading> readings;
        QHash<int, qint64> next; // partition -> next offset the batch covers
        bool dirty = false;      // the batch moves an offset (readings or dead letters)
        bool writing = false;    // the writer holds a batch it took
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Lane> lanes;
    bool failed = false; // a write failed: nothing more is taken until the reader rewinds
    bool stopWriters = false;

    bool idle() const
    {
        return std::none_of(lanes.cbegin(), lanes.cend(),
                            [](const Lane &l) { return l.dirty || l.writing; });
    }
    bool writing() const
    {
        return std::any_of(lanes.cbegin(), lanes.cend(), [](const Lane &l) { return l.writing; });
    }
};

// The reader thread's state: Kafka, decoding, positions.
struct TelemetryPersister::Impl
{
    TelemetryPersister *self = nullptr;
    Handoff *handoff = nullptr;
    rd_kafka_t *rk = nullptr;
    TelemetrySink sink; // the reader's own: loads offsets only
    std::unique_ptr<DeadLetterSink> deadLetter;
    // Decoded since the last hand-off, per lane; handed over in chunks so the lock is taken
    // rarely.
    struct Chunk
    {
        QList<TelemetryReading> readings;
        QHash<int, qint64> next;
    };
    std::vector<Chunk> chunks;
    int chunkSize = 0;
    bool chunkDirty = false;
    QHash<int, qint64> next; // assigned partition -> next offset expected
    QSet<QString> loggedErrors;

    std::optional<QHash<int, qint64>> storedOffsets();
    bool position(rd_kafka_topic_partition_list_t *partitions);
    void onRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions);
    void handle(const rd_kafka_message_t *m);
    void take(int partition, qint64 offset);
    void publish();
    bool drain();
    bool failed();
    void discardAll();
    void recover();
    void rewind();
    void reportLost(int partition, qint64 count, const QString &why);
    void restartAt(const rd_kafka_topic_partition_list_t *list);
};

std::optional<QHash<int, qint64>> TelemetryPersister::Impl::storedOffsets()
{
    // PostgreSQL is the truth about where we are; wait for it rather than guess.
    for (int attempt = 0; !self->m_stop.load(); ++attempt) {
        QString error;
        if (const auto offsets = sink.loadOffsets(&error)) {
            QHash<int, qint64> byPartition;
            for (const PartitionOffset &o : *offsets)
                if (o.topic == QLatin1StringView(topic::Telemetry))
                    byPartition.insert(o.partition, o.offset);
            return byPartition;
        }
        if (attempt == 0) {
            qCWarning(lcBus).noquote()
                << "telemetry persister cannot load its offsets, retrying:" << error;
            Q_EMIT self->writeFailed(tr("Telemetry persister cannot read its offsets from "
                                        "PostgreSQL: %1")
                                         .arg(error));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(qMin(2000, 100 << qMin(attempt, 5))));
    }
    return std::nullopt;
}

// Sets each partition's offset to where PostgreSQL says we stopped, checked against what
// the broker still has. False only when stopping.
bool TelemetryPersister::Impl::position(rd_kafka_topic_partition_list_t *partitions)
{
    const auto stored = storedOffsets();
    if (!stored) return false;
    for (int i = 0; i < partitions->cnt; ++i) {
        rd_kafka_topic_partition_t &tp = partitions->elems[i];
        int64_t low = 0, high = 0;
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        for (int attempt = 0; !self->m_stop.load(); ++attempt) {
            err = rd_kafka_query_watermark_offsets(rk, tp.topic, tp.partition, &low, &high, 5000);
            if (!err) break;
            if (attempt == 0)
                qCWarning(lcBus) << "telemetry persister: watermarks of partition" << tp.partition
                                 << "unavailable, retrying:" << rd_kafka_err2str(err);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        if (err) return false;
        qint64 offset = stored->value(tp.partition, -1);
        if (offset < 0) {
            offset = low; // never written: everything the broker has
        } else if (offset < low) {
            reportLost(tp.partition, low - offset,
                       tr("the broker dropped them before they were persisted (next offset %1, "
                          "oldest kept %2)")
                           .arg(offset)
                           .arg(low));
            offset = low;
        } else if (offset > high) {
            // The topic is younger than our offsets (recreated, or another cluster): the store
            // refuses offsets that go backwards, so say so instead of skipping silently.
            const QString message =
                tr("stored telemetry offset %1 of partition %2 lies beyond the partition's end "
                   "%3: was the topic recreated? Persisting it needs a new consumer name.")
                    .arg(offset)
                    .arg(tp.partition)
                    .arg(high);
            qCWarning(lcBus).noquote() << message;
            Q_EMIT self->writeFailed(message);
        }
        tp.offset = offset;
        next.insert(tp.partition, offset);
        if (self->m_options.windowGuard)
            self->m_options.windowGuard->committed(tp.partition, offset);
    }
    return true;
}

void TelemetryPersister::Impl::onRebalance(rd_kafka_resp_err_t err,
                                           rd_kafka_topic_partition_list_t *partitions)
{
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (!position(partitions)) return;
        rd_kafka_assign(rk, partitions);
        self->m_partitions = int(next.size());
        qCInfo(lcBus) << "telemetry persister assigned" << partitions->cnt << "partitions";
    } else {
        // Revoked: what we hold goes to PostgreSQL now, before another member takes over.
        // What fails to land is re-read by the next owner from the stored offsets.
        if (!drain()) discardAll();
        rd_kafka_assign(rk, nullptr);
        if (self->m_options.windowGuard)
            for (auto it = next.cbegin(); it != next.cend(); ++it)
                self->m_options.windowGuard->released(it.key());
        next.clear();
        self->m_partitions = 0;
    }
}

void TelemetryPersister::Impl::reportLost(int partition, qint64 count, const QString &why)
{
    self->m_lost += count;
    const QString message = tr("%1 telemetry readings of partition %2 were lost: %3")
                                .arg(count)
                                .arg(partition)
                                .arg(why);
    qCWarning(lcBus).noquote() << message;
    Q_EMIT self->telemetryLost(count, message);
}

void TelemetryPersister::Impl::take(int partition, qint64 offset)
{
    chunkDirty = true;
    chunks[size_t(partition) % chunks.size()].next.insert(partition, offset + 1);
    next.insert(partition, offset + 1);
}

// Moves the chunks into the writers' batches; waits while one of those is full
// (back-pressure).
void TelemetryPersister::Impl::publish()
{
    if (!chunkDirty) return;
    std::unique_lock lock(handoff->mutex);
    handoff->changed.wait(lock, [this] {
        for (size_t i = 0; i < chunks.size(); ++i)
            if (!chunks[i].next.isEmpty() &&
                handoff->lanes[i].readings.size() >= self->m_options.maxBatch)
                return handoff->failed || self->m_abandon.load();
        return true;
    });
    if (!handoff->failed && !self->m_abandon.load()) {
        for (size_t i = 0; i < chunks.size(); ++i) {
            if (chunks[i].next.isEmpty()) continue;
            Handoff::Lane &lane = handoff->lanes[i];
            lane.readings.append(std::move(chunks[i].readings));
            for (auto it = chunks[i].next.cbegin(); it != chunks[i].next.cend(); ++it)
                lane.next.insert(it.key(), it.value());
            lane.dirty = true;
        }
        handoff->changed.notify_all();
    } // else: dropped; the rewind re-reads it from the stored offsets
    for (Chunk &c : chunks) {
        c.readings.clear();
        c.next.clear();
    }
    chunkSize = 0;
    chunkDirty = false;
}

// Hands over the chunks and waits until everything handed over is committed. False when a
// write failed (or the persister is abandoned) instead.
bool TelemetryPersister::Impl::drain()
{
    publish();
    std::unique_lock lock(handoff->mutex);
    handoff->changed.wait(
        lock, [this] { return handoff->idle() || handoff->failed || self->m_abandon.load(); });
    return !handoff->failed && !self->m_abandon.load();
}

bool TelemetryPersister::Impl::failed()
{
    std::lock_guard lock(handoff->mutex);
    return handoff->failed;
}

// Forgets everything not yet committed and lets the writers go on. Waits for writes in
// flight first, so offsets loaded afterwards include them.
void TelemetryPersister::Impl::discardAll()
{
    for (Chunk &c : chunks) {
        c.readings.clear();
        c.next.clear();
    }
    chunkSize = 0;
    chunkDirty = false;
    std::unique_lock lock(handoff->mutex);
    handoff->changed.wait(lock, [this] { return !handoff->writing() || self->m_abandon.load(); });
    for (Handoff::Lane &lane : handoff->lanes) {
        lane.readings.clear();
        lane.next.clear();
        lane.dirty = false;
    }
    handoff->failed = false;
    handoff->changed.notify_all();
}

// After a failed write: drop what is uncommitted, then read again from what PostgreSQL
// holds (the outcome of the failed commit may be unknown).
void TelemetryPersister::Impl::recover()
{
    discardAll();
    rewind();
}

void TelemetryPersister::Impl::handle(const rd_kafka_message_t *m)
{
    if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
        // Our next offset is no longer on the broker: persist what we hold, then count the
        // gap and carry on from the oldest message kept.
        if (!drain()) {
            if (!self->m_abandon.load()) recover();
            return;
        }
        const auto it = next.constFind(m->partition);
        int64_t low = 0, high = 0;
        if (it == next.cend() ||
            rd_kafka_query_watermark_offsets(rk, topic::Telemetry, m->partition, &low, &high,
                                             5000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            rewind();
            return;
        }
        if (*it < low)
            reportLost(m->partition, low - *it,
                       tr("the persister fell behind the broker's retention (next offset %1, "
                          "oldest kept %2)")
                           .arg(*it)
                           .arg(low));
        next.insert(m->partition, qMax<qint64>(low, *it));
        // Everything taken is committed (drained above), so every partition restarts where
        // it is, this one after the gap.
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(next.size()));
        for (auto p = next.cbegin(); p != next.cend(); ++p)
            rd_kafka_topic_partition_list_add(list, topic::Telemetry, p.key())->offset = p.value();
        restartAt(list);
        rd_kafka_topic_partition_list_destroy(list);
        return;
    }
    if (m->err) {
        const QString text = QString::fromUtf8(rd_kafka_err2str(m->err));
        if (!loggedErrors.contains(text)) {
            loggedErrors.insert(text);
            qCWarning(lcBus).noquote() << "telemetry persister:" << rd_kafka_message_errstr(m);
        }
        return;
    }
    const auto it = next.constFind(m->partition);
    if (it == next.cend()) return; // a message of a partition no longer ours
    if (m->offset < *it) return; // before our position (prefetched before a seek): written already
    if (m->offset > *it)
        reportLost(
            m->partition, m->offset - *it,
            tr("offsets %1 to %2 were not on the broker any more").arg(*it).arg(m->offset - 1));
    DecodeProblem problem = DecodeProblem::None;
    QString why;
    const auto reading = decodeReading(
        QByteArray::fromRawData(static_cast<const char *>(m->payload), qsizetype(m->len)), &problem,
        &why);
    if (reading) {
        chunks[size_t(m->partition) % chunks.size()].readings.append(std::move(*reading));
        ++chunkSize;
    } else {
        ++self->m_deadLettered;
        deadLetter->send(m, toString(problem), why);
    }
    take(m->partition, m->offset);
}

// Seeks every assigned partition back to the offset PostgreSQL holds.
void TelemetryPersister::Impl::rewind()
{
    if (next.isEmpty()) return;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(next.size()));
    for (auto it = next.cbegin(); it != next.cend(); ++it)
        rd_kafka_topic_partition_list_add(list, topic::Telemetry, it.key());
    if (position(list)) restartAt(list);
    rd_kafka_topic_partition_list_destroy(list);
}

// Fetching restarts at the list's offsets. Assign, not seek: librdkafka refuses to seek a
// partition it stopped after an offset reset ("Local: Erroneous state"), per partition and
// without failing the call, which left such a partition unread for good.
void TelemetryPersister::Impl::restartAt(const rd_kafka_topic_partition_list_t *list)
{
    if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk, list))
        qCWarning(lcBus) << "telemetry persister: restarting the partitions failed:"
                         << rd_kafka_err2str(err);
}

TelemetryPersister::TelemetryPersister(KafkaSettings settings, TelemetrySinkFactory sinkFactory,
                                       KafkaProducer *deadLetterProducer,
                                       TelemetryPersisterOptions options, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_sinkFactory(std::move(sinkFactory)),
      m_deadLetterProducer(deadLetterProducer), m_options(std::move(options))
{
    qRegisterMetaType<PersisterStats>();
}

TelemetryPersister::~TelemetryPersister()
{
    stop();
}

bool TelemetryPersister::start(QString *error)
{
    const QMap<QString, QString> props{
        {QStringLiteral("group.id"), m_options.group},
        {QStringLiteral("session.timeout.ms"), QString::number(m_options.sessionTimeoutMs)},
        {QStringLiteral("heartbeat.interval.ms"),
         QString::number(qMax(100, m_options.sessionTimeoutMs / 6))},
        {QStringLiteral("enable.auto.offset.store"), QStringLiteral("false")},
        {QStringLiteral("queued.min.messages"), QString::number(m_options.prefetchReadings)},
        // Falling out of the broker's retention must be seen, not papered over.
        {QStringLiteral("auto.offset.reset"), QStringLiteral("error")},
    };
    rd_kafka_conf_t *conf = makeConsumerConf(m_settings, props, error);
    if (!conf) return false;
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_rebalance_cb(conf,
                                   [](rd_kafka_t *, rd_kafka_resp_err_t err,
                                      rd_kafka_topic_partition_list_t *partitions, void *opaque) {
                                       auto *self = static_cast<TelemetryPersister *>(opaque);
                                       if (self->m_impl) self->m_impl->onRebalance(err, partitions);
                                   });
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        if (error) *error = tr("Kafka consumer: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    m_consumer.reset(rk);
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic::Telemetry, RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err) {
        if (error)
            *error = tr("Kafka subscribe to %1: %2")
                         .arg(QLatin1StringView(topic::Telemetry),
                              QString::fromUtf8(rd_kafka_err2str(err)));
        m_consumer.reset();
        return false;
    }
    m_handoff = std::make_unique<Handoff>();
    m_handoff->lanes.resize(size_t(qMax(1, m_options.writers)));
    for (size_t i = 0; i < m_handoff->lanes.size(); ++i)
        m_writerThreads.emplace_back([this, i] { runWriter(i); });
    m_thread = std::thread([this] { run(); });
    m_stopFolder = false;
    m_finalFold = true;
    m_folderThread = std::thread([this] { runFolder(); });
    return true;
}

// Folds the writers' rollup increments on a connection of its own, so no writer's batch waits
// for it; once at start (what a crash left), then every busyFoldIntervalMs while there is
// something to fold (small folds: one large fold a second took a core for tens of
// milliseconds and the writers' commits waited), every foldIntervalMs when idle, and once at
// stop.
void TelemetryPersister::runFolder()
{
    pthread_setname_np(pthread_self(), "persist-fold");
    const TelemetrySink sink = m_sinkFactory();
    if (!sink.fold) return;
    QString lastError;
    std::unique_lock lock(m_folderMutex);
    while (true) {
        const bool stopping = m_stopFolder;
        if (stopping && !m_finalFold) return;
        lock.unlock();
        QString error;
        int waitMs = m_options.foldIntervalMs;
        if (const std::optional<qint64> folded = sink.fold(&error)) {
            lastError.clear();
            if (*folded > 0) waitMs = qMin(waitMs, m_options.busyFoldIntervalMs);
        } else if (error != lastError) { // once per distinct failure, not every second
            qCWarning(lcBus).noquote() << "telemetry persister:" << error;
            lastError = error;
        }
        lock.lock();
        if (stopping) return;
        m_folderWake.wait_for(lock, std::chrono::milliseconds(waitMs),
                              [this] { return m_stopFolder; });
    }
}

void TelemetryPersister::run()
{
    pthread_setname_np(pthread_self(), "persist-read"); // for top and perf
    Impl impl;
    impl.self = this;
    impl.handoff = m_handoff.get();
    impl.chunks.resize(m_handoff->lanes.size());
    impl.rk = m_consumer.get();
    impl.sink = m_sinkFactory();
    impl.deadLetter = std::make_unique<DeadLetterSink>(m_deadLetterProducer,
                                                       QStringLiteral("telemetry persister"));
    m_impl = &impl;
    // Read what the local queue has, decode it and hand it to the writer in chunks; the
    // writer commits it as soon as its previous transaction is done.
    constexpr int kChunk = 512;
    while (!m_stop.load()) {
        if (impl.failed()) {
            impl.recover();
            continue;
        }
        rd_kafka_message_t *m = rd_kafka_consumer_poll(impl.rk, impl.chunkDirty ? 0 : 100);
        if (m) {
            impl.handle(m);
            rd_kafka_message_destroy(m);
            if (impl.chunkSize < kChunk) continue;
        }
        impl.publish();
    }
    if (!m_abandon.load()) {
        if (!impl.drain()) impl.discardAll();
        rd_kafka_consumer_close(impl.rk); // the revoke callback drains (nothing left)
    }
    m_impl = nullptr;
}

// Takes the whole batch the reader filled for this lane, commits it, repeats: adaptive
// batching without a timer, so a reading waits at most for one transaction plus its own.
void TelemetryPersister::runWriter(size_t laneIndex)
{
    const std::string name = "persist-write" + std::to_string(laneIndex);
    pthread_setname_np(pthread_self(), name.c_str());
    TelemetrySink sink = m_sinkFactory();
    Handoff &h = *m_handoff;
    QList<TelemetryReading> batch;
    QList<PartitionOffset> offsets;
    while (true) {
        {
            std::unique_lock lock(h.mutex);
            Handoff::Lane &lane = h.lanes[laneIndex];
            h.changed.wait(lock, [&] { return h.stopWriters || (lane.dirty && !h.failed); });
            if (h.stopWriters) break;
            batch.swap(lane.readings);
            offsets.clear();
            offsets.reserve(lane.next.size());
            for (auto it = lane.next.cbegin(); it != lane.next.cend(); ++it)
                offsets.append({QString::fromLatin1(topic::Telemetry), it.key(), it.value()});
            lane.next.clear();
            lane.dirty = false;
            lane.writing = true;
            h.changed.notify_all(); // room for the reader again
        }
        QString error;
        const auto started = std::chrono::steady_clock::now();
        const bool ok = sink.write(batch, offsets, &error);
        m_writeNs += std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count();
        if (ok) {
            if (m_options.windowGuard)
                for (const PartitionOffset &o : std::as_const(offsets))
                    m_options.windowGuard->committed(o.partition, o.offset);
            m_persisted += batch.size();
            ++m_batches;
            if (m_observer) m_observer(batch);
        } else {
            ++m_rewinds;
            qCWarning(lcBus).noquote()
                << "telemetry persister could not write" << batch.size()
                << "readings; re-reading them from the stored offsets:" << error;
            Q_EMIT writeFailed(tr("Telemetry could not be written to PostgreSQL: %1").arg(error));
        }
        batch.clear();
        std::lock_guard lock(h.mutex);
        h.lanes[laneIndex].writing = false;
        if (!ok) h.failed = true;
        h.changed.notify_all();
    }
}

void TelemetryPersister::stop()
{
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    if (m_handoff) {
        std::lock_guard lock(m_handoff->mutex);
        m_handoff->stopWriters = true;
        m_handoff->changed.notify_all();
    }
    for (std::thread &writer : m_writerThreads)
        if (writer.joinable()) writer.join();
    stopFolder(true);
    m_consumer.reset();
}

void TelemetryPersister::abandon()
{
    m_abandon = true;
    m_stop = true;
    if (m_handoff) {
        std::lock_guard lock(m_handoff->mutex);
        m_handoff->stopWriters = true;
        m_handoff->changed.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
    for (std::thread &writer : m_writerThreads)
        if (writer.joinable()) writer.join();
    stopFolder(false);
    // Like a dead process: no LeaveGroup, no commit; the group notices by session timeout.
    if (m_consumer)
        rd_kafka_destroy_flags(m_consumer.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

void TelemetryPersister::stopFolder(bool finalFold)
{
    {
        std::lock_guard lock(m_folderMutex);
        m_stopFolder = true;
        m_finalFold = finalFold;
    }
    m_folderWake.notify_all();
    if (m_folderThread.joinable()) m_folderThread.join();
}

PersisterStats TelemetryPersister::stats() const
{
    PersisterStats s;
    s.persisted = m_persisted.load();
    s.batches = m_batches.load();
    s.lost = m_lost.load();
    s.deadLettered = m_deadLettered.load();
    s.rewinds = m_rewinds.load();
    s.partitions = m_partitions.load();
    s.writeSeconds = m_writeNs.load() / 1e9;
    return s;
}

} // namespace alabos
