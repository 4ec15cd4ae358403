// kill -9 of the real binary at several points, then recovery on the same data directory,
// checked with exact counts in PostgreSQL. The embedded PostgreSQL outlives the killed
// alabos (the next start adopts it), so between the kill and the restart this test reads
// what PostgreSQL and the simulated devices' state files say and predicts the recovery
// decision of every task that was running; the restart must take exactly those decisions,
// without an operator, and the final clean run must leave nothing lost and nothing doubled.
#include "core/storage/embeddedpostgres.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>
#include <QThread>
#include <csignal>
#include <memory>
#include <pqxx/pqxx>
#include <sys/types.h>

using namespace alabos;

namespace {
constexpr int kDevices = 12;         // two of each demo type
constexpr qint64 kIdsPerTask = 1000; // command id = task id × 1000 + attempt (docs/engine.md)

// The demo lab with kDevices devices on `dataDir`; runForS 0: until it is stopped.
QStringList demoLab(const QString &dataDir, int runForS)
{
    QStringList args{QStringLiteral("--headless"),
                     QStringLiteral("--simulate"),
                     QStringLiteral("demo"),
                     QStringLiteral("--devices"),
                     QString::number(kDevices),
                     QStringLiteral("--data-dir"),
                     dataDir,
                     QStringLiteral("--no-fsync")};
    if (runForS > 0) args << QStringLiteral("--run-for") << QString::number(runForS);
    return args;
}

// One alabos process on the demo lab, its log lines kept with its output.
struct DemoLabProcess : test::Alabos
{
    DemoLabProcess(const QString &bin, const QString &dataDir, int runForS)
    {
        start(bin, demoLab(dataDir, runForS), QProcess::MergedChannels);
    }
};

// The embedded server's pid and connection string, from its postmaster.pid.
struct Server
{
    qint64 pid = 0;
    QString connection;
};
std::optional<Server> runningServer(const QString &dataDir)
{
    QFile f(dataDir + QStringLiteral("/postgres/data/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly)) return std::nullopt;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    if (lines.size() < 5) return std::nullopt;
    Server s;
    s.pid = lines[0].trimmed().toLongLong();
    if (!EmbeddedPostgres::processAlive(s.pid)) return std::nullopt;
    s.connection = QStringLiteral("host=%1 port=%2 dbname=alabos user=alabos_app passfile=%3 "
                                  "connect_timeout=10")
                       .arg(lines[4].trimmed(), lines[3].trimmed(),
                            dataDir + QStringLiteral("/postgres/passwords"));
    return s;
}

// A query's first value, or -1 while the database or the schema is not there yet.
qint64 count(const QString &connection, const QString &sql)
{
    try {
        const QString v = test::queryValue(connection, sql);
        return v.isEmpty() ? 0 : v.toLongLong();
    } catch (const std::exception &) {
        return -1;
    }
}

const QString kTestSessionName = QStringLiteral("tst_crashrecovery");

QList<qint64> column(const QString &connection, const QString &sql)
{
    QList<qint64> out;
    // Named, so alabosBackends() can tell this test's own sessions (one may still be ending)
    // from alabos's.
    pqxx::connection c(
        (connection + QStringLiteral(" application_name=") + kTestSessionName).toStdString());
    pqxx::nontransaction tx(c);
    for (const auto &row : tx.exec(sql.toStdString()))
        out.append(row[0].as<qint64>());
    return out;
}

// What a simulated device's state file says (core/drivers/simulateddevice.cpp).
struct DeviceMemory
{
    qint64 running = 0;
    qint64 last = 0;
};
QHash<QString, DeviceMemory> deviceMemories(const QString &dataDir)
{
    QHash<QString, DeviceMemory> out;
    const QDir dir(dataDir + QStringLiteral("/simulated-devices"));
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        out.insert(file.chopped(5), {o.value(QLatin1StringView("running")).toString().toLongLong(),
                                     o.value(QLatin1StringView("last"))
                                         .toObject()
                                         .value(QLatin1StringView("command_id"))
                                         .toString()
                                         .toLongLong()});
    }
    return out;
}

// The tasks PostgreSQL had running when alabos died, and what recovery must decide for each.
struct Prediction
{
    qint64 lastEventId = 0;
    QHash<qint64, QString> decisions; // task -> expected task.recovered/retried message start
    QList<qint64> finishedWhileDown;  // their device finished them: never run again
    QHash<qint64, int> attempts;
};
Prediction predict(const QString &connection, const QString &dataDir)
{
    Prediction p;
    p.lastEventId = count(connection, QStringLiteral("SELECT coalesce(max(id), 0) FROM events"));
    const QHash<QString, DeviceMemory> memories = deviceMemories(dataDir);
    pqxx::connection c(connection.toStdString());
    pqxx::nontransaction tx(c);
    for (const auto &row :
         tx.exec("SELECT id, device_id, attempts FROM tasks WHERE status = 'running'")) {
        const qint64 id = row[0].as<qint64>();
        const QString device = QString::fromUtf8(row[1].c_str());
        const int attempts = row[2].as<int>();
        const qint64 command = id * kIdsPerTask + attempts;
        const DeviceMemory m = memories.value(device);
        p.attempts.insert(id, attempts);
        if (m.last == command) {
            p.decisions.insert(id,
                               QStringLiteral("finished on %1 while alabos was down").arg(device));
            p.finishedWhileDown.append(id);
        } else if (m.running == command) {
            p.decisions.insert(
                id, QStringLiteral("re-queued after a restart: %1 was interrupted").arg(device));
        } else {
            p.decisions.insert(
                id, QStringLiteral("re-queued after a restart: %1 did not run it").arg(device));
        }
    }
    return p;
}

// The database's alabos sessions (the writer's, the relay's, ...), not this test's.
// alabos's own sessions: client backends only (not the autovacuum workers that also work in
// the database, which the rollup fold's deletes give work at any moment), and not this test's.
QList<qint64> alabosBackends(const QString &connection)
{
    return column(connection, QStringLiteral("SELECT pid FROM pg_stat_activity WHERE datname = "
                                             "'alabos' AND backend_type = 'client backend' AND "
                                             "application_name <> '%1' AND pid <> "
                                             "pg_backend_pid()")
                                  .arg(kTestSessionName));
}
} // namespace

class TstCrashRecovery : public QObject
{
    Q_OBJECT
    QString m_bin;

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
    }

