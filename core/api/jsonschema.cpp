#include "core/api/jsonschema.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <cmath>
#include <optional>

namespace alabos {

namespace {
QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("nothing");
    }
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

SchemaProblem problem(const QString &path, const QString &message)
{
    return {path, path.isEmpty() ? message : path + QStringLiteral(": ") + message};
}
} // namespace

std::optional<SchemaProblem> checkAgainstSchema(const QJsonValue &value, const QJsonObject &s,
                                                const QString &path)
{
    const QString type = s.value(QLatin1StringView("type")).toString();
    if (type == QLatin1StringView("string")) {
        if (!value.isString())
            return problem(path,
                           QCoreApplication::translate("alabos::api", "must be a string, not %1")
                               .arg(typeName(value)));
        const QString text = value.toString();
        const int maxLength = s.value(QLatin1StringView("maxLength")).toInt(-1);
        if (maxLength >= 0 && text.size() > maxLength)
            return problem(path, QCoreApplication::translate(
                                     "alabos::api", "has %1 characters; at most %2 are allowed")
                                     .arg(text.size())
                                     .arg(maxLength));
        if (text.size() < s.value(QLatin1StringView("minLength")).toInt(0))
            return problem(path, QCoreApplication::translate("alabos::api", "must not be empty"));
        if (s.contains(QLatin1StringView("enum"))) {
            const QJsonArray allowed = s.value(QLatin1StringView("enum")).toArray();
            if (!allowed.contains(value)) {
                QStringList names;
                for (const QJsonValue &a : allowed)
                    names << a.toString();
                return problem(
                    path, QCoreApplication::translate("alabos::api", "\"%1\" is not one of: %2")
                              .arg(text.left(100), names.join(QStringLiteral(", "))));
            }
        }
        return std::nullopt;
    }
    if (type == QLatin1StringView("integer") || type == QLatin1StringView("number")) {
        if (!value.isDouble())
            return problem(path,
                           QCoreApplication::translate("alabos::api", "must be a number, not %1")
                               .arg(typeName(value)));
        const double d = value.toDouble();
        if (!std::isfinite(d))
            return problem(path,
                           QCoreApplication::translate("alabos::api", "must be a finite number"));
        if (type == QLatin1StringView("integer") && d != std::floor(d))
            return problem(path,
                           QCoreApplication::translate("alabos::api", "must be a whole number"));
        if (s.contains(QLatin1StringView("minimum")) &&
            d < s.value(QLatin1StringView("minimum")).toDouble())
            return problem(path,
                           QCoreApplication::translate("alabos::api", "%1 is below the minimum %2")
                               .arg(d)
                               .arg(s.value(QLatin1StringView("minimum")).toDouble()));
        if (s.contains(QLatin1StringView("maximum")) &&
            d > s.value(QLatin1StringView("maximum")).toDouble())
            return problem(path,
                           QCoreApplication::translate("alabos::api", "%1 is above the maximum %2")
                               .arg(d)
                               .arg(s.value(QLatin1StringView("maximum")).toDouble()));
        return std::nullopt;
    }
    if (type == QLatin1StringView("boolean")) {
        if (!value.isBool())
            return problem(
                path, QCoreApplication::translate("alabos::api", "must be true or false, not %1")
                          .arg(typeName(value)));
        return std::nullopt;
    }
    if (type == QLatin1StringView("array")) {
        if (!value.isArray())
            return problem(path,
                           QCoreApplication::translate("alabos::api", "must be an array, not %1")
                               .arg(typeName(value)));
        const QJsonArray items = value.toArray();
        const int maxItems = s.value(QLatin1StringView("maxItems")).toInt(-1);
        if (maxItems >= 0 && items.size() > maxItems)
            return problem(path, QCoreApplication::translate(
                                     "alabos::api", "has %1 entries; at most %2 are allowed")
                                     .arg(items.size())
                                     .arg(maxItems));
        if (items.size() < s.value(QLatin1StringView("minItems")).toInt(0))
            return problem(path,
                           QCoreApplication::translate("alabos::api", "needs at least %1 entries")
                               .arg(s.value(QLatin1StringView("minItems")).toInt()));
        const QJsonObject itemSchema = s.value(QLatin1StringView("items")).toObject();
        if (!itemSchema.isEmpty())
            for (qsizetype i = 0; i < items.size(); ++i)
                if (auto p = checkAgainstSchema(items.at(i), itemSchema,
                                                path + QStringLiteral("[%1]").arg(i)))
                    return p;
        return std::nullopt;
    }
    if (type == QLatin1StringView("object")) {
        if (!value.isObject())
            return problem(path,
                           QCoreApplication::translate("alabos::api", "must be an object, not %1")
                               .arg(typeName(value)));
        const QJsonObject object = value.toObject();
        const int maxProperties = s.value(QLatin1StringView("maxProperties")).toInt(-1);
        if (maxProperties >= 0 && object.size() > maxProperties)
            return problem(path, QCoreApplication::translate(
                                     "alabos::api", "has %1 entries; at most %2 are allowed")
                                     .arg(object.size())
                                     .arg(maxProperties));
        const QJsonObject properties = s.value(QLatin1StringView("properties")).toObject();
        for (const QJsonValue &r : s.value(QLatin1StringView("required")).toArray())
            if (!object.contains(r.toString()))
                return problem(join(path, r.toString()),
                               QCoreApplication::translate("alabos::api", "is required"));
        const QJsonValue additional = s.value(QLatin1StringView("additionalProperties"));
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString field = join(path, it.key());
            if (properties.contains(it.key())) {
                if (auto p = checkAgainstSchema(it.value(), properties.value(it.key()).toObject(),
                                                field))
                    return p;
            } else if (additional.isObject()) {
                if (auto p = checkAgainstSchema(it.value(), additional.toObject(), field)) return p;
            } else if (!additional.isBool() || !additional.toBool()) {
                QStringList known = properties.keys();
                return problem(
                    field.left(300),
                    QCoreApplication::translate("alabos::api", "is not a known field (known: %1)")
                        .arg(known.join(QStringLiteral(", "))));
            }
        }
        return std::nullopt;
    }
    return std::nullopt; // no type: anything (bounded by the body limit)
}

