#pragma once
#include "core/bus/kafka.h"
#include "core/domain/commands.h"

#include <QObject>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>

namespace alabos {

class BrokerWindowGuard;

struct TelemetryCounters
{
    qint64 produced = 0;  // accepted into the local queue
    qint64 delivered = 0; // acknowledged by the broker (acks=all)
    qint64 failed = 0;    // delivery reports with an error (logged)
    qint64 refused = 0;   // publish() said no: queue full or invalid reading; the caller kept it
    qint64 pending() const { return produced - delivered - failed; }
};

struct TelemetryLimits
{
    qint64 highWater = 100000; // pending readings at which drivers are asked to slow down
    qint64 capacity = 400000;  // local queue bound: publish() refuses beyond it
    int stallMs = 2000;        // no acknowledgement for this long with readings waiting
    int checkIntervalMs = 100;
};

// Drivers' path to alabos.telemetry: publish() is thread-safe and never blocks; readings
// are keyed by device id, so librdkafka's key hash spreads devices over the partitions
// and keeps each device's readings in order. The local queue is bounded: past the high
// water mark, or while the broker acknowledges nothing, shouldThrottle() turns true
// (drivers slow their telemetry) and backPressureChanged() says why; at capacity
// publish() refuses; on the embedded broker, also while the persister is far behind (see
// guardBrokerWindow()). Nothing accepted is dropped: messages never time out locally, so
// once the broker is back, delivered catches up with produced.
class TelemetryPublisher : public QObject
{
    Q_OBJECT
public:
    using Limits = TelemetryLimits;

    static std::unique_ptr<TelemetryPublisher> create(const KafkaSettings &settings, QString *error,
                                                      Limits limits = {});
    ~TelemetryPublisher() override;

    // Any thread. False with a reason when the reading is invalid or the queue is full.
    bool publish(const TelemetryReading &reading, QString *error = nullptr);
    // Any thread; cheap (two atomics).
    bool shouldThrottle() const;
    // What the drivers take, so neither side depends on the other's headers.
    std::function<bool()> throttle() const
    {
        return [this] { return shouldThrottle(); };
    }
    // The embedded broker only: drivers also slow down while the guard sees the persister
    // far behind a partition's end (see BrokerWindowGuard). Call before publishing.
    void guardBrokerWindow(std::shared_ptr<BrokerWindowGuard> guard);
    TelemetryCounters counters() const;
    bool flush(int timeoutMs);
    bool backPressure() const { return m_backPressure; }

Q_SIGNALS:
    // Queued to the alarm service, which shows it as an alarm; message is for a person. Sent
    // again, still active, when the reason changes (say the persister fell behind, then Kafka
    // went silent).
    void backPressureChanged(bool active, const QString &message);

private:
    explicit TelemetryPublisher(Limits limits);
    void check();

    Limits m_limits;
    std::unique_ptr<KafkaProducer> m_producer;
    DeliveryTracker m_tracker;
    std::atomic<qint64> m_produced{0};
    std::atomic<qint64> m_refused{0};
    std::atomic<bool> m_stalled{false};
    std::shared_ptr<BrokerWindowGuard> m_windowGuard;
    QTimer m_timer;
    qint64 m_lastDelivered = 0;
    qint64 m_lastProgressMs = 0;
    enum class Pressure
    {
        None,
        KafkaSilent,
        PersisterBehind,
        QueueFull
    };
    Pressure m_pressure = Pressure::None; // as last announced
    bool m_backPressure = false;
};

} // namespace alabos
