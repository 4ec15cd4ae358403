// alabos-bench ui, the schedule's part: the prediction and the timeline with 10,000 devices and
// 100,000 queued tasks, and the prediction's error over a simulated lab day run by the real
// engine (EngineLab: LabEngine, StorageWriter on PostgreSQL, simulated devices).
#include "tests/benchmarks/bench.h"
#include "tests/support/enginelab.h"
#include "ui/schedulehistory.h"
#include "ui/schedulepanel.h"
#include "ui/scheduleview.h"

#include <QElapsedTimer>
#include <QPainter>
#include <QPixmap>
#include <QRandomGenerator>
#include <QScrollBar>
#include <cmath>
#include <cstdio>
#include <pqxx/pqxx>

namespace alabos::bench {

namespace {

struct Step
{
    const char *name;
    const char *type;
    double seconds;
};
// demo-synthesis, as workflowtemplate.cpp builds it.
const Step kSteps[] = {{"dose", "dosing_station", 40}, {"weigh", "balance", 15},
                       {"load", "robot_arm", 20},      {"fire", "box_furnace", 240},
                       {"grind", "grinder", 60},       {"measure", "xrd", 120}};
constexpr int kStepCount = 6;

// A lab of `devices` devices (the steps' types in turn) with `queued` tasks waiting: chains of
// six steps, the first ready, the others waiting for it; 60% of the devices busy.
ScheduleSnapshot bigQueue(int devices, int queued, DurationTable *durations)
{
    ScheduleSnapshot s;
    s.nowUs = nowMicros();
    QRandomGenerator rng(7);
    for (int i = 0; i < devices; ++i) {
        const Step &step = kSteps[i % kStepCount];
        ScheduleDevice d;
        d.id = QString::fromLatin1(step.type) + u'-' + QString::number(i / kStepCount + 1);
        d.type = QString::fromLatin1(step.type);
        d.status = DeviceStatus::Idle;
        s.devices.append(d);
    }
    TaskId id = 1;
    // What runs now.
    for (int i = 0; i < devices; ++i) {
        if (rng.bounded(10) >= 6) continue;
        const Step &step = kSteps[i % kStepCount];
        ScheduleTask t;
        t.id = id++;
        t.workflowId = 1000000 + t.id;
        t.templateName = QStringLiteral("demo-synthesis");
        t.step = QString::fromLatin1(step.name);
        t.deviceType = t.types.emplace_back(QString::fromLatin1(step.type));
        t.status = TaskStatus::Running;
        t.deviceId = s.devices[i].id;
        t.startedUs = s.nowUs - qint64(rng.bounded(step.seconds)) * 1000000;
        t.expectedS = step.seconds;
        s.devices[i].status = DeviceStatus::Busy;
        s.devices[i].runningTask = t.id;
        s.tasks.append(t);
    }
    // What waits: whole workflows, submitted over the last hour.
    const int workflows = queued / kStepCount;
    for (int w = 0; w < workflows; ++w) {
        const qint64 created =
            s.nowUs - 3600LL * 1000000 + qint64(w) * 3600LL * 1000000 / workflows;
        const int prio = rng.bounded(10) < 2 ? 75 : 50;
        for (int k = 0; k < kStepCount; ++k) {
            ScheduleTask t;
            t.id = id++;
            t.workflowId = w + 1;
            t.templateName = QStringLiteral("demo-synthesis");
            t.step = QString::fromLatin1(kSteps[k].name);
            t.deviceType = t.types.emplace_back(QString::fromLatin1(kSteps[k].type));
            t.priority = prio;
            t.samples = {SampleId(w + 1)};
            t.expectedS = kSteps[k].seconds;
            t.startsWorkflow = k == 0;
            t.pendingDeps = k == 0 ? 0 : 1;
            t.status = k == 0 ? TaskStatus::Ready : TaskStatus::Waiting;
            if (k == 0) {
                t.rank = created - qint64(prio) * 1000000;
                t.seq = w + 1;
            }
            if (k + 1 < kStepCount) t.successors = {t.id + 1};
            s.tasks.append(t);
        }
    }
    for (const Step &step : kSteps)
        durations->insert(durationKey(QStringLiteral("demo-synthesis"),
                                      QString::fromLatin1(step.name),
                                      QString::fromLatin1(step.type)),
                          {step.seconds, step.seconds * 0.9, step.seconds * 1.15, 50});
    return s;
}

QList<double> absolute(QList<double> v)
{
    for (double &x : v)
        x = std::abs(x);
    return v;
}

double median(QList<double> v)
{
    return percentile(std::move(v), 50);
}

} // namespace

QJsonObject runScheduleTimeline(SchedulePanel *panel, bool quick)
{
    const int devices = 10000;
    const int queued = quick ? 20000 : 100000;
    DurationTable durations;
    const ScheduleSnapshot snapshot = bigQueue(devices, queued, &durations);
    std::fprintf(stderr, "ui: schedule: %d devices, %lld tasks (%d queued)\n", devices,
                 qlonglong(snapshot.tasks.size()), queued);
    QList<double> predictMs;
    SchedulePrediction prediction;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        prediction = predictSchedule(snapshot, durations);
        predictMs << t.nsecsElapsed() / 1e6;
    }
    qint64 predicted = 0;
    for (const PredictedTask &t : prediction.tasks)
        predicted += t.why == PredictedTask::Why::Predicted;
    QElapsedTimer show;
    show.start();
    panel->showPrediction(snapshot, prediction);
    const double showMs = show.nsecsElapsed() / 1e6;

