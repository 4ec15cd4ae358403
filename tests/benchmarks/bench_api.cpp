// alabos-bench api: the REST API under wrk against a headless lab (10,000 simulated devices
// and 1,000,000 stored events; --quick: 500 and 20,000), each route set against the raw limit
// of the same work over libpq in the same run:
//   GET  /api/v1/devices/{id}            (the state the process holds; raw: the row by key)
//   GET  /api/v1/devices/{id}/events     (the newest 100 from PostgreSQL; raw: the same query)
//   POST /api/v1/samples                 (one sample, one commit; raw: its rows, one commit)
// and GET one device at 1,000 connections.
#include "tests/benchmarks/bench.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <pqxx/pqxx>
#include <thread>

namespace alabos::bench {

namespace {
struct WrkResult
{
    double rps = 0;
    double p99Ms = 0;
    qint64 errors = 0; // socket errors, timeouts and answers that were not 2xx
    QString output;
};

// wrk's "2.50ms", "1.20s", "830.00us" as milliseconds.
double milliseconds(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([0-9.]+)(us|ms|s|m)$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch()) return -1;
    const double v = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    return unit == QLatin1StringView("us")   ? v / 1000
           : unit == QLatin1StringView("ms") ? v
           : unit == QLatin1StringView("s")  ? v * 1000
                                             : v * 60000;
}

WrkResult runWrk(const QString &url, const QString &script, int connections, int seconds)
{
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"),
              {QStringLiteral("-t2"), QStringLiteral("-c%1").arg(connections),
               QStringLiteral("-d%1s").arg(seconds), QStringLiteral("--timeout"),
               QStringLiteral("5s"), QStringLiteral("--latency"), QStringLiteral("-s"), script,
               url});
    WrkResult r;
    if (!wrk.waitForFinished((seconds + 60) * 1000)) {
        wrk.kill();
        r.errors = -1;
        return r;
    }
    r.output = QString::fromUtf8(wrk.readAll());
    static const QRegularExpression rps(QStringLiteral("Requests/sec:\\s+([0-9.]+)"));
    static const QRegularExpression p99(QStringLiteral("\\n\\s+99%\\s+(\\S+)"));
    static const QRegularExpression socket(
        QStringLiteral("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)"));
    static const QRegularExpression non2xx(QStringLiteral("Non-2xx or 3xx responses: (\\d+)"));
    r.rps = rps.match(r.output).captured(1).toDouble();
    r.p99Ms = milliseconds(p99.match(r.output).captured(1));
    if (const auto m = socket.match(r.output); m.hasMatch())
        for (int i = 1; i <= 4; ++i)
            r.errors += m.captured(i).toLongLong();
    if (const auto m = non2xx.match(r.output); m.hasMatch()) r.errors += m.captured(1).toLongLong();
    return r;
}

// Queries a second over `threads` connections for `seconds`, each running `work`.
double rawPerSecond(const std::string &connection, int threads, double seconds,
                    const std::function<void(pqxx::connection &, qint64 thread, qint64 i)> &work,
                    const std::function<void(pqxx::connection &)> &prepare)
{
    std::atomic<qint64> done{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> pool;
    QElapsedTimer clock;
    clock.start();
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            pqxx::connection c(connection);
            prepare(c);
            for (qint64 i = 0; !stop; ++i) {
                work(c, t, i);
                ++done;
            }
        });
    QThread::msleep(qint64(seconds * 1000));
    stop = true;
    for (auto &t : pool)
        t.join();
    return done / (clock.nsecsElapsed() / 1e9);
}

QString writeScript(const QDir &dir, const QString &name, const QString &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(text.toUtf8());
    return path;
}
} // namespace

