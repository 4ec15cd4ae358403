// Keeps `alabos-bench storage` working: runs its quick mode and checks the JSON it prints.
// It checks the keys and that the figures are positive, never the speed.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TstBenchStorage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunPrintsTheFigures()
    {
        const QString bench = qEnvironmentVariable("ALABOS_BENCH");
        QVERIFY2(!bench.isEmpty(), "ALABOS_BENCH is not set");
        QProcess p;
        p.start(bench, {QStringLiteral("storage"), QStringLiteral("--quick")});
        QVERIFY(p.waitForFinished(600000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                 p.readAllStandardError().right(2000).constData());
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QJsonParseError parseError;
        const QJsonObject json = QJsonDocument::fromJson(lines.last(), &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, lines.last().constData());
        QCOMPARE(json.value(QStringLiteral("bench")).toString(), QStringLiteral("storage"));
        for (const char *key : {"persister_rows_per_s", "raw_copy_rows_per_s",
                                "state_changes_per_s", "last_events_p99_ms", "hourly_chart_p99_ms",
                                "last_events_p50_ms", "hourly_chart_p50_ms"}) {
            QVERIFY2(json.contains(QLatin1StringView(key)), key);
            QVERIFY2(json.value(QLatin1StringView(key)).toDouble() > 0, key);
        }
        const QJsonObject queries = json.value(QStringLiteral("queries")).toObject();
        QCOMPARE(queries.size(), 8);
        QVERIFY(queries.contains(QStringLiteral("last_100_events_raw_sql")));
        QCOMPARE(json.value(QStringLiteral("state_changes")).toInt(), 20000);
        for (auto it = queries.begin(); it != queries.end(); ++it)
            QVERIFY2(it.value().toObject().value(QStringLiteral("p99_ms")).toDouble() > 0,
                     qPrintable(it.key()));
    }
};

QTEST_GUILESS_MAIN(TstBenchStorage)
#include "tst_bench_storage.moc"
