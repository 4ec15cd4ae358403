#include "core/storage/eventrelay.h"

#include "core/bus/deadletter.h"
#include "core/bus/eventcodec.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"
#include "core/storage/pgutil.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <librdkafka/rdkafka.h>
#include <pqxx/pqxx>

namespace alabos {

EventRelay::EventRelay(QString connectionString, KafkaProducer *producer, QString name,
                       QObject *parent)
    : QObject(parent), m_connectionString(std::move(connectionString)), m_producer(producer),
      m_name(std::move(name)), m_safetyTimer(this)
{
    m_safetyTimer.setInterval(1000);
    connect(&m_safetyTimer, &QTimer::timeout, this, &EventRelay::wake);
}

EventRelay::~EventRelay() = default;

namespace {
// Room left for the key, the signature header and the record's framing.
constexpr qsizetype kEnvelopeBytes = 4096;
// A payload field larger than this is what a reduced event leaves out.
constexpr qsizetype kMaxKeptFieldBytes = 1024;

// The event without its large fields, saying what it left out: consumers still see that
// the entity changed and its small fields (ids, status); the rest is in PostgreSQL.
Event reduced(const Event &e, qsizetype originalBytes, qsizetype limit)
{
    Event out = e;
    QJsonObject payload;
    QJsonArray dropped;
    for (auto it = e.payload.constBegin(); it != e.payload.constEnd(); ++it) {
        const qsizetype size =
            it->isString()   ? it->toString().toUtf8().size()
            : it->isObject() ? QJsonDocument(it->toObject()).toJson(QJsonDocument::Compact).size()
            : it->isArray()  ? QJsonDocument(it->toArray()).toJson(QJsonDocument::Compact).size()
                             : 16;
        if (size > kMaxKeptFieldBytes)
            dropped.append(it.key());
        else
            payload.insert(it.key(), *it);
    }
    payload.insert(QStringLiteral("_reduced"),
                   QJsonObject{{QStringLiteral("reason"),
                                QStringLiteral("%1 bytes, more than the broker takes (%2)")
                                    .arg(originalBytes)
                                    .arg(limit)},
                               {QStringLiteral("original_bytes"), double(originalBytes)},
                               {QStringLiteral("left_out"), dropped}});
    out.payload = payload;
    return out;
}
} // namespace

qsizetype EventRelay::publishableBytes()
{
    if (m_publishableBytes > 0) return m_publishableBytes;
    qsizetype limit = kMaxEventBytes;
    char value[64];
    size_t size = sizeof value;
    if (m_producer && m_producer->handle() &&
        rd_kafka_conf_get(rd_kafka_conf(m_producer->handle()), "message.max.bytes", value, &size) ==
            RD_KAFKA_CONF_OK)
        limit = std::min<qsizetype>(limit, QByteArray(value).toLongLong());
    m_publishableBytes = std::max<qsizetype>(limit - kEnvelopeBytes, 64 * 1024);
    return m_publishableBytes;
}

void EventRelay::start()
{
    m_stopped = false;
    m_safetyTimer.start();
    wake();
}

void EventRelay::stop()
{
    m_stopped = true;
    m_safetyTimer.stop();
    // Let what is in flight land, so a clean shutdown publishes everything committed.
    if (m_inflightCount > 0 && m_tracker.waitFor(m_inflightCount, 3000)) finishInflight();
}

bool EventRelay::publishPending(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    if (!ensureConnected()) return false;
    while (clock.elapsed() < timeoutMs) {
        if (m_inflightCount > 0) {
            if (!m_tracker.waitFor(m_inflightCount, 100)) continue;
            if (!finishInflight() && !ensureConnected()) return false;
            continue;
        }
        try {
            if (!readAndProduce()) return true;
        } catch (const std::exception &e) {
            qCWarning(lcStorage) << "relay:" << e.what();
            return false;
        }
    }
    return false;
}

void EventRelay::wake()
{
    if (m_pumpScheduled || m_stopped) return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(this, &EventRelay::pump, Qt::QueuedConnection);
}

bool EventRelay::ensureConnected()
{
    if (m_connection && m_connection->is_open()) return true;
    try {
        m_connection = std::make_unique<pqxx::connection>(m_connectionString.toStdString());
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO relay_cursor (name, last_event_id) VALUES ($1, 0) "
                        "ON CONFLICT (name) DO NOTHING",
                        m_name.toStdString());
        m_cursor = tx.exec_params1("SELECT last_event_id FROM relay_cursor WHERE name = $1",
                                   m_name.toStdString())[0]
                       .as<qint64>();
        tx.commit();
        qCInfo(lcStorage) << "relay" << m_name << "resumes after event" << m_cursor;
        m_databaseLost = false;
        return true;
    } catch (const std::exception &e) {
        m_connection.reset();
        // The database's outage is the storage writer's to report; Kafka is not at fault.
        if (!m_databaseLost) {
            m_databaseLost = true;
            qCWarning(lcStorage).noquote() << "relay cannot reach the database, retrying:"
                                           << QString::fromUtf8(e.what()).trimmed();
        }
        return false;
    }
}

