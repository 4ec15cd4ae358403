#include "core/drivers/driverpool.h"

#include <QThread>

namespace alabos {

DriverPool::DriverPool(int threadCount)
{
    registerDriverMetaTypes();
    if (threadCount <= 0)
        threadCount = qBound(1, QThread::idealThreadCount(), 4);
    for (int i = 0; i < threadCount; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("drivers-%1").arg(i));
        thread->start();
        m_threads.append(thread);
        m_load.append(0);
    }
}

DriverPool::~DriverPool()
{
    shutdown();
}

void DriverPool::add(DeviceDriver *driver)
{
    const auto least = std::min_element(m_load.begin(), m_load.end()) - m_load.begin();
    ++m_load[least];
    driver->setParent(nullptr);
    driver->moveToThread(m_threads[least]);
    m_drivers.insert(driver->id(), driver);
}

bool DriverPool::execute(const DeviceCommand &command) const
{
    DeviceDriver *d = m_drivers.value(command.deviceId);
    if (!d)
        return false;
    return QMetaObject::invokeMethod(d, "execute", Qt::QueuedConnection,
                                     Q_ARG(alabos::DeviceCommand, command));
}

void DriverPool::cancel(const QString &deviceId, qint64 commandId) const
{
    if (DeviceDriver *d = m_drivers.value(deviceId))
        QMetaObject::invokeMethod(d, "cancel", Qt::QueuedConnection, Q_ARG(qint64, commandId));
}

void DriverPool::connectAll() const
{
    for (DeviceDriver *d : m_drivers)
        QMetaObject::invokeMethod(d, "connectDevice", Qt::QueuedConnection);
}

void DriverPool::shutdown()
{
    // Drivers are deleted on their own threads, then the threads end.
    for (DeviceDriver *d : std::as_const(m_drivers))
        d->deleteLater();
    m_drivers.clear();
    for (QThread *t : std::as_const(m_threads)) {
        t->quit();
        t->wait();
        delete t;
    }
    m_threads.clear();
}

} // namespace alabos
