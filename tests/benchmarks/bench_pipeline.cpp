// alabos-bench pipeline: simulated devices -> TelemetryPublisher -> embedded Kafka ->
// TelemetryPersister (PostgreSQL COPY) and -> a console StateFeed following telemetry, all
// in one process; then, through the same broker, raw librdkafka produce and consume.
#include "core/bus/brokerwindow.h"
#include "core/bus/embeddedbroker.h"
#include "core/bus/statefeed.h"
#include "core/bus/telemetrycodec.h"
#include "core/bus/telemetrypersister.h"
#include "core/bus/telemetrypublisher.h"
#include "core/bus/topics.h"
#include "core/storage/telemetrystore.h"
#include "tests/benchmarks/bench.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <atomic>
#include <cstdio>
#include <librdkafka/rdkafka.h>
#include <mutex>
#include <thread>

namespace alabos::bench {

namespace {
void say(const QString &text)
{
    std::fprintf(stderr, "pipeline: %s\n", qPrintable(text));
}

// Waits for `done`, serving this thread's events (the feed's queued updates) meanwhile.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(1);
    }
    return true;
}

// Readings the persister is done with: stored, or lost to the broker's window.
qint64 settled(const PersisterStats &stats)
{
    return stats.persisted + stats.lost;
}

struct Samples
{
    std::mutex mutex;
    QList<double> commitMs;
    QList<double> modelMs;
    void clear()
    {
        std::lock_guard lock(mutex);
        commitMs.clear();
        modelMs.clear();
    }
};

// Publishes `count` readings at `rate` a second (0: as fast as the throttle allows) from
// `threads` simulated driver threads over `devices` devices. Returns the seconds it took.
double drive(TelemetryPublisher *publisher, qint64 count, double rate, int threads, int devices,
             qint64 *sequence)
{
    QElapsedTimer clock;
    clock.start();
    std::vector<std::thread> drivers;
    const qint64 base = *sequence;
    for (int t = 0; t < threads; ++t)
        drivers.emplace_back([=] {
            const qint64 mine = count / threads + (t < count % threads ? 1 : 0);
            const double perThreadRate = rate / threads;
            QElapsedTimer local;
            local.start();
            for (qint64 i = 0; i < mine; ++i) {
                // Paced like a driver's ticker: every millisecond, whatever is due by then.
                if (rate > 0) {
                    const qint64 dueNs = qint64(i * 1e9 / perThreadRate);
                    while (local.nsecsElapsed() < dueNs)
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                while (publisher->shouldThrottle())
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                const TelemetryReading r{QStringLiteral("dev-%1").arg((i * threads + t) % devices),
                                         QStringLiteral("temperature_c"), double(base + i),
                                         nowMicros()};
                while (!publisher->publish(r))
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
    for (auto &d : drivers)
        d.join();
    *sequence += count;
    return clock.nsecsElapsed() / 1e9;
}

QJsonObject rawRates(const KafkaSettings &settings, EmbeddedBroker *broker, qint64 count)
{
    QString error;
    broker->createTopic(QStringLiteral("bench.raw"), 32, &error);
    const QByteArray value(100, 'x'); // the size of a reading
    QElapsedTimer clock;
    double produceS = 0, consumeS = 0;
    {
        rd_kafka_conf_t *conf = makeKafkaConf(
            settings,
            {{QStringLiteral("linger.ms"), QStringLiteral("5")},
             {QStringLiteral("queue.buffering.max.messages"), QStringLiteral("2000000")}},
            &error);
        char errstr[256];
        KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
        clock.start();
        for (qint64 i = 0; i < count; ++i) {
            while (rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC("bench.raw"),
                                     RD_KAFKA_V_PARTITION(int(i % 32)),
                                     RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()),
                                                      size_t(value.size())),
                                     RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                     RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(rk.get(), 1);
            rd_kafka_poll(rk.get(), 0);
        }
        rd_kafka_flush(rk.get(), 60000);
        produceS = clock.nsecsElapsed() / 1e9;
    }
    {
        rd_kafka_conf_t *conf =
            makeKafkaConf(settings,
                          {{QStringLiteral("group.id"), QStringLiteral("bench-raw")},
                           {QStringLiteral("enable.auto.commit"), QStringLiteral("false")}},
                          &error);
        char errstr[256];
        KafkaHandle rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr));
        rd_kafka_poll_set_consumer(rk.get());
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(32);
        for (int p = 0; p < 32; ++p)
            rd_kafka_topic_partition_list_add(list, "bench.raw", p)->offset =
                RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(rk.get(), list);
        rd_kafka_topic_partition_list_destroy(list);
        rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(rk.get());
        qint64 got = 0;
        clock.start();
        rd_kafka_message_t *batch[1000];
        while (got < count && clock.elapsed() < 120000) {
            const ssize_t n = rd_kafka_consume_batch_queue(queue, 100, batch, 1000);
            for (ssize_t i = 0; i < n; ++i) {
                if (!batch[i]->err) ++got;
                rd_kafka_message_destroy(batch[i]);
            }
        }
        consumeS = clock.nsecsElapsed() / 1e9;
        rd_kafka_queue_destroy(queue);
        rd_kafka_consumer_close(rk.get());
        if (got < count) say(QStringLiteral("raw consumer read only %1 of %2").arg(got).arg(count));
    }
    return {{QStringLiteral("raw_produce_per_s"), qRound64(count / produceS)},
            {QStringLiteral("raw_consume_per_s"), qRound64(count / consumeS)},
            {QStringLiteral("raw_messages"), count},
            {QStringLiteral("raw_value_bytes"), value.size()}};
}
} // namespace

