#include "core/storage/telemetrystore.h"

#include "core/domain/logging.h"
#include "core/storage/binarycopy.h"
#include "core/storage/pgutil.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <pqxx/pqxx>
#include <tuple>

namespace alabos {

namespace {

// Readings outside these years are device clock faults, not data.
constexpr qint64 kEarliestUs = 946684800LL * 1000000; // 2000-01-01
constexpr qint64 kLatestUs = 4102444800LL * 1000000;  // 2100-01-01

// The offsets of a batch. An offset only moves forward: the upsert locks the row and
// re-checks the latest committed version, so of two writers of one partition the second
// finds the first's offset and moves nothing; the caller counts the moved rows and rolls back
// when one is missing (a stale consumer).
constexpr auto kUpsertOffsets = R"SQL(
WITH moved AS (
    INSERT INTO telemetry_offsets AS o (consumer, topic, partition, next_offset, updated_at)
    SELECT $1, topic, partition, next_offset, now()
    FROM jsonb_to_recordset($2::jsonb) AS x(topic text, partition integer, next_offset bigint)
    ON CONFLICT (consumer, topic, partition) DO UPDATE
    SET next_offset = excluded.next_offset, updated_at = excluded.updated_at
    WHERE o.next_offset <= excluded.next_offset
    RETURNING 1
)
SELECT count(*) FROM moved
)SQL";

// For the message when an offset did not move: where the partitions are now.
constexpr auto kStaleOffsets = R"SQL(
SELECT x.topic, x.partition, o.next_offset, x.next_offset
FROM jsonb_to_recordset($2::jsonb) AS x(topic text, partition integer, next_offset bigint)
JOIN telemetry_offsets o ON o.consumer = $1 AND o.topic = x.topic AND o.partition = x.partition
WHERE o.next_offset > x.next_offset
ORDER BY x.topic, x.partition
)SQL";

constexpr auto kInsertRejected = R"SQL(
INSERT INTO telemetry_rejected (consumer, reading, reason)
SELECT $1, reading, reason FROM jsonb_to_recordset($2::jsonb) AS x(reading jsonb, reason text)
)SQL";

struct MinuteKey
{
    QString device;
    QString metric;
    qint64 minuteS;
    bool operator==(const MinuteKey &) const = default;
};
size_t qHash(const MinuteKey &k, size_t seed = 0)
{
    return qHashMulti(seed, k.device, k.metric, k.minuteS);
}
struct MinuteAgg
{
    qint64 n = 0;
    double sum = 0, min = 0, max = 0;
};

QString rejectReason(const TelemetryReading &r)
{
    if (r.deviceId.isEmpty()) return QObject::tr("device id is empty");
    if (r.metric.isEmpty()) return QObject::tr("metric is empty");
    if (r.deviceId.contains(QChar(0)) || r.metric.contains(QChar(0)))
        return QObject::tr("device id or metric contains a NUL character");
    if (!std::isfinite(r.value)) return QObject::tr("value is not a finite number");
    if (r.timeUs < kEarliestUs || r.timeUs >= kLatestUs)
        return QObject::tr("time %1 us is outside 2000..2100").arg(r.timeUs);
    return {};
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// A batch's rollup increments as rows of telemetry_minute_delta (migration 0007): at most
// kIncrementsPerRow per row, so a row stays under toast_tuple_target (8,160 bytes) with
// ordinary device ids and is neither compressed nor moved out of line.
void copyIncrements(pqxx::work &tx, const QHash<MinuteKey, MinuteAgg> &minutes)
{
    constexpr qint32 kIncrementsPerRow = 64;
    using namespace binarycopy;
    Writer copy(tx, "COPY telemetry_minute_delta (device_ids, metrics, minutes, n, sum, min, "
                    "max) FROM STDIN (FORMAT binary)");
    Array devices(Array::kText), metrics(Array::kText), starts(Array::kTimestamptz),
        counts(Array::kInt8), sums(Array::kFloat8), mins(Array::kFloat8), maxes(Array::kFloat8);
    Array *const columns[] = {&devices, &metrics, &starts, &counts, &sums, &mins, &maxes};
    const auto flush = [&] {
        copy.row(7);
        for (Array *column : columns) {
            copy.array(*column);
            column->clear();
        }
    };
    for (auto it = minutes.cbegin(); it != minutes.cend(); ++it) {
        appendText(devices.nextElement(), it.key().device);
        appendText(metrics.nextElement(), it.key().metric);
        appendTimestamp(starts.nextElement(), it.key().minuteS * 1000000);
        appendInt8(counts.nextElement(), it->n);
        appendFloat8(sums.nextElement(), it->sum);
        appendFloat8(mins.nextElement(), it->min);
        appendFloat8(maxes.nextElement(), it->max);
        if (devices.count() == kIncrementsPerRow) flush();
    }
    if (devices.count() > 0) flush();
    copy.finish();
}

// A JSON string: quote, backslash and control characters escaped.
void appendJsonText(std::string &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", u);
            out += buffer;
        } else {
            out += c;
        }
    }
    out += '"';
}