    // Paint what is in sight, at each zoom, and while scrolling down the fleet and along time.
    ScheduleView *view = panel->view();
    QPixmap target(view->viewport()->size());
    auto paintOnce = [&] {
        QElapsedTimer t;
        t.start();
        QPainter p(&target);
        view->paintInto(p);
        return t.nsecsElapsed() / 1e6;
    };
    QList<double> zoomMs;
    for (double span : {600.0, 3600.0, 43200.0, 86400.0, 7 * 86400.0}) {
        view->setSpanSeconds(span);
        paintOnce();
        zoomMs << paintOnce();
    }
    view->setSpanSeconds(3 * 3600.0);
    QList<double> scrollMs;
    QScrollBar *v = view->verticalScrollBar();
    QScrollBar *h = view->horizontalScrollBar();
    for (int i = 0; i < 100; ++i) {
        v->setValue(v->maximum() * i / 99);
        h->setValue(h->minimum() + (h->maximum() - h->minimum()) * (i % 10) / 9);
        scrollMs << paintOnce();
    }
    std::fprintf(stderr,
                 "ui: schedule: predicted in %.0f ms (median of 3), shown in %.0f ms, paint p50 "
                 "%.1f ms max %.1f ms (zooms), scroll frame p50 %.1f ms p99 %.1f ms\n",
                 median(predictMs), showMs, median(zoomMs), percentile(zoomMs, 100),
                 median(scrollMs), percentile(scrollMs, 99));
    return {
        {QStringLiteral("schedule_devices"), devices},
        {QStringLiteral("schedule_tasks"), snapshot.tasks.size()},
        {QStringLiteral("schedule_predicted_tasks"), predicted},
        {QStringLiteral("schedule_predict_ms"), median(predictMs)},
        {QStringLiteral("schedule_show_ms"), showMs},
        {QStringLiteral("schedule_paint_p50_ms"), median(zoomMs)},
        {QStringLiteral("schedule_paint_max_ms"), percentile(zoomMs, 100)},
        {QStringLiteral("schedule_scroll_frame_p50_ms"), median(scrollMs)},
        {QStringLiteral("schedule_scroll_frame_p99_ms"), percentile(scrollMs, 99)},
        {QStringLiteral("schedule_viewport"),
         QStringLiteral("%1x%2").arg(view->viewport()->width()).arg(view->viewport()->height())}};
}