    void killAndRecover_data()
    {
        QTest::addColumn<QString>("point");
        QTest::newRow("start-up: server up, schema being created") << QStringLiteral("startup");
        QTest::newRow("tasks running") << QStringLiteral("running");
        QTest::newRow("right after a submission") << QStringLiteral("submission");
        QTest::newRow("database stalled, devices finished") << QStringLiteral("stalled");
        QTest::newRow("shutdown drain") << QStringLiteral("drain");
        QTest::newRow("during recovery") << QStringLiteral("recovery");
    }

    void killAndRecover()
    {
        QFETCH(QString, point);
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-crash-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        // A failed check must not leave the killed alabos' server running on a deleted
        // directory: stop it (fast shutdown) before the directory goes.
        auto stopOrphan = qScopeGuard([dataDir] {
            if (const auto server = runningServer(dataDir)) {
                ::kill(pid_t(server->pid), SIGINT);
                for (int i = 0; i < 200 && EmbeddedPostgres::processAlive(server->pid); ++i)
                    QThread::msleep(50);
            }
        });
        QString conn;
        auto tasksRunning = [&](qint64 atLeast) {
            return [&conn, atLeast] {
                return count(conn, QStringLiteral("SELECT count(*) FROM tasks WHERE status = "
                                                  "'running'")) >= atLeast;
            };
        };
        {
            DemoLabProcess first(m_bin, dataDir, 0);
            if (point == QLatin1StringView("startup")) {
                // The server is up: alabos is creating the database and the schema.
                QVERIFY(first.waitUntil([&] { return runningServer(dataDir).has_value(); }));
                first.killHard();
            } else {
                QVERIFY2(first.waitFor(QStringLiteral("Kafka bootstrap (\\S+)")).hasMatch(),
                         qPrintable(first.text()));
                const auto server = runningServer(dataDir);
                QVERIFY(server);
                conn = server->connection;
                QVERIFY2(first.waitUntil(tasksRunning(3)), qPrintable(first.text()));
                if (point == QLatin1StringView("submission")) {
                    // Kill as soon as a new workflow is committed.
                    const QString workflows = QStringLiteral("SELECT count(*) FROM workflows");
                    const qint64 before = count(conn, workflows);
                    QVERIFY(first.waitUntil([&] { return count(conn, workflows) > before; }));
                } else if (point == QLatin1StringView("stalled")) {
                    // Freeze alabos' database sessions: commits stop, devices finish what
                    // they run and remember it; then alabos dies with none of it committed.
                    const QList<qint64> backends = alabosBackends(conn);
                    QVERIFY(!backends.isEmpty());
                    for (qint64 pid : backends)
                        ::kill(pid_t(pid), SIGSTOP);
                    const bool finished = first.waitUntil(
                        [&] { return predict(conn, dataDir).finishedWhileDown.size() >= 2; });
                    first.killHard();
                    for (qint64 pid : backends)
                        ::kill(pid_t(pid), SIGCONT);
                    QVERIFY2(finished, "no device finished a task while commits were stalled");
                    // The server ends the dead client's sessions (and their transactions).
                    QElapsedTimer gone;
                    gone.start();
                    while (!alabosBackends(conn).isEmpty() && gone.elapsed() < 30000)
                        QTest::qWait(50);
                    QVERIFY2(alabosBackends(conn).isEmpty(),
                             qPrintable(test::queryValue(
                                 conn, QStringLiteral("SELECT string_agg(pid || ' ' || "
                                                      "backend_type || ' ' || state || ' ' || "
                                                      "left(query, 60), '; ') FROM "
                                                      "pg_stat_activity WHERE datname = 'alabos' "
                                                      "AND pid <> pg_backend_pid()"))));
                } else if (point == QLatin1StringView("drain")) {
                    first.process.terminate(); // SIGTERM: orderly stop, running tasks drain
                    QVERIFY2(first.waitFor(QStringLiteral("(draining:)")).hasMatch(),
                             qPrintable(first.text()));
                }
                first.killHard();
            }
            QCOMPARE(first.process.exitStatus(), QProcess::CrashExit);
        }
        QVERIFY2(runningServer(dataDir), "the embedded PostgreSQL must outlive kill -9");

        if (point == QLatin1StringView("recovery")) {
            // Killed again while recovering (right after it rebuilt the engine).
            DemoLabProcess second(m_bin, dataDir, 0);
            QVERIFY2(second.waitFor(QStringLiteral("(recovered \\d+ active tasks)")).hasMatch(),
                     qPrintable(second.text()));
            second.killHard();
        }

        // Predict every running task's recovery from PostgreSQL and the device files.
        Prediction expected;
        if (!conn.isEmpty()) expected = predict(conn, dataDir);
        qInfo().noquote() << point << ":" << expected.decisions.size() << "tasks were running;"
                          << expected.finishedWhileDown.size()
                          << "finished on their device while alabos was down";
        if (point == QLatin1StringView("running") || point == QLatin1StringView("drain"))
            QVERIFY(!expected.decisions.isEmpty());
        if (point == QLatin1StringView("stalled")) QVERIFY(expected.finishedWhileDown.size() >= 2);

        // Recovery: adopts the orphaned server and finishes the run cleanly.
        DemoLabProcess last(m_bin, dataDir, 8);
        QVERIFY(last.process.waitForFinished(120000));
        last.out += last.process.readAll();
        const QString log = last.text();
        QCOMPARE(last.process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(last.process.exitCode() == 0, qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("adopting the PostgreSQL server")), qPrintable(log));

        // Read the final state with our own server start (alabos stopped its server).
        QVERIFY(!runningServer(dataDir));
        EmbeddedPostgres pg({dataDir, {}, 5432, false});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        conn = pg.connectionString();
        auto q = [&](const QString &sql) { return count(conn, sql); };
        // A group the kill caught between its two parts' PREPARE and COMMIT was settled.
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM pg_prepared_xacts WHERE database = "
                                  "current_database()")),
                 0);

        // Each task that was running got exactly the predicted decision, once, logged.
        for (auto it = expected.decisions.cbegin(); it != expected.decisions.cend(); ++it) {
            const QString decisions =
                QStringLiteral("SELECT count(*) FROM events WHERE id > %1 AND entity_type = "
                               "'task' AND entity_id = '%2' AND kind IN ('task.recovered', "
                               "'task.retried') AND payload->>'message' LIKE '%3%'")
                    .arg(expected.lastEventId)
                    .arg(it.key())
                    .arg(it.value());
            QVERIFY2(q(decisions) == 1, qPrintable(QStringLiteral("task %1: expected \"%2\"\n%3")
                                                       .arg(it.key())
                                                       .arg(it.value(), log)));
            QVERIFY2(log.contains(QStringLiteral("recovery: task %1 ").arg(it.key())),
                     qPrintable(log));
        }
        QCOMPARE(qsizetype(log.count(QStringLiteral("recovery: task "))),
                 expected.decisions.size());
        // What a device had reported done was taken, never sent again.
        for (qint64 id : std::as_const(expected.finishedWhileDown)) {
            QCOMPARE(q(QStringLiteral("SELECT count(*) FROM events WHERE id > %1 AND entity_id = "
                                      "'%2' AND kind = 'task.started'")
                           .arg(expected.lastEventId)
                           .arg(id)),
                     0);
            QCOMPARE(q(QStringLiteral("SELECT attempts FROM tasks WHERE id = %1").arg(id)),
                     qint64(expected.attempts.value(id)));
            QCOMPARE(q(QStringLiteral("SELECT count(*) FROM tasks WHERE id = %1 AND status = "
                                      "'completed'")
                           .arg(id)),
                     1);
        }

        // Nothing lost: every workflow has its six tasks, every sample its workflow.
        const qint64 workflows = q(QStringLiteral("SELECT count(*) FROM workflows"));
        if (point != QLatin1StringView("startup")) QVERIFY(workflows > 0);
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM tasks")), workflows * 6);
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM workflows w WHERE (SELECT count(*) FROM "
                                  "tasks t WHERE t.workflow_id = w.id) <> 6")),
                 0);
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM samples")), workflows);
        // Every task is finished or legitimately waiting, ready or running; a completed
        // workflow has six completed tasks.
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM tasks WHERE status NOT IN ('completed', "
                                  "'waiting', 'ready', 'running')")),
                 0);
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM workflows w WHERE status = 'completed' AND "
                                  "(SELECT count(*) FROM tasks t WHERE t.workflow_id = w.id AND "
                                  "t.status = 'completed') <> 6")),
                 0);
        QCOMPARE(
            q(QStringLiteral("SELECT count(*) FROM workflows w WHERE status <> 'completed' AND "
                             "(SELECT count(*) FROM tasks t WHERE t.workflow_id = w.id AND "
                             "t.status = 'completed') = 6")),
            0);
        // Nothing doubled: one task.completed event per completed task.
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM (SELECT entity_id FROM events WHERE kind "
                                  "= 'task.completed' GROUP BY entity_id HAVING count(*) > 1) d")),
                 0);
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.completed'")),
                 q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")));
        // A task still running at the clean stop is the one its device was running, and it
        // alone holds that device.
        const QHash<QString, DeviceMemory> memories = deviceMemories(dataDir);
        pqxx::connection c(conn.toStdString());
        pqxx::nontransaction tx(c);
        for (const auto &row :
             tx.exec("SELECT id, device_id, attempts FROM tasks WHERE status = 'running'")) {
            const qint64 command = row[0].as<qint64>() * kIdsPerTask + row[2].as<int>();
            const QString device = QString::fromUtf8(row[1].c_str());
            QVERIFY2(memories.value(device).running == command,
                     qPrintable(QStringLiteral("task %1 is running on %2, which runs %3")
                                    .arg(row[0].as<qint64>())
                                    .arg(device)
                                    .arg(memories.value(device).running)));
        }
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM resource_leases l JOIN tasks t ON t.id = "
                                  "l.task_id WHERE t.status <> 'running'")),
                 0);
        // No operator was needed: the devices could tell.
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM prompts WHERE status = 'open'")), 0);
        QCOMPARE(q(QStringLiteral("SELECT count(*) FROM prompts")), 0);
        // Every committed event, also those of the killed runs, reached Kafka.
        QCOMPARE(q(QStringLiteral("SELECT last_event_id FROM relay_cursor WHERE name = 'main'")),
                 q(QStringLiteral("SELECT coalesce(max(id), 0) FROM events")));
        pg.stop();
    }
};

QTEST_GUILESS_MAIN(TstCrashRecovery)
#include "tst_crashrecovery.moc"
