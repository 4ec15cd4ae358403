#pragma once
// Field definitions that forms are generated from (QGroundControl's settings metadata, in
// spirit): the sample registration form, driver command parameters and task parameter
// schemas. Parsing and checking live here, free of widgets, so a form, a CSV import and
// the lab server apply exactly the same rules.
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <optional>

namespace alabos {

struct FieldDefinition
{
    Q_DECLARE_TR_FUNCTIONS(FieldDefinition)
public:
    enum class Type
    {
        String,
        Integer,
        Number,
        Enum,
        Boolean,
        Date
    };

    QString name;
    QString label;
    Type type = Type::String;
    QString unit;
    bool required = false;
    std::optional<double> min;
    std::optional<double> max;
    int decimals = -1; // number: at most this many decimals; -1 any
    QString pattern;   // string: the whole text must match
    QString patternMessage;
    // string: at most this many characters ("max_length"); every text has a limit.
    static constexpr int kDefaultMaxLength = 2000;
    static constexpr int kLargestMaxLength = 100000;
    int maxLength = kDefaultMaxLength;
    // integer: the whole numbers a JSON number (a double) holds exactly, 2^53.
    static constexpr double kLargestInteger = 9007199254740992.0;
    QStringList options; // enum
    QJsonValue defaultValue;
    // The pattern, compiled once by fromJson (empty otherwise: compiled when used).
    QRegularExpression compiledPattern;
    QString description; // shown as a tooltip

    // Strict: a form definition a person wrote; errors name the field and the key.
    static std::optional<FieldDefinition> fromJson(const QJsonObject &json, QString *error);
    static std::optional<Type> typeFromString(QStringView text);
    static QString toString(Type type);

    // Text as a person typed it (a form field, a CSV cell) to a typed value. Empty text
    // gives a null value. Returns why the text is not acceptable, empty when it is.
    QString parse(const QString &text, QJsonValue *value = nullptr) const;
    // The same rules for a value that is already typed (a JSON request).
    QString check(const QJsonValue &value) const;
    // A value as a person would type it back.
    QString toText(const QJsonValue &value) const;
    // "Mass (mg)"
    QString displayLabel() const;

private:
    QString checkRange(double v) const;
};

struct FormDefinition
{
    Q_DECLARE_TR_FUNCTIONS(FormDefinition)
public:
    QString title;
    QList<FieldDefinition> fields;

    int indexOf(const QString &name) const;
    static std::optional<FormDefinition> fromJson(const QJsonObject &json, QString *error);
    // Driver command parameters (name, type, unit, min, max, default, description).
    // Lenient: a driver's self-description is what it is; unknown types become text.
    static FormDefinition fromCommandParameters(const QJsonArray &parameters);
    // A task template's parameter schema: an array of definitions, or an object mapping
    // each name to a definition ({"type": ...}) or to a plain default value.
    static FormDefinition fromTaskParameters(const QJsonValue &schema);
};

} // namespace alabos
