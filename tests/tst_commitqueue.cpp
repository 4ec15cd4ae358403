// The commit queue alone: what it hands to storage, in which order, when storage has no room
// for more; and the change sets it hands over carry their state events' payloads as rows.
#include "core/engine/commitqueue.h"

#include <QTest>

using namespace alabos;

namespace {

struct Queue
{
    QObject context;
    QList<quint64> sent;
    QList<ChangeSet> sets;
    CommitQueue commits{&context, [this](quint64 ticket, const ChangeSet &c) {
                            sent.append(ticket);
                            sets.append(c);
                        }};

    TaskState task(TaskId id, TaskStatus status = TaskStatus::Waiting)
    {
        TaskState t;
        t.id = id;
        t.workflowId = id;
        t.name = QStringLiteral("run");
        t.status = status;
        return t;
    }
    // A submission of one workflow with one task and one sample, all new.
    quint64 submit(TaskId id)
    {
        commits.batch().workflow({id, QStringLiteral("one"), QStringLiteral("running"), {}, 1, 0},
                                 QStringLiteral("workflow.created"));
        commits.batch().task(task(id), QStringLiteral("task.created"));
        commits.flushSubmission();
        return sent.isEmpty() ? 0 : sent.last();
    }
    void fill()
    {
        // Storage has all it takes: nothing answered yet.
        for (qsizetype i = 0; i < commits.maxInFlight(); ++i)
            submit(1000000 + i);
        QCOMPARE(sent.size(), commits.maxInFlight());
    }
    void answer(quint64 ticket)
    {
        QList<CommitQueue::Action> actions;
        QVERIFY(commits.take(ticket, &actions));
        commits.flush();
    }
};

} // namespace

class TstCommitQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aGrantGoesAheadOfSubmissionsWaitingForRoom()
    {
        Queue q;
        q.fill();
        q.submit(1); // waits: no room
        q.submit(2);
        q.commits.batch().task(q.task(7, TaskStatus::Running), QStringLiteral("task.started"));
        q.commits.batch().leases.append({7, QStringLiteral("device"), QStringLiteral("xrd-1")});
        q.commits.flush(); // a grant of an older task: waits too, but ahead of them
        QCOMPARE(q.commits.held(), 3);
        q.answer(q.sent.first());
        QCOMPARE(q.sets.last().tasks.first().id, TaskId(7));
        q.answer(q.sent.at(1));
        q.answer(q.sent.at(2));
        QCOMPARE(q.sets.at(q.sets.size() - 2).tasks.first().id, TaskId(1));
        QCOMPARE(q.sets.last().tasks.first().id, TaskId(2));
        QCOMPARE(q.commits.held(), 0);
    }

    void changeSetsSharingATaskKeepTheirOrder()
    {
        Queue q;
        q.fill();
        q.submit(1);
        // An operator cancels task 1 before its submission went out: it must not overtake it,
        // or the submission's row would be written last and the task would be waiting again.
        q.commits.batch().task(q.task(1, TaskStatus::Cancelled), QStringLiteral("task.cancelled"));
        q.commits.flush();
        q.answer(q.sent.first());
        QVERIFY(q.sets.last().tasks.first().status == TaskStatus::Waiting);
        q.answer(q.sent.at(1));
        QVERIFY(q.sets.last().tasks.first().status == TaskStatus::Cancelled);
    }

    void changeSetsSharingADeviceKeepTheirOrder()
    {
        Queue q;
        q.fill();
        q.submit(1);
        DeviceState d{QStringLiteral("xrd-1"), QStringLiteral("xrd"), DeviceStatus::Busy};
        q.commits.batch().task(q.task(1, TaskStatus::Running), QStringLiteral("task.started"));
        q.commits.batch().device(d, QStringLiteral("device.status"));
        q.commits.flush(); // waits behind the submission of task 1
        d.status = DeviceStatus::Paused;
        q.commits.batch().device(d, QStringLiteral("device.status"));
        q.commits.flush(); // touches the same device: behind it, not ahead
        q.answer(q.sent.first());
        q.answer(q.sent.at(1));
        q.answer(q.sent.at(2));
        QVERIFY(q.sets.last().devices.first().status == DeviceStatus::Paused);
    }

    void shutdownHandsOverEverythingHeld()
    {
        Queue q;
        q.fill();
        q.submit(1);
        q.submit(2);
        q.commits.flush(true);
        QCOMPARE(q.commits.held(), 0);
        QCOMPARE(q.sent.size(), q.commits.maxInFlight() + 2);
    }

    void stateEventsCarryTheirRowAndTheSamePayload()
    {
        Queue q;
        q.submit(5);
        const ChangeSet &c = q.sets.last();
        QVERIFY(c.deferPayloads);
        QCOMPARE(c.events.size(), 2);
        QVERIFY(c.events[1].payload.isEmpty());
        QCOMPARE(c.payloadOf(1), c.tasks.first().toJson());
        QCOMPARE(c.payloadOf(0), c.workflows.first().toJson());
        // Appended to a set that carries payloads, they are carried.
        ChangeSet carried;
        carried.task(q.task(9), QStringLiteral("task.created"));
        carried.append(c);
        QCOMPARE(carried.events.size(), 3);
        QCOMPARE(carried.events[2].stateRow, -1);
        QCOMPARE(carried.events[2].payload, c.tasks.first().toJson());
        // Appended to one that defers, they point at their rows there.
        ChangeSet deferred;
        deferred.deferPayloads = true;
        deferred.task(q.task(9), QStringLiteral("task.created"));
        deferred.append(c);
        QCOMPARE(deferred.payloadOf(2), c.tasks.first().toJson());
        QCOMPARE(deferred.payloadOf(0), q.task(9).toJson());
    }
};

QTEST_GUILESS_MAIN(TstCommitQueue)
#include "tst_commitqueue.moc"
