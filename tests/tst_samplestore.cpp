#include "core/storage/samplestore.h"
#include "tests/support/testdatabase.h"

#include <QTest>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
QList<SampleState> batch(int first, int count)
{
    QList<SampleState> out;
    for (int i = first; i < first + count; ++i)
        out.append(
            SampleState{i, QStringLiteral("BC-%1").arg(i, 6, 10, QLatin1Char('0')),
                        i % 10 == 0 ? QStringLiteral("rack-1/slot/%1").arg(i) : QString(), 0,
                        QJsonObject{{QStringLiteral("composition"), QStringLiteral("LiFePO4")},
                                    {QStringLiteral("mass_mg"), 100 + i}},
                        0});
    return out;
}

QString counts(const QString &conn)
{
    return queryValue(
        conn,
        QStringLiteral("SELECT (SELECT count(*) FROM samples) || ' ' || "
                       "(SELECT count(*) FROM events WHERE kind = 'sample.registered') || ' ' || "
                       "(SELECT count(*) FROM audit_log)"));
}
} // namespace

class TstSampleStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void registersAThousandInOneTransaction()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        SampleStore store(conn);
        const SampleBatchResult r =
            store.registerBatch(batch(1, 1000), QStringLiteral("tina"), QStringLiteral("bench-3"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.registered, 1000);
        QCOMPARE(counts(conn), QStringLiteral("1000 1000 1"));
        QCOMPARE(
            queryValue(
                conn,
                QStringLiteral(
                    "SELECT position || ' ' || (metadata->>'mass_mg') FROM samples WHERE id = 20")),
            QStringLiteral("rack-1/slot/20 120"));
        QCOMPARE(
            queryValue(conn, QStringLiteral("SELECT count(*) FROM samples WHERE position IS NULL")),
            QStringLiteral("900"));
        QCOMPARE(
            queryValue(conn, QStringLiteral(
                                 "SELECT payload->>'barcode' FROM events WHERE entity_id = '7'")),
            QStringLiteral("BC-000007"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT user_name || ' ' || host || ' ' || action "
                                                 "|| ' ' || (detail->>'count') FROM audit_log")),
                 QStringLiteral("tina bench-3 sample.register_batch 1000"));
        const auto existing = store.existingBarcodes(
            {QStringLiteral("BC-000005"), QStringLiteral("NEW-1"), QStringLiteral("BC-001000")},
            nullptr);
        QVERIFY(existing);
        QCOMPARE(*existing,
                 (QStringList{QStringLiteral("BC-000005"), QStringLiteral("BC-001000")}));
    }

    void alreadyRegisteredBarcodesAreNamedAndNothingIsWritten()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        SampleStore store(conn);
        QVERIFY(store.registerBatch(batch(1, 100), QStringLiteral("tina"), {}).ok);
        // 200 new samples, of which rows 3 and 150 reuse registered barcodes.
        auto next = batch(101, 200);
        next[3].barcode = QStringLiteral("BC-000042");
        next[150].barcode = QStringLiteral("BC-000077");
        const SampleBatchResult r = store.registerBatch(next, QStringLiteral("tina"), {});
        QVERIFY(!r.ok);
        QCOMPARE(r.rowErrors.size(), 2);
        QCOMPARE(r.rowErrors[0].row, 3);
        QCOMPARE(r.rowErrors[0].barcode, QStringLiteral("BC-000042"));
        QCOMPARE(r.rowErrors[0].message, QStringLiteral("barcode BC-000042 is already registered"));
        QCOMPARE(r.rowErrors[1].row, 150);
        QVERIFY2(r.error.contains(QStringLiteral("BC-000042")) &&
                     r.error.contains(QStringLiteral("BC-000077")),
                 qPrintable(r.error));
        QCOMPARE(counts(conn), QStringLiteral("100 100 1"));
    }

    void badRowsAreAllNamedAtOnce()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        SampleStore store(conn);
        QVERIFY(store.registerBatch(batch(1, 20), QStringLiteral("tina"), {}).ok);
        auto next = batch(101, 100);
        next[1].barcode = next[0].barcode;                    // duplicate inside the batch
        next[2].barcode = QStringLiteral("  ");               // empty
        next[9].position = QStringLiteral("rack//1");         // malformed position (row 9 has none)
        next[19].position = QStringLiteral("rack-1/slot/10"); // occupied by sample 10
        next[29].id = 5;                                      // id already used
        SampleBatchResult r = store.registerBatch(next, QStringLiteral("tina"), {});
        QVERIFY(!r.ok);
        // Checked in two passes: rows first (1, 2, 9), then against the database.
        QCOMPARE(r.rowErrors.size(), 3);
        QCOMPARE(r.rowErrors[0].message, QStringLiteral("barcode BC-000101 is also on row 1"));
        QCOMPARE(r.rowErrors[1].message, QStringLiteral("barcode is empty"));
        QCOMPARE(r.rowErrors[2].message,
                 QStringLiteral("position \"rack//1\" is not a valid position name"));
        next = batch(101, 100);
        next[19].position = QStringLiteral("rack-1/slot/10");
        next[29].id = 5;
        r = store.registerBatch(next, QStringLiteral("tina"), {});
        QVERIFY(!r.ok);
        QCOMPARE(r.rowErrors.size(), 2);
        QCOMPARE(r.rowErrors[0].row, 19);
        QCOMPARE(r.rowErrors[0].message,
                 QStringLiteral("position rack-1/slot/10 already holds a sample"));
        QCOMPARE(r.rowErrors[1].row, 29);
        QCOMPARE(r.rowErrors[1].message, QStringLiteral("sample id 5 is already used"));
        QCOMPARE(counts(conn), QStringLiteral("20 20 1"));
    }

    void refusedWholeBatches()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        SampleStore store(conn);
        QVERIFY(store.registerBatch({}, QStringLiteral("tina"), {})
                    .error.contains(QStringLiteral("no samples")));
        QVERIFY(store.registerBatch(batch(1, 5), QString(), {})
                    .error.contains(QStringLiteral("needs the user")));
        QVERIFY(store.registerBatch(batch(1, SampleStore::kMaxBatch + 1), QStringLiteral("t"), {})
                    .error.contains(QStringLiteral("at most")));
        // A workflow that does not exist: the database refuses, the batch is not half written.
        auto withWorkflow = batch(1, 10);
        withWorkflow[4].workflowId = 999;
        const auto r = store.registerBatch(withWorkflow, QStringLiteral("tina"), {});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("samples_in_known_workflows")),
                 qPrintable(r.error));
        QCOMPARE(counts(conn), QStringLiteral("0 0 0"));
        // The store carries on after a refusal.
        QVERIFY(store.registerBatch(batch(1, 10), QStringLiteral("tina"), {}).ok);
        SampleStore nowhere(
            QStringLiteral("host=/nonexistent-dir port=1 dbname=x connect_timeout=2"));
        QVERIFY(nowhere.registerBatch(batch(1, 1), QStringLiteral("t"), {})
                    .error.contains(QStringLiteral("cannot reach")));
    }
};

QTEST_GUILESS_MAIN(TstSampleStore)
#include "tst_samplestore.moc"
