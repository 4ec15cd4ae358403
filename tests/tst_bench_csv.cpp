// Keeps `alabos-bench csv --quick` working: runs it, parses the last line, checks the keys,
// that the dialog's limit stopped the check at 1,000 rows and that the full check read every
// row. Never asserts speed.
#include "tests/support/quickbench.h"

#include <QJsonObject>
#include <QTest>

class TstBenchCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunReportsEveryPhase()
    {
        QString problem;
        const QJsonObject o = alabos::test::runQuickBench(QStringLiteral("csv"), 120000, &problem);
        QVERIFY2(!o.isEmpty(), qPrintable(problem));
        QCOMPARE(o.value(QLatin1StringView("rows")).toInt(), 20000);
        for (const char *phase : {"raw", "dialog", "full", "cancel"}) {
            const QJsonObject p = o.value(QLatin1StringView(phase)).toObject();
            QVERIFY2(p.value(QLatin1StringView("ms")).toDouble() > 0, phase);
            QVERIFY2(p.value(QLatin1StringView("peak_rss_mb")).toDouble() > 0, phase);
        }
        QCOMPARE(o.value(QLatin1StringView("dialog")).toObject().value(QLatin1StringView("rows")),
                 QJsonValue(1000));
        QCOMPARE(o.value(QLatin1StringView("full")).toObject().value(QLatin1StringView("outcome")),
                 QJsonValue(QStringLiteral("20000 valid")));
        QVERIFY(o.value(QLatin1StringView("ok")).toBool());
    }
};

QTEST_GUILESS_MAIN(TstBenchCsv)
#include "tst_bench_csv.moc"
