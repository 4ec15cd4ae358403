#pragma once
#include "core/domain/types.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <pqxx/connection>

namespace alabos {

// One refused row of a sample batch, for the import preview's per-row report.
struct SampleRowError
{
    int row = 0; // index in the batch
    QString barcode;
    QString message;
    bool barcodeTaken = false; // the barcode is registered already (or by an earlier batch)
};

struct SampleBatchResult
{
    bool ok = false;
    int registered = 0;
    QList<SampleRowError> rowErrors; // when the batch was refused because of its rows
    QString error;                   // the whole batch's reason, for a person
};

// Registers batches of samples (the CSV import: 100 to 1,000 rows) with COPY in one
// transaction, all or nothing: each sample row, one `sample.registered` event per sample
// (the relay publishes them) and one audit row. Ids come from the caller (the engine owns
// id allocation). Owned by one thread.
class SampleStore
{
public:
    explicit SampleStore(QString connectionString);
    ~SampleStore();

    static constexpr int kMaxBatch = 10000;

    SampleBatchResult registerBatch(const QList<SampleState> &samples, const QString &user,
                                    const QString &host);
    // Several requests' batches in one transaction, so many small registrations share one
    // commit. Each batch stays all or nothing on its own: one with a bad row (or a barcode,
    // position or id an earlier batch of the call takes) is refused in its result, and the
    // others are written. A result per batch, in order.
    struct Batch
    {
        QList<SampleState> samples;
        QString user;
        QString host;
        QJsonObject signature; // of the command, stored in its audit row; empty: unsigned
    };
    QList<SampleBatchResult> registerBatches(const QList<Batch> &batches);
    // The barcodes of `barcodes` that are already registered (for the import preview).
    std::optional<QStringList> existingBarcodes(const QStringList &barcodes, QString *error);
    // A request that wrote nothing (`action`: sample.register_refused, sample.delete_refused),
    // in the audit trail; false when it could not be written.
    bool auditRefusal(const QString &action, const QString &user, const QString &host, int count,
                      const QString &message);

    // Deletes samples, all or none: each must exist, not be deleted already and not be in a
    // running workflow (the refusal names them). A deleted sample keeps its row (events,
    // tasks and the audit trail name it) and leaves its position; its barcode stays taken.
    // One sample.deleted event each and one audit row (with the signature), in one
    // transaction. At most kMaxDelete barcodes.
    static constexpr int kMaxDelete = 1000;
    static constexpr int kMaxReasonLength = 500;
    struct Deletion
    {
        bool ok = false;
        QString error; // for a person, naming the samples that stopped it
        int deleted = 0;
    };
    Deletion deleteSamples(const QStringList &barcodes, const QString &reason, const QString &user,
                           const QString &host, const QJsonObject &signature);

private:
    bool ensureConnected(QString *error);

    QString m_connectionString;
    std::unique_ptr<pqxx::connection> m_connection;
};

} // namespace alabos
