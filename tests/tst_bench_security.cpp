// Keeps `alabos-bench security --quick` working: runs it, parses the last line, checks the
// keys and that the figures are positive. Never asserts speed.
#include "tests/support/quickbench.h"

#include <QTest>

class TstBenchSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quickRunReportsEveryKey()
    {
        QString problem;
        const QJsonObject o =
            alabos::test::runQuickBench(QStringLiteral("security"), 120000, &problem);
        QVERIFY2(!o.isEmpty(), qPrintable(problem));
        for (const char *key :
             {"event_bytes", "sign_per_s", "raw_sign_per_s", "verify_per_s", "raw_verify_per_s",
              "verify_two_keys_per_s", "event_digest_per_s", "digest_list_check_us",
              "listed_events_per_s", "session_proofs_per_s", "encode_event_round_trip_per_s",
              "encode_event_from_row_per_s", "argon2id_ms"}) {
            QVERIFY2(o.value(QLatin1StringView(key)).isDouble(), key);
            QVERIFY2(o.value(QLatin1StringView(key)).toDouble() > 0, key);
        }
    }
};

QTEST_GUILESS_MAIN(TstBenchSecurity)
#include "tst_bench_security.moc"
