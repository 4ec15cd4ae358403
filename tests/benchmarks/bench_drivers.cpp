// alabos-bench drivers [--quick] [--devices N] [--seconds S] [--threads T]: CPU used by N
// simulated devices on a pool of T threads emitting telemetry at 1 Hz, idle and then with
// every device running commands back to back.
#include "core/drivers/driverpool.h"
#include "core/drivers/simulateddevice.h"
#include "tests/benchmarks/bench.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <atomic>
#include <cstdio>

namespace alabos::bench {

namespace {
int argValue(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

// CPU percent of one core over a window in which the event loop keeps running.
double measureCpu(double seconds)
{
    const double cpu0 = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    QTest::qWait(int(seconds * 1000));
    return 100.0 * (cpuSeconds() - cpu0) / (wall.elapsed() / 1000.0);
}
} // namespace

QJsonObject runDrivers(const BenchContext &context)
{
    const int devices =
        argValue(context.args, QStringLiteral("--devices"), context.quick ? 500 : 10000);
    const int seconds = argValue(context.args, QStringLiteral("--seconds"), context.quick ? 2 : 30);
    const int threads = argValue(context.args, QStringLiteral("--threads"), 2);
    registerDriverMetaTypes();
    DriverPool pool(threads);
    const QStringList types = SimulatedDevice::knownTypes();
    std::atomic<qint64> readings{0};
    qint64 connected = 0, finished = 0, failed = 0;
    QObject controller; // stands in for the engine: re-dispatches each finished command
    qint64 nextId = 1;
    const double commandS = context.quick ? 0.5 : 10; // 10 s: devices / 10 completions a second
    bool commandsOn = false;
    for (int i = 0; i < devices; ++i) {
        auto *d = new SimulatedDevice(QStringLiteral("dev-%1").arg(i), types[i % types.size()], 1);
        QObject::connect(d, &DeviceDriver::connectionChanged, &controller,
                         [&](const QString &, bool up) { connected += up; });
        QObject::connect(d, &DeviceDriver::commandFinished, &controller,
                         [&, d](const CommandResult &r) {
                             ++finished;
                             failed += !r.ok;
                             if (commandsOn)
                                 pool.execute({nextId++,
                                               d->id(),
                                               d->describe().first().name,
                                               {{QStringLiteral("duration_s"), commandS}},
                                               0});
                         });
        pool.add(d);
    }
    pool.connectAll();
    while (connected < devices)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    std::fprintf(stderr, "drivers: %d devices connected on %d threads\n", devices,
                 pool.threadCount());

    TelemetryOptions options;
    options.rateHz = 1;
    // The sink stands in for the Kafka publisher: it only counts, so this measures the drivers.
    options.sink = [&](QList<TelemetryReading> &&batch) { readings += batch.size(); };
    pool.setTelemetry(options);
    QTest::qWait(1500); // first ticks
    qint64 r0 = readings;
    const double idleCpu = measureCpu(seconds);
    const double idleRate = double(readings - r0) / seconds;
    std::fprintf(stderr, "drivers: telemetry only: %.1f %% CPU, %.0f readings/s\n", idleCpu,
                 idleRate);

    // Every device busy: commands back to back.
    commandsOn = true;
    for (DeviceDriver *d : pool.drivers())
        pool.execute({nextId++,
                      d->id(),
                      d->describe().first().name,
                      {{QStringLiteral("duration_s"), commandS}},
                      0});
    QTest::qWait(int(commandS * 1000) + 1500); // past the first round
    r0 = readings;
    const qint64 f0 = finished;
    const double busyCpu = measureCpu(seconds);
    const double busyRate = double(readings - r0) / seconds;
    const double commandRate = double(finished - f0) / seconds;
    commandsOn = false;
    std::fprintf(stderr, "drivers: busy: %.1f %% CPU, %.0f readings/s, %.0f commands/s\n", busyCpu,
                 busyRate, commandRate);
    const TelemetryStats stats = pool.telemetryStats();
    pool.shutdown();
    return {{QStringLiteral("devices"), devices},
            {QStringLiteral("threads"), threads},
            {QStringLiteral("telemetry_hz"), 1},
            {QStringLiteral("window_s"), seconds},
            {QStringLiteral("idle_cpu_pct"), qRound(idleCpu * 10) / 10.0},
            {QStringLiteral("idle_readings_per_s"), qRound(idleRate)},
            {QStringLiteral("busy_cpu_pct"), qRound(busyCpu * 10) / 10.0},
            {QStringLiteral("busy_readings_per_s"), qRound(busyRate)},
            {QStringLiteral("commands_per_s"), qRound(commandRate)},
            {QStringLiteral("commands_failed"), failed},
            {QStringLiteral("skipped_ticks"), stats.skippedTicks},
            {QStringLiteral("peak_rss_mb"), qRound(peakRssMb())}};
}

} // namespace alabos::bench
