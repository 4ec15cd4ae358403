#include "app/options.h"
#include "core/storage/retention.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
const QDateTime kToday(QDate(2024, 6, 10), QTime(0, 0), Qt::UTC);

RetentionSettings daysAhead(int days)
{
    RetentionSettings settings;
    settings.daysAhead = days;
    return settings;
}

QDateTime utc(int hour, int minute)
{
    return QDateTime(kToday.date(), QTime(hour, minute), Qt::UTC);
}

QString partitions(const QString &conn, const QString &parent)
{
    return queryValue(conn, QStringLiteral("SELECT string_agg(partition_name, ' ' ORDER BY day) "
                                           "FROM alabos_day_partitions('%1')")
                                .arg(parent));
}
// Partitions are made and dropped by the schema's owner, as alabos does.
QString ownerDatabase()
{
    TestDatabase &db = TestDatabase::instance();
    return db.ownerConnection(db.createDatabase());
}
} // namespace

class TstRetention : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void theApplicationRoleCannotDropPartitions()
    {
        const QString app = TestDatabase::instance().createDatabase();
        QString error;
        QVERIFY(!applyRetention(app, {}, &error, kToday));
        QVERIFY2(error.contains(QStringLiteral("owner")) ||
                     error.contains(QStringLiteral("permission denied")),
                 qPrintable(error));
    }

    void partitionsAreCreatedAheadOnce()
    {
        const QString conn = ownerDatabase();
        QString error;
        const auto made = ensurePartitions(conn, daysAhead(3), &error, kToday);
        QVERIFY2(made, qPrintable(error));
        QCOMPARE(*made, 15); // 3 tables x (yesterday, today, 3 ahead)
        QVERIFY(partitions(conn, QStringLiteral("telemetry"))
                    .startsWith(QStringLiteral(
                        "telemetry_p20240609 telemetry_p20240610 "
                        "telemetry_p20240611 telemetry_p20240612 telemetry_p20240613")));
        QCOMPARE(*ensurePartitions(conn, daysAhead(3), &error, kToday), 0);
        // The migration already made them for the real today, so this creates none.
        QCOMPARE(*ensurePartitions(conn, daysAhead(7), &error), 0);
    }

    void rowsCaughtByTheDefaultPartitionMoveIntoANewDay()
    {
        const QString conn = ownerDatabase();
        queryValue(conn,
                   QStringLiteral("INSERT INTO telemetry VALUES ('d','m',1,'2024-06-15 10:00+00'),"
                                  "('d','m',2,'2024-06-15 23:59:59+00'),('d','m',3,'2031-01-01 "
                                  "00:00+00') RETURNING 1"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_default")),
                 QStringLiteral("3"));
        QString error;
        QVERIFY2(ensurePartitions(conn, daysAhead(7), &error, kToday), qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_p20240615")),
                 QStringLiteral("2"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_default")),
                 QStringLiteral("1"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("3"));
        // The moved partition carries the parent's index like any other.
        QCOMPARE(
            queryValue(
                conn,
                QStringLiteral(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = 'telemetry_p20240615'")),
            QStringLiteral("1"));
    }

    void oldTelemetryPartitionsAreDroppedWhole()
    {
        const QString conn = ownerDatabase();
        // One reading per day from 2024-04-01 to 2024-06-10: 71 days.
        queryValue(
            conn,
            QStringLiteral(
                "SELECT alabos_ensure_day_partitions('telemetry', '2024-04-01', '2024-06-10')"));
        queryValue(conn, QStringLiteral(
                             "INSERT INTO telemetry SELECT 'd', 'm', 1, d + interval '12 hours' "
                             "FROM generate_series('2024-04-01'::timestamptz, '2024-06-10', "
                             "interval '1 day') d RETURNING 1"));
        queryValue(conn, QStringLiteral("SELECT alabos_ensure_day_partitions('telemetry_minute', "
                                        "'2024-04-01', '2024-04-02')"));
        queryValue(conn, QStringLiteral("INSERT INTO telemetry_minute VALUES ('d','m','2024-04-01 "
                                        "12:00+00',1,1,1,1) RETURNING 1"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("71"));
        QString error;
        RetentionSettings settings; // 30 days of telemetry
        const auto report = applyRetention(conn, settings, &error, kToday);
        QVERIFY2(report, qPrintable(error));
        // Days before 2024-05-11 go: April (30) and 1..10 May: 40 partitions, 40 rows.
        QCOMPARE(report->dropped.filter(QStringLiteral("telemetry_p")).size(), 40);
        QVERIFY(report->dropped.contains(QStringLiteral("telemetry_p20240510")));
        QVERIFY(!report->dropped.contains(QStringLiteral("telemetry_p20240511")));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("31"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT min(at)::date::text FROM telemetry")),
                 QStringLiteral("2024-05-11"));
        QCOMPARE(
            queryValue(conn, QStringLiteral("SELECT to_regclass('telemetry_p20240401') IS NULL")),
            QStringLiteral("t"));
        // Rollups are kept far longer than raw rows.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute")),
                 QStringLiteral("1"));
        // Running it again drops nothing more.
        QVERIFY(applyRetention(conn, settings, &error, kToday)->dropped.isEmpty());
    }

    void eventPartitionsWaitForTheRelay()
    {
        const QString conn = ownerDatabase();
        queryValue(
            conn, QStringLiteral(
                      "SELECT alabos_ensure_day_partitions('events', '2024-03-01', '2024-03-05')"));
        // Ten events a day, ids in day order: 1..50.
        queryValue(
            conn,
            QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                           "SELECT 'task', 't1', 'task.started', '{}', d + i * interval '1 minute' "
                           "FROM generate_series('2024-03-01'::timestamptz, '2024-03-05', interval "
                           "'1 day') d, "
                           "generate_series(1, 10) i ORDER BY 5 RETURNING 1"));
        QString error;
        RetentionSettings settings;
        settings.eventMinutes =
            90 * kMinutesPerDay; // 2024-06-10 - 90 days = 2024-03-12: all five days are old
        // No relay has run: nothing published, nothing dropped.
        auto report = applyRetention(conn, settings, &error, kToday);
        QVERIFY2(report, qPrintable(error));
        QCOMPARE(report->dropped.filter(QStringLiteral("events_")).size(), 0);
        QCOMPARE(report->keptUnpublished.size(), 5);
        // The relay has published up to event 25: days 1 and 2 go, day 3 (ids 21..30) stays.
        queryValue(conn,
                   QStringLiteral("INSERT INTO relay_cursor VALUES ('main', 25) RETURNING 1"));
        report = applyRetention(conn, settings, &error, kToday);
        QCOMPARE(report->dropped, (QStringList{QStringLiteral("events_p20240301"),
                                               QStringLiteral("events_p20240302")}));
        QCOMPARE(report->keptUnpublished, (QStringList{QStringLiteral("events_p20240303"),
                                                       QStringLiteral("events_p20240304"),
                                                       QStringLiteral("events_p20240305")}));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) || ' ' || min(id) FROM events")),
                 QStringLiteral("30 21"));
        // A second, slower relay holds everything after its own cursor.
        queryValue(conn,
                   QStringLiteral("INSERT INTO relay_cursor VALUES ('second', 29) RETURNING 1"));
        queryValue(
            conn,
            QStringLiteral(
                "UPDATE relay_cursor SET last_event_id = 50 WHERE name = 'main' RETURNING 1"));
        report = applyRetention(conn, settings, &error, kToday);
        QCOMPARE(report->dropped, QStringList{});
        queryValue(conn, QStringLiteral("UPDATE relay_cursor SET last_event_id = 50 RETURNING 1"));
        report = applyRetention(conn, settings, &error, kToday);
        QCOMPARE(report->dropped.size(), 3);
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("0"));
        // New events still get new ids after the drop.
        QCOMPARE(queryValue(conn, QStringLiteral(
                                      "INSERT INTO events (entity_type, entity_id, kind, payload) "
                                      "VALUES ('task','t1','x','{}') RETURNING id")),
                 QStringLiteral("51"));
    }

    // A window of minutes with partitions of ten: as time passes, the partitions that ended
    // more than the window ago go, so the rows kept stay within a window and a slot while
    // readings arrive steadily; events wait for the relay as day partitions do.
    void tenMinutePartitionsHoldAWindowOfMinutes()
    {
        const QString conn = ownerDatabase();
        RetentionSettings settings;
        settings.partitionMinutes = 10;
        settings.telemetryMinutes = 20;
        settings.eventMinutes = 20;
        QString error;
        QVERIFY2(ensurePartitions(conn, settings, &error, utc(10, 0)), qPrintable(error));
        // From the slot before to 36 slots ahead: 09:50 to 16:00, 38 of them.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) || ' ' || min(lo) || ' ' || "
                                                 "max(hi) FROM alabos_partitions('telemetry') "
                                                 "WHERE lo < '2025-01-01'")),
                 QStringLiteral("38 2024-06-10 09:50:00+00 2024-06-10 16:10:00+00"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT to_regclass('events_p20240610_1130') "
                                                 "IS NOT NULL")),
                 QStringLiteral("t"));
        queryValue(conn, QStringLiteral("INSERT INTO relay_cursor VALUES ('main', 0) RETURNING 1"));
        QList<int> kept;
        for (int minute = 0; minute <= 120; ++minute) {
            // One reading and one event a minute, each as it happens.
            const QString at = utc(10, 0).addSecs(minute * 60).toString(Qt::ISODate);
            queryValue(conn, QStringLiteral("INSERT INTO telemetry VALUES ('d', 'm', 1, '%1'); "
                                            "INSERT INTO events (entity_type, entity_id, kind, "
                                            "payload, created_at) VALUES ('task', 't1', "
                                            "'task.started', '{}', '%1') RETURNING 1")
                                 .arg(at));
            if (minute % 10 != 5) continue;
            // The housekeeper runs once a slot; the relay has published all but the last
            // minute's event.
            queryValue(conn, QStringLiteral("UPDATE relay_cursor SET last_event_id = "
                                            "(SELECT max(id) - 1 FROM events) RETURNING 1"));
            const auto report =
                applyRetention(conn, settings, &error, utc(10, 0).addSecs(minute * 60));
            QVERIFY2(report, qPrintable(error));
            QVERIFY(report->keptUnpublished.isEmpty());
            kept << queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")).toInt();
        }
        // At 10:05 nothing is old yet; from 10:35 on, each run keeps the readings of the
        // window and the slot in progress: 20 to 30 minutes' worth, never more.
        QCOMPARE(kept.first(), 6);
        for (int i = 3; i < kept.size(); ++i)
            QVERIFY2(kept[i] >= 20 && kept[i] <= 30,
                     qPrintable(QStringLiteral("run %1 kept %2").arg(i).arg(kept[i])));
        // The last run, at 11:55, dropped what ended by 11:35: 11:30 to 12:00 is left.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT min(at) FROM telemetry")),
                 QStringLiteral("2024-06-10 11:30:00+00"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("31"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_default")),
                 QStringLiteral("0"));
        // An event the relay has not published keeps its partition past the window.
        queryValue(conn, QStringLiteral("UPDATE relay_cursor SET last_event_id = (SELECT min(id) "
                                        "FROM events) RETURNING 1"));
        const auto report = applyRetention(conn, settings, &error, utc(13, 0));
        QVERIFY2(report, qPrintable(error));
        QCOMPARE(report->keptUnpublished, (QStringList{QStringLiteral("events_p20240610_1130"),
                                                       QStringLiteral("events_p20240610_1140"),
                                                       QStringLiteral("events_p20240610_1150"),
                                                       QStringLiteral("events_p20240610_1200")}));
        QVERIFY(report->dropped.contains(QStringLiteral("telemetry_p20240610_1200")));
    }

    // A database made with day partitions, switched to ten minutes: the empty day partitions
    // from today on make way at once; one that holds rows stays whole and the shorter ones
    // begin after it. Back to days, the ten-minute ones stay and days begin after them.
    void aChangedSpanTakesOverWithoutGapsOrLostRows()
    {
        const QString conn = ownerDatabase();
        const QString today = queryValue(
            conn, QStringLiteral("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')"));
        QCOMPARE(
            queryValue(conn,
                       QStringLiteral("SELECT to_regclass('events_p%1') IS NOT NULL").arg(today)),
            QStringLiteral("t"));
        queryValue(conn, QStringLiteral("INSERT INTO telemetry VALUES ('d', 'm', 1, now()) "
                                        "RETURNING 1"));
        RetentionSettings settings;
        settings.partitionMinutes = 10;
        QString error;
        QVERIFY2(ensurePartitions(conn, settings, &error), qPrintable(error));
        const QString spans = QStringLiteral(
            "SELECT string_agg(DISTINCT (hi - lo)::text, ' ') FROM alabos_partitions('%1') "
            "WHERE hi > now()");
        // Events were empty: ten-minute slots from now on. Telemetry held a reading today:
        // today's day stays, and the empty days after it are gone (ten-minute slots follow
        // it once six hours ahead reach tomorrow).
        QCOMPARE(queryValue(conn, spans.arg(QStringLiteral("events"))), QStringLiteral("00:10:00"));
        QCOMPARE(
            queryValue(conn, QStringLiteral("SELECT count(*) FILTER (WHERE hi - lo = "
                                            "'1 day') || ' ' || count(*) FROM "
                                            "alabos_partitions('telemetry') WHERE hi > now()")),
            queryValue(conn, QStringLiteral("SELECT '1 ' || (1 + count(*)) FROM "
                                            "generate_series(date_trunc('day', now() AT TIME "
                                            "ZONE 'UTC') + interval '1 day', (now() AT TIME "
                                            "ZONE 'UTC') + interval '6 hours', interval "
                                            "'10 minutes')")));
        const QString gaps = QStringLiteral(
            "SELECT count(*) FROM (SELECT lo, lag(hi) OVER (ORDER BY lo) AS previous "
            "FROM alabos_partitions('%1')) p WHERE previous IS NOT NULL AND previous <> lo");
        QCOMPARE(queryValue(conn, gaps.arg(QStringLiteral("telemetry"))), QStringLiteral("0"));
        QCOMPARE(queryValue(conn, gaps.arg(QStringLiteral("events"))), QStringLiteral("0"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_default")),
                 QStringLiteral("0"));
        // Rows now land in a ten-minute partition.
        QCOMPARE(queryValue(conn, QStringLiteral(
                                      "INSERT INTO events (entity_type, entity_id, kind, payload) "
                                      "VALUES ('task', 't1', 'x', '{}') RETURNING "
                                      "tableoid::regclass::text ~ '^events_p[0-9]{8}_[0-9]{4}$'")),
                 QStringLiteral("t"));
        // Back to days: what exists stays, days begin after the last ten-minute slot.
        QVERIFY2(ensurePartitions(conn, RetentionSettings{}, &error), qPrintable(error));
        QCOMPARE(queryValue(conn, gaps.arg(QStringLiteral("events"))), QStringLiteral("0"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT (max(hi) - now()) > interval '6 days' "
                                                 "FROM alabos_partitions('events')")),
                 QStringLiteral("t"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("1"));
    }

    // Runs fall just after a slot ends, so a slot leaves as soon as it is out of the window:
    // what is kept lies between the window and the window plus one slot.
    void theHousekeeperRunsJustAfterEachSlotEnds()
    {
        RetentionSettings tenMinutes;
        tenMinutes.partitionMinutes = 10;
        const qint64 slot = 10 * 60 * 1000;
        const qint64 boundary = utc(12, 0).toMSecsSinceEpoch();
        QCOMPARE(tenMinutes.msUntilNextRun(boundary), 5000);
        QCOMPARE(tenMinutes.msUntilNextRun(boundary + 2000), 3000);
        QCOMPARE(tenMinutes.msUntilNextRun(boundary + 5000), slot);
        QCOMPARE(tenMinutes.msUntilNextRun(boundary + 5100), slot - 100);
        QCOMPARE(tenMinutes.msUntilNextRun(boundary - 1000), 6000);
        // Day partitions: hourly, just after the hour.
        const RetentionSettings days;
        QCOMPARE(days.maintenanceIntervalMs(), 3600 * 1000);
        QCOMPARE(days.msUntilNextRun(utc(12, 30).toMSecsSinceEpoch()), 30 * 60 * 1000 + 5000);
    }

    void aSpanThatDoesNotDivideADayIsRefusedByTheDatabase()
    {
        const QString conn = ownerDatabase();
        RetentionSettings settings;
        settings.partitionMinutes = 7;
        QString error;
        QVERIFY(!ensurePartitions(conn, settings, &error));
        QVERIFY2(error.contains(QStringLiteral("does not divide a day")), qPrintable(error));
        QVERIFY(!partitionSpanProblem(7).isEmpty());
        QVERIFY(!partitionSpanProblem(5).isEmpty());
        QVERIFY(!partitionSpanProblem(2 * kMinutesPerDay).isEmpty());
        for (int ok : {10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440})
            QVERIFY2(partitionSpanProblem(ok).isEmpty(), qPrintable(QString::number(ok)));
    }

    // Rows no partition covered wait in the default partition; once older than their window
    // they go too (an event only once the relay published it), and rows of the future stay.
    void oldRowsOfTheDefaultPartitionsGo()
    {
        const QString conn = ownerDatabase();
        queryValue(conn, QStringLiteral(
                             "INSERT INTO telemetry VALUES ('d','m',1,'2020-01-01 10:00+00'),"
                             "('d','m',2,'2024-06-09 12:00+00'),('d','m',3,'2031-01-01 00:00+00') "
                             "RETURNING 1"));
        queryValue(conn,
                   QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload, "
                                  "created_at) VALUES ('task','t1','x','{}','2020-01-01'),"
                                  "('task','t1','x','{}','2020-01-02') RETURNING 1"));
        queryValue(conn, QStringLiteral("INSERT INTO relay_cursor VALUES ('main', "
                                        "(SELECT min(id) FROM events)) RETURNING 1"));
        QString error;
        const auto report = applyRetention(conn, daysAhead(0), &error, kToday);
        QVERIFY2(report, qPrintable(error));
        // The reading of 2020 and the published event of 2020 go; yesterday's reading moved
        // into yesterday's new partition, 2031 is ahead, the unpublished event waits for the
        // relay.
        QCOMPARE(report->defaultRowsDeleted, 2);
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT string_agg(value::text, ' ' ORDER BY "
                                                 "value) FROM telemetry_default")),
                 QStringLiteral("3"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT string_agg(value::text, ' ' ORDER BY "
                                                 "value) FROM telemetry")),
                 QStringLiteral("2 3"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM events_default")),
                 QStringLiteral("1"));
    }

    // The days given on the command line reach the runtime's housekeeper: with 7 days of
    // telemetry and 3 of events, the partitions of 8 and 4 days ago go, 7 and 3 days ago stay.
    void configuredDaysAreHonouredByTheMaintenance()
    {
        const QString conn = ownerDatabase();
        QTemporaryDir noConfig; // no alabos.conf in it
        QProcessEnvironment env;
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), noConfig.path());
        const ParsedOptions parsed = parseOptions(
            {QStringLiteral("alabos"), QStringLiteral("--telemetry-retention"),
             QStringLiteral("7d"), QStringLiteral("--event-retention"), QStringLiteral("72h")},
            env);
        QVERIFY2(parsed.outcome != ParsedOptions::ExitError, qPrintable(parsed.message));
        const QString day = QStringLiteral("(now() AT TIME ZONE 'UTC')::date");
        queryValue(conn, QStringLiteral("SELECT alabos_ensure_day_partitions('telemetry', %1 - 10, "
                                        "%1) + alabos_ensure_day_partitions('events', %1 - 10, %1)")
                             .arg(day));
        queryValue(conn,
                   QStringLiteral("INSERT INTO telemetry SELECT 'd', 'm', 1, "
                                  "(%1 - k)::timestamp AT TIME ZONE 'UTC' + interval '1 hour' "
                                  "FROM generate_series(0, 10) k RETURNING 1")
                       .arg(day));
        queryValue(conn,
                   QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload, "
                                  "created_at) SELECT 'task', 't1', 'task.started', '{}', "
                                  "(%1 - k)::timestamp AT TIME ZONE 'UTC' + interval '1 hour' "
                                  "FROM generate_series(10, 0, -1) k RETURNING 1")
                       .arg(day));
        queryValue(conn,
                   QStringLiteral("INSERT INTO relay_cursor VALUES ('main', 11) RETURNING 1"));

        StorageMaintenance maintenance(conn, parsed.options.retention);
        QSignalSpy maintained(&maintenance, &StorageMaintenance::maintained);
        QSignalSpy failed(&maintenance, &StorageMaintenance::failed);
        maintenance.start();
        QCOMPARE(failed.count(), 0);
        QCOMPARE(maintained.count(), 1);
        const QString ageOfOldest = QStringLiteral("SELECT count(*) || ' ' || (%1 - min((%2 AT "
                                                   "TIME ZONE 'UTC')::date)) FROM %3");
        // Days 0..7 of telemetry stay (8 rows), days 0..3 of events (4 rows).
        QCOMPARE(queryValue(
                     conn, ageOfOldest.arg(day, QStringLiteral("at"), QStringLiteral("telemetry"))),
                 QStringLiteral("8 7"));
        QCOMPARE(queryValue(conn, ageOfOldest.arg(day, QStringLiteral("created_at"),
                                                  QStringLiteral("events"))),
                 QStringLiteral("4 3"));
        const auto report = maintained.first().first().value<RetentionReport>();
        QCOMPARE(report.dropped.filter(QStringLiteral("telemetry_p")).size(), 3);
        QCOMPARE(report.dropped.filter(QStringLiteral("events_p")).size(), 7);
    }

    void queueDepthAndDevicesAreSampled()
    {
        const QString conn = ownerDatabase();
        queryValue(conn,
                   QStringLiteral(
                       "INSERT INTO device_types VALUES ('furnace'),('balance');"
                       "INSERT INTO devices (id, type, status) VALUES "
                       "('f1','furnace','idle'),('f2','furnace','busy'),('b1','balance','idle');"
                       "INSERT INTO workflows (id, template, status, created_at) VALUES "
                       "(1,'t','running',now());"
                       "INSERT INTO tasks (id, workflow_id, name, status, created_at) VALUES "
                       "(1,1,'a','waiting',now()),(2,1,'a','ready',now()),(3,1,'a','running',now())"
                       ",(4,1,'a','completed',now()) RETURNING 1"));
        QString error;
        QVERIFY2(sampleLabMinute(conn, &error), qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral(
                                      "SELECT queue_depth || ' ' || tasks_running FROM lab_minute "
                                      "WHERE minute = date_trunc('minute', now())")),
                 QStringLiteral("2 1"));
        QCOMPARE(
            queryValue(
                conn,
                QStringLiteral(
                    "SELECT string_agg(device_type || '=' || devices, ' ' ORDER BY device_type) "
                    "FROM device_type_minute WHERE minute = date_trunc('minute', now())")),
            QStringLiteral("balance=1 furnace=2"));
    }

    // The real binary on a fresh database with ten-minute partitions: the day partitions the
    // migrations made give way before the lab writes, so every event and reading lands in a
    // ten-minute partition from the first one on.
    void theBinaryPartitionsByItsSpanFromTheFirstStart()
    {
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-span-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        test::Alabos lab;
        lab.start(bin, QStringList{QStringLiteral("--headless"), QStringLiteral("--simulate"),
                                   QStringLiteral("demo"), QStringLiteral("--devices"),
                                   QStringLiteral("40"), QStringLiteral("--data-dir"), dataDir,
                                   QStringLiteral("--no-fsync"), QStringLiteral("--partition-span"),
                                   QStringLiteral("10min"), QStringLiteral("--event-retention"),
                                   QStringLiteral("30min"), QStringLiteral("--telemetry-retention"),
                                   QStringLiteral("30min"), QStringLiteral("--run-for"),
                                   QStringLiteral("12")} +
                           test::adminPasswordArgs(dataDir));
        const QString conn =
            lab.waitFor(QStringLiteral("alabos: PostgreSQL ([^\\n]+)")).captured(1);
        QVERIFY2(!conn.isEmpty(), qPrintable(lab.text() + lab.errors()));
        QVERIFY2(lab.waitUntil([&] {
            return queryValue(conn, QStringLiteral("SELECT count(*) >= 100 FROM events")) == u"t" &&
                   queryValue(conn, QStringLiteral("SELECT count(*) > 0 FROM telemetry")) == u"t";
        }),
                 qPrintable(lab.text()));
        for (const QString &parent : {QStringLiteral("events"), QStringLiteral("telemetry")}) {
            QCOMPARE(queryValue(conn, QStringLiteral("SELECT string_agg(DISTINCT (hi - lo)::text, "
                                                     "' ') FROM alabos_partitions('%1') WHERE "
                                                     "hi > now()")
                                          .arg(parent)),
                     QStringLiteral("00:10:00"));
            QCOMPARE(
                queryValue(conn, QStringLiteral("SELECT count(*) FROM %1_default").arg(parent)),
                QStringLiteral("0"));
            QCOMPARE(queryValue(conn, QStringLiteral("SELECT bool_and(tableoid::regclass::text ~ "
                                                     "'_p[0-9]{8}_[0-9]{4}$') FROM %1")
                                          .arg(parent)),
                     QStringLiteral("t"));
        }
        QVERIFY(lab.process.waitForFinished(60000));
        QCOMPARE(lab.process.exitCode(), 0);
    }

    void unreachableDatabaseIsReported()
    {
        QString error;
        const QString bad =
            QStringLiteral("host=/nonexistent-dir port=1 dbname=x connect_timeout=2");
        QVERIFY(!applyRetention(bad, {}, &error));
        QVERIFY2(error.startsWith(QStringLiteral("Retention failed")), qPrintable(error));
        QVERIFY(!ensurePartitions(bad, {}, &error));
        QVERIFY(!sampleLabMinute(bad, &error));
    }
};

QTEST_GUILESS_MAIN(TstRetention)
#include "tst_retention.moc"
