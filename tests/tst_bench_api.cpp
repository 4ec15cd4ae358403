// Keeps `alabos-bench api --quick` working: runs it against the real binary, parses the last
// line and checks that every route was measured beside its raw limit. Never asserts speed.
#include "tests/support/quickbench.h"

#include <QJsonObject>
#include <QTest>

class TstBenchApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunMeasuresEveryRouteAndItsRawLimit()
    {
        QString problem;
        const QJsonObject o = alabos::test::runQuickBench(QStringLiteral("api"), 300000, &problem);
        QVERIFY2(!o.isEmpty(), qPrintable(problem));
        for (const char *key :
             {"get_device_rps", "get_device_p99_ms", "device_events_rps", "post_sample_rps",
              "post_sample_p99_ms", "at_1000_connections_rps", "raw_get_device_qps",
              "raw_device_events_qps", "raw_post_sample_commits_per_s"})
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        QVERIFY(o.contains(QLatin1StringView("errors")));
        QCOMPARE(o.value(QLatin1StringView("devices")).toInt(), 500);
        QVERIFY(o.value(QLatin1StringView("ok")).toBool());
    }
};

QTEST_GUILESS_MAIN(TstBenchApi)
#include "tst_bench_api.moc"
