#pragma once
#include <QDate>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace alabos {

struct RetentionSettings
{
    int telemetryDays = 30; // raw readings
    int eventDays = 90;     // events (never before the relay published them)
    int rollupDays = 400;   // telemetry_minute
    int daysAhead = 7;      // partitions created ahead of today
};

struct RetentionReport
{
    int partitionsCreated = 0;
    QStringList dropped;         // partition tables dropped
    QStringList keptUnpublished; // old event partitions the relay has not published yet
};

// Creates the day partitions of events, telemetry and telemetry_minute from yesterday to
// today + daysAhead (UTC). `today` defaults to the database's date.
std::optional<int> ensurePartitions(const QString &connectionString, int daysAhead, QString *error,
                                    QDate today = {});

// Drops whole day partitions older than the settings keep (never DELETE row by row). An
// event partition holding an event newer than the slowest relay cursor is kept.
std::optional<RetentionReport> applyRetention(const QString &connectionString,
                                              const RetentionSettings &settings, QString *error,
                                              QDate today = {});

// Samples queue depth, running tasks and devices per type into this minute's rollups
// (lab_minute, device_type_minute), for the queue-depth and utilisation charts.
bool sampleLabMinute(const QString &connectionString, QString *error);

// The runtime's housekeeper: partitions and retention at start and every hour, the lab
// sample every minute. Lives on the storage thread; opens a connection per run.
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
    QTimer m_hourly;
    QTimer m_minutely;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::RetentionReport)
