// Keeps `alabos-bench consoles --quick` working: a headless lab of the real binary and five
// console feeds; checks that every console received events, that the consoles believed events
// through the real relay's signed digest lists, and that both scheduler figures were measured.
// Never asserts speed.
#include "tests/support/quickbench.h"

#include <QJsonObject>
#include <QTest>

class TstBenchConsoles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunMeasuresEveryConsoleAndTheScheduler()
    {
        QString problem;
        const QJsonObject o =
            alabos::test::runQuickBench(QStringLiteral("consoles"), 300000, &problem);
        QVERIFY2(!o.isEmpty(), qPrintable(problem));
        QCOMPARE(o.value(QLatin1StringView("consoles")).toInt(), 5);
        QCOMPARE(o.value(QLatin1StringView("consoles_without_events")).toInt(), 0);
        for (const char *key :
             {"feed_p99_ms", "scheduler_tasks_per_s_alone", "scheduler_tasks_per_s_with_consoles",
              "events_measured", "events_verified_by_list"})
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        QVERIFY(o.value(QLatin1StringView("ok")).toBool());
    }
};

QTEST_GUILESS_MAIN(TstBenchConsoles)
#include "tst_bench_consoles.moc"
