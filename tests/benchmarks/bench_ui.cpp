// alabos-bench ui: the real main window (every panel, installPanels as the app does),
// offscreen, with a large fleet and the state feed's batches arriving at full rate.
//
// The batches are generated on a worker thread exactly as StateFeed emits them (20 a second,
// queued to the UI thread, each the latest state of the devices and tasks that changed plus
// the newest 2,000 applied events), because the embedded broker cannot sustain 100,000
// events/s through the relay and the feed on this machine's two cores. What is measured is
// the UI side: how late a 5 ms timer on the UI thread fires (event-loop stall), how many
// batches the models take per second, and the process's peak memory.
#include "tests/benchmarks/bench.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"
#include "ui/schedulepanel.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <cstdio>

namespace alabos::bench {

QJsonObject runScheduleTimeline(SchedulePanel *panel, bool quick);           // bench_schedule.cpp
QJsonObject runSchedulePredictionError(bool quick, const QStringList &args); // bench_schedule.cpp

namespace {

const QStringList kTypes{QStringLiteral("balance"),        QStringLiteral("box_furnace"),
                         QStringLiteral("dosing_station"), QStringLiteral("grinder"),
                         QStringLiteral("robot_arm"),      QStringLiteral("xrd")};
const QStringList kSteps{QStringLiteral("dose"),  QStringLiteral("weigh"),
                         QStringLiteral("load"),  QStringLiteral("fire"),
                         QStringLiteral("grind"), QStringLiteral("measure")};

QString deviceName(int i)
{
    return kTypes[i % kTypes.size()] + u'-' + QString::number(i / kTypes.size() + 1);
}

// Plays the state feed: a lab whose devices and tasks change at `changesPerBatch` per batch.
class FeedSimulator : public QObject
{
    Q_OBJECT
public:
    FeedSimulator(int devices, int changesPerBatch, int activeTasks)
        : m_devices(devices), m_changes(changesPerBatch), m_activeTasks(activeTasks)
    {
    }

    FeedUpdate snapshot()
    {
        FeedUpdate u;
        u.reset = true;
        for (int i = 0; i < m_devices; ++i)
            u.devices.append(device(i, DeviceStatus::Idle));
        for (int i = 0; i < m_activeTasks; ++i)
            u.tasks.append(newTask());
        return u;
    }

    qint64 eventsSent() const { return m_events; }

public Q_SLOTS:
    void start()
    {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(50);
        connect(m_timer, &QTimer::timeout, this, &FeedSimulator::emitBatch);
        m_timer->start();
    }
    void stop()
    {
        if (m_timer) m_timer->stop();
    }

Q_SIGNALS:
    void updated(const alabos::FeedUpdate &update);
    void statsChanged(const alabos::FeedStats &stats);

private:
    DeviceState device(int i, DeviceStatus status)
    {
        return {deviceName(i), kTypes[i % kTypes.size()], status, 0, 0, nowMicros()};
    }

    TaskState newTask()
    {
        TaskState t;
        t.id = ++m_lastTask;
        t.workflowId = 1 + t.id / 6;
        t.name = kSteps[t.id % kSteps.size()];
        t.deviceType = kTypes[t.id % kTypes.size()];
        t.createdUs = nowMicros();
        m_open.append(t.id);
        return t;
    }

