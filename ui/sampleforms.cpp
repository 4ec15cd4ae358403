#include "ui/sampleforms.h"

#include "core/storage/databasereader.h"
#include "core/storage/samplequeries.h"

#include <QFile>
#include <QJsonDocument>
#include <memory>
#include <pqxx/pqxx>

namespace alabos {

std::optional<FormDefinition> sampleFormDefinition(QString *error)
{
    QFile file(QStringLiteral(":/alabos/forms/sample.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = QObject::tr("The sample form definition is missing from this build");
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = QObject::tr("The sample form definition is not valid JSON: %1")
                         .arg(parseError.errorString());
        return std::nullopt;
    }
    return FormDefinition::fromJson(doc.object(), error);
}

void checkRegisteredBarcodes(DatabaseReader *reader, const QStringList &barcodes, QObject *context,
                             std::function<void(const QSet<QString> &, const QString &)> done)
{
    auto found = std::make_shared<QSet<QString>>();
    reader->run(
        [found, barcodes](pqxx::connection &c) {
            pqxx::read_transaction tx(c);
            *found = existingBarcodes(tx, barcodes);
        },
        context, [found, done](const QString &error) { done(*found, error); });
}

} // namespace alabos