bool EventRelay::finishInflight()
{
    if (m_tracker.failed() > 0) {
        // Re-publish the whole batch: duplicates are dropped downstream by event id.
        qCWarning(lcStorage).noquote() << "relay: Kafka refused" << m_tracker.failed()
                                       << "messages, publishing again:" << m_tracker.lastError();
        m_inflightCount = 0;
        m_inflightEvents = 0;
        m_inflightByTopic.clear();
        m_tracker.reset();
        return false;
    }
    if (m_beforeCursorUpdate) m_beforeCursorUpdate();
    try {
        pqxx::work tx(*m_connection);
        tx.exec_params0("UPDATE relay_cursor SET last_event_id = $2 WHERE name = $1",
                        m_name.toStdString(), m_inflightLast);
        tx.commit();
    } catch (const std::exception &e) {
        m_connection.reset(); // the cursor is re-read; the batch goes out again
        m_inflightCount = 0;
        m_inflightEvents = 0;
        m_inflightByTopic.clear();
        m_tracker.reset();
        return false;
    }
    m_cursor = m_inflightLast;
    for (auto it = m_inflightByTopic.cbegin(); it != m_inflightByTopic.cend(); ++it)
        m_byTopic->add(it.key(), it.value());
    m_inflightByTopic.clear();
    const qint64 count = m_inflightEvents;
    m_publishedTotal += count;
    m_inflightCount = 0;
    m_inflightEvents = 0;
    m_tracker.reset();
    if (m_stalled) {
        m_stalled = false;
        Q_EMIT resumed();
    }
    Q_EMIT published(count, m_cursor);
    return true;
}

