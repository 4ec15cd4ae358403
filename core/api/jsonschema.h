#pragma once
// The subset of JSON Schema the API's requests are described in: types, required and unknown
// properties, lengths, ranges, enums, array sizes. One schema both validates a request and
// appears in /openapi.json, so the document and the checks cannot drift.
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <optional>

namespace alabos {

struct SchemaProblem
{
    QString field;   // "samples[3].barcode"; empty: the whole body
    QString message; // for a person, naming the field and the limit
};

// Checks `value` against `schema`. Supported keywords: type (string, integer, number,
// boolean, object, array), properties, required, additionalProperties (false or a schema),
// maxProperties, minLength, maxLength, pattern-free enum, minimum, maximum, items, minItems,
// maxItems. A schema without "additionalProperties" refuses unknown properties: a typo in a
// field name is an error, not a silently ignored value.
std::optional<SchemaProblem> checkAgainstSchema(const QJsonValue &value, const QJsonObject &schema,
                                                const QString &path = {});

namespace schema {
QJsonObject string(int maxLength, int minLength = 0);
QJsonObject integer(qint64 minimum, qint64 maximum);
QJsonObject number(double minimum, double maximum);
QJsonObject boolean();
QJsonObject stringEnum(const QStringList &values);
QJsonObject array(const QJsonObject &items, int maxItems, int minItems = 0);
// An object with these properties; `required` names must be among them.
QJsonObject object(const QJsonObject &properties, const QStringList &required = {});
// An object of free-form values (metadata, parameters), bounded in entries.
QJsonObject freeObject(int maxProperties);
// Adds a description (for the OpenAPI document) to any schema.
QJsonObject described(QJsonObject schema, const QString &description);
} // namespace schema

} // namespace alabos
