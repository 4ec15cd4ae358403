#pragma once
// Read queries on the sample registry, shared by the console (through DatabaseReader) and
// the lab server's registration. All parameterised; nothing is built from user text.
#include "core/domain/types.h"

#include <QSet>
#include <QStringList>
#include <optional>
#include <pqxx/transaction_base>

namespace alabos {

// Which of `barcodes` are registered already: one query, however many barcodes.
QSet<QString> existingBarcodes(pqxx::transaction_base &tx, const QStringList &barcodes);

// Samples whose barcode, name or any metadata value contains `text` (case-insensitive),
// newest first, at most `limit`. `*more` is set when there were more.
QList<SampleState> searchSamples(pqxx::transaction_base &tx, const QString &text, int limit,
                                 bool *more = nullptr);

// One sample by id (when id > 0) or else by its exact barcode.
std::optional<SampleState> findSample(pqxx::transaction_base &tx, SampleId id,
                                      const QString &barcode);

} // namespace alabos
