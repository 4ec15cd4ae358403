// The console's device set-up against a real engine and PostgreSQL and a real Modbus server
// (pymodbus): the form generated from the driver kind's settings, bad values refused in the
// form, the connection test, adding, changing and removing a Modbus device; and the lab setup
// a lab without devices shows.
#include "tests/support/enginelab.h"
#include "tests/support/pyserver.h"
#include "ui/consolesession.h"
#include "ui/devicesetupdialog.h"
#include "ui/devicespanel.h"
#include "ui/labmodels.h"
#include "ui/positiondialog.h"
#include "ui/schemaform.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace alabos;

namespace {

const char *kMap = R"({"unit_id": 1, "timeout_ms": 500, "registers": [
  {"name": "temperature_c", "table": "input", "address": 0, "scale": 0.1, "telemetry": true}]})";

// A session that talks to the engine, as the console's does.
struct Console
{
    ConsoleSession session;
    explicit Console(LabEngine &engine)
    {
        QObject::connect(&session, &ConsoleSession::commandIssued, &engine,
                         &LabEngine::handleCommand);
        QObject::connect(&engine, &LabEngine::commandReplied, &session, &ConsoleSession::onReply);
        session.setIdentity(QStringLiteral("ada"), Role::Admin, {});
    }
};

QString statusAfterSave(DeviceSetupDialog &dialog)
{
    dialog.saveButton()->click();
    QTest::qWait(50);
    return dialog.status()->text();
}

} // namespace