namespace schema {
QJsonObject string(int maxLength, int minLength)
{
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("string")},
                  {QStringLiteral("maxLength"), maxLength}};
    if (minLength > 0) s.insert(QStringLiteral("minLength"), minLength);
    return s;
}
QJsonObject integer(qint64 minimum, qint64 maximum)
{
    return {{QStringLiteral("type"), QStringLiteral("integer")},
            {QStringLiteral("minimum"), double(minimum)},
            {QStringLiteral("maximum"), double(maximum)}};
}
QJsonObject number(double minimum, double maximum)
{
    return {{QStringLiteral("type"), QStringLiteral("number")},
            {QStringLiteral("minimum"), minimum},
            {QStringLiteral("maximum"), maximum}};
}
QJsonObject boolean()
{
    return {{QStringLiteral("type"), QStringLiteral("boolean")}};
}
QJsonObject stringEnum(const QStringList &values)
{
    int longest = 0;
    for (const QString &v : values)
        longest = std::max(longest, int(v.size()));
    QJsonObject s = string(longest);
    s.insert(QStringLiteral("enum"), QJsonArray::fromStringList(values));
    return s;
}
QJsonObject array(const QJsonObject &items, int maxItems, int minItems)
{
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("array")},
                  {QStringLiteral("items"), items},
                  {QStringLiteral("maxItems"), maxItems}};
    if (minItems > 0) s.insert(QStringLiteral("minItems"), minItems);
    return s;
}
QJsonObject object(const QJsonObject &properties, const QStringList &required)
{
    QJsonObject s{{QStringLiteral("type"), QStringLiteral("object")},
                  {QStringLiteral("properties"), properties},
                  {QStringLiteral("additionalProperties"), false}};
    if (!required.isEmpty())
        s.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
    return s;
}
QJsonObject freeObject(int maxProperties)
{
    return {{QStringLiteral("type"), QStringLiteral("object")},
            {QStringLiteral("maxProperties"), maxProperties},
            {QStringLiteral("additionalProperties"), true}};
}
QJsonObject described(QJsonObject s, const QString &description)
{
    s.insert(QStringLiteral("description"), description);
    return s;
}
} // namespace schema

} // namespace alabos
