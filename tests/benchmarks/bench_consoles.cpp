// alabos-bench consoles [--count N] [--devices N] [--seconds S] [--check-each-event]: a
// headless lab (the real binary, embedded PostgreSQL and broker) and N independent console
// feeds in this process, each a StateFeed as a console-only process runs it (its own Kafka
// consumer, its own snapshot from PostgreSQL, events believed through the relay's signed
// digest lists, or with --check-each-event each by its own signature). Measured: how
// long after the time stamped on it each event reaches each console's model (feed_p99_ms:
// the worst console's p99). That time is the engine's, when it decided: the figure includes
// the group commit and the relay, not only the stream. And the scheduler's tasks a second
// alone and with the consoles attached.
#include "core/bus/statefeed.h"
#include "core/bus/streamsigning.h"
#include "core/domain/types.h"
#include "core/storage/snapshot.h"
#include "tests/benchmarks/bench.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <memory>
#include <numeric>
#include <pqxx/pqxx>
#include <pthread.h>
#include <time.h>

namespace alabos::bench {

namespace {

// The headless lab's output: progress lines "[  12 s] tasks completed N, ... | events/s E".
// While it waits, this thread's events run too (the consoles' batches arrive through them).
class Lab : public test::Alabos
{
public:
    Lab() { runEventsWhileWaiting = true; }
    // Reads for `ms` and returns the tasks completed a second over the progress lines that
    // fell in that time (the reporter prints one every 5 s).
    double tasksPerSecond(int ms)
    {
        static const QRegularExpression line(
            QStringLiteral("\\[\\s*(\\d+) s\\] tasks completed (\\d+)"));
        const qsizetype from = out.size();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms)
            read(50);
        QList<QPair<double, double>> points;
        for (auto it = line.globalMatch(QString::fromUtf8(out.mid(from))); it.hasNext();) {
            const auto m = it.next();
            points.append({m.captured(1).toDouble(), m.captured(2).toDouble()});
        }
        if (points.size() < 2) return 0;
        const double seconds = points.last().first - points.first().first;
        return seconds > 0 ? (points.last().second - points.first().second) / seconds : 0;
    }
};

// Receives every console's batches on this (the main) thread and keeps, per console, how
// long after its commit each event arrived.
class Collector : public QObject
{
public:
    explicit Collector(int consoles)
        : m_latencyMs(consoles), m_ready(consoles, false), m_resyncs(consoles, 0),
          m_applied(consoles, 0), m_byList(consoles, 0), m_alone(consoles, 0),
          m_handled(consoles, 0)
    {
    }
    // A feed that fell behind the broker's window starts over from a snapshot: counted.
    void takeStats(int console, const FeedStats &stats)
    {
        m_resyncs[console] = stats.resyncs;
        m_applied[console] = stats.eventsApplied;
        m_byList[console] = stats.verifiedByList;
        m_alone[console] = stats.verifiedAlone;
        m_handled[console] = stats.eventsApplied + stats.duplicatesDropped + stats.deadLettered;
    }
    // State messages the consoles have dealt with so far, whatever became of them.
    qint64 handled() const { return std::accumulate(m_handled.cbegin(), m_handled.cend(), 0LL); }
    qint64 applied() const { return std::accumulate(m_applied.cbegin(), m_applied.cend(), 0LL); }
    // How the consoles believed what they applied: through the relay's lists, or each alone.
    qint64 verifiedByList() const
    {
        return std::accumulate(m_byList.cbegin(), m_byList.cend(), 0LL);
    }
    qint64 verifiedAlone() const { return std::accumulate(m_alone.cbegin(), m_alone.cend(), 0LL); }
    qint64 resyncs() const { return std::accumulate(m_resyncs.cbegin(), m_resyncs.cend(), 0LL); }
    void take(int console, const FeedUpdate &update)
    {
        if (update.reset) {
            m_ready[console] = true;
            return; // a snapshot's events are history, not news
        }
        if (!m_measuring) return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1000;
        for (const Event &e : update.events)
            m_latencyMs[console].append((now - e.timeUs) / 1000.0);
        m_omitted += update.eventsOmitted;
    }
    int ready() const { return int(std::count(m_ready.cbegin(), m_ready.cend(), true)); }
    void setMeasuring(bool on) { m_measuring = on; }
    const QList<QList<double>> &latencies() const { return m_latencyMs; }
    qint64 omitted() const { return m_omitted; }

private:
    QList<QList<double>> m_latencyMs;
    QList<bool> m_ready;
    QList<qint64> m_resyncs;
    QList<qint64> m_applied;
    QList<qint64> m_byList;
    QList<qint64> m_alone;
    QList<qint64> m_handled;
    bool m_measuring = false;
    qint64 m_omitted = 0;
};

// CPU time a thread has used, read from any thread.
double threadCpuSeconds(pthread_t thread)
{
    clockid_t clock;
    timespec ts{};
    if (pthread_getcpuclockid(thread, &clock) != 0 || clock_gettime(clock, &ts) != 0) return 0;
    return double(ts.tv_sec) + ts.tv_nsec / 1e9;
}

} // namespace

