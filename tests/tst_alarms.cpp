// Alarms: rules, latching, acknowledgement, shelving, permissions; committed through the
// real storage writer, and shown by the console's alarms panel.
#include "app/consolewiring.h"
#include "app/labruntime.h"
#include "core/bus/statefeed.h"
#include "core/drivers/simulateddevice.h"
#include "core/engine/alarmservice.h"
#include "core/storage/snapshot.h"
#include "core/storage/storagewriter.h"
#include "tests/support/childprocess.h"
#include "tests/support/testdatabase.h"
#include "ui/alarmspanel.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"

#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <csignal>
#include <limits>
#include <unistd.h>

using namespace alabos;
using test::TestDatabase;

namespace {
OperatorCommand command(const QString &kind, qint64 alarmId, Role role, QJsonObject args = {})
{
    static qint64 next = 1;
    OperatorCommand c;
    c.id = next++;
    c.user = QStringLiteral("olga");
    c.host = QStringLiteral("bench-3");
    c.role = role;
    c.kind = kind;
    c.entityId = QString::number(alarmId);
    c.args = args;
    return c;
}

Alarm alarmCopy(qint64 id, AlarmState state, qint64 revision, const QString &message)
{
    Alarm a;
    a.id = id;
    a.key = QStringLiteral("device:furnace-%1").arg(id);
    a.source = QStringLiteral("device");
    a.severity = AlarmSeverity::Alarm;
    a.state = state;
    a.message = message;
    a.revision = revision;
    a.clearedUs = state == AlarmState::Cleared ? revision : 0;
    return a;
}

struct AlarmLab
{
    QString conn = TestDatabase::instance().createDatabase();
    QThread thread;
    StorageWriter *writer;
    AlarmService alarms;
    AlarmLab()
    {
        registerMetaTypes();
        registerCommandMetaTypes();
        writer = new StorageWriter(conn);
        writer->moveToThread(&thread);
        thread.start();
        QObject::connect(&alarms, &AlarmService::changesReady, writer, &StorageWriter::submit);
        QObject::connect(writer, &StorageWriter::committed, &alarms, &AlarmService::onCommitted);
        AlarmRule rule;
        rule.deviceType = QStringLiteral("box_furnace");
        rule.metric = QStringLiteral("temperature_c");
        rule.highWarning = 1150;
        rule.highAlarm = 1250;
        alarms.setRules({rule});
        alarms.setDeviceType(QStringLiteral("furnace-1"), QStringLiteral("box_furnace"));
    }
    ~AlarmLab()
    {
        QMetaObject::invokeMethod(
            writer, [w = writer] { delete w; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    QString events(const QString &kind)
    {
        return test::queryValue(
            conn, QStringLiteral(
                      "SELECT count(*) FROM events WHERE entity_type = 'alarm' AND kind = '%1'")
                      .arg(kind));
    }
    Alarm only()
    {
        const auto open = alarms.openAlarms();
        return open.isEmpty() ? Alarm{} : open.first();
    }
};
} // namespace

class TstAlarms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void rulesAreValidated()
    {
        QString error;
        QVERIFY(
            !AlarmRule::fromJson({{QStringLiteral("device_type"), QStringLiteral("x")}}, &error));
        QVERIFY(error.contains(QStringLiteral("required")));
        QVERIFY(!AlarmRule::fromJson({{QStringLiteral("device_type"), QStringLiteral("x")},
                                      {QStringLiteral("metric"), QStringLiteral("t")},
                                      {QStringLiteral("high_warning"), 10},
                                      {QStringLiteral("high_alarm"), 5}},
                                     &error));
        QVERIFY(error.contains(QStringLiteral("low_alarm <= low_warning")));
        QVERIFY(!AlarmRule::fromJson({{QStringLiteral("device_type"), QStringLiteral("x")},
                                      {QStringLiteral("metric"), QStringLiteral("t")},
                                      {QStringLiteral("high_alarm"), QStringLiteral("hot")}},
                                     &error));
        QVERIFY(error.contains(QStringLiteral("\"high_alarm\" must be a number")));
        const auto shipped =
            AlarmService::loadRules(QStringLiteral(":/alabos/alarms/rules.json"), &error);
        QVERIFY2(!shipped.isEmpty(), qPrintable(error));
    }

    void thresholdAlarmLatchesUntilAcknowledged()
    {
        AlarmLab lab;
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1000, 0);
        QVERIFY(lab.alarms.openAlarms().isEmpty());
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1180, 0);
        QCOMPARE(toString(lab.only().severity), toString(AlarmSeverity::Warning));
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1190,
                             0); // no news
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1300,
                             0); // worse
        QCOMPARE(toString(lab.only().severity), toString(AlarmSeverity::Alarm));
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 900,
                             0);                     // back to normal
        QCOMPARE(lab.alarms.openAlarms().size(), 1); // latched
        QVERIFY(!lab.only().conditionActive);
        QCOMPARE(toString(lab.only().state), toString(AlarmState::Active));
        QTRY_COMPARE_WITH_TIMEOUT(lab.events(QStringLiteral("alarm.raised")), QStringLiteral("2"),
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(lab.events(QStringLiteral("alarm.returned")), QStringLiteral("1"),
                                  10000);

        QSignalSpy replies(&lab.alarms, &AlarmService::commandReplied);
        lab.alarms.handleCommand(
            command(QStringLiteral("alarm.ack"), lab.only().id, Role::Operator));
        QVERIFY(lab.alarms.openAlarms().isEmpty()); // acknowledged after returning: cleared
        QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 10000); // replied only after the commit
        const auto reply = replies.first().at(0).value<CommandReply>();
        QVERIFY(reply.ok);
        QVERIFY(reply.message.contains(QStringLiteral("olga@bench-3")));
        QCOMPARE(lab.events(QStringLiteral("alarm.cleared")), QStringLiteral("1"));
        QCOMPARE(
            test::queryValue(
                lab.conn,
                QStringLiteral(
                    "SELECT payload->>'acknowledged_by' FROM events WHERE kind = 'alarm.cleared'")),
            QStringLiteral("olga"));
        // Audited like every command: user and host.
        QCOMPARE(
            test::queryValue(
                lab.conn,
                QStringLiteral("SELECT payload->>'user' || '@' || (payload->>'host') FROM events "
                               "WHERE entity_type = 'command' AND kind = 'command.accepted'")),
            QStringLiteral("olga@bench-3"));
    }

    void acknowledgedAlarmClearsWhenTheConditionDoes()
    {
        AlarmLab lab;
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1300, 0);
        lab.alarms.handleCommand(
            command(QStringLiteral("alarm.ack"), lab.only().id, Role::Supervisor));
        QCOMPARE(toString(lab.only().state), toString(AlarmState::Acknowledged));
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1000, 0);
        QVERIFY(lab.alarms.openAlarms().isEmpty());
    }

    void permissionsAndBadInputAreRefused()
    {
        AlarmLab lab;
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1300, 0);
        QSignalSpy replies(&lab.alarms, &AlarmService::commandReplied);
        lab.alarms.handleCommand(command(QStringLiteral("alarm.shelve"), lab.only().id,
                                         Role::Technician,
                                         {{QStringLiteral("duration"), QStringLiteral("1h")}}));
        lab.alarms.handleCommand(
            command(QStringLiteral("alarm.shelve"), lab.only().id, Role::Operator,
                    {{QStringLiteral("duration"), QStringLiteral("3 weeks")}}));
        lab.alarms.handleCommand(command(QStringLiteral("alarm.ack"), 424242, Role::Operator));
        QCOMPARE(replies.size(), 3);
        QVERIFY(replies[0].at(0).value<CommandReply>().message.contains(
            QStringLiteral("alarm_shelve")));
        QVERIFY(replies[1].at(0).value<CommandReply>().message.contains(
            QStringLiteral("1h, 8h or 7d")));
        QVERIFY(replies[2].at(0).value<CommandReply>().message.contains(
            QStringLiteral("no open alarm")));
        for (const auto &r : replies)
            QVERIFY(!r.at(0).value<CommandReply>().ok);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(lab.conn,
                             QStringLiteral("SELECT count(*) FROM events WHERE entity_type = "
                                            "'command' AND kind = 'command.refused'")),
            QStringLiteral("3"), 10000);
        QCOMPARE(toString(lab.only().state), toString(AlarmState::Active));
    }

    void shelvedAlarmComesBackIfTheConditionHolds()
    {
        AlarmLab lab;
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1300, 0);
        QSignalSpy replies(&lab.alarms, &AlarmService::commandReplied);
        lab.alarms.handleCommand(command(QStringLiteral("alarm.shelve"), lab.only().id,
                                         Role::Operator,
                                         {{QStringLiteral("duration"), QStringLiteral("8h")}}));
        QCOMPARE(toString(lab.only().state), toString(AlarmState::Shelved));
        QVERIFY(lab.only().shelvedUntilUs > nowMicros() + 7LL * 3600 * 1000000);
        QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 10000);
        lab.alarms.expireShelves();
        QCOMPARE(toString(lab.only().state), toString(AlarmState::Shelved)); // not yet
    }

    void deviceErrorsAndTaskFailuresRaiseAlarms()
    {
        AlarmLab lab;
        ChangeSet c;
        c.devices.append(
            {QStringLiteral("xrd-1"), QStringLiteral("xrd"), DeviceStatus::Error, 0, 0, 0});
        TaskState failed;
        failed.id = 9;
        failed.name = QStringLiteral("measure");
        failed.status = TaskStatus::Failed;
        failed.deviceId = QStringLiteral("xrd-1");
        failed.message = QStringLiteral("tube fault");
        c.tasks.append(failed);
        lab.alarms.observe(1, c);
        QCOMPARE(lab.alarms.openAlarms().size(), 2);
        c.devices.first().status = DeviceStatus::Idle;
        c.tasks.clear();
        lab.alarms.observe(2, c);
        const auto open = lab.alarms.openAlarms();
        QCOMPARE(open.size(), 2); // both latched until acknowledged
        lab.alarms.onDatabaseState(false, QStringLiteral("connection refused"));
        QCOMPARE(lab.alarms.openAlarms().size(), 3);
    }

    void telemetryBackPressureAndLossRaiseAlarms()
    {
        AlarmLab lab;
        lab.alarms.onTelemetryState(true,
                                    QStringLiteral("The telemetry persister is 2.0 MB behind"));
        QCOMPARE(lab.alarms.openAlarms().size(), 1);
        QCOMPARE(toString(lab.only().severity), toString(AlarmSeverity::Warning));
        QCOMPARE(lab.only().source, QStringLiteral("telemetry"));
        QVERIFY(lab.only().conditionActive);
        lab.alarms.onTelemetryState(false, QStringLiteral("caught up"));
        QVERIFY(!lab.only().conditionActive); // latched until acknowledged, condition gone

        lab.alarms.onTelemetryLost(
            120, QStringLiteral("120 telemetry readings of partition 3 were lost"));
        const auto open = lab.alarms.openAlarms();
        QCOMPARE(open.size(), 2);
        const auto lost = std::find_if(open.cbegin(), open.cend(), [](const Alarm &a) {
            return a.key == QStringLiteral("telemetry:lost");
        });
        QVERIFY(lost != open.cend());
        QCOMPARE(toString(lost->severity), toString(AlarmSeverity::Alarm));
        QCOMPARE(lost->value, 120.0);
        // A second loss raises it again with its own figures.
        lab.alarms.onTelemetryLost(7,
                                   QStringLiteral("7 telemetry readings of partition 1 were lost"));
        const auto again = lab.alarms.openAlarms();
        QCOMPARE(again.size(), 2);
        for (const Alarm &a : again)
            if (a.key == QStringLiteral("telemetry:lost"))
                QVERIFY(a.message.startsWith(QStringLiteral("7 ")));
    }

    void aNonFiniteReadingNeverEndsAConditionAndIsAFaultAlarm()
    {
        AlarmLab lab;
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1300, 0);
        QCOMPARE(lab.alarms.openAlarms().size(), 1);
        QVERIFY(lab.only().conditionActive);
        // A faulty float register reads NaN: the over-temperature condition stays.
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), qQNaN(),
                             0);
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
                             std::numeric_limits<double>::infinity(), 0);
        QCOMPARE(lab.alarms.openAlarms().size(), 1);
        QVERIFY(lab.only().conditionActive);
        QCOMPARE(lab.only().value, 1300.0);
        // The driver reports it as a fault: an alarm of its own, naming device and metric.
        lab.alarms.onTelemetryFault(
            QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
            QStringLiteral("furnace-1: temperature_c reading is not a number (nan)"));
        const auto open = lab.alarms.openAlarms();
        QCOMPARE(open.size(), 2);
        const auto fault = std::find_if(open.cbegin(), open.cend(), [](const Alarm &a) {
            return a.key == QStringLiteral("fault:furnace-1:temperature_c");
        });
        QVERIFY(fault != open.cend());
        QCOMPARE(fault->deviceId, QStringLiteral("furnace-1"));
        QCOMPARE(toString(fault->severity), toString(AlarmSeverity::Warning));
        QVERIFY(fault->message.contains(QStringLiteral("not a number")));
    }

    void aDriverReportsANonFiniteReadingAsAFaultNotAValue()
    {
        // The driver side: publishReading drops it and signals a fault, once a minute at most.
        struct Probe : SimulatedDevice
        {
            using SimulatedDevice::SimulatedDevice;
            void push(double v) { publishReading(QStringLiteral("temperature_c"), v, 0); }
        } probe(QStringLiteral("furnace-1"), QStringLiteral("box_furnace"), 1);
        QSignalSpy readings(&probe, &DeviceDriver::telemetry);
        QSignalSpy faults(&probe, &DeviceDriver::telemetryFault);
        probe.push(qQNaN());
        probe.push(std::numeric_limits<double>::infinity());
        probe.push(812.5);
        QCOMPARE(readings.size(), 1);
        QCOMPARE(readings.at(0).at(2).toDouble(), 812.5);
        QCOMPARE(faults.size(), 1); // the second within the minute is only counted
        QCOMPARE(probe.telemetryFaults(), 2);
    }

    void panelShowsAlarmsAndGatesActions()
    {
        LabModels models;
        ConsoleSession session;
        AlarmsPanel panel(&models, &session);
        QSignalSpy unacked(&panel, &AlarmsPanel::unacknowledgedChanged);
        FeedUpdate u;
        Alarm a;
        a.id = 7;
        a.key = QStringLiteral("threshold:furnace-1:temperature_c");
        a.severity = AlarmSeverity::Alarm;
        a.message = QStringLiteral("too hot");
        u.alarms.append(a);
        models.apply(u);
        QCOMPARE(panel.openAlarms()->rowCount(), 1);
        QCOMPARE(unacked.last().at(0).toInt(), 1);
        panel.openView()->selectRow(0);
        auto *ack = panel.findChild<QPushButton *>(QStringLiteral("acknowledgeAlarm"));
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {}); // may acknowledge
        QVERIFY(ack->isEnabled());
        session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
        QSignalSpy issued(&session, &ConsoleSession::commandIssued);
        ack->click();
        QCOMPARE(issued.size(), 1);
        QCOMPARE(issued.first().at(0).value<OperatorCommand>().kind, QStringLiteral("alarm.ack"));
        QCOMPARE(issued.first().at(0).value<OperatorCommand>().entityId, QStringLiteral("7"));
        // Cleared: moves to the history.
        a.state = AlarmState::Cleared;
        FeedUpdate cleared;
        cleared.alarms.append(a);
        models.apply(cleared);
        QCOMPARE(panel.openAlarms()->rowCount(), 0);
        QCOMPARE(panel.history()->rowCount(), 1);
        QCOMPARE(unacked.last().at(0).toInt(), 0);
    }

    void snapshotCarriesOpenAlarms()
    {
        AlarmLab lab;
        lab.alarms.onReading(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), 1300, 0);
        QTRY_COMPARE_WITH_TIMEOUT(lab.events(QStringLiteral("alarm.raised")), QStringLiteral("1"),
                                  10000);
        QString error;
        const auto snapshot = loadSnapshot(lab.conn, 10, &error);
        QVERIFY2(snapshot, qPrintable(error));
        QCOMPARE(snapshot->alarms.size(), 1);
        QCOMPARE(toString(Alarm::fromJson(snapshot->alarms.first())->severity),
                 toString(AlarmSeverity::Alarm));
    }

    void copiesFromTheFeedAndTheServiceKeepTheNewest()
    {
        ConsoleAlarms alarms;
        // The service's copy (revision 2: acknowledged) before the feed's older one.
        Alarm acked = alarmCopy(1, AlarmState::Acknowledged, 2, QStringLiteral("door open"));
        alarms.applyLocal(acked);
        QTRY_COMPARE(alarms.open()->rowCount(), 1);
        alarms.applyFeed({alarmCopy(1, AlarmState::Active, 1, QStringLiteral("door open"))}, false);
        QVERIFY(alarms.open()->find(1)->state == AlarmState::Acknowledged);
        QCOMPARE(alarms.unacknowledged(), 0);
        // A snapshot from a database that has not committed it yet keeps what the service said.
        alarms.applyLocal(alarmCopy(2, AlarmState::Active, 1, QStringLiteral("overheated")));
        QTRY_COMPARE(alarms.open()->rowCount(), 2);
        alarms.applyFeed({alarmCopy(1, AlarmState::Active, 1, QStringLiteral("door open"))}, true);
        QCOMPARE(alarms.open()->rowCount(), 2);
        QVERIFY(alarms.open()->find(1)->state == AlarmState::Acknowledged);
        QVERIFY(alarms.open()->find(2));
        // The feed catches up: the service's copies are no longer held apart.
        alarms.applyFeed({acked, alarmCopy(2, AlarmState::Active, 1, QStringLiteral("overheated"))},
                         false);
        QCOMPARE(alarms.localPending(), 0);
        // Cleared stays cleared, whatever older copy turns up later.
        alarms.applyLocal(alarmCopy(2, AlarmState::Cleared, 3, QStringLiteral("overheated")));
        QTRY_COMPARE(alarms.history()->rowCount(), 1);
        QCOMPARE(alarms.open()->rowCount(), 1);
        alarms.applyFeed({alarmCopy(2, AlarmState::Active, 1, QStringLiteral("overheated"))},
                         false);
        QCOMPARE(alarms.open()->rowCount(), 1);
        QVERIFY(!alarms.open()->find(2));
        // A storm of changes becomes one batch of rows.
        QSignalSpy inserted(alarms.open(), &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 3000; ++i)
            alarms.applyLocal(alarmCopy(100 + i, AlarmState::Active, 1, QStringLiteral("storm")));
        QTRY_COMPARE(alarms.open()->rowCount(), 3001);
        QCOMPARE(inserted.size(), 1);
    }

    void theSchedulersConsoleShowsItsAlarmsWhileTheBrokerIsStopped()
    {
        // The scheduler's own console as the window has it: a LabRuntime with the embedded
        // broker and a simulated lab, its feed and its own alarms reaching the panel.
        Options options;
        options.databaseUrl = TestDatabase::instance().createDatabase();
        options.simulate = QStringLiteral("demo");
        options.devices = 20;
        options.shutdownGraceMs = 0;
        LabRuntime runtime(options);
        QString error;
        QVERIFY2(runtime.start(&error), qPrintable(error));
        LabModels models;
        ConsoleSession session;
        runtime.subscribeFeed(&models, [&models](const FeedUpdate &u) { models.apply(u); });
        showOwnAlarms(runtime, models.alarms());
        AlarmsPanel panel(&models, &session);
        QTRY_VERIFY_WITH_TIMEOUT(models.devices()->rowCount() > 0, 30000);

        // The broker hangs (stopped, not dead: nothing starts it again). The lab goes on; its
        // events wait for the relay, which raises the broker alarm.
        const auto helper = pid_t(test::childNamed(::getpid(), "alabos-broker"));
        QVERIFY(helper != 0);
        QCOMPARE(::kill(helper, SIGSTOP), 0);
        // Running again whatever happens below, so the runtime can stop it.
        const auto resume = qScopeGuard([helper] { ::kill(helper, SIGCONT); });
        auto brokerAlarmShown = [&] {
            for (const Alarm &a : panel.openAlarms()->rows())
                if (a.source == QLatin1StringView("broker")) return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(brokerAlarmShown(), 30000);
        const int row = [&] {
            for (int i = 0; i < panel.openAlarms()->rowCount(); ++i)
                if (panel.openAlarms()->at(i).source == QLatin1StringView("broker")) return i;
            return -1;
        }();
        QVERIFY(
            panel.openAlarms()
                ->data(panel.openAlarms()->index(row, AlarmTableModel::Message), Qt::DisplayRole)
                .toString()
                .contains(QLatin1StringView("Kafka")));
        runtime.stop();
    }
};

QTEST_MAIN(TstAlarms)
#include "tst_alarms.moc"
