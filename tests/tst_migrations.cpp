#include "core/storage/migrations.h"
#include "tests/support/testdatabase.h"

#include <QRegularExpression>
#include <QTest>
#include <atomic>
#include <pqxx/pqxx>
#include <thread>

using namespace alabos;
using test::TestDatabase;

namespace {
// Migrations run as the role that owns the schema, as alabos runs them.
QString ownerDatabase(int schemaVersion = -1)
{
    TestDatabase &db = TestDatabase::instance();
    return db.ownerConnection(db.createDatabase(schemaVersion));
}

// A database at schemaVersion holding what `fixture` (SQL ending in a RETURNING or SELECT)
// puts there, then migrated to the latest version; empty with `error` set if migrating failed.
QString migratedWith(int schemaVersion, const QString &fixture, QString *error)
{
    const QString conn = ownerDatabase(schemaVersion);
    test::queryValue(conn, fixture);
    pqxx::connection c(conn.toStdString());
    return migrate(c, error) ? conn : QString();
}
} // namespace

class TstMigrations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    // A console connected as the application role checks the schema without creating
    // anything; a schema that needs migrating it cannot migrate, and says so.
    void theApplicationRoleChecksButCannotMigrate()
    {
        QString error;
        MigrationReport report;
        {
            pqxx::connection c(TestDatabase::instance().createDatabase().toStdString());
            QVERIFY2(migrate(c, &error, &report), qPrintable(error));
            QVERIFY(report.applied.isEmpty());
        }
        pqxx::connection c(TestDatabase::instance().createDatabase(1).toStdString());
        QVERIFY(!migrate(c, &error, &report));
        QVERIFY2(error.contains(QStringLiteral("permission denied")), qPrintable(error));
    }
    void fromEmptyToLatestAndIdempotent()
    {
        const QString conn = ownerDatabase(0);
        pqxx::connection c(conn.toStdString());
        MigrationReport report;
        QString error;
        QVERIFY2(migrate(c, &error, &report), qPrintable(error));
        QCOMPARE(report.fromVersion, 0);
        QCOMPARE(report.toVersion, latestSchemaVersion());
        QCOMPARE(report.applied.size(), builtinMigrations().size());
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "SELECT count(*) FROM information_schema.tables "
                               "WHERE table_name IN "
                               "('devices','tasks','events','samples','task_edges','workflows')")),
                 QStringLiteral("6"));
        QVERIFY2(migrate(c, &error, &report), qPrintable(error));
        QVERIFY(report.applied.isEmpty());
    }

    void fromEveryEarlierVersion()
    {
        for (const Migration &m : builtinMigrations()) {
            const QString conn = ownerDatabase(m.version);
            pqxx::connection c(conn.toStdString());
            MigrationReport report;
            QString error;
            QVERIFY2(migrate(c, &error, &report), qPrintable(error));
            QCOMPARE(report.fromVersion, m.version);
            QCOMPARE(report.toVersion, latestSchemaVersion());
        }
    }

    // Migration 16: leases of running tasks move onto their rows; a lease left behind by a
    // task that no longer runs holds nothing; resource_leases still answers who holds what.
    void leasesMoveOntoTheRunningTasks()
    {
        QString error;
        const QString conn = migratedWith(
            15,
            QStringLiteral(
                "INSERT INTO workflows (id, template, status, created_at) VALUES "
                "(1,'t','running',now());"
                "INSERT INTO tasks (id, workflow_id, name, status, device_id, created_at) VALUES "
                "(10,1,'a','running','furnace-1',now()),(20,1,'b','completed','xrd-1',now());"
                "INSERT INTO resource_leases (task_id, kind, name) VALUES "
                "(10,'device','furnace-1'),(10,'device','robot-1'),(10,'position','rack/1'),"
                "(20,'device','xrd-1') RETURNING 1"),
            &error);
        QVERIFY2(!conn.isEmpty(), qPrintable(error));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT string_agg(task_id || ' ' || kind "
                                                       "|| ' ' || name, ', ' ORDER BY kind, name) "
                                                       "FROM resource_leases")),
                 QStringLiteral("10 device furnace-1, 10 device robot-1, 10 position rack/1"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT leased_devices::text || "
                                                       "leased_positions::text FROM tasks "
                                                       "WHERE id = 20")),
                 QStringLiteral("{}{}"));
    }

    // Entity ids compare bytewise after version 21; the events written before are still
    // found by entity, and the queries that read an entity's events or the newest finished
    // tasks can use their indexes (sequential scans are switched off to make the planner say).
    void entityAndFinishedTaskIndexesServeTheirReaders()
    {
        QString error;
        const QString conn = migratedWith(
            20,
            QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload) "
                           "SELECT 'device', 'dev-' || (i % 7), 'device.status', '{}' FROM "
                           "generate_series(1, 70) i RETURNING 1"),
            &error);
        QVERIFY2(!conn.isEmpty(), qPrintable(error));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM "
                                                       "alabos_last_events('dev-3', 100)")),
                 QStringLiteral("10"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT collation_name FROM "
                                                       "information_schema.columns WHERE "
                                                       "table_name = 'events' AND column_name = "
                                                       "'entity_id'")),
                 QStringLiteral("C"));
        pqxx::connection c(conn.toStdString());
        pqxx::work tx(c);
        tx.exec0("SET LOCAL enable_seqscan = off");
        tx.exec0("SET LOCAL plan_cache_mode = force_generic_plan");
        auto plan = [&tx](const char *sql) {
            QString text;
            for (const auto &row : tx.exec(sql))
                text += QString::fromUtf8(row[0].c_str()) + QLatin1Char('\n');
            return text;
        };
        tx.exec0("PREPARE device_events(text) AS SELECT id FROM events WHERE entity_type = "
                 "'device' AND entity_id = $1 ORDER BY created_at DESC, id DESC LIMIT 5");
        const QString entity = plan("EXPLAIN EXECUTE device_events('dev-3')");
        QVERIFY2(
            entity.contains(QRegularExpression(QStringLiteral("Index Scan (using|on) \\S*entity"))),
            qPrintable(entity));
        const QString finished =
            plan("EXPLAIN SELECT id FROM tasks WHERE status IN ('completed', 'failed', "
                 "'cancelled') ORDER BY finished_at DESC NULLS LAST LIMIT 100");
        QVERIFY2(finished.contains(
                     QRegularExpression(QStringLiteral("Index Scan (using|on) tasks_finished"))),
                 qPrintable(finished));
    }

    // The relay publishes what is above its cursor in id order: an event id must not become
    // visible after a higher one. A second writer (COPY, as the storage writer inserts) waits
    // for an open transaction that took a lower id; without the lock it would commit at once.
    void eventIdsBecomeVisibleInTheOrderTheyWereTaken()
    {
        const QString conn = ownerDatabase();
        pqxx::connection first(conn.toStdString());
        pqxx::work open(first);
        const qint64 lower =
            open.exec1("INSERT INTO events (entity_type, entity_id, kind, payload) VALUES "
                       "('sample', '1', 'sample.deleted', '{}') RETURNING id")[0]
                .as<qint64>();
        std::atomic<bool> copied = false;
        std::thread second([&] {
            pqxx::connection c(conn.toStdString());
            pqxx::work tx(c);
            pqxx::stream_to copy(
                tx, "events",
                std::vector<std::string>{"entity_type", "entity_id", "kind", "payload"});
            copy << std::make_tuple("task", "2", "task.completed", "{}");
            copy.complete();
            tx.commit();
            copied = true;
        });
        // A failed check returns early: end the open transaction first, so the thread ends.
        bool ended = false;
        struct Ending
        {
            pqxx::work &open;
            bool &ended;
            std::thread &second;
            ~Ending()
            {
                if (!ended) open.abort();
                if (second.joinable()) second.join();
            }
        } ending{open, ended, second};
        QTest::qWait(500);
        const QString later =
            QStringLiteral("SELECT count(*) FROM events WHERE id > %1").arg(lower);
        QCOMPARE(test::queryValue(conn, later), QStringLiteral("0"));
        QVERIFY(!copied);
        open.commit();
        ended = true;
        second.join();
        QVERIFY(copied);
        QCOMPARE(test::queryValue(conn, later), QStringLiteral("1"));
    }

    void twoProcessesMigratingAtOnceAreSafe()
    {
        const QString conn = ownerDatabase(0);
        bool ok[2] = {false, false};
        QString errors[2];
        std::thread a([&] {
            pqxx::connection c(conn.toStdString());
            ok[0] = migrate(c, &errors[0]);
        });
        std::thread b([&] {
            pqxx::connection c(conn.toStdString());
            ok[1] = migrate(c, &errors[1]);
        });
        a.join();
        b.join();
        QVERIFY2(ok[0], qPrintable(errors[0]));
        QVERIFY2(ok[1], qPrintable(errors[1]));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM schema_migrations")),
                 QString::number(builtinMigrations().size()));
    }

    void newerSchemaIsRefused()
    {
        const QString conn = ownerDatabase();
        test::queryValue(conn, QStringLiteral("INSERT INTO schema_migrations (version, name) "
                                              "VALUES (9999, 'future') RETURNING 1"));
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY(!migrate(c, &error));
        QVERIFY2(error.contains(QStringLiteral("newer than this alabos")), qPrintable(error));
    }

    void version1EventsSurviveThePartitioning()
    {
        const QString conn = ownerDatabase(1);
        test::queryValue(
            conn, QStringLiteral(
                      "INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                      "SELECT 'task', 't' || (i % 7), 'task.started', jsonb_build_object('i', i), "
                      "now() - (i % 5) * interval '1 day' - interval '1 hour' * (i % 3) FROM "
                      "generate_series(1, 300) i RETURNING 1"));
        test::queryValue(
            conn,
            QStringLiteral(
                "INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                "VALUES ('task','old','x','{}','1999-01-01'),('task','far','x','{}','2071-01-01') "
                "RETURNING 1"));
        const QString before = test::queryValue(
            conn, QStringLiteral("SELECT md5(string_agg(id || entity_id || kind || payload::text "
                                 "|| created_at::text, ',' ORDER BY id)) FROM events"));
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY2(migrate(c, &error), qPrintable(error));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "SELECT md5(string_agg(id || entity_id || kind || payload::text || "
                               "created_at::text, ',' ORDER BY id)) FROM events")),
                 before);
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral("SELECT relkind FROM pg_class WHERE relname = 'events'")),
                 QStringLiteral("p"));
        // Rows of the last days sit in their day partitions; far-off rows in the default one.
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events_default")),
                 QStringLiteral("2"));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral("SELECT count(*) FROM events e JOIN pg_class c ON c.oid "
                                          "= e.tableoid WHERE c.relname ~ '_p[0-9]{8}$'")),
                 QStringLiteral("300"));
        // The id sequence goes on where it was, and the entity index is there.
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, "
                                          "payload) VALUES ('task','t','x','{}') RETURNING id")),
                 QStringLiteral("303"));
        QCOMPARE(
            test::queryValue(
                conn, QStringLiteral(
                          "SELECT indexdef FROM pg_indexes WHERE indexname = 'events_entity'")),
            QStringLiteral("CREATE INDEX events_entity ON ONLY public.events USING btree "
                           "(entity_id, created_at DESC)"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT name || ' ' || role FROM users")),
                 QStringLiteral("admin admin"));
    }

    // Version 23 stores an event's payload as the JSON text it was written as (jsonb sorted the
    // keys and spaced them); rows written before keep the text jsonb printed, and text that is
    // not JSON is still refused.
    void eventPayloadsKeepTheTextTheyWereWrittenAs()
    {
        QString error;
        const QString conn = migratedWith(
            22,
            QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload) VALUES "
                           "('task','1','task.created','{\"z\":1,\"a\":[2.50]}') RETURNING 1"),
            &error);
        QVERIFY2(!conn.isEmpty(), qPrintable(error));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT payload::text FROM events")),
                 QStringLiteral("{\"a\": [2.50], \"z\": 1}"));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "INSERT INTO events (entity_type, entity_id, kind, payload) VALUES "
                               "('task','2','task.created','{\"z\":1,\"a\":[2.50]}') "
                               "RETURNING payload::text || ' ' || (payload->'a'->>0)")),
                 QStringLiteral("{\"z\":1,\"a\":[2.50]} 2.50"));
        pqxx::connection c(conn.toStdString());
        try {
            pqxx::work tx(c);
            tx.exec0("INSERT INTO events (entity_type, entity_id, kind, payload) VALUES "
                     "('task','3','task.created','{\"z\":')");
            QFAIL("an event whose payload is not JSON was stored");
        } catch (const pqxx::data_exception &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("type json")), e.what());
        }
    }

    void version6RollupIncrementsAreFoldedBeforeThePacking()
    {
        QString error;
        const QString conn = migratedWith(
            6,
            QStringLiteral("INSERT INTO telemetry_minute_delta SELECT 'dev-' || (i % 3), "
                           "'temperature_c', '2026-11-27 10:00+00', 1, i, i, i FROM "
                           "generate_series(1, 30) i RETURNING 1"),
            &error);
        QVERIFY2(!conn.isEmpty(), qPrintable(error));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) || ' ' || sum(n) || ' ' || "
                                                       "sum(sum) FROM telemetry_minute")),
                 QStringLiteral("3 30 465"));
        QCOMPARE(
            test::queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute_delta")),
            QStringLiteral("0"));
        // The packed table refuses rows whose arrays do not line up.
        bool refused = false;
        try {
            test::queryValue(conn, QStringLiteral("INSERT INTO telemetry_minute_delta VALUES "
                                                  "('{a,b}', '{m}', '{2026-11-27 10:00+00}', "
                                                  "'{1}', '{1}', '{1}', '{1}')"));
        } catch (const pqxx::check_violation &) {
            refused = true;
        }
        QVERIFY(refused);
    }

    void auditLogIsAppendOnly()
    {
        const QString conn = ownerDatabase();
        test::queryValue(
            conn,
            QStringLiteral("INSERT INTO audit_log (user_name, host, action, entity_id, detail) "
                           "VALUES ('admin','desk-1','device.pause','f1','{\"why\":\"service\"}') "
                           "RETURNING 1"));
        for (const char *sql :
             {"UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"}) {
            try {
                test::queryValue(conn, QString::fromLatin1(sql));
                QFAIL(sql);
            } catch (const pqxx::sql_error &e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(
                             QStringLiteral("audit_log is append-only")),
                         e.what());
            }
        }
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM audit_log")),
                 QStringLiteral("1"));
    }

    // A workflow counts once, when it becomes completed: inserted completed, or updated to
    // completed from another status; written completed again, or failed, it does not count.
    void workflowRollupsCountEachCompletionOnce()
    {
        const QString conn = ownerDatabase();
        test::queryValue(
            conn, QStringLiteral(
                      "INSERT INTO workflows (id, template, status, samples, created_at, "
                      "finished_at) VALUES (1,'t','completed','{1,2}','2024-06-10 08:00+00',"
                      "'2024-06-10 08:01:10+00'),(2,'t','running','{3}','2024-06-10 08:00+00',"
                      "NULL),(3,'t','running','{4,5,6}','2024-06-10 08:00+00',NULL) RETURNING 1"));
        test::queryValue(conn, QStringLiteral("UPDATE workflows SET status = 'completed', "
                                              "finished_at = '2024-06-10 08:02:30+00' WHERE id = 2 "
                                              "RETURNING 1"));
        test::queryValue(conn, QStringLiteral("UPDATE workflows SET status = 'completed' WHERE id "
                                              "IN (1, 2) RETURNING 1"));
        test::queryValue(conn, QStringLiteral("UPDATE workflows SET status = 'failed', finished_at "
                                              "= '2024-06-10 08:03+00' WHERE id = 3 RETURNING 1"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT string_agg(to_char(minute AT TIME "
                                                       "ZONE 'UTC', 'HH24:MI') || ' ' || "
                                                       "workflows_completed || ' ' || "
                                                       "samples_completed, ', ' ORDER BY minute) "
                                                       "FROM lab_minute")),
                 QStringLiteral("08:01 1 2, 08:02 1 1"));
    }

    void constraintsRefuseImpossibleStates_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        const QString setup =
            QStringLiteral("INSERT INTO workflows (id, template, status, created_at) VALUES "
                           "(1,'t','running',now()),(2,'t','running',now());"
                           "INSERT INTO tasks (id, workflow_id, name, status, created_at) VALUES "
                           "(10,1,'a','ready',now()),(20,2,'b','ready',now());"
                           "INSERT INTO samples (id, barcode, position, created_at) VALUES "
                           "(100,'B-1','rack/1',now());");
        QTest::newRow("negative priority")
            << setup + QStringLiteral("INSERT INTO tasks (id, workflow_id, name, status, priority, "
                                      "created_at) VALUES (11,1,'c','ready',-1,now())")
            << QStringLiteral("tasks_priority_check");
        QTest::newRow("two samples in one position")
            << setup + QStringLiteral("INSERT INTO samples (id, barcode, position, created_at) "
                                      "VALUES (101,'B-2','rack/1',now())")
            << QStringLiteral("samples_one_per_position");
        QTest::newRow("edge across workflows")
            << setup +
                   QStringLiteral(
                       "INSERT INTO task_edges (workflow_id, from_task, to_task) VALUES (1,10,20)")
            << QStringLiteral("task_edges_in_their_workflow");
        QTest::newRow("edge to no task")
            << setup +
                   QStringLiteral(
                       "INSERT INTO task_edges (workflow_id, from_task, to_task) VALUES (1,10,11)")
            << QStringLiteral("task_edges_to_task_fkey");
        QTest::newRow("task moved to another workflow")
            << setup + QStringLiteral("UPDATE tasks SET workflow_id = 2 WHERE id = 10")
            << QStringLiteral("tasks_stay_in_their_workflow");
        QTest::newRow("task in no workflow")
            << setup + QStringLiteral("INSERT INTO tasks (id, workflow_id, name, status, "
                                      "created_at) VALUES (11,3,'c','ready',now())")
            << QStringLiteral("tasks_in_known_workflows");
        QTest::newRow("sample in no workflow")
            << setup + QStringLiteral("INSERT INTO samples (id, barcode, workflow_id, created_at) "
                                      "VALUES (101,'B-2',3,now())")
            << QStringLiteral("samples_in_known_workflows");
        QTest::newRow("sample moved to no workflow")
            << setup + QStringLiteral("UPDATE samples SET workflow_id = 3 WHERE id = 100")
            << QStringLiteral("samples_in_known_workflows");
        QTest::newRow("workflow deleted")
            << setup + QStringLiteral("DELETE FROM workflows WHERE id = 2")
            << QStringLiteral("workflows_are_kept");
        QTest::newRow("workflows truncated") << setup + QStringLiteral("TRUNCATE workflows CASCADE")
                                             << QStringLiteral("workflows_are_kept");
        QTest::newRow("workflow renumbered")
            << setup + QStringLiteral("UPDATE workflows SET id = 3 WHERE id = 1")
            << QStringLiteral("workflows_are_kept");
        QTest::newRow("duplicate barcode")
            << setup + QStringLiteral(
                           "INSERT INTO samples (id, barcode, created_at) VALUES (102,'B-1',now())")
            << QStringLiteral("samples_barcode_key");
        QTest::newRow("unknown task status")
            << setup + QStringLiteral("UPDATE tasks SET status='exploded' WHERE id=10")
            << QStringLiteral("tasks_status_check");
        QTest::newRow("position by prefix-unsafe name")
            << setup + QStringLiteral("UPDATE samples SET position='rack//1' WHERE id=100")
            << QStringLiteral("samples_position_check");
        QTest::newRow("user with an unknown role")
            << QStringLiteral("INSERT INTO users (name, role) VALUES ('bob','wizard')")
            << QStringLiteral("users_role_check");
        QTest::newRow("user name with spaces")
            << QStringLiteral("INSERT INTO users (name, role) VALUES ('Bob Smith','operator')")
            << QStringLiteral("users_name_format");
        QTest::newRow("empty password hash")
            << QStringLiteral(
                   "INSERT INTO users (name, role, password_hash) VALUES ('bob','operator','')")
            << QStringLiteral("users_password_hash_not_empty");
        QTest::newRow("alarm of unknown severity")
            << QStringLiteral("INSERT INTO alarms (source, severity) VALUES ('rule','bad')")
            << QStringLiteral("alarms_severity_check");
        QTest::newRow("acknowledged by nobody")
            << QStringLiteral("INSERT INTO alarms (source, severity, state) VALUES "
                              "('rule','alarm','acknowledged')")
            << QStringLiteral("alarms_acknowledged_needs_who_and_when");
        QTest::newRow("shelved without an end")
            << QStringLiteral("INSERT INTO alarms (source, severity, state, shelved_by) VALUES "
                              "('rule','alarm','shelved','ann')")
            << QStringLiteral("alarms_shelved_needs_who_and_until");
        QTest::newRow("cleared without a time")
            << QStringLiteral(
                   "INSERT INTO alarms (source, severity, state) VALUES ('rule','alarm','cleared')")
            << QStringLiteral("alarms_cleared_needs_time");
        QTest::newRow("cleared before raised")
            << QStringLiteral("INSERT INTO alarms (source, severity, state, cleared_at) VALUES "
                              "('rule','alarm','cleared',now()-interval '1 day')")
            << QStringLiteral("alarms_cleared_after_raised");
        QTest::newRow("one condition raised twice")
            << QStringLiteral("INSERT INTO alarms (source, device_id, metric, severity) VALUES "
                              "('rule','f1','t','alarm'),('rule','f1','t','critical')")
            << QStringLiteral("alarms_one_open_per_condition");
        QTest::newRow("alarm limits out of order")
            << QStringLiteral(
                   "INSERT INTO alarm_rules (device_type, metric, low_alarm, low_warning, "
                   "high_warning, high_alarm) VALUES ('furnace','t',10,5,900,950)")
            << QStringLiteral("alarm_rules_limits_ordered");
        QTest::newRow("alarm rule without limits")
            << QStringLiteral(
                   "INSERT INTO alarm_rules (device_type, metric) VALUES ('furnace','t')")
            << QStringLiteral("alarm_rules_has_a_limit");
        QTest::newRow("telemetry NaN")
            << QStringLiteral("INSERT INTO telemetry VALUES ('f1','t','NaN',now())")
            << QStringLiteral("telemetry_value_finite");
        QTest::newRow("negative consumer offset")
            << QStringLiteral("INSERT INTO telemetry_offsets (consumer, topic, partition, "
                              "next_offset) VALUES ('p','t',0,-5)")
            << QStringLiteral("telemetry_offsets_offset_check");
        QTest::newRow("rollup not on a minute")
            << QStringLiteral("INSERT INTO lab_minute (minute) VALUES ('2024-01-01 10:00:30+00')")
            << QStringLiteral("lab_minute_whole_minute");
        QTest::newRow("finished before started")
            << setup + QStringLiteral("UPDATE tasks SET started_at=now(), "
                                      "finished_at=now()-interval '1 hour' WHERE id=10")
            << QStringLiteral("tasks_check");
    }
    void constraintsRefuseImpossibleStates()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        const QString conn = ownerDatabase();
        pqxx::connection c(conn.toStdString());
        try {
            pqxx::work tx(c);
            tx.exec(sql.toStdString());
            tx.commit();
            QFAIL("the database accepted an impossible state");
        } catch (const pqxx::sql_error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstMigrations)
#include "tst_migrations.moc"
