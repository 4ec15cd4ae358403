// alabos-bench storage: the persister's COPY next to a raw `psql \copy` of the same rows,
// group commit of task state changes, and the history queries at 10M telemetry rows and
// 10M events (--quick: 100k each). `--only persister|state-changes|history` runs one part.
#include "core/bus/telemetrypersister.h"
#include "core/domain/types.h"
#include "core/storage/embeddedpostgres.h"
#include "core/storage/history.h"
#include "core/storage/migrations.h"
#include "core/storage/storagewriter.h"
#include "core/storage/telemetrystore.h"
#include "tests/benchmarks/bench.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

namespace alabos::bench {

namespace {

void progress(const QString &text)
{
    std::fprintf(stderr, "storage: %s\n", qPrintable(text));
}

void exec(const QString &conn, const std::string &sql)
{
    pqxx::connection c(conn.toStdString());
    pqxx::nontransaction tx(c);
    tx.exec(sql);
}

QString createDatabase(EmbeddedPostgres &server, const QString &name)
{
    QString error;
    if (!server.createDatabase(name, &error)) qFatal("%s", qPrintable(error));
    pqxx::connection c(server.ownerConnectionString(name).toStdString());
    if (!migrate(c, &error)) qFatal("migration failed: %s", qPrintable(error));
    return server.connectionString(name);
}

// Percentiles of `runs` calls of `query`, in milliseconds.
template <typename F> QJsonObject timeQuery(int runs, F &&query)
{
    QList<double> ms;
    for (int i = 0; i < runs + 3; ++i) {
        QElapsedTimer t;
        t.start();
        if (!query(i)) qFatal("history query failed");
        if (i >= 3) // the first runs warm the caches and the connection
            ms.append(t.nsecsElapsed() / 1e6);
    }
    return {{QStringLiteral("p50_ms"), percentile(ms, 50)},
            {QStringLiteral("p99_ms"), percentile(ms, 99)},
            {QStringLiteral("runs"), runs}};
}

// 2. Group commit of task state changes through the writer on its own thread. The change
// sets are built before the clock starts (the submitting thread shares the 2 cores with the
// writer and the server); each is still posted to the writer as its own queued call.
QJsonObject measureStateChanges(EmbeddedPostgres &server, int stateChanges)
{
    const QString labDb = createDatabase(server, QStringLiteral("bench_lab"));
    registerMetaTypes();
    qRegisterMetaType<QList<quint64>>();
    const int taskCount = 10000;
    {
        StorageWriter setup(labDb);
        ChangeSet c;
        c.workflow(
            WorkflowState{
                1, QStringLiteral("bench"), QStringLiteral("running"), {}, nowMicros(), 0},
            QStringLiteral("workflow.created"));
        setup.submit(1, c);
        for (int i = 0; i < taskCount; ++i) {
            ChangeSet t;
            TaskState s;
            s.id = i + 1;
            s.workflowId = 1;
            s.name = QStringLiteral("fire");
            s.deviceType = QStringLiteral("furnace");
            s.status = TaskStatus::Ready;
            s.createdUs = nowMicros();
            t.task(s, QStringLiteral("task.created"));
            setup.submit(quint64(i + 2), t);
        }
        if (setup.flushNow() != 0) qFatal("setup not committed");
    }
    QThread writerThread;
    auto *writer = new StorageWriter(labDb);
    writer->moveToThread(&writerThread);
    writerThread.start();
    std::atomic<qint64> committedCount{0};
    std::atomic<int> groups{0};
    QObject::connect(
        writer, &StorageWriter::committed, writer,
        [&](const QList<quint64> &t) {
            committedCount += t.size();
            ++groups;
        },
        Qt::DirectConnection);
    QObject::connect(
        writer, &StorageWriter::rejected, writer,
        [](quint64, const QString &why) { qFatal("rejected: %s", qPrintable(why)); },
        Qt::DirectConnection);
    const TaskStatus cycle[] = {TaskStatus::Running, TaskStatus::Completed};
    QList<ChangeSet> changeSets;
    changeSets.reserve(stateChanges);
    for (int i = 0; i < stateChanges; ++i) {
        TaskState s;
        s.id = i % taskCount + 1;
        s.workflowId = 1;
        s.name = QStringLiteral("fire");
        s.deviceType = QStringLiteral("furnace");
        s.status = cycle[(i / taskCount) % 2];
        s.createdUs = nowMicros();
        s.startedUs = s.createdUs;
        s.finishedUs = s.status == TaskStatus::Completed ? s.createdUs : 0;
        s.attempts = i / taskCount;
        ChangeSet c;
        c.task(s, s.status == TaskStatus::Running ? QStringLiteral("task.started")
                                                  : QStringLiteral("task.completed"));
        changeSets.append(std::move(c));
    }
    // WAL written and checkpoints during the run: with fsync on, these are what a loaded
    // disk makes slow.
    auto walAndCheckpoints = [&labDb] {
        pqxx::connection c(labDb.toStdString());
        pqxx::nontransaction tx(c);
        const pqxx::row r = tx.exec1("SELECT pg_current_wal_lsn() - '0/0', checkpoints_timed + "
                                     "checkpoints_req FROM pg_stat_bgwriter");
        return std::pair{r[0].as<double>(), r[1].as<qint64>()};
    };
    const auto [walBefore, checkpointsBefore] = walAndCheckpoints();
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < stateChanges; ++i)
        QMetaObject::invokeMethod(
            writer, [writer, i, c = std::move(changeSets[i])] { writer->submit(quint64(i), c); },
            Qt::QueuedConnection);
    const double postS = clock.nsecsElapsed() / 1e9;
    while (committedCount.load() < stateChanges)
        QThread::msleep(5);
    const double stateS = clock.nsecsElapsed() / 1e9;
    const double stateRate = stateChanges / stateS;
    progress(QStringLiteral("state changes: %1 committed in %2 s, %3 transactions")
                 .arg(stateChanges)
                 .arg(stateS)
                 .arg(groups.load()) +
             QStringLiteral(" (submitting took %1 s)").arg(postS));
    QMetaObject::invokeMethod(
        writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
    writerThread.quit();
    writerThread.wait();
    const auto [walAfter, checkpointsAfter] = walAndCheckpoints();
    // What was acknowledged is in the database: every event, the last state of every task,
    // and the rollup of every running -> completed transition.
    {
        pqxx::connection c(labDb.toStdString());
        pqxx::nontransaction tx(c);
        const pqxx::row r = tx.exec1(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM tasks WHERE status = "
            "'completed' AND attempts = " +
            std::to_string((stateChanges - 1) / taskCount) +
            "), (SELECT coalesce(sum(tasks_completed), 0) FROM lab_minute)");
        const qint64 expectedEvents = 1 + taskCount + stateChanges;
        const qint64 expectedCompleted = qint64(stateChanges / (2 * taskCount)) * taskCount;
        if (r[0].as<qint64>() != expectedEvents || r[1].as<qint64>() != taskCount ||
            r[2].as<qint64>() != expectedCompleted)
            qFatal("state changes: the database holds %lld events (expected %lld), %lld tasks "
                   "in their last state (expected %d), %lld completions rolled up (expected "
                   "%lld)",
                   r[0].as<qint64>(), expectedEvents, r[1].as<qint64>(), taskCount,
                   r[2].as<qint64>(), expectedCompleted);
    }

    return {{QStringLiteral("state_changes"), stateChanges},
            {QStringLiteral("state_changes_per_s"), stateRate},
            {QStringLiteral("state_change_transactions"), groups.load()},
            {QStringLiteral("state_change_wal_bytes_each"), (walAfter - walBefore) / stateChanges},
            {QStringLiteral("state_change_checkpoints"), checkpointsAfter - checkpointsBefore}};
}

// 3. History at scale: 1,000 devices x one reading a minute over 7 days, events over 7
// days for 100,000 entities, minute rollups for the same 7 days.
QJsonObject measureHistory(EmbeddedPostgres &server, qint64 historyRows, int queryRuns)
{
    QString error;
    QElapsedTimer clock;
    const QString historyDb = createDatabase(server, QStringLiteral("bench_history"));
    const qint64 nowUs = nowMicros();
    const qint64 weekUs = 7LL * 24 * 3600 * 1000000;
    // Day partitions are the schema owner's to make, as retention does.
    const QString historyOwnerDb = server.ownerConnectionString(QStringLiteral("bench_history"));
    exec(historyOwnerDb,
         "SELECT alabos_ensure_day_partitions(p, (now() AT TIME ZONE 'UTC')::date - 8, "
         "(now() AT TIME ZONE 'UTC')::date + 1) FROM "
         "unnest(ARRAY['events','telemetry','telemetry_minute']::regclass[]) p");
    const int devices = 1000;
    const qint64 perDevice = historyRows / devices;
    clock.restart();
    exec(historyDb,
         "INSERT INTO telemetry SELECT 'device-' || lpad(d::text, 4, '0'), 'temperature_c', "
         "400 + 100 * sin(i / 50.0) + d, now() - interval '7 days' + i * (interval '7 days' / " +
             std::to_string(perDevice) + ") FROM generate_series(1, " + std::to_string(perDevice) +
             ") i, generate_series(1, " + std::to_string(devices) + ") d");
    exec(historyDb, "INSERT INTO telemetry_minute SELECT device_id, metric, date_trunc('minute', "
                    "at), count(*), "
                    "sum(value), min(value), max(value) FROM telemetry GROUP BY 1, 2, 3");
    progress(QStringLiteral("loaded %1 telemetry rows in %2 s")
                 .arg(perDevice * devices)
                 .arg(clock.elapsed() / 1000.0));
    clock.restart();
    exec(historyDb, "INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                    "SELECT 'task', (i % 100000)::text, 'task.progress', jsonb_build_object('v', "
                    "1, 'step', i), "
                    "now() - interval '7 days' + i * (interval '7 days' / " +
                        std::to_string(historyRows) + ") FROM generate_series(1, " +
                        std::to_string(historyRows) + ") i");
    exec(historyDb,
         "INSERT INTO lab_minute SELECT m, 5 + (random() * 10)::int, (random() * 2)::int, 0, "
         "(random() * 3)::int, (random() * 12)::int, (random() * 400)::int, (random() * 50)::int "
         "FROM generate_series(date_trunc('minute', now() - interval '7 days'), now(), interval '1 "
         "minute') m");
    exec(historyDb,
         "INSERT INTO device_type_minute SELECT m, t, random() * 60 * 20, 20 FROM "
         "generate_series(date_trunc('minute', now() - interval '7 days'), now(), interval '1 "
         "minute') m, "
         "unnest(ARRAY['furnace','balance','xrd','robot_arm','liquid_handler','dosing']) t");
    exec(historyDb, "INSERT INTO task_duration_minute SELECT m, t, b, 1 + (random() * 3)::int FROM "
                    "generate_series(date_trunc('minute', now() - interval '7 days'), now(), "
                    "interval '1 minute') m, "
                    "unnest(ARRAY['fire','weigh','grind']) t, generate_series(20, 23) b");
    // Only the tables' owner may vacuum them.
    exec(historyOwnerDb, "VACUUM ANALYZE");
    // Time the queries, not the aftermath of loading 10M rows in one statement: write the
    // dirty pages out now and let autovacuum finish, so neither competes with the queries.
    exec(server.superuserConnectionString(), "CHECKPOINT"); // superuser only
    {
        pqxx::connection c(historyDb.toStdString());
        for (int i = 0; i < 600; ++i) {
            pqxx::nontransaction tx(c);
            if (tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                         "'autovacuum worker'")[0]
                    .as<int>() == 0)
                break;
            QThread::msleep(100);
        }
    }
    progress(QStringLiteral("loaded %1 events and 7 days of rollups in %2 s")
                 .arg(historyRows)
                 .arg(clock.elapsed() / 1000.0));

    HistoryQueries history({historyDb});
    auto *rng = QRandomGenerator::global();
    QJsonObject queries;
    {
        // The raw limit: the plain statement on its own connection (no function, no read-only
        // transaction, rows not decoded), alternating with HistoryQueries so both see the same
        // machine.
        pqxx::connection raw(historyDb.toStdString());
        QList<double> viaHistory, rawSql;
        for (int i = 0; i < queryRuns + 3; ++i) {
            const QString entity = QString::number(rng->bounded(100000));
            QElapsedTimer t;
            t.start();
            if (!history.lastEvents(entity, 100, &error)) qFatal("history query failed");
            const double historyMs = t.nsecsElapsed() / 1e6;
            // Another entity: the one just read is in shared buffers now.
            const std::string other = std::to_string(rng->bounded(100000));
            t.restart();
            pqxx::nontransaction tx(raw);
            tx.exec_params(
                "SELECT id, entity_type, entity_id, kind, payload, created_at FROM "
                "events WHERE entity_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100",
                other);
            if (i < 3) continue; // warm the caches and the connections
            viaHistory.append(historyMs);
            rawSql.append(t.nsecsElapsed() / 1e6);
        }
        for (const auto &[name, ms] :
             {std::pair{QStringLiteral("last_100_events"), viaHistory},
              std::pair{QStringLiteral("last_100_events_raw_sql"), rawSql}})
            queries.insert(name, QJsonObject{{QStringLiteral("p50_ms"), percentile(ms, 50)},
                                             {QStringLiteral("p99_ms"), percentile(ms, 99)},
                                             {QStringLiteral("runs"), queryRuns}});
    }
    queries.insert(QStringLiteral("hourly_chart_7d"), timeQuery(queryRuns, [&](int) {
                       return history.completedPerHour(nowUs - weekUs, nowUs, &error).has_value();
                   }));
    queries.insert(QStringLiteral("telemetry_1h_raw_500pt"), timeQuery(queryRuns, [&](int) {
                       return history
                           .telemetry(QStringLiteral("device-%1")
                                          .arg(1 + rng->bounded(devices), 4, 10, QLatin1Char('0')),
                                      QStringLiteral("temperature_c"), nowUs - 3600LL * 1000000 * 2,
                                      nowUs - 3600LL * 1000000, 500, &error)
                           .has_value();
                   }));
    queries.insert(QStringLiteral("telemetry_7d_rollup_500pt"), timeQuery(queryRuns, [&](int) {
                       return history
                           .telemetry(QStringLiteral("device-%1")
                                          .arg(1 + rng->bounded(devices), 4, 10, QLatin1Char('0')),
                                      QStringLiteral("temperature_c"), nowUs - weekUs, nowUs, 500,
                                      &error)
                           .has_value();
                   }));
    queries.insert(QStringLiteral("utilisation_24h"), timeQuery(queryRuns, [&](int) {
                       return history
                           .utilisationByDeviceType(nowUs - 24LL * 3600 * 1000000, nowUs, &error)
                           .has_value();
                   }));
    queries.insert(QStringLiteral("queue_depth_7d_500pt"), timeQuery(queryRuns, [&](int) {
                       return history.queueDepth(nowUs - weekUs, nowUs, 500, &error).has_value();
                   }));
    queries.insert(
        QStringLiteral("task_durations_7d"), timeQuery(queryRuns, [&](int) {
            return history.taskDurations(nowUs - weekUs, nowUs, QString(), &error).has_value();
        }));
    return {{QStringLiteral("history_telemetry_rows"), perDevice * devices},
            {QStringLiteral("history_events"), historyRows},
            {QStringLiteral("queries"), queries},
            {QStringLiteral("last_events_p50_ms"),
             queries[QStringLiteral("last_100_events")][QStringLiteral("p50_ms")]},
            {QStringLiteral("last_events_p99_ms"),
             queries[QStringLiteral("last_100_events")][QStringLiteral("p99_ms")]},
            {QStringLiteral("hourly_chart_p50_ms"),
             queries[QStringLiteral("hourly_chart_7d")][QStringLiteral("p50_ms")]},
            {QStringLiteral("hourly_chart_p99_ms"),
             queries[QStringLiteral("hourly_chart_7d")][QStringLiteral("p99_ms")]}};
}

} // namespace

QJsonObject runStorage(const BenchContext &context)
{
    const bool quick = context.quick;
    const qint64 persisterRows = quick ? 50000 : 1000000;
    const int batchRows =
        TelemetryPersisterOptions{}.maxBatch; // what the persister takes under load
    const int stateChanges = quick ? 20000 : 200000;
    const qint64 historyRows = quick ? 100000 : 10000000;
    const int queryRuns = quick ? 20 : 200;
    // --only persister|state-changes|history: that part alone (profiling); without it, every part.
    const qsizetype onlyAt = context.args.indexOf(QStringLiteral("--only"));
    const QString only = onlyAt < 0 ? QString() : context.args.value(onlyAt + 1);
    if (onlyAt >= 0 && only != QLatin1StringView("persister") &&
        only != QLatin1StringView("state-changes") && only != QLatin1StringView("history")) {
        std::fprintf(stderr,
                     "storage: --only takes persister, state-changes or history, not \"%s\"\n",
                     qPrintable(only));
        std::exit(2);
    }

    QTemporaryDir dir(QStringLiteral("/tmp/alabos-bench-XXXXXX"));
    EmbeddedPostgres server(
        EmbeddedPostgres::Options{test::makeSharedTempDir(dir), {}, 5432, true});
    QString error;
    if (!server.start(&error)) qFatal("PostgreSQL: %s", qPrintable(error));
    progress(QStringLiteral("server up (fsync on) in %1").arg(dir.path()));
    if (!only.isEmpty() && only != QLatin1StringView("persister")) {
        const QJsonObject part = only == QLatin1StringView("state-changes")
                                     ? measureStateChanges(server, stateChanges)
                                     : measureHistory(server, historyRows, queryRuns);
        server.stop();
        return part;
    }

    // 1. Persister COPY vs raw psql \copy of the same rows into an identical database.
    const QString persisterDb = createDatabase(server, QStringLiteral("bench_persister"));
    const QString rawDb = createDatabase(server, QStringLiteral("bench_raw"));
    const qint64 t0 = nowMicros() - 3600LL * 1000000;
    QList<TelemetryReading> all;
    all.reserve(persisterRows);
    for (qint64 i = 0; i < persisterRows; ++i)
        all.append(
            {QStringLiteral("liquid-handler-station-%1").arg(i % 2000, 4, 10, QLatin1Char('0')),
             QStringLiteral("dispense_volume_ul"), 20.0 + (i % 997) * 0.125, t0 + i * 1000});
    // Rows split by device over `streams` writers, as the persister splits partitions (and a
    // device's readings live in one partition): writer w gets devices with index % streams == w.
    auto split = [&all](int streams) {
        std::vector<QList<TelemetryReading>> parts(static_cast<size_t>(streams));
        for (qint64 i = 0; i < qint64(all.size()); ++i)
            parts[size_t(i % 2000 % streams)].append(all[i]);
        return parts;
    };
    qint64 csvBytes = 0;
    auto rowsPerSecond = [&](const QString &what, const QElapsedTimer &clock) {
        const double seconds = clock.nsecsElapsed() / 1e9;
        progress(QStringLiteral("%1: %2 rows in %3 s").arg(what).arg(persisterRows).arg(seconds));
        return persisterRows / seconds;
    };
    // The persister's store with `writers` connections side by side, batches of batchRows.
    auto persisterRun = [&](const QString &db, int writers) {
        const auto parts = split(writers);
        QElapsedTimer clock;
        clock.start();
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                TelemetryStore store(db);
                QString why;
                const QList<TelemetryReading> &mine = parts[size_t(w)];
                for (qint64 start = 0; start < mine.size(); start += batchRows) {
                    const QList<TelemetryReading> batch = mine.mid(start, batchRows);
                    if (!store.write(
                            batch, {{QStringLiteral("alabos.telemetry"), w, start + batch.size()}},
                            QStringLiteral("bench"), &why))
                        qFatal("persister: %s", qPrintable(why));
                }
            });
        // The persister's folder: the rollup increments into telemetry_minute, every second
        // on its own connection and once at the end, inside the measured time.
        std::atomic<bool> written{false};
        std::thread folder([&] {
            TelemetryStore store(db);
            QString why;
            for (bool last = false; !last;) {
                for (int i = 0; i < 100 && !written.load(); ++i)
                    QThread::msleep(10);
                last = written.load();
                if (!store.foldMinutes(&why)) qFatal("persister fold: %s", qPrintable(why));
            }
        });
        for (std::thread &t : threads)
            t.join();
        written = true;
        folder.join();
        const double rate =
            rowsPerSecond(QStringLiteral("persister, %1 connection(s)").arg(writers), clock);
        // Every row stored and counted once in the rollups, or the figure means nothing.
        const QString check = test::queryValue(
            db, QStringLiteral("SELECT (SELECT count(*) FROM telemetry) || ' ' || "
                               "(SELECT coalesce(sum(n), 0) FROM telemetry_minute)"));
        if (check != QStringLiteral("%1 %1").arg(persisterRows))
            qFatal("persister: rows and rollups are \"%s\", not %lld each", qPrintable(check),
                   persisterRows);
        return rate;
    };
    QString psql = QStringLiteral("/usr/bin/psql");
    if (!QFile::exists(psql)) psql = EmbeddedPostgres::findBinDir(&error) + QStringLiteral("/psql");
    // The raw limit: `streams` psql \copy processes side by side, the same rows as text.
    auto rawRun = [&](const QString &db, int streams) {
        const auto parts = split(streams);
        QStringList paths;
        csvBytes = 0;
        for (int w = 0; w < streams; ++w) {
            paths << dir.path() + QStringLiteral("/rows-%1-of-%2.tsv").arg(w).arg(streams);
            QFile csv(paths.last());
            csv.open(QIODevice::WriteOnly);
            for (const TelemetryReading &r : parts[size_t(w)]) {
                const QByteArray line = r.deviceId.toUtf8() + '\t' + r.metric.toUtf8() + '\t' +
                                        QByteArray::number(r.value, 'g', 17) + '\t' +
                                        QByteArray::fromStdString(formatTimestampUtc(r.timeUs)) +
                                        '\n';
                csvBytes += line.size();
                csv.write(line);
            }
        }
        QElapsedTimer clock;
        clock.start();
        std::vector<std::unique_ptr<QProcess>> copies;
        for (const QString &path : paths) {
            copies.push_back(std::make_unique<QProcess>());
            copies.back()->start(
                psql,
                {db, QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"),
                 QStringLiteral("\\copy telemetry (device_id, metric, value, at) FROM '%1'")
                     .arg(path)});
        }
        for (auto &copy : copies) {
            copy->waitForFinished(-1);
            if (copy->exitCode() != 0)
                qFatal("psql \\copy failed: %s", copy->readAllStandardError().constData());
        }
        return rowsPerSecond(QStringLiteral("raw psql \\copy, %1 stream(s)").arg(streams), clock);
    };
    const double persisterRate = persisterRun(persisterDb, 1);
    const double rawRate = rawRun(rawDb, 1);
    const double persister2Rate =
        persisterRun(createDatabase(server, QStringLiteral("bench_persister2")), 2);
    const double raw2Rate = rawRun(createDatabase(server, QStringLiteral("bench_raw2")), 2);
    QElapsedTimer clock;
    all.clear();
    all.squeeze();
    const QJsonObject persisterFigures{
        {QStringLiteral("persister_rows"), persisterRows},
        {QStringLiteral("row_bytes"), double(csvBytes) / persisterRows},
        {QStringLiteral("persister_rows_per_s"), persisterRate},
        {QStringLiteral("raw_copy_rows_per_s"), rawRate},
        {QStringLiteral("persister_vs_raw"), persisterRate / rawRate},
        {QStringLiteral("persister_2_connections_rows_per_s"), persister2Rate},
        {QStringLiteral("raw_copy_2_streams_rows_per_s"), raw2Rate},
        {QStringLiteral("persister_2_vs_raw_2"), persister2Rate / raw2Rate}};
    if (only == QLatin1StringView("persister")) {
        server.stop();
        QJsonObject result = persisterFigures;
        result.insert(QStringLiteral("fsync"), true);
        result.insert(QStringLiteral("cpu_s"), cpuSeconds());
        return result;
    }

    const QJsonObject state = measureStateChanges(server, stateChanges);
    const QJsonObject history = measureHistory(server, historyRows, queryRuns);
    server.stop();

    QJsonObject result = persisterFigures;
    for (const QJsonObject &part : {state, history})
        for (auto it = part.begin(); it != part.end(); ++it)
            result.insert(it.key(), it.value());
    result.insert(QStringLiteral("fsync"), true);
    result.insert(QStringLiteral("cpu_s"), cpuSeconds());
    return result;
}

} // namespace alabos::bench
