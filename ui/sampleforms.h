#pragma once
// The sample registration form (resources/forms/sample.json) and the registry check that
// the form and the CSV import share.
#include "core/domain/formdefinition.h"

#include <QObject>
#include <QSet>
#include <functional>

namespace alabos {

class DatabaseReader;

// The form definition embedded in the binary; an error when it does not parse (a broken
// build), which the dialogs show instead of a form.
std::optional<FormDefinition> sampleFormDefinition(QString *error);

// Asks the database, off the UI thread and in one query, which barcodes are registered.
// `done` runs on `context`'s thread with them, or with the error text.
void checkRegisteredBarcodes(
    DatabaseReader *reader, const QStringList &barcodes, QObject *context,
    std::function<void(const QSet<QString> &existing, const QString &error)> done);

} // namespace alabos
