// Live streams on Kafka: telemetry publisher and persister, dead letters, the
// console feed's replay and telemetry, real-cluster settings, and broker faults injected
// through the embedded broker itself. Every test gets a fresh broker.
#include "core/bus/brokerwindow.h"
#include "core/bus/deadletter.h"
#include "core/bus/embeddedbroker.h"
#include "core/bus/eventcodec.h"
#include "core/bus/statefeed.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/telemetrypersister.h"
#include "core/bus/telemetrypublisher.h"
#include "core/bus/topics.h"
#include "core/storage/eventrelay.h"
#include "core/storage/snapshot.h"
#include "core/storage/storagewriter.h"
#include "core/storage/telemetrystore.h"
#include "tests/support/testdatabase.h"
#include "tests/support/topicreader.h"

#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <cmath>
#include <librdkafka/rdkafka.h>
#include <mutex>
#include <thread>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
constexpr int kApiProduce = 0; // Kafka protocol API keys
constexpr int kApiFetch = 1;

using Record = test::TopicRecord;
using test::readTopic;

qint64 highWatermarkSum(const QString &bootstrap, const char *topic, qint64 *lowSum = nullptr)
{
    QString error;
    rd_kafka_conf_t *conf = makeKafkaConf({bootstrap, {}, 5}, {}, &error);
    char errstr[256];
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    qint64 sum = 0, lows = 0;
    for (int p = 0; p < 32; ++p) {
        int64_t low = 0, high = 0;
        if (rd_kafka_query_watermark_offsets(rk.get(), topic, p, &low, &high, 5000)) break;
        sum += high;
        lows += low;
    }
    if (lowSum) *lowSum = lows;
    return sum;
}

TelemetryReading reading(int device, int sequence)
{
    return {QStringLiteral("dev-%1").arg(device), QStringLiteral("temperature_c"), double(sequence),
            nowMicros()};
}

// The real store, bound to one consumer name, built on the persister's thread.
TelemetrySinkFactory storeSink(const QString &connection,
                               const QString &consumer = QStringLiteral("alabos.persister"))
{
    return telemetryStoreSinks(connection, consumer);
}

// The store, with `beforeWrite` run before each of its writes: a slow or stalled database.
TelemetrySinkFactory delayedSink(const TelemetrySinkFactory &store,
                                 std::function<void()> beforeWrite)
{
    return [store, beforeWrite] {
        TelemetrySink sink = store();
        sink.write = [write = sink.write, beforeWrite](const QList<TelemetryReading> &r,
                                                       const QList<PartitionOffset> &o,
                                                       QString *e) {
            beforeWrite();
            return write(r, o, e);
        };
        return sink;
    };
}

// `count` readings of one device (so one partition) with a long metric name, which fill the
// embedded broker's 5 MB partition window in under 100,000 readings; true once all are on
// the broker.
bool publishBurst(TelemetryPublisher *publisher, int device, int first, int count)
{
    for (int i = 0; i < count; ++i) {
        TelemetryReading r = reading(device, first + i);
        r.metric = QStringLiteral("temperature_of_the_inner_crucible_thermocouple_c");
        while (!publisher->publish(r))
            QThread::msleep(1);
    }
    return publisher->flush(30000);
}

Event workflowEvent(qint64 id, WorkflowId workflow)
{
    WorkflowState w{workflow, QStringLiteral("synthesis"), QStringLiteral("running"), {}, 1, 0};
    return Event{id,
                 QStringLiteral("workflow"),
                 QString::number(workflow),
                 QStringLiteral("workflow.created"),
                 nowMicros(),
                 w.toJson()};
}

Event deviceEvent(qint64 id, const QString &device, DeviceStatus status)
{
    DeviceState d{device, QStringLiteral("furnace"), status, 0, id, 1};
    return Event{id,          QStringLiteral("device"),
                 device,      QStringLiteral("device.status"),
                 nowMicros(), d.toJson()};
}

QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;
std::mutex g_messagesMutex; // librdkafka logs from several threads at once
void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        std::lock_guard lock(g_messagesMutex);
        g_messages.append(message);
    }
    g_previousHandler(type, context, message);
}
} // namespace

class TstStreams : public QObject
{
    Q_OBJECT
    std::unique_ptr<EmbeddedBroker> m_broker;
    KafkaSettings m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        registerCommandMetaTypes();
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void init()
    {
        m_broker = std::make_unique<EmbeddedBroker>();
        QString error;
        QVERIFY2(m_broker->start(1, &error), qPrintable(error));
        m_settings = KafkaSettings{};
        m_settings.bootstrap = m_broker->bootstrap();
        QVERIFY2(ensureTopics(m_settings, m_broker.get(), {}, &error), qPrintable(error));
    }

    void cleanup() { m_broker.reset(); }

    void readingCodecRoundTrip()
    {
        const TelemetryReading r{QStringLiteral("furnace \"2\"\n"), QStringLiteral("temp_c"),
                                 812.123456789, 1700000000000001};
        const QByteArray bytes = encodeReading(r);
        QVERIFY(bytes.startsWith("{\"v\":1,"));
        QVERIFY(!bytes.contains(": ") && !bytes.contains(", ")); // compact
        DecodeProblem problem;
        const auto back = decodeReading(bytes, &problem);
        QVERIFY(back);
        QCOMPARE(*back, r);
        QString why;
        QVERIFY(encodeReading({QStringLiteral("d"), QStringLiteral("m"), NAN, 1}, &why).isEmpty());
        QVERIFY(why.contains(QStringLiteral("finite")));
        QVERIFY(encodeReading({QString(), QStringLiteral("m"), 1, 1}, &why).isEmpty());
    }