QJsonObject runPipeline(const BenchContext &context)
{
    const bool quick = context.quick;
    const qint64 bulk = quick ? 30000 : 1000000;
    const int devices = 1000;
    QJsonObject result;

    EmbeddedBroker broker;
    QString error;
    if (!broker.start(1, &error)) {
        say(error);
        return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
    }
    KafkaSettings settings;
    settings.bootstrap = broker.bootstrap();
    settings.fetchWaitMaxMs = 2;
    ensureTopics(settings, &broker, {}, &error);
    const QString conn = test::TestDatabase::instance().createDatabase();
    if (conn.isEmpty())
        return {{QStringLiteral("ok"), false},
                {QStringLiteral("error"), QStringLiteral("no database")}};

    auto publisher = TelemetryPublisher::create(settings, &error);
    Samples samples;
    // As in the app on the embedded broker: drivers slow down before the broker drops
    // readings the persister has not read.
    TelemetryPersisterOptions persisterOptions;
    persisterOptions.windowGuard =
        std::make_shared<BrokerWindowGuard>(kEmbeddedBrokerPartitionBytes);
    publisher->guardBrokerWindow(persisterOptions.windowGuard);
    TelemetryPersister persister(settings, telemetryStoreSinks(conn, QStringLiteral("bench")),
                                 nullptr, persisterOptions);
    persister.setCommitObserver([&samples](const QList<TelemetryReading> &batch) {
        const qint64 now = nowMicros();
        std::lock_guard lock(samples.mutex);
        for (const TelemetryReading &r : batch)
            samples.commitMs.append((now - r.timeUs) / 1000.0);
    });
    // The console: a feed following telemetry on a bus thread, its "model" here.
    QThread busThread;
    busThread.start();
    auto *feed = new StateFeed(settings, [](QString *) { return LabSnapshot{}; });
    feed->setFollowTelemetry(true);
    feed->moveToThread(&busThread);
    qint64 modelUpdates = 0;
    QObject model;
    QObject::connect(feed, &StateFeed::updated, &model, [&](const FeedUpdate &u) {
        ++modelUpdates;
        const qint64 now = nowMicros();
        std::lock_guard lock(samples.mutex);
        for (const TelemetryReading &r : u.telemetry)
            samples.modelMs.append((now - r.timeUs) / 1000.0);
    });
    std::atomic<qint64> feedSeen{0};
    QObject::connect(feed, &StateFeed::statsChanged, &model,
                     [&](const FeedStats &s) { feedSeen = s.telemetryReadings; });
    bool feedStarted = false;
    QObject::connect(feed, &StateFeed::started, &model, [&] { feedStarted = true; });
    QMetaObject::invokeMethod(feed, &StateFeed::start);
    waitUntil([&] { return feedStarted; }, 30000);
    if (!persister.start(&error)) {
        say(error);
        return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
    }

    qint64 sequence = 0;
    // Warm up: the group joins (about 3 s on this broker) and the first fetches are slow.
    say(QStringLiteral("warming up"));
    drive(publisher.get(), 2000, 2000, 1, devices, &sequence);
    waitUntil([&] { return persister.stats().persisted >= sequence; }, 60000);

    auto latencyRun = [&](double rate, double seconds, const QString &suffix) {
        samples.clear();
        const qint64 n = qint64(rate * seconds);
        const qint64 target = sequence + n;
        say(QStringLiteral("latency at %1 readings/s for %2 s").arg(rate).arg(seconds));
        std::atomic<bool> driven{false};
        std::thread driver([&] {
            drive(publisher.get(), n, rate, rate > 10000 ? 2 : 1, devices, &sequence);
            driven = true;
        });
        waitUntil([&] { return driven.load(); }, 600000);
        driver.join();
        // Readings the broker dropped before the persister read them are counted as lost,
        // not waited for.
        waitUntil([&] { return settled(persister.stats()) >= target; }, 120000);
        QThread::msleep(200);
        QCoreApplication::processEvents();
        std::lock_guard lock(samples.mutex);
        result.insert(QStringLiteral("latency_p50_ms_at_") + suffix,
                      percentile(samples.commitMs, 50));
        result.insert(QStringLiteral("latency_p99_ms_at_") + suffix,
                      percentile(samples.commitMs, 99));
        result.insert(QStringLiteral("model_latency_p50_ms_at_") + suffix,
                      percentile(samples.modelMs, 50));
        result.insert(QStringLiteral("model_latency_p99_ms_at_") + suffix,
                      percentile(samples.modelMs, 99));
    };
    latencyRun(1000, quick ? 2 : 10, QStringLiteral("1k"));
    latencyRun(100000, quick ? 0.5 : 5, QStringLiteral("100k"));

    // Throughput: as fast as the drivers may (they honour the throttle).
    say(QStringLiteral("throughput: %1 readings").arg(bulk));
    const qint64 before = settled(persister.stats());
    const double cpuBefore = cpuSeconds();
    QElapsedTimer clock;
    clock.start();
    std::atomic<bool> driven{false};
    double driveS = 0;
    std::thread driver([&] {
        driveS = drive(publisher.get(), bulk, 0, 2, devices, &sequence);
        driven = true;
    });
    waitUntil([&] { return driven.load(); }, 600000);
    driver.join();
    waitUntil([&] { return publisher->counters().delivered >= sequence; }, 300000);
    const double deliveredS = clock.nsecsElapsed() / 1e9;
    waitUntil([&] { return settled(persister.stats()) - before >= bulk; }, 600000);
    const double persistedS = clock.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpuBefore;
    waitUntil([&] { return feedSeen.load() >= sequence; }, 30000);

    result.insert(QStringLiteral("events"), bulk);
    result.insert(QStringLiteral("events_per_s"), qRound64(bulk / deliveredS));
    result.insert(QStringLiteral("emit_seconds"), driveS);
    result.insert(QStringLiteral("persisted_per_s"), qRound64(bulk / persistedS));
    result.insert(QStringLiteral("cpu_seconds_throughput"), cpu);
    result.insert(QStringLiteral("model_updates"), modelUpdates);
    result.insert(QStringLiteral("feed_readings_seen"), feedSeen.load());
    const TelemetryCounters c = publisher->counters();
    const PersisterStats p = persister.stats();
    result.insert(QStringLiteral("produced"), c.produced);
    result.insert(QStringLiteral("delivered"), c.delivered);
    result.insert(QStringLiteral("persisted"), p.persisted);
    result.insert(QStringLiteral("lost"), p.lost);
    result.insert(QStringLiteral("persister_transactions"), p.batches);
    result.insert(QStringLiteral("persister_write_seconds"), p.writeSeconds);
    result.insert(
        QStringLiteral("rows_in_postgres"),
        test::queryValue(conn, QStringLiteral("SELECT count(*) FROM telemetry")).toLongLong());
    result.insert(QStringLiteral("ok"), p.persisted == c.produced && p.lost == 0);
    result.insert(QStringLiteral("peak_rss_mb"), peakRssMb());

    persister.stop();
    QMetaObject::invokeMethod(
        feed, [feed] { delete feed; }, Qt::BlockingQueuedConnection);
    busThread.quit();
    busThread.wait();
    publisher.reset();

    say(QStringLiteral("raw librdkafka through the same broker"));
    const QJsonObject raw = rawRates(settings, &broker, quick ? 100000 : 1000000);
    for (auto it = raw.begin(); it != raw.end(); ++it)
        result.insert(it.key(), it.value());
    result.insert(QStringLiteral("note"),
                  QStringLiteral("latency_* = driver emit to committed in PostgreSQL; "
                                 "model_latency_* = emit to the console "
                                 "model, which the feed refreshes at most every 50 ms by design"));
    return result;
}

} // namespace alabos::bench
