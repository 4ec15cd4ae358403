#pragma once
#include "core/domain/types.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <pqxx/connection>

namespace alabos {

struct TelemetryPoint
{
    qint64 timeUs = 0; // start of the bucket
    double min = 0, avg = 0, max = 0;
    qint64 count = 0;
};

struct HourlyCount
{
    qint64 hourUs = 0;
    qint64 workflowsCompleted = 0;
    qint64 samplesCompleted = 0;
    qint64 tasksCompleted = 0;
    qint64 tasksFailed = 0;
};

struct DeviceTypeUtilisation
{
    QString deviceType;
    double busySeconds = 0;
    double capacitySeconds = 0; // devices of the type x seconds in the range
    double utilisation = 0;     // busy / capacity, 0..1
};

struct QueueDepthPoint
{
    qint64 timeUs = 0;
    double queueDepth = 0; // average of the minute samples in the bucket
    int maxQueueDepth = 0;
    double tasksRunning = 0;
};

struct DurationBucket
{
    double lowerSeconds = 0, upperSeconds = 0;
    qint64 count = 0;
};

// The console's history queries, all parameterised and all over rollups except short
// telemetry ranges and the last events of one entity (both served by an index). Owned by
// one thread (not the writer's: a chart never waits behind a group commit).
class HistoryQueries
{
public:
    // In preference order: a replica first, then the primary (as DatabaseReader).
    explicit HistoryQueries(QStringList connectionStrings);
    ~HistoryQueries();

    // Telemetry ranges up to this long are read raw; longer ones from telemetry_minute.
    static constexpr qint64 kRawRangeUs = 2LL * 3600 * 1000000;

    std::optional<QList<Event>> lastEvents(const QString &entityId, int limit, QString *error);
    // At most `points` buckets over [fromUs, toUs), empty buckets left out.
    std::optional<QList<TelemetryPoint>> telemetry(const QString &deviceId, const QString &metric,
                                                   qint64 fromUs, qint64 toUs, int points,
                                                   QString *error);
    // Completed workflows (and their samples) per hour over [fromUs, toUs).
    std::optional<QList<HourlyCount>> completedPerHour(qint64 fromUs, qint64 toUs, QString *error);
    std::optional<QList<DeviceTypeUtilisation>> utilisationByDeviceType(qint64 fromUs, qint64 toUs,
                                                                        QString *error);
    std::optional<QList<QueueDepthPoint>> queueDepth(qint64 fromUs, qint64 toUs, int points,
                                                     QString *error);
    // Completed tasks' run times; taskName empty: all tasks.
    std::optional<QList<DurationBucket>> taskDurations(qint64 fromUs, qint64 toUs,
                                                       const QString &taskName, QString *error);

private:
    QStringList m_connectionStrings;
    std::unique_ptr<pqxx::connection> m_connection;
};

} // namespace alabos
