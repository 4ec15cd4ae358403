// alabos-bench scheduler --driver-hosts N [--devices D] [--tasks T]: the real binaries. A
// headless scheduler runs a lab file of D simulated devices (instant: acceleration 1e6) twice:
// once with every driver in the scheduler's process, once with the devices spread over N
// driver-host processes (alabos --drivers-only), where every command, result and state report
// crosses the embedded Kafka broker. T tasks (workflows of 500 independent tasks on one of five
// device types) are queued beforehand with no device reachable; the lab is then started and the
// tasks a second come from the completions PostgreSQL holds, between 10 % and 90 % done. Keys:
// local_tasks_per_s, remote_tasks_per_s, their ratio, and each run's completed tasks and
// task.completed events (both must equal T: "ok").
#include "tests/benchmarks/bench.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

namespace alabos::bench {

namespace {

struct DeviceKind
{
    const char *type;
    const char *command;
};
// Commands that need no positions; each type's defaults are valid parameters.
constexpr DeviceKind kKinds[] = {{"dosing_station", "dose"},
                                 {"balance", "weigh"},
                                 {"box_furnace", "heat"},
                                 {"grinder", "grind"},
                                 {"xrd", "measure"}};
constexpr int kTasksPerWorkflow = 500; // a template's most

// `hostOf(i)`: the driver host of device i; empty: the scheduler's own process.
QJsonObject labFile(int devices, const std::function<QString(int)> &hostOf)
{
    QJsonArray list;
    for (int i = 0; i < devices; ++i) {
        const DeviceKind &k = kKinds[i % std::size(kKinds)];
        QJsonObject d{
            {QStringLiteral("id"), QStringLiteral("%1-%2").arg(QLatin1StringView(k.type)).arg(i)},
            {QStringLiteral("type"), QLatin1StringView(k.type)},
            {QStringLiteral("driver"), QStringLiteral("simulated")},
            {QStringLiteral("acceleration"), 1e6}};
        if (const QString host = hostOf(i); !host.isEmpty())
            d.insert(QStringLiteral("driver_host"), host);
        list.append(d);
    }
    return {{QStringLiteral("alabos_lab"), 1},
            {QStringLiteral("name"), QStringLiteral("bench of %1 devices").arg(devices)},
            {QStringLiteral("devices"), list}};
}

qint64 count(const QString &db, const QString &sql)
{
    return test::queryValue(db, sql).toLongLong();
}

struct RunResult
{
    double tasksPerS = 0;
    double wallS = 0;
    double firstTenthS = 0; // from the start until a tenth of the queue was done
    qint64 completed = 0;
    qint64 completedEvents = 0;
    QString problem;
};

bool writeJson(const QString &path, const QJsonObject &json)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(QJsonDocument(json).toJson(QJsonDocument::Compact)) > 0;
}

// Phase one: the lab with every device on a driver host that never comes (so nothing runs),
// the templates saved and every workflow submitted, then stopped. Each submission is signed
// in (Argon2id, slow by design): queued beforehand, they do not pace what is measured.
QString queueEverything(const QString &bin, const QString &dir, int devices, int tasks)
{
    const QString parkedPath = dir + QStringLiteral("/parked.json");
    const QJsonObject parked = labFile(devices, [](int) { return QStringLiteral("parked"); });
    if (!writeJson(parkedPath, parked)) return QStringLiteral("cannot write ") + parkedPath;
    test::Alabos scheduler;
    scheduler.process.setStandardErrorFile(dir + QStringLiteral("/queue.log"));
    const QString db = scheduler.startLab(bin, parkedPath, dir + QStringLiteral("/scheduler"));
    if (db.isEmpty()) return QStringLiteral("the scheduler did not start: ") + scheduler.text();
    const qsizetype from = scheduler.out.size();
    int commandId = 0;
    for (const DeviceKind &k : kKinds) {
        // kTasksPerWorkflow independent tasks on one device type.
        const QString name = QStringLiteral("bench-%1").arg(QLatin1StringView(k.type));
        QJsonArray steps;
        for (int i = 0; i < kTasksPerWorkflow; ++i)
            steps.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("run-%1").arg(i)},
                                     {QStringLiteral("device_type"), QLatin1StringView(k.type)},
                                     {QStringLiteral("command"), QLatin1StringView(k.command)},
                                     {QStringLiteral("duration_s"), 1}});
        scheduler.send(test::headlessCommand(
            QStringLiteral("workflow.template.save"), name,
            {{QStringLiteral("definition"),
              QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("tasks"), steps}}}}));
        ++commandId;
    }
    // Submitted only once their templates are committed.
    if (!scheduler.waitFor(QStringLiteral("reply to command %1 ").arg(commandId), from, 120000)
             .hasMatch())
        return QStringLiteral("the templates were not answered: ") + scheduler.text().right(2000);
    for (int workflow = 0; workflow * kTasksPerWorkflow < tasks; ++workflow) {
        const DeviceKind &k = kKinds[workflow % std::size(kKinds)];
        scheduler.send(test::headlessCommand(
            QStringLiteral("workflow.submit"), {},
            {{QStringLiteral("template"),
              QStringLiteral("bench-%1").arg(QLatin1StringView(k.type))},
             {QStringLiteral("barcodes"), QJsonArray{QStringLiteral("BENCH-%1").arg(workflow)}}}));
        ++commandId;
    }
    scheduler.waitFor(QStringLiteral("reply to command %1 ").arg(commandId), from, 600000);
    static const QRegularExpression accepted(
        QStringLiteral("reply to command \\d+ [^\\n]*accepted"));
    int acceptedCommands = 0;
    for (auto it = accepted.globalMatch(QString::fromUtf8(scheduler.out.mid(from))); it.hasNext();
         it.next())
        ++acceptedCommands;
    if (acceptedCommands != commandId)
        return QStringLiteral("%1 of %2 commands accepted: %3")
            .arg(acceptedCommands)
            .arg(commandId)
            .arg(scheduler.text().right(2000));
    const qint64 queued = count(db, QStringLiteral("SELECT count(*) FROM tasks"));
    if (queued != tasks) return QStringLiteral("%1 tasks queued, not %2").arg(queued).arg(tasks);
    ::kill(pid_t(scheduler.process.processId()), SIGTERM);
    if (!scheduler.process.waitForFinished(120000))
        return QStringLiteral("the queueing scheduler did not stop");
    return {};
}