    void emitBatch()
    {
        FeedUpdate u;
        QRandomGenerator *rng = QRandomGenerator::global();
        const int deviceChanges = m_changes / 2;
        const int taskChanges = m_changes - deviceChanges;
        const qint64 now = nowMicros();
        u.devices.reserve(deviceChanges);
        for (int k = 0; k < deviceChanges; ++k) {
            const int i = int(rng->bounded(m_devices));
            DeviceState d =
                device(i, rng->bounded(10) < 6 ? DeviceStatus::Busy : DeviceStatus::Idle);
            d.currentTask = d.status == DeviceStatus::Busy ? m_lastTask : 0;
            u.devices.append(d);
        }
        // Tasks move along their lifecycle: the oldest open ones start or finish, and new
        // ones arrive, so the queue stays about the same length.
        u.tasks.reserve(taskChanges);
        for (int k = 0; k < taskChanges; ++k) {
            if (k % 2 == 0 && !m_open.isEmpty()) {
                TaskState t;
                t.id = m_open.takeFirst();
                t.workflowId = 1 + t.id / 6;
                t.name = kSteps[t.id % kSteps.size()];
                t.deviceType = kTypes[t.id % kTypes.size()];
                t.deviceId = deviceName(int(t.id % m_devices));
                t.status = TaskStatus::Completed;
                t.startedUs = now - 1000000 * (1 + t.id % 240);
                t.finishedUs = now;
                u.tasks.append(t);
            } else {
                TaskState t = newTask();
                t.status = k % 3 ? TaskStatus::Waiting : TaskStatus::Running;
                u.tasks.append(t);
            }
        }
        if (k_workflowEvery > 0 && m_batches % k_workflowEvery == 0)
            u.workflows.append({m_batches,
                                QStringLiteral("demo-synthesis"),
                                QStringLiteral("completed"),
                                {m_batches},
                                now,
                                now});
        // The events the feed applied: one per change, the newest 2,000 travel with the batch.
        const int events = int(u.devices.size() + u.tasks.size() + u.workflows.size());
        const int carried = std::min(events, int(StateFeed::MaxEventsPerBatch));
        u.eventsOmitted = events - carried;
        u.events.reserve(carried);
        for (int k = events - carried; k < events; ++k) {
            const bool isDevice = k < u.devices.size();
            Event e;
            e.id = ++m_eventId;
            e.timeUs = now;
            if (isDevice) {
                e.entityType = QString::fromLatin1(entity::Device);
                e.entityId = u.devices[k].id;
                e.kind = QStringLiteral("device.status");
                e.payload = u.devices[k].toJson();
            } else if (k - u.devices.size() < u.tasks.size()) {
                const TaskState &t = u.tasks[k - u.devices.size()];
                e.entityType = QString::fromLatin1(entity::Task);
                e.entityId = QString::number(t.id);
                e.kind = QStringLiteral("task.") + toString(t.status);
                e.payload = t.toJson();
            } else {
                e.entityType = QString::fromLatin1(entity::Workflow);
                e.entityId = QString::number(m_batches);
                e.kind = QStringLiteral("workflow.finished");
            }
            u.events.append(e);
        }
        m_eventId += u.eventsOmitted;
        m_events += events;
        ++m_batches;
        Q_EMIT updated(u);
        FeedStats stats;
        stats.eventsApplied = m_events;
        stats.lastEventId = m_eventId;
        stats.lag = rng->bounded(200);
        Q_EMIT statsChanged(stats);
    }

    static constexpr int k_workflowEvery = 2;
    int m_devices;
    int m_changes;
    int m_activeTasks;
    QTimer *m_timer = nullptr;
    TaskId m_lastTask = 0;
    QList<TaskId> m_open;
    EventId m_eventId = 0;
    qint64 m_events = 0;
    qint64 m_batches = 0;
};

// Lateness of a 5 ms timer on the UI thread: how long the event loop was busy elsewhere.
class StallProbe : public QObject
{
public:
    explicit StallProbe(QObject *parent) : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double elapsedMs = m_clock.nsecsElapsed() / 1e6;
            m_clock.restart();
            if (m_recording) m_lateness.append(std::max(0.0, elapsedMs - 5.0));
        });
    }
    void start()
    {
        m_clock.start();
        m_timer.start();
    }
    void record(bool on) { m_recording = on; }
    QList<double> takeSamples() { return std::exchange(m_lateness, {}); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    QList<double> m_lateness;
    bool m_recording = false;
};

void spin(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

QJsonObject phase(const QString &name, const QList<double> &lateness, qint64 batches,
                  double seconds)
{
    return {{QStringLiteral("phase"), name},
            {QStringLiteral("stall_p50_ms"), percentile(lateness, 50)},
            {QStringLiteral("stall_p99_ms"), percentile(lateness, 99)},
            {QStringLiteral("stall_max_ms"), percentile(lateness, 100)},
            {QStringLiteral("refreshes_per_s"), batches / seconds}};
}

} // namespace