// Shortest text that reads back to the same number.
template <typename T> void appendNumber(std::string &out, T value)
{
    char buffer[40];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, size_t(result.ptr - buffer));
}

} // namespace

std::string formatTimestampUtc(qint64 timeUs)
{
    const qint64 secs = floorDiv(timeUs, 1000000);
    const qint64 micros = timeUs - secs * 1000000;
    const qint64 days = floorDiv(secs, 86400);
    const qint64 sod = secs - days * 86400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    const qint64 z = days + 719468;
    const qint64 era = floorDiv(z, 146097);
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 d = doy - (153 * mp + 2) / 5 + 1;
    const qint64 m = mp < 10 ? mp + 3 : mp - 9;
    const qint64 y = yoe + era * 400 + (m <= 2);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld+00",
                  static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                  static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                  static_cast<long long>(sod % 60), static_cast<long long>(micros));
    return buf;
}

TelemetryStore::TelemetryStore(QString connectionString)
    : m_connectionString(std::move(connectionString))
{
}

TelemetryStore::~TelemetryStore() = default;

bool TelemetryStore::ensureConnected(QString *error)
{
    return connectIfNeeded(m_connection, m_connectionString, "Telemetry store", error);
}

bool TelemetryStore::write(const QList<TelemetryReading> &readings,
                           const QList<PartitionOffset> &offsets, const QString &consumer,
                           QString *error)
{
    auto fail = [error](const QString &message) {
        if (error) *error = message;
        return false;
    };
    if (consumer.isEmpty()) return fail(QObject::tr("Telemetry store: the consumer name is empty"));
    std::string offsetJson = "[";
    for (const PartitionOffset &o : offsets) {
        if (o.topic.isEmpty() || o.partition < 0 || o.offset < 0)
            return fail(QObject::tr("Telemetry store: invalid offset (topic \"%1\", partition "
                                    "%2, offset %3); nothing written")
                            .arg(o.topic)
                            .arg(o.partition)
                            .arg(o.offset));
        if (offsetJson.size() > 1) offsetJson += ',';
        offsetJson += "{\"topic\":";
        appendJsonText(offsetJson, o.topic);
        offsetJson += ",\"partition\":";
        appendNumber(offsetJson, o.partition);
        offsetJson += ",\"next_offset\":";
        appendNumber(offsetJson, o.offset);
        offsetJson += '}';
    }
    offsetJson += ']';

    // Everything the server needs is prepared here, before the transaction starts: the
    // per-minute rollups are aggregated client-side (the server does one small upsert), bad
    // readings are sorted out, and the good ones are ordered by index key so consecutive
    // index insertions land on the same B-tree leaf pages.
    QHash<MinuteKey, MinuteAgg> minutes;
    QJsonArray rejected;
    std::vector<const TelemetryReading *> good;
    good.reserve(size_t(readings.size()));
    for (const TelemetryReading &r : readings) {
        const QString why = rejectReason(r);
        if (!why.isEmpty()) {
            // jsonb cannot hold a NUL either: kept as U+FFFD so the reading is still visible.
            const auto visible = [](QString text) { return text.replace(QChar(0), QChar(0xFFFD)); };
            QJsonObject reading{{QStringLiteral("device_id"), visible(r.deviceId)},
                                {QStringLiteral("metric"), visible(r.metric)},
                                {QStringLiteral("time_us"), r.timeUs}};
            // JSON has no NaN or infinity: keep the value as text.
            reading.insert(QStringLiteral("value"), std::isfinite(r.value)
                                                        ? QJsonValue(r.value)
                                                        : QJsonValue(QString::number(r.value)));
            rejected.append(
                QJsonObject{{QStringLiteral("reading"), reading}, {QStringLiteral("reason"), why}});
            continue;
        }
        good.push_back(&r);
        MinuteAgg &a = minutes[MinuteKey{r.deviceId, r.metric, floorDiv(r.timeUs, 60000000) * 60}];
        if (a.n == 0) {
            a.min = a.max = r.value;
        } else {
            a.min = std::min(a.min, r.value);
            a.max = std::max(a.max, r.value);
        }
        ++a.n;
        a.sum += r.value;
    }
    std::sort(good.begin(), good.end(), [](const TelemetryReading *a, const TelemetryReading *b) {
        return std::tie(a->deviceId, a->metric, a->timeUs) <
               std::tie(b->deviceId, b->metric, b->timeUs);
    });
    if (!ensureConnected(error)) return false;
    const std::string consumerName = consumer.toStdString();
    try {
        pqxx::work tx(*m_connection);
        if (!good.empty()) {
            binarycopy::Writer rows(tx, "COPY telemetry (device_id, metric, value, at) FROM STDIN "
                                        "(FORMAT binary)");
            for (const TelemetryReading *r : good) {
                rows.row(4);
                rows.text(r->deviceId);
                rows.text(r->metric);
                rows.float8(r->value);
                rows.timestamp(r->timeUs);
            }
            rows.finish();
            copyIncrements(tx, minutes);
        }
        if (!rejected.isEmpty())
            tx.exec_params0(kInsertRejected, consumerName,
                            QJsonDocument(rejected).toJson(QJsonDocument::Compact).toStdString());
        const qint64 moved =
            tx.exec_params1(kUpsertOffsets, consumerName, offsetJson)[0].as<qint64>();
        if (moved < offsets.size()) {
            // A batch behind the stored offsets comes from a consumer that lost the
            // partition: it must not land (the transaction rolls back when tx goes).
            const pqxx::result stale = tx.exec_params(kStaleOffsets, consumerName, offsetJson);
            if (stale.empty())
                return fail(QObject::tr("Telemetry store: an offset did not move; nothing "
                                        "written"));
            const auto row = stale[0];
            return fail(QObject::tr("Telemetry store: %1 partition %2 is already at "
                                    "offset %3, this batch ends at %4 (stale consumer); "
                                    "nothing written")
                            .arg(QString::fromUtf8(row[0].c_str()))
                            .arg(row[1].as<int>())
                            .arg(row[2].as<qint64>())
                            .arg(row[3].as<qint64>()));
        }
        if (m_beforeCommit) m_beforeCommit();
        tx.commit();
    } catch (const pqxx::in_doubt_error &e) {
        m_connection.reset();
        return fail(QObject::tr("Telemetry store: the connection broke during commit, the "
                                "batch may or may not be stored; reload the offsets: %1")
                        .arg(QString::fromUtf8(e.what()).trimmed()));
    } catch (const std::exception &e) {
        if (!m_connection->is_open()) m_connection.reset();
        return fail(QObject::tr("Telemetry store: batch of %1 readings not written: %2")
                        .arg(readings.size())
                        .arg(QString::fromUtf8(e.what()).trimmed()));
    }
    m_rowsWritten += qint64(good.size());
    m_rowsRejected += rejected.size();
    if (!rejected.isEmpty())
        qCWarning(lcStorage)
            << "telemetry:" << rejected.size() << "readings kept in telemetry_rejected, e.g."
            << rejected.first().toObject().value(QStringLiteral("reason")).toString();
    return true;
}

