// The resource manager alone: devices, positions and a queue of task entries, no database,
// no drivers. A grant is recorded instead of run.
#include "core/engine/commitqueue.h"
#include "core/engine/resourcemanager.h"

#include <QJsonArray>
#include <QTest>
#include <unordered_map>

using namespace alabos;

namespace {

// A resource manager with the tasks it grants kept here, as the scheduler would keep them.
struct Lab
{
    QObject context;
    QList<ChangeSet> sent;
    CommitQueue commits{&context, [this](quint64, const ChangeSet &c) { sent.append(c); }};
    std::unordered_map<TaskId, TaskEntry> tasks;
    QList<TaskId> granted;
    ResourceManager resources{commits,
                              [this](TaskId id) {
                                  auto it = tasks.find(id);
                                  return it == tasks.end() ? nullptr : &it->second;
                              },
                              [this](TaskEntry &t, qint64) {
                                  t.state.status = TaskStatus::Running;
                                  granted.append(t.state.id);
                              }};

    explicit Lab(const QList<DeviceSpec> &devices, const QList<PositionState> &positions = {})
    {
        LabSnapshot snapshot;
        snapshot.positions = positions;
        resources.restore(snapshot, devices);
        resources.settle({});
    }
    // A waiting task that asks for `deviceType` and whatever `resources` names.
    TaskEntry &task(TaskId id, const QString &deviceType, int priority = 50,
                    const QJsonObject &resources = {})
    {
        TaskEntry &t = tasks[id];
        t.state.id = id;
        t.state.deviceType = deviceType;
        t.state.priority = priority;
        t.state.status = TaskStatus::Waiting;
        if (!resources.isEmpty()) t.state.parameters.insert(QStringLiteral("resources"), resources);
        t.request = ResourceManager::requestFrom(t.state);
        t.startsWorkflow = true;
        return t;
    }
};

DeviceSpec device(const QString &id, const QString &type)
{
    return {id, type, {{QStringLiteral("driver"), QStringLiteral("simulated")}}};
}

} // namespace

class TstResourceManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aTaskGetsEverythingItAsksForOrNothing()
    {
        Lab lab({device(QStringLiteral("furnace-1"), QStringLiteral("box_furnace"))});
        // The furnace and a robot arm together; there is no robot arm yet.
        TaskEntry &t = lab.task(
            1, QStringLiteral("box_furnace"), 50,
            {{QStringLiteral("devices"),
              QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("robot_arm")}}}}});
        lab.resources.makeReady(t);
        QVERIFY(lab.granted.isEmpty());
        QCOMPARE(lab.resources.device(QStringLiteral("furnace-1"))->leasedBy, TaskId(0));
        QCOMPARE(lab.resources.queued(), qint64(1));

        lab.resources.setDriverHooks([](const DeviceSpec &, QString *) { return true; }, {});
        QString error;
        QVERIFY(lab.resources.addDevice(
            device(QStringLiteral("robot-1"), QStringLiteral("robot_arm")), &error));
        QCOMPARE(lab.granted, QList<TaskId>{1});
        QCOMPARE(t.heldDevices,
                 (QStringList{QStringLiteral("furnace-1"), QStringLiteral("robot-1")}));
        QCOMPARE(lab.resources.queued(), qint64(0));
    }

    void aReleasedDeviceGoesToTheBestWaitingTask()
    {
        Lab lab({device(QStringLiteral("xrd-1"), QStringLiteral("xrd"))});
        TaskEntry &first = lab.task(1, QStringLiteral("xrd"));
        lab.resources.makeReady(first);
        QCOMPARE(lab.granted, QList<TaskId>{1});
        TaskEntry &low = lab.task(2, QStringLiteral("xrd"), 10);
        TaskEntry &urgent = lab.task(3, QStringLiteral("xrd"), 100);
        lab.resources.makeReady(low);
        lab.resources.makeReady(urgent);
        QCOMPARE(lab.resources.queued(), qint64(2));

        lab.tasks[1].state.status = TaskStatus::Completed;
        lab.resources.release(lab.tasks[1]);
        QCOMPARE(lab.granted, (QList<TaskId>{1, 3}));
        QCOMPARE(lab.resources.device(QStringLiteral("xrd-1"))->leasedBy, TaskId(3));
    }

    void aDrainedManagerGrantsNothing()
    {
        Lab lab({device(QStringLiteral("xrd-1"), QStringLiteral("xrd"))});
        lab.resources.drain();
        lab.resources.makeReady(lab.task(1, QStringLiteral("xrd")));
        QVERIFY(lab.granted.isEmpty());
        QCOMPARE(lab.resources.queued(), qint64(1));
    }

    void heldGrantsWaitUntilReleased()
    {
        Lab lab({device(QStringLiteral("xrd-1"), QStringLiteral("xrd"))});
        QVERIFY(lab.resources.setGrantsHeld(true));
        QVERIFY(!lab.resources.setGrantsHeld(true));
        lab.resources.makeReady(lab.task(1, QStringLiteral("xrd")));
        QVERIFY(lab.granted.isEmpty());
        QVERIFY(lab.resources.setGrantsHeld(false));
        lab.resources.grantAllWaiting();
        QCOMPARE(lab.granted, QList<TaskId>{1});
    }

    void positionsUnderAParentAreCountedOut()
    {
        const QList<PositionState> rack{
            {QStringLiteral("rack/1"), QStringLiteral("rack"), {}, false},
            {QStringLiteral("rack/2"), QStringLiteral("rack"), {}, false},
            {QStringLiteral("rack/3"), QStringLiteral("rack"), {}, false}};
        Lab lab({device(QStringLiteral("robot-1"), QStringLiteral("robot_arm")),
                 device(QStringLiteral("robot-2"), QStringLiteral("robot_arm"))},
                rack);
        const QJsonObject twoUnderRack{
            {QStringLiteral("positions_under"),
             QJsonObject{{QStringLiteral("parent"), QStringLiteral("rack")},
                         {QStringLiteral("count"), 2}}}};
        TaskEntry &a = lab.task(1, QStringLiteral("robot_arm"), 50, twoUnderRack);
        TaskEntry &b = lab.task(2, QStringLiteral("robot_arm"), 50, twoUnderRack);
        lab.resources.makeReady(a);
        lab.resources.makeReady(b);
        // Two of three positions are taken: the second task waits although a robot is free.
        QCOMPARE(lab.granted, QList<TaskId>{1});
        QCOMPARE(a.heldPositions.size(), 2);
        lab.resources.release(a);
        QCOMPARE(lab.granted, (QList<TaskId>{1, 2}));
    }

    void aBusyDeviceLeavesWhenItsTaskEnds()
    {
        Lab lab({device(QStringLiteral("xrd-1"), QStringLiteral("xrd"))});
        int detached = 0;
        lab.resources.setDriverHooks([](const DeviceSpec &, QString *) { return true; },
                                     [&](const QString &) { ++detached; });
        lab.resources.makeReady(lab.task(1, QStringLiteral("xrd")));
        DeviceEntry *xrd = lab.resources.device(QStringLiteral("xrd-1"));
        lab.resources.removeDevice(*xrd);
        QVERIFY(lab.resources.device(QStringLiteral("xrd-1")));
        QCOMPARE(detached, 0);
        lab.resources.release(lab.tasks[1]);
        QVERIFY(!lab.resources.device(QStringLiteral("xrd-1")));
        QCOMPARE(detached, 1);
        QCOMPARE(lab.resources.devicesOfType(QStringLiteral("xrd")), 0);
    }

    void aHeldPositionIsRemovedWhenItsTaskEnds()
    {
        Lab lab({device(QStringLiteral("robot-1"), QStringLiteral("robot_arm"))},
                {{QStringLiteral("rack/1"), QStringLiteral("rack"), {}, false}});
        lab.resources.makeReady(
            lab.task(1, QStringLiteral("robot_arm"), 50,
                     {{QStringLiteral("positions"), QJsonArray{QStringLiteral("rack/1")}}}));
        QCOMPARE(lab.resources.removePosition(QStringLiteral("rack/1")), std::optional<TaskId>(1));
        QVERIFY(lab.resources.hasPosition(QStringLiteral("rack/1")));
        lab.resources.release(lab.tasks[1]);
        QVERIFY(!lab.resources.hasPosition(QStringLiteral("rack/1")));
        QCOMPARE(lab.resources.removePosition(QStringLiteral("rack/1")), std::nullopt);
    }

    void grantsAndReleasesAreWrittenToTheChangeSet()
    {
        Lab lab({device(QStringLiteral("xrd-1"), QStringLiteral("xrd"))});
        lab.commits.flush();
        lab.sent.clear();
        lab.resources.makeReady(lab.task(1, QStringLiteral("xrd")));
        lab.resources.release(lab.tasks[1]);
        lab.commits.flush();
        QCOMPARE(lab.sent.size(), 1);
        const ChangeSet &c = lab.sent.first();
        // Granted and released in one change set: the lease never reaches the table.
        QVERIFY(c.leases.isEmpty());
        QCOMPARE(c.releasedLeases, QList<TaskId>{1});
        QVERIFY(c.devices.last().status == DeviceStatus::Idle);
    }
};

QTEST_GUILESS_MAIN(TstResourceManager)
#include "tst_resourcemanager.moc"
