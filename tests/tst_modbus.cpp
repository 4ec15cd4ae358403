// The Modbus TCP driver against an independent server: pymodbus (tests/modbus_server.py),
// started here as a subprocess on a loopback port.
#include "core/drivers/driverpool.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/modbusdriver.h"
#include "support/pyserver.h"

#include <QHash>
#include <QJsonDocument>
#include <QModbusReply>
#include <QModbusTcpClient>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>

using namespace alabos;

namespace {

const char *kMap = R"({
  "unit_id": 1, "poll_ms": 50, "timeout_ms": 500,
  "registers": [
    {"name": "temperature_c", "table": "input", "address": 0, "scale": 0.1, "unit": "°C", "telemetry": true},
    {"name": "ticks", "table": "input", "address": 1, "telemetry": true},
    {"name": "ticks_ms", "table": "input", "address": 2, "format": "uint32", "scale": 0.001, "unit": "s", "telemetry": true},
    {"name": "setpoint_c", "table": "holding", "address": 10, "scale": 0.1, "unit": "°C"},
    {"name": "trim", "table": "holding", "address": 11, "format": "int16", "scale": 0.5, "offset": 1},
    {"name": "heater", "table": "coil", "address": 0},
    {"name": "at_setpoint", "table": "discrete_input", "address": 0}
  ],
  "commands": [
    {"name": "heat", "description": "Heat to a set point and wait until it is reached",
     "parameters": [{"name": "temperature_c", "type": "number", "unit": "°C", "min": 25, "max": 1200}],
     "writes": [{"register": "setpoint_c", "value": "$temperature_c"}, {"register": "heater", "value": 1}],
     "complete_when": {"register": "at_setpoint", "equals": 1, "timeout_ms": 20000},
     "on_cancel": [{"register": "heater", "value": 0}]},
    {"name": "set_trim", "parameters": [{"name": "trim", "type": "number", "default": -3}],
     "writes": [{"register": "trim", "value": "$trim"}]},
    {"name": "heat_unreachable",
     "writes": [{"register": "setpoint_c", "value": 6000}, {"register": "heater", "value": 1}],
     "complete_when": {"register": "temperature_c", "at_least": 7000, "timeout_ms": 300}},
    {"name": "cool", "writes": [{"register": "heater", "value": 0}]}
  ]
})";

ModbusRegisterMap testMap()
{
    QString error;
    auto map = ModbusRegisterMap::fromJson(QJsonDocument::fromJson(kMap).object(), &error);
    if (!map) qFatal("test map refused: %s", qPrintable(error));
    return *map;
}

ReconnectPolicy quickPolicy()
{
    ReconnectPolicy p;
    p.initialMs = 50;
    p.maxMs = 400;
    p.jitter = 0;
    return p;
}

// Reads holding registers independently of the driver, to check what it wrote.
QList<quint16> readBack(quint16 port, QModbusDataUnit::RegisterType type, int address, int count)
{
    QModbusTcpClient client;
    client.setConnectionParameter(QModbusDevice::NetworkAddressParameter,
                                  QStringLiteral("127.0.0.1"));
    client.setConnectionParameter(QModbusDevice::NetworkPortParameter, port);
    client.connectDevice();
    if (!QTest::qWaitFor([&] { return client.state() == QModbusDevice::ConnectedState; }, 10000))
        return {};
    QModbusReply *reply = client.sendReadRequest(QModbusDataUnit(type, address, quint16(count)), 1);
    if (!reply || !QTest::qWaitFor([&] { return reply->isFinished(); }, 10000)) return {};
    reply->deleteLater();
    // Coils come back a byte at a time: keep the ones asked for.
    return reply->error() == QModbusDevice::NoError ? reply->result().values().first(count)
                                                    : QList<quint16>{};
}

} // namespace

