// alabos-bench scheduler: the engine with persistence on (real StorageWriter + PostgreSQL)
// and instant simulated devices (a command's result is posted straight back to the engine).
// Part 1: many devices, many queued tasks with mixed priorities and resource needs:
// tasks/s and the engine-side grant latency. Part 2: a time-compressed lab day: samples
// through a 5-step workflow; wall and CPU time, lost and doubled tasks from PostgreSQL.
#include "core/engine/labengine.h"
#include "core/storage/embeddedpostgres.h"
#include "core/storage/migrations.h"
#include "core/storage/snapshot.h"
#include "core/storage/storagewriter.h"
#include "tests/benchmarks/bench.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <jemalloc/jemalloc.h>
#include <memory>
#include <pqxx/pqxx>

namespace alabos::bench {

namespace {
const QStringList kTypes{QStringLiteral("dosing_station"), QStringLiteral("balance"),
                         QStringLiteral("robot_arm"), QStringLiteral("box_furnace"),
                         QStringLiteral("xrd")};

struct Rig
{
    QString conn;
    QThread storageThread;
    StorageWriter *writer = nullptr;
    LabEngine engine;
    qint64 dispatched = 0;

    Rig(QString connection, int devices, qsizetype maxInFlight, int maxGroup, int twoPartsFrom)
        : conn(std::move(connection))
    {
        engine.setMaxChangeSetsInFlight(maxInFlight);
        writer = new StorageWriter(conn);
        writer->setMaxGroup(maxGroup);
        writer->setTwoPartsFrom(twoPartsFrom);
        writer->moveToThread(&storageThread);
        storageThread.start();
        QObject::connect(&engine, &LabEngine::changesReady, writer, &StorageWriter::submit);
        QObject::connect(writer, &StorageWriter::committed, &engine, &LabEngine::onCommitted);
        QObject::connect(writer, &StorageWriter::rejected, &engine, &LabEngine::onRejected);
        // An instant device: the result arrives through the event loop, as a driver's would.
        engine.setDispatcher([this](const DeviceCommand &c) {
            ++dispatched;
            QMetaObject::invokeMethod(
                &engine,
                [this, c] {
                    engine.onCommandFinished({c.id, c.deviceId, true, false, false, {}, {}});
                },
                Qt::QueuedConnection);
            return true;
        });
        engine.setMeasureGrants(true);
        QList<DeviceSpec> specs;
        for (int i = 0; i < devices; ++i)
            specs.append({QStringLiteral("%1-%2").arg(kTypes[i % kTypes.size()]).arg(i),
                          kTypes[i % kTypes.size()]});
        QString error;
        const auto snapshot = loadSnapshot(conn, 0, &error);
        if (!snapshot) std::fprintf(stderr, "snapshot: %s\n", qPrintable(error));
        engine.start(snapshot.value_or(LabSnapshot{}), specs);
    }
    ~Rig()
    {
        QMetaObject::invokeMethod(
            writer, [w = writer] { delete w; }, Qt::BlockingQueuedConnection);
        storageThread.quit();
        storageThread.wait();
    }
    bool waitFor(const std::function<bool()> &done, int timeoutMs)
    {
        // Sleeps until the next event (commits, results, the engine's 250 ms stats timer):
        // polling here took one of the two cores away from PostgreSQL and the writer.
        QDeadlineTimer deadline(timeoutMs);
        while (!done()) {
            if (deadline.hasExpired()) return false;
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
        }
        return true;
    }
    // Rows the engine hands to the writer (every table, every version): what one task costs
    // the database, to set against the raw limit. Counted per table too, so a change that
    // writes fewer rows shows where they went.
    qint64 rows = 0;
    QMap<QString, qint64> rowsByTable;
    qint64 leaseEntries = 0;
    void countRows()
    {
        QObject::connect(&engine, &LabEngine::changesReady, &engine,
                         [this](quint64, const ChangeSet &c) {
                             const std::pair<const char *, qsizetype> tables[] = {
                                 {"task_edges", c.edges.size()},
                                 {"devices", c.devices.size()},
                                 {"tasks", c.tasks.size()},
                                 {"samples", c.samples.size()},
                                 {"workflows", c.workflows.size()},
                                 {"events", c.events.size()},
                                 {"prompts", c.prompts.size()},
                                 {"sample_positions", c.positions.size()},
                                 {"workflow_templates", c.templates.size()}};
                             for (const auto &[table, n] : tables) {
                                 if (n == 0) continue;
                                 rows += n;
                                 rowsByTable[QLatin1StringView(table)] += n;
                             }
                             // Grants and releases are no rows of their own: the grant is
                             // stored on the task's row that starts it (migration 0017).
                             leaseEntries += c.leases.size() + c.releasedLeases.size();
                         });
    }
    QString q(const QString &sql) const { return test::queryValue(conn, sql); }
};

// The raw limit of the same database: rows/s as 1,000-row INSERTs through one jsonb
// parameter (the writer's statement shape), into a table with a primary key and a jsonb column.
double rawRowsPerSecond(const QString &conn, int rows)
{
    pqxx::connection c(conn.toStdString());
    {
        pqxx::nontransaction tx(c);
        tx.exec0("CREATE TABLE raw_limit (id bigint PRIMARY KEY, name text, payload jsonb)");
    }
    QElapsedTimer clock;
    clock.start();
    for (int first = 0; first < rows; first += 1000) {
        QJsonArray batch;
        for (int i = first; i < first + 1000; ++i)
            batch.append(
                QJsonObject{{QStringLiteral("id"), i},
                            {QStringLiteral("name"), QStringLiteral("task-%1").arg(i)},
                            {QStringLiteral("payload"),
                             QJsonObject{{QStringLiteral("status"), QStringLiteral("running")},
                                         {QStringLiteral("attempt"), 1}}}});
        pqxx::work tx(c);
        tx.exec_params0("INSERT INTO raw_limit SELECT * FROM jsonb_to_recordset($1::jsonb) AS "
                        "x(id bigint, name text, payload jsonb)",
                        QJsonDocument(batch).toJson(QJsonDocument::Compact).toStdString());
        tx.commit();
    }
    return rows / (clock.nsecsElapsed() / 1e9);
}

// Starts a new peak (VmHWM) from what is resident now, so each part reports its own.
void resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly)) clear.write("5");
}
// Bytes the allocator (jemalloc, as in alabos) has handed out and not yet got back.
double heapInUse()
{
    // Its statistics are a snapshot taken when the epoch moves.
    uint64_t epoch = 1;
    size_t size = sizeof(epoch);
    mallctl("epoch", &epoch, &size, &epoch, size);
    size_t allocated = 0;
    size = sizeof(allocated);
    if (mallctl("stats.allocated", &allocated, &size, nullptr, 0) != 0) return 0;
    return double(allocated);
}
// Gives what the allocator holds unused back to the system, so the next part's peak is its own.
void returnFreedMemory()
{
    mallctl("arena." QT_STRINGIFY(MALLCTL_ARENAS_ALL) ".purge", nullptr, nullptr, nullptr, 0);
}

