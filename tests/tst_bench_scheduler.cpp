// Keeps `alabos-bench scheduler --quick` working: runs it, parses the last line, checks the
// keys and that the figures are positive. Never asserts speed.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TstBenchScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunReportsEveryKey()
    {
        const QString bench = qEnvironmentVariable("ALABOS_BENCH");
        QVERIFY2(!bench.isEmpty(), "ALABOS_BENCH is not set");
        QProcess p;
        p.start(bench, {QStringLiteral("scheduler"), QStringLiteral("--quick")});
        QVERIFY(p.waitForFinished(300000));
        QCOMPARE(p.exitCode(), 0);
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(lines.last(), &error).object();
        QVERIFY2(!o.isEmpty(), qPrintable(error.errorString()));
        for (const char *key : {"tasks_per_s", "grant_p50_ms", "grant_p99_ms", "peak_rss_mb",
                                "day_wall_s", "day_cpu_s"}) {
            QVERIFY2(o.value(QLatin1StringView(key)).isDouble(), key);
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        }
        QCOMPARE(o.value(QLatin1StringView("day_lost")).toInteger(-1), qint64(0));
        QCOMPARE(o.value(QLatin1StringView("day_doubled")).toInteger(-1), qint64(0));
        QCOMPARE(o.value(QLatin1StringView("tasks_completed")).toInteger(),
                 o.value(QLatin1StringView("tasks")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TstBenchScheduler)
#include "tst_bench_scheduler.moc"
