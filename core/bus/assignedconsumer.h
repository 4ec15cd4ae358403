#pragma once
#include "core/bus/kafka.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <functional>
#include <optional>

class QSocketNotifier;
typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace alabos {

// A Kafka consumer whose partitions are assigned by hand (no consumer-group waits, nothing
// committed), woken by librdkafka through a pipe, so nothing polls. The console feed and
// the command channel read through it. Lives on the thread that opens it.
class AssignedConsumer : public QObject
{
    Q_OBJECT
public:
    // Called for every message without an error; errors are logged under `name`.
    using Handler = std::function<void(const rd_kafka_message_t *message)>;
    struct PartitionRange
    {
        int partition = 0;
        qint64 low = 0;  // the oldest offset the broker keeps
        qint64 high = 0; // the next offset to be written
    };
    struct Start
    {
        QByteArray topic;
        int partition = 0;
        qint64 offset = 0;
    };

    // Called for every message that carries an error (partition EOF aside), after it is logged.
    using ErrorHandler = std::function<void(const rd_kafka_message_t *message)>;

    AssignedConsumer(KafkaSettings settings, QString name, Handler handler,
                     QObject *parent = nullptr);
    ~AssignedConsumer() override;

    // Before open(): a librdkafka property of this consumer (say auto.offset.reset=error).
    void setConsumerProperty(const QString &key, const QString &value)
    {
        m_extra.insert(key, value);
    }
    void setErrorHandler(ErrorHandler handler) { m_errorHandler = std::move(handler); }
    // Called on this consumer's thread, in order among the messages, when every broker went
    // down: the broker that answers next may be a new, empty one on the same address.
    void setOutageHandler(std::function<void()> handler) { m_outageHandler = std::move(handler); }

    bool open(QString *error);
    // The partitions of a topic and what the broker keeps of each; refuses a missing topic.
    std::optional<QList<PartitionRange>> partitions(const char *topic, QString *error);
    bool assign(const QList<Start> &starts, QString *error);
    // Messages arrive from here on: through the pipe, each drain() ending in drained().
    bool startWakeups(QString *error);
    void drain();
    // open(), every partition of `topic` from its end, wakeups: what is written from now on.
    // When every broker went down, each partition is read again from its start, skipping
    // what was handled before: an empty broker started again on the same address (the
    // embedded one) is then read whole, and a broker that kept its log repeats only what came
    // in the last 2 s before the outage (producers' clocks may differ that much).
    bool tail(const char *topic, QString *error);
    void close();
    rd_kafka_t *handle() const { return m_consumer.get(); }
    // How often every broker went down while this consumer read.
    int outages() const { return m_outages; }

Q_SIGNALS:
    void drained();

private:
    // Where this consumer had got to on one partition, for re-reading it after an outage.
    struct Progress
    {
        qint64 nextOffset = 0;
        qint64 newestTimestampMs = 0;
    };

    void onClientError(int err, const QString &reason);
    void handle(const rd_kafka_message_t *message);
    void rereadFromTheStart();

    KafkaSettings m_settings;
    QString m_name;
    Handler m_handler;
    ErrorHandler m_errorHandler;
    std::function<void()> m_outageHandler;
    QMap<QString, QString> m_extra;
    KafkaHandle m_consumer;
    rd_kafka_queue_t *m_queue = nullptr;
    int m_pipe[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr;
    // Tails only: after every broker went down, each partition is read again from its start.
    bool m_rereadsAfterOutage = false;
    int m_outages = 0;
    QHash<int, Progress> m_progress; // the furthest handled, per partition of the one topic
};

} // namespace alabos