class TstDeviceSetup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(alabos::test::TestDatabase::instance().server().isRunning(),
                 qPrintable(alabos::test::TestDatabase::instance().error()));
    }

    void aModbusDeviceIsAddedChangedAndRemovedThroughTheForm()
    {
        ::test::PyServer modbus(QStringLiteral("modbus_server.py"), ::test::freePort());
        QVERIFY(modbus.start());
        alabos::test::EngineLab lab(alabos::test::TestDatabase::instance().createDatabase(),
                                    {{QStringLiteral("balance-1"), QStringLiteral("balance")}});
        QVERIFY(lab.start());
        Console console(lab.engine);

        DeviceSetupDialog dialog(&console.session);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.kindBox()->setCurrentText(QStringLiteral("modbus"));
        // The form is the kind's own settings definition.
        QVERIFY(dialog.settingsForm()->editor(QStringLiteral("host")));
        QVERIFY(dialog.settingsForm()->editor(QStringLiteral("port")));
        QVERIFY(dialog.settingsForm()->editor(QStringLiteral("poll_ms")));

        // Bad values: each refused in the form, naming the field; nothing is sent.
        dialog.idEdit()->setText(QStringLiteral("-furnace"));
        dialog.typeEdit()->setText(QStringLiteral("modbus_furnace"));
        QVERIFY2(statusAfterSave(dialog).startsWith(QStringLiteral("Name:")),
                 qPrintable(dialog.status()->text()));
        dialog.idEdit()->setText(QStringLiteral("furnace-9"));
        QVERIFY2(statusAfterSave(dialog).contains(QStringLiteral("Host")),
                 qPrintable(dialog.status()->text()));
        dialog.settingsForm()->setValues({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                          {QStringLiteral("port"), 70000}});
        QVERIFY2(statusAfterSave(dialog).contains(QStringLiteral("Port")),
                 qPrintable(dialog.status()->text()));
        dialog.settingsForm()->setValues(
            {{QStringLiteral("port"), int(modbus.port())}, {QStringLiteral("poll_ms"), 200}});
        dialog.extraEdit()->setPlainText(QStringLiteral("[1, 2]"));
        QVERIFY2(statusAfterSave(dialog).contains(QStringLiteral("must be one JSON object")),
                 qPrintable(dialog.status()->text()));
        dialog.extraEdit()->setPlainText(QStringLiteral("{\"register_map\": {\"registers\": []}}"));
        QVERIFY2(statusAfterSave(dialog).contains(QStringLiteral("register_map.registers")),
                 qPrintable(dialog.status()->text()));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM devices")), QStringLiteral("1"));

        // The connection test shows the instrument answering, before anything is saved.
        dialog.extraEdit()->setPlainText(
            QStringLiteral("{\"register_map\": %1}").arg(QString::fromUtf8(kMap)));
        dialog.testButton()->click();
        QTRY_VERIFY2_WITH_TIMEOUT(dialog.status()->text().startsWith(QStringLiteral("Connected")),
                                  qPrintable(dialog.status()->text()), 15000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM devices")), QStringLiteral("1"));

        dialog.saveButton()->click();
        QTRY_VERIFY2_WITH_TIMEOUT(dialog.result() == QDialog::Accepted,
                                  qPrintable(dialog.status()->text()), 15000);
        QCOMPARE(
            lab.q(QStringLiteral("SELECT config->>'driver' || ' ' || (config->>'port') || ' ' "
                                 "|| (config->>'poll_ms') FROM devices WHERE id = 'furnace-9'")),
            QStringLiteral("modbus %1 200").arg(modbus.port()));
        QVERIFY(lab.pool.driver(QStringLiteral("furnace-9")));

        // Edit: the settings come back into the form; a port nobody listens on is taken, and
        // the device shows offline with the reason.
        const QJsonObject stored =
            QJsonDocument::fromJson(lab.q(QStringLiteral("SELECT config::text FROM devices WHERE "
                                                         "id = 'furnace-9'"))
                                        .toUtf8())
                .object();
        DeviceSetupDialog edit(&console.session, stored);
        edit.show();
        QVERIFY(edit.idEdit()->isReadOnly());
        QCOMPARE(edit.kindBox()->currentText(), QStringLiteral("modbus"));
        QCOMPARE(edit.settingsForm()->text(QStringLiteral("port")), QString::number(modbus.port()));
        QVERIFY(edit.extraEdit()->toPlainText().contains(QStringLiteral("register_map")));
        const quint16 deadPort = ::test::freePort();
        edit.settingsForm()->setValues({{QStringLiteral("port"), int(deadPort)}});
        edit.saveButton()->click();
        QTRY_VERIFY2_WITH_TIMEOUT(edit.result() == QDialog::Accepted,
                                  qPrintable(edit.status()->text()), 15000);
        QCOMPARE(
            lab.q(QStringLiteral("SELECT config->>'port' FROM devices WHERE id = 'furnace-9'")),
            QString::number(deadPort));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'furnace-9'")),
            QStringLiteral("offline"), 15000);

        // Remove: the driver is gone.
        bool removed = false;
        console.session.send(QStringLiteral("device.remove"), QStringLiteral("furnace-9"), {},
                             [&](const CommandReply &r) { removed = r.ok; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 15000);
        QVERIFY(!lab.pool.driver(QStringLiteral("furnace-9")));
    }

    void onlyAnAdminMayChangeTheLab()
    {
        // The engine refuses whatever path the command came by; the form shows its answer.
        alabos::test::EngineLab lab(alabos::test::TestDatabase::instance().createDatabase(), {});
        QVERIFY(lab.start());
        Console console(lab.engine);
        console.session.setIdentity(QStringLiteral("sue"), Role::Supervisor, {});
        QVERIFY(!console.session.can(permission::LabConfig));
        DeviceSetupDialog dialog(&console.session);
        dialog.kindBox()->setCurrentText(QStringLiteral("simulated"));
        dialog.idEdit()->setText(QStringLiteral("balance-2"));
        dialog.typeEdit()->setText(QStringLiteral("balance"));
        dialog.saveButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.status()->text().contains(QStringLiteral("lab_config")),
                                 10000);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM devices")), QStringLiteral("0"));
    }

    void aRackWithSlotsIsAddedThroughTheForm()
    {
        alabos::test::EngineLab lab(alabos::test::TestDatabase::instance().createDatabase(),
                                    {{QStringLiteral("furnace-1"), QStringLiteral("box_furnace")}});
        QVERIFY(lab.start());
        Console console(lab.engine);
        PositionDialog dialog(&console.session, {QStringLiteral("furnace-1")});
        dialog.nameEdit()->setText(QStringLiteral("tray//x"));
        dialog.addButton()->click();
        QVERIFY2(dialog.status()->text().startsWith(QStringLiteral("Name:")),
                 qPrintable(dialog.status()->text()));
        dialog.nameEdit()->setText(QStringLiteral("furnace-1/tray"));
        dialog.deviceBox()->setCurrentIndex(
            dialog.deviceBox()->findData(QStringLiteral("furnace-1")));
        dialog.slotsBox()->setValue(3);
        dialog.addButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);
        QCOMPARE(lab.q(QStringLiteral("SELECT string_agg(name || '@' || device_id, ',' ORDER BY "
                                      "name) FROM sample_positions")),
                 QStringLiteral("furnace-1/tray@furnace-1,furnace-1/tray/1@furnace-1,"
                                "furnace-1/tray/2@furnace-1,furnace-1/tray/3@furnace-1"));
        // The same again: the engine's refusal is shown, nothing doubled.
        PositionDialog again(&console.session, {QStringLiteral("furnace-1")});
        again.nameEdit()->setText(QStringLiteral("furnace-1/tray"));
        again.addButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(again.status()->text().contains(QStringLiteral("already exists")),
                                 10000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM sample_positions")),
                 QStringLiteral("4"));
    }

    void aLabWithoutDevicesShowsTheLabSetup()
    {
        LabModels models;
        DevicesPanel panel(&models);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.labSetup()->isVisible());
        QSignalSpy add(&panel, &DevicesPanel::addDeviceRequested);
        panel.labSetup()->findChild<QPushButton *>(QStringLiteral("labSetupAddDevice"))->click();
        QCOMPARE(add.size(), 1);
        FeedUpdate u;
        u.reset = true;
        u.devices.append({QStringLiteral("f-1"),
                          QStringLiteral("box_furnace"),
                          DeviceStatus::Idle,
                          0,
                          0,
                          nowMicros(),
                          {}});
        models.apply(u);
        QTRY_VERIFY(!panel.labSetup()->isVisible());
        QVERIFY(panel.tableView()->isVisible());
    }
};

QTEST_MAIN(TstDeviceSetup)
#include "tst_devicesetup.moc"
