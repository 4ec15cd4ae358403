#pragma once
#include "core/bus/kafka.h"
#include "core/domain/types.h"
#include "core/metrics/metrics.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <pqxx/connection>

namespace alabos {

class SigningKey;
class DeadLetterSink;
struct DigestList;

// Publishes committed events to their Kafka state topics in id order, keyed by entity
// id, from a cursor stored in PostgreSQL. The cursor moves only after every message of a
// batch was acknowledged by the broker, so a crash loses nothing; it may publish a batch
// twice, which consumers drop by event id. Lives on a thread of its own with its own
// connection; woken by the writer's commits, with a slow timer for other writers.
class EventRelay : public QObject
{
    Q_OBJECT
public:
    EventRelay(QString connectionString, KafkaProducer *producer,
               QString name = QStringLiteral("main"), QObject *parent = nullptr);
    ~EventRelay() override;

    static constexpr int kBatch = 2000;
    qint64 publishedTotal() const { return m_publishedTotal; }
    EventId cursor() const { return m_cursor; }
    // Events the broker acknowledged, by topic, for /metrics (any thread).
    std::shared_ptr<const LabelledCounters> publishedByTopic() const { return m_byTopic; }
    // Every event published is signed with it, and each batch's digests are published as
    // one signed list (core/bus/streamsigning.h); set before start.
    void setSigningKey(std::shared_ptr<const SigningKey> key) { m_signingKey = std::move(key); }
    // Tests only: runs after the broker acknowledged a batch, before the cursor moves.
    void setBeforeCursorUpdateHook(std::function<void()> hook)
    {
        m_beforeCursorUpdate = std::move(hook);
    }

public Q_SLOTS:
    void start();
    void wake();
    void stop();
    // Publishes everything committed so far, waiting up to timeoutMs (shutdown).
    bool publishPending(int timeoutMs);

Q_SIGNALS:
    void published(qint64 count, alabos::EventId lastId);
    void stalled(const QString &why);
    void resumed();
    // An event the broker cannot take (larger than its message limit) went out reduced: the
    // full event stays in PostgreSQL and is copied to alabos.deadletter. For an alarm.
    void eventReduced(alabos::EventId id, const QString &message);

private:
    void pump();
    bool ensureConnected();
    bool readAndProduce();
    // The batch's digests as signed lists on alabos.signatures; returns how many went out.
    qint64 produceDigestLists(DigestList all);
    bool finishInflight();
    // The largest value the producer may send, read from its configuration once.
    qsizetype publishableBytes();

    QString m_connectionString;
    KafkaProducer *m_producer;
    std::shared_ptr<const SigningKey> m_signingKey;
    std::unique_ptr<DeadLetterSink> m_deadLetter;
    qsizetype m_publishableBytes = 0;
    QString m_name;
    std::unique_ptr<pqxx::connection> m_connection;
    EventId m_cursor = -1;
    DeliveryTracker m_tracker;
    qint64 m_inflightCount = 0;  // messages awaited: the batch's events and digest lists
    qint64 m_inflightEvents = 0; // the batch's events
    qint64 m_publishedTotal = 0;
    EventId m_inflightLast = 0;
    QHash<QString, qint64> m_inflightByTopic;
    std::shared_ptr<LabelledCounters> m_byTopic = std::make_shared<LabelledCounters>();
    qint64 m_inflightSinceMs = 0;
    bool m_pumpScheduled = false;
    bool m_stalled = false;      // Kafka does not take or acknowledge events
    bool m_databaseLost = false; // logged once per outage
    bool m_stopped = false;
    QTimer m_safetyTimer;
    std::function<void()> m_beforeCursorUpdate;
};

} // namespace alabos
