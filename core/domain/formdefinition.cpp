#include "core/domain/formdefinition.h"

#include <QDate>
#include <QRegularExpression>
#include <cmath>

namespace alabos {

namespace {
QString numberText(double v)
{
    return QString::number(v, 'g', 15);
}

QString withUnit(double v, const QString &unit)
{
    return unit.isEmpty() ? numberText(v) : numberText(v) + QLatin1Char(' ') + unit;
}

std::optional<double> optionalNumber(const QJsonObject &json, QLatin1StringView key, bool *ok)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isDouble()) {
        *ok = false;
        return std::nullopt;
    }
    return v.toDouble();
}
} // namespace

std::optional<FieldDefinition::Type> FieldDefinition::typeFromString(QStringView text)
{
    const QString t = text.trimmed().toString().toLower();
    if (t == u"string" || t == u"text") return Type::String;
    if (t == u"integer" || t == u"int") return Type::Integer;
    if (t == u"number" || t == u"double" || t == u"float" || t == u"real") return Type::Number;
    if (t == u"enum" || t == u"choice") return Type::Enum;
    if (t == u"boolean" || t == u"bool") return Type::Boolean;
    if (t == u"date") return Type::Date;
    return std::nullopt;
}

QString FieldDefinition::toString(Type type)
{
    switch (type) {
    case Type::String:
        return QStringLiteral("string");
    case Type::Integer:
        return QStringLiteral("integer");
    case Type::Number:
        return QStringLiteral("number");
    case Type::Enum:
        return QStringLiteral("enum");
    case Type::Boolean:
        return QStringLiteral("boolean");
    case Type::Date:
        return QStringLiteral("date");
    }
    return {};
}

std::optional<FieldDefinition> FieldDefinition::fromJson(const QJsonObject &json, QString *error)
{
    FieldDefinition f;
    f.name = json.value(QLatin1StringView("name")).toString().trimmed();
    auto fail = [&](const QString &why) {
        if (error) *error = f.name.isEmpty() ? why : tr("field \"%1\": %2").arg(f.name, why);
        return std::nullopt;
    };
    if (f.name.isEmpty()) return fail(tr("a field has no \"name\""));
    const auto type =
        typeFromString(json.value(QLatin1StringView("type")).toString(QStringLiteral("string")));
    if (!type)
        return fail(tr("unknown \"type\" \"%1\" (string, integer, number, enum, boolean or date)")
                        .arg(json.value(QLatin1StringView("type")).toString()));
    f.type = *type;
    f.label = json.value(QLatin1StringView("label")).toString(f.name);
    f.unit = json.value(QLatin1StringView("unit")).toString();
    f.required = json.value(QLatin1StringView("required")).toBool(false);
    f.description = json.value(QLatin1StringView("description")).toString();
    bool ok = true;
    f.min = optionalNumber(json, QLatin1StringView("min"), &ok);
    f.max = optionalNumber(json, QLatin1StringView("max"), &ok);
    if (!ok) return fail(tr("\"min\" and \"max\" must be numbers"));
    if (f.min && f.max && *f.min > *f.max)
        return fail(
            tr("\"min\" %1 is above \"max\" %2").arg(numberText(*f.min), numberText(*f.max)));
    f.decimals = json.value(QLatin1StringView("decimals")).toInt(-1);
    f.pattern = json.value(QLatin1StringView("pattern")).toString();
    f.patternMessage = json.value(QLatin1StringView("pattern_message")).toString();
    if (!f.pattern.isEmpty()) {
        f.compiledPattern = QRegularExpression(QRegularExpression::anchoredPattern(f.pattern));
        if (!f.compiledPattern.isValid())
            return fail(tr("\"pattern\" is not a valid regular expression: %1")
                            .arg(f.compiledPattern.errorString()));
    }
    if (json.contains(QLatin1StringView("max_length"))) {
        const QJsonValue v = json.value(QLatin1StringView("max_length"));
        if (!v.isDouble() || v.toDouble() < 1 || v.toDouble() > kLargestMaxLength ||
            v.toDouble() != std::floor(v.toDouble()))
            return fail(
                tr("\"max_length\" must be a whole number from 1 to %1").arg(kLargestMaxLength));
        f.maxLength = v.toInt();
    }
    for (const QJsonValue &o : json.value(QLatin1StringView("options")).toArray())
        f.options << o.toVariant().toString();
    if (f.type == Type::Enum && f.options.isEmpty()) return fail(tr("an enum needs \"options\""));
    f.defaultValue = json.value(QLatin1StringView("default"));
    if (f.defaultValue.isUndefined()) f.defaultValue = QJsonValue::Null;
    if (!f.defaultValue.isNull()) {
        const QString why = f.check(f.defaultValue);
        if (!why.isEmpty()) return fail(tr("\"default\" is not valid: %1").arg(why));
    }
    return f;
}

