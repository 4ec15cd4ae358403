#include "core/storage/databasereader.h"
#include "core/storage/history.h"
#include "core/storage/storagewriter.h"
#include "core/storage/telemetrystore.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <tuple>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
constexpr qint64 kSecond = 1000000;
constexpr qint64 kT0 = 1718006400LL * kSecond; // 2024-06-10 08:00:00 UTC

TaskState task(TaskId id, WorkflowId wf, const QString &name, const QString &type,
               TaskStatus status, qint64 startedUs = 0, qint64 finishedUs = 0)
{
    TaskState t;
    t.id = id;
    t.workflowId = wf;
    t.name = name;
    t.deviceType = type;
    t.status = status;
    t.createdUs = kT0;
    t.startedUs = startedUs;
    t.finishedUs = finishedUs;
    return t;
}

// Commits change sets through the real writer, synchronously.
void commit(StorageWriter &writer, const QList<ChangeSet> &sets)
{
    QSignalSpy committed(&writer, &StorageWriter::committed);
    QSignalSpy rejected(&writer, &StorageWriter::rejected);
    for (int i = 0; i < sets.size(); ++i)
        writer.submit(quint64(i + 1), sets[i]);
    QCOMPARE(writer.flushNow(), 0);
    QVERIFY2(rejected.isEmpty(),
             rejected.isEmpty() ? "" : qPrintable(rejected.first().at(1).toString()));
}
} // namespace

class TstHistory : public QObject
{
    Q_OBJECT
    QString m_conn;

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        qRegisterMetaType<QList<quint64>>();
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
        m_conn = TestDatabase::instance().createDatabase();
        // Day partitions are made by the schema's owner, as retention makes them.
        const QString owner = TestDatabase::instance().ownerConnection(m_conn);
        queryValue(
            owner,
            QStringLiteral(
                "SELECT alabos_ensure_day_partitions('events', '2024-06-09', '2024-06-11')"));
        queryValue(
            owner,
            QStringLiteral(
                "SELECT alabos_ensure_day_partitions('telemetry', '2024-06-09', '2024-06-11')"));
        queryValue(owner, QStringLiteral("SELECT alabos_ensure_day_partitions('telemetry_minute', "
                                         "'2024-06-09', '2024-06-11')"));

