// The relay killed between the broker's acknowledgement and the cursor update, then
// restarted: every event arrives, some twice, none lost; consumers drop repeats by id.
#include "core/bus/embeddedbroker.h"
#include "core/bus/eventcodec.h"
#include "core/bus/kafka.h"
#include "core/bus/topics.h"
#include "core/storage/eventrelay.h"
#include "core/storage/storagewriter.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <csignal>
#include <librdkafka/rdkafka.h>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
// Every message of `topic` from the beginning, decoded to event ids.
QList<EventId> readIds(const QString &bootstrap, const char *topic, int expected, int timeoutMs)
{
    QString error;
    rd_kafka_conf_t *conf = makeKafkaConf(
        {bootstrap, {}, 5}, {{QStringLiteral("group.id"), QStringLiteral("crash-reader")}}, &error);
    char errstr[256];
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr));
    rd_kafka_poll_set_consumer(rk.get());
    const rd_kafka_metadata_t *md = nullptr;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk.get(), topic, nullptr);
    rd_kafka_metadata(rk.get(), 0, rkt, &md, 5000);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(64);
    for (int p = 0; p < md->topics[0].partition_cnt; ++p)
        rd_kafka_topic_partition_list_add(list, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_metadata_destroy(md);
    rd_kafka_assign(rk.get(), list);
    rd_kafka_topic_partition_list_destroy(list);
    QList<EventId> ids;
    QElapsedTimer clock;
    clock.start();
    while (ids.size() < expected && clock.elapsed() < timeoutMs) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk.get(), 50);
        if (!m) continue;
        if (!m->err) {
            DecodeProblem problem;
            const auto e = decodeEvent(
                QByteArray(static_cast<const char *>(m->payload), int(m->len)), &problem, nullptr);
            if (e) ids.append(e->id);
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk.get());
    return ids;
}

// Child: publish everything, die (SIGKILL) once the broker acknowledged, before the cursor.
int crashChild(const QString &conn, const QString &bootstrap)
{
    registerMetaTypes();
    KafkaSettings settings;
    settings.bootstrap = bootstrap;
    QString error;
    auto producer = KafkaProducer::create(settings, &error);
    if (!producer) return 4;
    EventRelay relay(conn, producer.get(), QStringLiteral("main"));
    relay.setBeforeCursorUpdateHook([] { ::raise(SIGKILL); });
    relay.publishPending(30000);
    return 3; // not reached
}
} // namespace

class TstRelayCrash : public QObject
{
    Q_OBJECT
    EmbeddedBroker m_broker;
    KafkaSettings m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        QString error;
        QVERIFY2(m_broker.start(1, &error), qPrintable(error));
        m_settings.bootstrap = m_broker.bootstrap();
        QVERIFY2(ensureTopics(m_settings, &m_broker, 1, &error), qPrintable(error));
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void killedBetweenPublishAndCursorLosesNothing()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        {
            StorageWriter writer(conn);
            for (int i = 1; i <= 500; ++i) {
                ChangeSet c;
                c.workflow(
                    WorkflowState{
                        i, QStringLiteral("crash"), QStringLiteral("running"), {}, nowMicros(), 0},
                    QStringLiteral("workflow.created"));
                writer.submit(quint64(i), c);
            }
            QCOMPARE(writer.flushNow(), 0);
        }
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("500"));

        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--crash-child"), conn, m_settings.bootstrap});
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // Published and acknowledged, but the cursor never moved.
        QCOMPARE(
            queryValue(
                conn, QStringLiteral("SELECT last_event_id FROM relay_cursor WHERE name = 'main'")),
            QStringLiteral("0"));
        QList<EventId> ids = readIds(m_settings.bootstrap, topic::StateWorkflows, 500, 15000);
        QCOMPARE(ids.size(), 500);

        // Restarted: the batch goes out again; 1,000 messages, each of the 500 events twice.
        QString error;
        auto producer = KafkaProducer::create(m_settings, &error);
        QVERIFY2(producer, qPrintable(error));
        EventRelay relay(conn, producer.get(), QStringLiteral("main"));
        QVERIFY(relay.publishPending(30000));
        QCOMPARE(relay.cursor(), 500);
        QCOMPARE(
            queryValue(
                conn, QStringLiteral("SELECT last_event_id FROM relay_cursor WHERE name = 'main'")),
            QStringLiteral("500"));
        ids = readIds(m_settings.bootstrap, topic::StateWorkflows, 1000, 15000);
        QCOMPARE(ids.size(), 1000);
        QCOMPARE(QSet<EventId>(ids.begin(), ids.end()).size(), 500);
        std::sort(ids.begin(), ids.end());
        for (int i = 0; i < 500; ++i) {
            QCOMPARE(ids[2 * i], EventId(i + 1));
            QCOMPARE(ids[2 * i + 1], EventId(i + 1));
        }
        // And a third start publishes nothing more.
        EventRelay again(conn, producer.get(), QStringLiteral("main"));
        QVERIFY(again.publishPending(5000));
        QCOMPARE(again.publishedTotal(), 0);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && QByteArray(argv[1]) == "--crash-child")
        return crashChild(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    TstRelayCrash tc;
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_relaycrash.moc"
