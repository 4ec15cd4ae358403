// Keeps `alabos-bench ui` working: runs it with --quick and checks its JSON (not its speed).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TstBenchUi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunReportsItsFigures()
    {
        const QString bench = qEnvironmentVariable("ALABOS_BENCH");
        QVERIFY2(!bench.isEmpty(), "ALABOS_BENCH is not set");
        QProcess p;
        p.start(bench, {QStringLiteral("ui"), QStringLiteral("--quick")});
        QVERIFY(p.waitForFinished(120000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, err.constData());
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(lines.last(), &parseError);
        QVERIFY2(doc.isObject(),
                 qPrintable(parseError.errorString() + u' ' + QString::fromUtf8(lines.last())));
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(QStringLiteral("bench")).toString(), QStringLiteral("ui"));
        QCOMPARE(o.value(QStringLiteral("quick")).toBool(), true);
        for (const char *key :
             {"stall_p50_ms", "stall_p99_ms", "refreshes_per_s", "peak_rss_mb", "events_per_s"}) {
            const QJsonValue v = o.value(QLatin1StringView(key));
            QVERIFY2(v.isDouble(), key);
            QVERIFY2(v.toDouble() >= 0, key);
        }
        // Batches did arrive and were applied, the fleet and the queue are there, memory used.
        QVERIFY(o.value(QStringLiteral("refreshes_per_s")).toDouble() > 0);
        QVERIFY(o.value(QStringLiteral("events_per_s")).toDouble() > 0);
        QVERIFY(o.value(QStringLiteral("peak_rss_mb")).toDouble() > 0);
        QCOMPARE(o.value(QStringLiteral("device_rows")).toInt(),
                 o.value(QStringLiteral("devices")).toInt());
        QVERIFY(o.value(QStringLiteral("task_rows")).toInt() > 0);
        QVERIFY(o.value(QStringLiteral("stall_p99_ms")).toDouble() >=
                o.value(QStringLiteral("stall_p50_ms")).toDouble());
        QCOMPARE(o.value(QStringLiteral("phases")).toArray().size(), 2);
        // The schedule: the big queue was predicted and painted; a lab day's predictions were
        // compared with what really finished.
        for (const char *key :
             {"schedule_predict_ms", "schedule_show_ms", "schedule_paint_p50_ms",
              "schedule_scroll_frame_p99_ms", "schedule_prediction_error_median_s",
              "schedule_prediction_error_p90_s"}) {
            const QJsonValue v = o.value(QLatin1StringView(key));
            QVERIFY2(v.isDouble() && v.toDouble() >= 0, key);
        }
        QCOMPARE(o.value(QStringLiteral("schedule_predicted_tasks")).toInteger(),
                 o.value(QStringLiteral("schedule_tasks")).toInteger());
        QVERIFY(o.value(QStringLiteral("schedule_predictions_compared")).toInteger() > 0);
    }
};

QTEST_GUILESS_MAIN(TstBenchUi)
#include "tst_bench_ui.moc"
