// The state feed hands the events it applied to the console (the live event log), through
// the real embedded broker and a real PostgreSQL snapshot.
#include "core/bus/embeddedbroker.h"
#include "core/bus/eventcodec.h"
#include "core/bus/recentversions.h"
#include "core/bus/statefeed.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/storage/eventrelay.h"
#include "core/storage/snapshot.h"
#include "tests/support/testbroker.h"
#include "tests/support/testdatabase.h"
#include "tests/support/topicreader.h"

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

Event taskEvent(EventId id, TaskId task, const QString &device = {})
{
    TaskState t;
    t.id = task;
    t.workflowId = 1;
    t.name = QStringLiteral("heat");
    t.status = TaskStatus::Running;
    t.deviceId = device;
    t.startedUs = id * 1000;
    return Event{id,
                 QStringLiteral("task"),
                 QString::number(task),
                 QStringLiteral("task.started"),
                 id,
                 t.toJson()};
}

// Each device as the console last saw it, through every batch so far.
QHash<QString, DeviceState> shownDevices(const QSignalSpy &spy)
{
    QHash<QString, DeviceState> shown;
    for (const QList<QVariant> &args : spy) {
        const FeedUpdate u = args.at(0).value<FeedUpdate>();
        if (u.reset) shown.clear();
        for (const DeviceState &d : u.devices)
            shown.insert(d.id, d);
    }
    return shown;
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

    // Publishes an event as the relay does, signed by `key` (none: unsigned); `value`
    // replaces its bytes (a forgery that keeps the real signature).
    void sendSigned(const Event &e, const SigningKey *key, const QByteArray &value = {})
    {
        const char *topicName = stateTopicFor(e.entityType);
        const QByteArray key8 = e.entityId.toUtf8();
        const QByteArray real = encodeEvent(e);
        QString error;
        DeliveryTracker t;
        QVERIFY2(m_producer->produce(
                     topicName, key8, value.isEmpty() ? real : value, &t, &error, -1, 5000,
                     key ? streamSignature(*key, topicName, key8, real) : QByteArray()),
                 qPrintable(error));
        QVERIFY(t.waitFor(1, 20000));
    }

    void sendList(const QList<Event> &events, const SigningKey &key)
    {
        DigestList list;
        list.relay = QStringLiteral("test");
        for (const Event &e : events)
            list.digests.append(
                messageDigest(stateTopicFor(e.entityType), e.entityId.toUtf8(), encodeEvent(e)));
        const QByteArray value = encodeDigestList(list);
        QString error;
        DeliveryTracker t;
        QVERIFY2(m_producer->produce(topic::Signatures, "test", value, &t, &error, -1, 5000,
                                     streamSignature(key, topic::Signatures, "test", value)),
                 qPrintable(error));
        QVERIFY(t.waitFor(1, 20000));
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

    // The engine writes no event when a task's own device turns busy: the task's start names
    // it. The console shows the device busy with that task until a newer event of the
    // device's own, whichever topic it reads first.
    void aDeviceIsBusyWhileTheNewestWordOnItIsATaskStart()
    {
        const QString conn = test::createDatabaseWithOneDevice();
        StateFeed feed(
            m_settings, [conn](QString *why) { return loadSnapshot(conn, 100, why); }, 20);
        QSignalSpy updates(&feed, &StateFeed::updated);
        feed.start();
        QCOMPARE(toString(shownDevices(updates).value(QStringLiteral("d-1")).status),
                 QStringLiteral("idle"));

        send({taskEvent(100, 77, QStringLiteral("d-1"))});
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(shownDevices(updates).value(QStringLiteral("d-1")).status),
            QStringLiteral("busy"), 10000);
        DeviceState d1 = shownDevices(updates).value(QStringLiteral("d-1"));
        QCOMPARE(d1.currentTask, TaskId(77));
        QCOMPARE(d1.updatedUs, qint64(100 * 1000));
        QCOMPARE(d1.type, QStringLiteral("xrd")); // the rest as the device last told it

        // Released: the device's own event is newer. A start older than it, read late from
        // another partition, changes nothing.
        send({deviceEvent(101, DeviceStatus::Idle), taskEvent(99, 76, QStringLiteral("d-1"))});
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(3), 10000);
        QTest::qWait(100); // the flush after the last drain
        d1 = shownDevices(updates).value(QStringLiteral("d-1"));
        QCOMPARE(toString(d1.status), QStringLiteral("idle"));
        QCOMPARE(d1.currentTask, TaskId(0));

        // A start read before the device's own older event (another topic): shown busy once
        // the device is known, not before.
        send({taskEvent(103, 78, QStringLiteral("d-2"))});
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(4), 10000);
        QTest::qWait(100);
        QVERIFY(!shownDevices(updates).contains(QStringLiteral("d-2")));
        Event registered = deviceEvent(102, DeviceStatus::Idle);
        registered.entityId = QStringLiteral("d-2");
        registered.payload.insert(QStringLiteral("id"), registered.entityId);
        send({registered});
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(shownDevices(updates).value(QStringLiteral("d-2")).status),
            QStringLiteral("busy"), 10000);
        QCOMPARE(shownDevices(updates).value(QStringLiteral("d-2")).currentTask, TaskId(78));
        // A task that names no device (waiting, or a retry that gave its device back) changes
        // no device.
        send({taskEvent(104, 79)});
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(6), 10000);
        QTest::qWait(100);
        QCOMPARE(shownDevices(updates).size(), 2);
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

    // A console believes what a list signed by the scheduler names, checks alone what no
    // list names, and never shows a forgery, whichever list an attacker adds.
    void aSignedDigestListVouchesForWhatItNamesAndNothingElse()
    {
        const QString conn = test::createDatabaseWithOneDevice();
        const SigningKey scheduler = SigningKey::generate();
        const SigningKey attacker = SigningKey::generate();
        auto trusted = std::make_shared<TrustedKeys>();
        trusted->add(scheduler.publicKey());
        StateFeed feed(
            m_settings, [conn](QString *why) { return loadSnapshot(conn, 100, why); }, 20);
        feed.setTrustedKeys(trusted);
        feed.setDeadLetterProducer(m_producer.get());
        QSignalSpy updates(&feed, &StateFeed::updated);
        feed.start();
        const auto deadBefore =
            test::readTopic(m_settings.bootstrap, topic::DeadLetter, 1000000, 1500).size();

        // Events first, their list after them: each is believed through the list.
        QList<Event> batch;
        for (int i = 0; i < 20; ++i)
            batch.append(taskEvent(100 + i, 1000 + i));
        for (const Event &e : std::as_const(batch))
            sendSigned(e, &scheduler);
        sendList(batch, scheduler);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().verifiedByList, qint64(20), 10000);
        QCOMPARE(feed.stats().verifiedAlone, qint64(0));

        // The list before its events.
        QList<Event> early;
        for (int i = 0; i < 5; ++i)
            early.append(taskEvent(200 + i, 2000 + i));
        sendList(early, scheduler);
        QTest::qWait(200);
        for (const Event &e : std::as_const(early))
            sendSigned(e, &scheduler);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().verifiedByList, qint64(25), 10000);
        QCOMPARE(feed.stats().verifiedAlone, qint64(0));

        // A forged event with a list the attacker signed; a real event's signature on other
        // bytes, named by the scheduler's own list (which names the real bytes); then the
        // real event.
        const Event forged = taskEvent(900000, 3000);
        Event real = taskEvent(300, 3001);
        Event altered = real;
        altered.payload.insert(QStringLiteral("status"), QStringLiteral("failed"));
        sendList({forged}, attacker);
        sendSigned(forged, nullptr);
        sendList({real}, scheduler);
        sendSigned(real, &scheduler, encodeEvent(altered));
        sendSigned(real, &scheduler);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().unsigned_, qint64(3), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().verifiedByList, qint64(26), 10000);

        // Signed events no list names are believed after their own check, in their
        // partition's order: one task's unlisted event holds back its listed successor.
        QList<Event> alone{taskEvent(400, 4000), taskEvent(401, 4001), taskEvent(402, 4002)};
        for (const Event &e : std::as_const(alone))
            sendSigned(e, &scheduler);
        const Event first = taskEvent(500, 5000);
        const Event second = taskEvent(501, 5000);
        sendSigned(first, &scheduler);
        sendSigned(second, &scheduler);
        sendList({second}, scheduler);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().verifiedAlone, qint64(4), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().verifiedByList, qint64(27), 10000);

        QCOMPARE(feed.stats().eventsApplied, qint64(20 + 5 + 1 + 3 + 2));
        QCOMPARE(feed.stats().unsigned_, qint64(3));
        QTest::qWait(100); // the flush after the last delivery
        QList<EventId> shown;
        for (const FeedUpdate &u : liveUpdates(updates))
            for (const Event &e : u.events) {
                shown.append(e.id);
                QVERIFY2(e.payload.value(QStringLiteral("status")).toString() !=
                             QStringLiteral("failed"),
                         "the altered event was shown");
            }
        QVERIFY(!shown.contains(forged.id));
        QVERIFY(shown.contains(real.id));
        QVERIFY(shown.indexOf(first.id) < shown.indexOf(second.id));
        QCOMPARE(shown.size(), 31);

        const auto dead =
            test::readTopic(m_settings.bootstrap, topic::DeadLetter, int(deadBefore) + 3);
        QMap<QByteArray, int> reasons;
        for (qsizetype i = deadBefore; i < dead.size(); ++i)
            ++reasons[dead.at(i).headers.value("alabos.source-topic") + ' ' +
                      dead.at(i).headers.value("alabos.reason")];
        QCOMPARE(reasons, (QMap<QByteArray, int>{{"alabos.signatures bad-signature", 1},
                                                 {"alabos.state.tasks unsigned", 1},
                                                 {"alabos.state.tasks bad-signature", 1}}));
        feed.stop();
    }

    // The relay lists, after each batch, the digest of every message it published, signed,
    // and a console follows a lab on those lists alone.
    void theRelayListsEveryEventItPublishes()
    {
        const QString conn = test::createDatabaseWithOneDevice();
        auto key = std::make_shared<const SigningKey>(SigningKey::generate());
        auto trusted = std::make_shared<TrustedKeys>();
        trusted->add(key->publicKey());
        StateFeed feed(
            m_settings, [conn](QString *why) { return loadSnapshot(conn, 100, why); }, 20);
        feed.setTrustedKeys(trusted);
        feed.start();
        const auto listsBefore =
            test::readTopic(m_settings.bootstrap, topic::Signatures, 1000000, 1500).size();
        test::queryValue(
            conn, QStringLiteral("INSERT INTO events (entity_type, entity_id, kind, payload) "
                                 "SELECT 'workflow', (8000 + i)::text, 'workflow.created', "
                                 "jsonb_build_object('id', 8000 + i, 'template', 'relay', "
                                 "'status', 'running', 'samples', '[]'::jsonb) "
                                 "FROM generate_series(1, %1) AS i RETURNING 1")
                      .arg(EventRelay::kBatch + 500));
        EventRelay relay(conn, m_producer.get(), QStringLiteral("lists"));
        relay.setSigningKey(key);
        relay.start();
        QTRY_COMPARE_WITH_TIMEOUT(relay.publishedTotal(), qint64(EventRelay::kBatch + 501), 20000);
        relay.stop();

        // Two batches of at most kBatch events, one list each, signed, naming every
        // published message once.
        const auto lists =
            test::readTopic(m_settings.bootstrap, topic::Signatures, int(listsBefore) + 2);
        QCOMPARE(lists.size(), listsBefore + 2);
        QSet<QByteArray> named;
        qint64 digests = 0;
        for (qsizetype i = listsBefore; i < lists.size(); ++i) {
            const auto &record = lists.at(i);
            QVERIFY(trusted->verify(topic::Signatures, record.key, record.value,
                                    record.headers.value(kSignatureHeader)));
            QString why;
            const auto list = decodeDigestList(record.value, &why);
            QVERIFY2(list, qPrintable(why));
            QCOMPARE(list->relay, QStringLiteral("lists"));
            digests += list->digests.size();
            for (const QByteArray &d : list->digests)
                named.insert(d);
        }
        QCOMPARE(digests, qint64(EventRelay::kBatch + 501));
        const auto workflows =
            test::readTopic(m_settings.bootstrap, topic::StateWorkflows, 1000000, 3000);
        int found = 0;
        for (const auto &record : workflows)
            if (named.contains(messageDigest(topic::StateWorkflows, record.key, record.value)))
                ++found;
        QCOMPARE(found, EventRelay::kBatch + 500);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(EventRelay::kBatch + 500),
                                  20000);
        QCOMPARE(feed.stats().verifiedByList, qint64(EventRelay::kBatch + 500));
        QCOMPARE(feed.stats().verifiedAlone, qint64(0));
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