bool EventRelay::readAndProduce()
{
    pqxx::result rows;
    {
        pqxx::read_transaction tx(*m_connection);
        rows = tx.exec_params(std::string("SELECT ") + kEventColumns +
                                  " FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                              m_cursor, kBatch);
    }
    if (rows.empty()) return false;
    m_tracker.reset();
    qint64 produced = 0;
    DigestList digests;
    digests.relay = m_name.left(DigestList::kMaxRelayName);
    for (const auto &row : rows) {
        const qint64 id = row[0].as<qint64>();
        const QString entityType = QString::fromUtf8(row[1].c_str());
        const char *topicName = stateTopicFor(entityType);
        if (!topicName) {
            qCWarning(lcStorage) << "relay: event" << id << "has unknown entity type" << entityType
                                 << "; not published";
            continue;
        }
        QString why;
        const QByteArray key(row[2].c_str(), qsizetype(row[2].size()));
        // Built from the row as stored: no JSON parsed and encoded again per event.
        QByteArray value = encodedEventFromRow(row);
        // One event the broker cannot take must never hold up the ones after it.
        if (value.size() > publishableBytes()) {
            const Event e = eventFromRow(row);
            const QString message =
                tr("event %1 (%2 %3, %4) has %5 bytes, more than the broker takes (%6): published "
                   "without its large fields; the whole event is in PostgreSQL and on %7")
                    .arg(e.id)
                    .arg(e.entityType, e.entityId.left(100), e.kind)
                    .arg(value.size())
                    .arg(publishableBytes())
                    .arg(QLatin1StringView(topic::DeadLetter));
            if (!m_deadLetter)
                m_deadLetter =
                    std::make_unique<DeadLetterSink>(m_producer, QStringLiteral("relay"));
            m_deadLetter->sendUnpublished(topicName, e.id, key, value, QStringLiteral("too-large"),
                                          message);
            value = encodeEvent(reduced(e, value.size(), publishableBytes()));
            Q_EMIT eventReduced(e.id, message);
        }
        const QByteArray signature =
            m_signingKey ? streamSignature(*m_signingKey, topicName, key, value) : QByteArray();
        if (!m_producer->produce(topicName, key, value, &m_tracker, &why, -1, 60000, signature)) {
            // Local queue full for a minute: wait for the reports of what went out, retry.
            qCWarning(lcStorage).noquote() << "relay:" << why;
            break;
        }
        ++produced;
        ++m_inflightByTopic[QLatin1StringView(topicName)];
        m_inflightLast = id;
        if (m_signingKey) {
            if (digests.digests.isEmpty()) digests.firstEvent = id;
            digests.lastEvent = id;
            digests.digests.append(messageDigest(topicName, key, value));
        }
    }
    m_inflightEvents = produced;
    m_inflightCount = produced + produceDigestLists(std::move(digests));
    m_inflightSinceMs = QDateTime::currentMSecsSinceEpoch();
    return produced > 0;
}

qint64 EventRelay::produceDigestLists(DigestList all)
{
    if (all.digests.isEmpty()) return 0;
    // Each list fits the broker's message limit with room for its other fields.
    const qsizetype perList = std::clamp<qsizetype>(
        (publishableBytes() - 1024) / (kDigestBytes * 4 / 3 + 1), 1, DigestList::kMaxDigests);
    qint64 lists = 0;
    for (qsizetype at = 0; at < all.digests.size(); at += perList) {
        DigestList part = all;
        part.digests = all.digests.mid(at, perList);
        const QByteArray value = encodeDigestList(part);
        const QByteArray key = m_name.toUtf8();
        QString why;
        // A list that does not go out costs consoles time, never an event: each event is
        // signed on its own as well.
        if (!m_producer->produce(topic::Signatures, key, value, &m_tracker, &why, -1, 60000,
                                 streamSignature(*m_signingKey, topic::Signatures, key, value))) {
            qCWarning(lcStorage).noquote() << "relay: a digest list was not published:" << why;
            break;
        }
        ++lists;
    }
    return lists;
}

void EventRelay::pump()
{
    m_pumpScheduled = false;
    if (m_stopped) return;
    if (!ensureConnected()) return; // the safety timer retries
    for (int round = 0; round < 50; ++round) {
        if (m_inflightCount > 0) {
            if (!m_tracker.waitFor(m_inflightCount, 50)) {
                const qint64 waited = QDateTime::currentMSecsSinceEpoch() - m_inflightSinceMs;
                if (waited > 2000 && !m_stalled) {
                    m_stalled = true;
                    Q_EMIT stalled(tr("Kafka has not acknowledged %1 events for %2 s")
                                       .arg(m_inflightCount - m_tracker.succeeded())
                                       .arg(waited / 1000));
                }
                QTimer::singleShot(20, this, &EventRelay::wake);
                return;
            }
            if (!finishInflight() && !ensureConnected()) return;
        }
        try {
            if (!readAndProduce()) return;
        } catch (const std::exception &e) {
            m_connection.reset();
            qCWarning(lcStorage) << "relay:" << e.what();
            return;
        }
    }
    wake(); // more to do: let other events in first
}

} // namespace alabos