// Where a task's time went, from the engine's and the writer's cumulative counters.
void addBreakdown(QJsonObject &out, const EngineStats &s, const StorageWriter::Totals &w,
                  qint64 tasks)
{
    const double perTask = tasks > 0 ? 1.0 / double(tasks) : 0.0;
    out.insert(QStringLiteral("engine_decide_us_per_task"), double(s.decideUs) * perTask);
    out.insert(QStringLiteral("writer_encode_us_per_task"), double(w.encodeUs) * perTask);
    out.insert(QStringLiteral("writer_commit_us_per_task"), double(w.commitUs) * perTask);
    QJsonObject steps;
    for (size_t i = 0; i < w.stepUs.size(); ++i)
        steps.insert(QLatin1StringView(StorageWriter::stepNames()[i]),
                     double(w.stepUs[i]) * perTask);
    out.insert(QStringLiteral("writer_step_us_per_task"), steps);
    out.insert(QStringLiteral("writer_groups"), w.groups);
    out.insert(QStringLiteral("writer_change_sets"), w.changeSets);
    out.insert(QStringLiteral("writer_max_backlog"), w.maxBacklog);
    // What reached the server after the writer's own merging (rows of one group that the
    // server would collapse anyway are not sent).
    out.insert(QStringLiteral("written_rows_per_task"),
               QJsonObject{{QStringLiteral("tasks"), double(w.taskRows) * perTask},
                           {QStringLiteral("devices"), double(w.deviceRows) * perTask},
                           {QStringLiteral("events"), double(w.eventRows) * perTask}});
    out.insert(QStringLiteral("changeset_commit_ms"), s.commitLatency.meanMs());
    out.insert(QStringLiteral("stage_created_to_ready_ms"), s.stageCreatedToReady.meanMs());
    out.insert(QStringLiteral("stage_queued_ms"), s.stageQueued.meanMs());
    out.insert(QStringLiteral("stage_grant_to_dispatch_ms"), s.stageGrantToDispatch.meanMs());
    out.insert(QStringLiteral("stage_on_device_ms"), s.stageOnDevice.meanMs());
}

