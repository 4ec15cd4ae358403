#pragma once
// A lab for engine tests: the real StorageWriter (PostgreSQL) on its thread, real simulated
// drivers on the pool, the engine on the test thread, operator commands with their replies.
#include "core/drivers/driverpool.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/simulateddevice.h"
#include "core/engine/labengine.h"
#include "core/storage/snapshot.h"
#include "core/storage/storagewriter.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

namespace alabos::test {

struct EngineLab
{
    QString conn;
    QList<DeviceSpec> specs;
    double acceleration;
    QThread storageThread;
    StorageWriter *writer;
    DriverPool pool{2};
    LabEngine engine;
    QHash<QString, SimulatedDevice *> devices;
    QHash<qint64, CommandReply> replies;
    QHash<QString, int> dispatched; // commands sent per device (engine thread = test thread)
    qint64 nextCommandId = 1;

    QString stateDirectory; // devices persist what they ran here (a restart remembers it)

    EngineLab(QString connection, QList<DeviceSpec> deviceSpecs,
              const QHash<QString, FailureScript> &scripts = {}, double accel = 2000,
              QString deviceStateDirectory = {})
        : conn(std::move(connection)), specs(std::move(deviceSpecs)), acceleration(accel),
          stateDirectory(std::move(deviceStateDirectory))
    {
        writer = new StorageWriter(conn);
        writer->moveToThread(&storageThread);
        storageThread.start();
        for (const DeviceSpec &spec : std::as_const(specs))
            addDriver(spec, scripts.value(spec.id));
        pool.connectAll();
        engine.setDispatcher([this](const DeviceCommand &c) {
            ++dispatched[c.deviceId];
            return pool.execute(c);
        });
        engine.setCanceller([this](const QString &d, qint64 id) { pool.cancel(d, id); });
        engine.setReconnector([this](const QString &d) { return pool.reconnect(d); });
        engine.setAwaitDriverLinks(true);
        engine.setDriverHooks(
            [this](const DeviceSpec &spec, QString *error) {
                DeviceDriver *d = addDriver(spec, {}, error);
                if (!d) return false;
                QMetaObject::invokeMethod(d, "connectDevice", Qt::QueuedConnection);
                return true;
            },
            [this](const QString &id) {
                devices.remove(id);
                pool.remove(id);
            });
        engine.setRetryBackoffMs(20);
        QObject::connect(&engine, &LabEngine::changesReady, writer, &StorageWriter::submit);
        QObject::connect(writer, &StorageWriter::committed, &engine, &LabEngine::onCommitted);
        QObject::connect(writer, &StorageWriter::rejected, &engine, &LabEngine::onRejected);
        QObject::connect(&engine, &LabEngine::commandReplied, &engine,
                         [this](const CommandReply &r) { replies.insert(r.commandId, r); });
    }
    ~EngineLab()
    {
        pool.shutdown();
        QMetaObject::invokeMethod(
            writer, [w = writer] { delete w; }, Qt::BlockingQueuedConnection);
        storageThread.quit();
        storageThread.wait();
    }
    // A spec whose config names a driver kind other than "simulated" is built through
    // DriverRegistry, as the application does; the others get a simulated device with the
    // test's failure script.
    DeviceDriver *addDriver(const DeviceSpec &spec, const FailureScript &script,
                            QString *error = nullptr)
    {
        const QString kind = spec.config.value(QLatin1StringView("driver")).toString();
        if (kind.isEmpty() || kind == QLatin1StringView("simulated"))
            return addSimulated(spec, script);
        QString why;
        std::unique_ptr<DeviceDriver> built =
            DriverRegistry::instance().create(spec.config, DriverContext{}, &why);
        if (!built) {
            if (error) *error = why;
            return nullptr;
        }
        DeviceDriver *d = built.release();
        pool.add(d);
        wire(d);
        return d;
    }
    void wire(DeviceDriver *d)
    {
        QObject::connect(d, &DeviceDriver::commandFinished, &engine, &LabEngine::onCommandFinished);
        QObject::connect(d, &DeviceDriver::connectionChanged, &engine, &LabEngine::onDeviceLink);
    }
    SimulatedDevice *addSimulated(const DeviceSpec &spec, const FailureScript &script)
    {
        auto *d = new SimulatedDevice(spec.id, spec.type, acceleration);
        d->setFailureScript(script);
        if (!stateDirectory.isEmpty() && !d->setStateDirectory(stateDirectory))
            qWarning() << "cannot use the device state directory" << stateDirectory;
        devices.insert(spec.id, d);
        pool.add(d);
        wire(d);
        return d;
    }
    // Recovery asks the devices, wired as app/labruntime.cpp does; call before start().
    void askDevicesOnRecovery()
    {
        engine.setStateQuery([this](const QString &device) { return pool.queryState(device); });
        for (DeviceDriver *d : pool.drivers())
            QObject::connect(d, &DeviceDriver::stateReported, &engine,
                             [this](const DeviceStateReport &r) {
                                 engine.onDeviceReport(deviceReportFrom(r));
                             });
    }
    bool start()
    {
        QString error;
        const auto snapshot = loadSnapshot(conn, 0, &error);
        if (!snapshot) {
            qWarning() << error;
            return false;
        }
        engine.start(*snapshot, specs);
        return true;
    }
    // Sends a command and waits for its reply (which comes only after the commit).
    CommandReply command(const QString &kind, const QString &entity, const QJsonObject &args = {},
                         Role role = Role::Admin)
    {
        OperatorCommand c;
        c.id = nextCommandId++;
        c.user = QStringLiteral("ada");
        c.host = QStringLiteral("bench-3");
        c.role = role;
        c.kind = kind;
        c.entityId = entity;
        c.args = args;
        c.timeUs = nowMicros();
        engine.handleCommand(c);
        QDeadlineTimer deadline(20000);
        while (!replies.contains(c.id) && !deadline.hasExpired())
            QTest::qWait(5);
        CommandReply r = replies.value(c.id);
        if (!replies.contains(c.id)) r.message = QStringLiteral("(no reply within 20 s)");
        return r;
    }
    QString q(const QString &sql) const { return queryValue(conn, sql); }
    QString taskStatus(qint64 id) const
    {
        return q(QStringLiteral("SELECT status FROM tasks WHERE id = %1").arg(id));
    }
};

} // namespace alabos::test