        StorageWriter writer(m_conn);
        ChangeSet setup;
        for (const auto &[id, type] : {std::pair{"furnace-1", "furnace"},
                                       {"furnace-2", "furnace"},
                                       {"balance-1", "balance"}})
            setup.device(DeviceState{QString::fromLatin1(id), QString::fromLatin1(type),
                                     DeviceStatus::Idle, 0, 0, kT0},
                         QStringLiteral("device.registered"));
        for (WorkflowId wf = 1; wf <= 3; ++wf) {
            setup.workflow(WorkflowState{wf,
                                         QStringLiteral("synthesis"),
                                         QStringLiteral("running"),
                                         {wf * 10, wf * 10 + 1},
                                         kT0,
                                         0},
                           QStringLiteral("workflow.created"));
            setup.task(task(wf * 100 + 1, wf, QStringLiteral("fire"), QStringLiteral("furnace"),
                            TaskStatus::Ready),
                       QStringLiteral("task.created"));
            setup.task(task(wf * 100 + 2, wf, QStringLiteral("weigh"), QStringLiteral("balance"),
                            TaskStatus::Waiting),
                       QStringLiteral("task.created"));
        }
        ChangeSet running;
        for (WorkflowId wf = 1; wf <= 3; ++wf)
            running.task(task(wf * 100 + 1, wf, QStringLiteral("fire"), QStringLiteral("furnace"),
                              TaskStatus::Running, kT0 + 30 * kSecond),
                         QStringLiteral("task.started"));
        // Fire takes 240 s (08:00:30 to 08:04:30) in workflows 1 and 2; it fails in 3 after 60 s.
        ChangeSet finished;
        for (WorkflowId wf = 1; wf <= 3; ++wf) {
            const bool ok = wf < 3;
            finished.task(task(wf * 100 + 1, wf, QStringLiteral("fire"), QStringLiteral("furnace"),
                               ok ? TaskStatus::Completed : TaskStatus::Failed, kT0 + 30 * kSecond,
                               kT0 + (ok ? 270 : 90) * kSecond),
                          ok ? QStringLiteral("task.completed") : QStringLiteral("task.failed"));
        }
        ChangeSet weighed;
        for (WorkflowId wf = 1; wf <= 2; ++wf) {
            weighed.task(task(wf * 100 + 2, wf, QStringLiteral("weigh"), QStringLiteral("balance"),
                              TaskStatus::Completed, kT0 + 300 * kSecond, kT0 + 310 * kSecond),
                         QStringLiteral("task.completed"));
            weighed.workflow(WorkflowState{wf,
                                           QStringLiteral("synthesis"),
                                           QStringLiteral("completed"),
                                           {wf * 10, wf * 10 + 1},
                                           kT0,
                                           kT0 + 310 * kSecond},
                             QStringLiteral("workflow.finished"));
        }
        weighed.task(task(302, 3, QStringLiteral("weigh"), QStringLiteral("balance"),
                          TaskStatus::Cancelled, 0, kT0 + 90 * kSecond),
                     QStringLiteral("task.cancelled"));
        weighed.workflow(WorkflowState{3,
                                       QStringLiteral("synthesis"),
                                       QStringLiteral("failed"),
                                       {30, 31},
                                       kT0,
                                       kT0 + 90 * kSecond},
                         QStringLiteral("workflow.finished"));
        commit(writer, {setup});
        commit(writer, {running});
        commit(writer, {finished});
        commit(writer, {weighed});
        // A finished task written again (a message edit) is not counted twice.
        commit(writer, {weighed});
    }

    void rollupsFollowTheWritersTransitions()
    {
        QCOMPARE(
            queryValue(m_conn, QStringLiteral("SELECT sum(tasks_completed) || ' ' || "
                                              "sum(tasks_failed) || ' ' || sum(tasks_cancelled) "
                                              "|| ' ' || sum(workflows_completed) || ' ' || "
                                              "sum(samples_completed) FROM lab_minute")),
            QStringLiteral("4 1 1 2 4"));
        QCOMPARE(
            queryValue(
                m_conn,
                QStringLiteral(
                    "SELECT tasks_completed FROM lab_minute WHERE minute = '2024-06-10 08:04+00'")),
            QStringLiteral("2"));
        // Furnace busy: 2 x 240 s + 60 s, split over the minutes the runs spanned.
        QCOMPARE(
            queryValue(m_conn, QStringLiteral("SELECT sum(busy_seconds) FROM device_type_minute "
                                              "WHERE device_type = 'furnace'")),
            QStringLiteral("540"));
        QCOMPARE(
            queryValue(
                m_conn,
                QStringLiteral(
                    "SELECT busy_seconds FROM device_type_minute WHERE device_type = 'furnace' "
                    "AND minute = '2024-06-10 08:00+00'")),
            QStringLiteral("90"));
        QCOMPARE(
            queryValue(
                m_conn,
                QStringLiteral(
                    "SELECT busy_seconds FROM device_type_minute WHERE device_type = 'furnace' "
                    "AND minute = '2024-06-10 08:04+00'")),
            QStringLiteral("60"));
        QCOMPARE(
            queryValue(m_conn, QStringLiteral("SELECT sum(busy_seconds) FROM device_type_minute "
                                              "WHERE device_type = 'balance'")),
            QStringLiteral("20"));
    }

    void hourlyChart()
    {
        HistoryQueries history({m_conn});
        QString error;
        const auto hours = history.completedPerHour(kT0 - 7 * 24 * 3600 * kSecond + 3600 * kSecond,
                                                    kT0 + 3600 * kSecond, &error);
        QVERIFY2(hours, qPrintable(error));
        QCOMPARE(hours->size(), 1);
        QCOMPARE(hours->first().hourUs, kT0);
        QCOMPARE(hours->first().workflowsCompleted, 2);
        QCOMPARE(hours->first().samplesCompleted, 4);
        QCOMPARE(hours->first().tasksCompleted, 4);
        QCOMPARE(hours->first().tasksFailed, 1);
        QVERIFY(history.completedPerHour(kT0 + 3600 * kSecond, kT0 + 7200 * kSecond, &error)
                    ->isEmpty());
    }

    void utilisation()
    {
        HistoryQueries history({m_conn});
        QString error;
        const auto u = history.utilisationByDeviceType(kT0, kT0 + 3600 * kSecond, &error);
        QVERIFY2(u, qPrintable(error));
        QCOMPARE(u->size(), 2);
        QCOMPARE(u->at(0).deviceType, QStringLiteral("balance"));
        QCOMPARE(u->at(0).busySeconds, 20.0);
        QCOMPARE(u->at(0).capacitySeconds, 3600.0);
        QCOMPARE(u->at(1).deviceType, QStringLiteral("furnace"));
        QCOMPARE(u->at(1).capacitySeconds, 7200.0);
        QCOMPARE(u->at(1).utilisation, 540.0 / 7200.0);
    }

    void taskDurations()
    {
        HistoryQueries history({m_conn});
        QString error;
        const auto all = history.taskDurations(kT0, kT0 + 3600 * kSecond, QString(), &error);
        QVERIFY2(all, qPrintable(error));
        QCOMPARE(all->size(), 2); // 10 s (weigh) and 240 s (fire); failed runs are not durations
        QVERIFY(all->at(0).lowerSeconds <= 10 && 10 < all->at(0).upperSeconds);
        QCOMPARE(all->at(0).count, 2);
        QVERIFY(all->at(1).lowerSeconds <= 240 && 240 < all->at(1).upperSeconds);
        QCOMPARE(all->at(1).count, 2);
        QCOMPARE(history.taskDurations(kT0, kT0 + 3600 * kSecond, QStringLiteral("fire"), &error)
                     ->size(),
                 1);
    }

    void queueDepth()
    {
        queryValue(m_conn,
                   QStringLiteral(
                       "INSERT INTO lab_minute (minute, queue_depth, tasks_running) "
                       "SELECT '2024-06-10 09:00+00'::timestamptz + i * interval '1 minute', i, 1 "
                       "FROM generate_series(0, 59) i RETURNING 1"));
        HistoryQueries history({m_conn});
        QString error;
        const qint64 from = kT0 + 3600 * kSecond;
        const auto points = history.queueDepth(from, from + 3600 * kSecond, 6, &error);
        QVERIFY2(points, qPrintable(error));
        QCOMPARE(points->size(), 6);
        QCOMPARE(points->at(0).timeUs, from);
        QCOMPARE(points->at(0).queueDepth, 4.5);
        QCOMPARE(points->at(0).maxQueueDepth, 9);
        QCOMPARE(points->at(5).timeUs, from + 50 * 60 * kSecond);
        QCOMPARE(points->at(5).queueDepth, 54.5);
        QCOMPARE(points->at(5).tasksRunning, 1.0);
    }

    void lastEventsOfAnEntity()
    {
        HistoryQueries history({m_conn});
        QString error;
        const auto events = history.lastEvents(QStringLiteral("101"), 2, &error);
        QVERIFY2(events, qPrintable(error));
        QCOMPARE(events->size(), 2);
        QCOMPARE(events->at(0).kind, QStringLiteral("task.completed"));
        QVERIFY(events->at(0).id > events->at(1).id);
        QCOMPARE(events->at(1).kind, QStringLiteral("task.started"));
        QCOMPARE(events->at(0).payload.value(QStringLiteral("id")).toInteger(), 101);
        QCOMPARE(history.lastEvents(QStringLiteral("101"), 100, &error)->size(), 3);
        QVERIFY(history.lastEvents(QStringLiteral("nobody"), 100, &error)->isEmpty());
    }

    // The last N events of an entity come from many day partitions (and the default one, which
    // holds wild timestamps): newest first, ties on time by id, exactly N when there are more.
    void lastEventsAcrossDayPartitions()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        queryValue(TestDatabase::instance().ownerConnection(conn),
                   QStringLiteral("SELECT alabos_ensure_day_partitions('events', "
                                  "'2024-06-01', '2024-06-05')"));
        // "many": 150 events, 30 a day over 5 days, each pair of events sharing a timestamp;
        // "hundred": exactly 100; "few": 30; one event of "many" in 2031 (default partition).
        queryValue(
            conn,
            QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                           "SELECT 'task', e, 'task.progress', jsonb_build_object('i', i), "
                           "'2024-06-01'::timestamptz + (i / 2) * interval '95 minutes' "
                           "FROM (VALUES ('many', 150), ('hundred', 100), ('few', 30)) v(e, n), "
                           "generate_series(1, n) i ORDER BY i, e RETURNING 1"));
        queryValue(conn,
                   QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload, "
                                  "created_at) VALUES ('task', 'many', 'task.late', "
                                  "'{}', '2031-01-01') RETURNING 1"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(DISTINCT tableoid) FROM events "
                                                 "WHERE entity_id = 'many'")),
                 QStringLiteral("6"));
        HistoryQueries history({conn});
        QString error;
        for (const auto &[entity, limit, expected] :
             {std::tuple{QStringLiteral("many"), 100, 100},
              std::tuple{QStringLiteral("many"), 7, 7},
              std::tuple{QStringLiteral("hundred"), 100, 100},
              std::tuple{QStringLiteral("few"), 100, 30}}) {
            const auto events = history.lastEvents(entity, limit, &error);
            QVERIFY2(events, qPrintable(error));
            QCOMPARE(events->size(), expected);
            QStringList ids;
            for (const Event &e : *events)
                ids << QString::number(e.id);
            QCOMPARE(ids.join(u','),
                     queryValue(conn, QStringLiteral("SELECT string_agg(id::text, ',') FROM "
                                                     "(SELECT id FROM events WHERE entity_id = "
                                                     "'%1' ORDER BY created_at DESC, id DESC "
                                                     "LIMIT %2) x")
                                          .arg(entity)
                                          .arg(limit)));
        }
        const auto many = history.lastEvents(QStringLiteral("many"), 100, &error);
        QCOMPARE(many->first().kind, QStringLiteral("task.late"));
        // Two events share each time: the later id comes first.
        QCOMPARE(many->at(2).timeUs, many->at(3).timeUs);
        QVERIFY(many->at(2).id > many->at(3).id);
        QCOMPARE(many->last().payload.value(QStringLiteral("i")).toInt(), 52);
    }

    void telemetryRawAndFromRollups()
    {
        TelemetryStore store(m_conn);
        QList<TelemetryReading> readings;
        for (int s = 0; s < 3 * 3600; ++s) // 08:00 .. 10:59:59, one reading a second
            readings.append({QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
                             double(s), kT0 + s * kSecond});
        QString error;
        QVERIFY2(store.write(readings, {}, QStringLiteral("history-test"), &error),
                 qPrintable(error));
        QVERIFY2(store.foldMinutes(&error), qPrintable(error));
        HistoryQueries history({m_conn});
        // One hour: raw rows, 60 buckets of a minute.
        auto hour = history.telemetry(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
                                      kT0, kT0 + 3600 * kSecond, 60, &error);
        QVERIFY2(hour, qPrintable(error));
        QCOMPARE(hour->size(), 60);
        QCOMPARE(hour->at(1).timeUs, kT0 + 60 * kSecond);
        QCOMPARE(hour->at(1).count, 60);
        QCOMPARE(hour->at(1).min, 60.0);
        QCOMPARE(hour->at(1).max, 119.0);
        QCOMPARE(hour->at(1).avg, 89.5);
        // Three hours: from the minute rollups, 18 buckets of 10 minutes, same figures as raw.
        auto three = history.telemetry(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
                                       kT0, kT0 + 3 * 3600 * kSecond, 18, &error);
        QVERIFY2(three, qPrintable(error));
        QCOMPARE(three->size(), 18);
        QCOMPARE(three->at(17).timeUs, kT0 + 170 * 60 * kSecond);
        QCOMPARE(three->at(17).count, 600);
        QCOMPARE(three->at(17).min, 10200.0);
        QCOMPARE(three->at(17).max, 10799.0);
        QCOMPARE(three->at(17).avg, 10499.5);
        // Short range, fine buckets: 100 points over 100 seconds.
        auto fine = history.telemetry(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
                                      kT0, kT0 + 100 * kSecond, 100, &error);
        QCOMPARE(fine->size(), 100);
        QVERIFY(history
                    .telemetry(QStringLiteral("furnace-1"), QStringLiteral("mass_g"), kT0,
                               kT0 + 100 * kSecond, 100, &error)
                    ->isEmpty());
        // Nonsense arguments give an empty chart, not an error.
        QVERIFY(history
                    .telemetry(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"), kT0,
                               kT0 - kSecond, 0, &error)
                    ->isEmpty());
    }

    void unreachableDatabaseIsReported()
    {
        HistoryQueries history(
            {QStringLiteral("host=/nonexistent-dir port=1 dbname=x connect_timeout=2")});
        QString error;
        QVERIFY(!history.lastEvents(QStringLiteral("x"), 10, &error));
        QVERIFY2(error.startsWith(QStringLiteral("History query \"last events\" failed")),
                 qPrintable(error));
        // Two addresses, neither answering: the message says so.
        HistoryQueries both({QStringLiteral("host=/nonexistent-a port=1 dbname=x"),
                             QStringLiteral("host=/nonexistent-b port=1 dbname=x")});
        QVERIFY(!both.lastEvents(QStringLiteral("x"), 10, &error));
        QVERIFY2(error.contains(QStringLiteral("none of the 2 database addresses answered")),
                 qPrintable(error));
    }

    // --read-database-url: a replica that does not answer sends the query to the primary,
    // and the next query tries the replica first again.
    void readReplicaFallsBackToThePrimary()
    {
        const QString replica = QStringLiteral("host=/nonexistent-dir port=1 dbname=x");
        HistoryQueries history({replica, m_conn});
        QString error;
        const auto events = history.lastEvents(QStringLiteral("101"), 100, &error);
        QVERIFY2(events, qPrintable(error));
        QCOMPARE(events->size(), 3);

        DatabaseReader reader({replica, m_conn});
        QString answeredBy, readerError = QStringLiteral("(not run)");
        bool done = false;
        reader.run([&](pqxx::connection &c) { answeredBy = QString::fromStdString(c.dbname()); },
                   &reader,
                   [&](const QString &e) {
                       readerError = e;
                       done = true;
                   });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
        QVERIFY(!answeredBy.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstHistory)
#include "tst_history.moc"
