// The state feed hands the events it applied to the console (the live event log), through
// the real embedded broker and a real PostgreSQL snapshot.
#include "core/bus/embeddedbroker.h"
#include "core/bus/eventcodec.h"
#include "core/bus/recentversions.h"
#include "core/bus/statefeed.h"
#include "core/bus/topics.h"
#include "core/storage/snapshot.h"
#include "tests/support/testbroker.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTest>

using namespace alabos;
using test::TestDatabase;

namespace {
Event deviceEvent(EventId id, DeviceStatus status)
{
    const DeviceState d{QStringLiteral("d-1"), QStringLiteral("xrd"), status, 0, 0, id};
    return Event{id,
                 QStringLiteral("device"),
                 QStringLiteral("d-1"),
                 QStringLiteral("device.status"),
                 id,
                 d.toJson()};
}

Event taskEvent(EventId id, TaskId task)
{
    TaskState t;
    t.id = task;
    t.workflowId = 1;
    t.name = QStringLiteral("heat");
    t.status = TaskStatus::Running;
    return Event{id,
                 QStringLiteral("task"),
                 QString::number(task),
                 QStringLiteral("task.started"),
                 id,
                 t.toJson()};
}

QList<FeedUpdate> liveUpdates(const QSignalSpy &spy)
{
    QList<FeedUpdate> out;
    for (const QList<QVariant> &args : spy) {
        const FeedUpdate u = args.at(0).value<FeedUpdate>();
        if (!u.reset) out.append(u);
    }
    return out;
}
} // namespace

class TstFeedEvents : public QObject
{
    Q_OBJECT
    EmbeddedBroker m_broker;
    KafkaSettings m_settings;
    std::unique_ptr<KafkaProducer> m_producer;

