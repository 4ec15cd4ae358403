#include "core/storage/samplequeries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <pqxx/pqxx>

namespace alabos {

namespace {
std::string jsonText(const QStringList &list)
{
    return QJsonDocument(QJsonArray::fromStringList(list))
        .toJson(QJsonDocument::Compact)
        .toStdString();
}

// LIKE treats % and _ as wildcards; a barcode such as "LFP_01" must match literally.
QString likeEscaped(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    for (QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}
} // namespace

QSet<QString> existingBarcodes(pqxx::transaction_base &tx, const QStringList &barcodes)
{
    QSet<QString> found;
    if (barcodes.isEmpty()) return found;
    const pqxx::result r = tx.exec_params("SELECT barcode FROM samples WHERE barcode IN "
                                          "(SELECT jsonb_array_elements_text($1::jsonb))",
                                          jsonText(barcodes));
    for (const auto &row : r)
        found.insert(QString::fromUtf8(row[0].c_str()));
    return found;
}

namespace {
constexpr auto kSampleColumns =
    "id, barcode, coalesce(position, ''), coalesce(workflow_id, 0), metadata::text, "
    "coalesce((extract(epoch FROM created_at) * 1000000)::bigint, 0), "
    "coalesce((extract(epoch FROM deleted_at) * 1000000)::bigint, 0)";

SampleState sampleFromRow(const pqxx::row &row)
{
    SampleState s;
    s.id = row[0].as<qint64>();
    s.barcode = QString::fromUtf8(row[1].c_str());
    s.position = QString::fromUtf8(row[2].c_str());
    s.workflowId = row[3].as<qint64>();
    s.metadata = QJsonDocument::fromJson(QByteArray(row[4].c_str())).object();
    s.createdUs = row[5].as<qint64>();
    s.deletedUs = row[6].as<qint64>();
    return s;
}
} // namespace

QList<SampleState> searchSamples(pqxx::transaction_base &tx, const QString &text, int limit,
                                 bool *more)
{
    const std::string pattern = ('%' + likeEscaped(text.trimmed()) + '%').toStdString();
    // metadata::text covers every value (and key) without knowing the form's fields.
    const pqxx::result r =
        tx.exec_params(std::string("SELECT ") + kSampleColumns +
                           " FROM samples WHERE deleted_at IS NULL AND (barcode ILIKE $1 OR "
                           "metadata->>'name' ILIKE $1 OR metadata::text ILIKE $1) "
                           "ORDER BY created_at DESC, id DESC LIMIT $2",
                       pattern, limit + 1);
    QList<SampleState> out;
    for (const auto &row : r) {
        if (out.size() == limit) {
            if (more) *more = true;
            return out;
        }
        out.append(sampleFromRow(row));
    }
    if (more) *more = false;
    return out;
}

std::optional<SampleState> findSample(pqxx::transaction_base &tx, SampleId id,
                                      const QString &barcode)
{
    const pqxx::result r =
        id > 0 ? tx.exec_params(
                     std::string("SELECT ") + kSampleColumns + " FROM samples WHERE id = $1", id)
               : tx.exec_params(std::string("SELECT ") + kSampleColumns +
                                    " FROM samples WHERE barcode = $1",
                                barcode.toStdString());
    if (r.empty()) return std::nullopt;
    return sampleFromRow(r[0]);
}

} // namespace alabos
