#include "app/headlessreporter.h"

#include "app/labruntime.h"

#include <cstdio>

namespace alabos {

HeadlessReporter::HeadlessReporter(LabRuntime *runtime, int intervalMs, QObject *parent)
    : QObject(parent), m_runtime(runtime), m_out(stdout)
{
    m_clock.start();
    if (runtime->consoleOnly()) {
        runtime->subscribeFeed(this, [this](const FeedUpdate &update) { onFeed(update); });
        connect(&m_timer, &QTimer::timeout, this, &HeadlessReporter::printFleet);
    } else {
        connect(&m_timer, &QTimer::timeout, this, &HeadlessReporter::printProgress);
    }
    m_timer.start(intervalMs);
}

void HeadlessReporter::onFeed(const FeedUpdate &update)
{
    if (update.reset) m_fleet.clear();
    for (const DeviceState &d : update.devices)
        m_fleet.insert(d.id, d.status);
}

void HeadlessReporter::printFleet()
{
    QMap<int, qint64> byStatus;
    for (const DeviceStatus s : std::as_const(m_fleet))
        ++byStatus[int(s)];
    QStringList counts;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        counts << QStringLiteral("%1 %2").arg(toString(DeviceStatus(it.key()))).arg(it.value());
    const SchedulerInfo s = m_runtime->schedulerInfo();
    const QString scheduler =
        s.running ? tr("scheduler %1 pid %2").arg(s.host).arg(s.pid)
                  : tr("scheduler UNREACHABLE (last: %1 pid %2)").arg(s.host).arg(s.pid);
    // The newest event applied: the fleet is the database's as of that event once every
    // older one has arrived (tst_secondconsole compares exactly that).
    const FeedStats f = m_runtime->feedStats();
    m_out << tr("[%1 s] console: fleet %2 devices (%3) | %4 | consumer lag %5 | through event %6")
                 .arg(m_clock.elapsed() / 1000, 4)
                 .arg(m_fleet.size())
                 .arg(counts.join(QStringLiteral(", ")), scheduler)
                 .arg(f.lag)
                 .arg(f.lastEventId)
          << Qt::endl;
}

void HeadlessReporter::printProgress()
{
    const EngineStats e = m_runtime->engineStats();
    const FeedStats f = m_runtime->feedStats();
    const qint64 ms = m_clock.elapsed();
    const qint64 published = m_runtime->eventsPublished();
    const double rate =
        ms > m_lastMs ? (published - m_lastPublished) * 1000.0 / (ms - m_lastMs) : 0;
    m_lastPublished = published;
    m_lastMs = ms;
    m_out << QStringLiteral("[%1 s] tasks completed %2, running %3, waiting %4, failed %5 | "
                            "events/s %6 | consumer lag %7%8%9%10")
                 .arg(ms / 1000, 4)
                 .arg(e.tasksCompleted)
                 .arg(e.runningTasks)
                 .arg(e.waitingForDevice)
                 .arg(e.tasksFailed)
                 .arg(rate, 0, 'f', 0)
                 .arg(f.lag)
                 .arg(m_runtime->databaseConnected() ? QString() : tr(" | DATABASE UNREACHABLE"))
                 .arg(m_runtime->brokerHealthy() ? QString() : tr(" | KAFKA UNREACHABLE"))
                 .arg(telemetryLine())
          << Qt::endl;
}

QString HeadlessReporter::telemetryLine() const
{
    const TelemetryCounters t = m_runtime->telemetryCounters();
    const PersisterStats p = m_runtime->persisterStats();
    return tr(" | telemetry produced %1, persisted %2, lost %3, dead-lettered %4%5")
        .arg(t.produced)
        .arg(p.persisted)
        .arg(p.lost)
        .arg(p.deadLettered + m_runtime->feedStats().deadLettered)
        .arg(m_runtime->telemetryBackPressure() ? tr(" (BACK-PRESSURE)") : QString());
}

void HeadlessReporter::printSummary()
{
    if (m_runtime->consoleOnly()) {
        printFleet();
        return;
    }
    const EngineStats e = m_runtime->engineStats();
    const FeedStats f = m_runtime->feedStats();
    // Every counter is of this run; work recovered from before the start is named as such.
    m_out << tr("alabos summary: ran %1 s with %2 devices; tasks completed %3, failed %4, "
                "retried after a failure %5, taken over from before the start %6; workflows "
                "submitted %7, completed %8, failed %9 (of the finished, %10 were submitted before "
                "this start); events published %11; events seen by the console %12; consumer lag "
                "%13")
                 .arg(m_clock.elapsed() / 1000.0, 0, 'f', 1)
                 .arg(m_runtime->deviceCount())
                 .arg(e.tasksCompleted)
                 .arg(e.tasksFailed)
                 .arg(e.tasksRetried)
                 .arg(e.recoveredTasks)
                 .arg(e.workflowsSubmitted)
                 .arg(e.workflowsCompleted)
                 .arg(e.workflowsFailed)
                 .arg(e.workflowsFinishedFromBefore)
                 .arg(m_runtime->eventsPublished())
                 .arg(f.eventsApplied)
                 .arg(f.lag)
          << telemetryLine() << Qt::endl;
}

} // namespace alabos
