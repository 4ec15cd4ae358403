// The supervisor charts: live samples from the models, history from a real PostgreSQL's
// rollups, and the PNG and CSV exports.
#include "core/storage/databasereader.h"
#include "tests/support/testdatabase.h"
#include "ui/chartspanel.h"
#include "ui/consoleservices.h"
#include "ui/labmodels.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;

namespace {
QLineSeries *lineSeries(ChartCard *card, const QString &name)
{
    for (QAbstractSeries *s : card->chart()->series())
        if (s->name() == name) return qobject_cast<QLineSeries *>(s);
    return nullptr;
}

QStringList csvLines(ChartCard *card, const QString &dir)
{
    const QString path = dir + u'/' + card->objectName() + QStringLiteral(".csv");
    QString error;
    if (!card->exportCsv(path, &error)) qWarning() << error;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

TaskState task(TaskId id, TaskStatus status, const QString &name, double seconds = 0)
{
    TaskState t;
    t.id = id;
    t.workflowId = 1;
    t.name = name;
    t.deviceType = QStringLiteral("xrd");
    t.status = status;
    if (status == TaskStatus::Completed) {
        t.startedUs = 1000000;
        t.finishedUs = t.startedUs + qint64(seconds * 1e6);
    }
    return t;
}
} // namespace

class TstChartsPanel : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { registerMetaTypes(); }

    void liveChartsFollowTheModels()
    {
        LabModels models;
        ConsoleServices services;
        FeedUpdate snapshot;
        snapshot.reset = true;
        for (int i = 0; i < 10; ++i)
            snapshot.devices.append({QStringLiteral("xrd-%1").arg(i), QStringLiteral("xrd"),
                                     i < 4 ? DeviceStatus::Busy : DeviceStatus::Idle, 0, 0, 1});
        for (int i = 0; i < 4; ++i)
            snapshot.devices.append({QStringLiteral("furnace-%1").arg(i),
                                     QStringLiteral("box_furnace"), DeviceStatus::Busy, 0, 0, 1});
        for (int i = 0; i < 7; ++i)
            snapshot.tasks.append(task(100 + i, TaskStatus::Waiting, QStringLiteral("measure")));
        for (int i = 0; i < 3; ++i)
            snapshot.tasks.append(task(200 + i, TaskStatus::Running, QStringLiteral("measure")));
        models.apply(snapshot);

        ChartsPanel panel(&models, &services);
        panel.resize(1400, 800);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.cards().size(), 6);

        // A batch: 2 workflows of 3 samples complete, 5 tasks complete (1, 2, 2, 3 and 40 s).
        FeedUpdate live;
        for (WorkflowId w : {1, 2})
            live.workflows.append({w,
                                   QStringLiteral("demo"),
                                   QStringLiteral("completed"),
                                   {w * 10, w * 10 + 1, w * 10 + 2},
                                   1,
                                   2});
        int id = 300;
        for (double s : {1.0, 2.0, 2.0, 3.0})
            live.tasks.append(task(id++, TaskStatus::Completed, QStringLiteral("measure"), s));
        live.tasks.append(task(id++, TaskStatus::Completed, QStringLiteral("fire"), 40));
        models.apply(live);
        models.apply(live); // the same states again count once
        FeedStats stats;
        stats.eventsApplied = 0;
        models.setFeedStats(stats);
        panel.sampleNow();
        QTest::qWait(200);
        stats.eventsApplied = 500;
        stats.lag = 7;
        models.setFeedStats(stats);
        panel.sampleNow();

        ChartCard *queue = panel.card(QStringLiteral("queue-depth"));
        QVERIFY(queue);
        QLineSeries *waiting = lineSeries(queue, QStringLiteral("waiting for a device"));
        QLineSeries *running = lineSeries(queue, QStringLiteral("running"));
        QVERIFY(waiting && running);
        QCOMPARE(waiting->points().last().y(), 7.0);
        QCOMPARE(running->points().last().y(), 3.0);
        QLineSeries *lag =
            lineSeries(panel.card(QStringLiteral("consumer-lag")), QStringLiteral("messages"));
        QCOMPARE(lag->points().last().y(), 7.0);
        QLineSeries *rate =
            lineSeries(panel.card(QStringLiteral("event-rate")), QStringLiteral("events / s"));
        QVERIFY(!rate->points().isEmpty());
        QVERIFY2(rate->points().last().y() > 500, "500 events in about 0.2 s"); // per second
        QLineSeries *throughput = lineSeries(panel.card(QStringLiteral("samples-per-hour")),
                                             QStringLiteral("samples / h"));
        QVERIFY(!throughput->points().isEmpty());
        QVERIFY(throughput->points().last().y() > 0);