QJsonObject runConsoles(const BenchContext &context)
{
    const bool quick = context.quick;
    const int count = intArgument(context.args, QStringLiteral("--count"), quick ? 5 : 100);
    const int devices = intArgument(context.args, QStringLiteral("--devices"), quick ? 300 : 10000);
    const int seconds = intArgument(context.args, QStringLiteral("--seconds"), quick ? 10 : 30);
    // Each console checks every event's own signature, as before the relay's digest lists.
    const bool useLists = !context.args.contains(QStringLiteral("--check-each-event"));
    QString bin = qEnvironmentVariable("ALABOS_BIN");
    if (bin.isEmpty()) bin = QCoreApplication::applicationDirPath() + QStringLiteral("/alabos");
    QTemporaryDir dir;
    // As root the embedded server runs as postgres, who must reach the data directory.
    test::makeSharedTempDir(dir);
    QFile admin(dir.filePath(QStringLiteral("admin")));
    admin.open(QIODevice::WriteOnly);
    admin.write("bench-admin-password\n");
    admin.close();

    Lab lab;
    // Its log to a file: a pipe read only between phases would fill and stop its threads.
    lab.process.setStandardErrorFile(dir.filePath(QStringLiteral("alabos.log")));
    lab.start(bin,
              {QStringLiteral("--headless"), QStringLiteral("--simulate"), QStringLiteral("demo"),
               QStringLiteral("--devices"), QString::number(devices), QStringLiteral("--data-dir"),
               dir.filePath(QStringLiteral("data")), QStringLiteral("--admin-password-file"),
               admin.fileName(), QStringLiteral("--no-api")});
    const auto kafka = lab.waitFor(QStringLiteral("Kafka bootstrap (\\S+)"), 0, 180000);
    const auto db = lab.waitFor(QStringLiteral("PostgreSQL (host=[^\\n]+)"), 0, 10000);
    if (!kafka.hasMatch() || !db.hasMatch()) {
        std::fprintf(stderr, "alabos did not start:\n%s\n", qPrintable(lab.text()));
        return {{QStringLiteral("ok"), false}};
    }
    const QString connection = db.captured(1).trimmed();
    // Warm-up: the whole fleet busy, then the scheduler alone.
    lab.waitFor(QStringLiteral("\\[\\s*(1[5-9]|[2-9]\\d|\\d{3,}) s\\]"), 0, 180000);
    const double alone = lab.tasksPerSecond((seconds + 6) * 1000);
    static const QRegularExpression eventsLine(QStringLiteral("events/s (\\d+)"));
    double eventsPerSecond = 0;
    for (auto it = eventsLine.globalMatch(lab.text()); it.hasNext();)
        eventsPerSecond = it.next().captured(1).toDouble();
    std::fprintf(stderr, "consoles: the scheduler alone: %.0f tasks/s, %.0f events/s\n", alone,
                 eventsPerSecond);

    // The consoles: each trusts the keys the schedulers of this database announced.
    auto keys = std::make_shared<TrustedKeys>();
    {
        pqxx::connection c(connection.toStdString());
        for (const pqxx::row &r :
             pqxx::nontransaction(c).exec("SELECT public_key FROM scheduler_keys")) {
            const pqxx::binarystring b(r[0]);
            keys->add(QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size())));
        }
    }
    KafkaSettings kafkaSettings;
    kafkaSettings.bootstrap = kafka.captured(1);
    Collector collector(count);
    // Two threads carry all feeds, as two cores would anyway; librdkafka has its own threads.
    QList<QThread *> threads;
    QList<pthread_t> threadHandles;
    for (int t = 0; t < 2; ++t) {
        threads << new QThread;
        threads.last()->start();
        auto *probe = new QObject;
        probe->moveToThread(threads.last());
        pthread_t handle{};
        QMetaObject::invokeMethod(
            probe,
            [&handle, probe] {
                handle = pthread_self();
                delete probe;
            },
            Qt::BlockingQueuedConnection);
        threadHandles << handle;
    }
    const auto feedCpuSeconds = [&threadHandles] {
        double sum = 0;
        for (pthread_t t : std::as_const(threadHandles))
            sum += threadCpuSeconds(t);
        return sum;
    };
    QList<StateFeed *> feeds;
    QElapsedTimer attach;
    attach.start();
    for (int i = 0; i < count; ++i) {
        auto *feed = new StateFeed(kafkaSettings, [connection](QString *why) {
            return loadSnapshot(connection, 2000, why);
        });
        feed->setTrustedKeys(keys);
        feed->setUseDigestLists(useLists);
        feed->moveToThread(threads[i % threads.size()]);
        QObject::connect(feed, &StateFeed::updated, &collector,
                         [&collector, i](const FeedUpdate &u) { collector.take(i, u); });
        QObject::connect(feed, &StateFeed::statsChanged, &collector,
                         [&collector, i](const FeedStats &s) { collector.takeStats(i, s); });
        QMetaObject::invokeMethod(feed, &StateFeed::start, Qt::QueuedConnection);
        feeds << feed;
    }
    while (collector.ready() < count && attach.elapsed() < 600000)
        lab.read(100);
    const double attachSeconds = attach.elapsed() / 1000.0;
    std::fprintf(stderr, "consoles: %d of %d consoles loaded their snapshot in %.1f s\n",
                 collector.ready(), count, attachSeconds);

    // With the consoles: their latency and the scheduler's throughput over the same time.
    collector.setMeasuring(true);
    const double cpuBefore = feedCpuSeconds();
    const qint64 handledBefore = collector.handled();
    const double withConsoles = lab.tasksPerSecond((seconds + 6) * 1000);
    collector.setMeasuring(false);
    // What the consoles' own threads spent per state message over the same time (librdkafka's
    // fetching threads, the same in either mode, are not in it).
    const qint64 handledWhileMeasured = collector.handled() - handledBefore;
    const double cpuPerMessageUs =
        handledWhileMeasured > 0 ? (feedCpuSeconds() - cpuBefore) * 1e6 / handledWhileMeasured : 0;

    QList<double> all;
    double worstP99 = 0;
    qint64 events = 0;
    int silent = 0;
    for (const QList<double> &samples : collector.latencies()) {
        if (samples.isEmpty()) {
            ++silent;
            continue;
        }
        worstP99 = std::max(worstP99, percentile(samples, 99));
        all += samples;
        events += samples.size();
    }
    std::fprintf(stderr,
                 "consoles: %d consoles, feed p99 %.1f ms (worst console), %.1f ms (all); "
                 "scheduler %.0f tasks/s alone, %.0f with the consoles; events believed "
                 "through the relay's lists %lld, checked alone %lld; feed threads %.1f us of "
                 "CPU per state message (%lld messages)\n",
                 count, worstP99, percentile(all, 99), alone, withConsoles,
                 collector.verifiedByList(), collector.verifiedAlone(), cpuPerMessageUs,
                 handledWhileMeasured);
    // The lab first, so the feeds go quiet; a feed thread still working through its queue
    // then reaches each stop soon.
    lab.process.terminate();
    if (!lab.process.waitForFinished(60000)) lab.process.kill();
    for (StateFeed *feed : std::as_const(feeds))
        QMetaObject::invokeMethod(
            feed,
            [feed] {
                feed->stop();
                delete feed;
            },
            Qt::BlockingQueuedConnection);
    for (QThread *t : std::as_const(threads)) {
        t->quit();
        t->wait();
        delete t;
    }

    return {{QStringLiteral("consoles"), count},
            {QStringLiteral("digest_lists"), useLists},
            {QStringLiteral("devices"), devices},
            {QStringLiteral("seconds"), seconds},
            {QStringLiteral("scheduler_events_per_s"), qRound(eventsPerSecond)},
            {QStringLiteral("attach_seconds"), qRound(attachSeconds * 10) / 10.0},
            {QStringLiteral("feed_p99_ms"), qRound(worstP99 * 10) / 10.0},
            {QStringLiteral("feed_p99_ms_all_consoles"), qRound(percentile(all, 99) * 10) / 10.0},
            {QStringLiteral("feed_p50_ms_all_consoles"), qRound(percentile(all, 50) * 10) / 10.0},
            {QStringLiteral("events_measured"), events},
            {QStringLiteral("events_omitted_from_batches"), collector.omitted()},
            {QStringLiteral("consoles_without_events"), silent},
            {QStringLiteral("console_resyncs"), collector.resyncs()},
            {QStringLiteral("events_applied_by_consoles"), collector.applied()},
            {QStringLiteral("events_verified_by_list"), collector.verifiedByList()},
            {QStringLiteral("events_verified_alone"), collector.verifiedAlone()},
            {QStringLiteral("feed_cpu_us_per_message"), qRound(cpuPerMessageUs * 10) / 10.0},
            {QStringLiteral("messages_handled_while_measured"), handledWhileMeasured},
            {QStringLiteral("scheduler_tasks_per_s_alone"), qRound(alone)},
            {QStringLiteral("scheduler_tasks_per_s_with_consoles"), qRound(withConsoles)},
            {QStringLiteral("peak_rss_mb"), peakRssMb()},
            {QStringLiteral("ok"),
             collector.ready() == count && silent == 0 && alone > 0 && withConsoles > 0}};
}

} // namespace alabos::bench
