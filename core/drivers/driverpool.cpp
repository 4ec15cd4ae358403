#include "core/drivers/driverpool.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>
#include <algorithm>

namespace alabos {

// Lives on one driver thread; one timer samples every device of that thread, and one more
// hands the readings drivers got by themselves to the sink, a batch at most every 50 ms.
class TelemetryTicker : public QObject, public TelemetryCollector
{
public:
    static constexpr int kPushBatchMs = 50;
    static constexpr qsizetype kMaxPushed = 100000;
    TelemetryTicker() : m_timer(this), m_pushTimer(this)
    {
        m_timer.setTimerType(Qt::CoarseTimer);
        connect(&m_timer, &QTimer::timeout, this, &TelemetryTicker::tick);
        m_pushTimer.setSingleShot(true);
        m_pushTimer.setTimerType(Qt::CoarseTimer);
        connect(&m_pushTimer, &QTimer::timeout, this, &TelemetryTicker::flushPushed);
    }
    void add(DeviceDriver *driver)
    {
        m_drivers.push_back(driver);
        driver->setTelemetryCollector(this);
    }
    void collect(const TelemetryReading &reading) override
    {
        if (!m_options.sink) return;
        if (throttled()) { // as a skipped tick: the next reading carries the current value
            ++skippedReadings;
            return;
        }
        if (m_pushed.size() >= kMaxPushed) { // a sink that never returns must not grow us
            ++skippedReadings;
            return;
        }
        m_pushed.append(reading);
        if (!m_pushTimer.isActive()) m_pushTimer.start(kPushBatchMs);
    }
    bool throttled() const override { return m_options.throttle && m_options.throttle(); }
    void flushPushed()
    {
        if (m_pushed.isEmpty() || !m_options.sink) return;
        QList<TelemetryReading> batch = std::exchange(m_pushed, {});
        readings += batch.size();
        m_options.sink(std::move(batch));
    }
    void remove(DeviceDriver *driver)
    {
        driver->setTelemetryCollector(nullptr);
        const auto it = std::find(m_drivers.begin(), m_drivers.end(), driver);
        if (it != m_drivers.end()) {
            *it = m_drivers.back(); // order does not matter: swap and pop
            m_drivers.pop_back();
        }
    }
    void configure(const TelemetryOptions &options)
    {
        m_options = options;
        if (options.rateHz > 0)
            m_timer.start(qMax(1, int(1000.0 / options.rateHz)));
        else
            m_timer.stop();
    }
    void tick()
    {
        ++ticks;
        if (m_options.throttle && m_options.throttle()) {
            ++skipped;
            return;
        }
        const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        QList<TelemetryReading> batch;
        batch.reserve(qsizetype(m_drivers.size()));
        for (DeviceDriver *d : m_drivers)
            d->sampleTelemetry(nowUs, batch);
        readings += batch.size();
        if (m_options.sink && !batch.isEmpty()) m_options.sink(std::move(batch));
    }

    std::atomic<qint64> ticks{0};
    std::atomic<qint64> skipped{0};
    std::atomic<qint64> readings{0};
    std::atomic<qint64> skippedReadings{0}; // pushed while the consumer was behind

private:
    QTimer m_timer;
    QTimer m_pushTimer; // runs only while pushed readings wait
    QList<TelemetryReading> m_pushed;
    std::vector<DeviceDriver *> m_drivers;
    TelemetryOptions m_options;
};

DriverPool::DriverPool(int threadCount)
{
    registerDriverMetaTypes();
    if (threadCount <= 0) threadCount = qBound(1, QThread::idealThreadCount(), 4);
    for (int i = 0; i < threadCount; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("drivers-%1").arg(i));
        thread->start();
        auto *ticker = new TelemetryTicker;
        ticker->moveToThread(thread);
        m_threads.append(thread);
        m_tickers.append(ticker);
        m_load.append(0);
    }
}

DriverPool::~DriverPool()
{
    shutdown();
}

DeviceDriver *DriverPool::driver(const QString &deviceId) const
{
    QReadLocker guard(&m_lock);
    return m_drivers.value(deviceId);
}

QList<DeviceDriver *> DriverPool::drivers() const
{
    QReadLocker guard(&m_lock);
    return m_drivers.values();
}

