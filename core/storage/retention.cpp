#include "core/storage/retention.h"

#include "core/domain/logging.h"

#include <pqxx/pqxx>

namespace alabos {

namespace {

QString what(const std::exception &e)
{
    return QString::fromUtf8(e.what()).trimmed();
}

QDate databaseToday(pqxx::work &tx)
{
    return QDate::fromString(
        QString::fromUtf8(tx.exec1("SELECT ((now() AT TIME ZONE 'UTC')::date)::text")[0].c_str()),
        Qt::ISODate);
}

int ensureIn(pqxx::work &tx, QDate today, int daysAhead)
{
    int made = 0;
    const std::string first = today.addDays(-1).toString(Qt::ISODate).toStdString();
    const std::string last = today.addDays(qMax(0, daysAhead)).toString(Qt::ISODate).toStdString();
    for (const char *parent : {"events", "telemetry", "telemetry_minute"})
        made +=
            tx.exec_params1("SELECT alabos_ensure_day_partitions($1::regclass, $2::date, $3::date)",
                            parent, first, last)[0]
                .as<int>();
    return made;
}

} // namespace

std::optional<int> ensurePartitions(const QString &connectionString, int daysAhead, QString *error,
                                    QDate today)
{
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::work tx(c);
        if (!today.isValid()) today = databaseToday(tx);
        const int made = ensureIn(tx, today, daysAhead);
        tx.commit();
        return made;
    } catch (const std::exception &e) {
        if (error) *error = QObject::tr("Could not create partitions: %1").arg(what(e));
        return std::nullopt;
    }
}

std::optional<RetentionReport> applyRetention(const QString &connectionString,
                                              const RetentionSettings &settings, QString *error,
                                              QDate today)
{
    RetentionReport report;
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::work tx(c);
        if (!today.isValid()) today = databaseToday(tx);
        report.partitionsCreated = ensureIn(tx, today, settings.daysAhead);
        // The slowest relay: events after its cursor are not published yet. Without any
        // relay cursor nothing has been published, so only empty partitions may go.
        const pqxx::row cursor = tx.exec1("SELECT min(last_event_id) FROM relay_cursor");
        const qint64 published = cursor[0].is_null() ? 0 : cursor[0].as<qint64>();
        struct Rule
        {
            const char *parent;
            int keepDays;
            bool events;
        };
        for (const Rule &rule : {Rule{"telemetry", settings.telemetryDays, false},
                                 Rule{"events", settings.eventDays, true},
                                 Rule{"telemetry_minute", settings.rollupDays, false}}) {
            if (rule.keepDays <= 0) continue; // 0: keep forever
            // A partition whose whole day is older than `keepDays` days before today.
            const std::string cutoff =
                today.addDays(-rule.keepDays).toString(Qt::ISODate).toStdString();
            const pqxx::result old =
                tx.exec_params("SELECT partition_name FROM alabos_day_partitions($1::regclass) "
                               "WHERE day < $2::date ORDER BY day",
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
      m_hourly(this), m_minutely(this)
{
    m_hourly.setInterval(3600 * 1000);
    m_minutely.setInterval(60 * 1000);
    connect(&m_hourly, &QTimer::timeout, this, &StorageMaintenance::runRetention);
    connect(&m_minutely, &QTimer::timeout, this, &StorageMaintenance::sample);
}

void StorageMaintenance::start()
{
    runRetention();
    sample();
    m_hourly.start();
    m_minutely.start();
}

void StorageMaintenance::runRetention()
{
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
