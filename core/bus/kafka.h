#pragma once
// Kafka plumbing shared by the producer, the consumers and the embedded broker.
#include <QMap>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;
typedef struct rd_kafka_queue_s rd_kafka_queue_t;

namespace alabos {

struct KafkaSettings
{
    QString bootstrap; // "host:port,host:port"
    // Passed through to librdkafka: security.protocol, sasl.mechanism, sasl.username,
    // sasl.password, ssl.ca.location, and any other client property.
    QMap<QString, QString> properties;
    int fetchWaitMaxMs = 5; // live views: the embedded broker always waits this long

    // For logs: the same settings with every secret replaced.
    QString describe() const;
};

// True for a librdkafka property whose value is a secret (a password, a private key, a
// client secret, a JAAS or OAUTHBEARER configuration): shown as *** wherever settings are
// logged or printed. Names are compared case-insensitively, ignoring surrounding spaces.
bool isSecretKafkaProperty(const QString &key);

// A librdkafka configuration from the settings plus call-specific properties. Null with a
// message when a property is unknown or has a bad value.
rd_kafka_conf_t *makeKafkaConf(const KafkaSettings &settings, const QMap<QString, QString> &extra,
                               QString *error);
// The same for a consumer, with the settings every alabos consumer shares (no auto commit,
// no partition EOF events, no topic auto-creation, the settings' fetch wait); `extra` wins.
rd_kafka_conf_t *makeConsumerConf(const KafkaSettings &settings, QMap<QString, QString> extra,
                                  QString *error);

struct KafkaHandleDeleter
{
    void operator()(rd_kafka_t *handle) const;
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;

// A delivery report: whether the broker stored the message, and where.
struct Delivery
{
    bool ok = false;
    int partition = -1;
    qint64 offset = -1;
    qint64 bytes = 0; // key and value
    // Not ok, and the broker may have stored it all the same (its answer was lost).
    bool possiblyStored = false;
};

// Where a produced message's delivery report goes (the message's opaque pointer); called
// on the producer's report thread.
class DeliveryReceiver
{
public:
    virtual ~DeliveryReceiver() = default;
    // `error` says why when the report is not ok.
    virtual void delivered(const Delivery &report, const char *error) = 0;
};

// Counts delivery reports of a group of produced messages so a caller can wait for all.
class DeliveryTracker : public DeliveryReceiver
{
public:
    void delivered(const Delivery &report, const char *error = nullptr) override;
    // Called on the producer's report thread with every report; set it before the first
    // message is produced.
    void setObserver(std::function<void(const Delivery &)> observer)
    {
        m_observer = std::move(observer);
    }
    // Waits until `expected` reports arrived; false on timeout.
    bool waitFor(qint64 expected, int timeoutMs);
    qint64 succeeded() const { return m_ok.load(); }
    qint64 failed() const { return m_failed.load(); }
    QString lastError() const;
    void reset();

private:
    std::atomic<qint64> m_ok{0};
    std::atomic<qint64> m_failed{0};
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    QString m_lastError;
    std::function<void(const Delivery &)> m_observer;
};

// Idempotent, acks=all producer; safe to call from any thread. A thread of its own
// serves delivery reports; every report is checked and counted.
class KafkaProducer
{
public:
    static std::unique_ptr<KafkaProducer> create(const KafkaSettings &settings, QString *error,
                                                 const QMap<QString, QString> &extra = {});
    ~KafkaProducer();

    // Queues one message. False with a reason when the local queue stays full for
    // `blockMs` (back-pressure) or the topic is unknown. A non-empty `signature` goes in the
    // "alabos-sig" header (core/bus/streamsigning.h).
    bool produce(const char *topic, const QByteArray &key, const QByteArray &value,
                 DeliveryTracker *tracker, QString *error, int partition = -1, int blockMs = 5000,
                 const QByteArray &signature = {});
    // Queues one message whose report goes to `onDelivered` (once, on the report thread).
    bool produce(const char *topic, const QByteArray &key, const QByteArray &value,
                 std::function<void(const Delivery &report, const QString &error)> onDelivered,
                 QString *error, int blockMs = 5000);
    bool flush(int timeoutMs);
    qint64 outstanding() const;
    qint64 deliveryErrors() const { return m_deliveryErrors.load(); }
    rd_kafka_t *handle() const { return m_handle.get(); }

private:
    KafkaProducer() = default;
    static void onDelivery(rd_kafka_t *, const void *message, void *opaque);
    bool enqueue(const char *topic, const QByteArray &key, const QByteArray &value,
                 DeliveryReceiver *receiver, QString *error, int partition, int blockMs,
                 const QByteArray &signature);

    KafkaHandle m_handle;
    std::thread m_pollThread;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_deliveryErrors{0};
};

} // namespace alabos