        // CSV of a line chart: every point of every series.
        const QStringList queueCsv = csvLines(queue, m_dir.path());
        QCOMPARE(queueCsv.first(), QStringLiteral("series,time,value"));
        QCOMPARE(queueCsv.size(), 1 + waiting->count() + running->count());
        QVERIFY(queueCsv.contains(
            QStringLiteral("waiting for a device,%1,7")
                .arg(QDateTime::fromMSecsSinceEpoch(qint64(waiting->points().last().x()))
                         .toString(Qt::ISODateWithMs))));

        // Utilisation by type: xrd 4 of 10 busy, furnaces all busy.
        const QStringList util = csvLines(panel.card(QStringLiteral("utilisation")), m_dir.path());
        QCOMPARE(util, (QStringList{QStringLiteral("category,% busy"),
                                    QStringLiteral("box_furnace,100"), QStringLiteral("xrd,40")}));

        // Durations histogram: 5 completed tasks, the duplicate batch not counted twice...
        // (the feed never repeats a completion; the panel counts what arrives).
        const QStringList durations =
            csvLines(panel.card(QStringLiteral("task-durations")), m_dir.path());
        QCOMPARE(durations.first(), QStringLiteral("category,tasks"));
        double total = 0;
        for (const QString &line : durations.mid(1))
            total += line.section(u',', 1).toDouble();
        QCOMPARE(total, 10.0); // two batches of five
        // Only "measure": 4 tasks, all below 5 s.
        auto *taskName = panel.findChild<QComboBox *>(QStringLiteral("chartTaskName"));
        QCOMPARE(taskName->count(), 3); // all, fire, measure
        taskName->setCurrentIndex(taskName->findData(QStringLiteral("measure")));
        const QStringList measure =
            csvLines(panel.card(QStringLiteral("task-durations")), m_dir.path());
        total = 0;
        for (const QString &line : measure.mid(1))
            total += line.section(u',', 1).toDouble();
        QCOMPARE(total, 8.0);
        QVERIFY(measure.last().section(u',', 0).toDouble() < 5);

        // PNG: the chart as drawn.
        const QString png = m_dir.path() + QStringLiteral("/queue.png");
        QString error;
        QVERIFY2(queue->exportPng(png, &error), qPrintable(error));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 300 && image.height() >= 200);
        // Not one flat colour: something was drawn.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 3);
    }

    void historyFromTheRollups()
    {
        const QString conn = test::TestDatabase::instance().createDatabase();
        QVERIFY(!conn.isEmpty());
        // Two hours of completions within the last day; queue depth sampled two minutes ago.
        test::queryValue(
            conn,
            QStringLiteral(
                "INSERT INTO lab_minute (minute, workflows_completed, samples_completed) VALUES "
                "  (date_trunc('hour', now()) - interval '3 hours', 4, 12),"
                "  (date_trunc('hour', now()) - interval '3 hours' + interval '5 minutes', 1, 3),"
                "  (date_trunc('hour', now()) - interval '2 hours', 2, 5);"
                "INSERT INTO lab_minute (minute, queue_depth, tasks_running) VALUES "
                "  (date_trunc('minute', now()) - interval '2 minutes', 42, 9) "
                "  ON CONFLICT (minute) DO UPDATE SET queue_depth = 42, tasks_running = 9 "
                "RETURNING 1"));
        DatabaseReader reader({conn});
        LabModels models;
        ConsoleServices services;
        services.reader = &reader;
        ChartsPanel panel(&models, &services);
        panel.resize(1400, 800);
        panel.show();
        QSignalSpy refreshed(&panel, &ChartsPanel::historyRefreshed);
        panel.setRange(ChartsPanel::Day);
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 10000);
        QCOMPARE(refreshed.first().at(0).toString(), QString());
        QLineSeries *throughput = lineSeries(panel.card(QStringLiteral("samples-per-hour")),
                                             QStringLiteral("samples / h"));
        // The minute sampled for the queue makes the current hour a (zero) point too.
        QCOMPARE(throughput->count(), 3);
        QCOMPARE(throughput->at(0).y(), 15.0);
        QCOMPARE(throughput->at(1).y(), 5.0);
        QCOMPARE(throughput->at(2).y(), 0.0);
        QLineSeries *waiting = lineSeries(panel.card(QStringLiteral("queue-depth")),
                                          QStringLiteral("waiting for a device"));
        QCOMPARE(waiting->count(), 1);
        QCOMPARE(waiting->at(0).y(), 42.0);
        const QStringList csv =
            csvLines(panel.card(QStringLiteral("samples-per-hour")), m_dir.path());
        QCOMPARE(csv.size(), 4);
        QVERIFY(csv.at(1).startsWith(QStringLiteral("samples / h,")));
        QVERIFY(csv.at(1).endsWith(QStringLiteral(",15")));

        // Back to live: the live window again.
        panel.setRange(ChartsPanel::Live);
        panel.sampleNow();
        QVERIFY(throughput->count() <= ChartsPanel::LivePoints);
    }
};

QTEST_MAIN(TstChartsPanel)
#include "tst_chartspanel.moc"