void DriverPool::add(DeviceDriver *driver)
{
    QWriteLocker guard(&m_lock);
    const int least = int(std::min_element(m_load.begin(), m_load.end()) - m_load.begin());
    ++m_load[least];
    driver->setParent(nullptr);
    driver->moveToThread(m_threads[least]);
    m_drivers.insert(driver->id(), driver);
    m_threadOf.insert(driver->id(), least);
    TelemetryTicker *ticker = m_tickers[least];
    QMetaObject::invokeMethod(
        ticker, [ticker, driver] { ticker->add(driver); }, Qt::QueuedConnection);
}

bool DriverPool::remove(const QString &deviceId)
{
    QWriteLocker guard(&m_lock);
    DeviceDriver *d = m_drivers.take(deviceId);
    if (!d) return false;
    const int t = m_threadOf.take(deviceId);
    --m_load[t];
    TelemetryTicker *ticker = m_tickers[t];
    // On the driver's thread: forget it in the ticker, disconnect, delete.
    QMetaObject::invokeMethod(
        ticker,
        [ticker, d] {
            ticker->remove(d);
            d->disconnect(); // a removed driver says nothing more (its last link-down included)
            d->disconnectDevice();
            delete d;
        },
        Qt::QueuedConnection);
    return true;
}

bool DriverPool::execute(const DeviceCommand &command) const
{
    QReadLocker guard(&m_lock);
    DeviceDriver *d = m_drivers.value(command.deviceId);
    if (!d) return false;
    return QMetaObject::invokeMethod(d, "execute", Qt::QueuedConnection,
                                     Q_ARG(alabos::DeviceCommand, command));
}

void DriverPool::cancel(const QString &deviceId, qint64 commandId) const
{
    QReadLocker guard(&m_lock);
    if (DeviceDriver *d = m_drivers.value(deviceId))
        QMetaObject::invokeMethod(d, "cancel", Qt::QueuedConnection, Q_ARG(qint64, commandId));
}

bool DriverPool::queryState(const QString &deviceId) const
{
    QReadLocker guard(&m_lock);
    DeviceDriver *d = m_drivers.value(deviceId);
    return d && QMetaObject::invokeMethod(d, "queryState", Qt::QueuedConnection);
}

bool DriverPool::reconnect(const QString &deviceId) const
{
    QReadLocker guard(&m_lock);
    DeviceDriver *d = m_drivers.value(deviceId);
    if (!d) return false;
    QMetaObject::invokeMethod(d, "disconnectDevice", Qt::QueuedConnection);
    QMetaObject::invokeMethod(d, "connectDevice", Qt::QueuedConnection);
    return true;
}

void DriverPool::connectAll() const
{
    QReadLocker guard(&m_lock);
    for (DeviceDriver *d : m_drivers)
        QMetaObject::invokeMethod(d, "connectDevice", Qt::QueuedConnection);
}

void DriverPool::disconnectAll() const
{
    QReadLocker guard(&m_lock);
    for (DeviceDriver *d : m_drivers)
        QMetaObject::invokeMethod(d, "disconnectDevice", Qt::QueuedConnection);
}

void DriverPool::setTelemetry(const TelemetryOptions &options)
{
    for (TelemetryTicker *t : std::as_const(m_tickers))
        QMetaObject::invokeMethod(
            t, [t, options] { t->configure(options); }, Qt::QueuedConnection);
}

TelemetryStats DriverPool::telemetryStats() const
{
    TelemetryStats s;
    for (const TelemetryTicker *t : m_tickers) {
        s.ticks += t->ticks;
        s.skippedTicks += t->skipped;
        s.readings += t->readings;
        s.skippedReadings += t->skippedReadings;
    }
    return s;
}

void DriverPool::shutdown()
{
    // Tickers first (they hold plain pointers to drivers), then drivers, all on their own
    // threads, then the threads end.
    for (TelemetryTicker *t : std::as_const(m_tickers))
        t->deleteLater();
    m_tickers.clear();
    {
        QWriteLocker guard(&m_lock);
        for (DeviceDriver *d : std::as_const(m_drivers))
            d->deleteLater();
        m_drivers.clear();
        m_threadOf.clear();
    }
    for (QThread *t : std::as_const(m_threads)) {
        t->quit();
        t->wait();
        delete t;
    }
    m_threads.clear();
    m_load.clear();
}

} // namespace alabos
