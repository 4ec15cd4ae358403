#pragma once
#include "core/domain/commands.h"
#include "core/domain/telemetrysink.h"

#include <QList>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/connection>

namespace alabos {

// Writes telemetry batches for the persister. Each write is one transaction: the readings
// (COPY into the day-partitioned `telemetry`), the increments of their per-minute rollups
// (COPY into `telemetry_minute_delta`, packed in arrays; foldMinutes() adds them to
// `telemetry_minute`), the
// readings that cannot be stored (kept in `telemetry_rejected` with
// the reason) and the consumer's offsets in `telemetry_offsets`. Either all of it commits or
// nothing does, so a consumer that resumes from loadOffsets() neither loses nor duplicates a
// reading. Owned by one thread; holds one connection (no session state: PgBouncer-safe).
class TelemetryStore
{
public:
    explicit TelemetryStore(QString connectionString);
    ~TelemetryStore();
    TelemetryStore(const TelemetryStore &) = delete;
    TelemetryStore &operator=(const TelemetryStore &) = delete;

    // Writes readings and offsets atomically. Offsets must not go backwards: a batch whose
    // offsets are behind the stored ones (a consumer that lost its partitions) is refused
    // whole. False with *error when nothing was written; after a connection loss during
    // commit the outcome is unknown, so the caller reloads its offsets before going on.
    bool write(const QList<TelemetryReading> &readings, const QList<PartitionOffset> &offsets,
               const QString &consumer, QString *error);

    // Adds the committed rollup increments to `telemetry_minute` (one transaction; one folder
    // at a time, another caller gets 0). The number of increments folded, or nullopt with
    // *error. The persister calls it about once a second on a connection of its own.
    std::optional<qint64> foldMinutes(QString *error);

    // Where `consumer` stopped: the next offset of each partition it has written.
    std::optional<QList<PartitionOffset>> loadOffsets(const QString &consumer, QString *error);

    qint64 rowsWritten() const { return m_rowsWritten; }
    qint64 rowsRejected() const { return m_rowsRejected; }

    // Tests only: runs inside the transaction right before COMMIT (to kill the process there).
    void setBeforeCommitHook(std::function<void()> hook) { m_beforeCommit = std::move(hook); }

private:
    bool ensureConnected(QString *error);

    QString m_connectionString;
    std::unique_ptr<pqxx::connection> m_connection;
    qint64 m_rowsWritten = 0;
    qint64 m_rowsRejected = 0;
    static constexpr qint64 kVacuumAfterIncrements = 200000;
    qint64 m_foldedSinceVacuum = 0;
    std::function<void()> m_beforeCommit;
};

// The persister's sinks over TelemetryStore: each call (on the persister's threads) makes a
// store with its own connection to `connection`, writing as `consumer`.
TelemetrySinkFactory telemetryStoreSinks(const QString &connection, const QString &consumer);

// "2024-05-01 12:00:00.000123+00": a microsecond UTC time as PostgreSQL reads it.
std::string formatTimestampUtc(qint64 timeUs);

} // namespace alabos
