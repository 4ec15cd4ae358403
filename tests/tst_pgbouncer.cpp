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
    QTemporaryDir m_dir{QStringLiteral("/tmp/alabos-pgbouncer-XXXXXX")};
    QProcess m_bouncer;
    QString m_direct;
    QString m_pooled;      // as the application role
    QString m_pooledOwner; // as the owner role: migrations and retention

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
        const QString bin = QStringLiteral("/usr/sbin/pgbouncer");
        if (!QFile::exists(bin))
            QFAIL("pgbouncer is not installed (scripts/install-deps installs it)");
        m_direct = TestDatabase::instance().createDatabase(0); // migrated through the pooler below
        const QString dbName = queryValue(m_direct, QStringLiteral("SELECT current_database()"));
        int port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const QString dir = test::makeSharedTempDir(m_dir);
        // PgBouncer logs in to the server itself, with the roles' passwords from the passfile;
        // clients of the pooler need none (auth_type any), as on a host only alabos uses.
        QMap<QString, QString> passwords;
        {
            QFile passFile(TestDatabase::instance().server().passFile());
            QVERIFY(passFile.open(QIODevice::ReadOnly));
            for (const QByteArray &line : passFile.readAll().trimmed().split('\n')) {
                const QList<QByteArray> fields = line.split(':');
                QCOMPARE(fields.size(), 5);
                passwords.insert(QString::fromUtf8(fields[3]), QString::fromUtf8(fields[4]));
            }
        }
        const QString server = QStringLiteral("host=%1 port=%2 dbname=%3")
                                   .arg(TestDatabase::instance().server().socketDir())
                                   .arg(TestDatabase::instance().server().port())
                                   .arg(dbName);
        QFile ini(dir + QStringLiteral("/pgbouncer.ini"));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        QVERIFY(ini.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        ini.write(QStringLiteral("[databases]\n"
                                 "%1 = %2 user=alabos_app password=%3\n"
                                 "%1_owner = %2 user=alabos_owner password=%4\n"
                                 "[pgbouncer]\n"
                                 "listen_addr = 127.0.0.1\nlisten_port = %5\nunix_socket_dir =\n"
                                 "auth_type = any\npool_mode = transaction\n"
                                 "default_pool_size = 1\nmax_client_conn = 50\n"
                                 "logfile = %6/pgbouncer.log\npidfile = %6/pgbouncer.pid\n")
                      .arg(dbName, server, passwords.value(QStringLiteral("alabos_app")),
                           passwords.value(QStringLiteral("alabos_owner")))
                      .arg(port)
                      .arg(dir)
                      .toUtf8());
        ini.close();
        // pgbouncer refuses to run as root; run it as postgres, like the server.
        if (::geteuid() == 0) {
            QCOMPARE(QProcess::execute(QStringLiteral("chown"),
                                       {QStringLiteral("-R"), QStringLiteral("postgres"), dir}),
                     0);
            m_bouncer.start(QStringLiteral("runuser"),
                            {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                             bin, ini.fileName()});
        } else {
            m_bouncer.start(bin, {ini.fileName()});
        }
        QVERIFY(m_bouncer.waitForStarted());
        m_pooled =
            QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=alabos_app connect_timeout=5")
                .arg(port)
                .arg(dbName);
        m_pooledOwner =
            QStringLiteral(
                "host=127.0.0.1 port=%1 dbname=%2_owner user=alabos_owner connect_timeout=5")
                .arg(port)
                .arg(dbName);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                try {
                    pqxx::connection c(m_pooled.toStdString());
                    return true;
                } catch (...) {
                    return false;
                }
            }(),
            15000);
    }

    void cleanupTestCase()
    {
        if (m_bouncer.state() != QProcess::NotRunning) {
            // runuser forwards SIGTERM to pgbouncer.
            m_bouncer.terminate();
            if (!m_bouncer.waitForFinished(10000)) m_bouncer.kill();
        }
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
        QVERIFY2(ensurePartitions(m_pooledOwner, 7, &error), qPrintable(error));
        QVERIFY2(applyRetention(m_pooledOwner, {}, &error), qPrintable(error));
        QVERIFY2(sampleLabMinute(m_pooled, &error), qPrintable(error));
    }

    void writerTelemetrySamplesAndHistoryShareOneServerConnection()
    {
        // All of these hold a client connection at once; the pooler has one server connection.
        StorageWriter writer(m_pooled);
        TelemetryStore telemetry(m_pooled);
        SampleStore samples(m_pooled);
        HistoryQueries history(m_pooled);
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