QString FieldDefinition::displayLabel() const
{
    const QString text = label.isEmpty() ? name : label;
    return unit.isEmpty() ? text : tr("%1 (%2)").arg(text, unit);
}

QString FieldDefinition::checkRange(double v) const
{
    if (min && v < *min) return tr("Must be at least %1").arg(withUnit(*min, unit));
    if (max && v > *max) return tr("Must be at most %1").arg(withUnit(*max, unit));
    return {};
}

QString FieldDefinition::parse(const QString &input, QJsonValue *value) const
{
    QJsonValue scratch;
    if (!value) value = &scratch;
    *value = QJsonValue::Null;
    const QString text = input.trimmed();
    if (text.isEmpty()) return required ? tr("Required") : QString();
    switch (type) {
    case Type::String:
        if (text.size() > maxLength)
            return tr("At most %1 characters (this has %2)").arg(maxLength).arg(text.size());
        for (QChar c : text)
            if (c.category() == QChar::Other_Control && c != u'\t' && c != u'\n' && c != u'\r')
                return tr("Contains a control character (U+%1)")
                    .arg(c.unicode(), 4, 16, QLatin1Char('0'));
        if (!pattern.isEmpty()) {
            const QRegularExpression re =
                compiledPattern.pattern().isEmpty()
                    ? QRegularExpression(QRegularExpression::anchoredPattern(pattern))
                    : compiledPattern;
            if (!re.match(text).hasMatch())
                return patternMessage.isEmpty() ? tr("Does not have the expected format")
                                                : patternMessage;
        }
        *value = text;
        return {};
    case Type::Integer: {
        bool ok = false;
        const qint64 v = text.toLongLong(&ok);
        if (!ok) return tr("Not a whole number: \"%1\"").arg(text);
        if (v > qint64(kLargestInteger) || v < -qint64(kLargestInteger))
            return tr("A whole number from -%1 to %1").arg(qint64(kLargestInteger));
        if (QString why = checkRange(double(v)); !why.isEmpty()) return why;
        *value = v;
        return {};
    }
    case Type::Number: {
        // A decimal comma is what a semicolon-separated file from a German spreadsheet has.
        QString t = text;
        if (!t.contains(QLatin1Char('.')) && t.count(QLatin1Char(',')) == 1)
            t.replace(QLatin1Char(','), QLatin1Char('.'));
        bool ok = false;
        const double v = t.toDouble(&ok);
        if (!ok || !std::isfinite(v)) return tr("Not a number: \"%1\"").arg(text);
        if (decimals >= 0) {
            const qsizetype dot = t.indexOf(QLatin1Char('.'));
            const qsizetype exp = t.indexOf(QLatin1Char('e'), 0, Qt::CaseInsensitive);
            const qsizetype places = dot < 0 ? 0 : (exp < 0 ? t.size() : exp) - dot - 1;
            if (exp < 0 && places > decimals)
                return tr("At most %n decimal place(s)", nullptr, decimals);
        }
        if (QString why = checkRange(v); !why.isEmpty()) return why;
        *value = v;
        return {};
    }
    case Type::Enum:
        for (const QString &o : options)
            if (o.compare(text, Qt::CaseInsensitive) == 0) {
                *value = o;
                return {};
            }
        return tr("Not one of: %1").arg(options.join(QStringLiteral(", ")));
    case Type::Boolean: {
        const QString t = text.toLower();
        static const QStringList yes{QStringLiteral("true"), QStringLiteral("yes"),
                                     QStringLiteral("1"),    QStringLiteral("y"),
                                     QStringLiteral("ja"),   QStringLiteral("x")};
        static const QStringList no{QStringLiteral("false"), QStringLiteral("no"),
                                    QStringLiteral("0"), QStringLiteral("n"),
                                    QStringLiteral("nein")};
        if (yes.contains(t))
            *value = true;
        else if (no.contains(t))
            *value = false;
        else
            return tr("Not yes or no: \"%1\"").arg(text);
        return {};
    }
    case Type::Date: {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid() || text.size() != 10)
            return tr("Not a date (YYYY-MM-DD): \"%1\"").arg(text);
        *value = d.toString(Qt::ISODate);
        return {};
    }
    }
    return {};
}

