// alabos-bench SUBCOMMAND [--quick] [ARGS]: measures alabos and, in the same run, the raw
// limit of what it is built on. The last line of stdout is one JSON object.
#include "tests/benchmarks/bench.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <sys/resource.h>
#include <unistd.h>

namespace alabos::bench {

namespace {
// A "Name:   1234 kB" line of /proc/self/status, in MB.
double statusMb(const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

// utime + stime (+ cutime + cstime) of /proc/PID/stat in seconds; the parent pid in *ppid.
double processCpuSeconds(qint64 pid, bool withWaitedChildren, qint64 *ppid = nullptr)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) return 0;
    const QByteArray line = stat.readAll();
    // The command name is in parentheses and may hold spaces: the fields follow its last ')'.
    const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 15) return 0;
    if (ppid) *ppid = f.at(1).toLongLong(); // field 4
    // Fields 14-17 (utime stime cutime cstime), at index 11-14 after the name.
    double ticks = f.at(11).toDouble() + f.at(12).toDouble();
    if (withWaitedChildren) ticks += f.at(13).toDouble() + f.at(14).toDouble();
    return ticks / double(sysconf(_SC_CLK_TCK));
}
} // namespace

double serverCpuSeconds(qint64 postmaster)
{
    if (postmaster <= 0) return 0;
    double total = processCpuSeconds(postmaster, true);
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid || pid == postmaster) continue;
        qint64 parent = 0;
        const double cpu = processCpuSeconds(pid, false, &parent);
        if (parent == postmaster) total += cpu;
    }
    return total;
}

int intArgument(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

double peakRssMb()
{
    return statusMb("VmHWM:");
}

double rssMb()
{
    return statusMb("VmRSS:");
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double percentile(QList<double> samples, double p)
{
    if (samples.isEmpty()) return 0;
    std::sort(samples.begin(), samples.end());
    const qsizetype index =
        qBound<qsizetype>(0, qsizetype(p / 100.0 * (samples.size() - 1) + 0.5), samples.size() - 1);
    return samples[index];
}

QJsonObject machine()
{
    QString cpu;
    QFile info(QStringLiteral("/proc/cpuinfo"));
    if (info.open(QIODevice::ReadOnly))
        for (const QByteArray &line : info.readAll().split('\n'))
            if (line.startsWith("model name")) {
                cpu = QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
                break;
            }
    double memGb = 0;
    QFile mem(QStringLiteral("/proc/meminfo"));
    if (mem.open(QIODevice::ReadOnly))
        memGb = mem.readLine().mid(9).trimmed().split(' ').first().toDouble() / 1024.0 / 1024.0;
    return {{QStringLiteral("cores"), QThread::idealThreadCount()},
            {QStringLiteral("memory_gb"), qRound(memGb * 10) / 10.0},
            {QStringLiteral("cpu"), cpu}};
}

} // namespace alabos::bench

// Each subcommand lives in its own file; add it here.
using BenchFunction = std::function<QJsonObject(const alabos::bench::BenchContext &)>;
namespace alabos::bench {
QJsonObject runApi(const BenchContext &);       // bench_api.cpp
QJsonObject runConsoles(const BenchContext &);  // bench_consoles.cpp
QJsonObject runCsv(const BenchContext &);       // bench_csv.cpp
QJsonObject runDrivers(const BenchContext &);   // bench_drivers.cpp
QJsonObject runPipeline(const BenchContext &);  // bench_pipeline.cpp
QJsonObject runScheduler(const BenchContext &); // bench_scheduler.cpp
QJsonObject runSecurity(const BenchContext &);  // bench_security.cpp
QJsonObject runStorage(const BenchContext &);   // bench_storage.cpp
QJsonObject runUi(const BenchContext &);        // bench_ui.cpp
} // namespace alabos::bench

int main(int argc, char **argv)
{
    const std::map<QString, BenchFunction> benches{
        {QStringLiteral("api"), alabos::bench::runApi},
        {QStringLiteral("consoles"), alabos::bench::runConsoles},
        {QStringLiteral("drivers"), alabos::bench::runDrivers},
        {QStringLiteral("pipeline"), alabos::bench::runPipeline},
        {QStringLiteral("storage"), alabos::bench::runStorage},
        {QStringLiteral("ui"), alabos::bench::runUi},
        {QStringLiteral("scheduler"), alabos::bench::runScheduler},
        {QStringLiteral("security"), alabos::bench::runSecurity},
        {QStringLiteral("csv"), alabos::bench::runCsv},
    };
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (args.isEmpty() || !benches.count(args.first())) {
        QStringList names;
        for (const auto &[name, fn] : benches)
            names << name;
        std::fprintf(stderr, "usage: alabos-bench SUBCOMMAND [--quick] [ARGS]\nsubcommands: %s\n",
                     qPrintable(names.join(QStringLiteral(", "))));
        return 2;
    }
    alabos::bench::BenchContext context;
    const QString name = args.takeFirst();
    context.quick = args.removeAll(QStringLiteral("--quick")) > 0;
    context.args = args;
    // Some benchmarks need widgets (ui); they create their own QApplication.
    std::unique_ptr<QCoreApplication> app;
    if (name != QLatin1StringView("ui")) app = std::make_unique<QCoreApplication>(argc, argv);
    QJsonObject result = benches.at(name)(context);
    result.insert(QStringLiteral("bench"), name);
    result.insert(QStringLiteral("quick"), context.quick);
    result.insert(QStringLiteral("machine"), alabos::bench::machine());
    result.insert(QStringLiteral("peak_rss_mb"), result.contains(QStringLiteral("peak_rss_mb"))
                                                     ? result.value(QStringLiteral("peak_rss_mb"))
                                                     : QJsonValue(alabos::bench::peakRssMb()));
    std::fprintf(stdout, "%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return result.value(QStringLiteral("ok")).toBool(true) ? 0 : 1;
}