    // The persister's fast path reads the encoder's own output; every other spelling of a
    // reading must still decode to the same value through the general path.
    void readingCodecAcceptsEveryJsonSpelling_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("device");
        QTest::addColumn<double>("value");
        QTest::addColumn<qint64>("timeUs");
        QTest::newRow("encoder output")
            << QByteArray(R"({"v":1,"device_id":"d-1","metric":"m","value":-0.5,"time_us":7})")
            << QStringLiteral("d-1") << -0.5 << qint64(7);
        QTest::newRow("spaces")
            << QByteArray(
                   R"({ "v": 1, "device_id": "d-1", "metric": "m", "value": 2.5, "time_us": 7 })")
            << QStringLiteral("d-1") << 2.5 << qint64(7);
        QTest::newRow("other key order")
            << QByteArray(R"({"time_us":7,"value":2.5,"metric":"m","device_id":"d-1","v":1})")
            << QStringLiteral("d-1") << 2.5 << qint64(7);
        QTest::newRow("escaped name")
            << QByteArray("{\"v\":1,\"device_id\":\"d\\\"1\\u0041\",\"metric\":\"m\","
                          "\"value\":1,\"time_us\":7}")
            << QStringLiteral("d\"1A") << 1.0 << qint64(7);
        QTest::newRow("non-ASCII name")
            << QByteArray("{\"v\":1,\"device_id\":\"Ofen-\xc3\xa4\",\"metric\":\"m\","
                          "\"value\":1,\"time_us\":7}")
            << QStringLiteral("Ofen-\u00e4") << 1.0 << qint64(7);
        QTest::newRow("exponent")
            << QByteArray(R"({"v":1,"device_id":"d","metric":"m","value":1.5e3,"time_us":7})")
            << QStringLiteral("d") << 1500.0 << qint64(7);
    }
    void readingCodecAcceptsEveryJsonSpelling()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, device);
        QFETCH(double, value);
        QFETCH(qint64, timeUs);
        DecodeProblem problem = DecodeProblem::TooLarge;
        QString why;
        const auto r = decodeReading(bytes, &problem, &why);
        QVERIFY2(r, qPrintable(why));
        QCOMPARE(int(problem), int(DecodeProblem::None));
        QCOMPARE(r->deviceId, device);
        QCOMPARE(r->metric, QStringLiteral("m"));
        QCOMPARE(r->value, value);
        QCOMPARE(r->timeUs, timeUs);
    }

    void readingCodecRefusesBadMessages_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("problem");
        QTest::newRow("garbage") << QByteArray("\xff\x01 nope") << int(DecodeProblem::NotJson);
        QTest::newRow("version 2")
            << QByteArray(R"({"v":2,"device_id":"d","metric":"m","value":1,"time_us":1})")
            << int(DecodeProblem::UnknownVersion);
        QTest::newRow("value as text")
            << QByteArray(R"({"v":1,"device_id":"d","metric":"m","value":"1","time_us":1})")
            << int(DecodeProblem::MissingField);
        QTest::newRow("no device") << QByteArray(R"({"v":1,"metric":"m","value":1,"time_us":1})")
                                   << int(DecodeProblem::MissingField);
        QTest::newRow("too large")
            << QByteArray(kMaxReadingBytes + 1, ' ') << int(DecodeProblem::TooLarge);
        QTest::newRow("value inf")
            << QByteArray(R"({"v":1,"device_id":"d","metric":"m","value":inf,"time_us":1})")
            << int(DecodeProblem::NotJson);
        QTest::newRow("trailing garbage")
            << QByteArray(R"({"v":1,"device_id":"d","metric":"m","value":1,"time_us":1}x)")
            << int(DecodeProblem::NotJson);
        QTest::newRow("empty device")
            << QByteArray(R"({"v":1,"device_id":"","metric":"m","value":1,"time_us":1})")
            << int(DecodeProblem::MissingField);
        // Found by fuzzing (tests/fuzz, telemetrycodec): long names with characters the
        // encoder escapes were taken, and their own encoding was then refused as too large.
        QTest::newRow("201-character metric")
            << QByteArray("{\"v\":1,\"device_id\":\"d\",\"metric\":\"") + QByteArray(201, 'm') +
                   "\",\"value\":1,\"time_us\":1}"
            << int(DecodeProblem::MissingField);
        // Found by fuzzing: a lone surrogate decodes, but encodes as U+FFFD, another device.
        QTest::newRow("lone surrogate in device")
            << QByteArray(R"({"v":1,"device_id":"d\udddd","metric":"m","value":1,"time_us":1})")
            << int(DecodeProblem::MissingField);
    }
    void readingCodecRefusesBadMessages()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, problem);
        DecodeProblem got = DecodeProblem::None;
        QString why;
        QVERIFY(!decodeReading(bytes, &got, &why));
        QCOMPARE(int(got), problem);
        QVERIFY(!why.isEmpty());
    }

    void readingCodecEncodesOnlyWhatItDecodes()
    {
        // The longest names, every character escaped: still within the reading's limit.
        TelemetryReading r{QString(kMaxTelemetryNameLength, QChar(1)),
                           QString(kMaxTelemetryNameLength, QChar(u'"')), 1.5, 7};
        QCOMPARE(decodeReading(encodeReading(r), nullptr), std::optional(r));
        r.deviceId += QChar(1);
        QString why;
        QVERIFY(encodeReading(r, &why).isEmpty());
        QVERIFY(why.contains(QStringLiteral("longer than 200 characters")));
    }

    void publisherDeliversEveryReadingKeyedByDevice()
    {
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY2(publisher, qPrintable(error));
        // Four driver threads at once: publish() is thread-safe.
        constexpr int kThreads = 4, kPerThread = 5000, kDevices = 200;
        std::vector<std::thread> threads;
        std::atomic<int> refused{0};
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i)
                    if (!publisher->publish(
                            reading((t * kPerThread + i) % kDevices, t * kPerThread + i)))
                        ++refused;
            });
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(refused.load(), 0);
        QVERIFY(publisher->flush(15000));
        const TelemetryCounters c = publisher->counters();
        QCOMPARE(c.produced, qint64(kThreads * kPerThread));
        QCOMPARE(c.delivered, c.produced);
        QCOMPARE(c.failed, 0);
        const QList<Record> records =
            readTopic(m_settings.bootstrap, topic::Telemetry, kThreads * kPerThread);
        QCOMPARE(records.size(), kThreads * kPerThread);
        QHash<QByteArray, int> partitionOf;
        QSet<int> partitions;
        QSet<double> values;
        for (const Record &r : records) {
            DecodeProblem p;
            const auto decoded = decodeReading(r.value, &p);
            QVERIFY(decoded);
            QCOMPARE(r.key, decoded->deviceId.toUtf8());
            // One device, one partition: its readings stay in order.
            QCOMPARE(partitionOf.value(r.key, r.partition), r.partition);
            partitionOf.insert(r.key, r.partition);
            partitions.insert(r.partition);
            values.insert(decoded->value);
        }
        QCOMPARE(values.size(), kThreads * kPerThread);
        // 200 devices reach every partition of the catalogue's telemetry topic.
        int telemetryPartitions = 0;
        for (const TopicSpec &spec : topicCatalogue({}))
            if (spec.name == QLatin1StringView(topic::Telemetry))
                telemetryPartitions = spec.partitions;
        QCOMPARE(partitions.size(), telemetryPartitions);
    }

    void publisherBackPressureWhileBrokerDownLosesNothing()
    {
        QString error;
        TelemetryLimits limits;
        limits.highWater = 500;
        limits.capacity = 2000;
        limits.stallMs = 1000;
        auto publisher = TelemetryPublisher::create(m_settings, &error, limits);
        QVERIFY2(publisher, qPrintable(error));
        QSignalSpy pressure(publisher.get(), &TelemetryPublisher::backPressureChanged);
        const std::function<bool()> throttle = publisher->throttle();
        int sequence = 0;
        for (; sequence < 300; ++sequence)
            QVERIFY(publisher->publish(reading(sequence % 10, sequence)));
        QTRY_COMPARE_WITH_TIMEOUT(publisher->counters().delivered, qint64(300), 10000);
        QVERIFY(!throttle());

        m_broker->setAllBrokersDown(true);
        for (int i = 0; i < 100; ++i, ++sequence)
            QVERIFY(publisher->publish(reading(sequence % 10, sequence)));
        // Nothing is acknowledged: the stall is seen, drivers are told, a person is told.
        QTRY_VERIFY_WITH_TIMEOUT(!pressure.isEmpty(), 15000);
        QVERIFY(pressure.last().at(0).toBool());
        QVERIFY(pressure.last().at(1).toString().contains(QStringLiteral("Kafka")));
        QVERIFY(throttle());
        // A driver that ignores the throttle meets the bound: refused, told why, kept by it.
        int refusedAt = -1;
        for (int i = 0; i < 5000; ++i, ++sequence) {
            if (!publisher->publish(reading(sequence % 10, sequence), &error)) {
                refusedAt = sequence;
                break;
            }
        }
        QCOMPARE(refusedAt, 300 + int(limits.capacity));
        QVERIFY(error.contains(QStringLiteral("full")));
        QCOMPARE(publisher->counters().refused, qint64(1));

        m_broker->setAllBrokersDown(false);
        QTRY_COMPARE_WITH_TIMEOUT(publisher->counters().delivered, publisher->counters().produced,
                                  60000);
        QTRY_VERIFY_WITH_TIMEOUT(!pressure.last().at(0).toBool(), 10000);
        QVERIFY(!throttle());
        QCOMPARE(publisher->counters().failed, 0);
        const qint64 produced = publisher->counters().produced;
        QCOMPARE(produced, qint64(300 + limits.capacity));
        const QList<Record> records =
            readTopic(m_settings.bootstrap, topic::Telemetry, int(produced) + 1, 8000);
        QSet<double> values;
        for (const Record &r : records)
            values.insert(decodeReading(r.value, nullptr)->value);
        QCOMPARE(records.size(), int(produced)); // none lost, none twice
        QCOMPARE(values.size(), int(produced));
    }

    void feedDeadLettersPoisonAndProcessesTheRest()
    {
        QString error;
        auto producer = KafkaProducer::create(
            m_settings, &error, {{QStringLiteral("message.max.bytes"), QStringLiteral("3000000")}});
        QVERIFY2(producer, qPrintable(error));
        StateFeed feed(
            m_settings, [](QString *) { return LabSnapshot{}; }, 20);
        feed.setDeadLetterProducer(producer.get());
        QSignalSpy started(&feed, &StateFeed::started);
        feed.start();
        QCOMPARE(started.size(), 1);

        DeliveryTracker t;
        auto send = [&](const char *topicName, const QByteArray &key, const QByteArray &value) {
            QVERIFY(producer->produce(topicName, key, value, &t, &error));
        };
        for (int i = 1; i <= 10; ++i)
            send(topic::StateDevices, "d-" + QByteArray::number(i),
                 encodeEvent(deviceEvent(i, QStringLiteral("d-%1").arg(i), DeviceStatus::Idle)));
        send(topic::StateDevices, "d-1", "{not json");
        send(topic::StateTasks, "7", R"({"v":9,"id":7})");
        send(topic::StateSamples, "3", QByteArray(kMaxEventBytes + 10, 'x'));
        Event badPayload = deviceEvent(11, QStringLiteral("d-11"), DeviceStatus::Idle);
        badPayload.payload = QJsonObject{{QStringLiteral("status"), QStringLiteral("melting")}};
        send(topic::StateDevices, "d-11", encodeEvent(badPayload));
        for (int i = 12; i <= 20; ++i)
            send(topic::StateDevices, "d-" + QByteArray::number(i),
                 encodeEvent(deviceEvent(i, QStringLiteral("d-%1").arg(i), DeviceStatus::Busy)));
        QVERIFY(t.waitFor(23, 10000));
        QCOMPARE(t.failed(), 0);

        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(19), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().deadLettered, qint64(4), 10000);
        QCOMPARE(feed.stats().malformed, qint64(4));

        const QList<Record> letters = readTopic(m_settings.bootstrap, topic::DeadLetter, 4);
        QCOMPARE(letters.size(), 4);
        QMap<QByteArray, Record> byReason;
        for (const Record &r : letters) {
            QVERIFY(r.headers.contains("alabos.source-topic"));
            QVERIFY(r.headers.contains("alabos.source-partition"));
            QVERIFY(r.headers.contains("alabos.source-offset"));
            QVERIFY(!r.headers.value("alabos.error").isEmpty());
            byReason.insert(r.headers.value("alabos.reason"), r);
        }
        QCOMPARE(byReason.keys(),
                 (QList<QByteArray>{"bad-payload", "not-json", "too-large", "unknown-version"}));
        QCOMPARE(byReason["not-json"].value, QByteArray("{not json"));
        QCOMPARE(byReason["not-json"].key, QByteArray("d-1"));
        QCOMPARE(byReason["not-json"].headers.value("alabos.source-topic"),
                 QByteArray(topic::StateDevices));
        QCOMPARE(byReason["unknown-version"].headers.value("alabos.source-topic"),
                 QByteArray(topic::StateTasks));
        QCOMPARE(byReason["too-large"].value.size(), DeadLetterSink::kMaxCopyBytes);
        QCOMPARE(byReason["too-large"].headers.value("alabos.original-size"),
                 QByteArray::number(kMaxEventBytes + 10));
        // The offset in the header finds the original.
        const Record &poison = byReason["not-json"];
        const QList<Record> source = readTopic(m_settings.bootstrap, topic::StateDevices, 21);
        bool found = false;
        for (const Record &r : source)
            found |= r.partition == poison.headers.value("alabos.source-partition").toInt() &&
                     r.offset == poison.headers.value("alabos.source-offset").toLongLong() &&
                     r.value == poison.value;
        QVERIFY(found);
        feed.stop();
    }

    void feedReplaysStateTopicsThenFollows()
    {
        QString error;
        auto producer = KafkaProducer::create(m_settings, &error);
        QVERIFY(producer);
        DeliveryTracker t;
        // 40 devices, each changed three times; the second change sent twice (at least once).
        qint64 id = 0;
        int sent = 0;
        for (int round = 0; round < 3; ++round)
            for (int d = 0; d < 40; ++d) {
                const Event e = deviceEvent(++id, QStringLiteral("furnace-%1").arg(d),
                                            round == 2 ? DeviceStatus::Busy : DeviceStatus::Idle);
                QVERIFY(producer->produce(topic::StateDevices, e.entityId.toUtf8(), encodeEvent(e),
                                          &t, &error));
                ++sent;
                if (round == 1) {
                    QVERIFY(producer->produce(topic::StateDevices, e.entityId.toUtf8(),
                                              encodeEvent(e), &t, &error));
                    ++sent;
                }
            }
        QVERIFY(t.waitFor(sent, 10000));

        bool loaderCalled = false;
        StateFeed feed(
            m_settings,
            [&](QString *) {
                loaderCalled = true;
                return std::optional<LabSnapshot>();
            },
            20);
        feed.setSnapshotSource(StateFeed::SnapshotSource::Replay);
        QSignalSpy updates(&feed, &StateFeed::updated);
        QSignalSpy started(&feed, &StateFeed::started);
        feed.start();
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 15000);
        QVERIFY(!loaderCalled);
        QCOMPARE(updates.size(), 1);
        const FeedUpdate snapshot = updates.takeFirst().at(0).value<FeedUpdate>();
        QVERIFY(snapshot.reset);
        QCOMPARE(snapshot.devices.size(), 40);
        for (const DeviceState &d : snapshot.devices)
            QVERIFY(d.status == DeviceStatus::Busy);
        QCOMPARE(feed.stats().eventsApplied, qint64(120));
        QCOMPARE(feed.stats().duplicatesDropped, qint64(40));

        // Then live.
        const Event live = deviceEvent(++id, QStringLiteral("furnace-7"), DeviceStatus::Error);
        QVERIFY(producer->produce(topic::StateDevices, "furnace-7", encodeEvent(live), &t, &error));
        QTRY_VERIFY_WITH_TIMEOUT(!updates.isEmpty(), 10000);
        const FeedUpdate next = updates.last().at(0).value<FeedUpdate>();
        QVERIFY(!next.reset);
        QCOMPARE(next.devices.size(), 1);
        QVERIFY(next.devices.first().status == DeviceStatus::Error);
        feed.stop();
    }

    void feedFollowsTelemetryCoalesced()
    {
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY(publisher);
        StateFeed feed(
            m_settings, [](QString *) { return LabSnapshot{}; }, 50);
        feed.setFollowTelemetry(true);
        QSignalSpy updates(&feed, &StateFeed::updated);
        feed.start();
        updates.clear();
        QElapsedTimer clock;
        clock.start();
        // 10 devices x 2 metrics, 3,000 readings over about a second.
        QHash<QString, double> last;
        for (int i = 0; i < 3000; ++i) {
            TelemetryReading r = reading(i % 10, i);
            r.metric = i % 20 < 10 ? QStringLiteral("temperature_c") : QStringLiteral("power_w");
            QVERIFY(publisher->publish(r));
            last.insert(r.deviceId + u'/' + r.metric, r.value);
            if (i % 100 == 0) QTest::qWait(30);
        }
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().telemetryReadings, qint64(3000), 15000);
        QTest::qWait(200);
        const qint64 elapsed = clock.elapsed();
        QHash<QString, double> seen;
        for (const auto &args : std::as_const(updates))
            for (const TelemetryReading &r : args.at(0).value<FeedUpdate>().telemetry)
                seen.insert(r.deviceId + u'/' + r.metric, r.value);
        QCOMPARE(seen, last);
        // Coalesced: never more than one model refresh per 50 ms interval.
        QVERIFY2(
            updates.size() <= elapsed / 45 + 2,
            qPrintable(QStringLiteral("%1 updates in %2 ms").arg(updates.size()).arg(elapsed)));
        QVERIFY(updates.size() < 3000 / 10);
        feed.stop();
    }

    void realClusterSettingsReachLibrdkafkaAndSecretsNoLog()
    {
        const QByteArray secret = "pa55-Wh0le-s3cret";
        KafkaSettings settings;
        settings.bootstrap = QStringLiteral("127.0.0.1:1");
        settings.properties = {
            {QStringLiteral("security.protocol"), QStringLiteral("SASL_PLAINTEXT")},
            {QStringLiteral("sasl.mechanism"), QStringLiteral("PLAIN")},
            {QStringLiteral("sasl.username"), QStringLiteral("lab-operator")},
            {QStringLiteral("sasl.password"), QString::fromLatin1(secret)},
            {QStringLiteral("ssl.ca.location"),
             QStringLiteral("/etc/ssl/certs/ca-certificates.crt")}};
        const QString described = settings.describe();
        QVERIFY(!described.contains(QString::fromLatin1(secret)));
        QVERIFY(described.contains(QStringLiteral("sasl.username=lab-operator")));
        QVERIFY(described.contains(QStringLiteral("sasl.password=***")));

        QString error;
        rd_kafka_conf_t *conf = makeKafkaConf(settings, {}, &error);
        QVERIFY2(conf, qPrintable(error));
        for (auto it = settings.properties.cbegin(); it != settings.properties.cend(); ++it) {
            char value[512];
            size_t size = sizeof value;
            QCOMPARE(rd_kafka_conf_get(conf, it.key().toUtf8().constData(), value, &size),
                     RD_KAFKA_CONF_OK);
            QCOMPARE(QString::fromUtf8(value).toLower(), it.value().toLower());
        }
        rd_kafka_conf_destroy(conf);

        // librdkafka at its most talkative, routed into our log: the password never appears.
        QLoggingCategory::setFilterRules(QStringLiteral("alabos.bus.debug=true"));
        g_messages.clear();
        g_previousHandler = qInstallMessageHandler(captureMessages);
        {
            auto producer = KafkaProducer::create(
                settings, &error, {{QStringLiteral("debug"), QStringLiteral("all")}});
            QVERIFY2(producer, qPrintable(error));
            DeliveryTracker t;
            QVERIFY(producer->produce(topic::Telemetry, "k", "v", &t, &error, -1, 0));
            QTest::qWait(1500);
            rd_kafka_purge(producer->handle(), RD_KAFKA_PURGE_F_QUEUE);
        }
        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules(QString());
        QVERIFY2(g_messages.size() > 20,
                 "librdkafka logged nothing: the check would prove nothing");
        QVERIFY(g_messages.join(u'\n').contains(QStringLiteral("sasl")));
        for (const QString &line : std::as_const(g_messages))
            QVERIFY2(!line.contains(QString::fromLatin1(secret)), qPrintable(line));
    }

    void persisterKillLosesAndDuplicatesNothing()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY(publisher);
        std::atomic<bool> done{false};
        constexpr int kTotal = 40000;
        std::thread driver([&] {
            for (int i = 0; i < kTotal; ++i) {
                while (!publisher->publish(reading(i % 100, i)))
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                // About 2,500 a second: the stream outlasts two kills and the group's
                // rejoins, however fast the persister keeps up.
                if (i % 50 == 49) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            done = true;
        });
        auto persister = std::make_unique<TelemetryPersister>(m_settings, storeSink(conn), nullptr);
        QVERIFY2(persister->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(persister->stats().persisted > 3000, 30000);
        persister->abandon(); // a kill: the batch in memory is gone, the group is not told
        const qint64 firstRun = persister->stats().persisted;
        persister.reset();
        persister = std::make_unique<TelemetryPersister>(m_settings, storeSink(conn), nullptr);
        QVERIFY2(persister->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(persister->stats().persisted > 1000, 60000);
        persister->abandon(); // and again, mid-stream
        const qint64 secondRun = persister->stats().persisted;
        persister.reset();
        persister = std::make_unique<TelemetryPersister>(m_settings, storeSink(conn), nullptr);
        QVERIFY2(persister->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 120000);
        driver.join();
        QVERIFY(publisher->flush(30000));
        QCOMPARE(publisher->counters().delivered, qint64(kTotal));
        QTRY_COMPARE_WITH_TIMEOUT(
            queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
            QString::number(kTotal), 90000);
        persister->stop();
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(DISTINCT value) FROM telemetry")),
                 QString::number(kTotal));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(next_offset) FROM telemetry_offsets "
                                                 "WHERE consumer='alabos.persister'")),
                 QString::number(kTotal));
        QCOMPARE(persister->stats().lost, 0);
        qInfo() << "persisted before the kills:" << firstRun << secondRun
                << "after:" << persister->stats().persisted;
    }

    // PostgreSQL refuses the persister's transactions for a while (a trigger raises while a
    // row says so): every failed batch is dropped and re-read from the stored offsets, so
    // once the database accepts again every reading is there exactly once.
    void persisterRewindsAfterFailedWritesWithoutLossOrDuplicates()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        queryValue(
            TestDatabase::instance().ownerConnection(conn),
            QStringLiteral("CREATE TABLE injected_fault (reason text);"
                           "CREATE FUNCTION refuse_offsets() RETURNS trigger LANGUAGE plpgsql AS "
                           "$$ BEGIN IF EXISTS (SELECT 1 FROM injected_fault) THEN RAISE "
                           "EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$;"
                           "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON telemetry_offsets "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_offsets()"));
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY(publisher);
        constexpr int kTotal = 20000;
        std::atomic<bool> done{false};
        std::thread driver([&] {
            for (int i = 0; i < kTotal; ++i) {
                while (!publisher->publish(reading(i % 50, i)))
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                // About 2,000 a second, so readings keep coming while the database refuses.
                if (i % 20 == 19) std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            done = true;
        });
        const auto joinDriver = qScopeGuard([&driver] {
            if (driver.joinable()) driver.join();
        });
        TelemetryPersister persister(m_settings, storeSink(conn), nullptr);
        std::mutex failuresMutex; // emitted on the persister's writer thread
        QStringList failures;
        connect(
            &persister, &TelemetryPersister::writeFailed, &persister,
            [&](const QString &message) {
                std::lock_guard lock(failuresMutex);
                failures.append(message);
            },
            Qt::DirectConnection);
        QVERIFY2(persister.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(persister.stats().persisted > 2000, 30000);
        queryValue(conn, QStringLiteral("INSERT INTO injected_fault VALUES ('test')"));
        QTRY_VERIFY_WITH_TIMEOUT(persister.stats().rewinds >= 3, 30000);
        {
            std::lock_guard lock(failuresMutex);
            QVERIFY(failures.size() >= 3);
            QVERIFY2(failures.first().contains(QStringLiteral("injected fault")),
                     qPrintable(failures.first()));
        }
        queryValue(conn, QStringLiteral("DELETE FROM injected_fault"));
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 120000);
        QVERIFY(publisher->flush(30000));
        QTRY_COMPARE_WITH_TIMEOUT(
            queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
            QString::number(kTotal), 60000);
        // The rollups follow within the fold interval while the persister runs.
        QTRY_COMPARE_WITH_TIMEOUT(
            queryValue(conn, QStringLiteral("SELECT sum(n) FROM telemetry_minute")),
            QString::number(kTotal), 10000);
        persister.stop();
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(DISTINCT value) FROM telemetry")),
                 QString::number(kTotal));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(n) FROM telemetry_minute")),
                 QString::number(kTotal));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT sum(next_offset) FROM telemetry_offsets")),
                 QString::number(kTotal));
        QCOMPARE(persister.stats().persisted, qint64(kTotal));
        QCOMPARE(persister.stats().lost, 0);
    }

    void persisterDeadLettersBadReadingsAndKeepsGoing()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QString error;
        auto producer = KafkaProducer::create(m_settings, &error);
        QVERIFY(producer);
        DeliveryTracker t;
        const QList<QByteArray> poison{
            "{not json", R"({"v":3,"device_id":"dev-1"})", QByteArray(kMaxReadingBytes + 1, '{'),
            R"({"v":1,"device_id":"dev-1","metric":"m","value":"hot","time_us":1})"};
        int good = 0;
        for (int i = 0; i < 200; ++i) {
            if (i % 50 == 25)
                QVERIFY(producer->produce(topic::Telemetry, "dev-1", poison[i / 50], &t, &error));
            else
                QVERIFY(producer->produce(topic::Telemetry, "dev-1",
                                          encodeReading(reading(1, good++)), &t, &error));
        }
        QVERIFY(t.waitFor(200, 10000));
        TelemetryPersister persister(m_settings, storeSink(conn), producer.get());
        QVERIFY2(persister.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(persister.stats().persisted, qint64(196), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(persister.stats().deadLettered, qint64(4), 10000);
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")),
                 QStringLiteral("196"));
        // Every offset is accounted for, dead letters included.
        QTRY_COMPARE_WITH_TIMEOUT(
            queryValue(conn, QStringLiteral("SELECT sum(next_offset) FROM telemetry_offsets")),
            QStringLiteral("200"), 10000);
        const QList<Record> letters = readTopic(m_settings.bootstrap, topic::DeadLetter, 4);
        QCOMPARE(letters.size(), 4);
        QSet<QByteArray> reasons;
        for (const Record &r : letters) {
            QCOMPARE(r.headers.value("alabos.source-topic"), QByteArray(topic::Telemetry));
            QCOMPARE(r.headers.value("alabos.consumer"), QByteArray("telemetry persister"));
            reasons.insert(r.headers.value("alabos.reason"));
        }
        QCOMPARE(reasons,
                 (QSet<QByteArray>{"not-json", "unknown-version", "too-large", "missing-field"}));
        persister.stop();
    }

    void persisterReportsTelemetryLostBehindTheBrokerWindow()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY(publisher);
        // One device: one partition, whose window (5 MB) the next burst overruns.
        for (int i = 0; i < 2000; ++i)
            QVERIFY(publisher->publish(reading(1, i)));
        {
            TelemetryPersister persister(m_settings, storeSink(conn), nullptr);
            QVERIFY2(persister.start(&error), qPrintable(error));
            QTRY_COMPARE_WITH_TIMEOUT(persister.stats().persisted, qint64(2000), 30000);
        }
        constexpr int kBurst = 90000;
        QVERIFY(publishBurst(publisher.get(), 1, 2000, kBurst));
        qint64 lowSum = 0;
        const qint64 highSum = highWatermarkSum(m_settings.bootstrap, topic::Telemetry, &lowSum);
        QCOMPARE(highSum, qint64(2000 + kBurst));
        QVERIFY2(lowSum > 2000, "the broker kept everything: the test proves nothing");
        TelemetryPersister persister(m_settings, storeSink(conn), nullptr);
        QSignalSpy lost(&persister, &TelemetryPersister::telemetryLost);
        QVERIFY2(persister.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!lost.isEmpty(), 30000);
        QCOMPARE(lost.first().at(0).toLongLong(), lowSum - 2000);
        QVERIFY(lost.first().at(1).toString().contains(QStringLiteral("lost")));
        QTRY_COMPARE_WITH_TIMEOUT(persister.stats().persisted, highSum - lowSum, 60000);
        QCOMPARE(persister.stats().lost, lowSum - 2000);
        // Every reading either persisted or counted as lost.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")).toLongLong() +
                     persister.stats().lost,
                 qint64(2000 + kBurst));
        persister.stop();
    }

    void persisterFallingBehindWhileRunningCountsTheGapAndGoesOn()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY(publisher);
        qint64 lowBefore = 0;
        const qint64 before = highWatermarkSum(m_settings.bootstrap, topic::Telemetry, &lowBefore);
        // A database that stops taking writes while one device's readings overrun the broker's
        // window of their partition (the reader holds only a small prefetch).
        std::atomic<bool> stalled{true};
        const TelemetrySinkFactory slow = delayedSink(storeSink(conn), [&stalled] {
            while (stalled.load())
                QThread::msleep(5);
        });
        TelemetryPersisterOptions options;
        options.maxBatch = 500;
        options.prefetchReadings = 500;
        TelemetryPersister persister(m_settings, slow, nullptr, options);
        QSignalSpy lost(&persister, &TelemetryPersister::telemetryLost);
        QVERIFY2(persister.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(persister.stats().partitions > 0, 30000);
        constexpr int kBurst = 120000;
        QVERIFY(publishBurst(publisher.get(), 7, 0, kBurst));
        qint64 lowSum = 0;
        const qint64 highSum = highWatermarkSum(m_settings.bootstrap, topic::Telemetry, &lowSum);
        QCOMPARE(highSum - before, qint64(kBurst));
        QVERIFY2(lowSum > lowBefore + 2000, "the broker kept everything: the test proves nothing");
        stalled = false;
        QTRY_VERIFY_WITH_TIMEOUT(!lost.isEmpty(), 30000);
        QVERIFY2(lost.first().at(1).toString().contains(QStringLiteral("fell behind")),
                 qPrintable(lost.first().at(1).toString()));
        // Every reading is stored or counted as lost, none twice, and the persister goes on.
        QTRY_COMPARE_WITH_TIMEOUT(persister.stats().persisted + persister.stats().lost,
                                  qint64(kBurst), 60000);
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")).toLongLong(),
                 persister.stats().persisted);
        QVERIFY(persister.stats().lost > 0);
        for (int i = 0; i < 100; ++i)
            QVERIFY(publisher->publish(reading(7, kBurst + i)));
        QVERIFY(publisher->flush(30000));
        QTRY_COMPARE_WITH_TIMEOUT(persister.stats().persisted + persister.stats().lost,
                                  qint64(kBurst + 100), 30000);
        persister.stop();
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(DISTINCT value) FROM telemetry"))
                     .toLongLong(),
                 persister.stats().persisted);
    }

    void windowGuardTriggersReleasesAndIgnoresAStalledPersister()
    {
        // Messages of 88 bytes (+12 framing: 100) on partition 2; a 1 MB window, so the
        // trigger is 400,000 bytes and the release 200,000.
        BrokerWindowGuard guard(1000000, 40, 20, 300);
        QVERIFY(!guard.behind());
        for (int i = 0; i < 1000; ++i) {
            guard.published(88);
            guard.delivered({true, 2, i, 88});
        }
        QVERIFY2(!guard.behind(), "a partition the persister does not hold is not watched");
        QCOMPARE(guard.behindBytes(), qint64(0));
        guard.committed(2, 0);
        for (int i = 1000; i < 3999; ++i) {
            guard.published(88);
            guard.delivered({true, 2, i, 88});
        }
        guard.committed(2, 0); // evaluates now: 3,999 messages behind, under 40 %
        QCOMPARE(guard.behindBytes(), qint64(399900));
        QVERIFY(!guard.behind());
        // Published and not yet reported counts too, whichever partition it goes to.
        for (int i = 0; i < 300; ++i)
            guard.published(88);
        QVERIFY(guard.behind());
        QCOMPARE(guard.behindBytes(), qint64(429900));
        for (int i = 3999; i < 4299; ++i)
            guard.delivered({true, 2, i, 88});
        guard.committed(2, 2000); // 229,900 bytes: still over the release mark
        QVERIFY(guard.behind());
        guard.committed(2, 2400); // 189,900
        QVERIFY(!guard.behind());
        guard.committed(2, 0); // an offset never goes back
        QCOMPARE(guard.behindBytes(), qint64(189900));
        // A report of a failed delivery takes its bytes off what is waiting.
        guard.published(88);
        guard.delivered({false, -1, -1, 88});
        QCOMPARE(guard.behindBytes(), qint64(189900));

        // A persister that stops committing (database down) is not waited for.
        for (int i = 4299; i < 6500; ++i) {
            guard.published(88);
            guard.delivered({true, 2, i, 88});
        }
        guard.committed(2, 2400);
        QVERIFY(guard.behind());
        QTRY_VERIFY_WITH_TIMEOUT(!guard.behind(), 2000);
        guard.committed(2, 2500); // writing again, still far behind: wait for it again
        QVERIFY(guard.behind());
        guard.released(2); // the partition went to another member
        QVERIFY(!guard.behind());
        QCOMPARE(guard.behindBytes(), qint64(0));
    }

    void windowGuardSlowsDriversInsteadOfLosingTelemetry()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QString error;
        auto publisher = TelemetryPublisher::create(m_settings, &error);
        QVERIFY(publisher);
        auto guard = std::make_shared<BrokerWindowGuard>(kEmbeddedBrokerPartitionBytes);
        publisher->guardBrokerWindow(guard);
        QSignalSpy pressure(publisher.get(), &TelemetryPublisher::backPressureChanged);
        // A persister slower than the driver, but writing: at most 200 readings per 5 ms.
        const TelemetrySinkFactory slow = delayedSink(storeSink(conn), [] { QThread::msleep(5); });
        TelemetryPersisterOptions options;
        options.maxBatch = 200;
        options.prefetchReadings = 20000;
        options.windowGuard = guard;
        TelemetryPersister persister(m_settings, slow, nullptr, options);
        QVERIFY2(persister.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(persister.stats().partitions > 0, 30000);

        // One device (one partition) with a long metric name: over two windows' worth,
        // published as fast as the throttle lets a driver.
        constexpr int kBurst = 120000;
        TelemetryReading probe = reading(7, 0);
        probe.metric = QStringLiteral("temperature_of_the_inner_crucible_thermocouple_c");
        QVERIFY(qint64(kBurst) * encodeReading(probe).size() > 2 * kEmbeddedBrokerPartitionBytes);
        std::atomic<int> throttledChecks{0};
        std::atomic<bool> done{false};
        std::thread driver([&] {
            for (int i = 0; i < kBurst; ++i) {
                while (publisher->shouldThrottle()) {
                    ++throttledChecks;
                    QThread::msleep(1);
                }
                TelemetryReading r = reading(7, i);
                r.metric = probe.metric;
                while (!publisher->publish(r))
                    QThread::msleep(1);
            }
            done = true;
        });
        auto join = qScopeGuard([&] { driver.join(); });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 120000);
        QVERIFY(publisher->flush(30000));
        QTRY_COMPARE_WITH_TIMEOUT(persister.stats().persisted, qint64(kBurst), 60000);
        QCOMPARE(persister.stats().lost, 0);
        QVERIFY(throttledChecks.load() > 0);
        // A person was told why, and that it is over.
        QTRY_VERIFY_WITH_TIMEOUT(!pressure.isEmpty() && !pressure.last().at(0).toBool(), 10000);
        bool toldWhy = false;
        for (const QList<QVariant> &change : std::as_const(pressure))
            toldWhy = toldWhy ||
                      (change.at(0).toBool() && change.at(1).toString().contains(QStringLiteral(
                                                    "near the embedded broker's 5 MB window")));
        QVERIFY(toldWhy);
        QVERIFY(pressure.last().at(1).toString().contains(QStringLiteral("caught up")));
        persister.stop();
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(DISTINCT value) FROM telemetry"))
                     .toLongLong(),
                 qint64(kBurst));
    }

    void brokerDownTenSecondsDuringRelayAndFeed()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        QString error;
        auto producer = KafkaProducer::create(m_settings, &error);
        QVERIFY(producer);
        StateFeed feed(
            m_settings, [conn](QString *why) { return loadSnapshot(conn, 100, why); }, 20);
        QSignalSpy updates(&feed, &StateFeed::updated);
        feed.start();
        QThread storageThread, relayThread;
        auto *writer = new StorageWriter(conn);
        writer->moveToThread(&storageThread);
        auto *relay = new EventRelay(conn, producer.get(), QStringLiteral("fault"));
        relay->moveToThread(&relayThread);
        connect(writer, &StorageWriter::committed, relay, &EventRelay::wake);
        QSignalSpy stalled(relay, &EventRelay::stalled);
        QSignalSpy resumed(relay, &EventRelay::resumed);
        storageThread.start();
        relayThread.start();
        QMetaObject::invokeMethod(relay, &EventRelay::start);

        constexpr int kTotal = 600;
        auto submit = [&](int from, int to) {
            for (int i = from; i <= to; ++i) {
                ChangeSet c;
                c.workflow(
                    WorkflowState{
                        i, QStringLiteral("fault"), QStringLiteral("running"), {}, nowMicros(), 0},
                    QStringLiteral("workflow.created"));
                QMetaObject::invokeMethod(writer, [writer, i, c] { writer->submit(i, c); });
                if (i % 20 == 0) QTest::qWait(20);
            }
        };
        submit(1, 200);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(200), 15000);
        m_broker->setAllBrokersDown(true);
        QElapsedTimer down;
        down.start();
        submit(201, 400); // committed to PostgreSQL while Kafka is away
        QTRY_VERIFY_WITH_TIMEOUT(!stalled.isEmpty(), 15000);
        QTest::qWait(int(qMax<qint64>(0, 10000 - down.elapsed())));
        QCOMPARE(feed.stats().eventsApplied, qint64(200));
        m_broker->setAllBrokersDown(false);
        submit(401, kTotal);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(kTotal), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!resumed.isEmpty(), 10000);
        QTest::qWait(500);
        QCOMPARE(feed.stats().eventsApplied, qint64(kTotal)); // none applied twice
        QSet<WorkflowId> seen;
        for (const auto &args : std::as_const(updates))
            for (const WorkflowState &w : args.at(0).value<FeedUpdate>().workflows)
                seen.insert(w.id);
        QCOMPARE(seen.size(), kTotal);
        QCOMPARE(queryValue(conn, QStringLiteral(
                                      "SELECT last_event_id FROM relay_cursor WHERE name='fault'")),
                 QString::number(kTotal));
        QMetaObject::invokeMethod(relay, &EventRelay::stop, Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            relay, [relay] { delete relay; }, Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        relayThread.quit();
        storageThread.quit();
        relayThread.wait();
        storageThread.wait();
        feed.stop();
    }

    void requestErrorsOnProduceAndFetch()
    {
        QString error;
        auto producer = KafkaProducer::create(m_settings, &error);
        QVERIFY(producer);
        StateFeed feed(
            m_settings, [](QString *) { return LabSnapshot{}; }, 20);
        feed.start();
        m_broker->pushRequestErrors(kApiProduce, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
        m_broker->pushRequestErrors(kApiProduce, 2, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT);
        m_broker->pushRequestErrors(kApiFetch, 6, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
        DeliveryTracker t;
        constexpr int kTotal = 500;
        for (int i = 1; i <= kTotal; ++i) {
            const Event e = workflowEvent(i, i);
            QVERIFY(producer->produce(topic::StateWorkflows, e.entityId.toUtf8(), encodeEvent(e),
                                      &t, &error));
        }
        QVERIFY(t.waitFor(kTotal, 30000));
        QCOMPARE(t.succeeded(), qint64(kTotal));
        QCOMPARE(t.failed(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(feed.stats().eventsApplied, qint64(kTotal), 30000);
        // The idempotent producer's retries wrote nothing twice.
        QCOMPARE(highWatermarkSum(m_settings.bootstrap, topic::StateWorkflows), qint64(kTotal));
        QCOMPARE(feed.stats().duplicatesDropped, 0);
        feed.stop();
    }
};

QTEST_GUILESS_MAIN(TstStreams)
#include "tst_streams.moc"