QJsonObject runSchedulePredictionError(bool quick, const QStringList &args)
{
    // A small lab runs demo-synthesis for a lab day, faster than life: the real engine on
    // PostgreSQL with simulated devices (their durations vary by +-10%). Every half hour of
    // lab time the schedule is predicted as the console does (the engine's snapshot, the
    // durations from the database's history); at the end each prediction of a workflow that
    // finished is compared with its real finish.
    double acceleration = quick ? 3000 : 600;
    double labHours = quick ? 2 : 24;
    double meanArrivalS = 90; // the furnaces (3 x 240 s, one per 80 s) are about 90% busy
    for (int i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1StringView("--lab-hours")) labHours = args[i + 1].toDouble();
        if (args[i] == QLatin1StringView("--acceleration")) acceleration = args[i + 1].toDouble();
        // Below 80 s the queue grows all day: predictions hours ahead.
        if (args[i] == QLatin1StringView("--arrival-s")) meanArrivalS = args[i + 1].toDouble();
    }
    const double warmUpS = quick ? 1800 : 3600; // the history fills first
    const double everyS = 1800;
    QList<DeviceSpec> specs;
    const QList<std::pair<QString, int>> fleet{
        {QStringLiteral("dosing_station"), 1}, {QStringLiteral("balance"), 1},
        {QStringLiteral("robot_arm"), 1},      {QStringLiteral("box_furnace"), 3},
        {QStringLiteral("grinder"), 1},        {QStringLiteral("xrd"), 2}};
    for (const auto &[type, n] : fleet)
        for (int i = 1; i <= n; ++i)
            specs.append({type + u'-' + QString::number(i), type, {}});
    const QString conn = test::TestDatabase::instance().createDatabase();
    test::EngineLab lab(conn, specs, {}, acceleration);
    // Aging counts real seconds: at 600x one priority point would be ten lab minutes, and a
    // high-priority arrival would pass hours of queued work. One point per lab second, as in
    // a lab that runs in real time.
    lab.engine.setAgingSecondsPerPoint(1.0 / acceleration);
    if (!lab.start()) return {{QStringLiteral("schedule_error"), QStringLiteral("no lab")}};
    pqxx::connection db(conn.toStdString());

    QRandomGenerator rng(11);
    QHash<WorkflowId, QList<std::pair<qint64, qint64>>> predictions; // wf -> (made, finish)
    QHash<WorkflowId, QList<std::pair<qint64, qint64>>> withMeans;
    QElapsedTimer clock;
    clock.start();
    auto labNow = [&] { return clock.nsecsElapsed() / 1e9 * acceleration; };
    double nextArrival = 0, nextPrediction = warmUpS;
    int submitted = 0, predictionRuns = 0;
    QList<double> predictMs;
    std::fprintf(stderr, "ui: schedule error: a lab day of %.0f h at %.0fx (%.0f s)\n", labHours,
                 acceleration, labHours * 3600 / acceleration);
    while (labNow() < labHours * 3600) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
        const double now = labNow();
        while (now >= nextArrival) {
            lab.engine.submitWorkflow(QStringLiteral("demo-synthesis"),
                                      {QStringLiteral("DAY-%1").arg(++submitted)},
                                      rng.bounded(10) < 2 ? 75 : 50);
            nextArrival += -std::log(1.0 - rng.generateDouble()) * meanArrivalS;
        }
        if (now >= nextPrediction) {
            nextPrediction += everyS;
            ScheduleSnapshot snapshot = lab.engine.scheduleSnapshot();
            // The template's durations are lab time; the devices run faster than life.
            for (ScheduleTask &t : snapshot.tasks)
                t.expectedS /= acceleration;
            const DurationTable durations = readDurationHistory(db);
            QElapsedTimer t;
            t.start();
            const SchedulePrediction p = predictSchedule(snapshot, durations);
            predictMs << t.nsecsElapsed() / 1e6;
            ++predictionRuns;
            for (auto it = p.workflowFinishUs.cbegin(); it != p.workflowFinishUs.cend(); ++it)
                if (it.value() > 0) predictions[it.key()].append({snapshot.nowUs, it.value()});
            // The same with each step's mean instead of its median, for comparison.
            DurationTable means = durations;
            for (DurationStats &d : means)
                if (d.meanS > 0) d.medianS = d.meanS;
            const SchedulePrediction m = predictSchedule(snapshot, means);
            for (auto it = m.workflowFinishUs.cbegin(); it != m.workflowFinishUs.cend(); ++it)
                if (it.value() > 0) withMeans[it.key()].append({snapshot.nowUs, it.value()});
        }
    }
    QList<double> errors, signedErrors, farErrors, meanErrors;
    {
        pqxx::read_transaction tx(db);
        const pqxx::result r =
            tx.exec("SELECT id, (extract(epoch FROM finished_at) * 1000000)::bigint FROM workflows "
                    "WHERE status = 'completed'");
        for (const auto &row : r) {
            const qint64 actual = row[1].as<qint64>();
            for (const auto &[made, finish] : withMeans.value(row[0].as<qint64>()))
                meanErrors << (finish - actual) / 1e6 * acceleration;
            const auto it = predictions.constFind(row[0].as<qint64>());
            if (it == predictions.cend()) continue;
            for (const auto &[made, finish] : *it) {
                const double err = (finish - actual) / 1e6 * acceleration; // lab seconds
                errors << std::abs(err);
                signedErrors << err;
                if ((actual - made) / 1e6 * acceleration > 3600) farErrors << std::abs(err);
            }
        }
    }
    std::fprintf(stderr,
                 "ui: schedule error: %d workflows submitted, %d predictions, %lld compared: "
                 "|error| median %.0f s, p90 %.0f s (lab time); more than an hour ahead: median "
                 "%.0f s, p90 %.0f s (%lld)\n",
                 submitted, predictionRuns, qlonglong(errors.size()), median(errors),
                 percentile(errors, 90), median(farErrors), percentile(farErrors, 90),
                 qlonglong(farErrors.size()));
    return {{QStringLiteral("schedule_lab_hours"), labHours},
            {QStringLiteral("schedule_mean_arrival_s"), meanArrivalS},
            {QStringLiteral("schedule_acceleration"), acceleration},
            {QStringLiteral("schedule_workflows_submitted"), submitted},
            {QStringLiteral("schedule_predictions_compared"), errors.size()},
            {QStringLiteral("schedule_prediction_error_median_s"), median(errors)},
            {QStringLiteral("schedule_prediction_error_p90_s"), percentile(errors, 90)},
            {QStringLiteral("schedule_prediction_bias_median_s"), median(signedErrors)},
            {QStringLiteral("schedule_prediction_error_over_1h_median_s"), median(farErrors)},
            {QStringLiteral("schedule_prediction_error_over_1h_p90_s"), percentile(farErrors, 90)},
            {QStringLiteral("schedule_day_predict_ms_max"), percentile(predictMs, 100)},
            {QStringLiteral("schedule_prediction_with_means_bias_median_s"), median(meanErrors)},
            {QStringLiteral("schedule_prediction_with_means_error_median_s"),
             median(absolute(meanErrors))},
            {QStringLiteral("schedule_prediction_with_means_error_p90_s"),
             percentile(absolute(meanErrors), 90)}};
}

} // namespace alabos::bench
