#include "core/bus/telemetrypersister.h"

#include "core/bus/deadletter.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QHash>
#include <QSet>
#include <chrono>
#include <librdkafka/rdkafka.h>

namespace alabos {

namespace {
qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
} // namespace

struct TelemetryPersister::Impl
{
    TelemetryPersister *self = nullptr;
    rd_kafka_t *rk = nullptr;
    TelemetrySink sink;
    std::unique_ptr<DeadLetterSink> deadLetter;
    QList<TelemetryReading> batch;
    QHash<int, qint64> batchNext; // partition -> next offset the batch covers
    QHash<int, qint64> next;      // assigned partition -> next offset expected
    qint64 batchStartMs = 0;
    bool dirty = false; // the batch moves an offset (readings or dead letters)
    QSet<QString> loggedErrors;

    std::optional<QHash<int, qint64>> storedOffsets();
    bool position(rd_kafka_topic_partition_list_t *partitions);
    void onRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions);
    void handle(const rd_kafka_message_t *m);
    void take(int partition, qint64 offset);
    bool flush();
    void rewind();
    void reportLost(int partition, qint64 count, const QString &why);
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
        flush();
        rd_kafka_assign(rk, nullptr);
        next.clear();
        batchNext.clear();
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
    if (!dirty) batchStartMs = steadyMs();
    dirty = true;
    batchNext.insert(partition, offset + 1);
    next.insert(partition, offset + 1);
}

void TelemetryPersister::Impl::handle(const rd_kafka_message_t *m)
{
    if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
        // Our next offset is no longer on the broker: persist what we hold, then count the
        // gap and carry on from the oldest message kept.
        flush();
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
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(list, topic::Telemetry, m->partition)->offset =
            qMax<qint64>(low, *it);
        next.insert(m->partition, qMax<qint64>(low, *it));
        if (rd_kafka_error_t *e = rd_kafka_seek_partitions(rk, list, 5000)) {
            qCWarning(lcBus) << "telemetry persister seek:" << rd_kafka_error_string(e);
            rd_kafka_error_destroy(e);
        }
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
        batch.append(*reading);
    } else {
        ++self->m_deadLettered;
        deadLetter->send(m, toString(problem), why);
    }
    take(m->partition, m->offset);
}

bool TelemetryPersister::Impl::flush()
{
    if (!dirty) return true;
    QList<PartitionOffset> offsets;
    offsets.reserve(batchNext.size());
    for (auto it = batchNext.cbegin(); it != batchNext.cend(); ++it)
        offsets.append({QString::fromLatin1(topic::Telemetry), it.key(), it.value()});
    QString error;
    if (sink.write(batch, offsets, &error)) {
        self->m_persisted += batch.size();
        ++self->m_batches;
        if (self->m_observer) self->m_observer(batch);
        batch.clear();
        batchNext.clear();
        dirty = false;
        return true;
    }
    ++self->m_rewinds;
    qCWarning(lcBus).noquote() << "telemetry persister could not write" << batch.size()
                               << "readings; re-reading them from the stored offsets:" << error;
    Q_EMIT self->writeFailed(tr("Telemetry could not be written to PostgreSQL: %1").arg(error));
    batch.clear();
    batchNext.clear();
    dirty = false;
    rewind();
    return false;
}

// After a failed write the outcome may be unknown: go back to what PostgreSQL holds.
void TelemetryPersister::Impl::rewind()
{
    if (next.isEmpty()) return;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(next.size()));
    for (auto it = next.cbegin(); it != next.cend(); ++it)
        rd_kafka_topic_partition_list_add(list, topic::Telemetry, it.key());
    if (position(list)) {
        if (rd_kafka_error_t *e = rd_kafka_seek_partitions(rk, list, 10000)) {
            qCWarning(lcBus) << "telemetry persister seek:" << rd_kafka_error_string(e);
            rd_kafka_error_destroy(e);
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
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
        {QStringLiteral("enable.auto.commit"), QStringLiteral("false")},
        {QStringLiteral("enable.auto.offset.store"), QStringLiteral("false")},
        // Falling out of the broker's retention must be seen, not papered over.
        {QStringLiteral("auto.offset.reset"), QStringLiteral("error")},
        {QStringLiteral("enable.partition.eof"), QStringLiteral("false")},
        {QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")},
        {QStringLiteral("fetch.wait.max.ms"), QString::number(m_settings.fetchWaitMaxMs)},
        {QStringLiteral("fetch.error.backoff.ms"), QStringLiteral("50")},
    };
    rd_kafka_conf_t *conf = makeKafkaConf(m_settings, props, error);
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
    m_thread = std::thread([this] { run(); });
    return true;
}

void TelemetryPersister::run()
{
    Impl impl;
    impl.self = this;
    impl.rk = m_consumer.get();
    impl.sink = m_sinkFactory();
    impl.deadLetter = std::make_unique<DeadLetterSink>(m_deadLetterProducer,
                                                       QStringLiteral("telemetry persister"));
    m_impl = &impl;
    // Natural batching: read until the local queue is empty (or the batch is full or old
    // enough), then commit. Slow streams get one short transaction per fetch; fast ones
    // grow their batches while the previous transaction runs.
    while (!m_stop.load()) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(impl.rk, impl.dirty ? 0 : 100);
        if (m) {
            impl.handle(m);
            rd_kafka_message_destroy(m);
            if (impl.batch.size() < m_options.maxBatch &&
                steadyMs() - impl.batchStartMs < m_options.maxBatchDelayMs)
                continue;
        }
        if (impl.dirty) impl.flush();
    }
    if (!m_abandon.load()) {
        impl.flush();
        rd_kafka_consumer_close(impl.rk); // the revoke callback flushes (nothing left)
    }
    m_impl = nullptr;
}

void TelemetryPersister::stop()
{
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    m_consumer.reset();
}

void TelemetryPersister::abandon()
{
    m_abandon = true;
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    // Like a dead process: no LeaveGroup, no commit; the group notices by session timeout.
    if (m_consumer)
        rd_kafka_destroy_flags(m_consumer.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
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
    return s;
}

} // namespace alabos