// Phase two, measured: the same database started on the real lab (`hosts` 0: every driver in
// the scheduler's process), its devices edited onto their drivers, the queue run to its end.
RunResult runLab(const QString &bin, int devices, int hosts, int tasks)
{
    RunResult result;
    QTemporaryDir tmp(QDir::tempPath() + QStringLiteral("/alabos-bench-hosts-XXXXXX"));
    const QString dir = test::makeSharedTempDir(tmp);
    QDir().mkpath(dir + QStringLiteral("/scheduler"));
    result.problem = queueEverything(bin, dir, devices, tasks);
    if (!result.problem.isEmpty()) return result;
    const QString labPath = dir + QStringLiteral("/lab.json");
    const auto hostOf = [hosts](int i) {
        return hosts > 0 ? QStringLiteral("pc-%1").arg(i % hosts) : QString();
    };
    if (!writeJson(labPath, labFile(devices, hostOf))) {
        result.problem = QStringLiteral("cannot write %1").arg(labPath);
        return result;
    }
    QElapsedTimer clock;
    clock.start();
    test::Alabos scheduler;
    scheduler.process.setStandardErrorFile(dir + QStringLiteral("/scheduler.log"));
    const QString db = scheduler.startLab(bin, labPath, dir + QStringLiteral("/scheduler"));
    if (db.isEmpty()) {
        result.problem = QStringLiteral("the scheduler did not start: ") + scheduler.text();
        return result;
    }
    std::vector<std::unique_ptr<test::Alabos>> hostProcesses;
    for (int h = 0; h < hosts; ++h) {
        auto host = std::make_unique<test::Alabos>();
        const QString name = QStringLiteral("pc-%1").arg(h);
        host->process.setStandardErrorFile(dir + QStringLiteral("/%1.log").arg(name));
        host->process.setStandardOutputFile(dir + QStringLiteral("/%1.out").arg(name));
        host->start(bin, {QStringLiteral("--drivers-only"), QStringLiteral("--lab"), labPath,
                          QStringLiteral("--host"), name, QStringLiteral("--database-url"), db,
                          QStringLiteral("--data-dir"), dir + QLatin1Char('/') + name});
        hostProcesses.push_back(std::move(host));
    }
    const QString done = QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'");
    QList<QPair<double, qint64>> points; // seconds since the start, completed
    const bool finished = scheduler.waitUntil(
        [&] {
            points.append({clock.elapsed() / 1000.0, count(db, done)});
            if (points.last().second >= tasks) return true;
            scheduler.read(200);
            return false;
        },
        600000);
    result.wallS = clock.elapsed() / 1000.0;
    result.completed = count(db, done);
    result.completedEvents =
        count(db, QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.completed'"));
    if (!finished) {
        result.problem =
            QStringLiteral("%1 of %2 tasks completed after 600 s").arg(result.completed).arg(tasks);
        return result;
    }
    // The rate between 10 % and 90 % done: submissions and the last stragglers left out.
    auto timeAt = [&](double share) {
        const double target = share * tasks;
        for (qsizetype i = 1; i < points.size(); ++i) {
            if (points[i].second < target) continue;
            const auto &[t0, n0] = points[i - 1];
            const auto &[t1, n1] = points[i];
            return n1 == n0 ? t1 : t0 + (t1 - t0) * (target - n0) / double(n1 - n0);
        }
        return points.last().first;
    };
    // Start-up and the last stragglers left out.
    const double span = timeAt(0.9) - timeAt(0.1);
    result.tasksPerS = span > 0 ? 0.8 * tasks / span : 0;
    result.firstTenthS = timeAt(0.1);
    return result;
}

} // namespace

