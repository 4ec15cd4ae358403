// The process driver kind against real programs: the example Python furnace driver
// (examples/drivers/furnace_driver.py) and a driver that breaks the protocol on purpose
// (tests/drivers/misbehaving_driver.py), each started by the driver as alabos does.
#include "core/drivers/driverregistry.h"
#include "core/drivers/processdriver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;

namespace {

QString examples()
{
    return QStringLiteral(ALABOS_EXAMPLES_DIR);
}
QString tests()
{
    return QStringLiteral(ALABOS_TESTS_DIR);
}

QJsonObject furnace(QJsonObject settings)
{
    return {{QStringLiteral("id"), QStringLiteral("tube-1")},
            {QStringLiteral("type"), QStringLiteral("tube_furnace")},
            {QStringLiteral("driver"), QStringLiteral("process")},
            {QStringLiteral("program"), examples() + QStringLiteral("/drivers/furnace_driver.py")},
            {QStringLiteral("settings"), settings}};
}

QJsonObject misbehaving(const QString &mode, QJsonObject extra = {}, const QString &counter = {})
{
    QJsonObject settings{{QStringLiteral("mode"), mode}};
    if (!counter.isEmpty()) settings.insert(QStringLiteral("counter"), counter);
    extra.insert(QStringLiteral("id"), QStringLiteral("odd-1"));
    extra.insert(QStringLiteral("type"), QStringLiteral("odd"));
    extra.insert(QStringLiteral("driver"), QStringLiteral("process"));
    extra.insert(QStringLiteral("program"),
                 tests() + QStringLiteral("/drivers/misbehaving_driver.py"));
    extra.insert(QStringLiteral("settings"), settings);
    return extra;
}

// A driver under test with its signals recorded and a quick backoff.
struct Rig
{
    std::unique_ptr<ProcessDriver> driver;
    std::unique_ptr<QSignalSpy> finished, link, readings, scheduled;
    QString error;

    explicit Rig(const QJsonObject &config)
    {
        auto built = DriverRegistry::instance().create(config, DriverContext{}, &error);
        if (!built) return;
        driver.reset(static_cast<ProcessDriver *>(built.release()));
        ReconnectPolicy quick;
        quick.initialMs = 100;
        quick.maxMs = 400;
        quick.jitter = 0;
        driver->setReconnectPolicy(quick);
        finished = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::commandFinished);
        link = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::connectionChanged);
        readings = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::telemetry);
        scheduled = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::reconnectScheduled);
        driver->connectDevice();
    }
    ~Rig()
    {
        if (driver) driver->disconnectDevice();
    }
    bool waitConnected(int timeoutMs = 15000)
    {
        return QTest::qWaitFor([&] { return driver->isConnected(); }, timeoutMs);
    }
    CommandResult run(qint64 id, const QString &name, const QJsonObject &parameters = {},
                      int timeoutMs = 15000)
    {
        const qsizetype before = finished->size();
        driver->execute({id, driver->id(), name, parameters, 0});
        if (!QTest::qWaitFor([&] { return finished->size() > before; }, timeoutMs))
            return {id, driver->id(), false, false, false, QStringLiteral("(no answer)"), {}};
        return finished->at(before).at(0).value<CommandResult>();
    }
    QString lastLinkMessage() const
    {
        return link->isEmpty() ? QString() : link->last().at(2).toString();
    }
};

int countLines(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? int(f.readAll().count('\n')) : 0;
}

} // namespace

