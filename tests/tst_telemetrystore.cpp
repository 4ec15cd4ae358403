#include "core/storage/telemetrystore.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>
#include <cmath>
#include <csignal>
#include <limits>
#include <pqxx/pqxx>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
// 2024-03-10 23:59:00 UTC: batches straddle midnight and so two day partitions.
constexpr qint64 kBaseUs = 1710115140LL * 1000000;

QList<TelemetryReading> makeReadings(int count, qint64 startUs, qint64 stepUs)
{
    QList<TelemetryReading> out;
    for (int i = 0; i < count; ++i)
        out.append({QStringLiteral("furnace-%1").arg(i % 3),
                    i % 2 ? QStringLiteral("temperature_c") : QStringLiteral("power_w"), double(i),
                    startUs + i * stepUs});
    return out;
}

// A fresh database with the day partitions of kBaseUs (2024-03-10) and the day after.
QString databaseWithMarchPartitions()
{
    const QString conn = TestDatabase::instance().createDatabase();
    test::queryValue(TestDatabase::instance().ownerConnection(conn),
                     QStringLiteral("SELECT alabos_ensure_day_partitions('telemetry', "
                                    "'2024-03-10', '2024-03-11')"));
    return conn;
}

// How many rows of telemetry_minute equal the aggregate of their raw readings.
QString rollupsMatchingRawRows(const QString &conn)
{
    return test::queryValue(
        conn, QStringLiteral("SELECT count(*) FROM (SELECT device_id, metric, date_trunc('minute', "
                             "at) m, count(*) n, sum(value) s, min(value) lo, max(value) hi "
                             "FROM telemetry GROUP BY 1,2,3) r JOIN telemetry_minute t ON "
                             "t.device_id = r.device_id AND t.metric = r.metric "
                             "AND t.minute = r.m AND t.n = r.n AND t.sum = r.s AND t.min = r.lo "
                             "AND t.max = r.hi"));
}

// The child process of the crash test: writes a batch and dies (SIGKILL) before COMMIT.
int crashChild(const QString &connection)
{
    TelemetryStore store(connection);
    store.setBeforeCommitHook([] { ::raise(SIGKILL); });
    QString error;
    store.write(makeReadings(500, kBaseUs + 3600LL * 1000000, 1000),
                {{QStringLiteral("alabos.telemetry"), 0, 900}}, QStringLiteral("persister"),
                &error);
    return 3; // not reached
}
} // namespace

class TstTelemetryStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void timestampsFormatAsPostgresReadsThem()
    {
        QCOMPARE(QString::fromStdString(formatTimestampUtc(0)),
                 QStringLiteral("1970-01-01 00:00:00.000000+00"));
        QCOMPARE(QString::fromStdString(formatTimestampUtc(kBaseUs + 123)),
                 QStringLiteral("2024-03-10 23:59:00.000123+00"));
        QCOMPARE(QString::fromStdString(formatTimestampUtc(951782400LL * 1000000)),
                 QStringLiteral("2000-02-29 00:00:00.000000+00"));
        QCOMPARE(QString::fromStdString(formatTimestampUtc(-1)),
                 QStringLiteral("1969-12-31 23:59:59.999999+00"));
    }

    void writesRowsRollupsAndOffsetsTogether()
    {
        const QString conn = databaseWithMarchPartitions();
        TelemetryStore store(conn);
        QString error;
        // 1,000 readings 100 ms apart: 23:59:00 .. 00:00:39.9, two days, two minutes.
        const auto readings = makeReadings(1000, kBaseUs, 100000);
        QVERIFY2(store.write(readings,
                             {{QStringLiteral("alabos.telemetry"), 0, 500},
                              {QStringLiteral("alabos.telemetry"), 1, 501}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("1000"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_p20240310")),
                 QStringLiteral("600"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_p20240311")),
                 QStringLiteral("400"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_default")),
                 QStringLiteral("0"));
        // The batch's rollup increments wait in telemetry_minute_delta until a fold.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute")),
                 QStringLiteral("0"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(x) FROM telemetry_minute_delta, "
                                                 "unnest(n) x")),
                 QStringLiteral("1000"));
        QCOMPARE(store.foldMinutes(&error), std::optional<qint64>(12));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute_delta")),
                 QStringLiteral("0"));
        QCOMPARE(store.foldMinutes(&error), std::optional<qint64>(0));
        // Rollups: 3 devices x 2 metrics x 2 minutes, and they add up to the raw rows.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute")),
                 QStringLiteral("12"));
        QCOMPARE(
            queryValue(conn, QStringLiteral("SELECT sum(n) || ' ' || sum(sum) || ' ' || min(min) "
                                            "|| ' ' || max(max) FROM telemetry_minute")),
            QStringLiteral("1000 499500 0 999"));
        QCOMPARE(rollupsMatchingRawRows(conn), QStringLiteral("12"));
        auto offsets = store.loadOffsets(QStringLiteral("persister"), &error);
        QVERIFY2(offsets, qPrintable(error));
        QCOMPARE(*offsets, (QList<PartitionOffset>{{QStringLiteral("alabos.telemetry"), 0, 500},
                                                   {QStringLiteral("alabos.telemetry"), 1, 501}}));
        QVERIFY(store.loadOffsets(QStringLiteral("someone-else"), &error)->isEmpty());

        // A second batch in the same minutes merges into the rollups and moves one offset.
        QVERIFY2(store.write(makeReadings(10, kBaseUs, 1000),
                             {{QStringLiteral("alabos.telemetry"), 0, 510}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        // Another folder at work: this one leaves the increments to it.
        {
            pqxx::connection other(conn.toStdString());
            pqxx::work holder(other);
            holder.exec("SELECT pg_advisory_xact_lock(1634492770, 21332)");
            QCOMPARE(store.foldMinutes(&error), std::optional<qint64>(0));
        }
        QVERIFY(store.foldMinutes(&error) > 0);
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(n) FROM telemetry_minute")),
                 QStringLiteral("1010"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute")),
                 QStringLiteral("12"));
        offsets = store.loadOffsets(QStringLiteral("persister"), &error);
        QCOMPARE(offsets->first().offset, 510);
        QCOMPARE(offsets->last().offset, 501);
        QCOMPARE(store.rowsWritten(), 1010);
    }

    void manyDevicesPackTheirIncrementsIntoSeveralRows()
    {
        const QString conn = databaseWithMarchPartitions();
        TelemetryStore store(conn);
        QString error;
        // 250 devices, two readings each, in one minute: 250 increments, packed 64 a row.
        QList<TelemetryReading> readings;
        for (int i = 0; i < 500; ++i)
            readings.append({QStringLiteral("balance-%1").arg(i % 250), QStringLiteral("mass_g"),
                             double(i), kBaseUs + i * 1000});
        QVERIFY2(store.write(readings, {{QStringLiteral("alabos.telemetry"), 0, 500}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT string_agg(cardinality(device_ids)::text, "
                                                 "' ' ORDER BY cardinality(device_ids) DESC) "
                                                 "FROM telemetry_minute_delta")),
                 QStringLiteral("64 64 64 58"));
        QCOMPARE(store.foldMinutes(&error), std::optional<qint64>(250));
        QCOMPARE(rollupsMatchingRawRows(conn), QStringLiteral("250"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_minute_delta")),
                 QStringLiteral("0"));
    }

    void badReadingsAreKeptWithTheirReason()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        TelemetryStore store(conn);
        QString error;
        auto readings = makeReadings(5, kBaseUs, 1000);
        readings.append({QString(), QStringLiteral("mass_g"), 1.0, kBaseUs});
        readings.append({QStringLiteral("balance-1"), QString(), 1.0, kBaseUs});
        readings.append({QStringLiteral("balance-1"), QStringLiteral("mass_g"),
                         std::numeric_limits<double>::quiet_NaN(), kBaseUs});
        readings.append({QStringLiteral("balance-1"), QStringLiteral("mass_g"), 2.0, 0});
        readings.append(
            {QStringLiteral("balance-1") + QChar(0), QStringLiteral("mass_g"), 3.0, kBaseUs});
        QVERIFY2(store.write(readings, {{QStringLiteral("alabos.telemetry"), 0, 9}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("5"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry_rejected")),
                 QStringLiteral("5"));
        QCOMPARE(
            queryValue(conn,
                       QStringLiteral(
                           "SELECT string_agg(reason, '|' ORDER BY id) FROM telemetry_rejected")),
            QStringLiteral("device id is empty|metric is empty|value is not a finite number|"
                           "time 0 us is outside 2000..2100|"
                           "device id or metric contains a NUL character"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT reading->>'device_id' FROM "
                                                 "telemetry_rejected WHERE reason LIKE '%NUL%'")),
                 QStringLiteral("balance-1") + QChar(0xFFFD));
        QCOMPARE(
            queryValue(
                conn,
                QStringLiteral(
                    "SELECT reading->>'value' FROM telemetry_rejected WHERE reason LIKE 'value%'")),
            QStringLiteral("nan"));
        QCOMPARE(store.rowsRejected(), 5);
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT next_offset FROM telemetry_offsets")),
                 QStringLiteral("9"));
    }

    void invalidOrStaleOffsetsWriteNothing()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        TelemetryStore store(conn);
        QString error;
        QVERIFY(!store.write(makeReadings(10, kBaseUs, 1000),
                             {{QStringLiteral("alabos.telemetry"), -1, 5}},
                             QStringLiteral("persister"), &error));
        QVERIFY2(error.contains(QStringLiteral("invalid offset")), qPrintable(error));
        QVERIFY(!store.write(makeReadings(10, kBaseUs, 1000), {}, QString(), &error));
        QVERIFY2(error.contains(QStringLiteral("consumer name is empty")), qPrintable(error));
        QVERIFY2(store.write(makeReadings(10, kBaseUs, 1000),
                             {{QStringLiteral("alabos.telemetry"), 0, 100}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        // A consumer that lost the partition writes an older batch: refused whole.
        QVERIFY(!store.write(makeReadings(10, kBaseUs, 1000),
                             {{QStringLiteral("alabos.telemetry"), 0, 50}},
                             QStringLiteral("persister"), &error));
        QVERIFY2(error.contains(QStringLiteral("already at offset 100")), qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("10"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT next_offset FROM telemetry_offsets")),
                 QStringLiteral("100"));
        // The store recovers from a refused batch on the same connection.
        QVERIFY2(store.write(makeReadings(3, kBaseUs, 1000),
                             {{QStringLiteral("alabos.telemetry"), 0, 103}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("13"));
    }

    void unreachableDatabaseIsReported()
    {
        TelemetryStore store(
            QStringLiteral("host=/nonexistent-dir port=1 dbname=x connect_timeout=2"));
        QString error;
        QVERIFY(!store.write(makeReadings(1, kBaseUs, 1), {}, QStringLiteral("p"), &error));
        QVERIFY2(error.contains(QStringLiteral("cannot reach the database")), qPrintable(error));
        QVERIFY(!store.loadOffsets(QStringLiteral("p"), &error));
    }

    void killedBeforeCommitWritesNothing()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        TelemetryStore store(conn);
        QString error;
        QVERIFY2(store.write(makeReadings(400, kBaseUs, 1000),
                             {{QStringLiteral("alabos.telemetry"), 0, 400}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--crash-child"), conn});
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit); // killed, as planned, before COMMIT
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("400"));
        QVERIFY2(store.foldMinutes(&error), qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(n) FROM telemetry_minute")),
                 QStringLiteral("400"));
        auto offsets = store.loadOffsets(QStringLiteral("persister"), &error);
        QCOMPARE(*offsets, (QList<PartitionOffset>{{QStringLiteral("alabos.telemetry"), 0, 400}}));
        // The restarted persister resumes from offset 400 and writes the batch once.
        QVERIFY2(store.write(makeReadings(500, kBaseUs + 3600LL * 1000000, 1000),
                             {{QStringLiteral("alabos.telemetry"), 0, 900}},
                             QStringLiteral("persister"), &error),
                 qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("900"));
        QVERIFY2(store.foldMinutes(&error), qPrintable(error));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(n) FROM telemetry_minute")),
                 QStringLiteral("900"));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && QByteArray(argv[1]) == "--crash-child")
        return crashChild(QString::fromLocal8Bit(argv[2]));
    TstTelemetryStore tc;
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_telemetrystore.moc"
