#include "core/storage/samplestore.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/storage/pgutil.h"
#include "core/storage/samplequeries.h"
#include "core/storage/telemetrystore.h"
#include "core/storage/userdirectory.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>
#include <QRegularExpression>
#include <pqxx/pqxx>

namespace alabos {

namespace {

std::string jsonArray(const QStringList &items)
{
    return QJsonDocument(QJsonArray::fromStringList(items))
        .toJson(QJsonDocument::Compact)
        .toStdString();
}

std::string compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

SampleStore::SampleStore(QString connectionString) : m_connectionString(std::move(connectionString))
{
}

SampleStore::~SampleStore() = default;

bool SampleStore::ensureConnected(QString *error)
{
    return connectIfNeeded(m_connection, m_connectionString, "Sample store", error);
}

std::optional<QStringList> SampleStore::existingBarcodes(const QStringList &barcodes,
                                                         QString *error)
{
    if (!ensureConnected(error)) return std::nullopt;
    try {
        pqxx::read_transaction tx(*m_connection);
        QStringList out = alabos::existingBarcodes(tx, barcodes).values(); // one query for it
        out.sort();
        return out;
    } catch (const std::exception &e) {
        if (!m_connection->is_open()) m_connection.reset();
        if (error)
            *error = QObject::tr("Could not look up barcodes: %1")
                         .arg(QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}

SampleBatchResult SampleStore::registerBatch(const QList<SampleState> &samples, const QString &user,
                                             const QString &host)
{
    SampleBatchResult result;
    if (samples.isEmpty()) {
        result.error = QObject::tr("The batch has no samples.");
        return result;
    }
    if (samples.size() > kMaxBatch) {
        result.error = QObject::tr("The batch has %1 samples; at most %2 at a time.")
                           .arg(samples.size())
                           .arg(kMaxBatch);
        return result;
    }
    if (user.isEmpty()) {
        result.error = QObject::tr("A sample batch needs the user who registers it.");
        return result;
    }
    // The same rules as the samples table's constraints, checked first so every bad row is
    // named at once instead of the database stopping at the first.
    static const QRegularExpression positionPattern(
        QStringLiteral("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"));
    QHash<QString, int> barcodeRow, positionRow;
    QHash<qint64, int> idRow;
    for (int i = 0; i < samples.size(); ++i) {
        const SampleState &s = samples[i];
        auto refuse = [&](const QString &message) {
            result.rowErrors.append({i, s.barcode, message});
        };
        if (s.id <= 0)
            refuse(QObject::tr("sample id %1 is not positive").arg(s.id));
        else if (idRow.contains(s.id))
            refuse(QObject::tr("sample id %1 is also on row %2").arg(s.id).arg(idRow[s.id] + 1));
        idRow.insert(s.id, i);
        if (s.barcode.trimmed().isEmpty())
            refuse(QObject::tr("barcode is empty"));
        else if (barcodeRow.contains(s.barcode))
            refuse(QObject::tr("barcode %1 is also on row %2")
                       .arg(s.barcode)
                       .arg(barcodeRow[s.barcode] + 1));
        else
            barcodeRow.insert(s.barcode, i);
        if (!s.position.isEmpty()) {
            if (!positionPattern.match(s.position).hasMatch())
                refuse(QObject::tr("position \"%1\" is not a valid position name").arg(s.position));
            else if (positionRow.contains(s.position))
                refuse(QObject::tr("position %1 is also given to row %2")
                           .arg(s.position)
                           .arg(positionRow[s.position] + 1));
            else
                positionRow.insert(s.position, i);
        }
    }
    if (!result.rowErrors.isEmpty()) {
        result.error = QObject::tr("%n row(s) of the batch are invalid; nothing registered.",
                                   nullptr, int(result.rowErrors.size()));
        return result;
    }
    if (!ensureConnected(&result.error)) return result;

    const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    try {
        pqxx::work tx(*m_connection);
        // Already registered barcodes, occupied positions and used ids: named, row by row.
        const pqxx::result clashes =
            tx.exec_params("SELECT 'barcode', barcode FROM samples WHERE barcode IN "
                           "  (SELECT jsonb_array_elements_text($1::jsonb)) "
                           "UNION ALL SELECT 'position', position FROM samples WHERE position IN "
                           "  (SELECT jsonb_array_elements_text($2::jsonb)) "
                           "UNION ALL SELECT 'id', id::text FROM samples WHERE id IN "
                           "  (SELECT jsonb_array_elements_text($3::jsonb)::bigint)",
                           jsonArray(barcodeRow.keys()), jsonArray(positionRow.keys()), [&] {
                               QStringList ids;
                               for (auto it = idRow.cbegin(); it != idRow.cend(); ++it)
                                   ids << QString::number(it.key());
                               return jsonArray(ids);
                           }());
        for (const auto &row : clashes) {
            const QString kind = QString::fromUtf8(row[0].c_str());
            const QString value = QString::fromUtf8(row[1].c_str());
            if (kind == QLatin1StringView("barcode"))
                result.rowErrors.append(
                    {barcodeRow[value], value,
                     QObject::tr("barcode %1 is already registered").arg(value)});
            else if (kind == QLatin1StringView("position")) {
                const int r = positionRow[value];
                result.rowErrors.append(
                    {r, samples[r].barcode,
                     QObject::tr("position %1 already holds a sample").arg(value)});
            } else {
                const int r = idRow[value.toLongLong()];
                result.rowErrors.append({r, samples[r].barcode,
                                         QObject::tr("sample id %1 is already used").arg(value)});
            }
        }
        if (!result.rowErrors.isEmpty()) {
            std::sort(
                result.rowErrors.begin(), result.rowErrors.end(),
                [](const SampleRowError &a, const SampleRowError &b) { return a.row < b.row; });
            QStringList named;
            for (const SampleRowError &e : std::as_const(result.rowErrors))
                named << e.barcode;
            result.error = QObject::tr("Nothing registered: %1")
                               .arg(result.rowErrors.first().message +
                                    (result.rowErrors.size() > 1
                                         ? QObject::tr(" (and %1 more: %2)")
                                               .arg(result.rowErrors.size() - 1)
                                               .arg(named.mid(1, 20).join(QStringLiteral(", ")))
                                         : QString()));
            return result;
        }
        {
            pqxx::stream_to copy(tx, "samples",
                                 std::vector<std::string>{"id", "barcode", "position",
                                                          "workflow_id", "metadata", "created_at"});
            for (const SampleState &s : samples) {
                const qint64 created = s.createdUs > 0 ? s.createdUs : nowUs;
                copy << std::make_tuple(s.id, s.barcode.toStdString(),
                                        s.position.isEmpty()
                                            ? std::optional<std::string>()
                                            : std::optional<std::string>(s.position.toStdString()),
                                        s.workflowId > 0 ? std::optional<qint64>(s.workflowId)
                                                         : std::optional<qint64>(),
                                        compact(s.metadata), formatTimestampUtc(created));
            }
            copy.complete();
        }
        {
            pqxx::stream_to copy(tx, "events",
                                 std::vector<std::string>{"entity_type", "entity_id", "kind",
                                                          "payload", "created_at"});
            for (const SampleState &s : samples) {
                SampleState registered = s;
                if (registered.createdUs <= 0) registered.createdUs = nowUs;
                copy << std::make_tuple(std::string("sample"), std::to_string(s.id),
                                        eventkind::kSampleRegistered.toStdString(),
                                        compact(registered.toJson()), formatTimestampUtc(nowUs));
            }
            copy.complete();
        }
        tx.exec_params0(
            "INSERT INTO audit_log (user_name, host, action, entity_type, detail) "
            "VALUES ($1, $2, 'sample.register_batch', 'sample', $3::jsonb)",
            user.toStdString(), host.toStdString(),
            compact(QJsonObject{{QStringLiteral("count"), int(samples.size())},
                                {QStringLiteral("first_barcode"), samples.first().barcode},
                                {QStringLiteral("last_barcode"), samples.last().barcode}}));
        tx.commit();
    } catch (const std::exception &e) {
        if (!m_connection->is_open()) m_connection.reset();
        result.error = QObject::tr("Nothing registered: the database refused the batch: %1")
                           .arg(QString::fromUtf8(e.what()).trimmed());
        return result;
    }
    result.ok = true;
    result.registered = int(samples.size());
    qCInfo(lcStorage) << "registered" << samples.size() << "samples for" << user;
    return result;
}

bool SampleStore::auditRefusal(const QString &user, const QString &host, int count,
                               const QString &message)
{
    try {
        QString error;
        if (!ensureConnected(&error)) return false;
        auditStandalone(*m_connection, user, host, QStringLiteral("sample.register_refused"),
                        QStringLiteral("sample"), QString(),
                        {{QStringLiteral("count"), count}, {QStringLiteral("message"), message}});
        return true;
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "a refused registration was not audited:" << e.what();
        return false;
    }
}

} // namespace alabos
