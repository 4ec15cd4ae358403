#include "core/storage/history.h"

#include "core/storage/pgutil.h"

#include <QJsonDocument>
#include <QObject>
#include <cmath>
#include <pqxx/pqxx>

namespace alabos {

namespace {

// Times cross the wire as microseconds since the epoch: no time zone or format to parse.
constexpr auto kUs = "'epoch'::timestamptz + $%1 * interval '1 microsecond'";

std::string ts(int param)
{
    return QString::fromLatin1(kUs).arg(param).toStdString();
}

qint64 bucketUs(qint64 fromUs, qint64 toUs, int points, qint64 minimum)
{
    const qint64 span = qMax<qint64>(1, toUs - fromUs);
    return qMax(minimum, (span + qMax(1, points) - 1) / qMax(1, points));
}

} // namespace

HistoryQueries::HistoryQueries(QStringList connectionStrings)
    : m_connectionStrings(std::move(connectionStrings))
{
}

HistoryQueries::~HistoryQueries() = default;

namespace {
// Every history query is one SELECT: run alone (autocommit) it sees one snapshot like a
// transaction would, without the BEGIN and COMMIT round trips. A broken connection is
// reopened on the next query.
template <typename F>
auto run(std::unique_ptr<pqxx::connection> &connection, const QStringList &connectionStrings,
         const char *what, QString *error, F &&body)
    -> std::optional<decltype(body(std::declval<pqxx::nontransaction &>()))>
{
    try {
        if (!connection || !connection->is_open())
            connection = connectFirstReachable(connectionStrings);
        pqxx::nontransaction tx(*connection);
        return body(tx);
    } catch (const std::exception &e) {
        if (connection && !connection->is_open()) connection.reset();
        if (error)
            *error = QObject::tr("History query \"%1\" failed: %2")
                         .arg(QString::fromLatin1(what), QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}
} // namespace

std::optional<QList<Event>> HistoryQueries::lastEvents(const QString &entityId, int limit,
                                                       QString *error)
{
    return run(
        m_connection, m_connectionStrings, "last events", error, [&](pqxx::nontransaction &tx) {
            const pqxx::result rows = tx.exec_params(
                std::string("SELECT ") + kEventColumns + " FROM alabos_last_events($1, $2) events",
                entityId.toStdString(), qBound(1, limit, 10000));
            QList<Event> out;
            out.reserve(rows.size());
            for (const auto &row : rows)
                out.append(eventFromRow(row));
            return out;
        });
}

std::optional<QList<TelemetryPoint>> HistoryQueries::telemetry(const QString &deviceId,
                                                               const QString &metric, qint64 fromUs,
                                                               qint64 toUs, int points,
                                                               QString *error)
{
    const bool raw = toUs - fromUs <= kRawRangeUs;
    // A long range is bucketed in whole minutes, aligned to the epoch like the rollups.
    qint64 bucket = bucketUs(fromUs, toUs, points, raw ? 1 : 60000000);
    if (!raw) bucket = (bucket + 59999999) / 60000000 * 60000000;
    const std::string sql =
        raw ? "SELECT (floor((extract(epoch FROM at) * 1000000 - $3) / $5) * $5 + $3)::bigint b, "
              "min(value), avg(value), max(value), count(*) FROM telemetry "
              "WHERE device_id = $1 AND metric = $2 AND at >= " +
                  ts(3) + " AND at < " + ts(4) + " GROUP BY 1 ORDER BY 1"
            : "SELECT (floor((extract(epoch FROM minute) * 1000000 - $3) / $5) * $5 + $3)::bigint "
              "b, "
              "min(min), sum(sum) / sum(n), max(max), sum(n)::bigint FROM telemetry_minute "
              "WHERE device_id = $1 AND metric = $2 AND minute >= " +
                  ts(3) + " AND minute < " + ts(4) + " GROUP BY 1 ORDER BY 1";
    return run(m_connection, m_connectionStrings, "telemetry", error,
               [&](pqxx::nontransaction &tx) {
                   const pqxx::result rows = tx.exec_params(
                       sql, deviceId.toStdString(), metric.toStdString(), fromUs, toUs, bucket);
                   QList<TelemetryPoint> out;
                   out.reserve(rows.size());
                   for (const auto &row : rows)
                       out.append({row[0].as<qint64>(), row[1].as<double>(), row[2].as<double>(),
                                   row[3].as<double>(), row[4].as<qint64>()});
                   return out;
               });
}

std::optional<QList<HourlyCount>> HistoryQueries::completedPerHour(qint64 fromUs, qint64 toUs,
                                                                   QString *error)
{
    const std::string sql =
        "SELECT (extract(epoch FROM date_trunc('hour', minute)) * 1000000)::bigint, "
        "sum(workflows_completed), sum(samples_completed), sum(tasks_completed), "
        "sum(tasks_failed) FROM lab_minute WHERE minute >= " +
        ts(1) + " AND minute < " + ts(2) + " GROUP BY 1 ORDER BY 1";
    return run(m_connection, m_connectionStrings, "completed per hour", error,
               [&](pqxx::nontransaction &tx) {
                   const pqxx::result rows = tx.exec_params(sql, fromUs, toUs);
                   QList<HourlyCount> out;
                   out.reserve(rows.size());
                   for (const auto &row : rows)
                       out.append({row[0].as<qint64>(), row[1].as<qint64>(), row[2].as<qint64>(),
                                   row[3].as<qint64>(), row[4].as<qint64>()});
                   return out;
               });
}

std::optional<QList<DeviceTypeUtilisation>>
HistoryQueries::utilisationByDeviceType(qint64 fromUs, qint64 toUs, QString *error)
{
    // Capacity: the sampled device count of each minute; minutes without a sample (alabos
    // was not running) count with today's number of devices of the type.
    const std::string sql =
        "WITH r AS (SELECT device_type, sum(busy_seconds) busy, count(devices) sampled, "
        "           sum(devices) * 60.0 sampled_capacity FROM device_type_minute "
        "           WHERE minute >= " +
        ts(1) + " AND minute < " + ts(2) +
        " GROUP BY 1), "
        "now_devices AS (SELECT type AS device_type, count(*) n FROM devices GROUP BY 1), "
        "types AS (SELECT device_type FROM r UNION SELECT device_type FROM now_devices) "
        "SELECT t.device_type, coalesce(r.busy, 0), "
        "  coalesce(r.sampled_capacity, 0) + coalesce(n.n, 0) * "
        "  greatest(0, ($2 - $1) / 60000000 - coalesce(r.sampled, 0)) * 60.0 "
        "FROM types t LEFT JOIN r USING (device_type) LEFT JOIN now_devices n USING (device_type) "
        "ORDER BY 1";
    return run(m_connection, m_connectionStrings, "utilisation", error,
               [&](pqxx::nontransaction &tx) {
                   const pqxx::result rows = tx.exec_params(sql, fromUs, toUs);
                   QList<DeviceTypeUtilisation> out;
                   for (const auto &row : rows) {
                       DeviceTypeUtilisation u{QString::fromUtf8(row[0].c_str()),
                                               row[1].as<double>(), row[2].as<double>(), 0};
                       u.utilisation =
                           u.capacitySeconds > 0 ? qMin(1.0, u.busySeconds / u.capacitySeconds) : 0;
                       out.append(u);
                   }
                   return out;
               });
}

std::optional<QList<QueueDepthPoint>> HistoryQueries::queueDepth(qint64 fromUs, qint64 toUs,
                                                                 int points, QString *error)
{
    qint64 bucket = bucketUs(fromUs, toUs, points, 60000000);
    bucket = (bucket + 59999999) / 60000000 * 60000000;
    const std::string sql =
        "SELECT (floor((extract(epoch FROM minute) * 1000000 - $1) / $3) * $3 + $1)::bigint, "
        "avg(queue_depth), max(queue_depth), coalesce(avg(tasks_running), 0) FROM lab_minute "
        "WHERE minute >= " +
        ts(1) + " AND minute < " + ts(2) + " AND queue_depth IS NOT NULL GROUP BY 1 ORDER BY 1";
    return run(m_connection, m_connectionStrings, "queue depth", error,
               [&](pqxx::nontransaction &tx) {
                   const pqxx::result rows = tx.exec_params(sql, fromUs, toUs, bucket);
                   QList<QueueDepthPoint> out;
                   out.reserve(rows.size());
                   for (const auto &row : rows)
                       out.append({row[0].as<qint64>(), row[1].as<double>(), row[2].as<int>(),
                                   row[3].as<double>()});
                   return out;
               });
}

std::optional<QList<DurationBucket>>
HistoryQueries::taskDurations(qint64 fromUs, qint64 toUs, const QString &taskName, QString *error)
{
    const std::string sql = "SELECT bucket, sum(n)::bigint FROM task_duration_minute "
                            "WHERE minute >= " +
                            ts(1) + " AND minute < " + ts(2) +
                            " AND ($3 = '' OR task_name = $3) GROUP BY 1 ORDER BY 1";
    return run(
        m_connection, m_connectionStrings, "task durations", error, [&](pqxx::nontransaction &tx) {
            const pqxx::result rows = tx.exec_params(sql, fromUs, toUs, taskName.toStdString());
            QList<DurationBucket> out;
            for (const auto &row : rows) {
                const int k = row[0].as<int>();
                out.append(
                    {std::pow(2.0, k / 4.0), std::pow(2.0, (k + 1) / 4.0), row[1].as<qint64>()});
            }
            return out;
        });
}

} // namespace alabos
