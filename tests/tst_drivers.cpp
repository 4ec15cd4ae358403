// The driver interface and the simulated drivers: validation, every failure mode,
// cancellation, reconnect with backoff, queryState across a restart, telemetry, the registry
// and the pool at 10,000 devices.
#include "core/drivers/driverpool.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/simulateddevice.h"

#include <QAbstractEventDispatcher>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <mutex>

using namespace alabos;

namespace {

DeviceCommand cmd(qint64 id, const QString &name, QJsonObject parameters = {})
{
    return {id, {}, name, std::move(parameters), 0};
}

CommandResult resultAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(0).value<CommandResult>();
}

int threadsOfProcess()
{
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

// Fast reconnects so backoff tests run quickly but still show the doubling.
ReconnectPolicy quickPolicy()
{
    ReconnectPolicy p;
    p.initialMs = 20;
    p.factor = 2;
    p.maxMs = 160;
    p.jitter = 0;
    return p;
}

} // namespace

class TestDrivers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerDriverMetaTypes(); }

    void describesItsCommandsWithLimits()
    {
        SimulatedDevice furnace(QStringLiteral("furnace-1"), QStringLiteral("box_furnace"), 1);
        const QJsonArray commands = furnace.describeJson();
        QCOMPARE(commands.size(), 2);
        const QJsonObject heat = commands.at(0).toObject();
        QCOMPARE(heat.value("name").toString(), QStringLiteral("heat"));
        QJsonObject temperature;
        for (const QJsonValue &p : heat.value("parameters").toArray())
            if (p.toObject().value("name") == QStringLiteral("temperature_c"))
                temperature = p.toObject();
        QCOMPARE(temperature.value("type").toString(), QStringLiteral("number"));
        QCOMPARE(temperature.value("unit").toString(), QStringLiteral("°C"));
        QCOMPARE(temperature.value("min").toDouble(), 100.0);
        QCOMPARE(temperature.value("max").toDouble(), 1200.0);
        QCOMPARE(temperature.value("default").toDouble(), 1000.0);
        for (const QString &type : SimulatedDevice::knownTypes()) {
            SimulatedDevice d(QStringLiteral("x"), type, 1);
            QVERIFY2(d.describe().size() == 2, qPrintable(type));
        }
    }

    void badParametersFailBeforeAnyDeviceIo_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QJsonObject>("parameters");
        QTest::addColumn<QString>("message");
        QTest::newRow("above max")
            << "box_furnace"
            << "heat" << QJsonObject{{"temperature_c", 1500}}
            << "parameter \"temperature_c\" = 1500 °C is out of range [100, 1200]";
        QTest::newRow("below min")
            << "box_furnace"
            << "heat" << QJsonObject{{"ramp_c_per_min", 0.1}} << "\"ramp_c_per_min\" = 0.1";
        QTest::newRow("not a number") << "dosing_station"
                                      << "dose" << QJsonObject{{"mass_mg", "lots"}}
                                      << "parameter \"mass_mg\" must be a number";
        QTest::newRow("unknown parameter")
            << "grinder"
            << "grind" << QJsonObject{{"sped_rpm", 300}} << "unknown parameter \"sped_rpm\"";
        QTest::newRow("unknown command") << "xrd"
                                         << "fire" << QJsonObject{} << "has no command \"fire\"";
        QTest::newRow("not a string")
            << "robot_arm"
            << "transfer" << QJsonObject{{"to", 3}} << "parameter \"to\" must be a string";
        QTest::newRow("cross-parameter")
            << "xrd"
            << "measure" << QJsonObject{{"two_theta_start", 60}, {"two_theta_end", 20}}
            << "\"two_theta_start\" must be below \"two_theta_end\"";
        QTest::newRow("negative duration") << "grinder"
                                           << "grind" << QJsonObject{{"duration_s", -4}}
                                           << "\"duration_s\" = -4 s is out of range";
    }
    void badParametersFailBeforeAnyDeviceIo()
    {
        QFETCH(QString, type);
        QFETCH(QString, command);
        QFETCH(QJsonObject, parameters);
        QFETCH(QString, message);
        SimulatedDevice d(QStringLiteral("dev"), type, 1000);
        FailureScript script;
        script.failOnNth = 1; // tells whether the refused command counted as device I/O
        script.failTransient = false;
        d.setFailureScript(script);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        d.execute(cmd(1, command, parameters));
        QCOMPARE(done.size(), 1);
        const CommandResult r = resultAt(done, 0);
        QCOMPARE(r.commandId, qint64(1));
        QVERIFY(!r.ok);
        QVERIFY(!r.transient);
        QVERIFY2(r.message.contains(message), qPrintable(r.message));
        QCOMPARE(toString(d.status()), toString(DriverStatus::Idle));
        // The next valid command is the device's first: the refused one never reached it
        // (the cross-parameter check is the device's own and counts as its first).
        d.execute(cmd(2, d.describe().first().name, {{"duration_s", 0.01}}));
        QTRY_COMPARE(done.size(), 2);
        const bool crossCheck = QTest::currentDataTag() == QByteArray("cross-parameter");
        QCOMPARE(resultAt(done, 1).ok, crossCheck);
    }

    void defaultsAreFilledAndResultsCarryData()
    {
        SimulatedDevice xrd(QStringLiteral("xrd-1"), QStringLiteral("xrd"), 1000);
        SimulatedDevice balance(QStringLiteral("balance-1"), QStringLiteral("balance"), 1000);
        SimulatedDevice doser(QStringLiteral("doser-1"), QStringLiteral("dosing_station"), 1000);
        QSignalSpy x(&xrd, &DeviceDriver::commandFinished);
        QSignalSpy b(&balance, &DeviceDriver::commandFinished);
        QSignalSpy m(&doser, &DeviceDriver::commandFinished);
        for (DeviceDriver *d :
             {(DeviceDriver *)&xrd, (DeviceDriver *)&balance, (DeviceDriver *)&doser})
            d->connectDevice();
        xrd.execute(cmd(7, QStringLiteral("measure"), {{"duration_s", 1}, {"command", "measure"}}));
        balance.execute(cmd(8, QStringLiteral("weigh")));
        doser.execute(cmd(9, QStringLiteral("dose"), {{"mass_mg", 1200}}));
        QTRY_COMPARE_WITH_TIMEOUT(x.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(b.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m.size(), 1, 10000);
        QVERIFY(resultAt(x, 0).ok);
        QCOMPARE(resultAt(x, 0).data.value("pattern_id").toString(),
                 QStringLiteral("xrd-1-000001"));
        QCOMPARE(resultAt(x, 0).data.value("points").toInt(), 3501); // (80 - 10) / 0.02 + 1
        const double mass = resultAt(b, 0).data.value("mass_g").toDouble();
        QVERIFY2(mass > 19.9 && mass < 30.1, qPrintable(QString::number(mass)));
        const double dosed = resultAt(m, 0).data.value("dispensed_mg").toDouble();
        QVERIFY(qAbs(dosed - 1200) <= 6.0 + 1e-9);
    }

    void failOnNth_data()
    {
        QTest::addColumn<bool>("transient");
        QTest::newRow("transient") << true;
        QTest::newRow("permanent") << false;
    }
    void failOnNth()
    {
        QFETCH(bool, transient);
        SimulatedDevice d(QStringLiteral("g"), QStringLiteral("grinder"), 1000);
        FailureScript s;
        s.failOnNth = 2;
        s.failTransient = transient;
        d.setFailureScript(s);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        for (int i = 1; i <= 3; ++i) {
            d.execute(cmd(i, QStringLiteral("grind"), {{"duration_s", 1}}));
            QTRY_COMPARE(done.size(), i);
        }
        QVERIFY(resultAt(done, 0).ok);
        QVERIFY(!resultAt(done, 1).ok);
        QCOMPARE(resultAt(done, 1).transient, transient);
        QVERIFY(
            resultAt(done, 1).message.contains(QStringLiteral("simulated failure of command 2")));
        QVERIFY(resultAt(done, 2).ok);
    }

    void wrongReplyIsATransientFailure()
    {
        SimulatedDevice d(QStringLiteral("b"), QStringLiteral("balance"), 1000);
        FailureScript s;
        s.wrongReplyOnNth = 1;
        d.setFailureScript(s);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        d.execute(cmd(1, QStringLiteral("weigh")));
        QTRY_COMPARE(done.size(), 1);
        QVERIFY(!resultAt(done, 0).ok);
        QVERIFY(resultAt(done, 0).transient);
        QVERIFY(resultAt(done, 0).message.contains(QStringLiteral("unparseable reply")));
        QVERIFY(resultAt(done, 0).data.isEmpty());
    }

    void neverAnswerHoldsUntilCancelled()
    {
        SimulatedDevice d(QStringLiteral("x"), QStringLiteral("xrd"), 1000);
        FailureScript s;
        s.neverAnswerOnNth = 1;
        d.setFailureScript(s);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        d.execute(cmd(5, QStringLiteral("measure"), {{"duration_s", 0.01}}));
        QTest::qWait(300); // 30 times the command's duration: it must stay silent
        QCOMPARE(done.size(), 0);
        QCOMPARE(toString(d.status()), toString(DriverStatus::Busy));
        // Busy: a second command is refused (transient), the first keeps the device.
        d.execute(cmd(6, QStringLiteral("measure")));
        QCOMPARE(done.size(), 1);
        QCOMPARE(resultAt(done, 0).commandId, qint64(6));
        QVERIFY(resultAt(done, 0).transient);
        QVERIFY(resultAt(done, 0).message.contains(QStringLiteral("busy with command 5")));
        d.cancel(5);
        QCOMPARE(done.size(), 2);
        QCOMPARE(resultAt(done, 1).commandId, qint64(5));
        QVERIFY(resultAt(done, 1).cancelled);
        QCOMPARE(toString(d.status()), toString(DriverStatus::Idle));
    }

    void cancellationAnswersExactlyOnce()
    {
        SimulatedDevice d(QStringLiteral("f"), QStringLiteral("box_furnace"), 1);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        d.execute(cmd(11, QStringLiteral("heat"), {{"duration_s", 3600}}));
        QCOMPARE(toString(d.status()), toString(DriverStatus::Busy));
        d.cancel(99); // not running here: ignored
        QCOMPARE(done.size(), 0);
        d.cancel(11);
        QCOMPARE(done.size(), 1);
        QVERIFY(resultAt(done, 0).cancelled);
        QVERIFY(!resultAt(done, 0).ok);
        d.cancel(11); // already answered
        QTest::qWait(50);
        QCOMPARE(done.size(), 1);
        // The device is usable again at once.
        d.execute(cmd(12, QStringLiteral("heat"), {{"duration_s", 0.01}}));
        QTRY_COMPARE(done.size(), 2);
        QVERIFY(resultAt(done, 1).ok);
    }

    void slowFactorStretchesCommands()
    {
        SimulatedDevice d(QStringLiteral("g"), QStringLiteral("grinder"), 1);
        FailureScript s;
        s.slowFactor = 20; // 0.1 s becomes about 2 s (+-10 %)
        d.setFailureScript(s);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        QElapsedTimer t;
        t.start();
        d.execute(cmd(1, QStringLiteral("grind"), {{"duration_s", 0.1}}));
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        QVERIFY2(t.elapsed() >= 1700, qPrintable(QString::number(t.elapsed())));
        QVERIFY(resultAt(done, 0).ok);
    }

    void communicationLostNeverConnects()
    {
        SimulatedDevice d(QStringLiteral("r"), QStringLiteral("robot_arm"), 1000);
        FailureScript s;
        s.communicationLost = true;
        d.setFailureScript(s);
        d.setReconnectPolicy(quickPolicy());
        QSignalSpy scheduled(&d, &DeviceDriver::reconnectScheduled);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 6, 10000);
        QVERIFY(!d.isConnected());
        // Delays double up to the cap: 20, 40, 80, 160, 160...
        const QList<int> expected{20, 40, 80, 160, 160};
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE(scheduled.at(i).at(1).toInt(), i + 1);
            QCOMPARE(scheduled.at(i).at(2).toInt(), expected[i]);
        }
        d.execute(cmd(1, QStringLiteral("transfer")));
        QCOMPARE(done.size(), 1);
        QVERIFY(resultAt(done, 0).transient);
        QVERIFY(resultAt(done, 0).message.contains(QStringLiteral("not connected")));
        // A disconnect stops the retries.
        d.disconnectDevice();
        const int attempts = int(scheduled.size());
        QTest::qWait(400);
        QCOMPARE(int(scheduled.size()), attempts);
    }

    void communicationLostMidRunReconnectsWithBackoff()
    {
        SimulatedDevice d(QStringLiteral("h"), QStringLiteral("liquid_handler"), 1000);
        FailureScript s;
        s.communicationLostOnNth = 2;
        s.reconnectFailures = 3;
        d.setFailureScript(s);
        d.setReconnectPolicy(quickPolicy());
        QSignalSpy scheduled(&d, &DeviceDriver::reconnectScheduled);
        QSignalSpy connection(&d, &DeviceDriver::connectionChanged);
        QSignalSpy done(&d, &DeviceDriver::commandFinished);
        d.connectDevice();
        QCOMPARE(connection.size(), 1);
        QVERIFY(connection.at(0).at(1).toBool());
        d.execute(cmd(1, QStringLiteral("pipette"), {{"duration_s", 0.01}}));
        QTRY_COMPARE(done.size(), 1);
        d.execute(cmd(2, QStringLiteral("pipette"), {{"duration_s", 0.01}}));
        // The running command fails at once (transient); the link is reported down.
        QCOMPARE(done.size(), 2);
        QVERIFY(!resultAt(done, 1).ok);
        QVERIFY(resultAt(done, 1).transient);
        QVERIFY(resultAt(done, 1).message.contains(QStringLiteral("communication lost")));
        QVERIFY(!connection.at(1).at(1).toBool());
        // Three failed attempts, then the fourth connects.
        QTRY_VERIFY_WITH_TIMEOUT(d.isConnected(), 10000);
        QCOMPARE(scheduled.size(), 4);
        QCOMPARE(scheduled.at(0).at(2).toInt(), 20);
        QCOMPARE(scheduled.at(1).at(2).toInt(), 40);
        QCOMPARE(scheduled.at(2).at(2).toInt(), 80);
        QCOMPARE(scheduled.at(3).at(2).toInt(), 160);
        QVERIFY(connection.last().at(1).toBool());
        QCOMPARE(d.reconnectAttempt(), 0);
        d.execute(cmd(3, QStringLiteral("pipette"), {{"duration_s", 0.01}}));
        QTRY_COMPARE(done.size(), 3);
        QVERIFY(resultAt(done, 2).ok);
    }

    void queryStateAfterRestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            SimulatedDevice d(QStringLiteral("xrd-7"), QStringLiteral("xrd"), 1000);
            QVERIFY(d.setStateDirectory(dir.path()));
            QSignalSpy done(&d, &DeviceDriver::commandFinished);
            d.connectDevice();
            d.execute(cmd(41, QStringLiteral("measure"), {{"duration_s", 0.01}}));
            QTRY_COMPARE(done.size(), 1);
            QSignalSpy state(&d, &DeviceDriver::stateReported);
            d.queryState();
            const auto r = state.at(0).at(0).value<DeviceStateReport>();
            QCOMPARE(toString(r.status), toString(DriverStatus::Idle));
            QCOMPARE(r.lastFinishedCommandId, qint64(41));
            QCOMPARE(r.runningCommandId, qint64(0));
            QVERIFY(r.persistent);
        } // the process "restarts": the object is gone
        {
            SimulatedDevice d(QStringLiteral("xrd-7"), QStringLiteral("xrd"), 1000);
            QVERIFY(d.setStateDirectory(dir.path()));
            QSignalSpy state(&d, &DeviceDriver::stateReported);
            d.connectDevice();
            d.queryState();
            auto r = state.at(0).at(0).value<DeviceStateReport>();
            QCOMPARE(r.lastFinishedCommandId, qint64(41));
            QVERIFY(r.lastResult.ok);
            QCOMPARE(r.lastResult.data.value("pattern_id").toString(),
                     QStringLiteral("xrd-7-000001"));
            QCOMPARE(r.interruptedCommandId, qint64(0));
            // Now a crash while command 42 runs.
            FailureScript hang;
            hang.neverAnswerOnNth = 1;
            d.setFailureScript(hang);
            d.execute(cmd(42, QStringLiteral("measure")));
            d.queryState();
            r = state.at(1).at(0).value<DeviceStateReport>();
            QCOMPARE(toString(r.status), toString(DriverStatus::Busy));
            QCOMPARE(r.runningCommandId, qint64(42));
        }
        {
            SimulatedDevice d(QStringLiteral("xrd-7"), QStringLiteral("xrd"), 1000);
            QVERIFY(d.setStateDirectory(dir.path()));
            QSignalSpy state(&d, &DeviceDriver::stateReported);
            d.connectDevice();
            d.queryState();
            const auto r = state.at(0).at(0).value<DeviceStateReport>();
            QCOMPARE(toString(r.status), toString(DriverStatus::Idle));
            QCOMPARE(r.lastFinishedCommandId, qint64(41)); // 42 never finished: run it again
            QCOMPARE(r.interruptedCommandId, qint64(42));
        }
        // Without a directory nothing survives, and the report says so.
        SimulatedDevice fresh(QStringLiteral("xrd-7"), QStringLiteral("xrd"), 1000);
        QSignalSpy state(&fresh, &DeviceDriver::stateReported);
        fresh.queryState();
        QVERIFY(!state.at(0).at(0).value<DeviceStateReport>().persistent);
        // A damaged state file is reported and ignored, never fatal.
        QFile bad(dir.filePath(QStringLiteral("bad-1.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{not json");
        bad.close();
        SimulatedDevice damaged(QStringLiteral("bad-1"), QStringLiteral("xrd"), 1000);
        QString why;
        QVERIFY(damaged.setStateDirectory(dir.path(), &why));
        QVERIFY(why.contains(QStringLiteral("unreadable state file")));
    }

    void furnaceTelemetryFollowsTheProfile()
    {
        DriverPool pool(1);
        auto *furnace =
            new SimulatedDevice(QStringLiteral("furnace-1"), QStringLiteral("box_furnace"), 1);
        pool.add(furnace);
        std::mutex lock;
        QList<double> temperatures;
        TelemetryOptions options;
        options.rateHz = 50;
        options.sink = [&](QList<TelemetryReading> &&batch) {
            std::lock_guard guard(lock);
            for (const TelemetryReading &r : batch)
                if (r.metric == QStringLiteral("temperature_c")) temperatures.append(r.value);
        };
        pool.setTelemetry(options);
        QSignalSpy done(furnace, &DeviceDriver::commandFinished);
        pool.connectAll();
        QTRY_VERIFY(furnace->isConnected());
        // 600 °C at 30 °C/min (19.2 min), hold 10 min, cool at 10 °C/min to 100 (50 min),
        // compressed into 2 s.
        pool.execute(
            {1,
             QStringLiteral("furnace-1"),
             QStringLiteral("heat"),
             {{"temperature_c", 600}, {"ramp_c_per_min", 30}, {"hold_min", 10}, {"duration_s", 2}},
             0});
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        QVERIFY(resultAt(done, 0).ok);
        QCOMPARE(resultAt(done, 0).data.value("peak_c").toDouble(), 600.0);
        QCOMPARE(resultAt(done, 0).data.value("profile_min").toDouble(),
                 600.0 / 30 - 25.0 / 30 + 10 + 50);
        std::lock_guard guard(lock);
        QVERIFY(temperatures.size() > 20);
        const double peak = *std::max_element(temperatures.begin(), temperatures.end());
        QVERIFY2(peak > 595 && peak < 601, qPrintable(QString::number(peak)));
        QVERIFY(temperatures.first() < 100); // started at ambient
        int atHold = 0;
        for (double t : temperatures)
            atHold += (t > 598) ? 1 : 0;
        QVERIFY(atHold >= 2); // the hold shows as a plateau
    }

    void throttleSkipsTicks()
    {
        DriverPool pool(2);
        for (int i = 0; i < 100; ++i)
            pool.add(
                new SimulatedDevice(QStringLiteral("b-%1").arg(i), QStringLiteral("balance"), 1));
        pool.connectAll();
        std::atomic<bool> behind{true};
        std::atomic<qint64> delivered{0};
        TelemetryOptions options;
        options.rateHz = 100;
        options.throttle = [&] { return behind.load(); };
        options.sink = [&](QList<TelemetryReading> &&batch) { delivered += batch.size(); };
        pool.setTelemetry(options);
        QTRY_VERIFY(pool.telemetryStats().skippedTicks >= 10);
        QCOMPARE(delivered.load(), qint64(0));
        QCOMPARE(pool.telemetryStats().readings, qint64(0));
        behind = false;
        QTRY_VERIFY(delivered.load() >= 500);
        const TelemetryStats s = pool.telemetryStats();
        QVERIFY(s.ticks > s.skippedTicks);
    }

    void registryBuildsAndRefuses_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("ok")
            << QByteArray(
                   R"({"id":"f-1","type":"box_furnace","driver":"simulated","acceleration":10,"failures":{"fail_on_nth":2,"fail_transient":false}})")
            << "";
        QTest::newRow("no id") << QByteArray(R"({"type":"box_furnace","driver":"simulated"})")
                               << "field \"id\" must be a non-empty string";
        QTest::newRow("no type") << QByteArray(R"({"id":"a","driver":"simulated"})")
                                 << "device a: field \"type\" must be a non-empty string";
        QTest::newRow("bad driver") << QByteArray(R"({"id":"a","type":"xrd","driver":"opcua"})")
                                    << "device a: field \"driver\" must be one of simulated";
        QTest::newRow("no driver")
            << QByteArray(R"({"id":"a","type":"xrd"})") << "field \"driver\" must be one of";
        QTest::newRow("unknown type")
            << QByteArray(R"({"id":"a","type":"nmr","driver":"simulated"})")
            << "field \"type\": no simulated device of type \"nmr\"";
        QTest::newRow("bad acceleration")
            << QByteArray(R"({"id":"a","type":"xrd","driver":"simulated","acceleration":-1})")
            << "field \"acceleration\"";
        QTest::newRow("typo")
            << QByteArray(R"({"id":"a","type":"xrd","driver":"simulated","acceleraton":2})")
            << "unknown field \"acceleraton\"";
        QTest::newRow("bad failure")
            << QByteArray(
                   R"({"id":"a","type":"xrd","driver":"simulated","failures":{"fail_on_nth":-2}})")
            << "field \"failures\": failures: field \"fail_on_nth\" has a bad value";
        // int() of a count beyond int was undefined behaviour.
        QTest::newRow("failure count beyond int")
            << QByteArray(
                   R"({"id":"a","type":"xrd","driver":"simulated","failures":{"fail_on_nth":1e300}})")
            << "field \"failures\": failures: field \"fail_on_nth\" has a bad value";
        QTest::newRow("unknown failure")
            << QByteArray(
                   R"({"id":"a","type":"xrd","driver":"simulated","failures":{"explode":true}})")
            << "unknown field \"explode\"";
    }
    void registryBuildsAndRefuses()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QString error;
        auto driver =
            DriverRegistry::instance().create(QJsonDocument::fromJson(json).object(), {}, &error);
        if (message.isEmpty()) {
            QVERIFY2(driver, qPrintable(error));
            QCOMPARE(driver->id(), QStringLiteral("f-1"));
            QCOMPARE(driver->type(), QStringLiteral("box_furnace"));
            auto *sim = qobject_cast<SimulatedDevice *>(driver.get());
            QVERIFY(sim);
            QCOMPARE(sim->acceleration(), 10.0);
        } else {
            QVERIFY(!driver);
            QVERIFY2(error.contains(message), qPrintable(error));
        }
    }

    void poolScalesToTenThousandDevices()
    {
        DriverPool pool(2);
        QCOMPARE(pool.threadCount(), 2);
        // Other tests' helper threads may still be ending: measure after the pool exists and
        // require that 10,000 devices add none (a thread per device would add 10,000).
        const int withPool = threadsOfProcess();
        const QStringList types = SimulatedDevice::knownTypes();
        QObject receiver;
        qint64 ok = 0, connected = 0;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 10000; ++i) {
            auto *d =
                new SimulatedDevice(QStringLiteral("d-%1").arg(i), types[i % types.size()], 1e6);
            QObject::connect(
                d, &DeviceDriver::commandFinished, &receiver,
                [&](const CommandResult &r) { ok += r.ok; }, Qt::QueuedConnection);
            QObject::connect(
                d, &DeviceDriver::connectionChanged, &receiver,
                [&](const QString &, bool up) { connected += up; }, Qt::QueuedConnection);
            pool.add(d);
        }
        QVERIFY(threadsOfProcess() <= withPool); // no thread per device
        pool.connectAll();
        QTRY_COMPARE_WITH_TIMEOUT(connected, qint64(10000), 60000);
        // Idle: not one timer registered for any device (only the two tickers' would be).
        for (QThread *thread : pool.threads()) {
            int timers = -1;
            QMetaObject::invokeMethod(
                QAbstractEventDispatcher::instance(thread),
                [&] {
                    timers = 0;
                    for (DeviceDriver *d : pool.drivers())
                        if (d->thread() == QThread::currentThread())
                            timers += int(
                                QAbstractEventDispatcher::instance()->registeredTimers(d).size());
                },
                Qt::BlockingQueuedConnection);
            QCOMPARE(timers, 0);
        }
        for (int i = 0; i < 10000; ++i)
            pool.execute({i + 1,
                          QStringLiteral("d-%1").arg(i),
                          pool.driver(QStringLiteral("d-%1").arg(i))->describe().first().name,
                          {{"duration_s", 1}},
                          0});
        QTRY_COMPARE_WITH_TIMEOUT(ok, qint64(10000), 60000);
        std::atomic<qint64> readings{0};
        TelemetryOptions options;
        options.rateHz = 10;
        options.sink = [&](QList<TelemetryReading> &&batch) { readings += batch.size(); };
        pool.setTelemetry(options);
        QTRY_VERIFY_WITH_TIMEOUT(readings.load() >= 30000, 30000); // every device, several ticks
        qInfo() << "10,000 devices: connected, one command each, telemetry in" << t.elapsed()
                << "ms";
        QVERIFY(pool.remove(QStringLiteral("d-0")));
        QVERIFY(!pool.driver(QStringLiteral("d-0")));
        QVERIFY(!pool.remove(QStringLiteral("d-0")));
    }
};

QTEST_GUILESS_MAIN(TestDrivers)
#include "tst_drivers.moc"
