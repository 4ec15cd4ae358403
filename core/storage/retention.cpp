#include "core/storage/retention.h"

#include "core/domain/logging.h"

#include <pqxx/pqxx>

namespace alabos {

namespace {

QString what(const std::exception &e)
{
    return QString::fromUtf8(e.what()).trimmed();
}

QDateTime databaseNow(pqxx::work &tx)
{
    return QDateTime::fromMSecsSinceEpoch(
        tx.exec1("SELECT (extract(epoch FROM now()) * 1000)::bigint")[0].as<qint64>(), Qt::UTC);
}

std::string timestamp(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs).toStdString();
}

std::string interval(qint64 seconds)
{
    return std::to_string(seconds) + " seconds";
}

int ensureIn(pqxx::work &tx, const QDateTime &now, const RetentionSettings &settings)
{
    int made = 0;
    const qint64 span = qint64(settings.partitionMinutes) * 60;
    for (const char *parent : {"events", "telemetry"})
        made += tx.exec_params1("SELECT alabos_ensure_partitions($1::regclass, $2::timestamptz, "
                                "$3::timestamptz, $4::interval)",
                                parent, timestamp(now.addSecs(-span)),
                                timestamp(now.addSecs(settings.aheadSeconds())), interval(span))[0]
                    .as<int>();
    const QDate today = now.toUTC().date();
    made += tx.exec_params1(
                  "SELECT alabos_ensure_day_partitions('telemetry_minute', $1::date, "
                  "$2::date)",
                  today.addDays(-1).toString(Qt::ISODate).toStdString(),
                  today.addDays(qMax(0, settings.daysAhead)).toString(Qt::ISODate).toStdString())[0]
                .as<int>();
    return made;
}

} // namespace

qint64 RetentionSettings::aheadSeconds() const
{
    const qint64 span = qint64(partitionMinutes) * 60;
    const qint64 days = qint64(qMax(0, daysAhead)) * kMinutesPerDay * 60;
    return partitionMinutes >= kMinutesPerDay ? days : qMin(days, 36 * span);
}

int RetentionSettings::maintenanceIntervalMs() const
{
    return qMin(60, partitionMinutes) * 60 * 1000;
}

qint64 RetentionSettings::msUntilNextRun(qint64 nowMsSinceEpoch) const
{
    // Just after a slot ends, when it can first leave the window: a run at any other phase
    // would keep the slot up to one more interval.
    constexpr qint64 kAfterTheBoundaryMs = 5000;
    const qint64 interval = maintenanceIntervalMs();
    const qint64 sinceBoundary = nowMsSinceEpoch % interval;
    return sinceBoundary < kAfterTheBoundaryMs ? kAfterTheBoundaryMs - sinceBoundary
                                               : interval - sinceBoundary + kAfterTheBoundaryMs;
}

QString partitionSpanProblem(int minutes)
{
    if (minutes < 10 || minutes > kMinutesPerDay || kMinutesPerDay % minutes != 0)
        return QObject::tr("a partition span must divide a day into slots of ten minutes or "
                           "more (10min, 15min, 20min, 30min, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d)");
    return {};
}

std::optional<int> ensurePartitions(const QString &connectionString,
                                    const RetentionSettings &settings, QString *error,
                                    QDateTime now)
{
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::work tx(c);
        if (!now.isValid()) now = databaseNow(tx);
        const int made = ensureIn(tx, now, settings);
        tx.commit();
        return made;
    } catch (const std::exception &e) {
        if (error) *error = QObject::tr("Could not create partitions: %1").arg(what(e));
        return std::nullopt;
    }
}