WorkflowTemplate single(const QString &name, const QString &type, const QJsonObject &resources = {})
{
    WorkflowTemplate t;
    t.name = name;
    TaskTemplate task;
    task.name = QStringLiteral("run");
    task.deviceType = type;
    task.command = QStringLiteral("run");
    task.durationS = 0;
    task.resources = resources;
    t.tasks.append(task);
    return t;
}
} // namespace

QJsonObject runDriverHostsScheduler(const BenchContext &context); // bench_driverhosts.cpp

QJsonObject runScheduler(const BenchContext &context)
{
    // --driver-hosts N: the real binaries, the devices in-process and then on N driver hosts.
    if (context.args.contains(QStringLiteral("--driver-hosts")))
        return runDriverHostsScheduler(context);
    const int devices = context.quick ? 200 : 10000;
    const int tasks = context.quick ? 2000 : 100000;
    const int samples = context.quick ? 500 : 50000;
    // --max-in-flight N: change sets the engine lets storage have at once (0: no limit, as
    // before the commit queue held any back), to compare where a task's time goes.
    qsizetype maxInFlight = CommitQueue::kDefaultMaxInFlight;
    if (const qsizetype at = context.args.indexOf(QStringLiteral("--max-in-flight"));
        at >= 0 && at + 1 < context.args.size())
        maxInFlight = context.args.at(at + 1).toLongLong();
    // --max-group N: change sets per group commit at most.
    int maxGroup = StorageWriter::kMaxGroup;
    if (const qsizetype at = context.args.indexOf(QStringLiteral("--max-group"));
        at >= 0 && at + 1 < context.args.size())
        maxGroup = context.args.at(at + 1).toInt();
    // --two-parts-from N: change sets a group needs to be written on two connections (a
    // number above --max-group keeps every group in one transaction).
    int twoPartsFrom = StorageWriter::kTwoPartsFrom;
    if (const qsizetype at = context.args.indexOf(QStringLiteral("--two-parts-from"));
        at >= 0 && at + 1 < context.args.size())
        twoPartsFrom = context.args.at(at + 1).toInt();
    QJsonObject out;
    out.insert(QStringLiteral("two_parts_from"), twoPartsFrom);
    out.insert(QStringLiteral("max_change_sets_in_flight"), maxInFlight);
    out.insert(QStringLiteral("max_group"), maxGroup);
    out.insert(QStringLiteral("devices"), devices);
    out.insert(QStringLiteral("tasks"), tasks);
    out.insert(QStringLiteral("day_samples"), samples);

    // --fsync: a server of its own with fsync and synchronous commit on (what a lab runs), in
    // place of the tests' throwaway one without them.
    const bool fsync = context.args.contains(QStringLiteral("--fsync"));
    out.insert(QStringLiteral("fsync"), fsync);
    QTemporaryDir durableDir(QStringLiteral("/tmp/alabos-bench-XXXXXX"));
    std::unique_ptr<EmbeddedPostgres> durable;
    test::TestDatabase *tests = nullptr; // started on first use: not with --fsync
    if (fsync) {
        durable = std::make_unique<EmbeddedPostgres>(
            EmbeddedPostgres::Options{test::makeSharedTempDir(durableDir), {}, 5432, true});
        QString error;
        if (!durable->start(&error)) {
            out.insert(QStringLiteral("ok"), false);
            out.insert(QStringLiteral("error"), error);
            return out;
        }
    } else if (tests = &test::TestDatabase::instance(); !tests->server().isRunning()) {
        out.insert(QStringLiteral("ok"), false);
        out.insert(QStringLiteral("error"), tests->error());
        return out;
    }
    // A new migrated database: the application's connection and the owner's.
    int databases = 0;
    auto newDatabase = [&]() -> std::pair<QString, QString> {
        if (!durable) {
            const QString conn = tests->createDatabase();
            return {conn, tests->ownerConnection(conn)};
        }
        const QString name = QStringLiteral("bench_scheduler_%1").arg(++databases);
        QString error;
        if (!durable->createDatabase(name, &error)) qFatal("%s", qPrintable(error));
        pqxx::connection c(durable->ownerConnectionString(name).toStdString());
        if (!migrate(c, &error)) qFatal("migration failed: %s", qPrintable(error));
        return {durable->connectionString(name), durable->ownerConnectionString(name)};
    };

    const qint64 server = durable ? durable->serverPid() : tests->server().serverPid();
    double part1PeakMb = 0;
    // Part 1: queued tasks, mixed priorities and resource needs (a third also need a robot
    // arm alongside, all or nothing).
    {
        const auto [conn, ownerConn] = newDatabase();
        // Its own table: created by the owner role, as a migration would.
        const double rawRows = rawRowsPerSecond(ownerConn, context.quick ? 10000 : 200000);
        out.insert(QStringLiteral("raw_rows_per_s"), qRound64(rawRows));
        Rig rig(conn, devices, maxInFlight, maxGroup, twoPartsFrom);
        rig.countRows();
        const double rssBefore = rssMb();
        for (const QString &type : kTypes) {
            rig.engine.addTemplate(single(QStringLiteral("one-") + type, type));
            rig.engine.addTemplate(
                single(QStringLiteral("pair-") + type, type,
                       {{QStringLiteral("devices"),
                         QJsonArray{QJsonObject{
                             {QStringLiteral("type"), QStringLiteral("robot_arm")}}}}}));
        }
        const int levels[] = {priority::Low, priority::Normal, priority::High, priority::Urgent};
        auto *rng = QRandomGenerator::global();
        QElapsedTimer wall;
        wall.start();
        const double cpu0 = cpuSeconds();
        const double serverCpu0 = serverCpuSeconds(server);
        for (int i = 0; i < tasks; ++i) {
            const QString type = kTypes[rng->bounded(int(kTypes.size()))];
            const bool pair = rng->bounded(3) == 0 && type != QLatin1StringView("robot_arm");
            rig.engine.submitWorkflow((pair ? QStringLiteral("pair-") : QStringLiteral("one-")) +
                                          type,
                                      {QStringLiteral("S-%1").arg(i)}, levels[rng->bounded(4)]);
        }
        const double submitS = wall.nsecsElapsed() / 1e9;
        // Every task and its change set exist now; most are not yet committed.
        out.insert(QStringLiteral("rss_after_submit_mb"), rssMb());
        out.insert(QStringLiteral("rss_before_submit_mb"), rssBefore);
        const bool done =
            rig.waitFor([&] { return rig.engine.stats().workflowsCompleted >= tasks; }, 1800000);
        const double wallS = wall.nsecsElapsed() / 1e9;
        const QList<double> grants = rig.engine.takeGrantLatenciesMs();
        out.insert(QStringLiteral("tasks_completed"), rig.engine.stats().tasksCompleted);
        out.insert(QStringLiteral("tasks_per_s"), done ? tasks / wallS : 0.0);
        out.insert(QStringLiteral("submit_s"), submitS);
        out.insert(QStringLiteral("tasks_wall_s"), wallS);
        const double cpuS = cpuSeconds() - cpu0;
        const double serverCpuS = serverCpuSeconds(server) - serverCpu0;
        out.insert(QStringLiteral("tasks_cpu_s"), cpuS);
        // What a task costs the machine, this process and the database server together: while
        // the machine's speed swings, this and not the wall time says whether work got cheaper.
        out.insert(QStringLiteral("tasks_server_cpu_s"), serverCpuS);
        out.insert(QStringLiteral("cpu_us_per_task"), (cpuS + serverCpuS) * 1e6 / tasks);
        out.insert(QStringLiteral("grants_measured"), grants.size());
        out.insert(QStringLiteral("grant_p50_ms"), percentile(grants, 50));
        out.insert(QStringLiteral("grant_p99_ms"), percentile(grants, 99));
        out.insert(QStringLiteral("grant_max_ms"), percentile(grants, 100));
        // The database's own limit for this work: raw rows/s over the rows one task needs.
        const double rowsPerTask = double(rig.rows) / tasks;
        out.insert(QStringLiteral("rows_per_task"), rowsPerTask);
        QJsonObject byTable;
        for (auto it = rig.rowsByTable.cbegin(); it != rig.rowsByTable.cend(); ++it)
            byTable.insert(it.key(), double(it.value()) / tasks);
        out.insert(QStringLiteral("rows_per_task_by_table"), byTable);
        out.insert(QStringLiteral("lease_entries_per_task"), double(rig.leaseEntries) / tasks);
        out.insert(QStringLiteral("raw_limit_tasks_per_s"),
                   rowsPerTask > 0 ? rawRows / rowsPerTask : 0.0);
        addBreakdown(out, rig.engine.stats(), rig.writer->totals(), tasks);
        // This part's peak: it ran first, so the process's peak so far is its own.
        part1PeakMb = peakRssMb();
        out.insert(QStringLiteral("peak_rss_mb"), part1PeakMb);
        if (!done) out.insert(QStringLiteral("ok"), false);
        std::fprintf(stderr, "scheduler: %d tasks in %.1f s\n", tasks, wallS);
    }
    // The parts are separate labs: what part 1 freed goes back to the system first, so the
    // lab day's peak is its own and not part 1's leftover heap.
    returnFreedMemory();
    resetPeakRss();

    // Part 2: a lab day, time-compressed: every sample through dose, weigh, load, fire,
    // measure; then PostgreSQL says what was lost or done twice.
    {
        Rig rig(newDatabase().first, devices, maxInFlight, maxGroup, twoPartsFrom);
        rig.countRows();
        WorkflowTemplate day;
        day.name = QStringLiteral("day");
        QStringList previous;
        const char *steps[][2] = {{"dose", "dosing_station"},
                                  {"weigh", "balance"},
                                  {"load", "robot_arm"},
                                  {"fire", "box_furnace"},
                                  {"measure", "xrd"}};
        for (const auto &step : steps) {
            TaskTemplate t;
            t.name = QLatin1StringView(step[0]);
            t.deviceType = QLatin1StringView(step[1]);
            t.command = t.name;
            t.dependsOn = previous;
            previous = {t.name};
            day.tasks.append(t);
        }
        rig.engine.addTemplate(day);
        QElapsedTimer wall;
        wall.start();
        const double cpu0 = cpuSeconds();
        const double serverCpu0 = serverCpuSeconds(server);
        for (int i = 0; i < samples; ++i) {
            rig.engine.submitWorkflow(QStringLiteral("day"), {QStringLiteral("D-%1").arg(i)},
                                      priority::Normal);
            if (i % 1000 == 999) // arrivals over the day, not all at once
                QCoreApplication::processEvents();
        }
        const bool done =
            rig.waitFor([&] { return rig.engine.stats().workflowsCompleted >= samples; }, 3600000);
        const double wallS = wall.nsecsElapsed() / 1e9;
        const double cpuS = cpuSeconds() - cpu0;
        const double serverCpuS = serverCpuSeconds(server) - serverCpu0;
        // Wait until the last decisions are committed, then count from PostgreSQL.
        const qint64 expected = qint64(samples) * 5;
        rig.waitFor(
            [&] {
                return rig.q(QStringLiteral(
                                 "SELECT count(*) FROM tasks WHERE status = 'completed'"))
                           .toLongLong() >= expected;
            },
            120000);
        const qint64 completed =
            rig.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'"))
                .toLongLong();
        const qint64 doubled = rig.q(QStringLiteral("SELECT count(*) FROM (SELECT entity_id FROM "
                                                    "events WHERE kind = 'task.completed' "
                                                    "GROUP BY entity_id HAVING count(*) > 1) x"))
                                   .toLongLong();
        out.insert(QStringLiteral("day_wall_s"), wallS);
        out.insert(QStringLiteral("day_cpu_s"), cpuS);
        out.insert(QStringLiteral("day_server_cpu_s"), serverCpuS);
        out.insert(QStringLiteral("day_cpu_us_per_task"),
                   (cpuS + serverCpuS) * 1e6 / double(expected));
        out.insert(QStringLiteral("day_tasks_per_s"), done ? expected / wallS : 0.0);
        out.insert(QStringLiteral("day_lost"), expected - completed);
        out.insert(QStringLiteral("day_rows_per_task"), double(rig.rows) / double(expected));
        QJsonObject byTable;
        for (auto it = rig.rowsByTable.cbegin(); it != rig.rowsByTable.cend(); ++it)
            byTable.insert(it.key(), double(it.value()) / double(expected));
        out.insert(QStringLiteral("day_rows_per_task_by_table"), byTable);
        out.insert(QStringLiteral("day_doubled"), doubled);
        out.insert(QStringLiteral("day_commands_sent"),
                   rig.dispatched); // equals 5 per sample when nothing ran twice
        if (!done) out.insert(QStringLiteral("ok"), false);
        std::fprintf(stderr, "scheduler: lab day of %d samples in %.1f s\n", samples, wallS);
    }
    out.insert(QStringLiteral("day_peak_rss_mb"), peakRssMb());
    out.insert(QStringLiteral("process_peak_rss_mb"), qMax(part1PeakMb, peakRssMb()));

    // Part 3: what the queue itself costs. The same tasks on the same devices, grants held so
    // that all of them wait, commits answered at once (no database): the heap the engine
    // holds per queued task, with nothing in flight to the writer.
    {
        LabEngine engine;
        QObject::connect(
            &engine, &LabEngine::changesReady, &engine,
            [&engine](quint64 ticket, const ChangeSet &) { engine.onCommitted({ticket}); },
            Qt::QueuedConnection);
        QList<DeviceSpec> specs;
        for (int i = 0; i < devices; ++i)
            specs.append({QStringLiteral("%1-%2").arg(kTypes[i % kTypes.size()]).arg(i),
                          kTypes[i % kTypes.size()]});
        engine.start(LabSnapshot{}, specs);
        engine.holdGrants(true);
        for (const QString &type : kTypes)
            engine.addTemplate(single(QStringLiteral("one-") + type, type));
        QCoreApplication::processEvents();
        returnFreedMemory();
        const double heap0 = heapInUse();
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < tasks; ++i) {
            engine.submitWorkflow(QStringLiteral("one-") + kTypes[rng->bounded(int(kTypes.size()))],
                                  {QStringLiteral("Q-%1").arg(i)}, priority::Normal);
            if (i % 1000 == 999) QCoreApplication::processEvents();
        }
        QDeadlineTimer deadline(120000);
        while (engine.stats().waitingForDevice < tasks && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        // The last task.ready change sets are answered through the event loop too: let them
        // go before counting, so only what the queue keeps is measured.
        for (QDeadlineTimer settle(300); !settle.hasExpired();)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        const qint64 queued = engine.stats().waitingForDevice;
        out.insert(QStringLiteral("queue_tasks_held"), queued);
        out.insert(QStringLiteral("queue_bytes_per_task"),
                   queued > 0 ? (heapInUse() - heap0) / double(queued) : 0.0);
    }
    return out;
}

} // namespace alabos::bench
