#pragma once
#include "core/drivers/devicedriver.h"

#include <QHash>
#include <QList>

class QThread;

namespace alabos {

// A few threads that host every driver: never a thread per device.
class DriverPool
{
public:
    explicit DriverPool(int threadCount = 0); // 0: min(4, cores)
    ~DriverPool();

    // Takes ownership and moves the driver onto the least loaded thread.
    void add(DeviceDriver *driver);
    DeviceDriver *driver(const QString &deviceId) const { return m_drivers.value(deviceId); }
    QList<DeviceDriver *> drivers() const { return m_drivers.values(); }
    int threadCount() const { return int(m_threads.size()); }

    // Thread-safe: queue a call onto the driver's thread.
    bool execute(const DeviceCommand &command) const;
    void cancel(const QString &deviceId, qint64 commandId) const;
    void connectAll() const;
    void shutdown();

private:
    QList<QThread *> m_threads;
    QList<int> m_load;
    QHash<QString, DeviceDriver *> m_drivers;
};

} // namespace alabos
