#pragma once
#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace alabos {

constexpr int kMinutesPerDay = 24 * 60;

// Windows and spans in minutes: a lab may keep readings for hours, not days, and then needs
// partitions shorter than its window, since retention drops whole partitions.
struct RetentionSettings
{
    int telemetryMinutes = 30 * kMinutesPerDay; // raw readings
    int eventMinutes = 90 * kMinutesPerDay;     // events (never before the relay published them)
    int rollupDays = 400;                       // telemetry_minute, always by day
    int daysAhead = 7;                          // day partitions created ahead of today
    int partitionMinutes = kMinutesPerDay;      // events and telemetry; divides a day, >= 10

    // How far ahead partitions of the span are made: `daysAhead` days of day partitions, at
    // most 36 slots of a shorter span (six hours of ten-minute partitions).
    qint64 aheadSeconds() const;
    // How often the housekeeper runs: hourly, or once a slot when slots are shorter.
    int maintenanceIntervalMs() const;
    // From `now` to the next run: five seconds after the next boundary of that interval.
    qint64 msUntilNextRun(qint64 nowMsSinceEpoch) const;
};

// Whether `minutes` is a span partitions can have; the message says why not.
QString partitionSpanProblem(int minutes);

struct RetentionReport
{
    int partitionsCreated = 0;
    QStringList dropped;         // partition tables dropped
    QStringList keptUnpublished; // old event partitions the relay has not published yet
    qint64 defaultRowsDeleted = 0; // rows of the default partitions older than their window
};

// Creates the partitions of events and telemetry (of the settings' span) and of
// telemetry_minute (by day) from the previous slot to the settings' distance ahead. `now`
// defaults to the database's clock.
std::optional<int> ensurePartitions(const QString &connectionString,
                                    const RetentionSettings &settings, QString *error,
                                    QDateTime now = {});

// Drops whole partitions that ended longer ago than the settings keep. An event partition
// holding an event newer than the slowest relay cursor is kept. Rows older than their window
// that no partition covered (they wait in the default partition: a reading that arrives long
// after it was taken) are deleted one by one, the only rows retention deletes so.
std::optional<RetentionReport> applyRetention(const QString &connectionString,
                                              const RetentionSettings &settings, QString *error,
                                              QDateTime now = {});

// Samples queue depth, running tasks and devices per type into this minute's rollups
// (lab_minute, device_type_minute), for the queue-depth and utilisation charts.
bool sampleLabMinute(const QString &connectionString, QString *error);

// The runtime's housekeeper: partitions and retention at start and then hourly (once a slot
// when partitions are shorter), just after the hour or slot ends; the lab sample every minute.
// Lives on the storage thread; opens a connection per run.
class StorageMaintenance : public QObject
{
    Q_OBJECT
public:
    StorageMaintenance(QString connectionString, RetentionSettings settings,
                       QObject *parent = nullptr);

public Q_SLOTS:
    void start();
    void runRetention();
    void sample();

Q_SIGNALS:
    void maintained(const alabos::RetentionReport &report);
    void failed(const QString &why);

private:
    QString m_connectionString;
    RetentionSettings m_settings;
    QTimer m_retentionTimer;
    QTimer m_minutely;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::RetentionReport)
