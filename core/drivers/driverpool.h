#pragma once
#include "core/drivers/devicedriver.h"

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace alabos {

// How simulated telemetry is sampled: one ticker per driver thread serves all its devices.
struct TelemetryOptions
{
    double rateHz = 0; // 0: off
    // Asked before each tick; true skips the tick (the consumer is behind). Called on
    // driver threads: must be thread-safe. Skipped samples are not queued up: telemetry
    // is a sampled signal, the next tick carries the current value.
    std::function<bool()> throttle;
    // Receives each tick's readings of one thread as one batch, on that driver thread.
    std::function<void(QList<TelemetryReading> &&)> sink;
};

struct TelemetryStats
{
    qint64 ticks = 0;
    qint64 skippedTicks = 0;
    qint64 readings = 0;
    qint64 skippedReadings = 0; // pushed by protocol drivers while the consumer was behind
};

class TelemetryTicker;

// A few threads that host every driver: never a thread per device.
class DriverPool
{
public:
    explicit DriverPool(int threadCount = 0); // 0: min(4, cores)
    ~DriverPool();

    // Takes ownership and moves the driver onto the least loaded thread.
    void add(DeviceDriver *driver);
    // Disconnects and deletes the driver on its thread (hot reconfiguration).
    bool remove(const QString &deviceId);
    // Any thread: the map is guarded (the engine adds and removes drivers at run time while
    // the console asks for descriptions).
    DeviceDriver *driver(const QString &deviceId) const;
    QList<DeviceDriver *> drivers() const;
    int threadCount() const { return int(m_threads.size()); }
    QList<QThread *> threads() const { return m_threads; }

    // Thread-safe: queue a call onto the driver's thread.
    bool execute(const DeviceCommand &command) const;
    void cancel(const QString &deviceId, qint64 commandId) const;
    bool queryState(const QString &deviceId) const; // answers with stateReported
    bool reconnect(const QString &deviceId) const;  // drops and re-opens the device's link
    void connectAll() const;
    void disconnectAll() const;

    void setTelemetry(const TelemetryOptions &options);
    TelemetryStats telemetryStats() const;
    void shutdown();

private:
    QList<QThread *> m_threads;
    QList<TelemetryTicker *> m_tickers;
    mutable QReadWriteLock m_lock; // guards m_load, m_drivers and m_threadOf
    QList<int> m_load;
    QHash<QString, DeviceDriver *> m_drivers;
    QHash<QString, int> m_threadOf;
};

} // namespace alabos