QJsonObject runApi(const BenchContext &context)
{
    const bool quick = context.quick;
    const int devices = quick ? 500 : 10000;
    const qint64 events = quick ? 20000 : 1000000;
    const int seconds = quick ? 3 : 30;
    const int manyConnections = quick ? 200 : 1000;
    QString bin = qEnvironmentVariable("ALABOS_BIN");
    if (bin.isEmpty()) bin = QCoreApplication::applicationDirPath() + QStringLiteral("/alabos");
    QTemporaryDir dir;
    // As root the embedded server runs as postgres, who must reach the data directory.
    test::makeSharedTempDir(dir);
    const QString password = QStringLiteral("bench-admin-password");
    writeScript(QDir(dir.path()), QStringLiteral("admin"), password + u'\n');

    // The lab: the demo workload on N devices, its API bound to a free port.
    test::Alabos lab;
    QProcess &alabos = lab.process;
    // Its log goes to a file: a pipe nobody reads while wrk runs fills up, and then every
    // thread of alabos that logs stops (which once made this bench measure the pipe).
    alabos.setStandardErrorFile(dir.filePath(QStringLiteral("alabos.log")));
    lab.start(bin,
              {QStringLiteral("--headless"), QStringLiteral("--simulate"), QStringLiteral("demo"),
               QStringLiteral("--devices"), QString::number(devices), QStringLiteral("--data-dir"),
               dir.filePath(QStringLiteral("data")), QStringLiteral("--admin-password-file"),
               dir.filePath(QStringLiteral("admin")), QStringLiteral("--api"),
               QStringLiteral("--api-listen"), QStringLiteral("127.0.0.1:0"),
               QStringLiteral("--api-rate"), QStringLiteral("100000"),
               QStringLiteral("--api-burst"), QStringLiteral("1000000")});
    const auto api = lab.waitFor(QStringLiteral("API (http://[0-9.:]+)"), 0, 180000);
    const auto db = lab.waitFor(QStringLiteral("PostgreSQL (host=[^\\n]+)"), 0, 1000);
    if (!api.hasMatch() || !db.hasMatch()) {
        QFile log(dir.filePath(QStringLiteral("alabos.log")));
        log.open(QIODevice::ReadOnly);
        std::fprintf(stderr, "alabos did not start:\n%s\n%s\n", qPrintable(lab.text()),
                     log.readAll().right(4000).constData());
        return {{QStringLiteral("ok"), false}};
    }
    const QString base = api.captured(1);
    const std::string connection = db.captured(1).trimmed().toStdString();

    // A token for the admin, through the headless command channel.
    alabos.write(
        QJsonDocument(QJsonObject{{QStringLiteral("user"), QStringLiteral("admin")},
                                  {QStringLiteral("password"), password},
                                  {QStringLiteral("kind"), QStringLiteral("token.create")},
                                  {QStringLiteral("args"),
                                   QJsonObject{{QStringLiteral("name"), QStringLiteral("bench")},
                                               {QStringLiteral("expiresInDays"), 1}}}})
            .toJson(QJsonDocument::Compact) +
        '\n');
    const auto token = lab.waitFor(QStringLiteral("\"token\":\"(alabos_[^\"]+)\""), 0, 30000);
    if (!token.hasMatch()) {
        std::fprintf(stderr, "no API token:\n%s\n", qPrintable(lab.text().right(2000)));
        return {{QStringLiteral("ok"), false}};
    }

    // The stored history: events of the lab's devices, spread over the last hours, with ids
    // below zero so that neither the relay nor the event stream republishes them.
    QStringList ids;
    {
        pqxx::connection c(connection);
        // The lab declares its devices as it starts: all of them first.
        QElapsedTimer wait;
        wait.start();
        while (wait.elapsed() < 180000) {
            pqxx::nontransaction tx(c);
            if (tx.exec1("SELECT count(*) FROM devices")[0].as<int>() >= devices) break;
            QThread::msleep(500);
        }
        pqxx::work tx(c);
        for (const auto &row : tx.exec("SELECT id FROM devices ORDER BY id"))
            ids << QString::fromUtf8(row[0].c_str());
        QElapsedTimer t;
        t.start();
        tx.exec_params0(
            "WITH d AS (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n FROM devices) "
            "INSERT INTO events (id, entity_type, entity_id, kind, payload, created_at) "
            "SELECT -g, 'device', d.ids[1 + g % d.n], 'device.updated', "
            "jsonb_build_object('status', 'busy', 'tasks_completed', g), "
            "now() - g * interval '20 ms' FROM generate_series(1, $1) g, d",
            events);
        tx.commit();
        std::fprintf(stderr, "api: %d devices, %lld events stored in %.1f s\n", int(ids.size()),
                     events, t.elapsed() / 1000.0);
    }
    // The API answers from this process's feed, which may still be taking in the last devices.
    {
        QElapsedTimer wait;
        wait.start();
        qint64 listed = 0;
        while (wait.elapsed() < 180000) {
            QProcess curl;
            curl.start(QStringLiteral("curl"),
                       {QStringLiteral("-s"), QStringLiteral("-H"),
                        QStringLiteral("Authorization: Bearer ") + token.captured(1),
                        base + QStringLiteral("/api/v1/devices?limit=1")});
            curl.waitForFinished(10000);
            listed = QJsonDocument::fromJson(curl.readAllStandardOutput())
                         .object()
                         .value(QStringLiteral("total"))
                         .toInteger();
            if (listed >= ids.size()) break;
            QThread::msleep(500);
        }
        if (listed < ids.size()) {
            std::fprintf(stderr, "the API lists %lld of %d devices after 180 s\n", listed,
                         int(ids.size()));
            return {{QStringLiteral("ok"), false}};
        }
    }
    QString idList;
    for (const QString &id : std::as_const(ids))
        idList += u'"' + id + QStringLiteral("\",");
    idList.chop(1);
    const QDir scripts(dir.path());
    const QString auth =
        QStringLiteral("wrk.headers[\"Authorization\"] = \"Bearer %1\"\n").arg(token.captured(1));
    const QString deviceScript = writeScript(
        scripts, QStringLiteral("device.lua"),
        auth +
            QStringLiteral("local ids = {%1}\nrequest = function()\n  return "
                           "wrk.format(\"GET\", \"/api/v1/devices/\" .. ids[math.random(#ids)])\n"
                           "end\n")
                .arg(idList));
    const QString eventsScript = writeScript(
        scripts, QStringLiteral("events.lua"),
        auth + QStringLiteral("local ids = {%1}\nrequest = function()\n  return "
                              "wrk.format(\"GET\", \"/api/v1/devices/\" .. ids[math.random(#ids)] "
                              ".. \"/events?limit=100\")\nend\n")
                   .arg(idList));
    const QString run = QString::number(QDateTime::currentMSecsSinceEpoch());
    const QString sampleScript = writeScript(
        scripts, QStringLiteral("sample.lua"),
        auth + QStringLiteral(
                   "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                   "local counter = 0\nlocal thread_id = 0\nlocal threads = 0\n"
                   "function setup(thread)\n  thread:set(\"tid\", threads)\n  threads = threads + "
                   "1\nend\n"
                   "function init(args)\n  thread_id = tid\nend\n"
                   "request = function()\n  counter = counter + 1\n  return wrk.format(\"POST\", "
                   "\"/api/v1/samples\", "
                   "nil, '{\"samples\":[{\"barcode\":\"B%1-' .. thread_id .. '-' .. counter .. "
                   "'\",\"name\":\"bench sample\"}]}')\nend\n")
                   .arg(run));

    // Each route; the raw limit right after it, on the same server and machine.
    QJsonObject result{{QStringLiteral("devices"), int(ids.size())},
                       {QStringLiteral("events_stored"), events},
                       {QStringLiteral("seconds_per_route"), seconds},
                       {QStringLiteral("connections"), 64}};
    qint64 errors = 0;
    auto record = [&](const QString &key, const WrkResult &w) {
        std::fprintf(stderr, "api: %s: %.0f req/s, p99 %.2f ms, %lld errors\n", qPrintable(key),
                     w.rps, w.p99Ms, w.errors);
        result.insert(key + QStringLiteral("_rps"), qRound(w.rps));
        result.insert(key + QStringLiteral("_p99_ms"), qRound(w.p99Ms * 100) / 100.0);
        errors += std::max<qint64>(w.errors, 0);
        if (w.errors != 0) std::fprintf(stderr, "%s\n", qPrintable(w.output));
    };
    record(QStringLiteral("get_device"), runWrk(base, deviceScript, 64, seconds));
    const std::string someId = ids.value(ids.size() / 2).toStdString();
    result.insert(QStringLiteral("raw_get_device_qps"),
                  qRound(rawPerSecond(
                      connection, 2, quick ? 1 : 5,
                      [&](pqxx::connection &c, qint64, qint64 i) {
                          pqxx::nontransaction tx(c);
                          tx.exec_prepared("device", ids.at(i % ids.size()).toStdString());
                      },
                      [](pqxx::connection &c) {
                          c.prepare("device",
                                    "SELECT id, type, status, current_task, "
                                    "tasks_completed, updated_at FROM devices WHERE id = $1");
                      })));
    record(QStringLiteral("device_events"), runWrk(base, eventsScript, 64, seconds));
    result.insert(QStringLiteral("raw_device_events_qps"),
                  qRound(rawPerSecond(
                      connection, 2, quick ? 1 : 5,
                      [&](pqxx::connection &c, qint64, qint64 i) {
                          pqxx::nontransaction tx(c);
                          tx.exec_prepared("events", ids.at(i % ids.size()).toStdString());
                      },
                      [](pqxx::connection &c) {
                          c.prepare("events",
                                    "SELECT id, entity_type, entity_id, kind, created_at, "
                                    "payload::text FROM events WHERE entity_type = 'device' AND "
                                    "entity_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100");
                      })));
    record(QStringLiteral("post_sample"), runWrk(base, sampleScript, 64, seconds));
    // The raw write: a sample row and its event, one commit each, as one registration writes.
    result.insert(QStringLiteral("raw_post_sample_commits_per_s"),
                  qRound(rawPerSecond(
                      connection, 2, quick ? 1 : 5,
                      [&](pqxx::connection &c, qint64 thread, qint64 i) {
                          const qint64 id = 4000000000000000LL + thread * 100000000LL + i;
                          pqxx::work tx(c);
                          tx.exec_prepared("sample", id,
                                           "RAW" + run.toStdString() + '-' + std::to_string(id));
                          tx.exec_prepared("event", std::to_string(id));
                          tx.commit();
                      },
                      [](pqxx::connection &c) {
                          c.prepare("sample", "INSERT INTO samples (id, barcode, metadata, "
                                              "created_at) VALUES ($1, $2, '{}', now())");
                          c.prepare("event", "INSERT INTO events (entity_type, entity_id, kind, "
                                             "payload, created_at) VALUES ('sample', $1, "
                                             "'sample.registered', '{}', now())");
                      })));
    const WrkResult many = runWrk(base, deviceScript, manyConnections, seconds);
    std::fprintf(stderr, "api: %d connections: %.0f req/s, p99 %.2f ms, %lld errors\n",
                 manyConnections, many.rps, many.p99Ms, many.errors);
    result.insert(QStringLiteral("at_1000_connections_rps"), qRound(many.rps));
    result.insert(QStringLiteral("at_1000_connections_p99_ms"), qRound(many.p99Ms * 100) / 100.0);
    result.insert(QStringLiteral("many_connections"), manyConnections);
    errors += std::max<qint64>(many.errors, 0);
    result.insert(QStringLiteral("errors"), errors);

    alabos.terminate();
    if (!alabos.waitForFinished(60000)) alabos.kill();
    result.insert(QStringLiteral("ok"), result.value(QStringLiteral("get_device_rps")).toInt() > 0);
    return result;
}

} // namespace alabos::bench
