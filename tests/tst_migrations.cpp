#include "core/storage/migrations.h"
#include "tests/support/testdatabase.h"

#include <QTest>

#include <pqxx/pqxx>

#include <thread>

using namespace alabos;
using test::TestDatabase;

class TstMigrations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(), qPrintable(TestDatabase::instance().error()));
    }

    void fromEmptyToLatestAndIdempotent()
    {
        const QString conn = TestDatabase::instance().createDatabase(0);
        pqxx::connection c(conn.toStdString());
        MigrationReport report;
        QString error;
        QVERIFY2(migrate(c, &error, &report), qPrintable(error));
        QCOMPARE(report.fromVersion, 0);
        QCOMPARE(report.toVersion, latestSchemaVersion());
        QCOMPARE(report.applied.size(), builtinMigrations().size());
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM information_schema.tables "
                                                       "WHERE table_name IN ('devices','tasks','events','samples','task_edges','workflows')")),
                 QStringLiteral("6"));
        QVERIFY2(migrate(c, &error, &report), qPrintable(error));
        QVERIFY(report.applied.isEmpty());
    }

    void fromEveryEarlierVersion()
    {
        for (const Migration &m : builtinMigrations()) {
            const QString conn = TestDatabase::instance().createDatabase(m.version);
            pqxx::connection c(conn.toStdString());
            MigrationReport report;
            QString error;
            QVERIFY2(migrate(c, &error, &report), qPrintable(error));
            QCOMPARE(report.fromVersion, m.version);
            QCOMPARE(report.toVersion, latestSchemaVersion());
        }
    }

    void twoProcessesMigratingAtOnceAreSafe()
    {
        const QString conn = TestDatabase::instance().createDatabase(0);
        bool ok[2] = {false, false};
        QString errors[2];
        std::thread a([&] { pqxx::connection c(conn.toStdString()); ok[0] = migrate(c, &errors[0]); });
        std::thread b([&] { pqxx::connection c(conn.toStdString()); ok[1] = migrate(c, &errors[1]); });
        a.join();
        b.join();
        QVERIFY2(ok[0], qPrintable(errors[0]));
        QVERIFY2(ok[1], qPrintable(errors[1]));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM schema_migrations")),
                 QString::number(builtinMigrations().size()));
    }

    void newerSchemaIsRefused()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        test::queryValue(conn, QStringLiteral("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future') RETURNING 1"));
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY(!migrate(c, &error));
        QVERIFY2(error.contains(QStringLiteral("newer than this alabos")), qPrintable(error));
    }

    void constraintsRefuseImpossibleStates_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        const QString setup = QStringLiteral(
            "INSERT INTO workflows (id, template, status, created_at) VALUES (1,'t','running',now()),(2,'t','running',now());"
            "INSERT INTO tasks (id, workflow_id, name, status, created_at) VALUES (10,1,'a','ready',now()),(20,2,'b','ready',now());"
            "INSERT INTO samples (id, barcode, position, created_at) VALUES (100,'B-1','rack/1',now());");
        QTest::newRow("negative priority") << setup + QStringLiteral("INSERT INTO tasks (id, workflow_id, name, status, priority, created_at) VALUES (11,1,'c','ready',-1,now())")
                                           << QStringLiteral("tasks_priority_check");
        QTest::newRow("two samples in one position") << setup + QStringLiteral("INSERT INTO samples (id, barcode, position, created_at) VALUES (101,'B-2','rack/1',now())")
                                                     << QStringLiteral("samples_one_per_position");
        QTest::newRow("edge across workflows") << setup + QStringLiteral("INSERT INTO task_edges (workflow_id, from_task, to_task) VALUES (1,10,20)")
                                               << QStringLiteral("task_edges_workflow_id_to_task_fkey");
        QTest::newRow("duplicate barcode") << setup + QStringLiteral("INSERT INTO samples (id, barcode, created_at) VALUES (102,'B-1',now())")
                                           << QStringLiteral("samples_barcode_key");
        QTest::newRow("unknown task status") << setup + QStringLiteral("UPDATE tasks SET status='exploded' WHERE id=10")
                                             << QStringLiteral("tasks_status_check");
        QTest::newRow("position by prefix-unsafe name") << setup + QStringLiteral("UPDATE samples SET position='rack//1' WHERE id=100")
                                                        << QStringLiteral("samples_position_check");
        QTest::newRow("finished before started") << setup + QStringLiteral("UPDATE tasks SET started_at=now(), finished_at=now()-interval '1 hour' WHERE id=10")
                                                 << QStringLiteral("tasks_check");
    }
    void constraintsRefuseImpossibleStates()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        const QString conn = TestDatabase::instance().createDatabase();
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
