// Every storage path through Debian's PgBouncer in transaction pool mode, with one server
// connection shared by all clients: any session state (prepared statements, temp tables,
// SET outside a transaction) would leak between them or fail here.
#include "core/bus/embeddedbroker.h"
#include "core/bus/kafka.h"
#include "core/bus/topics.h"
#include "core/storage/eventrelay.h"
#include "core/storage/history.h"
#include "core/storage/migrations.h"
#include "core/storage/retention.h"
#include "core/storage/samplestore.h"
#include "core/storage/storagewriter.h"
#include "core/storage/telemetrystore.h"
#include "tests/support/pgbouncer.h"
#include "tests/support/testdatabase.h"

#include <QFile>
#include <QMap>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <pqxx/pqxx>
#include <unistd.h>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

class TstPgBouncer : public QObject
{
    Q_OBJECT
    test::PgBouncer m_bouncer;
    QString m_direct;
    QString m_pooled;      // as the application role
    QString m_pooledOwner; // as the owner role: migrations and retention

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
        m_direct = TestDatabase::instance().createDatabase(0); // migrated through the pooler below
        const QString dbName = queryValue(m_direct, QStringLiteral("SELECT current_database()"));
        const QString error = m_bouncer.start(dbName);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_pooled = m_bouncer.pooled;
        m_pooledOwner = m_bouncer.pooledOwner;
    }

    void migrationsThroughThePooler()
    {
        pqxx::connection c(m_pooledOwner.toStdString());
        QString error;
        MigrationReport report;
        QVERIFY2(migrate(c, &error, &report), qPrintable(error));
        QCOMPARE(report.toVersion, latestSchemaVersion());
        QVERIFY2(migrate(c, &error, &report), qPrintable(error));
        QVERIFY(report.applied.isEmpty());
        QString made;
        QVERIFY2(ensurePartitions(m_pooledOwner, {}, &error), qPrintable(error));
        QVERIFY2(applyRetention(m_pooledOwner, {}, &error), qPrintable(error));
        QVERIFY2(sampleLabMinute(m_pooled, &error), qPrintable(error));
    }

    void writerTelemetrySamplesAndHistoryShareOneServerConnection()
    {
        // All of these hold a client connection at once; the pooler has one server connection.
        StorageWriter writer(m_pooled);
        TelemetryStore telemetry(m_pooled);
        SampleStore samples(m_pooled);
        HistoryQueries history({m_pooled});
        QString error;
        for (int round = 0; round < 5; ++round) {
            for (int i = 1; i <= 100; ++i) {
                const int id = round * 100 + i;
                ChangeSet c;
                c.workflow(
                    WorkflowState{
                        id, QStringLiteral("pool"), QStringLiteral("running"), {}, nowMicros(), 0},
                    QStringLiteral("workflow.created"));
                writer.submit(quint64(id), c);
            }
            QCOMPARE(writer.flushNow(), 0);
            QList<TelemetryReading> readings;
            for (int i = 0; i < 1000; ++i)
                readings.append({QStringLiteral("furnace-%1").arg(i % 4),
                                 QStringLiteral("temperature_c"), double(i),
                                 nowMicros() - i * 1000});
            QVERIFY2(telemetry.write(readings,
                                     {{QStringLiteral("alabos.telemetry"), 0, (round + 1) * 1000}},
                                     QStringLiteral("persister"), &error),
                     qPrintable(error));
            QList<SampleState> batch;
            for (int i = 1; i <= 100; ++i)
                batch.append(SampleState{
                    round * 100 + i, QStringLiteral("PB-%1-%2").arg(round).arg(i), {}, 0, {}, 0});
            const SampleBatchResult r =
                samples.registerBatch(batch, QStringLiteral("tina"), QStringLiteral("desk"));
            QVERIFY2(r.ok, qPrintable(r.error));
            const auto existing =
                samples.existingBarcodes({QStringLiteral("PB-%1-1").arg(round)}, &error);
            QVERIFY2(existing && existing->size() == 1, qPrintable(error));
            const auto events = history.lastEvents(QString::number(round * 100 + 1), 10, &error);
            QVERIFY2(events && !events->isEmpty(), qPrintable(error));
            QVERIFY2(history.telemetry(QStringLiteral("furnace-1"), QStringLiteral("temperature_c"),
                                       nowMicros() - 3600000000LL, nowMicros(), 100, &error),
                     qPrintable(error));
            QVERIFY2(
                history.completedPerHour(nowMicros() - 7 * 24 * 3600000000LL, nowMicros(), &error),
                qPrintable(error));
        }
        const auto offsets = telemetry.loadOffsets(QStringLiteral("persister"), &error);
        QVERIFY2(offsets, qPrintable(error));
        QCOMPARE(offsets->first().offset, 5000);
        QCOMPARE(queryValue(m_direct, QStringLiteral("SELECT count(*) FROM workflows")),
                 QStringLiteral("500"));
        QCOMPARE(queryValue(m_direct, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("5000"));
        QCOMPARE(queryValue(m_direct, QStringLiteral("SELECT count(*) FROM samples")),
                 QStringLiteral("500"));
        QCOMPARE(queryValue(m_direct, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("1000"));
    }

    void relayThroughThePooler()
    {
        EmbeddedBroker broker;
        QString error;
        QVERIFY2(broker.start(1, &error), qPrintable(error));
        KafkaSettings settings;
        settings.bootstrap = broker.bootstrap();
        QVERIFY2(ensureTopics(settings, &broker, {}, &error), qPrintable(error));
        auto producer = KafkaProducer::create(settings, &error);
        QVERIFY2(producer, qPrintable(error));
        EventRelay relay(m_pooled, producer.get(), QStringLiteral("pooled"));
        QVERIFY(relay.publishPending(30000));
        QCOMPARE(relay.publishedTotal(), 1000);
        QCOMPARE(queryValue(m_direct,
                            QStringLiteral(
                                "SELECT last_event_id FROM relay_cursor WHERE name = 'pooled'")),
                 queryValue(m_direct, QStringLiteral("SELECT max(id) FROM events")));
        // Nothing session-scoped was left on the shared server connection.
        QCOMPARE(
            queryValue(m_direct, QStringLiteral("SELECT count(*) FROM pg_prepared_statements")),
            QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TstPgBouncer)
#include "tst_pgbouncer.moc"