std::optional<RetentionReport> applyRetention(const QString &connectionString,
                                              const RetentionSettings &settings, QString *error,
                                              QDateTime now)
{
    RetentionReport report;
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::work tx(c);
        if (!now.isValid()) now = databaseNow(tx);
        report.partitionsCreated = ensureIn(tx, now, settings);
        // The slowest relay: events after its cursor are not published yet. Without any
        // relay cursor nothing has been published, so only empty partitions may go.
        const pqxx::row cursor = tx.exec1("SELECT min(last_event_id) FROM relay_cursor");
        const qint64 published = cursor[0].is_null() ? 0 : cursor[0].as<qint64>();
        struct Rule
        {
            const char *parent;
            const char *timeColumn;
            qint64 keepMinutes;
            bool events;
        };
        for (const Rule &rule : {Rule{"telemetry", "at", settings.telemetryMinutes, false},
                                 Rule{"events", "created_at", settings.eventMinutes, true},
                                 Rule{"telemetry_minute", "minute",
                                      qint64(settings.rollupDays) * kMinutesPerDay, false}}) {
            if (rule.keepMinutes <= 0) continue; // 0: keep forever
            const std::string cutoff = timestamp(now.addSecs(-rule.keepMinutes * 60));
            const std::string defaultPartition =
                tx.quote_name(std::string(rule.parent) + "_default");
            const std::string oldRows = "DELETE FROM " + defaultPartition + " WHERE " +
                                        rule.timeColumn + " < $1::timestamptz";
            report.defaultRowsDeleted +=
                (rule.events ? tx.exec_params(oldRows + " AND id <= $2", cutoff, published)
                             : tx.exec_params(oldRows, cutoff))
                    .affected_rows();
            // A partition whose whole slot ended longer ago than the window.
            const pqxx::result old =
                tx.exec_params("SELECT partition_name FROM alabos_partitions($1::regclass) "
                               "WHERE hi <= $2::timestamptz ORDER BY lo",
                               rule.parent, cutoff);
            for (const auto &row : old) {
                const std::string name = row[0].c_str();
                const std::string quoted = tx.quote_name(name);
                if (rule.events) {
                    const pqxx::row maxId = tx.exec1("SELECT max(id) FROM " + quoted);
                    if (!maxId[0].is_null() && maxId[0].as<qint64>() > published) {
                        report.keptUnpublished << QString::fromStdString(name);
                        continue;
                    }
                }
                tx.exec0("DROP TABLE " + quoted);
                report.dropped << QString::fromStdString(name);
            }
        }
        tx.commit();
    } catch (const std::exception &e) {
        if (error) *error = QObject::tr("Retention failed: %1").arg(what(e));
        return std::nullopt;
    }
    if (!report.dropped.isEmpty())
        qCInfo(lcStorage).noquote() << "retention dropped" << report.dropped.join(QLatin1Char(' '));
    if (report.defaultRowsDeleted > 0)
        qCInfo(lcStorage) << "retention deleted" << report.defaultRowsDeleted
                          << "old rows of the default partitions";
    if (!report.keptUnpublished.isEmpty())
        qCWarning(lcStorage).noquote()
            << "retention kept event partitions the relay has not published:"
            << report.keptUnpublished.join(QLatin1Char(' '));
    return report;
}

bool sampleLabMinute(const QString &connectionString, QString *error)
{
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::work tx(c);
        tx.exec0("INSERT INTO lab_minute AS l (minute, queue_depth, tasks_running) "
                 "SELECT date_trunc('minute', now()), "
                 "count(*) FILTER (WHERE status IN ('waiting','ready')), "
                 "count(*) FILTER (WHERE status = 'running') "
                 "FROM tasks WHERE status IN ('waiting','ready','running','paused') "
                 "ON CONFLICT (minute) DO UPDATE SET queue_depth = excluded.queue_depth, "
                 "tasks_running = excluded.tasks_running");
        tx.exec0("INSERT INTO device_type_minute AS d (minute, device_type, devices) "
                 "SELECT date_trunc('minute', now()), type, count(*) FROM devices GROUP BY type "
                 "ON CONFLICT (minute, device_type) DO UPDATE SET devices = excluded.devices");
        tx.commit();
        return true;
    } catch (const std::exception &e) {
        if (error) *error = QObject::tr("Could not sample the lab's queue: %1").arg(what(e));
        return false;
    }
}

StorageMaintenance::StorageMaintenance(QString connectionString, RetentionSettings settings,
                                       QObject *parent)
    : QObject(parent), m_connectionString(std::move(connectionString)), m_settings(settings),
      m_retentionTimer(this), m_minutely(this)
{
    m_retentionTimer.setSingleShot(true);
    m_minutely.setInterval(60 * 1000);
    connect(&m_retentionTimer, &QTimer::timeout, this, &StorageMaintenance::runRetention);
    connect(&m_minutely, &QTimer::timeout, this, &StorageMaintenance::sample);
}

void StorageMaintenance::start()
{
    runRetention();
    sample();
    m_minutely.start();
}

void StorageMaintenance::runRetention()
{
    m_retentionTimer.start(int(m_settings.msUntilNextRun(QDateTime::currentMSecsSinceEpoch())));
    QString error;
    if (const auto report = applyRetention(m_connectionString, m_settings, &error)) {
        Q_EMIT maintained(*report);
        return;
    }
    qCWarning(lcStorage).noquote() << error;
    Q_EMIT failed(error);
}

void StorageMaintenance::sample()
{
    QString error;
    if (!sampleLabMinute(m_connectionString, &error)) {
        qCWarning(lcStorage).noquote() << error;
        Q_EMIT failed(error);
    }
}

} // namespace alabos
