#pragma once
#include <QHash>
#include <QSet>
#include <QString>
#include <atomic>

typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace alabos {

class DeliveryTracker;
class KafkaProducer;

// Where consumers put what they cannot use: a copy of the message in alabos.deadletter,
// same key, with headers naming the source topic, partition, offset and the reason
// (docs/events.md). Counted per reason and logged once per reason. One per consumer
// thread; the producer is shared and thread-safe.
class DeadLetterSink
{
public:
    // Values are copied up to this size; a larger one (it is in the source topic at the
    // offset given) is cut, with header alabos.original-size.
    static constexpr int kMaxCopyBytes = 512 * 1024;

    explicit DeadLetterSink(KafkaProducer *producer, QString consumerName);
    ~DeadLetterSink();
    DeadLetterSink(const DeadLetterSink &) = delete;
    DeadLetterSink &operator=(const DeadLetterSink &) = delete;

    // reason: a short kind ("not-json", "unknown-version"...); detail: for a person.
    void send(const rd_kafka_message_t *message, const QString &reason, const QString &detail);
    // The same for a message its reader kept after librdkafka's copy was gone.
    void send(const char *topic, int partition, qint64 offset, QByteArrayView key,
              QByteArrayView value, const QString &reason, const QString &detail);
    // What never reached its topic (an event the broker cannot take): the topic it was for,
    // and the event id instead of a partition and offset.
    void sendUnpublished(const char *topic, qint64 eventId, const QByteArray &key,
                         const QByteArray &value, const QString &reason, const QString &detail);
    qint64 count() const { return m_count.load(); }
    qint64 failed() const { return m_failed.load(); }
    QHash<QString, qint64> countsByReason() const { return m_byReason; }

private:
    struct Letter
    {
        QString sourceTopic;
        QString where; // "partition/offset" or "event ID", for the log
        QList<std::pair<const char *, QByteArray>> sourceHeaders;
        QByteArrayView key;
        QByteArrayView value;
    };
    void sendLetter(const Letter &letter, const QString &reason, const QString &detail);

    KafkaProducer *m_producer;
    QString m_consumerName;
    DeliveryTracker *m_tracker;
    std::atomic<qint64> m_count{0};
    std::atomic<qint64> m_failed{0};
    QHash<QString, qint64> m_byReason;
    QSet<QString> m_logged;
};

} // namespace alabos