QString FieldDefinition::check(const QJsonValue &value) const
{
    if (value.isNull() || value.isUndefined()) return required ? tr("Required") : QString();
    switch (type) {
    case Type::Integer:
        if (!value.isDouble() || std::floor(value.toDouble()) != value.toDouble())
            return tr("Not a whole number");
        if (std::abs(value.toDouble()) > kLargestInteger)
            return tr("A whole number from -%1 to %1").arg(qint64(kLargestInteger));
        return checkRange(value.toDouble());
    case Type::Number:
        if (!value.isDouble()) return tr("Not a number");
        return checkRange(value.toDouble());
    case Type::Boolean:
        return value.isBool() ? QString() : tr("Not yes or no");
    default:
        if (!value.isString()) return tr("Not text");
        return parse(value.toString());
    }
}

QString FieldDefinition::toText(const QJsonValue &value) const
{
    if (value.isNull() || value.isUndefined()) return {};
    if (value.isBool()) return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        // Beyond the whole numbers a double holds exactly, a cast to qint64 is undefined.
        const double v = value.toDouble();
        return type == Type::Integer && std::abs(v) <= kLargestInteger ? QString::number(qint64(v))
                                                                       : numberText(v);
    }
    return value.toVariant().toString();
}

int FormDefinition::indexOf(const QString &name) const
{
    for (int i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return i;
    return -1;
}

std::optional<FormDefinition> FormDefinition::fromJson(const QJsonObject &json, QString *error)
{
    FormDefinition form;
    form.title = json.value(QLatin1StringView("title")).toString();
    const QJsonValue fields = json.value(QLatin1StringView("fields"));
    if (!fields.isArray() || fields.toArray().isEmpty()) {
        if (error) *error = tr("a form needs a non-empty \"fields\" array");
        return std::nullopt;
    }
    for (const QJsonValue &v : fields.toArray()) {
        auto field = FieldDefinition::fromJson(v.toObject(), error);
        if (!field) return std::nullopt;
        if (form.indexOf(field->name) >= 0) {
            if (error) *error = tr("field \"%1\" is defined twice").arg(field->name);
            return std::nullopt;
        }
        form.fields.append(*field);
    }
    return form;
}

namespace {
// Lenient reading for self-descriptions: keep what is usable, make the rest text.
FieldDefinition lenientField(const QString &name, const QJsonObject &json)
{
    FieldDefinition f;
    f.name = name;
    f.label = json.value(QLatin1StringView("label")).toString(name);
    f.type = FieldDefinition::typeFromString(json.value(QLatin1StringView("type")).toString())
                 .value_or(FieldDefinition::Type::String);
    f.unit = json.value(QLatin1StringView("unit")).toString();
    f.description = json.value(QLatin1StringView("description")).toString();
    f.required = json.value(QLatin1StringView("required")).toBool(false);
    if (json.value(QLatin1StringView("min")).isDouble())
        f.min = json.value(QLatin1StringView("min")).toDouble();
    if (json.value(QLatin1StringView("max")).isDouble())
        f.max = json.value(QLatin1StringView("max")).toDouble();
    f.decimals = json.value(QLatin1StringView("decimals")).toInt(-1);
    f.pattern = json.value(QLatin1StringView("pattern")).toString();
    f.patternMessage = json.value(QLatin1StringView("pattern_message")).toString();
    for (const QJsonValue &o : json.value(QLatin1StringView("options")).toArray())
        f.options << o.toVariant().toString();
    if (f.type == FieldDefinition::Type::Enum && f.options.isEmpty())
        f.type = FieldDefinition::Type::String;
    f.defaultValue = json.value(QLatin1StringView("default"));
    if (f.defaultValue.isUndefined()) f.defaultValue = QJsonValue::Null;
    return f;
}
} // namespace

FormDefinition FormDefinition::fromCommandParameters(const QJsonArray &parameters)
{
    FormDefinition form;
    for (const QJsonValue &v : parameters) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QLatin1StringView("name")).toString();
        if (!name.isEmpty() && form.indexOf(name) < 0) form.fields.append(lenientField(name, o));
    }
    return form;
}

FormDefinition FormDefinition::fromTaskParameters(const QJsonValue &schema)
{
    if (schema.isArray()) return fromCommandParameters(schema.toArray());
    FormDefinition form;
    const QJsonObject o = schema.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it->isObject() && it->toObject().contains(QLatin1StringView("type"))) {
            form.fields.append(lenientField(it.key(), it->toObject()));
            continue;
        }
        // A plain value: its type is the value's, and it is the default.
        FieldDefinition f;
        f.name = it.key();
        f.label = it.key();
        f.type = it->isBool()     ? FieldDefinition::Type::Boolean
                 : it->isDouble() ? FieldDefinition::Type::Number
                                  : FieldDefinition::Type::String;
        f.defaultValue =
            it->isObject() || it->isArray() ? QJsonValue(QJsonValue::Null) : QJsonValue(*it);
        form.fields.append(f);
    }
    return form;
}

} // namespace alabos
