// The relay killed between the broker's acknowledgement and the cursor update, then
// restarted: every event arrives, some twice, none lost; consumers drop repeats by id.
#include "core/bus/embeddedbroker.h"
#include "core/bus/eventcodec.h"
#include "core/bus/kafka.h"
#include "core/bus/topics.h"
#include "core/storage/eventrelay.h"
#include "core/storage/storagewriter.h"
#include "tests/support/testbroker.h"
#include "tests/support/testdatabase.h"
#include "tests/support/topicreader.h"

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
    QList<EventId> ids;
    for (const test::TopicRecord &r : test::readTopic(bootstrap, topic, expected, timeoutMs)) {
        DecodeProblem problem;
        if (const auto e = decodeEvent(r.value, &problem, nullptr)) ids.append(e->id);
    }
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
        QVERIFY2(test::startBrokerWithTopics(m_broker, &m_settings, &error), qPrintable(error));
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