    void send(const QList<Event> &events)
    {
        QString error;
        DeliveryTracker t;
        for (const Event &e : events)
            QVERIFY2(m_producer->produce(stateTopicFor(e.entityType), e.entityId.toUtf8(),
                                         encodeEvent(e), &t, &error),
                     qPrintable(error));
        QVERIFY(t.waitFor(int(events.size()), 20000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        QString error;
        QVERIFY2(test::startBrokerWithTopics(m_broker, &m_settings, &error), qPrintable(error));
        m_producer = KafkaProducer::create(m_settings, &error);
        QVERIFY2(m_producer, qPrintable(error));
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void appliedEventsArriveWithTheirBatch()
    {
        const QString conn = test::createDatabaseWithOneDevice();
        StateFeed feed(
            m_settings, [conn](QString *why) { return loadSnapshot(conn, 100, why); }, 20);
        QSignalSpy updates(&feed, &StateFeed::updated);
        feed.start();
        QCOMPARE(updates.size(), 1);
        QVERIFY(
            updates.first().at(0).value<FeedUpdate>().events.isEmpty()); // a snapshot has no events

        send({deviceEvent(1, DeviceStatus::Error), // already in the snapshot
              deviceEvent(2, DeviceStatus::Busy), taskEvent(3, 77),
              taskEvent(3, 77)}); // a duplicate
        QTRY_VERIFY_WITH_TIMEOUT(
            feed.stats().eventsApplied == 2 && feed.stats().duplicatesDropped == 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!liveUpdates(updates).isEmpty(), 5000);
        QTest::qWait(100); // the flush after the last drain
        QList<Event> received;
        for (const FeedUpdate &u : liveUpdates(updates)) {
            QCOMPARE(u.eventsOmitted, 0);
            received += u.events;
        }
        QCOMPARE(received.size(), 2); // applied only: neither the stale one nor the duplicate
        std::sort(received.begin(), received.end(),
                  [](const Event &a, const Event &b) { return a.id < b.id; });
        QCOMPARE(received.at(0).id, 2);
        QCOMPARE(received.at(0).entityType, QStringLiteral("device"));
        QCOMPARE(received.at(0).entityId, QStringLiteral("d-1"));
        QCOMPARE(received.at(0).kind, QStringLiteral("device.status"));
        QCOMPARE(received.at(0).payload.value(QStringLiteral("status")).toString(),
                 QStringLiteral("busy"));
        QCOMPARE(received.at(1).id, 3);
        QCOMPARE(received.at(1).entityId, QStringLiteral("77"));
        QCOMPARE(received.at(1).kind, QStringLiteral("task.started"));
        feed.stop();
    }

    void aBurstIsCappedPerBatchNewestKept()
    {
        const QString conn = test::createDatabaseWithOneDevice();
        // A slow flush so a burst lands in one or two batches.
        StateFeed feed(
            m_settings, [conn](QString *why) { return loadSnapshot(conn, 100, why); }, 1500);
        QSignalSpy updates(&feed, &StateFeed::updated);
        feed.start();
        constexpr int kBurst = 5000;
        QList<Event> burst;
        for (int i = 0; i < kBurst; ++i)
            burst.append(deviceEvent(10 + i, i % 2 ? DeviceStatus::Busy : DeviceStatus::Idle));
        send(burst);
        QTRY_VERIFY_WITH_TIMEOUT(feed.stats().eventsApplied == kBurst, 20000);
        qint64 seen = 0, omitted = 0;
        EventId lastId = 0;
        QTRY_VERIFY_WITH_TIMEOUT((seen = 0, omitted = 0,
                                  [&] {
                                      for (const FeedUpdate &u : liveUpdates(updates)) {
                                          seen += u.events.size();
                                          omitted += u.eventsOmitted;
                                      }
                                      return seen + omitted == kBurst;
                                  }()),
                                 10000);
        QVERIFY(omitted > 0); // 5,000 in at most two batches: one held more than the cap
        for (const FeedUpdate &u : liveUpdates(updates)) {
            QVERIFY(u.events.size() <= StateFeed::MaxEventsPerBatch);
            for (const Event &e : u.events) {
                QVERIFY(e.id > lastId); // one partition: in order, the older ones dropped
                lastId = e.id;
            }
        }
        QCOMPARE(lastId, EventId(10 + kBurst - 1)); // the newest always arrive
        feed.stop();
    }

    // Which event of an entity is newest is remembered for the recent ones only, so a feed
    // following millions of tasks stays within a bounded memory; a redelivered older event of
    // a recent entity is still recognised, also across a generation change.
    void theNewestEventPerEntityIsRememberedInBoundedMemory()
    {
        constexpr qsizetype kGeneration = 1000;
        RecentVersions versions(kGeneration);
        for (int i = 0; i < 100 * kGeneration; ++i) {
            versions.insert(QStringLiteral("task:%1").arg(i), EventId(i + 1));
            QVERIFY(versions.size() <= 2 * kGeneration);
        }
        // The newest keys are there with their ids, the oldest forgotten.
        const int last = 100 * kGeneration - 1;
        QCOMPARE(versions.find(QStringLiteral("task:%1").arg(last)), EventId(last + 1));
        // At least the newest generation's worth of keys is always known.
        QCOMPARE(versions.find(QStringLiteral("task:%1").arg(last - kGeneration + 1)),
                 EventId(last - kGeneration + 2));
        QVERIFY(!versions.find(QStringLiteral("task:%1").arg(last - 2 * kGeneration)));
        QVERIFY(!versions.find(QStringLiteral("task:0")));
        // An entity updated all along stays known with its newest id, whichever generation
        // holds it.
        RecentVersions busy(kGeneration);
        for (int i = 0; i < 10 * kGeneration; ++i) {
            busy.insert(QStringLiteral("device:d-1"), EventId(2 * i + 2));
            busy.insert(QStringLiteral("task:%1").arg(i), EventId(2 * i + 1));
            QCOMPARE(busy.find(QStringLiteral("device:d-1")), EventId(2 * i + 2));
        }
        busy.clear();
        QCOMPARE(busy.size(), 0);
        QVERIFY(!busy.find(QStringLiteral("device:d-1")));
    }
};

QTEST_GUILESS_MAIN(TstFeedEvents)
#include "tst_feedevents.moc"