class TstProcessDriver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerDriverMetaTypes(); }

    void theExampleFurnaceDescribesItselfHeatsAndReportsTelemetry()
    {
        Rig rig(furnace(
            {{QStringLiteral("ramp_c_per_s"), 2000}, {QStringLiteral("telemetry_hz"), 20}}));
        QVERIFY2(rig.driver, qPrintable(rig.error));
        QVERIFY(rig.waitConnected());
        QVERIFY2(rig.lastLinkMessage().contains(QStringLiteral("TUBE-FURNACE")),
                 qPrintable(rig.lastLinkMessage()));
        QStringList names;
        for (const CommandDescription &c : rig.driver->describe())
            names << c.name;
        QCOMPARE(names, (QStringList{QStringLiteral("heat"), QStringLiteral("cool")}));
        // Refused before anything is sent: the described limits apply.
        CommandResult r =
            rig.run(1, QStringLiteral("heat"), {{QStringLiteral("temperature_c"), 5000}});
        QVERIFY(!r.ok && !r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("out of range")), qPrintable(r.message));
        r = rig.run(2, QStringLiteral("heat"), {{QStringLiteral("temperature_c"), 300}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(r.data.value(QLatin1StringView("peak_c")).toDouble() >= 299.5);
        QTRY_VERIFY_WITH_TIMEOUT(rig.readings->size() >= 5, 5000);
        QCOMPARE(rig.readings->last().at(1).toString(), QStringLiteral("temperature_c"));
        QCOMPARE(rig.driver->protocolErrors(), 0);
    }

    void aCancelledCommandEndsOnceAndItsLateAnswerIsDropped()
    {
        Rig rig(
            furnace({{QStringLiteral("ramp_c_per_s"), 1}, {QStringLiteral("telemetry_hz"), 0}}));
        QVERIFY(rig.waitConnected());
        rig.driver->execute({10,
                             QStringLiteral("tube-1"),
                             QStringLiteral("heat"),
                             {{QStringLiteral("temperature_c"), 1200}},
                             0});
        QTest::qWait(200);
        rig.driver->cancel(10);
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished->size(), 1, 5000);
        QVERIFY(rig.finished->at(0).at(0).value<CommandResult>().cancelled);
        QTest::qWait(500); // the program's own "cancelled" result arrives and is dropped
        QCOMPARE(rig.finished->size(), 1);
        QCOMPARE(rig.driver->strayResults(), 0);
        QVERIFY(rig.driver->isConnected());
    }

    void aCrashMidCommandFailsItTransientlyAndTheProgramIsRestarted()
    {
        QTemporaryDir dir;
        const QString counter = dir.filePath(QStringLiteral("starts"));
        Rig rig(misbehaving(QStringLiteral("crash_on_execute"), {}, counter));
        QVERIFY(rig.waitConnected());
        const CommandResult r = rig.run(1, QStringLiteral("run"));
        QVERIFY(!r.ok && r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("exited with code 7")), qPrintable(r.message));
        QTRY_VERIFY_WITH_TIMEOUT(rig.driver->isConnected(), 10000); // restarted with backoff
        QVERIFY(countLines(counter) >= 2);
        QVERIFY(rig.scheduled->size() >= 1);
    }

    void programsThatNeverGetGoingEndInAClearErrorAndRetries_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("exits") << "exit_at_start"
                               << "exited with code 3";
        QTest::newRow("silent") << "silent"
                                << "did not describe itself within 300 ms";
    }
    void programsThatNeverGetGoingEndInAClearErrorAndRetries()
    {
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString counter = dir.filePath(QStringLiteral("starts"));
        Rig rig(misbehaving(mode, {{QStringLiteral("start_timeout_ms"), 300}}, counter));
        QTRY_VERIFY_WITH_TIMEOUT(!rig.link->isEmpty(), 5000);
        QVERIFY2(rig.lastLinkMessage().contains(expected), qPrintable(rig.lastLinkMessage()));
        QVERIFY(!rig.link->last().at(1).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(countLines(counter) >= 3, 10000); // it keeps trying
        QVERIFY(!rig.driver->isConnected());
    }

    void aHungProgramIsFoundByItsUnansweredPing()
    {
        Rig rig(
            misbehaving(QStringLiteral("hang_on_execute"), {{QStringLiteral("timeout_ms"), 300}}));
        QVERIFY(rig.waitConnected());
        const CommandResult r = rig.run(1, QStringLiteral("run"), {}, 10000);
        QVERIFY(!r.ok && r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("did not answer a ping within 300 ms")),
                 qPrintable(r.message));
    }

    void aLineThatBreaksTheProtocolRestartsTheProgram_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << "garbage"
                                  << "not JSON";
        QTest::newRow("not an object") << "not_object"
                                       << "not a JSON object";
        QTest::newRow("too long") << "long_line"
                                  << "a line longer than 1024 bytes";
    }
    void aLineThatBreaksTheProtocolRestartsTheProgram()
    {
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        Rig rig(misbehaving(mode, {{QStringLiteral("max_line_bytes"), 1024}}));
        QVERIFY(rig.waitConnected());
        const CommandResult r = rig.run(1, QStringLiteral("run"));
        QVERIFY(!r.ok && r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("driver protocol error: ") + expected),
                 qPrintable(r.message));
        QVERIFY2(r.message.contains(QStringLiteral("odd-1")), qPrintable(r.message));
        QCOMPARE(rig.driver->protocolErrors(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(rig.driver->isConnected(), 10000);
    }

    void aResultForACommandNeverSentIsIgnoredAndCounted()
    {
        Rig rig(misbehaving(QStringLiteral("stray_result")));
        QVERIFY(rig.waitConnected());
        const CommandResult r = rig.run(5, QStringLiteral("run"), {{QStringLiteral("n"), 3}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value(QLatin1StringView("n")).toInt(), 3);
        QCOMPARE(rig.driver->strayResults(), 1);
        QVERIFY(rig.driver->isConnected());
    }

    void aTelemetryFloodIsCappedAndCountedAndTheThreadStaysResponsive()
    {
        Rig rig(
            misbehaving(QStringLiteral("flood"), {{QStringLiteral("max_telemetry_per_s"), 100}}));
        QVERIFY(rig.waitConnected());
        QElapsedTimer clock;
        clock.start();
        qint64 worstTickMs = 0, last = 0;
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, [&] {
            worstTickMs = qMax(worstTickMs, clock.elapsed() - last);
            last = clock.elapsed();
        });
        tick.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(rig.readings->size() + rig.driver->droppedReadings() >= 20000,
                                 20000);
        QVERIFY2(rig.readings->size() <= 300, qPrintable(QString::number(rig.readings->size())));
        QVERIFY(rig.driver->droppedReadings() >= 19700);
        QVERIFY2(worstTickMs < 500, qPrintable(QString::number(worstTickMs)));
        QVERIFY(rig.driver->isConnected());
    }

    void aNaNReadingIsNeverAValue()
    {
        Rig rig(misbehaving(QStringLiteral("nan")));
        QTRY_VERIFY_WITH_TIMEOUT(rig.driver->protocolErrors() >= 1, 10000);
        QCOMPARE(rig.readings->size(), 0);
    }

    void badConfigsAreRefusedNamingTheField_data()
    {
        QTest::addColumn<QJsonObject>("config");
        QTest::addColumn<QString>("expected");
        const QString script = tests() + QStringLiteral("/drivers/misbehaving_driver.py");
        auto with = [&](const char *key, const QJsonValue &value) {
            QJsonObject c = misbehaving(QStringLiteral("good"));
            c.insert(QLatin1StringView(key), value);
            return c;
        };
        QJsonObject noProgram = misbehaving(QStringLiteral("good"));
        noProgram.remove(QStringLiteral("program"));
        QTest::newRow("no program") << noProgram << "field \"program\" must name";
        QTest::newRow("missing program")
            << with("program", QStringLiteral("/nonexistent/driver.py")) << "does not exist";
        QTest::newRow("not executable")
            << with("program", tests() + QStringLiteral("/tst_processdriver.cpp"))
            << "is not an executable file";
        QTest::newRow("not on PATH") << with("program", QStringLiteral("no-such-driver-program"))
                                     << "is not a command on PATH";
        QTest::newRow("args not strings") << with("args", QJsonArray{1, 2}) << "field \"args[0]\"";
        QTest::newRow("args not array") << with("args", QStringLiteral("-v")) << "field \"args\"";
        QTest::newRow("environment") << with("environment", QJsonObject{{QStringLiteral("A"), 1}})
                                     << "field \"environment.A\"";
        QTest::newRow("timeout") << with("timeout_ms", 5)
                                 << "field \"timeout_ms\" must be a whole number from 100";
        QTest::newRow("start timeout")
            << with("start_timeout_ms", 1.5) << "field \"start_timeout_ms\"";
        QTest::newRow("line limit") << with("max_line_bytes", 10) << "field \"max_line_bytes\"";
        QTest::newRow("settings") << with("settings", QJsonArray{})
                                  << "field \"settings\" must be an object";
        QTest::newRow("folder") << with("working_directory", QStringLiteral("/nonexistent"))
                                << "field \"working_directory\"";
        QTest::newRow("typo") << with("progam", script) << "field \"progam\" is unknown";
    }
    void badConfigsAreRefusedNamingTheField()
    {
        QFETCH(QJsonObject, config);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!DriverRegistry::instance().create(config, DriverContext{}, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("device odd-1: ")), qPrintable(error));
    }
};

QTEST_MAIN(TstProcessDriver)
#include "tst_processdriver.moc"