TelemetrySinkFactory telemetryStoreSinks(const QString &connection, const QString &consumer)
{
    return [connection, consumer] {
        auto store = std::make_shared<TelemetryStore>(connection);
        return TelemetrySink{
            [store, consumer](const QList<TelemetryReading> &readings,
                              const QList<PartitionOffset> &offsets, QString *error) {
                return store->write(readings, offsets, consumer, error);
            },
            [store, consumer](QString *error) { return store->loadOffsets(consumer, error); },
            [store](QString *error) { return store->foldMinutes(error); }};
    };
}

std::optional<qint64> TelemetryStore::foldMinutes(QString *error)
{
    if (!ensureConnected(error)) return std::nullopt;
    try {
        qint64 folded = 0;
        {
            pqxx::work tx(*m_connection);
            folded = tx.exec1("SELECT alabos_fold_telemetry_minutes()")[0].as<qint64>();
            tx.commit();
        }
        // The fold deletes what it folded; without a vacuum between autovacuum's visits (a
        // minute apart) each fold would scan all the dead rows of the folds before it.
        m_foldedSinceVacuum += folded;
        if (m_foldedSinceVacuum >= kVacuumAfterIncrements) {
            pqxx::nontransaction(*m_connection).exec0("VACUUM telemetry_minute_delta");
            m_foldedSinceVacuum = 0;
        }
        return folded;
    } catch (const std::exception &e) {
        if (!m_connection->is_open()) m_connection.reset();
        if (error)
            *error = QObject::tr("Telemetry store: folding the minute rollups failed: %1")
                         .arg(QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}

std::optional<QList<PartitionOffset>> TelemetryStore::loadOffsets(const QString &consumer,
                                                                  QString *error)
{
    if (!ensureConnected(error)) return std::nullopt;
    try {
        pqxx::read_transaction tx(*m_connection);
        const pqxx::result rows =
            tx.exec_params("SELECT topic, partition, next_offset FROM telemetry_offsets "
                           "WHERE consumer = $1 ORDER BY topic, partition",
                           consumer.toStdString());
        QList<PartitionOffset> out;
        out.reserve(rows.size());
        for (const auto &row : rows)
            out.append({QString::fromUtf8(row[0].c_str()), row[1].as<int>(), row[2].as<qint64>()});
        return out;
    } catch (const std::exception &e) {
        if (!m_connection->is_open()) m_connection.reset();
        if (error)
            *error = QObject::tr("Telemetry store: could not load the offsets of %1: %2")
                         .arg(consumer, QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}

} // namespace alabos
