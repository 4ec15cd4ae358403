// The SCPI driver against a small instrument simulator (tests/scpi_instrument.py), a real
// TCP server in its own process, scripted to return errors, garble, go silent and drop.
#include "core/drivers/driverregistry.h"
#include "core/drivers/scpidriver.h"
#include "support/pyserver.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace alabos;

namespace {

QJsonObject config(quint16 port)
{
    QJsonObject c = QJsonDocument::fromJson(R"({
      "id": "psu-1", "type": "power_supply", "driver": "scpi", "host": "127.0.0.1",
      "timeout_ms": 500, "abort": "ABOR",
      "commands": [
        {"name": "set_voltage", "parameters": [{"name": "voltage_v", "type": "number", "unit": "V", "min": -100, "max": 100}],
         "send": ["VOLT {voltage_v}", "OUTP ON"]},
        {"name": "measure_voltage", "query": "MEAS:VOLT?", "result": "voltage_v"},
        {"name": "identify", "query": "*IDN?", "result": "idn", "result_type": "string"},
        {"name": "bogus", "send": "FROB 1"}
      ]})")
                        .object();
    c.insert(QStringLiteral("port"), port);
    return c;
}

// The test's own connection to the simulator, for its SIM: scripting commands.
QString control(quint16 port, const QString &line)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(5000)) return {};
    s.write(line.toUtf8() + '\n');
    if (!QTest::qWaitFor([&] { return s.canReadLine(); }, 5000)) return {};
    return QString::fromUtf8(s.readLine()).trimmed();
}

struct Rig
{
    test::PyServer server{QStringLiteral("scpi_instrument.py"), test::freePort()};
    std::unique_ptr<DeviceDriver> driver;
    std::unique_ptr<QSignalSpy> done;
    std::unique_ptr<QSignalSpy> connection;
    std::unique_ptr<QSignalSpy> scheduled;

    bool start()
    {
        if (!server.start()) return false;
        QString error;
        driver = DriverRegistry::instance().create(config(server.port()), {}, &error);
        if (!driver) return false;
        ReconnectPolicy p;
        p.initialMs = 50;
        p.maxMs = 400;
        p.jitter = 0;
        driver->setReconnectPolicy(p);
        done = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::commandFinished);
        connection = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::connectionChanged);
        scheduled = std::make_unique<QSignalSpy>(driver.get(), &DeviceDriver::reconnectScheduled);
        driver->connectDevice();
        return QTest::qWaitFor([&] { return driver->isConnected(); }, 15000);
    }
    CommandResult run(qint64 id, const QString &name, const QJsonObject &parameters = {})
    {
        const qsizetype before = done->size();
        driver->execute({id, {}, name, parameters, 0});
        if (!QTest::qWaitFor([&] { return done->size() > before; }, 15000))
            return {id, {}, false, false, false, QStringLiteral("test: no answer"), {}};
        return done->last().at(0).value<CommandResult>();
    }
};

} // namespace

