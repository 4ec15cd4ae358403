#include "core/bus/telemetrypublisher.h"

#include "core/bus/brokerwindow.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QDateTime>

namespace alabos {

TelemetryPublisher::TelemetryPublisher(Limits limits) : m_limits(limits), m_timer(this)
{
    m_timer.setInterval(m_limits.checkIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &TelemetryPublisher::check);
}

std::unique_ptr<TelemetryPublisher> TelemetryPublisher::create(const KafkaSettings &settings,
                                                               QString *error, Limits limits)
{
    std::unique_ptr<TelemetryPublisher> publisher(new TelemetryPublisher(limits));
    // linger.ms 3: librdkafka sends one produce request per partition, and an idempotent
    // producer keeps at most five in flight. At 100,000 readings/s a 1 ms linger made about
    // 7,000 requests a second, and the readings queued behind them; 3 ms batches them
    // into fewer, larger requests (BENCHMARKS.md, pipeline), for about 2 ms more latency at
    // low rates.
    publisher->m_producer = KafkaProducer::create(
        settings, error,
        {{QStringLiteral("linger.ms"), QStringLiteral("3")},
         {QStringLiteral("queue.buffering.max.messages"), QString::number(limits.capacity)},
         {QStringLiteral("queue.buffering.max.kbytes"), QStringLiteral("1048576")}});
    if (!publisher->m_producer) return nullptr;
    publisher->m_lastProgressMs = QDateTime::currentMSecsSinceEpoch();
    publisher->m_timer.start();
    return publisher;
}

TelemetryPublisher::~TelemetryPublisher()
{
    // The producer's delivery reports point at m_tracker: wait for them, then destroy the
    // producer first.
    if (m_producer && !m_producer->flush(5000))
        qCWarning(lcBus) << "telemetry publisher closed with" << counters().pending()
                         << "readings not acknowledged by Kafka";
    m_producer.reset();
}

bool TelemetryPublisher::publish(const TelemetryReading &reading, QString *error)
{
    const QByteArray value = encodeReading(reading, error);
    if (value.isEmpty()) {
        ++m_refused;
        return false;
    }
    if (counters().pending() >= m_limits.capacity) {
        ++m_refused;
        if (error)
            *error = tr("the telemetry queue is full (%1 readings wait for Kafka)")
                         .arg(counters().pending());
        return false;
    }
    // Counted before produce so pending() never goes negative when a report is quick.
    const QByteArray key = reading.deviceId.toUtf8();
    ++m_produced;
    if (m_windowGuard) m_windowGuard->published(key.size() + value.size());
    if (!m_producer->produce(topic::Telemetry, key, value, &m_tracker, error, -1, 0)) {
        if (m_windowGuard) // no report will come for it
            m_windowGuard->delivered({false, -1, -1, key.size() + value.size()});
        --m_produced;
        ++m_refused;
        return false;
    }
    return true;
}

void TelemetryPublisher::guardBrokerWindow(std::shared_ptr<BrokerWindowGuard> guard)
{
    m_windowGuard = std::move(guard);
    BrokerWindowGuard *raw = m_windowGuard.get();
    m_tracker.setObserver([raw](const Delivery &report) {
        if (raw) raw->delivered(report);
    });
}

bool TelemetryPublisher::shouldThrottle() const
{
    return m_stalled.load(std::memory_order_relaxed) ||
           (m_windowGuard && m_windowGuard->behind()) ||
           m_produced.load(std::memory_order_relaxed) - m_tracker.succeeded() - m_tracker.failed() >
               m_limits.highWater;
}

TelemetryCounters TelemetryPublisher::counters() const
{
    TelemetryCounters c;
    // Reports first: a report never precedes its produce count, so pending stays >= 0.
    c.delivered = m_tracker.succeeded();
    c.failed = m_tracker.failed();
    c.produced = m_produced.load();
    c.refused = m_refused.load();
    return c;
}

bool TelemetryPublisher::flush(int timeoutMs)
{
    return m_producer->flush(timeoutMs);
}

void TelemetryPublisher::check()
{
    const TelemetryCounters c = counters();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 acknowledged = c.delivered + c.failed;
    if (acknowledged != m_lastDelivered || c.pending() == 0) {
        m_lastDelivered = acknowledged;
        m_lastProgressMs = now;
        m_stalled = false;
    } else if (now - m_lastProgressMs > m_limits.stallMs) {
        m_stalled = true;
    }
    // Why drivers are slowed now; a change of reason is announced too.
    Pressure reason = Pressure::None;
    if (m_stalled)
        reason = Pressure::KafkaSilent;
    else if (m_windowGuard && m_windowGuard->behind())
        reason = Pressure::PersisterBehind;
    else if (shouldThrottle())
        reason = Pressure::QueueFull;
    if (reason == m_pressure) return;
    const Pressure previous = m_pressure;
    m_pressure = reason;
    const bool active = reason != Pressure::None;
    m_backPressure = active;
    QString message;
    switch (reason) {
    case Pressure::None:
        message = previous == Pressure::PersisterBehind
                      ? tr("The telemetry persister has caught up with the embedded broker; "
                           "devices send telemetry at their own rate again")
                      : tr("Telemetry flows to Kafka again; all %1 waiting readings delivered or "
                           "on their way")
                            .arg(c.pending());
        break;
    case Pressure::KafkaSilent:
        message = tr("Kafka has acknowledged no telemetry for %1 s; %2 readings wait in the local "
                     "queue and devices slow their telemetry")
                      .arg(m_limits.stallMs / 1000.0, 0, 'f', 1)
                      .arg(c.pending());
        break;
    case Pressure::PersisterBehind:
        message = tr("The telemetry persister is %1 MB behind on %2, near the embedded "
                     "broker's %3 MB window per partition; devices slow their telemetry so that "
                     "nothing is dropped")
                      .arg(m_windowGuard->behindBytes() / 1048576.0, 0, 'f', 1)
                      .arg(QLatin1StringView(topic::Telemetry))
                      .arg(m_windowGuard->windowBytes() / 1048576.0, 0, 'f', 0);
        break;
    case Pressure::QueueFull:
        message = tr("Telemetry queue past its high-water mark (%1 of %2 readings waiting); "
                     "devices slow their telemetry")
                      .arg(c.pending())
                      .arg(m_limits.highWater);
        break;
    }
    if (active)
        qCWarning(lcBus).noquote() << message;
    else
        qCInfo(lcBus).noquote() << message;
    Q_EMIT backPressureChanged(active, message);
}

} // namespace alabos
