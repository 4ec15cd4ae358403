#include "core/bus/statefeed.h"

#include "core/bus/deadletter.h"
#include "core/bus/eventcodec.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QSet>
#include <QSocketNotifier>
#include <QUuid>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <unistd.h>

namespace alabos {

StateFeed::StateFeed(KafkaSettings settings, SnapshotLoader loader, int flushIntervalMs,
                     QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_loader(std::move(loader)),
      m_flushTimer(this)
{
    qRegisterMetaType<FeedUpdate>();
    qRegisterMetaType<FeedStats>();
    m_flushTimer.setInterval(flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &StateFeed::flush);
}

StateFeed::~StateFeed()
{
    stop();
}

void StateFeed::setDeadLetterProducer(KafkaProducer *producer)
{
    m_deadLetter = std::make_unique<DeadLetterSink>(producer, QStringLiteral("console feed"));
}

void StateFeed::stop()
{
    m_flushTimer.stop();
    delete m_notifier;
    m_notifier = nullptr;
    if (m_queue) {
        rd_kafka_queue_io_event_enable(m_queue, -1, nullptr, 0);
        rd_kafka_queue_destroy(m_queue);
        m_queue = nullptr;
    }
    if (m_consumer) {
        rd_kafka_consumer_close(m_consumer.get());
        m_consumer.reset();
    }
    for (int &fd : m_pipe) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

bool StateFeed::assign(QString *error)
{
    const QMap<QString, QString> props{
        {QStringLiteral("group.id"),
         QStringLiteral("alabos-console-") + QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("enable.auto.commit"), QStringLiteral("false")},
        {QStringLiteral("enable.partition.eof"), QStringLiteral("false")},
        {QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")},
        {QStringLiteral("fetch.wait.max.ms"), QString::number(m_settings.fetchWaitMaxMs)},
        {QStringLiteral("fetch.error.backoff.ms"), QStringLiteral("50")},
    };
    rd_kafka_conf_t *conf = makeKafkaConf(m_settings, props, error);
    if (!conf) return false;
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        *error = tr("Kafka consumer: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    m_consumer.reset(rk);
    rd_kafka_poll_set_consumer(rk);

    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(64);
    QList<const char *> topics = stateTopics();
    if (m_followTelemetry) topics.append(topic::Telemetry);
    for (const char *name : std::as_const(topics)) {
        const bool replay = m_source == SnapshotSource::Replay && qstrcmp(name, topic::Telemetry);
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, name, nullptr);
        const rd_kafka_metadata_t *md = nullptr;
        const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
        rd_kafka_topic_destroy(rkt);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt != 1 || md->topics[0].err) {
            *error = tr("Kafka topic %1 is not available (%2); is the broker at %3 running?")
                         .arg(QString::fromUtf8(name),
                              QString::fromUtf8(
                                  rd_kafka_err2str(err ? err : (md ? md->topics[0].err : err))),
                              m_settings.bootstrap);
            if (md) rd_kafka_metadata_destroy(md);
            rd_kafka_topic_partition_list_destroy(list);
            return false;
        }
        for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
            int64_t low = 0, high = 0;
            const rd_kafka_resp_err_t werr =
                rd_kafka_query_watermark_offsets(rk, name, p, &low, &high, 10000);
            if (werr) {
                *error = tr("Kafka offsets of %1/%2: %3")
                             .arg(QString::fromUtf8(name))
                             .arg(p)
                             .arg(QString::fromUtf8(rd_kafka_err2str(werr)));
                rd_kafka_metadata_destroy(md);
                rd_kafka_topic_partition_list_destroy(list);
                return false;
            }
            // Replay reads what the topic retains (all of a compacted topic's keys) up to
            // the end taken now; live reading starts at that end.
            const qint64 start = replay ? low : high;
            rd_kafka_topic_partition_list_add(list, name, p)->offset = start;
            if (replay && high > low) m_replayTargets.insert(int(m_positions.size()), high);
            m_positionIndex.insert(QByteArray(name) + '/' + QByteArray::number(p),
                                   int(m_positions.size()));
            m_positions.append({QByteArray(name), p, start});
        }
        rd_kafka_metadata_destroy(md);
    }
    const rd_kafka_resp_err_t aerr = rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (aerr) {
        *error = tr("Kafka assign: %1").arg(QString::fromUtf8(rd_kafka_err2str(aerr)));
        return false;
    }
    return true;
}

void StateFeed::start()
{
    QString error;
    if (!m_deadLetter)
        m_deadLetter = std::make_unique<DeadLetterSink>(nullptr, QStringLiteral("console feed"));
    // Offsets first, snapshot second: every event newer than the snapshot was relayed after
    // the offsets were taken, so the stream misses nothing the snapshot lacks.
    if (!assign(&error)) {
        qCWarning(lcBus).noquote() << error;
        Q_EMIT failed(error);
        return;
    }
    if (m_source == SnapshotSource::PostgreSQL) {
        const std::optional<LabSnapshot> snapshot = m_loader ? m_loader(&error) : LabSnapshot{};
        if (!snapshot) {
            Q_EMIT failed(tr("Could not load the lab snapshot: %1").arg(error));
            return;
        }
        m_snapshotEventId = snapshot->lastEventId;
        m_stats.lastEventId = snapshot->lastEventId;
        FeedUpdate initial;
        initial.reset = true;
        initial.devices = snapshot->devices;
        initial.tasks = snapshot->tasks;
        initial.samples = snapshot->samples;
        initial.workflows = snapshot->workflows;
        initial.prompts = snapshot->prompts;
        for (const QJsonObject &json : snapshot->alarms)
            if (auto alarm = Alarm::fromJson(json))
                initial.alarms.append(*alarm);
        Q_EMIT updated(initial);
    } else {
        m_replaying = true;
    }

    if (::pipe2(m_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        Q_EMIT failed(tr("cannot create a pipe for the Kafka consumer"));
        return;
    }
    m_queue = rd_kafka_queue_get_consumer(m_consumer.get());
    rd_kafka_queue_io_event_enable(m_queue, m_pipe[1], "1", 1);
    m_notifier = new QSocketNotifier(m_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StateFeed::drain);
    m_flushTimer.start();
    drain();
    if (m_replaying)
        finishReplayIfCaughtUp(); // emits started() once the replay is complete
    else
        Q_EMIT started();
}

void StateFeed::finishReplayIfCaughtUp()
{
    for (auto it = m_replayTargets.cbegin(); it != m_replayTargets.cend(); ++it)
        if (m_positions[it.key()].next < it.value()) return;
    m_replaying = false;
    m_replayTargets.clear();
    FeedUpdate initial;
    initial.reset = true;
    initial.devices = m_devices.values();
    initial.tasks = m_tasks.values();
    initial.samples = m_samples.values();
    initial.workflows = m_workflows.values();
    initial.alarms = m_alarms.values();
    m_devices.clear();
    m_tasks.clear();
    m_samples.clear();
    m_workflows.clear();
    m_alarms.clear();
    // The replayed history is the snapshot, not news: the live event log starts here.
    m_events.clear();
    m_eventsOmitted = 0;
    qCInfo(lcBus) << "console feed replayed" << m_stats.eventsApplied
                  << "state events:" << initial.devices.size() << "devices," << initial.tasks.size()
                  << "tasks";
    Q_EMIT updated(initial);
    Q_EMIT started();
}

void StateFeed::drain()
{
    char buffer[256];
    while (::read(m_pipe[0], buffer, sizeof buffer) > 0) {
    }
    rd_kafka_message_t *messages[512];
    for (;;) {
        const ssize_t n = rd_kafka_consume_batch_queue(m_queue, 0, messages, 512);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            handle(messages[i]);
            rd_kafka_message_destroy(messages[i]);
        }
        if (n < 512) break;
    }
    if (m_replaying) finishReplayIfCaughtUp();
}

void StateFeed::handle(const rd_kafka_message_t *m)
{
    if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
            qCWarning(lcBus) << "state feed:" << rd_kafka_message_errstr(m);
        return;
    }
    const char *topicName = rd_kafka_topic_name(m->rkt);
    const QByteArray key = QByteArray(topicName) + '/' + QByteArray::number(m->partition);
    if (const auto it = m_positionIndex.constFind(key); it != m_positionIndex.cend())
        m_positions[*it].next = m->offset + 1;
    if (!m->payload) return; // a tombstone in a compacted topic: nothing to apply
    const QByteArray bytes =
        QByteArray::fromRawData(static_cast<const char *>(m->payload), qsizetype(m->len));
    DecodeProblem problem = DecodeProblem::None;
    QString why;
    if (qstrcmp(topicName, topic::Telemetry) == 0) {
        // Not dead-lettered here: the persister does that once for every console.
        if (auto r = decodeReading(bytes, &problem, &why)) {
            ++m_stats.telemetryReadings;
            m_telemetry.insert(r->deviceId + QChar(0x1f) + r->metric, *r);
        } else {
            ++m_stats.malformed;
            const QString kind = QStringLiteral("telemetry:") + toString(problem);
            if (!m_loggedProblems.contains(kind)) {
                m_loggedProblems.insert(kind);
                qCWarning(lcBus).noquote()
                    << "state feed skipped a telemetry message (" << kind << "):" << why;
            }
        }
        return;
    }
    const auto event = decodeEvent(bytes, &problem, &why);
    if (event) {
        if (!apply(*event, &why)) {
            ++m_stats.malformed;
            ++m_stats.deadLettered;
            m_deadLetter->send(m, QStringLiteral("bad-payload"), why);
        }
    } else {
        ++m_stats.malformed;
        ++m_stats.deadLettered;
        m_deadLetter->send(m, toString(problem), why);
    }
}

bool StateFeed::apply(const Event &event, QString *why)
{
    if (event.id <= m_snapshotEventId) {
        ++m_stats.duplicatesDropped;
        return true;
    }
    const QString key = event.entityType + u':' + event.entityId;
    const auto lastIt = m_lastApplied.constFind(key);
    if (lastIt != m_lastApplied.cend() && event.id <= *lastIt) {
        ++m_stats.duplicatesDropped;
        return true;
    }
    QString error;
    bool ok = false;
    if (event.entityType == QLatin1StringView(entity::Device)) {
        if (auto d = DeviceState::fromJson(event.payload, &error)) {
            m_devices.insert(d->id, *d);
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Task)) {
        if (auto t = TaskState::fromJson(event.payload, &error)) {
            m_tasks.insert(t->id, *t);
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Sample)) {
        if (auto s = SampleState::fromJson(event.payload, &error)) {
            m_samples.insert(s->id, *s);
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Workflow)) {
        if (auto w = WorkflowState::fromJson(event.payload, &error)) {
            m_workflows.insert(w->id, *w);
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Alarm)) {
        if (auto a = Alarm::fromJson(event.payload, &error)) {
            m_alarms.insert(a->id, *a);
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Prompt)) {
        if (auto p = PromptState::fromJson(event.payload, &error)) {
            m_prompts.insert(p->id, *p);
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Position)) {
        ok = true; // positions are configuration; consoles read them from the snapshot
    } else {
        error = tr("unknown entity type \"%1\"").arg(event.entityType);
    }
    if (!ok) {
        *why = tr("event %1 (%2): %3").arg(event.id).arg(event.kind, error);
        return false;
    }
    m_lastApplied.insert(key, event.id);
    ++m_stats.eventsApplied;
    if (m_events.size() >= 4 * MaxEventsPerBatch) {
        // A long catch-up between flushes: keep memory bounded, the newest win.
        m_eventsOmitted += m_events.size() - MaxEventsPerBatch;
        m_events.remove(0, m_events.size() - MaxEventsPerBatch);
    }
    m_events.append(event);
    m_stats.lastEventId = qMax(m_stats.lastEventId, event.id);
    return true;
}

void StateFeed::updateLag()
{
    qint64 lag = 0;
    for (const PartitionPosition &p : std::as_const(m_positions)) {
        int64_t low = 0, high = 0;
        if (rd_kafka_get_watermark_offsets(m_consumer.get(), p.topic.constData(), p.partition, &low,
                                           &high) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            high > p.next)
            lag += high - p.next;
    }
    m_stats.lag = lag;
}

void StateFeed::flush()
{
    drain();
    updateLag();
    if (m_replaying) {
        Q_EMIT statsChanged(m_stats);
        return;
    }
    if (!m_devices.isEmpty() || !m_tasks.isEmpty() || !m_samples.isEmpty() ||
        !m_workflows.isEmpty() || !m_alarms.isEmpty() || !m_telemetry.isEmpty() ||
        !m_events.isEmpty() || !m_prompts.isEmpty()) {
        FeedUpdate update;
        // Payloads are implicitly shared with the decoded message: moving them costs nothing.
        const qsizetype omitted = qMax<qsizetype>(0, m_events.size() - MaxEventsPerBatch);
        update.eventsOmitted = m_eventsOmitted + omitted;
        m_eventsOmitted = 0;
        update.events.reserve(m_events.size() - omitted);
        for (qsizetype i = omitted; i < m_events.size(); ++i)
            update.events.append(std::move(m_events[i]));
        m_events.clear();
        update.devices = m_devices.values();
        update.tasks = m_tasks.values();
        update.samples = m_samples.values();
        update.workflows = m_workflows.values();
        update.alarms = m_alarms.values();
        m_alarms.clear();
        update.telemetry = m_telemetry.values();
        update.prompts = m_prompts.values();
        m_prompts.clear();
        m_devices.clear();
        m_tasks.clear();
        m_samples.clear();
        m_workflows.clear();
        m_telemetry.clear();
        Q_EMIT updated(update);
    }
    Q_EMIT statsChanged(m_stats);
}

} // namespace alabos
