// Operator commands against the real engine, StorageWriter (PostgreSQL) and simulated
// drivers: every kind, the permission refusals and bad input. Replies come only after the
// commit, so each check of the database right after a reply is exact.
#include "tests/support/enginelab.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace alabos;
using test::EngineLab;
using test::TestDatabase;

namespace {
const QList<DeviceSpec> kLab{{QStringLiteral("doser-1"), QStringLiteral("dosing_station")},
                             {QStringLiteral("balance-1"), QStringLiteral("balance")},
                             {QStringLiteral("robot-1"), QStringLiteral("robot_arm")},
                             {QStringLiteral("furnace-1"), QStringLiteral("box_furnace")},
                             {QStringLiteral("grinder-1"), QStringLiteral("grinder")},
                             {QStringLiteral("xrd-1"), QStringLiteral("xrd")}};

QJsonObject submitArgs(const QString &tmpl, const QStringList &barcodes,
                       const QJsonValue &prio = QStringLiteral("normal"))
{
    return {{QStringLiteral("template"), tmpl},
            {QStringLiteral("barcodes"), QJsonArray::fromStringList(barcodes)},
            {QStringLiteral("priority"), prio}};
}
qint64 firstTask(const CommandReply &r, int index = 0)
{
    return r.data.value(QLatin1StringView("task_ids")).toArray().at(index).toInteger();
}
// A one-task workflow template from its task's JSON.
WorkflowTemplate oneTask(const QString &name, const QJsonObject &task)
{
    QString error;
    const auto t = WorkflowTemplate::fromJson(
        {{QStringLiteral("name"), name}, {QStringLiteral("tasks"), QJsonArray{task}}}, &error);
    if (!t) qFatal("template %s: %s", qPrintable(name), qPrintable(error));
    return *t;
}
} // namespace

class TstEngineCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void permissionsAreChecked()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        auto r = lab.command(QStringLiteral("device.pause"), QStringLiteral("xrd-1"), {},
                             Role::Technician);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("lacks the permission \"device_control\"")),
                 qPrintable(r.message));
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("P-1")}),
                        Role::Operator);
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("workflow_submit")));
        r = lab.command(QStringLiteral("device.add"), QStringLiteral("xrd-9"),
                        {{QStringLiteral("type"), QStringLiteral("xrd")},
                         {QStringLiteral("driver"), QStringLiteral("simulated")}},
                        Role::Supervisor);
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("lab_config")));
        r = lab.command(QStringLiteral("device.explode"), QStringLiteral("xrd-1"));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("unknown command")));
        // Nothing changed, and every refusal is in the audit trail with user and host.
        QCOMPARE(lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'xrd-1'")),
                 QStringLiteral("idle"));
        QCOMPARE(
            lab.q(QStringLiteral("SELECT count(*) FROM events WHERE kind = 'command.refused'")),
            QStringLiteral("4"));
        QCOMPARE(lab.q(QStringLiteral("SELECT payload->>'user' || '@' || (payload->>'host') FROM "
                                      "events WHERE kind = 'command.refused' LIMIT 1")),
                 QStringLiteral("ada@bench-3"));
        QCOMPARE(lab.engine.stats().commandsRefused, qint64(4));
    }

    void directDriverCommands()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        const QJsonObject heat{
            {QStringLiteral("command"), QStringLiteral("heat")},
            {QStringLiteral("parameters"),
             QJsonObject{{QStringLiteral("temperature_c"), 500}, {QStringLiteral("hold_min"), 0}}}};
        // In scheduling: refused, the device could meet a task.
        auto r = lab.command(QStringLiteral("device.command"), QStringLiteral("furnace-1"), heat);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("out of scheduling")), qPrintable(r.message));
        r = lab.command(QStringLiteral("device.maintenance"), QStringLiteral("furnace-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        r = lab.command(QStringLiteral("device.reconnect"), QStringLiteral("furnace-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        // Out of range: the driver's own validation answers, nothing runs.
        QJsonObject tooHot = heat;
        tooHot.insert(QStringLiteral("parameters"),
                      QJsonObject{{QStringLiteral("temperature_c"), 5000}});
        r = lab.command(QStringLiteral("device.command"), QStringLiteral("furnace-1"), tooHot);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("temperature_c")), qPrintable(r.message));
        // In maintenance: runs and answers when the device does.
        r = lab.command(QStringLiteral("device.command"), QStringLiteral("furnace-1"), heat);
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(r.message.contains(QStringLiteral("heat on furnace-1 done")));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM events WHERE entity_type = 'command' "
                                      "AND payload->>'kind' = 'device.command'")),
                 QStringLiteral("3")); // each of the three audited, refused or not
    }

    void pauseResumeAndMaintenance()
    {
        FailureScript slow;
        slow.slowFactor = 200; // the furnace takes ~24 s: long enough to act while it is busy
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab,
                      {{QStringLiteral("furnace-1"), slow}});
        QVERIFY(lab.start());
        // Idle: paused at once; work for it waits.
        auto r = lab.command(QStringLiteral("device.pause"), QStringLiteral("doser-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'doser-1'")),
                 QStringLiteral("paused"));
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("PR-1")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 dose = firstTask(r);
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(dose), QStringLiteral("ready"), 10000);
        QTest::qWait(200);
        QCOMPARE(lab.taskStatus(dose), QStringLiteral("ready"));
        r = lab.command(QStringLiteral("device.resume"), QStringLiteral("doser-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(dose), QStringLiteral("completed"), 10000);
        // Busy: maintenance after the current task.
        const qint64 fire =
            firstTask(r.ok ? lab.command(QStringLiteral("workflow.submit"), {},
                                         submitArgs(QStringLiteral("demo-synthesis"),
                                                    {QStringLiteral("PR-2")}))
                           : r,
                      3);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'furnace-1'")),
            QStringLiteral("busy"), 20000);
        r = lab.command(QStringLiteral("device.maintenance"), QStringLiteral("furnace-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(r.message.contains(QStringLiteral("after task")));
        QCOMPARE(lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'furnace-1'")),
                 QStringLiteral("busy"));
        QVERIFY(fire > 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'furnace-1'")),
            QStringLiteral("maintenance"), 60000);
        // The next firing waits for the furnace to come back.
        QCOMPARE(lab.q(QStringLiteral(
                     "SELECT count(*) FROM tasks WHERE name = 'fire' AND status = 'completed'")),
                 QStringLiteral("1"));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral(
                "SELECT count(*) FROM tasks WHERE name = 'fire' AND status = 'ready'")),
            QStringLiteral("1"), 30000);
        r = lab.command(QStringLiteral("device.resume"), QStringLiteral("furnace-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral(
                "SELECT count(*) FROM tasks WHERE name = 'fire' AND status = 'completed'")),
            QStringLiteral("2"), 60000);
        // Bad input.
        r = lab.command(QStringLiteral("device.pause"), QStringLiteral("no-such-device"));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("unknown device \"no-such-device\"")));
        r = lab.command(QStringLiteral("device.resume"),
                        QStringLiteral("doser-1")); // idle: both samples were dosed long ago
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("not paused")));
    }

    void cancelRunningReachesTheDriverThenCleanup()
    {
        FailureScript slow;
        slow.slowFactor = 100; // firing takes ~12 s, the cleanup as long
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab,
                      {{QStringLiteral("furnace-1"), slow}});
        QVERIFY(lab.start());
        auto r = lab.command(QStringLiteral("workflow.submit"), {},
                             submitArgs(QStringLiteral("synthesis"), {QStringLiteral("C-1")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 fire = firstTask(r, 3);
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(fire), QStringLiteral("running"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(lab.dispatched.value(QStringLiteral("furnace-1")), 1,
                                  20000); // the furnace has it
        r = lab.command(QStringLiteral("task.cancel"), QString::number(fire), {}, Role::Operator);
        QVERIFY2(r.ok, qPrintable(r.message));
        // The furnace was told (its cancel answers at once), then the cleanup step ran on it.
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(fire), QStringLiteral("cancelled"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT message FROM tasks WHERE id = %1").arg(fire))
                .contains(QStringLiteral("cleanup \"status\"")),
            5000);
        QVERIFY(lab.q(QStringLiteral("SELECT message FROM tasks WHERE id = %1").arg(fire))
                    .contains(QStringLiteral("cancelled by ada")));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'cancelled'")),
            QStringLiteral("3"), 5000);
        QCOMPARE(lab.q(QStringLiteral("SELECT status FROM workflows")), QStringLiteral("failed"));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'furnace-1'")),
            QStringLiteral("idle"), 5000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM resource_leases")),
                 QStringLiteral("0"));
        // A finished task cannot be cancelled again; a bad id is refused.
        r = lab.command(QStringLiteral("task.cancel"), QString::number(fire));
        QVERIFY(!r.ok);
        r = lab.command(QStringLiteral("task.cancel"), QStringLiteral("banana"));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("unknown task \"banana\"")));
    }

    void queueEditing()
    {
        // One balance blocked by a slow first weigh; three more weigh tasks wait behind it.
        FailureScript slow;
        slow.slowFactor = 300;
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab,
                      {{QStringLiteral("balance-1"), slow}});
        QVERIFY(lab.start());
        QList<qint64> weigh;
        for (int i = 0; i < 4; ++i) {
            auto r = lab.command(
                QStringLiteral("workflow.submit"), {},
                submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("Q-%1").arg(i)}));
            QVERIFY2(r.ok, qPrintable(r.message));
            weigh << firstTask(r, 1);
        }
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(weigh[0]), QStringLiteral("running"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral(
                "SELECT count(*) FROM tasks WHERE name = 'weigh' AND status = 'ready'")),
            QStringLiteral("3"), 20000);
        // Hold and release.
        auto r = lab.command(QStringLiteral("task.hold"), QString::number(weigh[1]));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.taskStatus(weigh[1]), QStringLiteral("paused"));
        r = lab.command(QStringLiteral("task.hold"), QString::number(weigh[0]));
        QVERIFY(!r.ok); // running
        r = lab.command(QStringLiteral("task.release"), QString::number(weigh[2]));
        QVERIFY(!r.ok); // not held
        // Priority by name, then by number; bad values refused.
        r = lab.command(QStringLiteral("task.priority"), QString::number(weigh[2]),
                        {{QStringLiteral("priority"), QStringLiteral("urgent")}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT priority FROM tasks WHERE id = %1").arg(weigh[2])),
                 QStringLiteral("100"));
        r = lab.command(QStringLiteral("task.priority"), QString::number(weigh[2]),
                        {{QStringLiteral("priority"), QStringLiteral("sky-high")}});
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("low, normal, high, urgent")));
        r = lab.command(QStringLiteral("task.priority"), QString::number(weigh[2]),
                        {{QStringLiteral("priority"), 5000}});
        QVERIFY(!r.ok);
        // Front beats urgent; then cancel a waiting one.
        r = lab.command(QStringLiteral("task.front"), QString::number(weigh[3]));
        QVERIFY2(r.ok, qPrintable(r.message));
        r = lab.command(QStringLiteral("task.release"), QString::number(weigh[1]));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.taskStatus(weigh[1]), QStringLiteral("ready"));
        // Cancel the blocker: the next to run is the one moved to the front.
        r = lab.command(QStringLiteral("task.cancel"), QString::number(weigh[0]));
        QVERIFY2(r.ok, qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(weigh[0]), QStringLiteral("cancelled"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(weigh[3]), QStringLiteral("running"), 20000);
        QCOMPARE(lab.taskStatus(weigh[2]), QStringLiteral("ready"));
        r = lab.command(QStringLiteral("task.cancel"), QString::number(weigh[1]));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.taskStatus(weigh[1]), QStringLiteral("cancelled"));
        QCOMPARE(
            lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE workflow_id = (SELECT "
                                 "workflow_id FROM tasks WHERE id = %1) AND status = 'cancelled'")
                      .arg(weigh[1])),
            QStringLiteral("5"));
    }

    // Two kinds of task each need furnace-1 and robot-1 by name, one asking for them in one
    // order and the other in the reverse order. All of them wait together (the furnace busy,
    // the robot paused); the furnace frees first, then the robot: each task runs once, none
    // ever holds one device without the other, and no device is held by two tasks.
    void crossedDeviceRequestsDoNotDeadlock()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        auto byName = [](const QString &d) { return QJsonObject{{QStringLiteral("name"), d}}; };
        auto pairTask = [&](const QString &first, const QString &second) {
            return QJsonObject{{QStringLiteral("name"), QStringLiteral("both")},
                               {QStringLiteral("device"), first},
                               {QStringLiteral("command"), QStringLiteral("status")},
                               {QStringLiteral("duration_s"), 20},
                               {QStringLiteral("resources"),
                                QJsonObject{{QStringLiteral("devices"),
                                             QJsonArray{byName(first), byName(second)}}}}};
        };
        // "device" names the first; the request lists it again in "resources" in the order
        // given, so the two templates ask for {furnace, robot} and {robot, furnace}.
        lab.engine.addTemplate(
            oneTask(QStringLiteral("furnace-then-robot"),
                    pairTask(QStringLiteral("furnace-1"), QStringLiteral("robot-1"))));
        lab.engine.addTemplate(
            oneTask(QStringLiteral("robot-then-furnace"),
                    pairTask(QStringLiteral("robot-1"), QStringLiteral("furnace-1"))));
        lab.engine.addTemplate(oneTask(QStringLiteral("furnace-blocker"),
                                       {{QStringLiteral("name"), QStringLiteral("block")},
                                        {QStringLiteral("device"), QStringLiteral("furnace-1")},
                                        {QStringLiteral("command"), QStringLiteral("status")},
                                        {QStringLiteral("duration_s"), 1000}})); // 0.5 s at 2000x

        auto r = lab.command(QStringLiteral("device.pause"), QStringLiteral("robot-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("furnace-blocker"), {QStringLiteral("BL-1")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 blocker = firstTask(r);
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(blocker), QStringLiteral("running"), 10000);

        constexpr int kPairs = 6;
        QList<qint64> ids;
        for (int i = 0; i < kPairs; ++i) {
            for (const QString &tmpl :
                 {QStringLiteral("furnace-then-robot"), QStringLiteral("robot-then-furnace")}) {
                r = lab.command(QStringLiteral("workflow.submit"), {},
                                submitArgs(tmpl, {QStringLiteral("DL-%1-%2").arg(tmpl).arg(i)}));
                QVERIFY2(r.ok, qPrintable(r.message));
                ids << firstTask(r);
            }
        }
        QStringList idList;
        for (qint64 id : ids)
            idList << QString::number(id);
        const QString inIds = idList.join(u',');
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE id IN (%1) AND status = "
                                      "'ready'")
                           .arg(inIds)),
                 QString::number(2 * kPairs));

        // The furnace frees while the robot is still paused: nobody may take the furnace alone.
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(blocker), QStringLiteral("completed"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'furnace-1'")),
            QStringLiteral("idle"), 5000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM resource_leases")),
                 QStringLiteral("0"));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE id IN (%1) AND status = "
                                      "'ready'")
                           .arg(inIds)),
                 QString::number(2 * kPairs));

        r = lab.command(QStringLiteral("device.resume"), QStringLiteral("robot-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        // While they run, whoever holds a lease holds both devices (all or none).
        const QString doneSql =
            QStringLiteral("SELECT count(*) FROM tasks WHERE id IN (%1) AND status = 'completed'")
                .arg(inIds);
        QDeadlineTimer deadline(60000);
        while (lab.q(doneSql) != QString::number(2 * kPairs) && !deadline.hasExpired()) {
            QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM (SELECT task_id FROM "
                                          "resource_leases GROUP BY task_id HAVING count(*) <> "
                                          "2) x")),
                     QStringLiteral("0"));
            QTest::qWait(5);
        }
        QCOMPARE(lab.q(doneSql), QString::number(2 * kPairs));

        // Each exactly once: one start, one completion, one attempt, one command each.
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT count(*) FROM events WHERE entity_type = 'task' AND "
                                 "kind = 'task.completed' AND entity_id IN (%1)")
                      .arg(QStringLiteral("'") + idList.join(QStringLiteral("','")) +
                           QStringLiteral("'"))),
            QString::number(2 * kPairs), 5000);
        const QString inText =
            QStringLiteral("'") + idList.join(QStringLiteral("','")) + QStringLiteral("'");
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM events WHERE entity_type = 'task' AND "
                                      "kind = 'task.started' AND entity_id IN (%1)")
                           .arg(inText)),
                 QString::number(2 * kPairs));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(DISTINCT entity_id) FROM events WHERE "
                                      "kind = 'task.started' AND entity_id IN (%1)")
                           .arg(inText)),
                 QString::number(2 * kPairs));
        QCOMPARE(
            lab.q(QStringLiteral("SELECT max(attempts) FROM tasks WHERE id IN (%1)").arg(inIds)),
            QStringLiteral("1"));
        QCOMPARE(lab.dispatched.value(QStringLiteral("furnace-1")), 1 + kPairs);
        QCOMPARE(lab.dispatched.value(QStringLiteral("robot-1")), kPairs);
        // No two of them were ever running at once (each needs both devices): their
        // started..completed event intervals do not overlap.
        QCOMPARE(
            lab.q(QStringLiteral("WITH s AS (SELECT entity_id, "
                                 "min(id) FILTER (WHERE kind = 'task.started') AS st, "
                                 "max(id) FILTER (WHERE kind = 'task.completed') AS en "
                                 "FROM events WHERE entity_type = 'task' AND entity_id IN (%1) "
                                 "GROUP BY entity_id) "
                                 "SELECT count(*) FROM s a JOIN s b ON a.entity_id < b.entity_id "
                                 "AND a.st < b.en AND b.st < a.en")
                      .arg(inText)),
            QStringLiteral("0"));
        QTRY_COMPARE_WITH_TIMEOUT(lab.q(QStringLiteral("SELECT count(*) FROM resource_leases")),
                                  QStringLiteral("0"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral(
                "SELECT count(*) FROM device_states WHERE id IN ('furnace-1','robot-1') AND "
                "status = 'idle'")),
            QStringLiteral("2"), 5000);
    }

    // A low-priority task waits for the only XRD while high-priority work for it keeps
    // arriving: three high ones were queued before it, twenty more arrive after it while the
    // XRD is paused, and then one more for each that finishes. Aging is virtual time (1 µs
    // per priority point here, so the 50-point gap closes 50 µs after the low one queued):
    // it is exactly the 4th grant, after the three older ones, however many newer high ones
    // there are. Counted in grants, not seconds. With aging effectively off (1000 s per
    // point) the same stream keeps it waiting for as long as the stream lasts.
    void agingEndsStarvation()
    {
        QList<qint64> order;
        qint64 low = 0;
        runStarvationStream(1e-6, 30, &order, &low);
        if (QTest::currentTestFailed()) return;
        QVERIFY(order.contains(low));
        QCOMPARE(order.indexOf(low) + 1, 4); // the 4th grant: after the 3 that were older

        order.clear();
        runStarvationStream(1000, 30, &order, &low);
        if (QTest::currentTestFailed()) return;
        QVERIFY(order.size() > 30);
        QCOMPARE(order.last(), low); // granted only once the stream stopped
    }

    // A device that remembers what it ran (a state directory) finishes the first step, but
    // the engine is destroyed before it hears: the completion is never committed. A new
    // engine on the same database and the same device memory asks the device, takes its
    // result (completed) and does not send the command again.
    void recoveryTakesTheDevicesReport()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QTemporaryDir stateDir;
        QVERIFY(stateDir.isValid());
        qint64 dose = 0;
        {
            EngineLab lab(conn, kLab, {}, 2000, stateDir.path());
            lab.askDevicesOnRecovery();
            QVERIFY(lab.start());
            // The engine never hears doser-1 finish: as if it died at that moment.
            SimulatedDevice *doser = lab.devices.value(QStringLiteral("doser-1"));
            QVERIFY(QObject::disconnect(doser, &DeviceDriver::commandFinished, &lab.engine,
                                        &LabEngine::onCommandFinished));
            QObject probe;
            QList<CommandResult> finished;
            QObject::connect(doser, &DeviceDriver::commandFinished, &probe,
                             [&](const CommandResult &r) { finished << r; });
            const auto r =
                lab.command(QStringLiteral("workflow.submit"), {},
                            submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("RD-1")}));
            QVERIFY2(r.ok, qPrintable(r.message));
            dose = firstTask(r, 0);
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), qsizetype(1), 20000);
            QVERIFY2(finished.first().ok, qPrintable(finished.first().message));
            QCOMPARE(lab.dispatched.value(QStringLiteral("doser-1")), 1);
            QCOMPARE(lab.taskStatus(dose), QStringLiteral("running"));
        } // engine, writer and drivers destroyed with the task still running in PostgreSQL
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral("SELECT status FROM tasks WHERE id = %1").arg(dose)),
                 QStringLiteral("running"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM resource_leases WHERE "
                                                       "task_id = %1")
                                            .arg(dose)),
                 QStringLiteral("1"));

        EngineLab next(conn, kLab, {}, 2000, stateDir.path());
        next.askDevicesOnRecovery();
        QVERIFY(next.start());
        QCOMPARE(next.engine.stats().recoveredTasks, qint64(1));
        QTRY_COMPARE_WITH_TIMEOUT(next.taskStatus(dose), QStringLiteral("completed"), 20000);
        const QString recovered = next.q(
            QStringLiteral("SELECT string_agg(payload::text, ' | ') FROM events WHERE kind = "
                           "'task.recovered' AND entity_id = '%1'")
                .arg(dose));
        QVERIFY2(recovered.contains(QStringLiteral("finished on doser-1 while alabos was down")),
                 qPrintable(recovered));
        QCOMPARE(next.q(QStringLiteral("SELECT attempts FROM tasks WHERE id = %1").arg(dose)),
                 QStringLiteral("1"));
        // The rest of the workflow runs; the doser is never sent the dose again.
        QTRY_COMPARE_WITH_TIMEOUT(next.q(QStringLiteral("SELECT status FROM workflows")),
                                  QStringLiteral("completed"), 30000);
        QCOMPARE(next.dispatched.value(QStringLiteral("doser-1")), 0);
        QCOMPARE(next.q(QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                       "'task.started' AND entity_id = '%1'")
                            .arg(dose)),
                 QStringLiteral("1"));
        QCOMPARE(next.q(QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                       "'task.completed' AND entity_id = '%1'")
                            .arg(dose)),
                 QStringLiteral("1"));
        QCOMPARE(next.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
                 QStringLiteral("6"));
        QTRY_COMPARE_WITH_TIMEOUT(next.q(QStringLiteral("SELECT count(*) FROM resource_leases")),
                                  QStringLiteral("0"), 5000);
    }

    void retryAFailedTask()
    {
        FailureScript fail;
        fail.failOnNth = 1;
        fail.failTransient = false;
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab,
                      {{QStringLiteral("balance-1"), fail}});
        QVERIFY(lab.start());
        auto r = lab.command(QStringLiteral("workflow.submit"), {},
                             submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("F-1")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 weigh = firstTask(r, 1);
        QTRY_COMPARE_WITH_TIMEOUT(lab.q(QStringLiteral("SELECT status FROM workflows")),
                                  QStringLiteral("failed"), 20000);
        QCOMPARE(lab.taskStatus(weigh), QStringLiteral("failed"));
        r = lab.command(QStringLiteral("task.retry"), QString::number(firstTask(r, 0)));
        QVERIFY(!r.ok); // completed, not failed
        QVERIFY(r.message.contains(QStringLiteral("only a failed task")));
        r = lab.command(QStringLiteral("task.retry"), QString::number(weigh), {}, Role::Operator);
        QVERIFY2(r.ok, qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(lab.q(QStringLiteral("SELECT status FROM workflows")),
                                  QStringLiteral("completed"), 30000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
                 QStringLiteral("6"));
        QCOMPARE(lab.engine.stats().workflowsCompleted, qint64(1));
    }

    void promptsAndPositions()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        // Positions: exact names; rack/1 and rack/11 are different places.
        auto r = lab.command(QStringLiteral("position.add"), QStringLiteral("rack/1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        r = lab.command(QStringLiteral("position.add"), QStringLiteral("rack/11"),
                        {{QStringLiteral("device"), QStringLiteral("robot-1")}});
        QVERIFY2(r.ok, qPrintable(r.message));
        r = lab.command(QStringLiteral("position.add"), QStringLiteral("rack/1"));
        QVERIFY(!r.ok);
        r = lab.command(QStringLiteral("position.add"), QStringLiteral("rack//bad"));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("not a valid position")));
        r = lab.command(QStringLiteral("position.add"), QStringLiteral("rack/2"),
                        {{QStringLiteral("device"), QStringLiteral("ghost")}});
        QVERIFY(!r.ok);
        QCOMPARE(lab.q(QStringLiteral("SELECT string_agg(name || '<' || parent, ',' ORDER BY name) "
                                      "FROM sample_positions")),
                 QStringLiteral("rack/1<rack,rack/11<rack"));

        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("furnace-tray"), {QStringLiteral("T-1")}),
                        Role::Technician);
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 load = firstTask(r, 0), fire = firstTask(r, 1);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.openPrompts().size(), qsizetype(1), 10000);
        const PromptState prompt = lab.engine.openPrompts().first();
        QCOMPARE(prompt.taskId, load);
        QCOMPARE(prompt.options, QStringList({QStringLiteral("done"), QStringLiteral("abort")}));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM prompts WHERE id = %1").arg(prompt.id)),
            QStringLiteral("open"), 5000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM events WHERE entity_type = 'prompt'")),
                 QStringLiteral("1"));
        r = lab.command(QStringLiteral("prompt.answer"), QString::number(prompt.id),
                        {{QStringLiteral("option"), QStringLiteral("maybe")}});
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("one of: done, abort")));
        r = lab.command(QStringLiteral("prompt.answer"), QStringLiteral("999"),
                        {{QStringLiteral("option"), QStringLiteral("done")}});
        QVERIFY(!r.ok);
        // A note is bounded and has no control characters; the prompt stays open.
        r = lab.command(QStringLiteral("prompt.answer"), QString::number(prompt.id),
                        {{QStringLiteral("option"), QStringLiteral("done")},
                         {QStringLiteral("note"), QString(2001, u'n')}});
        QCOMPARE(r.message,
                 QStringLiteral("prompt.answer: args.note has 2001 characters; at most 2000"));
        r = lab.command(QStringLiteral("prompt.answer"), QString::number(prompt.id),
                        {{QStringLiteral("option"), QStringLiteral("done")},
                         {QStringLiteral("note"), QStringLiteral("tray\u00003")}});
        QCOMPARE(r.message,
                 QStringLiteral("prompt.answer: args.note contains a control character (U+0000)"));
        // The refusal is audited although its arguments hold a NUL PostgreSQL cannot store.
        QCOMPARE(
            lab.q(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'command_refused' "
                                 "AND detail->>'message' LIKE '%control character%'")),
            QStringLiteral("1"));
        r = lab.command(QStringLiteral("prompt.answer"), QString::number(prompt.id),
                        {{QStringLiteral("option"), QStringLiteral("done")},
                         {QStringLiteral("note"), QStringLiteral("tray 3")}},
                        Role::Technician);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT status || ':' || answer || ':' || note || ':' || "
                                      "answered_by FROM prompts WHERE id = %1")
                           .arg(prompt.id)),
                 QStringLiteral("answered:done:tray 3:ada"));
        // The fire task takes the furnace, the robot and both rack positions together.
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(fire), QStringLiteral("completed"), 20000);
        QCOMPARE(
            lab.q(
                QStringLiteral(
                    "SELECT count(*) FROM events WHERE kind = 'task.started' AND entity_id = '%1'")
                    .arg(fire)),
            QStringLiteral("1"));
        QTRY_COMPARE_WITH_TIMEOUT(lab.q(QStringLiteral("SELECT status FROM workflows")),
                                  QStringLiteral("completed"), 20000);
        // Removing a position; an unknown one is refused.
        r = lab.command(QStringLiteral("position.remove"), QStringLiteral("rack/11"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT string_agg(name, ',') FROM sample_positions")),
                 QStringLiteral("rack/1"));
        r = lab.command(QStringLiteral("position.remove"), QStringLiteral("rack/11"));
        QVERIFY(!r.ok);
    }

    void promptExpiresAndCancel()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        auto r = lab.command(QStringLiteral("workflow.submit"), {},
                             submitArgs(QStringLiteral("furnace-tray"), {QStringLiteral("T-2")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 load = firstTask(r, 0);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.openPrompts().size(), qsizetype(1), 10000);
        r = lab.command(QStringLiteral("task.cancel"), QString::number(load));
        QVERIFY2(r.ok, qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(load), QStringLiteral("cancelled"), 10000);
        QCOMPARE(lab.engine.openPrompts().size(), qsizetype(0));
        QTRY_COMPARE_WITH_TIMEOUT(lab.q(QStringLiteral("SELECT status FROM prompts")),
                                  QStringLiteral("cancelled"), 5000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'cancelled'")),
                 QStringLiteral("3"));
    }

    void submitValidation()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        struct Case
        {
            QJsonObject args;
            QString expected;
        };
        const QList<Case> cases{
            {{{QStringLiteral("barcodes"), QJsonArray{QStringLiteral("X")}}},
             QStringLiteral("args.template is missing")},
            {{{QStringLiteral("template"), QStringLiteral("synthesis")},
              {QStringLiteral("barcodes"), QStringLiteral("X")}},
             QStringLiteral("args.barcodes must be")},
            {{{QStringLiteral("template"), QStringLiteral("synthesis")},
              {QStringLiteral("barcodes"), QJsonArray{1, 2}}},
             QStringLiteral("args.barcodes must be")},
            {submitArgs(QStringLiteral("nope"), {QStringLiteral("X")}),
             QStringLiteral("unknown workflow template \"nope\"")},
            {submitArgs(QStringLiteral("synthesis"), {QStringLiteral("X")},
                        QStringLiteral("whenever")),
             QStringLiteral("args.priority")},
            {submitArgs(QStringLiteral("synthesis"), {QStringLiteral("X"), QStringLiteral("X")}),
             QStringLiteral("listed twice")},
        };
        for (const Case &c : cases) {
            const auto r = lab.command(QStringLiteral("workflow.submit"), {}, c.args);
            QVERIFY(!r.ok);
            QVERIFY2(r.message.contains(c.expected), qPrintable(r.message));
        }
        auto withParams = [](const QJsonObject &p) {
            QJsonObject a = submitArgs(QStringLiteral("synthesis"), {QStringLiteral("PP-1")});
            a.insert(QStringLiteral("parameters"), p);
            return a;
        };
        auto r = lab.command(QStringLiteral("workflow.submit"), {},
                             withParams({{QStringLiteral("fire"),
                                          QJsonObject{{QStringLiteral("temperature_c"), 2500}}}}));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(
                     QStringLiteral("workflow template synthesis, task fire, field "
                                    "\"temperature_c\": 2500 °C is outside 100..1200 °C")),
                 qPrintable(r.message));
        r = lab.command(
            QStringLiteral("workflow.submit"), {},
            withParams({{QStringLiteral("fire"), QJsonObject{{QStringLiteral("colour"), 1}}}}));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("field \"colour\": not a parameter")));
        r = lab.command(
            QStringLiteral("workflow.submit"), {},
            withParams({{QStringLiteral("measure"), QJsonObject{{QStringLiteral("scans"), 1.5}}}}));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("whole number")));
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        withParams({{QStringLiteral("bake"), QJsonObject{}}}));
        QVERIFY(!r.ok);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflows")), QStringLiteral("0"));
        // A good one: parameters and defaults reach the task.
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        withParams({{QStringLiteral("fire"),
                                     QJsonObject{{QStringLiteral("temperature_c"), 1100}}}}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 fire = firstTask(r, 3);
        QCOMPARE(lab.q(QStringLiteral("SELECT parameters->>'temperature_c' || '/' || "
                                      "(parameters->>'ramp_c_per_min') FROM tasks WHERE id = %1")
                           .arg(fire)),
                 QStringLiteral("1100/10"));
        // A barcode the database already holds: refused after the database said so, and the
        // engine forgets the workflow.
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("synthesis"), {QStringLiteral("PP-1")}));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("database refused")), qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(lab.q(QStringLiteral("SELECT status FROM workflows")),
                                  QStringLiteral("completed"), 30000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflows")), QStringLiteral("1"));
        QCOMPARE(lab.engine.activeWorkflows(), qint64(0));
    }

    void submissionIsCappedAtTheSampleLimit()
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        auto barcodes = [](int count) {
            QStringList list;
            for (int i = 0; i < count; ++i)
                list << QStringLiteral("LIM-%1").arg(i);
            return list;
        };
        auto r = lab.command(
            QStringLiteral("workflow.submit"), {},
            submitArgs(QStringLiteral("synthesis"), barcodes(kMaxSamplesPerSubmission + 1)));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("has %1 samples, more than the %2")
                                        .arg(kMaxSamplesPerSubmission + 1)
                                        .arg(kMaxSamplesPerSubmission)),
                 qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflows")), QStringLiteral("0"));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM samples")), QStringLiteral("0"));
        QCOMPARE(lab.engine.activeWorkflows(), qint64(0));
        r = lab.command(
            QStringLiteral("workflow.submit"), {},
            submitArgs(QStringLiteral("synthesis"), barcodes(kMaxSamplesPerSubmission)));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM samples")),
                 QString::number(kMaxSamplesPerSubmission));
    }

    void runTimeTemplates_data()
    {
        // Each kind of bad template, and the message (naming template, task and field).
        QTest::addColumn<QJsonObject>("args");
        QTest::addColumn<QString>("entity");
        QTest::addColumn<QString>("expected");
        auto task = [](const char *name, const char *type, QStringList deps = {}) {
            return QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                               {QStringLiteral("device_type"), QLatin1StringView(type)},
                               {QStringLiteral("command"), QStringLiteral("run")},
                               {QStringLiteral("duration_s"), 5},
                               {QStringLiteral("depends_on"), QJsonArray::fromStringList(deps)}};
        };
        auto definition = [](const char *name, const QJsonArray &tasks) {
            return QJsonObject{{QStringLiteral("definition"),
                                QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                                            {QStringLiteral("tasks"), tasks}}}};
        };
        QJsonObject hot = task("fire", "box_furnace");
        hot.insert(QStringLiteral("parameter_schema"),
                   QJsonObject{{QStringLiteral("temperature_c"),
                                QJsonObject{{QStringLiteral("unit"), QStringLiteral("C")},
                                            {QStringLiteral("min"), 100},
                                            {QStringLiteral("max"), 1500},
                                            {QStringLiteral("default"), 2500}}}});
        QTest::newRow("cycle") << definition("loop", {task("a", "xrd", {QStringLiteral("b")}),
                                                      task("b", "xrd", {QStringLiteral("a")})})
                               << QString()
                               << QStringLiteral("workflow template loop, task a: field "
                                                 "\"depends_on\" forms a cycle");
        QTest::newRow("unknown dependency")
            << definition("dangling", {task("a", "xrd", {QStringLiteral("zz")})}) << QString()
            << QStringLiteral("workflow template dangling, task a: field \"depends_on\" names "
                              "\"zz\"");
        QTest::newRow("unknown device type")
            << definition("etch", {task("etch", "plasma_etcher")}) << QString()
            << QStringLiteral("workflow template etch, task etch: no device of type "
                              "\"plasma_etcher\" is configured");
        QTest::newRow("default out of range")
            << definition("hot", {hot}) << QString()
            << QStringLiteral("workflow template hot, task fire: parameter_schema field "
                              "\"temperature_c\": default 2500 C is outside 100..1500 C");
        QTest::newRow("no device type")
            << definition("bare", {QJsonObject{{QStringLiteral("name"), QStringLiteral("x")},
                                               {QStringLiteral("command"), QStringLiteral("run")},
                                               {QStringLiteral("duration_s"), 1}}})
            << QString()
            << QStringLiteral("workflow template bare, task x: field \"device_type\" is missing");
        // Found by fuzzing (tests/fuzz, workflowtemplate): an integer default beyond 2^53 was
        // cast to qint64 (undefined); and 12,000 tasks took seconds to order (a sort per step).
        QJsonObject huge = task("fire", "box_furnace");
        huge.insert(QStringLiteral("parameter_schema"),
                    QJsonObject{{QStringLiteral("count"),
                                 QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                                             {QStringLiteral("default"), 1e300}}}});
        QTest::newRow("integer default 1e300")
            << definition("huge", {huge}) << QString()
            << QStringLiteral(
                   "workflow template huge, task fire: parameter_schema field \"count\": "
                   "default must be a whole number from -2^53 to 2^53");
        QJsonArray many;
        for (int i = 0; i <= WorkflowTemplate::kMaxTasks; ++i)
            many.append(task(qPrintable(QStringLiteral("t%1").arg(i)), "xrd"));
        QTest::newRow("too many tasks")
            << definition("wide", many) << QString()
            << QStringLiteral(
                   "workflow template wide: field \"tasks\" has 1001 tasks; at most 1000");
        QTest::newRow("long task name")
            << definition("long", {task(QByteArray(201, 'a').constData(), "xrd")}) << QString()
            << QStringLiteral("field \"name\" is longer than 200 characters");
        QTest::newRow("no tasks")
            << definition("empty", {}) << QString()
            << QStringLiteral("workflow template empty: field \"tasks\" must be a non-empty array");
        QTest::newRow("shipped name")
            << definition("demo-synthesis", {task("a", "xrd")}) << QString()
            << QStringLiteral("workflow template demo-synthesis: field \"name\" is taken by a "
                              "template shipped with alabos");
        QTest::newRow("bad name") << definition("a/b;c", {task("a", "xrd")}) << QString()
                                  << QStringLiteral(
                                         "workflow template a/b;c: field \"name\" must be");
        QTest::newRow("entity differs")
            << definition("xrd-only", {task("a", "xrd")}) << QStringLiteral("other")
            << QStringLiteral("the command names template other, the definition xrd-only");
        QTest::newRow("no definition")
            << QJsonObject{{QStringLiteral("definition"), QStringLiteral("{}")}} << QString()
            << QStringLiteral("args.definition must be the template as a JSON object");
    }

    void runTimeTemplates()
    {
        QFETCH(QJsonObject, args);
        QFETCH(QString, entity);
        QFETCH(QString, expected);
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        const auto r =
            lab.command(QStringLiteral("workflow.template.save"), entity, args, Role::Supervisor);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(expected), qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflow_templates")),
                 QStringLiteral("0"));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                      "'command.refused' AND payload->>'kind' = "
                                      "'workflow.template.save'")),
                 QStringLiteral("1"));
    }

    void runTimeTemplateIsSavedSubmittableAndSurvivesARestart()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        // weigh -> fire, the furnace's temperature from a schema with a default.
        auto definition = [](int defaultTemperature) {
            const QJsonObject weigh{{QStringLiteral("name"), QStringLiteral("weigh")},
                                    {QStringLiteral("device_type"), QStringLiteral("balance")},
                                    {QStringLiteral("command"), QStringLiteral("weigh")},
                                    {QStringLiteral("duration_s"), 10}};
            const QJsonObject fire{
                {QStringLiteral("name"), QStringLiteral("fire")},
                {QStringLiteral("device_type"), QStringLiteral("box_furnace")},
                {QStringLiteral("command"), QStringLiteral("heat")},
                {QStringLiteral("duration_s"), 30},
                {QStringLiteral("depends_on"), QJsonArray{QStringLiteral("weigh")}},
                {QStringLiteral("parameter_schema"),
                 QJsonObject{{QStringLiteral("temperature_c"),
                              QJsonObject{{QStringLiteral("unit"), QStringLiteral("C")},
                                          {QStringLiteral("min"), 100},
                                          {QStringLiteral("max"), 1200},
                                          {QStringLiteral("default"), defaultTemperature}}}}}};
            return QJsonObject{{QStringLiteral("name"), QStringLiteral("weigh-and-fire")},
                               {QStringLiteral("tasks"), QJsonArray{weigh, fire}}};
        };
        const QString fireTemperature = QStringLiteral(
            "SELECT parameters->>'temperature_c' FROM tasks WHERE name = 'fire' ORDER BY id DESC "
            "LIMIT 1");
        {
            EngineLab lab(conn, kLab);
            QVERIFY(lab.start());
            // Operators and technicians may not add templates.
            for (Role role : {Role::Operator, Role::Technician}) {
                const auto r = lab.command(QStringLiteral("workflow.template.save"), {},
                                           {{QStringLiteral("definition"), definition(800)}}, role);
                QVERIFY(!r.ok);
                QVERIFY2(r.message.contains(QStringLiteral("lacks the permission "
                                                           "\"workflow_template\"")),
                         qPrintable(r.message));
            }
            auto r = lab.command(
                QStringLiteral("workflow.template.save"), QStringLiteral("weigh-and-fire"),
                {{QStringLiteral("definition"), definition(800)}}, Role::Supervisor);
            QVERIFY2(r.ok, qPrintable(r.message));
            QCOMPARE(r.message,
                     QStringLiteral("workflow template weigh-and-fire saved (2 task(s))"));
            QCOMPARE(lab.q(QStringLiteral("SELECT created_by || ' ' || (definition->'tasks'->1->>"
                                          "'name') FROM workflow_templates")),
                     QStringLiteral("ada fire"));
            QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                          "'command.accepted' AND payload->>'kind' = "
                                          "'workflow.template.save'")),
                     QStringLiteral("1"));
            // Submittable at once, with the schema's default.
            r = lab.command(QStringLiteral("workflow.submit"), {},
                            submitArgs(QStringLiteral("weigh-and-fire"), {QStringLiteral("T-1")}));
            QVERIFY2(r.ok, qPrintable(r.message));
            QCOMPARE(lab.q(fireTemperature), QStringLiteral("800"));
            // Saved again: the new version replaces the old one.
            r = lab.command(QStringLiteral("workflow.template.save"), {},
                            {{QStringLiteral("definition"), definition(950)}}, Role::Admin);
            QVERIFY2(r.ok, qPrintable(r.message));
            QCOMPARE(r.message,
                     QStringLiteral("workflow template weigh-and-fire replaced (2 task(s))"));
            QTRY_COMPARE_WITH_TIMEOUT(
                lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
                QStringLiteral("2"), 30000);
        }
        // A template of a shipped name in the table (say, saved before a release shipped one
        // of that name) is left out: the shipped one wins.
        test::queryValue(
            conn, QStringLiteral("INSERT INTO workflow_templates (name, definition) VALUES "
                                 "('demo-synthesis', '{\"name\": \"demo-synthesis\", \"tasks\": "
                                 "[{\"name\": \"x\", \"device_type\": \"xrd\", \"command\": "
                                 "\"measure\", \"duration_s\": 1}]}')"));
        EngineLab lab(conn, kLab);
        QVERIFY(lab.start());
        auto r = lab.command(QStringLiteral("workflow.submit"), {},
                             submitArgs(QStringLiteral("weigh-and-fire"), {QStringLiteral("T-2")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(fireTemperature), QStringLiteral("950"));
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("T-3")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value(QLatin1StringView("task_ids")).toArray().size(), 6);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflow_templates")),
                 QStringLiteral("2"));
    }

    void devicesAddEditRemove()
    {
        FailureScript slow;
        slow.slowFactor = 300;
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab,
                      {{QStringLiteral("xrd-1"), slow}});
        QVERIFY(lab.start());
        auto r = lab.command(QStringLiteral("device.add"), QStringLiteral("nmr-1"),
                             {{QStringLiteral("type"), QStringLiteral("nmr")},
                              {QStringLiteral("driver"), QStringLiteral("simulated")}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral(
                     "SELECT type || ':' || status FROM device_states WHERE id = 'nmr-1'")),
                 QStringLiteral("nmr:idle"));
        r = lab.command(QStringLiteral("device.add"), QStringLiteral("nmr-1"),
                        {{QStringLiteral("type"), QStringLiteral("nmr")},
                         {QStringLiteral("driver"), QStringLiteral("simulated")}});
        QVERIFY(!r.ok);
        r = lab.command(QStringLiteral("device.add"), QStringLiteral("bad name"),
                        {{QStringLiteral("type"), QStringLiteral("nmr")},
                         {QStringLiteral("driver"), QStringLiteral("simulated")}});
        QVERIFY(!r.ok);
        r = lab.command(QStringLiteral("device.add"), QStringLiteral("nmr-2"),
                        {{QStringLiteral("type"), QStringLiteral("NMR!")},
                         {QStringLiteral("driver"), QStringLiteral("simulated")}});
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("args.type")));
        // Edit an idle device's type; then a second XRD appears as an edited liquid handler.
        r = lab.command(QStringLiteral("device.edit"), QStringLiteral("nmr-1"),
                        {{QStringLiteral("type"), QStringLiteral("xrd")}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(lab.q(QStringLiteral("SELECT type FROM devices WHERE id = 'nmr-1'")),
                 QStringLiteral("xrd"));
        // Remove a busy device: drained first.
        r = lab.command(QStringLiteral("device.remove"), QStringLiteral("nmr-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("D-1")}));
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 measure = firstTask(r, 5);
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(measure), QStringLiteral("running"), 20000);
        r = lab.command(QStringLiteral("device.remove"), QStringLiteral("xrd-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(r.message.contains(QStringLiteral("after task %1").arg(measure)));
        QCOMPARE(lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'xrd-1'")),
                 QStringLiteral("busy"));
        QTRY_COMPARE_WITH_TIMEOUT(lab.taskStatus(measure), QStringLiteral("completed"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT status FROM device_states WHERE id = 'xrd-1'")),
            QStringLiteral("offline"), 5000);
        r = lab.command(QStringLiteral("device.pause"), QStringLiteral("xrd-1"));
        QVERIFY(!r.ok);
        r = lab.command(QStringLiteral("device.remove"), QStringLiteral("ghost"));
        QVERIFY(!r.ok);
        // With no XRD left, a new submission is refused naming the task and the type.
        r = lab.command(QStringLiteral("workflow.submit"), {},
                        submitArgs(QStringLiteral("demo-synthesis"), {QStringLiteral("D-2")}));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("task measure: no device of type \"xrd\"")),
                 qPrintable(r.message));
        QCOMPARE(
            lab.q(QStringLiteral("SELECT count(*) FROM events WHERE kind = 'command.accepted'")),
            QStringLiteral("5"));
    }

private:
    // Pauses xrd-1, queues three high-priority XRD tasks, a low one and twenty more high
    // ones, resumes, and submits a new high one for each that finishes (twenty waiting ones
    // keep the queue full between submissions) until the low one is granted or `maxGrants`
    // grants were made without it; then stops the stream and waits for all to finish.
    // `order` is every task in grant order (task.started events).
    void runStarvationStream(double agingSecondsPerPoint, int maxGrants, QList<qint64> *order,
                             qint64 *low)
    {
        EngineLab lab(TestDatabase::instance().createDatabase(), kLab);
        lab.engine.setAgingSecondsPerPoint(agingSecondsPerPoint);
        QVERIFY(lab.start());
        lab.engine.addTemplate(oneTask(QStringLiteral("xrd-job"),
                                       {{QStringLiteral("name"), QStringLiteral("scan")},
                                        {QStringLiteral("device_type"), QStringLiteral("xrd")},
                                        {QStringLiteral("command"), QStringLiteral("status")},
                                        {QStringLiteral("duration_s"), 20}})); // 10 ms
        int barcode = 0;
        auto submit = [&](const QString &prio) {
            const auto r = lab.command(QStringLiteral("workflow.submit"), {},
                                       submitArgs(QStringLiteral("xrd-job"),
                                                  {QStringLiteral("S-%1").arg(++barcode)}, prio));
            return r.ok ? firstTask(r) : qint64(0);
        };
        auto granted = [&] {
            QList<qint64> ids;
            const QString all = lab.q(QStringLiteral(
                "SELECT string_agg(entity_id, ',' ORDER BY id) FROM events WHERE kind = "
                "'task.started'"));
            for (const QString &id : all.split(u',', Qt::SkipEmptyParts))
                ids << id.toLongLong();
            return ids;
        };
        const QString highDone = QStringLiteral(
            "SELECT count(*) FROM tasks WHERE priority = 75 AND status = 'completed'");

        auto r = lab.command(QStringLiteral("device.pause"), QStringLiteral("xrd-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        for (int i = 0; i < 3; ++i)
            QVERIFY(submit(QStringLiteral("high")) > 0);
        *low = submit(QStringLiteral("low"));
        QVERIFY(*low > 0);
        for (int i = 0; i < 20; ++i) // each submission waits for its commit: > 50 µs later
            QVERIFY(submit(QStringLiteral("high")) > 0);
        r = lab.command(QStringLiteral("device.resume"), QStringLiteral("xrd-1"));
        QVERIFY2(r.ok, qPrintable(r.message));

        int done = 0;
        while (!granted().contains(*low) && granted().size() < maxGrants) {
            QTRY_VERIFY_WITH_TIMEOUT(lab.q(highDone).toInt() > done, 20000);
            const int now = lab.q(highDone).toInt();
            for (; done < now; ++done)
                QVERIFY(submit(QStringLiteral("high")) > 0);
        }
        if (!granted().contains(*low))
            QCOMPARE(lab.taskStatus(*low), QStringLiteral("ready")); // still waiting
        // The stream stops: everything finishes.
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status <> 'completed'")),
            QStringLiteral("0"), 60000);
        *order = granted();
        QCOMPARE(qsizetype(order->size()),
                 lab.q(QStringLiteral("SELECT count(*) FROM tasks")).toLongLong());
    }
};

QTEST_GUILESS_MAIN(TstEngineCommands)
#include "tst_engine_commands.moc"
