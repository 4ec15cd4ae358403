#include "core/storage/samplestore.h"

#include "core/domain/eventkinds.h"
#include "core/domain/listtext.h"
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
#include <QSet>
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
    return registerBatches({Batch{samples, user, host}}).first();
}

namespace {
// The rows of one batch that break the samples table's rules, or that an earlier batch of the
// same call already takes, checked before the database so every bad row is named at once.
QList<SampleRowError> invalidRows(const SampleStore::Batch &batch, QSet<QString> &barcodesTaken,
                                  QSet<QString> &positionsTaken, QSet<qint64> &idsTaken)
{
    static const QRegularExpression positionPattern(
        QStringLiteral("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"));
    QList<SampleRowError> errors;
    QHash<QString, int> barcodeRow, positionRow;
    QHash<qint64, int> idRow;
    for (int i = 0; i < batch.samples.size(); ++i) {
        const SampleState &s = batch.samples[i];
        auto refuse = [&](const QString &message) { errors.append({i, s.barcode, message}); };
        if (s.id <= 0)
            refuse(QObject::tr("sample id %1 is not positive").arg(s.id));
        else if (idRow.contains(s.id))
            refuse(QObject::tr("sample id %1 is also on row %2").arg(s.id).arg(idRow[s.id] + 1));
        else if (idsTaken.contains(s.id))
            refuse(QObject::tr("sample id %1 is already used").arg(s.id));
        idRow.insert(s.id, i);
        if (s.barcode.trimmed().isEmpty())
            refuse(QObject::tr("barcode is empty"));
        else if (barcodeRow.contains(s.barcode))
            refuse(QObject::tr("barcode %1 is also on row %2")
                       .arg(s.barcode)
                       .arg(barcodeRow[s.barcode] + 1));
        else if (barcodesTaken.contains(s.barcode))
            errors.append({i, s.barcode,
                           QObject::tr("barcode %1 is already registered").arg(s.barcode), true});
        else
            barcodeRow.insert(s.barcode, i);
        if (!s.position.isEmpty()) {
            if (!positionPattern.match(s.position).hasMatch())
                refuse(QObject::tr("position \"%1\" is not a valid position name").arg(s.position));
            else if (positionRow.contains(s.position))
                refuse(QObject::tr("position %1 is also given to row %2")
                           .arg(s.position)
                           .arg(positionRow[s.position] + 1));
            else if (positionsTaken.contains(s.position))
                refuse(QObject::tr("position %1 already holds a sample").arg(s.position));
            else
                positionRow.insert(s.position, i);
        }
    }
    if (errors.isEmpty()) { // only a batch that will be tried holds its keys
        for (const SampleState &s : batch.samples) {
            barcodesTaken.insert(s.barcode);
            idsTaken.insert(s.id);
            if (!s.position.isEmpty()) positionsTaken.insert(s.position);
        }
    }
    return errors;
}

// "Nothing registered: <the first row's problem> (and N more: ...)", rows in order.
void refuseRows(SampleBatchResult &result)
{
    std::sort(result.rowErrors.begin(), result.rowErrors.end(),
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
}
} // namespace

QList<SampleBatchResult> SampleStore::registerBatches(const QList<Batch> &batches)
{
    QList<SampleBatchResult> results(batches.size());
    QList<int> tried; // the batches with nothing wrong in themselves, in order
    QSet<QString> barcodesTaken, positionsTaken;
    QSet<qint64> idsTaken;
    for (int b = 0; b < batches.size(); ++b) {
        const Batch &batch = batches[b];
        SampleBatchResult &result = results[b];
        if (batch.samples.isEmpty()) {
            result.error = QObject::tr("The batch has no samples.");
        } else if (batch.samples.size() > kMaxBatch) {
            result.error = QObject::tr("The batch has %1 samples; at most %2 at a time.")
                               .arg(batch.samples.size())
                               .arg(kMaxBatch);
        } else if (batch.user.isEmpty()) {
            result.error = QObject::tr("A sample batch needs the user who registers it.");
        } else {
            result.rowErrors = invalidRows(batch, barcodesTaken, positionsTaken, idsTaken);
            if (result.rowErrors.isEmpty())
                tried << b;
            else
                result.error =
                    QObject::tr("%n row(s) of the batch are invalid; nothing registered.", nullptr,
                                int(result.rowErrors.size()));
        }
    }
    if (tried.isEmpty()) return results;
    QString connectError;
    if (!ensureConnected(&connectError)) {
        for (int b : std::as_const(tried))
            results[b].error = connectError;
        return results;
    }

    const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    QList<int> written;
    try {
        pqxx::work tx(*m_connection);
        // Already registered barcodes, occupied positions and used ids: named, row by row,
        // in the batch that asked for them.
        QHash<QString, QPair<int, int>> byBarcode, byPosition; // batch, row
        QHash<qint64, QPair<int, int>> byId;
        QStringList ids;
        for (int b : std::as_const(tried)) {
            const QList<SampleState> &samples = batches[b].samples;
            for (int i = 0; i < samples.size(); ++i) {
                byBarcode.insert(samples[i].barcode, {b, i});
                byId.insert(samples[i].id, {b, i});
                ids << QString::number(samples[i].id);
                if (!samples[i].position.isEmpty()) byPosition.insert(samples[i].position, {b, i});
            }
        }
        const pqxx::result clashes = tx.exec_params(
            "SELECT 'barcode', barcode FROM samples WHERE barcode IN "
            "  (SELECT jsonb_array_elements_text($1::jsonb)) "
            "UNION ALL SELECT 'position', position FROM samples WHERE position IN "
            "  (SELECT jsonb_array_elements_text($2::jsonb)) "
            "UNION ALL SELECT 'id', id::text FROM samples WHERE id IN "
            "  (SELECT jsonb_array_elements_text($3::jsonb)::bigint)",
            jsonArray(byBarcode.keys()), jsonArray(byPosition.keys()), jsonArray(ids));
        for (const auto &row : clashes) {
            const QString kind = QString::fromUtf8(row[0].c_str());
            const QString value = QString::fromUtf8(row[1].c_str());
            QPair<int, int> at;
            QString message;
            const bool barcode = kind == QLatin1StringView("barcode");
            if (barcode) {
                at = byBarcode.value(value);
                message = QObject::tr("barcode %1 is already registered").arg(value);
            } else if (kind == QLatin1StringView("position")) {
                at = byPosition.value(value);
                message = QObject::tr("position %1 already holds a sample").arg(value);
            } else {
                at = byId.value(value.toLongLong());
                message = QObject::tr("sample id %1 is already used").arg(value);
            }
            results[at.first].rowErrors.append(
                {at.second, batches[at.first].samples[at.second].barcode, message, barcode});
        }
        for (int b : std::as_const(tried)) {
            if (results[b].rowErrors.isEmpty())
                written << b;
            else
                refuseRows(results[b]);
        }
        if (!written.isEmpty()) {
            {
                pqxx::stream_to copy(tx, "samples",
                                     std::vector<std::string>{"id", "barcode", "position",
                                                              "workflow_id", "metadata",
                                                              "created_at"});
                for (int b : std::as_const(written))
                    for (const SampleState &s : batches[b].samples) {
                        const qint64 created = s.createdUs > 0 ? s.createdUs : nowUs;
                        copy << std::make_tuple(
                            s.id, s.barcode.toStdString(),
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
                for (int b : std::as_const(written))
                    for (const SampleState &s : batches[b].samples) {
                        SampleState registered = s;
                        if (registered.createdUs <= 0) registered.createdUs = nowUs;
                        copy << std::make_tuple(std::string("sample"), std::to_string(s.id),
                                                eventkind::kSampleRegistered.toStdString(),
                                                compact(registered.toJson()),
                                                formatTimestampUtc(nowUs));
                    }
                copy.complete();
            }
            // One statement for the group's audit rows: a request's round trip each would
            // hold the audit chain's lock that much longer.
            QJsonArray audits;
            for (int b : std::as_const(written)) {
                const Batch &batch = batches[b];
                audits.append(
                    auditRow(batch.user, batch.host, QStringLiteral("sample.register_batch"),
                             QStringLiteral("sample"), batch.samples.first().barcode,
                             {{QStringLiteral("count"), int(batch.samples.size())},
                              {QStringLiteral("first_barcode"), batch.samples.first().barcode},
                              {QStringLiteral("last_barcode"), batch.samples.last().barcode}},
                             batch.signature));
            }
            auditRowsIn(tx, audits);
        }
        tx.commit();
        for (int b : std::as_const(written)) {
            results[b].ok = true;
            results[b].registered = int(batches[b].samples.size());
            // The audit trail has each registration; the log would have hundreds a second.
            qCDebug(lcStorage) << "registered" << batches[b].samples.size() << "samples for"
                               << batches[b].user;
        }
    } catch (const std::exception &e) {
        if (!m_connection->is_open()) m_connection.reset();
        // One batch's failure (a barcode registered elsewhere since the check) must not sink
        // the others that shared its transaction: each is tried again on its own.
        if (written.size() > 1) {
            for (int b : std::as_const(written))
                results[b] = registerBatches({batches[b]}).first();
            return results;
        }
        const QString why = QObject::tr("Nothing registered: the database refused the batch: %1")
                                .arg(QString::fromUtf8(e.what()).trimmed());
        for (int b : std::as_const(tried)) {
            results[b].ok = false;
            results[b].registered = 0;
            if (results[b].error.isEmpty()) results[b].error = why;
        }
    }
    return results;
}

bool SampleStore::auditRefusal(const QString &action, const QString &user, const QString &host,
                               int count, const QString &message)
{
    try {
        QString error;
        if (!ensureConnected(&error)) return false;
        auditStandalone(*m_connection, user, host, action, QStringLiteral("sample"), QString(),
                        {{QStringLiteral("count"), count}, {QStringLiteral("message"), message}});
        return true;
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "a refused sample request was not audited:" << e.what();
        return false;
    }
}

namespace {
QString someOf(QStringList names)
{
    names.sort();
    return firstNamesAndCount(names, 10);
}
} // namespace

SampleStore::Deletion SampleStore::deleteSamples(const QStringList &barcodes, const QString &reason,
                                                 const QString &user, const QString &host,
                                                 const QJsonObject &signature)
{
    Deletion result;
    try {
        if (!ensureConnected(&result.error)) return result;
        pqxx::work tx(*m_connection);
        // Locked first, so that no workflow takes a sample between the check and the delete.
        const pqxx::result found = tx.exec_params(
            "SELECT s.barcode, s.deleted_at IS NOT NULL, coalesce(w.status, ''), "
            "coalesce(w.id, 0) FROM samples s LEFT JOIN workflows w ON w.id = s.workflow_id "
            "WHERE s.barcode IN (SELECT jsonb_array_elements_text($1::jsonb)) FOR UPDATE OF s",
            jsonArray(barcodes));
        QSet<QString> known;
        QStringList deletedAlready, running;
        for (const auto &row : found) {
            const QString barcode = QString::fromUtf8(row[0].c_str());
            known.insert(barcode);
            if (row[1].as<bool>())
                deletedAlready << barcode;
            else if (QLatin1StringView(row[2].c_str()) == QLatin1StringView("running"))
                running << QObject::tr("%1 (workflow %2)").arg(barcode).arg(row[3].as<qint64>());
        }
        QStringList unknown;
        for (const QString &b : barcodes)
            if (!known.contains(b)) unknown << b;
        QStringList problems;
        if (!unknown.isEmpty())
            problems << QObject::tr("%n sample(s) not registered: %1", nullptr, int(unknown.size()))
                            .arg(someOf(unknown));
        if (!deletedAlready.isEmpty())
            problems << QObject::tr("%n sample(s) deleted already: %1", nullptr,
                                    int(deletedAlready.size()))
                            .arg(someOf(deletedAlready));
        if (!running.isEmpty())
            problems << QObject::tr("%n sample(s) in a running workflow (cancel it first): %1",
                                    nullptr, int(running.size()))
                            .arg(someOf(running));
        if (!problems.isEmpty()) {
            result.error =
                QObject::tr("Nothing deleted: %1").arg(problems.join(QStringLiteral("; ")));
            return result;
        }
        const pqxx::result rows = tx.exec_params(
            "UPDATE samples SET deleted_at = now(), deleted_by = $2, deleted_reason = $3, "
            "position = NULL WHERE barcode IN (SELECT jsonb_array_elements_text($1::jsonb)) "
            "RETURNING id, barcode, coalesce(workflow_id, 0), metadata::text, "
            "(extract(epoch FROM created_at) * 1000000)::bigint, "
            "(extract(epoch FROM deleted_at) * 1000000)::bigint",
            jsonArray(barcodes), user.left(200).toStdString(), reason.toStdString());
        QJsonArray events;
        for (const auto &row : rows) {
            SampleState s;
            s.id = row[0].as<qint64>();
            s.barcode = QString::fromUtf8(row[1].c_str());
            s.workflowId = row[2].as<qint64>();
            s.metadata = QJsonDocument::fromJson(QByteArray(row[3].c_str())).object();
            s.createdUs = row[4].as<qint64>();
            s.deletedUs = row[5].as<qint64>();
            QJsonObject payload = s.toJson();
            payload.insert(QStringLiteral("deleted_by"), user);
            payload.insert(QStringLiteral("reason"), reason);
            if (!signature.isEmpty()) payload.insert(QStringLiteral("signature"), signature);
            events.append(QJsonObject{{QStringLiteral("id"), QString::number(s.id)},
                                      {QStringLiteral("payload"), payload}});
            ++result.deleted;
        }
        tx.exec_params0("INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                        "SELECT 'sample', x.id, $2, x.payload, now() FROM "
                        "jsonb_to_recordset($1::jsonb) AS x(id text, payload jsonb)",
                        QJsonDocument(events).toJson(QJsonDocument::Compact).toStdString(),
                        eventkind::kSampleDeleted.toStdString());
        auditIn(tx, user, host, QStringLiteral("sample.deleted"), QStringLiteral("sample"),
                barcodes.first(),
                {{QStringLiteral("count"), int(barcodes.size())},
                 {QStringLiteral("barcodes"), QJsonArray::fromStringList(barcodes)},
                 {QStringLiteral("reason"), reason}},
                signature);
        tx.commit();
        result.ok = true;
    } catch (const std::exception &e) {
        if (m_connection && !m_connection->is_open()) m_connection.reset();
        result.deleted = 0;
        result.error = QObject::tr("Nothing deleted: the database refused it: %1")
                           .arg(QString::fromUtf8(e.what()).trimmed());
    }
    return result;
}

} // namespace alabos
