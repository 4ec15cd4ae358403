// Keeps `alabos-bench pipeline` working: runs it with --quick and checks its JSON (keys and
// that the figures are positive), never its speed.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TstBenchPipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunReportsEveryFigure()
    {
        const QString bench = qEnvironmentVariable("ALABOS_BENCH");
        QVERIFY2(!bench.isEmpty(), "ALABOS_BENCH is not set (tests/CMakeLists.txt sets it)");
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(bench, {QStringLiteral("pipeline"), QStringLiteral("--quick")});
        QVERIFY(process.waitForFinished(300000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(lines.last(), &error).object();
        QVERIFY2(!json.isEmpty(),
                 qPrintable(error.errorString() + u' ' + QString::fromUtf8(lines.last())));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(json.value(QStringLiteral("bench")).toString(), QStringLiteral("pipeline"));
        QVERIFY(json.value(QStringLiteral("ok")).toBool());
        for (const char *key :
             {"events_per_s", "persisted_per_s", "raw_produce_per_s", "raw_consume_per_s",
              "latency_p99_ms_at_1k", "latency_p99_ms_at_100k", "latency_p50_ms_at_1k",
              "model_latency_p99_ms_at_1k"}) {
            QVERIFY2(json.contains(QLatin1StringView(key)), key);
            QVERIFY2(json.value(QLatin1StringView(key)).toDouble() > 0, key);
        }
        QCOMPARE(json.value(QStringLiteral("persisted")).toInteger(),
                 json.value(QStringLiteral("produced")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TstBenchPipeline)
#include "tst_bench_pipeline.moc"