class TestScpi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerDriverMetaTypes(); }

    void badConfigsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("no host") << QByteArray(
                                        R"({"id":"p","type":"t","driver":"scpi","commands":[]})")
                                 << "device p: field \"host\" must be a host name";
        QTest::newRow("bad port")
            << QByteArray(
                   R"({"id":"p","type":"t","driver":"scpi","host":"h","port":"x","commands":[]})")
            << "field \"port\" must be an integer";
        QTest::newRow("no commands")
            << QByteArray(R"({"id":"p","type":"t","driver":"scpi","host":"h"})")
            << "field \"commands\" must be an array";
        QTest::newRow("nothing to send")
            << QByteArray(
                   R"({"id":"p","type":"t","driver":"scpi","host":"h","commands":[{"name":"x"}]})")
            << "field \"commands[0].send\" (or \"query\") is missing";
        QTest::newRow("undeclared placeholder")
            << QByteArray(
                   R"({"id":"p","type":"t","driver":"scpi","host":"h","commands":[{"name":"x","send":"VOLT {v}"}]})")
            << "field \"commands[0].send\" uses {v}, which is not a parameter";
        QTest::newRow("typo")
            << QByteArray(
                   R"({"id":"p","type":"t","driver":"scpi","host":"h","timout_ms":5,"commands":[]})")
            << "field \"timout_ms\" is unknown";
        QTest::newRow("result type")
            << QByteArray(
                   R"({"id":"p","type":"t","driver":"scpi","host":"h","commands":[{"name":"x","query":"A?","result_type":"blob"}]})")
            << "field \"commands[0].result_type\" must be number or string";
    }
    void badConfigsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QString error;
        QVERIFY(
            !DriverRegistry::instance().create(QJsonDocument::fromJson(json).object(), {}, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void repliesParse_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QVariant>("reading");   // invalid: not a reading
        QTest::addColumn<QVariant>("errorCode"); // invalid: not an SYST:ERR? answer
        QTest::addColumn<bool>("identity");
        QTest::newRow("reading") << "+1.25E+01" << QVariant(12.5) << QVariant() << false;
        QTest::newRow("overload") << "9.9E37" << QVariant() << QVariant() << false;
        QTest::newRow("nan") << "nan" << QVariant() << QVariant() << false;
        QTest::newRow("inf") << "-inf" << QVariant() << QVariant() << false;
        QTest::newRow("no error") << "+0,\"No error\"" << QVariant() << QVariant(0) << false;
        QTest::newRow("error") << "-113,\"Undefined header\"" << QVariant() << QVariant(-113)
                               << false;
        // A code beyond int read as 0 ("no error") would pass a refused command as done.
        QTest::newRow("error code beyond int")
            << "99999999999,\"Overflow\"" << QVariant() << QVariant() << false;
        QTest::newRow("identity") << "Keysight,E36312A,MY123,2.1" << QVariant() << QVariant()
                                  << true;
        QTest::newRow("not an identity") << "Keysight,E36312A" << QVariant() << QVariant() << false;
    }
    void repliesParse()
    {
        QFETCH(QString, line);
        QFETCH(QVariant, reading);
        QFETCH(QVariant, errorCode);
        QFETCH(bool, identity);
        const auto r = parseScpiReading(line);
        QCOMPARE(r.has_value(), reading.isValid());
        if (r) QCOMPARE(*r, reading.toDouble());
        // A numeric query result follows the reading's rules: "nan" would be JSON null.
        QCOMPARE(parseScpiResult(line, true).has_value(), reading.isValid());
        QCOMPARE(parseScpiResult(line, false), std::optional<QJsonValue>(line));
        const auto e = parseScpiError(line);
        QCOMPARE(e.has_value(), errorCode.isValid());
        if (e) QCOMPARE(e->code, errorCode.toInt());
        QCOMPARE(isScpiIdentity(line), identity);
    }

    void longTextResultsAreRefused()
    {
        QVERIFY(parseScpiResult(QString(kMaxScpiTextResult, u'x'), false));
        QVERIFY(!parseScpiResult(QString(kMaxScpiTextResult + 1, u'x'), false));
    }

    void identifiesAndRunsCommands()
    {
        Rig rig;
        QVERIFY(rig.start());
        QCOMPARE(static_cast<ScpiDriver *>(rig.driver.get())->identity(),
                 QStringLiteral("ALABOS,SIMPSU-30,SN0001,1.0"));
        QCOMPARE(rig.connection->last().at(2).toString(),
                 QStringLiteral("ALABOS,SIMPSU-30,SN0001,1.0"));
        CommandResult r = rig.run(1, QStringLiteral("set_voltage"), {{"voltage_v", 12.5}});
        QVERIFY2(r.ok, qPrintable(r.message));
        r = rig.run(2, QStringLiteral("measure_voltage"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value("voltage_v").toDouble(), 12.5);
        r = rig.run(3, QStringLiteral("identify"));
        QCOMPARE(r.data.value("idn").toString(), QStringLiteral("ALABOS,SIMPSU-30,SN0001,1.0"));
    }

    void instrumentErrorsFailTheCommand()
    {
        Rig rig;
        QVERIFY(rig.start());
        // In our range, out of the instrument's: the instrument's own message comes back.
        CommandResult r = rig.run(1, QStringLiteral("set_voltage"), {{"voltage_v", 45}});
        QVERIFY(!r.ok);
        QVERIFY(!r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("instrument error -222, \"Data out of range\"")),
                 qPrintable(r.message));
        r = rig.run(2, QStringLiteral("bogus"));
        QVERIFY2(r.message.contains(QStringLiteral("-113, \"Undefined header\"")),
                 qPrintable(r.message));
        // Out of our own range: refused without a byte sent.
        const QString before = control(rig.server.port(), QStringLiteral("SIM:COUNT"));
        r = rig.run(3, QStringLiteral("set_voltage"), {{"voltage_v", 500}});
        QVERIFY(r.message.contains(QStringLiteral("out of range")));
        QCOMPARE(control(rig.server.port(), QStringLiteral("SIM:COUNT")), before);
        // The error queue was drained: the next command is clean.
        QVERIFY(rig.run(4, QStringLiteral("set_voltage"), {{"voltage_v", 3}}).ok);
    }

    void garbledRepliesFailTransiently()
    {
        Rig rig;
        QVERIFY(rig.start());
        QCOMPARE(control(rig.server.port(), QStringLiteral("SIM:GARBLE")), QStringLiteral("OK"));
        CommandResult r = rig.run(1, QStringLiteral("measure_voltage"));
        QVERIFY(!r.ok);
        QVERIFY(r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("unparseable reply \"#ERR?%%\" to MEAS:VOLT?")),
                 qPrintable(r.message));
        control(rig.server.port(), QStringLiteral("SIM:GARBLE_ERR"));
        r = rig.run(2, QStringLiteral("set_voltage"), {{"voltage_v", 1}});
        QVERIFY(!r.ok);
        QVERIFY(r.transient);
        QVERIFY(r.message.contains(QStringLiteral("to SYST:ERR?")));
        // Still in step with the instrument afterwards.
        r = rig.run(3, QStringLiteral("measure_voltage"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value("voltage_v").toDouble(), 1.0);
    }

    void silenceDropsTheLinkAndReconnects()
    {
        Rig rig;
        QVERIFY(rig.start());
        control(rig.server.port(), QStringLiteral("SIM:SILENT"));
        CommandResult r = rig.run(1, QStringLiteral("measure_voltage"));
        QVERIFY(!r.ok);
        QVERIFY(r.transient);
        QVERIFY2(r.message.contains(QStringLiteral("no answer within 500 ms")),
                 qPrintable(r.message));
        QVERIFY(!rig.driver->isConnected() || rig.scheduled->size() > 0);
        // Silent instruments fail *IDN? too: attempts back off.
        QTRY_VERIFY_WITH_TIMEOUT(rig.scheduled->size() >= 2, 15000);
        control(rig.server.port(), QStringLiteral("SIM:WAKE"));
        QTRY_VERIFY_WITH_TIMEOUT(rig.driver->isConnected(), 15000);
        QVERIFY(rig.run(2, QStringLiteral("measure_voltage")).ok);
    }

    void droppedConnectionIsReportedAndRestored()
    {
        Rig rig;
        QVERIFY(rig.start());
        const qsizetype before = rig.connection->size();
        QCOMPARE(control(rig.server.port(), QStringLiteral("SIM:DROP")), QStringLiteral("OK"));
        QTRY_VERIFY_WITH_TIMEOUT(rig.connection->size() > before, 10000);
        QVERIFY(!rig.connection->at(before).at(1).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(rig.driver->isConnected(), 15000);
        QVERIFY(rig.run(1, QStringLiteral("set_voltage"), {{"voltage_v", 7}}).ok);
        // The server process dies: loss, then retries until it is back on the same port.
        rig.server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!rig.driver->isConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.scheduled->size() >= 3, 15000);
        test::PyServer again(QStringLiteral("scpi_instrument.py"), rig.server.port());
        QVERIFY(again.start());
        QTRY_VERIFY_WITH_TIMEOUT(rig.driver->isConnected(), 15000);
        QVERIFY(rig.run(2, QStringLiteral("measure_voltage")).ok);
    }

    void cancellationDropsTheLateReply()
    {
        Rig rig;
        QVERIFY(rig.start());
        QVERIFY(rig.run(1, QStringLiteral("set_voltage"), {{"voltage_v", 9}}).ok);
        rig.driver->execute({2, {}, QStringLiteral("measure_voltage"), {}, 0});
        rig.driver->cancel(2); // before the reply arrives
        QCOMPARE(rig.done->size(), 2);
        QVERIFY(rig.done->last().at(0).value<CommandResult>().cancelled);
        // The late reply to 2 is dropped; 3 gets its own answer.
        const CommandResult r = rig.run(3, QStringLiteral("measure_voltage"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value("voltage_v").toDouble(), 9.0);
        QTest::qWait(100);
        QCOMPARE(rig.done->size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestScpi)
#include "tst_scpi.moc"
