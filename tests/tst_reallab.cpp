// A real lab, end to end: the alabos binary started from a lab file with a Modbus furnace
// (pymodbus), an SCPI power supply (tests/scpi_instrument.py), the example Python driver
// (examples/drivers/furnace_driver.py, through the process kind) and a simulated balance.
// A workflow uses all four; their telemetry is in PostgreSQL and on alabos.telemetry; a Modbus
// device is added, changed and removed while the lab runs; a restart with a changed lab file
// applies and audits the differences.
#include "tests/support/alabosprocess.h"
#include "tests/support/pyserver.h"
#include "tests/support/testdatabase.h"
#include "tests/support/topicreader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;
using alabos::test::Alabos;

namespace {

const char *kFurnaceMap = R"({
  "unit_id": 1, "timeout_ms": 500,
  "registers": [
    {"name": "temperature_c", "table": "input", "address": 0, "scale": 0.1, "unit": "°C", "telemetry": true},
    {"name": "setpoint_c", "table": "holding", "address": 10, "scale": 0.1, "unit": "°C"},
    {"name": "heater", "table": "coil", "address": 0},
    {"name": "at_setpoint", "table": "discrete_input", "address": 0}
  ],
  "commands": [
    {"name": "heat",
     "parameters": [{"name": "temperature_c", "type": "number", "unit": "°C", "min": 25, "max": 1200}],
     "writes": [{"register": "setpoint_c", "value": "$temperature_c"}, {"register": "heater", "value": 1}],
     "complete_when": {"register": "at_setpoint", "equals": 1, "timeout_ms": 30000},
     "on_cancel": [{"register": "heater", "value": 0}]}
  ]
})";

const char *kSupplyCommands = R"([
  {"name": "set_voltage", "parameters": [{"name": "voltage_v", "type": "number", "unit": "V", "min": 0, "max": 30}],
   "send": ["VOLT {voltage_v}", "OUTP ON"]},
  {"name": "measure_voltage", "query": "MEAS:VOLT?", "result": "voltage_v"}
])";

QString examplesDir()
{
    return QStringLiteral(ALABOS_EXAMPLES_DIR);
}

QJsonObject modbusFurnace(const QString &id, quint16 port, int pollMs)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("type"), QStringLiteral("modbus_furnace")},
            {QStringLiteral("driver"), QStringLiteral("modbus")},
            {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("port"), port},
            {QStringLiteral("poll_ms"), pollMs},
            {QStringLiteral("register_map"), QJsonDocument::fromJson(kFurnaceMap).object()}};
}

QJsonObject lab(quint16 modbusPort, quint16 scpiPort)
{
    const QJsonArray devices{
        modbusFurnace(QStringLiteral("furnace-1"), modbusPort, 200),
        QJsonObject{{QStringLiteral("id"), QStringLiteral("psu-1")},
                    {QStringLiteral("type"), QStringLiteral("power_supply")},
                    {QStringLiteral("driver"), QStringLiteral("scpi")},
                    {QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                    {QStringLiteral("port"), scpiPort},
                    {QStringLiteral("timeout_ms"), 2000},
                    {QStringLiteral("poll_ms"), 200},
                    {QStringLiteral("commands"), QJsonDocument::fromJson(kSupplyCommands).array()},
                    {QStringLiteral("telemetry"),
                     QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("voltage_v")},
                                            {QStringLiteral("query"), QStringLiteral("MEAS:VOLT?")},
                                            {QStringLiteral("unit"), QStringLiteral("V")}}}}},
        QJsonObject{
            {QStringLiteral("id"), QStringLiteral("py-furnace-1")},
            {QStringLiteral("type"), QStringLiteral("tube_furnace")},
            {QStringLiteral("driver"), QStringLiteral("process")},
            {QStringLiteral("program"), QStringLiteral("/usr/bin/python3")},
            {QStringLiteral("args"),
             QJsonArray{examplesDir() + QStringLiteral("/drivers/furnace_driver.py")}},
            {QStringLiteral("settings"), QJsonObject{{QStringLiteral("telemetry_hz"), 5},
                                                     {QStringLiteral("ramp_c_per_s"), 200}}}},
        QJsonObject{{QStringLiteral("id"), QStringLiteral("balance-1")},
                    {QStringLiteral("type"), QStringLiteral("balance")},
                    {QStringLiteral("driver"), QStringLiteral("simulated")},
                    {QStringLiteral("acceleration"), 30}},
    };
    return {{QStringLiteral("alabos_lab"), 1},
            {QStringLiteral("name"), QStringLiteral("Real lab test")},
            {QStringLiteral("devices"), devices},
            {QStringLiteral("positions"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("furnace-1/tray")},
                                    {QStringLiteral("device"), QStringLiteral("furnace-1")},
                                    {QStringLiteral("slots"), 2}}}}};
}

