// Keeps `alabos-bench scheduler --quick` (and its --driver-hosts form) working: runs it,
// parses the last line, checks the keys and that the figures are positive. Never asserts speed.
#include "tests/support/quickbench.h"

#include <QJsonDocument>
#include <QTest>

class TstBenchScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunReportsEveryKey()
    {
        QString problem;
        const QJsonObject o =
            alabos::test::runQuickBench(QStringLiteral("scheduler"), 300000, &problem);
        QVERIFY2(!o.isEmpty(), qPrintable(problem));
        for (const char *key : {"tasks_per_s", "grant_p50_ms", "grant_p99_ms", "peak_rss_mb",
                                "day_wall_s", "day_cpu_s"}) {
            QVERIFY2(o.value(QLatin1StringView(key)).isDouble(), key);
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        }
        // Memory and where a task's time goes: measured, so positive.
        for (const char *key :
             {"rows_per_task", "day_peak_rss_mb", "process_peak_rss_mb", "rss_after_submit_mb",
              "queue_bytes_per_task", "engine_decide_us_per_task", "writer_encode_us_per_task",
              "writer_commit_us_per_task", "changeset_commit_ms", "stage_grant_to_dispatch_ms"}) {
            QVERIFY2(o.value(QLatin1StringView(key)).isDouble(), key);
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        }
        // Where the rows go: every task has its rows and events in both parts.
        for (const char *part : {"rows_per_task_by_table", "day_rows_per_task_by_table"}) {
            const QJsonObject byTable = o.value(QLatin1StringView(part)).toObject();
            for (const char *table : {"tasks", "events"})
                QVERIFY2(byTable.value(QLatin1StringView(table)).toDouble() > 0,
                         qPrintable(QStringLiteral("%1.%2").arg(QLatin1StringView(part),
                                                                QLatin1StringView(table))));
        }
        QVERIFY(o.value(QLatin1StringView("day_rows_per_task")).toDouble() > 0);
        // The transaction's time by step: every step named; the tasks' and events' measured.
        const QJsonObject steps = o.value(QLatin1StringView("writer_step_us_per_task")).toObject();
        QCOMPARE(steps.size(), 8);
        for (auto it = steps.constBegin(); it != steps.constEnd(); ++it)
            QVERIFY2(it->isDouble() && it->toDouble() >= 0, qPrintable(it.key()));
        for (const char *step : {"tasks", "events", "workflows", "commit"})
            QVERIFY2(steps.value(QLatin1StringView(step)).toDouble() > 0, step);
        // Stages that may round to nothing with instant devices: present, never negative.
        for (const char *key :
             {"stage_created_to_ready_ms", "stage_queued_ms", "stage_on_device_ms"}) {
            QVERIFY2(o.value(QLatin1StringView(key)).isDouble(), key);
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() >= 0, key);
        }
        QCOMPARE(o.value(QLatin1StringView("queue_tasks_held")).toInteger(),
                 o.value(QLatin1StringView("tasks")).toInteger());
        QCOMPARE(o.value(QLatin1StringView("day_lost")).toInteger(-1), qint64(0));
        QCOMPARE(o.value(QLatin1StringView("day_doubled")).toInteger(-1), qint64(0));
        QCOMPARE(o.value(QLatin1StringView("tasks_completed")).toInteger(),
                 o.value(QLatin1StringView("tasks")).toInteger());
    }

    // The real binaries: the same lab in one process, then over two driver hosts; every
    // task completed once in both.
    void driverHostsQuickRunReportsBothFigures()
    {
        QString problem;
        const QJsonObject o =
            alabos::test::runQuickBench(QStringLiteral("scheduler"), 300000, &problem,
                                        {QStringLiteral("--driver-hosts"), QStringLiteral("2")});
        QVERIFY2(!o.isEmpty(), qPrintable(problem));
        QVERIFY2(o.value(QLatin1StringView("ok")).toBool(), QJsonDocument(o).toJson().constData());
        for (const char *key : {"local_tasks_per_s", "remote_tasks_per_s", "remote_over_local"})
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        for (const char *key : {"local_tasks_completed", "remote_tasks_completed",
                                "local_task_completed_events", "remote_task_completed_events"})
            QCOMPARE(o.value(QLatin1StringView(key)).toInteger(),
                     o.value(QLatin1StringView("tasks")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TstBenchScheduler)
#include "tst_bench_scheduler.moc"