QJsonObject runUi(const BenchContext &context)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "alabos-bench";
    static char *argv[] = {name, nullptr};
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("alabos-bench")); // not the user's layout
    registerMetaTypes();

    int devices = context.quick ? 2000 : 10000;
    int changes = context.quick ? 1000 : 5000;
    double seconds = context.quick ? 2 : 20; // per phase
    for (int i = 0; i + 1 < context.args.size(); ++i) {
        if (context.args[i] == QLatin1StringView("--devices"))
            devices = context.args[i + 1].toInt();
        else if (context.args[i] == QLatin1StringView("--changes"))
            changes = context.args[i + 1].toInt();
        else if (context.args[i] == QLatin1StringView("--seconds"))
            seconds = context.args[i + 1].toDouble();
    }
    const int activeTasks = devices * 2;

    LabModels models;
    ConsoleSession session;
    ConsoleServices services;
    MainWindow window(&models, &session, &services);
    window.resize(1600, 1000);
    window.show();

    QThread feedThread;
    feedThread.setObjectName(QStringLiteral("bench-feed"));
    FeedSimulator feed(devices, changes, activeTasks);
    std::fprintf(stderr, "ui: %d devices, %d active tasks, %d changes per batch at 20 Hz\n",
                 devices, activeTasks, changes);
    QElapsedTimer clock;
    clock.start();
    models.apply(feed.snapshot());
    std::fprintf(stderr, "ui: snapshot applied in %lld ms\n", clock.elapsed());
    feed.moveToThread(&feedThread);
    QObject::connect(&feed, &FeedSimulator::updated, &models, &LabModels::apply,
                     Qt::QueuedConnection);
    QObject::connect(&feed, &FeedSimulator::statsChanged, &models, &LabModels::setFeedStats,
                     Qt::QueuedConnection);
    qint64 batches = 0;
    QObject::connect(&models, &LabModels::applied, &models, [&batches] { ++batches; });
    feedThread.start();
    QMetaObject::invokeMethod(&feed, &FeedSimulator::start, Qt::QueuedConnection);

    StallProbe probe(&app);
    probe.start();
    spin(context.quick ? 500 : 3000); // warm up: the first batches, layouts, caches

    // Two phases: the default layout (fleet table and task queue in front), then the
    // charts and the event log in front, redrawing every second and tailing every batch.
    QJsonArray phases;
    QList<double> all;
    double totalBatches = 0;
    for (const QString &front : {QStringLiteral("fleet"), QStringLiteral("charts+log")}) {
        if (front != QLatin1StringView("fleet")) {
            for (const char *dock : {"chartsDock", "eventLogDock"})
                if (QDockWidget *d = window.panelDock(QString::fromLatin1(dock))) d->raise();
            spin(500);
        }
        probe.takeSamples();
        batches = 0;
        probe.record(true);
        QElapsedTimer phaseClock;
        phaseClock.start();
        spin(int(seconds * 1000));
        probe.record(false);
        const double elapsed = phaseClock.elapsed() / 1000.0;
        const QList<double> lateness = probe.takeSamples();
        all += lateness;
        totalBatches += batches;
        phases.append(phase(front, lateness, batches, elapsed));
        std::fprintf(
            stderr,
            "ui: %s in front: stall p50 %.2f ms, p99 %.2f ms, max %.1f ms, %.1f refreshes/s\n",
            qPrintable(front), percentile(lateness, 50), percentile(lateness, 99),
            percentile(lateness, 100), batches / elapsed);
    }
    QMetaObject::invokeMethod(&feed, &FeedSimulator::stop, Qt::BlockingQueuedConnection);
    feedThread.quit();
    feedThread.wait();
    const double total = 2 * seconds;
    const double eventsPerS = feed.eventsSent() / (clock.elapsed() / 1000.0);

    QJsonObject result{
        {QStringLiteral("devices"), devices},
        {QStringLiteral("active_tasks"), activeTasks},
        {QStringLiteral("changes_per_batch"), changes},
        {QStringLiteral("events_per_s"), qRound(eventsPerS)},
        {QStringLiteral("source"), QStringLiteral("generated FeedUpdate batches at 20 Hz")},
        {QStringLiteral("stall_p50_ms"), percentile(all, 50)},
        {QStringLiteral("stall_p99_ms"), percentile(all, 99)},
        {QStringLiteral("stall_max_ms"), percentile(all, 100)},
        {QStringLiteral("refreshes_per_s"), totalBatches / total},
        {QStringLiteral("device_rows"), models.devices()->rowCount()},
        {QStringLiteral("task_rows"), models.tasks()->rowCount()},
        {QStringLiteral("phases"), phases},
        {QStringLiteral("peak_rss_mb"), qRound(peakRssMb())},
        {QStringLiteral("ok"), true}};
    // After the figures above (peak_rss_mb is theirs): the schedule (Gantt) in front with
    // 10,000 devices and 100,000 queued tasks, then its prediction's error over a lab day.
    QJsonObject schedule;
    if (QDockWidget *d = window.panelDock(QStringLiteral("scheduleDock"))) {
        // Floating at the window's size, as an operator would look at a big lab.
        d->setFloating(true);
        d->resize(1600, 1000);
        d->show();
        d->raise();
        spin(200);
        if (auto *panel = d->findChild<SchedulePanel *>())
            schedule = runScheduleTimeline(panel, context.quick);
    }
    const QJsonObject day = runSchedulePredictionError(context.quick, context.args);
    for (const QJsonObject &part : {schedule, day})
        for (auto it = part.begin(); it != part.end(); ++it)
            result.insert(it.key(), it.value());
    result.insert(QStringLiteral("schedule_peak_rss_mb"), qRound(peakRssMb()));
    return result;
}

} // namespace alabos::bench

#include "bench_ui.moc"
