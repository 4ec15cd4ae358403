#include "core/bus/statefeed.h"

#include "core/bus/assignedconsumer.h"
#include "core/bus/deadletter.h"
#include "core/bus/eventcodec.h"
#include "core/bus/streamsigning.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QDateTime>
#include <QSet>
#include <librdkafka/rdkafka.h>

namespace alabos {

StateFeed::StateFeed(KafkaSettings settings, SnapshotLoader loader, int flushIntervalMs,
                     QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_loader(std::move(loader)),
      m_consumer(new AssignedConsumer(
          m_settings, QStringLiteral("state feed"),
          [this](const rd_kafka_message_t *m) { handle(m); }, this)),
      m_flushTimer(this)
{
    connect(m_consumer, &AssignedConsumer::drained, this, &StateFeed::onDrained);
    // A position the broker no longer has is news (the topics were re-created), not
    // something to skip over silently.
    m_consumer->setConsumerProperty(QStringLiteral("auto.offset.reset"), QStringLiteral("error"));
    m_consumer->setErrorHandler([this](const rd_kafka_message_t *m) {
        if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
            m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE)
            scheduleResync(tr("%1 [%2]: offset out of range: the broker's topics were re-created")
                               .arg(QString::fromUtf8(rd_kafka_topic_name(m->rkt)))
                               .arg(m->partition));
    });
    m_consumer->setOutageHandler([this] { checkLogsAfterOutage(); });
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
    m_stopped = true; // no resync after a stop
    m_flushTimer.stop();
    m_consumer->close();
}

bool StateFeed::assign(QString *error)
{
    if (!m_consumer->open(error)) return false;
    QList<AssignedConsumer::Start> starts;
    QList<const char *> topics = stateTopics();
    if (m_followTelemetry) topics.append(topic::Telemetry);
    if (m_trusted && m_useDigestLists) topics.append(topic::Signatures);
    for (const char *name : std::as_const(topics)) {
        const bool replay = m_source == SnapshotSource::Replay && qstrcmp(name, topic::Telemetry) &&
                            qstrcmp(name, topic::Signatures);
        const auto partitions = m_consumer->partitions(name, error);
        if (!partitions) return false;
        for (const AssignedConsumer::PartitionRange &range : *partitions) {
            // Replay reads what the topic retains (all of a compacted topic's keys) up to
            // the end taken now; live reading starts at that end.
            const qint64 start = replay ? range.low : range.high;
            starts.append({QByteArray(name), range.partition, start});
            if (replay && range.high > range.low)
                m_replayTargets.insert(int(m_positions.size()), range.high);
            m_positionIndex.insert(QByteArray(name) + '/' + QByteArray::number(range.partition),
                                   int(m_positions.size()));
            m_positions.append({QByteArray(name), range.partition, start});
        }
    }
    return m_consumer->assign(starts, error);
}

void StateFeed::start()
{
    m_stopped = false;
    QString error;
    if (!begin(&error)) {
        qCWarning(lcBus).noquote() << error;
        Q_EMIT failed(error);
    }
}

bool StateFeed::begin(QString *error)
{
    if (!m_deadLetter)
        m_deadLetter = std::make_unique<DeadLetterSink>(nullptr, QStringLiteral("console feed"));
    // Offsets first, snapshot second: every event newer than the snapshot was relayed after
    // the offsets were taken, so the stream misses nothing the snapshot lacks.
    if (!assign(error)) return false;
    if (m_source == SnapshotSource::PostgreSQL) {
        const std::optional<LabSnapshot> snapshot = m_loader ? m_loader(error) : LabSnapshot{};
        if (!snapshot) {
            *error = tr("Could not load the lab snapshot: %1").arg(*error);
            return false;
        }
        m_snapshotEventId = snapshot->lastEventId;
        m_stats.lastEventId = snapshot->lastEventId;
        FeedUpdate initial;
        initial.reset = true;
        initial.devices = snapshot->devices;
        for (const DeviceState &d : snapshot->devices)
            m_deviceReplicas.insert(d.id, {d, snapshot->lastEventId});
        initial.tasks = snapshot->tasks;
        initial.samples = snapshot->samples;
        initial.workflows = snapshot->workflows;
        initial.prompts = snapshot->prompts;
        for (const QJsonObject &json : snapshot->alarms)
            if (auto alarm = Alarm::fromJson(json)) initial.alarms.append(*alarm);
        Q_EMIT updated(initial);
    } else {
        m_replaying = true;
    }

    if (!m_consumer->startWakeups(error)) return false;
    m_flushTimer.start();
    const bool replay = m_replaying;
    drain(); // a replay may complete inside it, which emits started()
    if (!replay)
        Q_EMIT started();
    else if (m_replaying)
        finishReplayIfCaughtUp(); // emits started() once the replay is complete
    return true;
}

void StateFeed::scheduleResync(const QString &why)
{
    // Never from inside a drain: the consumer it iterates is replaced.
    if (m_resyncPending) return;
    m_resyncPending = true;
    QMetaObject::invokeMethod(
        this, [this, why] { resync(why); }, Qt::QueuedConnection);
}

void StateFeed::resync(const QString &why)
{
    m_resyncPending = false;
    if (m_stopped) return;
    qCWarning(lcBus).noquote() << "console feed:" << why
                               << "; taking a fresh snapshot and following the stream from now";
    m_flushTimer.stop();
    m_consumer->close();
    m_positions.clear();
    m_positionIndex.clear();
    m_replayTargets.clear();
    m_lastApplied.clear();
    m_devices.clear();
    m_deviceReplicas.clear();
    m_tasks.clear();
    m_samples.clear();
    m_workflows.clear();
    m_alarms.clear();
    m_prompts.clear();
    m_telemetry.clear();
    m_heldByDigest.clear();
    m_listedDigests.clear();
    m_events.clear();
    m_eventsOmitted = 0;
    m_replaying = false;
    m_snapshotEventId = 0;
    ++m_stats.resyncs;
    QString error;
    if (begin(&error)) return;
    qCWarning(lcBus).noquote() << "console feed could not start over, retrying in 1 s:" << error;
    m_consumer->close();
    m_resyncPending = true;
    QTimer::singleShot(1000, this, [this, why] { resync(why); });
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
    m_consumer->drain(); // each message through handle(); then onDrained()
}

void StateFeed::onDrained()
{
    if (m_replaying) finishReplayIfCaughtUp();
}

void StateFeed::handle(const rd_kafka_message_t *m)
{
    const char *topicName = rd_kafka_topic_name(m->rkt);
    const QByteArray key = QByteArray(topicName) + '/' + QByteArray::number(m->partition);
    const bool telemetry = qstrcmp(topicName, topic::Telemetry) == 0;
    const bool digestList = qstrcmp(topicName, topic::Signatures) == 0;
    const QByteArray bytes =
        QByteArray::fromRawData(static_cast<const char *>(m->payload), qsizetype(m->len));
    int positionIndex = -1;
    if (const auto it = m_positionIndex.constFind(key); it != m_positionIndex.cend()) {
        positionIndex = *it;
        PartitionPosition &position = m_positions[*it];
        if (position.checkAt >= 0) {
            const qint64 expected = position.checkAt;
            position.checkAt = -1;
            if (m->offset == expected && readHereBefore(position, bytes)) return;
            scheduleResync(tr("%1 [%2]: the broker that answered after every broker went down "
                              "does not hold at offset %3 the message this console read there")
                               .arg(QString::fromUtf8(topicName))
                               .arg(m->partition)
                               .arg(expected));
            return;
        }
        if (m->offset < position.next) {
            scheduleResync(tr("%1 [%2]: offset %3 after %4: the broker's topics were re-created")
                               .arg(QString::fromUtf8(topicName))
                               .arg(m->partition)
                               .arg(m->offset)
                               .arg(position.next - 1));
            return;
        }
        position.next = m->offset + 1;
        // Only state is checked after an outage.
        if (!telemetry && !digestList) position.lastRead = qHash(bytes);
    }
    if (m_resyncPending) return; // the fresh snapshot covers it
    if (!m->payload) return;     // a tombstone in a compacted topic: nothing to apply
    if (digestList) {
        handleDigestList(m);
        return;
    }
    DecodeProblem problem = DecodeProblem::None;
    QString why;
    if (telemetry) {
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
    // Decoded before the signature is checked: an event the feed already holds (its offsets
    // are taken before its snapshot, so what was relayed in between arrives again) is dropped
    // without the check, which costs several times the decoding. What is applied is verified.
    const auto event = decodeEvent(bytes, &problem, &why);
    if (event && alreadyApplied(*event)) {
        ++m_stats.duplicatesDropped;
        return;
    }
    // Live events wait for their digest list; replayed history has none to wait for.
    if (event && m_trusted && m_useDigestLists && !m_replaying && positionIndex >= 0) {
        hold(positionIndex, m, std::move(*event));
        return;
    }
    if (m_trusted) {
        if (!signedByScheduler(m, tr("a state event the scheduler did not sign: not shown")))
            return;
        ++m_stats.verifiedAlone;
    }
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

void StateFeed::hold(int positionIndex, const rd_kafka_message_t *m, Event event)
{
    const char *topicName = rd_kafka_topic_name(m->rkt);
    HeldEvent held;
    held.event = std::move(event);
    held.key = QByteArray(static_cast<const char *>(m->key), qsizetype(m->key ? m->key_len : 0));
    held.value = QByteArray(static_cast<const char *>(m->payload), qsizetype(m->len));
    held.signature = signatureOf(m);
    held.digest = messageDigest(topicName, held.key, held.value);
    held.offset = m->offset;
    held.heldSinceMs = QDateTime::currentMSecsSinceEpoch();
    if (const auto listed = m_listedDigests.constFind(held.digest);
        listed != m_listedDigests.cend()) {
        held.listed = true;
        m_listedDigests.erase(listed);
    } else {
        m_heldByDigest.insert(held.digest, positionIndex);
    }
    m_positions[positionIndex].held.append(std::move(held));
    releaseHeld(positionIndex, 0);
}

bool StateFeed::signedByScheduler(const QByteArray &topic, int partition, qint64 offset,
                                  const QByteArray &key, const QByteArray &value,
                                  const QByteArray &signature, const QString &refusal)
{
    if (m_trusted->verify(topic.constData(), key, value, signature)) return true;
    ++m_stats.unsigned_;
    ++m_stats.deadLettered;
    m_deadLetter->send(topic.constData(), partition, offset, key, value,
                       signature.isEmpty() ? QStringLiteral("unsigned")
                                           : QStringLiteral("bad-signature"),
                       refusal);
    return false;
}

bool StateFeed::signedByScheduler(const rd_kafka_message_t *m, const QString &refusal)
{
    return signedByScheduler(QByteArray(rd_kafka_topic_name(m->rkt)), m->partition, m->offset,
                             QByteArray::fromRawData(static_cast<const char *>(m->key),
                                                     qsizetype(m->key ? m->key_len : 0)),
                             QByteArray::fromRawData(static_cast<const char *>(m->payload),
                                                     qsizetype(m->payload ? m->len : 0)),
                             signatureOf(m), refusal);
}

void StateFeed::handleDigestList(const rd_kafka_message_t *m)
{
    if (!m_trusted ||
        !signedByScheduler(m, tr("a digest list the scheduler did not sign: ignored")))
        return;
    QString why;
    const std::optional<DigestList> list = decodeDigestList(
        QByteArrayView(static_cast<const char *>(m->payload), qsizetype(m->len)), &why);
    if (!list) {
        ++m_stats.malformed;
        ++m_stats.deadLettered;
        m_deadLetter->send(m, QStringLiteral("bad-payload"), why);
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSet<int> touched;
    for (const QByteArray &digest : list->digests) {
        if (const auto it = m_heldByDigest.constFind(digest); it != m_heldByDigest.cend()) {
            const int index = *it;
            m_heldByDigest.erase(it);
            // A message delivered twice is held twice: the list vouches for both copies.
            for (HeldEvent &held : m_positions[index].held)
                if (!held.listed && held.digest == digest) held.listed = true;
            touched.insert(index);
        } else if (m_listedDigests.size() < kMaxListedDigests) {
            // Its event has not arrived yet (another partition, another fetch), or never will
            // (read before this feed's start, or dropped as already applied): kept a while.
            m_listedDigests.insert(digest, now);
        }
    }
    for (const int index : std::as_const(touched))
        releaseHeld(index, 0);
}

void StateFeed::releaseHeld(int positionIndex, qint64 checkAloneBeforeMs)
{
    PartitionPosition &position = m_positions[positionIndex];
    qsizetype released = 0;
    for (; released < position.held.size(); ++released) {
        const HeldEvent &held = position.held.at(released);
        if (!held.listed && held.heldSinceMs >= checkAloneBeforeMs) break;
        if (!held.listed) m_heldByDigest.remove(held.digest);
        deliver(position.topic, position.partition, held);
    }
    position.held.remove(0, released);
}

void StateFeed::deliver(const QByteArray &topic, int partition, const HeldEvent &held)
{
    if (held.listed) {
        ++m_stats.verifiedByList;
    } else if (signedByScheduler(topic, partition, held.offset, held.key, held.value,
                                 held.signature,
                                 tr("a state event the scheduler did not sign: not shown"))) {
        ++m_stats.verifiedAlone;
    } else {
        return;
    }
    QString why;
    if (!apply(held.event, &why)) {
        ++m_stats.malformed;
        ++m_stats.deadLettered;
        m_deadLetter->send(topic.constData(), partition, held.offset, held.key, held.value,
                           QStringLiteral("bad-payload"), why);
    }
}

void StateFeed::forgetOldListedDigests(qint64 nowMs)
{
    if (nowMs - m_listedForgottenAtMs < 1000) return;
    m_listedForgottenAtMs = nowMs;
    m_listedDigests.removeIf(
        [nowMs](const auto &entry) { return nowMs - entry.value() > kListedKeepMs; });
}

void StateFeed::checkLogsAfterOutage()
{
    if (m_stopped) return;
    ++m_stats.brokerOutages;
    // An empty broker started again on the same address takes new messages from offset 0;
    // once it holds more than this feed had read, the feed's next offset is in range there
    // and the first ones would be skipped without any error. So the message before each next
    // offset is read again when a broker answers: the one read before (the broker kept its
    // log: go on) or not (start over from a fresh snapshot). Telemetry is not state.
    rd_kafka_topic_partition_list_t *list =
        rd_kafka_topic_partition_list_new(int(m_positions.size()));
    for (PartitionPosition &p : m_positions) {
        if (p.next <= 0 || p.topic == topic::Telemetry || p.topic == topic::Signatures) continue;
        p.checkAt = p.next - 1;
        rd_kafka_topic_partition_list_add(list, p.topic.constData(), p.partition)->offset =
            p.checkAt;
    }
    if (list->cnt > 0) {
        // Asynchronous (timeout 0): no broker answers now; what was fetched before is dropped.
        if (rd_kafka_error_t *e = rd_kafka_seek_partitions(m_consumer->handle(), list, 0)) {
            scheduleResync(tr("cannot read the state topics again after every broker went "
                              "down: %1")
                               .arg(QString::fromUtf8(rd_kafka_error_string(e))));
            rd_kafka_error_destroy(e);
        } else {
            qCInfo(lcBus) << "console feed: every broker went down; when one answers, the last"
                          << "message read on each of" << list->cnt
                          << "state partitions is read again to see whether it kept its log";
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
}

bool StateFeed::readHereBefore(const PartitionPosition &position, const QByteArray &bytes) const
{
    if (position.lastRead) return qHash(bytes) == *position.lastRead;
    // Nothing read here since the start: what lay below the start offset was relayed before
    // the snapshot was taken, so it is not newer than the snapshot.
    if (m_snapshotEventId <= 0) return false;
    DecodeProblem problem = DecodeProblem::None;
    QString why;
    const auto event = decodeEvent(bytes, &problem, &why);
    return event && event->id <= m_snapshotEventId;
}

bool StateFeed::alreadyApplied(const Event &event) const
{
    if (event.id <= m_snapshotEventId) return true;
    const auto last = m_lastApplied.find(event.entityType + u':' + event.entityId);
    return last && event.id <= *last;
}

bool StateFeed::apply(const Event &event, QString *why)
{
    if (alreadyApplied(event)) {
        ++m_stats.duplicatesDropped;
        return true;
    }
    const QString key = event.entityType + u':' + event.entityId;
    QString error;
    bool ok = false;
    if (event.entityType == QLatin1StringView(entity::Device)) {
        if (auto d = DeviceState::fromJson(event.payload, &error)) {
            DeviceReplica &replica = m_deviceReplicas[d->id];
            if (event.id > replica.toldId) {
                replica.told = std::move(*d);
                replica.toldId = event.id;
                showDevice(replica.told->id, replica);
            }
            ok = true;
        }
    } else if (event.entityType == QLatin1StringView(entity::Task)) {
        if (auto t = TaskState::fromJson(event.payload, &error)) {
            // A start may come before the device's own first event (another topic), so an
            // unknown device gets an entry too; never more of them than entities remembered.
            if (t->status == TaskStatus::Running && !t->deviceId.isEmpty() &&
                (m_deviceReplicas.size() < kEntitiesRemembered ||
                 m_deviceReplicas.contains(t->deviceId))) {
                DeviceReplica &replica = m_deviceReplicas[t->deviceId];
                if (event.id > replica.startedId) {
                    replica.startedTask = t->id;
                    replica.startedId = event.id;
                    replica.startedUs = t->startedUs;
                    showDevice(t->deviceId, replica);
                }
            }
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

void StateFeed::showDevice(const QString &id, const DeviceReplica &replica)
{
    if (!replica.told) return; // shown once its own events say what it is
    DeviceState shown = *replica.told;
    if (replica.startedId > replica.toldId) {
        shown.status = DeviceStatus::Busy;
        shown.currentTask = replica.startedTask;
        shown.updatedUs = replica.startedUs;
    }
    m_devices.insert(id, std::move(shown));
}

void StateFeed::updateLag()
{
    qint64 lag = 0;
    for (const PartitionPosition &p : std::as_const(m_positions)) {
        if (p.topic == topic::Signatures) continue; // not state
        int64_t low = 0, high = 0;
        if (rd_kafka_get_watermark_offsets(m_consumer->handle(), p.topic.constData(), p.partition,
                                           &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            high > p.next)
            lag += high - p.next;
    }
    m_stats.lag = lag;
}

void StateFeed::flush()
{
    drain();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < m_positions.size(); ++i)
        if (!m_positions.at(i).held.isEmpty()) releaseHeld(i, now - kListWaitMs);
    forgetOldListedDigests(now);
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