const char *kTemplate = R"({"name": "bench-check", "tasks": [
  {"name": "weigh", "device_type": "balance", "command": "weigh", "duration_s": 15},
  {"name": "heat", "device_type": "modbus_furnace", "command": "heat", "duration_s": 10, "depends_on": ["weigh"],
   "parameters": {"temperature_c": 40}},
  {"name": "supply", "device_type": "power_supply", "command": "set_voltage", "duration_s": 1, "depends_on": ["heat"],
   "parameters": {"voltage_v": 12}},
  {"name": "anneal", "device_type": "tube_furnace", "command": "heat", "duration_s": 10, "depends_on": ["supply"],
   "parameters": {"temperature_c": 300, "hold_min": 0}}
]})";

bool writeJson(const QString &path, const QJsonObject &json)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           f.write(QJsonDocument(json).toJson()) > 0;
}

QString queryText(const QString &db, const QString &sql)
{
    return alabos::test::queryValue(db, sql);
}

qint64 count(const QString &db, const QString &sql)
{
    return alabos::test::queryValue(db, sql).toLongLong();
}

} // namespace

class TstRealLab : public QObject
{
    Q_OBJECT
    QString m_bin;

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
    }

    void aLabFileRunsOneWorkflowOnModbusScpiAPythonDriverAndASimulatedDevice()
    {
        ::test::PyServer modbus(QStringLiteral("modbus_server.py"), ::test::freePort());
        ::test::PyServer scpi(QStringLiteral("scpi_instrument.py"), ::test::freePort());
        QVERIFY(modbus.start());
        QVERIFY(scpi.start());
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-reallab-XXXXXX"));
        const QString dataDir = alabos::test::makeSharedTempDir(tmp);
        const QString labPath = tmp.filePath(QStringLiteral("lab.json"));
        QVERIFY(writeJson(labPath, lab(modbus.port(), scpi.port())));

        Alabos alabos;
        const QString db = alabos.startLab(m_bin, labPath, dataDir);
        QVERIFY2(!db.isEmpty(), qPrintable(alabos.text() + alabos.errors()));
        const QString bootstrap =
            alabos.waitFor(QStringLiteral("Kafka bootstrap (\\S+)")).captured(1);
        QVERIFY(!bootstrap.isEmpty());
        // Every declared device registered with its driver settings; positions with slots.
        QTRY_COMPARE_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM device_states WHERE status = 'idle'")),
            4, 30000);
        QCOMPARE(
            alabos::test::queryValue(db, QStringLiteral("SELECT string_agg(config->>'driver', ',' "
                                                        "ORDER BY id) FROM devices")),
            QStringLiteral("simulated,modbus,scpi,process"));
        QCOMPARE(alabos::test::queryValue(
                     db, QStringLiteral("SELECT string_agg(name, ',' ORDER BY name) "
                                        "FROM sample_positions")),
                 QStringLiteral("furnace-1/tray,furnace-1/tray/1,furnace-1/tray/2"));

        alabos.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.template.save"), QStringLiteral("bench-check"),
            {{QStringLiteral("definition"), QJsonDocument::fromJson(kTemplate).object()}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 1 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        alabos.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.submit"), {},
            {{QStringLiteral("template"), QStringLiteral("bench-check")},
             {QStringLiteral("barcodes"), QJsonArray{QStringLiteral("B-0001")}}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 2 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        QTRY_COMPARE_WITH_TIMEOUT(
            alabos::test::queryValue(db, QStringLiteral("SELECT status FROM workflows")),
            QStringLiteral("completed"), 120000);
        // Exact counts: four tasks, one on each device, each once.
        QCOMPARE(alabos::test::queryValue(
                     db, QStringLiteral("SELECT string_agg(name || '@' || device_id "
                                        "|| ':' || status || ':' || attempts, ',' "
                                        "ORDER BY id) FROM tasks")),
                 QStringLiteral("weigh@balance-1:completed:1,heat@furnace-1:completed:1,"
                                "supply@psu-1:completed:1,anneal@py-furnace-1:completed:1"));
        QCOMPARE(
            alabos::test::queryValue(db, QStringLiteral("SELECT string_agg(id || '=' || "
                                                        "tasks_completed, ',' ORDER BY id) FROM "
                                                        "devices")),
            QStringLiteral("balance-1=1,furnace-1=1,psu-1=1,py-furnace-1=1"));
        // The SCPI supply really got its voltage.
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = 'psu-1' "
                                     "AND metric = 'voltage_v' AND value = 12")) > 0,
            20000);
        // Telemetry of every real device, in PostgreSQL and on the topic.
        for (const auto &[device, metric] :
             {std::pair{"furnace-1", "temperature_c"}, std::pair{"psu-1", "voltage_v"},
              std::pair{"py-furnace-1", "temperature_c"}, std::pair{"balance-1", "mass_g"}}) {
            QTRY_VERIFY2_WITH_TIMEOUT(
                count(db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = '%1' "
                                         "AND metric = '%2'")
                              .arg(QLatin1StringView(device), QLatin1StringView(metric))) > 0,
                qPrintable(QStringLiteral("%1 %2").arg(QLatin1StringView(device),
                                                       QLatin1StringView(metric))),
                20000);
        }
        const auto records = alabos::test::readTopic(bootstrap, "alabos.telemetry", 2000, 10000);
        QSet<QByteArray> keys;
        for (const auto &r : records)
            keys.insert(r.key);
        for (const char *device : {"furnace-1", "psu-1", "py-furnace-1", "balance-1"})
            QVERIFY2(keys.contains(device), device);

        // Stop: every reading produced is persisted, nothing lost.
        ::kill(pid_t(alabos.process.processId()), SIGTERM);
        QVERIFY(alabos.process.waitForFinished(60000));
        alabos.out += alabos.process.readAllStandardOutput();
        const auto summary =
            QRegularExpression(
                QStringLiteral("alabos summary:[^\\n]*telemetry produced (\\d+), persisted (\\d+), "
                               "lost (\\d+)"))
                .match(alabos.text());
        QVERIFY2(summary.hasMatch(), qPrintable(alabos.text()));
        QCOMPARE(summary.captured(3), QStringLiteral("0"));
        QCOMPARE(summary.captured(1), summary.captured(2));
    }

    void theShippedBenchLabRunsItsExampleWorkflow()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-bench-XXXXXX"));
        const QString dataDir = alabos::test::makeSharedTempDir(tmp);
        Alabos alabos;
        const QString db =
            alabos.startLab(m_bin, examplesDir() + QStringLiteral("/labs/bench.json"), dataDir);
        QVERIFY2(!db.isEmpty(), qPrintable(alabos.text() + alabos.errors()));
        QFile workflow(examplesDir() + QStringLiteral("/labs/bench-workflow.json"));
        QVERIFY(workflow.open(QIODevice::ReadOnly));
        alabos.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.template.save"), QStringLiteral("bench-anneal"),
            {{QStringLiteral("definition"),
              QJsonDocument::fromJson(workflow.readAll()).object()}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 1 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        alabos.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.submit"), {},
            {{QStringLiteral("template"), QStringLiteral("bench-anneal")},
             {QStringLiteral("barcodes"),
              QJsonArray{QStringLiteral("S-0001"), QStringLiteral("S-0002")}}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 2 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        QTRY_COMPARE_WITH_TIMEOUT(
            queryText(db, QStringLiteral("SELECT string_agg(status, ',') FROM "
                                         "workflows")),
            QStringLiteral("completed"), 180000);
        QCOMPARE(queryText(db, QStringLiteral("SELECT string_agg(name || '@' || device_id || ':' "
                                              "|| status, ',' ORDER BY id) FROM tasks")),
                 QStringLiteral("weigh@balance-1:completed,load@robot-1:completed,"
                                "anneal@tube-furnace-1:completed,measure@xrd-1:completed"));
        QVERIFY(count(db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = "
                                         "'tube-furnace-1' AND metric = 'temperature_c' AND "
                                         "value > 400")) > 0);
    }

    void aModbusDeviceIsAddedChangedAndRemovedWhileTheLabRuns()
    {
        ::test::PyServer modbus(QStringLiteral("modbus_server.py"), ::test::freePort());
        QVERIFY(modbus.start());
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-reallab-XXXXXX"));
        const QString dataDir = alabos::test::makeSharedTempDir(tmp);
        const QString labPath = tmp.filePath(QStringLiteral("lab.json"));
        QVERIFY(writeJson(
            labPath,
            {{QStringLiteral("alabos_lab"), 1},
             {QStringLiteral("devices"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("balance-1")},
                                     {QStringLiteral("type"), QStringLiteral("balance")},
                                     {QStringLiteral("driver"), QStringLiteral("simulated")}}}}}));
        Alabos alabos;
        const QString db = alabos.startLab(m_bin, labPath, dataDir);
        QVERIFY2(!db.isEmpty(), qPrintable(alabos.text() + alabos.errors()));

        // Bad settings are refused naming the field, and change nothing.
        QJsonObject settings = modbusFurnace(QStringLiteral("x"), modbus.port(), 100);
        for (const char *key : {"id", "type", "driver"})
            settings.remove(QLatin1StringView(key));
        QJsonObject bad = settings;
        bad.insert(QStringLiteral("port"), 70000);
        alabos.send(alabos::test::headlessCommand(
            QStringLiteral("device.add"), QStringLiteral("furnace-9"),
            {{QStringLiteral("type"), QStringLiteral("modbus_furnace")},
             {QStringLiteral("driver"), QStringLiteral("modbus")},
             {QStringLiteral("settings"), bad}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 1 [^\\n]*refused[^\\n]*port"))
                     .hasMatch(),
                 qPrintable(alabos.text()));
        QCOMPARE(
            count(db, QStringLiteral("SELECT count(*) FROM device_states WHERE id = 'furnace-9'")),
            0);

        alabos.send(alabos::test::headlessCommand(
            QStringLiteral("device.add"), QStringLiteral("furnace-9"),
            {{QStringLiteral("type"), QStringLiteral("modbus_furnace")},
             {QStringLiteral("driver"), QStringLiteral("modbus")},
             {QStringLiteral("settings"), settings}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 2 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = "
                                     "'furnace-9'")) > 5,
            20000);
        // Changed: slower polling; the driver is rebuilt with the new settings.
        settings.insert(QStringLiteral("poll_ms"), 1000);
        alabos.send(alabos::test::headlessCommand(QStringLiteral("device.edit"),
                                                  QStringLiteral("furnace-9"),
                                                  {{QStringLiteral("settings"), settings}}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 3 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        QCOMPARE(queryText(db, QStringLiteral("SELECT config->>'poll_ms' FROM devices WHERE id = "
                                              "'furnace-9'")),
                 QStringLiteral("1000"));
        // Removed: its driver is gone, so its telemetry stops.
        alabos.send(alabos::test::headlessCommand(QStringLiteral("device.remove"),
                                                  QStringLiteral("furnace-9"), {}));
        QVERIFY2(alabos.waitFor(QStringLiteral("reply to command 4 [^\\n]*accepted")).hasMatch(),
                 qPrintable(alabos.text()));
        QTest::qWait(1500); // what was in flight is persisted
        const qint64 afterRemoval = count(
            db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = 'furnace-9'"));
        QTest::qWait(3000);
        QCOMPARE(count(db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = "
                                          "'furnace-9'")),
                 afterRemoval);
        QCOMPARE(queryText(db, QStringLiteral("SELECT string_agg(kind, ',' ORDER BY id) FROM "
                                              "events WHERE entity_id = 'furnace-9' AND "
                                              "entity_type = 'device' AND kind <> "
                                              "'device.status'")),
                 QStringLiteral("device.registered,device.edited,device.removed"));
    }

    void aRestartWithAChangedLabFileAppliesAndAuditsTheDifferences()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-reallab-XXXXXX"));
        const QString dataDir = alabos::test::makeSharedTempDir(tmp);
        const QString labPath = tmp.filePath(QStringLiteral("lab.json"));
        auto simulated = [](const QString &id, const QString &type, double acceleration) {
            return QJsonObject{{QStringLiteral("id"), id},
                               {QStringLiteral("type"), type},
                               {QStringLiteral("driver"), QStringLiteral("simulated")},
                               {QStringLiteral("acceleration"), acceleration}};
        };
        auto run = [&](const QJsonArray &devices) -> QString {
            if (!writeJson(labPath, {{QStringLiteral("alabos_lab"), 1},
                                     {QStringLiteral("devices"), devices}}))
                return {};
            Alabos alabos;
            alabos.start(m_bin,
                         {QStringLiteral("--headless"), QStringLiteral("--lab"), labPath,
                          QStringLiteral("--data-dir"), dataDir, QStringLiteral("--no-fsync"),
                          QStringLiteral("--run-for"), QStringLiteral("3")});
            alabos.process.waitForFinished(60000);
            alabos.out += alabos.process.readAllStandardOutput();
            return alabos.text() + alabos.errors();
        };
        QString out = run({simulated(QStringLiteral("a"), QStringLiteral("balance"), 1),
                           simulated(QStringLiteral("b"), QStringLiteral("balance"), 1),
                           simulated(QStringLiteral("c"), QStringLiteral("xrd"), 1)});
        QVERIFY2(out.contains(QStringLiteral("alabos summary")), qPrintable(out));
        out = run({simulated(QStringLiteral("a"), QStringLiteral("balance"), 1),
                   simulated(QStringLiteral("b"), QStringLiteral("balance"), 5),
                   simulated(QStringLiteral("d"), QStringLiteral("grinder"), 1)});
        // Shown: the start says what it changed.
        QVERIFY2(out.contains(QStringLiteral("lab of 3 devices: 1 added, 1 changed, 1 removed")),
                 qPrintable(out));
        out = run({simulated(QStringLiteral("a"), QStringLiteral("balance"), 1),
                   simulated(QStringLiteral("b"), QStringLiteral("balance"), 5),
                   simulated(QStringLiteral("d"), QStringLiteral("grinder"), 1)});
        QVERIFY2(!out.contains(QStringLiteral("lab of 3 devices:")), qPrintable(out)); // unchanged
        // Exported back: the lab file the database holds, which --check-lab accepts and which
        // names the same devices with the same settings.
        const QString exported = tmp.filePath(QStringLiteral("exported.json"));
        QProcess exporter;
        exporter.start(m_bin,
                       {QStringLiteral("--export-lab"), exported, QStringLiteral("--data-dir"),
                        dataDir, QStringLiteral("--no-fsync")});
        QVERIFY(exporter.waitForFinished(60000));
        QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject lab = QJsonDocument::fromJson(file.readAll()).object();
        QStringList devices;
        for (const QJsonValue &d : lab.value(QLatin1StringView("devices")).toArray())
            devices << d[QLatin1StringView("id")].toString() + u'/' +
                           QString::number(d[QLatin1StringView("acceleration")].toDouble());
        devices.sort();
        QCOMPARE(devices, (QStringList{QStringLiteral("a/1"), QStringLiteral("b/5"),
                                       QStringLiteral("d/1")}));
        QProcess check;
        check.start(m_bin, {QStringLiteral("--check-lab"), exported});
        QVERIFY(check.waitForFinished(30000));
        QCOMPARE(check.exitCode(), 0);

        // Audited, in the database the next start uses: read it with the embedded server.
        Alabos reader;
        const QString db = reader.startLab(m_bin, labPath, dataDir);
        QVERIFY(!db.isEmpty());
        // What the lab file changed (the status changes of drivers connecting aside).
        QCOMPARE(queryText(db, QStringLiteral("SELECT string_agg(entity_id || ':' || kind, ',' "
                                              "ORDER BY id) FROM events WHERE entity_type = "
                                              "'device' AND kind <> 'device.status'")),
                 QStringLiteral("a:device.registered,b:device.registered,c:device.registered,"
                                "b:device.edited,d:device.registered,c:device.removed"));
        QCOMPARE(queryText(db, QStringLiteral("SELECT payload->'config'->>'acceleration' FROM "
                                              "events WHERE kind = 'device.edited'")),
                 QStringLiteral("5"));
    }
};

QTEST_GUILESS_MAIN(TstRealLab)
#include "tst_reallab.moc"