QJsonObject runDriverHostsScheduler(const BenchContext &context)
{
    QString bin = qEnvironmentVariable("ALABOS_BIN");
    if (bin.isEmpty()) bin = QCoreApplication::applicationDirPath() + QStringLiteral("/alabos");
    const int hosts = qBound(1, intArgument(context.args, QStringLiteral("--driver-hosts"), 4), 64);
    const int devices = qBound(
        hosts, intArgument(context.args, QStringLiteral("--devices"), context.quick ? 100 : 10000),
        10000);
    int tasks = qBound(
        kTasksPerWorkflow,
        intArgument(context.args, QStringLiteral("--tasks"), context.quick ? 2000 : 50000), 200000);
    tasks -= tasks % kTasksPerWorkflow; // whole workflows
    QJsonObject out{{QStringLiteral("driver_hosts"), hosts},
                    {QStringLiteral("devices"), devices},
                    {QStringLiteral("tasks"), tasks}};
    for (const bool remote : {false, true}) {
        std::fprintf(stderr, "%s: %d devices, %d tasks...\n",
                     remote ? "over driver hosts" : "in process", devices, tasks);
        const RunResult r = runLab(bin, devices, remote ? hosts : 0, tasks);
        const QString prefix = remote ? QStringLiteral("remote_") : QStringLiteral("local_");
        if (!r.problem.isEmpty()) {
            out.insert(prefix + QStringLiteral("problem"), r.problem);
            std::fprintf(stderr, "%s\n", qPrintable(r.problem));
            continue;
        }
        out.insert(prefix + QStringLiteral("tasks_per_s"), r.tasksPerS);
        out.insert(prefix + QStringLiteral("wall_s"), r.wallS);
        out.insert(prefix + QStringLiteral("first_tenth_s"), r.firstTenthS);
        out.insert(prefix + QStringLiteral("tasks_completed"), r.completed);
        out.insert(prefix + QStringLiteral("task_completed_events"), r.completedEvents);
    }
    bool ok = true;
    for (const char *prefix : {"local_", "remote_"}) {
        const QString p = QLatin1StringView(prefix);
        ok = ok && !out.contains(p + QStringLiteral("problem")) &&
             out.value(p + QStringLiteral("tasks_completed")).toInteger() == tasks &&
             out.value(p + QStringLiteral("task_completed_events")).toInteger() == tasks;
    }
    out.insert(QStringLiteral("ok"), ok);
    const double local = out.value(QStringLiteral("local_tasks_per_s")).toDouble();
    if (local > 0)
        out.insert(QStringLiteral("remote_over_local"),
                   out.value(QStringLiteral("remote_tasks_per_s")).toDouble() / local);
    return out;
}

} // namespace alabos::bench
