// The engine against the real storage writer (PostgreSQL) and real simulated drivers.
#include "core/drivers/driverpool.h"
#include "core/drivers/simulateddevice.h"
#include "core/engine/labengine.h"
#include "core/storage/snapshot.h"
#include "core/storage/storagewriter.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace alabos;
using test::TestDatabase;

namespace {
const QList<DeviceSpec> kDevices{{QStringLiteral("doser-1"), QStringLiteral("dosing_station")},
                                 {QStringLiteral("balance-1"), QStringLiteral("balance")},
                                 {QStringLiteral("robot-1"), QStringLiteral("robot_arm")},
                                 {QStringLiteral("furnace-1"), QStringLiteral("box_furnace")},
                                 {QStringLiteral("furnace-2"), QStringLiteral("box_furnace")},
                                 {QStringLiteral("grinder-1"), QStringLiteral("grinder")},
                                 {QStringLiteral("xrd-1"), QStringLiteral("xrd")}};

// One lab: a writer on its thread, drivers on the pool, the engine on the test thread.
struct Lab
{
    QString conn;
    QThread storageThread;
    StorageWriter *writer;
    DriverPool pool{2};
    LabEngine engine;
    QHash<QString, SimulatedDevice *> devices;

    explicit Lab(QString connection, const QHash<QString, FailureScript> &scripts = {})
        : conn(std::move(connection))
    {
        writer = new StorageWriter(conn);
        writer->moveToThread(&storageThread);
        storageThread.start();
        for (const DeviceSpec &spec : kDevices) {
            auto *d = new SimulatedDevice(spec.id, spec.type, 2000); // 240 s take 120 ms
            d->setFailureScript(scripts.value(spec.id));
            devices.insert(spec.id, d);
            pool.add(d);
            QObject::connect(d, &DeviceDriver::commandFinished, &engine, &LabEngine::onCommandFinished);
        }
        pool.connectAll();
        engine.setDispatcher([this](const DeviceCommand &c) { return pool.execute(c); });
        engine.setCanceller([this](const QString &device, qint64 id) { pool.cancel(device, id); });
        QObject::connect(&engine, &LabEngine::changesReady, writer, &StorageWriter::submit);
        QObject::connect(writer, &StorageWriter::committed, &engine, &LabEngine::onCommitted);
        QObject::connect(writer, &StorageWriter::rejected, &engine, &LabEngine::onRejected);
    }
    ~Lab()
    {
        pool.shutdown();
        QMetaObject::invokeMethod(writer, [w = writer] { delete w; }, Qt::BlockingQueuedConnection);
        storageThread.quit();
        storageThread.wait();
    }
    void start()
    {
        QString error;
        const auto snapshot = loadSnapshot(conn, 0, &error);
        QVERIFY2(snapshot, qPrintable(error));
        engine.start(*snapshot, kDevices);
    }
    QString count(const QString &where) const
    {
        return test::queryValue(conn, QStringLiteral("SELECT count(*) FROM tasks WHERE ") + where);
    }
};
} // namespace

class TstEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(), qPrintable(TestDatabase::instance().error()));
    }

    void runsWorkflowsToCompletion()
    {
        Lab lab(TestDatabase::instance().createDatabase());
        lab.start();
        for (int i = 0; i < 5; ++i)
            lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("B-%1").arg(i)}, 50);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.stats().workflowsCompleted, qint64(5), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(lab.count(QStringLiteral("status = 'completed'")), QStringLiteral("30"), 5000);
        QCOMPARE(lab.count(QStringLiteral("true")), QStringLiteral("30"));
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM workflows WHERE status = 'completed'")), QStringLiteral("5"));
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM samples")), QStringLiteral("5"));
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM task_edges")), QStringLiteral("25"));
        // Every device ends idle; the furnaces shared the load.
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(
                lab.conn,
                QStringLiteral("SELECT count(*) FROM device_states WHERE status <> 'idle'")),
            QStringLiteral("0"), 5000);
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT sum(tasks_completed) FROM devices WHERE type = 'box_furnace'")), QStringLiteral("5"));
        QVERIFY(test::queryValue(lab.conn, QStringLiteral("SELECT min(tasks_completed) FROM devices WHERE type = 'box_furnace'")).toInt() >= 1);
        // Each completion was committed as an event.
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.completed'")), QStringLiteral("30"));
    }

    void transientFailureIsRetried()
    {
        FailureScript script;
        script.failOnNth = 1;
        script.failTransient = true;
        Lab lab(TestDatabase::instance().createDatabase(), {{QStringLiteral("grinder-1"), script}});
        lab.start();
        lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("R-1")}, 50);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.stats().workflowsCompleted, qint64(1), 30000);
        QCOMPARE(lab.engine.stats().tasksRetried, qint64(1));
        QTRY_COMPARE_WITH_TIMEOUT(test::queryValue(lab.conn, QStringLiteral("SELECT attempts FROM tasks WHERE name = 'grind'")), QStringLiteral("2"), 5000);
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.retried'")), QStringLiteral("1"));
    }

    // A device that never answers holds nothing for long: the command's timeout ends the
    // attempt, the device is freed and the task is tried again.
    void aCommandThatIsNeverAnsweredTimesOutAndIsRetried()
    {
        FailureScript hang;
        hang.neverAnswerOnNth = 1;
        Lab lab(TestDatabase::instance().createDatabase(), {{QStringLiteral("balance-1"), hang}});
        lab.start();
        WorkflowTemplate weigh;
        weigh.name = QStringLiteral("weigh-once");
        TaskTemplate step;
        step.name = QStringLiteral("weigh");
        step.deviceType = QStringLiteral("balance");
        step.command = QStringLiteral("weigh");
        step.timeoutS = 0.3;
        weigh.tasks.append(step);
        lab.engine.addTemplate(weigh);
        lab.engine.submitWorkflow(QStringLiteral("weigh-once"), {QStringLiteral("T-1")}, 50);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.stats().workflowsCompleted, qint64(1), 30000);
        QCOMPARE(lab.engine.stats().tasksRetried, qint64(1));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(lab.conn,
                             QStringLiteral("SELECT status || ' ' || attempts FROM tasks")),
            QStringLiteral("completed 2"), 5000);
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM events WHERE "
                                                           "kind = 'task.retried' AND "
                                                           "payload->>'message' LIKE "
                                                           "'balance-1 did not answer in time%'")),
                 QStringLiteral("1"));
    }

    void permanentFailureCancelsDependents()
    {
        FailureScript script;
        script.failOnNth = 1;
        script.failTransient = false;
        Lab lab(TestDatabase::instance().createDatabase(), {{QStringLiteral("balance-1"), script}});
        lab.start();
        lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("F-1")}, 50);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.stats().workflowsFailed, qint64(1), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(lab.count(QStringLiteral("status = 'cancelled'")), QStringLiteral("4"), 5000);
        QCOMPARE(lab.count(QStringLiteral("status = 'failed' AND name = 'weigh'")), QStringLiteral("1"));
        QCOMPARE(lab.count(QStringLiteral("status = 'completed'")), QStringLiteral("1"));
        QVERIFY(test::queryValue(lab.conn, QStringLiteral("SELECT message FROM tasks WHERE name = 'weigh'")).contains(QStringLiteral("simulated failure")));
        QCOMPARE(test::queryValue(lab.conn, QStringLiteral("SELECT status FROM workflows")), QStringLiteral("failed"));
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(
                lab.conn,
                QStringLiteral("SELECT status FROM device_states WHERE id = 'balance-1'")),
            QStringLiteral("idle"), 5000);
    }

    void unknownTemplateAndMissingDeviceTypeAreRefused()
    {
        Lab lab(TestDatabase::instance().createDatabase());
        lab.start();
        QSignalSpy rejected(&lab.engine, &LabEngine::workflowRejected);
        lab.engine.submitWorkflow(QStringLiteral("no-such"), {QStringLiteral("X")}, 50);
        QCOMPARE(rejected.size(), 1);
        QVERIFY(rejected.first().at(0).toString().contains(QStringLiteral("unknown workflow template \"no-such\"")));
        WorkflowTemplate t;
        t.name = QStringLiteral("needs-nmr");
        t.tasks.append({QStringLiteral("scan"), QStringLiteral("nmr"), QStringLiteral("scan"), 10, {}, {}});
        lab.engine.addTemplate(t);
        lab.engine.submitWorkflow(QStringLiteral("needs-nmr"), {QStringLiteral("Y")}, 50);
        QCOMPARE(rejected.size(), 2);
        QVERIFY(rejected.last().at(0).toString().contains(QStringLiteral("task scan: no device of type \"nmr\"")));
        lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("Z")}, -1);
        QCOMPARE(rejected.size(), 3);
    }

    void aTaskThatDependsOnNothingIsCreatedReady()
    {
        Lab lab(TestDatabase::instance().createDatabase());
        lab.start();
        lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("C-1")}, 50);
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.stats().workflowsCompleted, qint64(1), 30000);
        auto kinds = [&](const QString &step) {
            return test::queryValue(
                lab.conn, QStringLiteral("SELECT string_agg(kind, ',' ORDER BY id) FROM events "
                                         "WHERE entity_type = 'task' AND entity_id = "
                                         "(SELECT id::text FROM tasks WHERE name = '%1')")
                              .arg(step));
        };
        auto created = [&](const QString &step, const QString &field) {
            return test::queryValue(lab.conn,
                                    QStringLiteral("SELECT payload->>'%2' FROM events WHERE kind = "
                                                   "'task.created' AND entity_id = "
                                                   "(SELECT id::text FROM tasks WHERE name = '%1')")
                                        .arg(step, field));
        };
        // The first step: created ready with its place in the queue, no separate task.ready.
        QTRY_COMPARE_WITH_TIMEOUT(kinds(QStringLiteral("dose")),
                                  QStringLiteral("task.created,task.started,task.completed"), 5000);
        QCOMPARE(created(QStringLiteral("dose"), QStringLiteral("status")),
                 QStringLiteral("ready"));
        QVERIFY(created(QStringLiteral("dose"), QStringLiteral("queue_rank")).toLongLong() != 0);
        // A step after it waits first, and becomes ready when its predecessor is done.
        QCOMPARE(kinds(QStringLiteral("weigh")),
                 QStringLiteral("task.created,task.ready,task.started,task.completed"));
        QCOMPARE(created(QStringLiteral("weigh"), QStringLiteral("status")),
                 QStringLiteral("waiting"));
    }

    void aTaskCreatedReadyThatNeverStartedRunsAfterARestart()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        {
            // The only doser hangs on the first workflow: the second's first step stays queued.
            FailureScript hang;
            hang.neverAnswerOnNth = 1;
            Lab lab(conn, {{QStringLiteral("doser-1"), hang}});
            lab.start();
            lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("Q-1")},
                                      50);
            lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("Q-2")},
                                      50);
            QTRY_COMPARE_WITH_TIMEOUT(
                test::queryValue(conn, QStringLiteral("SELECT string_agg(status, ',' ORDER BY id) "
                                                      "FROM tasks WHERE name = 'dose'")),
                QStringLiteral("running,ready"), 10000);
        }
        Lab next(conn);
        next.start();
        QCOMPARE(next.engine.stats().recoveredTasks, qint64(2));
        QTRY_COMPARE_WITH_TIMEOUT(next.engine.stats().workflowsCompleted, qint64(2), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(
                conn, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
            QStringLiteral("12"), 5000);
        QCOMPARE(
            test::queryValue(conn, QStringLiteral("SELECT string_agg(attempts::text, ',' ORDER "
                                                  "BY id) FROM tasks WHERE name = 'dose'")),
            QStringLiteral("2,1"));
    }

    void aDeviceIsBusyWhileARunningTaskHoldsIt()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        FailureScript hang;
        hang.neverAnswerOnNth = 1;
        Lab lab(conn, {{QStringLiteral("doser-1"), hang}});
        lab.start();
        lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("H-1")}, 50);
        const QString dose = QStringLiteral("(SELECT id FROM tasks WHERE name = 'dose')");
        QTRY_COMPARE_WITH_TIMEOUT(
            test::queryValue(conn, QStringLiteral("SELECT status FROM tasks WHERE name = 'dose'")),
            QStringLiteral("running"), 10000);
        // The grant wrote no device row: the running task's lease says the device is busy.
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT status || ' ' || "
                                                       "coalesce(current_task, 0) FROM devices "
                                                       "WHERE id = 'doser-1'")),
                 QStringLiteral("idle 0"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT status || ' ' || (current_task = "
                                                       "%1) FROM device_states WHERE id = "
                                                       "'doser-1'")
                                            .arg(dose)),
                 QStringLiteral("busy true"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM device_states WHERE "
                                                       "status = 'busy'")),
                 QStringLiteral("1"));
        // Nor an event of the device's own: the task's start names it.
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                                       "'device.status' AND entity_id = 'doser-1' "
                                                       "AND payload->>'status' = 'busy'")),
                 QStringLiteral("0"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events WHERE kind = "
                                                       "'task.started' AND entity_id = %1::text "
                                                       "AND payload->>'device_id' = 'doser-1'")
                                            .arg(dose)),
                 QStringLiteral("1"));
        // A console or a restarted engine starts from the same picture.
        QString error;
        const auto snapshot = loadSnapshot(conn, 0, &error);
        QVERIFY2(snapshot, qPrintable(error));
        const auto doser =
            std::find_if(snapshot->devices.cbegin(), snapshot->devices.cend(),
                         [](const DeviceState &d) { return d.id == QLatin1StringView("doser-1"); });
        QVERIFY(doser != snapshot->devices.cend());
        QCOMPARE(toString(doser->status), QStringLiteral("busy"));
        QCOMPARE(
            QString::number(doser->currentTask),
            test::queryValue(conn, QStringLiteral("SELECT id FROM tasks WHERE name = 'dose'")));
    }

    void recoveryRequeuesWhatWasRunning()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        {
            // A run that dies with work in flight: devices never answer.
            FailureScript hang;
            hang.neverAnswerOnNth = 1;
            Lab lab(conn, {{QStringLiteral("doser-1"), hang}});
            lab.start();
            lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("K-1")}, 50);
            QTRY_COMPARE_WITH_TIMEOUT(test::queryValue(conn, QStringLiteral("SELECT status FROM tasks WHERE name = 'dose'")), QStringLiteral("running"), 10000);
        }
        Lab next(conn);
        next.start();
        QCOMPARE(next.engine.stats().recoveredTasks, qint64(1));
        QTRY_COMPARE_WITH_TIMEOUT(next.engine.stats().workflowsCompleted, qint64(1), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")), QStringLiteral("6"), 5000);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT attempts FROM tasks WHERE name = 'dose'")), QStringLiteral("2"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT status FROM workflows")), QStringLiteral("completed"));
        // New ids continue after the old ones.
        next.engine.submitWorkflow(QStringLiteral("demo-synthesis"), {QStringLiteral("K-2")}, 50);
        QTRY_COMPARE_WITH_TIMEOUT(next.engine.stats().workflowsCompleted, qint64(2), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(test::queryValue(conn, QStringLiteral("SELECT count(DISTINCT id) FROM tasks")), QStringLiteral("12"), 5000);
    }
};

QTEST_GUILESS_MAIN(TstEngine)
#include "tst_engine.moc"