class TestModbus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerDriverMetaTypes(); }

    void codecScalesBothWays()
    {
        const ModbusRegisterMap map = testMap();
        const ModbusRegister *t = map.find(QStringLiteral("temperature_c"));
        QCOMPARE(t->decode({4001}), 400.1);
        QCOMPARE(*t->encode(400.1, nullptr), (QList<quint16>{4001}));
        QString why;
        QVERIFY(!t->encode(7000, &why)); // 70000 counts do not fit in 16 bits
        QVERIFY2(why.contains(QStringLiteral("does not fit")), qPrintable(why));
        const ModbusRegister *trim = map.find(QStringLiteral("trim"));
        QCOMPARE(*trim->encode(-3, nullptr), (QList<quint16>{quint16(-8)})); // (-3 - 1) / 0.5
        QCOMPARE(trim->decode({quint16(-8)}), -3.0);
        const ModbusRegister *ticks = map.find(QStringLiteral("ticks_ms"));
        QCOMPARE(ticks->decode({1, 0}), 65.536);
    }

    void badRegisterMapsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("word order of a 16-bit value")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "word_order": "low_first"}]})")
            << "field \"registers[0].word_order\" applies to 32-bit formats only";
        QTest::newRow("word order value")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "format": "float32", "word_order": "middle"}]})")
            << "field \"registers[0].word_order\" must be high_first or low_first";
        QTest::newRow("byte order value")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "byte_order": "native"}]})")
            << "field \"registers[0].byte_order\" must be big or little";
        QTest::newRow("bit range")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "bit": 16}]})")
            << "field \"registers[0].bit\" must be an integer in [0, 15]";
        QTest::newRow("bit with a scale")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "bit": 3, "scale": 2}]})")
            << "field \"registers[0].scale\" does not apply to a single bit";
        QTest::newRow("bit of a coil")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "coil", "address": 1, "bit": 3}]})")
            << "field \"registers[0].bit\" does not apply to a coil";
        QTest::newRow("no registers")
            << QByteArray(R"({"commands": []})") << "field \"registers\" must be a non-empty array";
        QTest::newRow("bad table")
            << QByteArray(R"({"registers": [{"name": "a", "table": "holdings", "address": 1}]})")
            << "field \"registers[0].table\" must be coil, discrete_input, input or holding";
        QTest::newRow("no address")
            << QByteArray(R"({"registers": [{"name": "a", "table": "input"}]})")
            << "field \"registers[0].address\" is missing";
        QTest::newRow("address range")
            << QByteArray(R"({"registers": [{"name": "a", "table": "input", "address": 70000}]})")
            << "field \"registers[0].address\" must be an integer in [0, 65535]";
        QTest::newRow("duplicate")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1}, {"name": "a", "table": "input", "address": 2}]})")
            << "field \"registers[1].name\" \"a\" is used twice";
        QTest::newRow("zero scale")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "scale": 0}]})")
            << "field \"registers[0].scale\" must not be 0";
        QTest::newRow("bad format")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "format": "float64"}]})")
            << "field \"registers[0].format\" must be uint16";
        QTest::newRow("scaled coil")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "coil", "address": 1, "scale": 2}]})")
            << "field \"registers[0].scale\" does not apply to a coil";
        QTest::newRow("typo")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1, "telemtry": true}]})")
            << "field \"registers[0].telemtry\" is unknown";
        QTest::newRow("write to input")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "input", "address": 1}], "commands": [{"name": "c", "writes": [{"register": "a", "value": 1}]}]})")
            << "field \"commands[0].writes[0].register\" names \"a\", which is read-only";
        QTest::newRow("unknown register")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "holding", "address": 1}], "commands": [{"name": "c", "writes": [{"register": "b", "value": 1}]}]})")
            << "field \"commands[0].writes[0].register\" names \"b\", which is not in "
               "\"registers\"";
        QTest::newRow("unknown parameter")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "holding", "address": 1}], "commands": [{"name": "c", "writes": [{"register": "a", "value": "$t"}]}]})")
            << "field \"commands[0].writes[0].value\" names \"t\", which is not a parameter of "
               "command \"c\"";
        QTest::newRow("no condition")
            << QByteArray(
                   R"({"registers": [{"name": "a", "table": "holding", "address": 1}], "commands": [{"name": "c", "writes": [], "complete_when": {"register": "a"}}]})")
            << "field \"commands[0].complete_when.equals\" (or at_least, at_most) is missing";
        QTest::newRow("poll too fast")
            << QByteArray(
                   R"({"poll_ms": 1, "registers": [{"name": "a", "table": "holding", "address": 1}]})")
            << "field \"poll_ms\" must be an integer in [10, 3600000]";
    }
    void badRegisterMapsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!ModbusRegisterMap::fromJson(QJsonDocument::fromJson(json).object(), &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void badDeviceConfigsAreRefused()
    {
        QString error;
        auto d = DriverRegistry::instance().create(
            QJsonDocument::fromJson(
                R"({"id": "m-1", "type": "box_furnace", "driver": "modbus", "host": "127.0.0.1"})")
                .object(),
            {}, &error);
        QVERIFY(!d);
        QVERIFY2(
            error.contains(QStringLiteral(
                "device m-1: field \"register_map\" is missing (or give \"register_map_file\")")),
            qPrintable(error));
        d = DriverRegistry::instance().create(
            QJsonDocument::fromJson(
                R"({"id": "m-1", "type": "t", "driver": "modbus", "host": "127.0.0.1", "port": 0, "register_map": {}})")
                .object(),
            {}, &error);
        QVERIFY(!d);
        QVERIFY2(error.contains(QStringLiteral("field \"port\" must be an integer in [1, 65535]")),
                 qPrintable(error));
        d = DriverRegistry::instance().create(
            QJsonDocument::fromJson(
                R"({"id": "m-1", "type": "t", "driver": "modbus", "host": "127.0.0.1", "register_map_file": "nope.json"})")
                .object(),
            {}, &error);
        QVERIFY(!d);
        QVERIFY2(error.contains(QStringLiteral("field \"register_map_file\": cannot read")),
                 qPrintable(error));
        QJsonObject good =
            QJsonDocument::fromJson(
                R"({"id": "m-1", "type": "box_furnace", "driver": "modbus", "host": "127.0.0.1", "port": 1502})")
                .object();
        good.insert(QStringLiteral("register_map"), QJsonDocument::fromJson(kMap).object());
        d = DriverRegistry::instance().create(good, {}, &error);
        QVERIFY2(d, qPrintable(error));
        QCOMPARE(d->describe().size(), 4);
    }

    void wordAndByteOrdersAndSingleBitsAsVendorsUseThem()
    {
        // The codec both ways, on known words.
        const auto map = ModbusRegisterMap::fromJson(QJsonDocument::fromJson(R"({"registers": [
            {"name": "f_low", "table": "holding", "address": 30, "format": "float32", "word_order": "low_first"},
            {"name": "u_swapped", "table": "holding", "address": 32, "format": "uint32", "byte_order": "little"},
            {"name": "s_both", "table": "holding", "address": 34, "format": "int32", "word_order": "low_first", "byte_order": "little"},
            {"name": "alarm", "table": "input", "address": 25, "bit": 15}]})")
                                                         .object(),
                                                     nullptr);
        QVERIFY(map);
        const ModbusRegister *f = map->find(QStringLiteral("f_low"));
        QCOMPARE(f->encode(123.5, nullptr).value(), (QList<quint16>{0x0000, 0x42F7}));
        QCOMPARE(f->decode({0x0000, 0x42F7}), 123.5);
        // Found by the modbusregistermap fuzz target's read-back check: a value beyond a float's
        // range was written as an infinity.
        QString why;
        QVERIFY(!f->encode(1e39, &why));
        QCOMPARE(why,
                 QStringLiteral("register \"f_low\": 1e+39  does not fit a float32 (raw 1e+39)"));
        QVERIFY(f->encode(3.4e38, nullptr));
        const ModbusRegister *u = map->find(QStringLiteral("u_swapped"));
        QCOMPARE(u->encode(double(0x12345678), nullptr).value(), (QList<quint16>{0x3412, 0x7856}));
        QCOMPARE(u->decode({0x3412, 0x7856}), double(0x12345678));
        const ModbusRegister *b = map->find(QStringLiteral("s_both"));
        QCOMPARE(b->decode(b->encode(-100000, nullptr).value()), -100000.0);
        QVERIFY(!map->find(QStringLiteral("alarm"))->writable());

        // Against the real server's fixed registers (tests/modbus_server.py, input 20..27).
        ::test::PyServer server(QStringLiteral("modbus_server.py"), ::test::freePort());
        QVERIFY(server.start());
        const auto fixed =
            ModbusRegisterMap::fromJson(QJsonDocument::fromJson(R"({"poll_ms": 50, "registers": [
            {"name": "f", "table": "input", "address": 20, "format": "float32", "word_order": "low_first", "telemetry": true},
            {"name": "u", "table": "input", "address": 22, "format": "uint32", "byte_order": "little", "telemetry": true},
            {"name": "s16", "table": "input", "address": 24, "format": "int16", "telemetry": true},
            {"name": "bit0", "table": "input", "address": 25, "bit": 0, "telemetry": true},
            {"name": "bit1", "table": "input", "address": 25, "bit": 1, "telemetry": true},
            {"name": "bit15", "table": "input", "address": 25, "bit": 15, "telemetry": true},
            {"name": "s32", "table": "input", "address": 26, "format": "int32", "word_order": "low_first", "scale": 0.01, "offset": 5, "telemetry": true}]})")
                                            .object(),
                                        nullptr);
        QVERIFY(fixed);
        ModbusDriver driver(QStringLiteral("meter-1"), QStringLiteral("meter"),
                            QStringLiteral("127.0.0.1"), server.port(), *fixed);
        QSignalSpy telemetry(&driver, &DeviceDriver::telemetry);
        driver.connectDevice();
        QHash<QString, double> seen;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &args : telemetry)
                    seen.insert(args.at(1).toString(), args.at(2).toDouble());
                return seen.size() == 7;
            }(),
            15000);
        QCOMPARE(seen.value(QStringLiteral("f")), 123.5);
        QCOMPARE(seen.value(QStringLiteral("u")), double(0x12345678));
        QCOMPARE(seen.value(QStringLiteral("s16")), -1234.0);
        QCOMPARE(seen.value(QStringLiteral("bit0")), 1.0);
        QCOMPARE(seen.value(QStringLiteral("bit1")), 0.0);
        QCOMPARE(seen.value(QStringLiteral("bit15")), 1.0);
        QCOMPARE(seen.value(QStringLiteral("s32")), -100000 * 0.01 + 5);
        driver.disconnectDevice();
    }

    void telemetryCommandsLossAndReconnect()
    {
        test::PyServer server(QStringLiteral("modbus_server.py"), test::freePort());
        QVERIFY(server.start());
        ModbusDriver driver(QStringLiteral("furnace-m1"), QStringLiteral("box_furnace"),
                            QStringLiteral("127.0.0.1"), server.port(), testMap());
        driver.setReconnectPolicy(quickPolicy());
        QSignalSpy connection(&driver, &DeviceDriver::connectionChanged);
        QSignalSpy telemetry(&driver, &DeviceDriver::telemetry);
        QSignalSpy done(&driver, &DeviceDriver::commandFinished);
        QSignalSpy scheduled(&driver, &DeviceDriver::reconnectScheduled);
        driver.connectDevice();
        QTRY_VERIFY_WITH_TIMEOUT(driver.isConnected(), 15000);

        // Telemetry: scaled, and moving (the server changes its registers every 50 ms).
        auto latest = [&](const QString &metric) {
            for (qsizetype i = telemetry.size() - 1; i >= 0; --i)
                if (telemetry.at(i).at(1).toString() == metric)
                    return telemetry.at(i).at(2).toDouble();
            return qQNaN();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!qIsNaN(latest(QStringLiteral("ticks"))), 10000);
        QCOMPARE(latest(QStringLiteral("temperature_c")), 25.0); // 250 counts * 0.1
        const double firstTicks = latest(QStringLiteral("ticks"));
        QTRY_VERIFY_WITH_TIMEOUT(latest(QStringLiteral("ticks")) > firstTicks, 10000);
        const double ticks = latest(QStringLiteral("ticks"));
        const double seconds = latest(QStringLiteral("ticks_ms"));
        // uint32 ticks * 1000 scaled by 0.001: the same count, read in the same poll round.
        QVERIFY2(seconds >= 1 && qAbs(seconds - ticks) <= 20,
                 qPrintable(QStringLiteral("%1 vs %2").arg(seconds).arg(ticks)));

        // Out of range: refused before any I/O; the set point stays 0.
        driver.execute({1, {}, QStringLiteral("heat"), {{"temperature_c", 5000}}, 0});
        QCOMPARE(done.size(), 1);
        QVERIFY(!done.at(0).at(0).value<CommandResult>().ok);
        QVERIFY(done.at(0).at(0).value<CommandResult>().message.contains(
            QStringLiteral("out of range")));
        QCOMPARE(readBack(server.port(), QModbusDataUnit::HoldingRegisters, 10, 1),
                 (QList<quint16>{0}));

        // A command writes its registers (read back independently) and completes when the
        // server reports the set point reached.
        driver.execute({2, {}, QStringLiteral("heat"), {{"temperature_c", 40.5}}, 0});
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 20000);
        CommandResult r = done.at(1).at(0).value<CommandResult>();
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value("at_setpoint").toDouble(), 1.0);
        QCOMPARE(readBack(server.port(), QModbusDataUnit::HoldingRegisters, 10, 1),
                 (QList<quint16>{405}));
        QCOMPARE(readBack(server.port(), QModbusDataUnit::Coils, 0, 1), (QList<quint16>{1}));
        QTRY_COMPARE_WITH_TIMEOUT(latest(QStringLiteral("temperature_c")), 40.5, 10000);

        // Signed, offset register with a default parameter.
        driver.execute({3, {}, QStringLiteral("set_trim"), {}, 0});
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, 10000);
        QVERIFY(done.at(2).at(0).value<CommandResult>().ok);
        QCOMPARE(readBack(server.port(), QModbusDataUnit::HoldingRegisters, 11, 1),
                 (QList<quint16>{quint16(-8)}));

        // A completion that never comes times out (transient).
        driver.execute({4, {}, QStringLiteral("heat_unreachable"), {}, 0});
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 4, 10000);
        r = done.at(3).at(0).value<CommandResult>();
        QVERIFY(!r.ok);
        QVERIFY(r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("did not reach at_least 7000")),
                 qPrintable(r.message));

        // Cancellation runs the on_cancel writes: the heater goes off.
        driver.execute({5, {}, QStringLiteral("heat"), {{"temperature_c", 1000}}, 0});
        QTRY_COMPARE_WITH_TIMEOUT(readBack(server.port(), QModbusDataUnit::HoldingRegisters, 10, 1),
                                  (QList<quint16>{10000}), 10000);
        driver.cancel(5);
        QCOMPARE(done.size(), 5);
        QVERIFY(done.at(4).at(0).value<CommandResult>().cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(readBack(server.port(), QModbusDataUnit::Coils, 0, 1),
                                  (QList<quint16>{0}), 10000);

        // The server dies mid-run: loss reported, the running command fails (transient).
        driver.execute({6, {}, QStringLiteral("heat"), {{"temperature_c", 1100}}, 0});
        QTRY_VERIFY_WITH_TIMEOUT(readBack(server.port(), QModbusDataUnit::HoldingRegisters, 10,
                                          1) == QList<quint16>{11000},
                                 10000);
        const int before = int(connection.size());
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!driver.isConnected(), 15000);
        QVERIFY(connection.size() > before);
        QVERIFY(!connection.last().at(1).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 6, 10000);
        r = done.at(5).at(0).value<CommandResult>();
        QVERIFY(!r.ok);
        QVERIFY(r.transient);
        // Reconnect attempts back off while it is down...
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 3, 15000);
        QVERIFY(scheduled.at(1).at(2).toInt() > scheduled.at(0).at(2).toInt());
        // ...and succeed when it returns on the same port.
        test::PyServer again(QStringLiteral("modbus_server.py"), server.port());
        QVERIFY(again.start());
        QTRY_VERIFY_WITH_TIMEOUT(driver.isConnected(), 20000);
        QVERIFY(connection.last().at(1).toBool());
        QCOMPARE(driver.reconnectAttempt(), 0);
        const qsizetype seen = telemetry.size();
        QTRY_VERIFY_WITH_TIMEOUT(telemetry.size() > seen + 3, 10000);
        driver.execute({7, {}, QStringLiteral("cool"), {}, 0});
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 7, 10000);
        QVERIFY(done.at(6).at(0).value<CommandResult>().ok);
        driver.disconnectDevice();
    }

    void aDeviceThatStopsAnsweringGoesOfflineAndNoOtherDeviceWaits()
    {
        // Two furnaces on ONE pool thread, their readings through the pool's batch sink as in
        // the application. One instrument dies; the other keeps its rate.
        ::test::PyServer a(QStringLiteral("modbus_server.py"), ::test::freePort());
        ::test::PyServer b(QStringLiteral("modbus_server.py"), ::test::freePort());
        QVERIFY(a.start());
        QVERIFY(b.start());
        DriverPool pool(1);
        QMutex lock;
        QHash<QString, int> readings;
        std::atomic<bool> throttled = false;
        pool.setTelemetry({0, [&] { return throttled.load(); },
                           [&](QList<TelemetryReading> &&batch) {
                               QMutexLocker guard(&lock);
                               for (const TelemetryReading &r : batch)
                                   ++readings[r.deviceId];
                           }});
        auto makeDriver = [&](const QString &id, quint16 port) {
            QJsonObject c{{QStringLiteral("id"), id},
                          {QStringLiteral("type"), QStringLiteral("box_furnace")},
                          {QStringLiteral("driver"), QStringLiteral("modbus")},
                          {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                          {QStringLiteral("port"), port},
                          {QStringLiteral("poll_ms"), 100},
                          {QStringLiteral("register_map"), QJsonDocument::fromJson(kMap).object()}};
            QString error;
            auto d = DriverRegistry::instance().create(c, {}, &error);
            if (!d) qFatal("%s", qPrintable(error));
            d->setReconnectPolicy(quickPolicy());
            return d.release();
        };
        DeviceDriver *dead = makeDriver(QStringLiteral("furnace-a"), a.port());
        DeviceDriver *alive = makeDriver(QStringLiteral("furnace-b"), b.port());
        QSignalSpy deadLink(dead, &DeviceDriver::connectionChanged);
        pool.add(dead);
        pool.add(alive);
        pool.connectAll();
        auto count = [&](const char *id) {
            QMutexLocker guard(&lock);
            return readings.value(QLatin1StringView(id));
        };
        QTRY_VERIFY_WITH_TIMEOUT(count("furnace-a") > 10 && count("furnace-b") > 10, 15000);

        // While the consumer is behind, polls stop: no reading, no instrument I/O.
        throttled = true;
        QTest::qWait(300);
        const int duringThrottle = count("furnace-b");
        QTest::qWait(1000);
        QVERIFY2(count("furnace-b") - duringThrottle <= 3,
                 qPrintable(QString::number(count("furnace-b") - duringThrottle)));
        throttled = false;

        a.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!deadLink.isEmpty() && !deadLink.last().at(1).toBool(), 15000);
        QVERIFY2(deadLink.last().at(2).toString().contains(QString::number(a.port())),
                 qPrintable(deadLink.last().at(2).toString()));
        // Over the next 3 s the dead one backs off and reconnects in vain, and the live one on
        // the same thread keeps polling 10 times a second (each poll reads every telemetry
        // register of kMap).
        const int before = count("furnace-b");
        QTest::qWait(3000);
        const int during = count("furnace-b") - before;
        QVERIFY2(during >= 3 * 10 * 0.7, qPrintable(QString::number(during)));
        pool.shutdown();
    }

    void nobodyListeningKeepsRetrying()
    {
        ModbusDriver driver(QStringLiteral("m-2"), QStringLiteral("t"), QStringLiteral("127.0.0.1"),
                            test::freePort(), testMap());
        driver.setReconnectPolicy(quickPolicy());
        QSignalSpy scheduled(&driver, &DeviceDriver::reconnectScheduled);
        QSignalSpy done(&driver, &DeviceDriver::commandFinished);
        driver.connectDevice();
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 3, 15000);
        QCOMPARE(scheduled.at(0).at(2).toInt(), 50);
        QCOMPARE(scheduled.at(1).at(2).toInt(), 100);
        QCOMPARE(scheduled.at(2).at(2).toInt(), 200);
        driver.execute({1, {}, QStringLiteral("cool"), {}, 0});
        QCOMPARE(done.size(), 1);
        QVERIFY(done.at(0).at(0).value<CommandResult>().transient);
        driver.disconnectDevice();
    }
};

QTEST_GUILESS_MAIN(TestModbus)
#include "tst_modbus.moc"
