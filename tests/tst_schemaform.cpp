// Forms generated from field definitions: every type with valid and invalid input,
// required fields, patterns, limits, inline errors shown and cleared; definitions from a
// form file, a driver's command description and a task parameter schema.
#include "core/domain/formdefinition.h"
#include "core/drivers/simulateddevice.h"
#include "ui/sampleforms.h"
#include "ui/schemaform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

using namespace alabos;

namespace {
FormDefinition definition()
{
    const QByteArray json =
        "{\"title\": \"t\", \"fields\": ["
        "      {\"name\": \"code\", \"label\": \"Code\", \"type\": \"string\", \"required\": true, "
        "\"pattern\": \"[A-Z]{3}-[0-9]{3}\","
        "       \"pattern_message\": \"Three capitals, a dash, three digits\", \"description\": "
        "\"the code\"},"
        "      {\"name\": \"count\", \"label\": \"Count\", \"type\": \"integer\", \"min\": 1, "
        "\"max\": 10, \"default\": 2},"
        "      {\"name\": \"mass\", \"label\": \"Mass\", \"type\": \"number\", \"unit\": \"mg\", "
        "\"min\": 0.5, \"max\": 100, \"decimals\": 2},"
        "      {\"name\": \"form\", \"label\": \"Form\", \"type\": \"enum\", \"options\": "
        "[\"powder\", \"pellet\"]},"
        "      {\"name\": \"dry\", \"label\": \"Dry\", \"type\": \"boolean\", \"default\": true},"
        "      {\"name\": \"day\", \"label\": \"Day\", \"type\": \"date\", \"required\": true}"
        "    ]}";
    QString error;
    auto form = FormDefinition::fromJson(QJsonDocument::fromJson(json).object(), &error);
    if (!form) qFatal("%s", qPrintable(error));
    return *form;
}

void type(SchemaForm &form, const QString &field, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(form.editor(field));
    QVERIFY2(edit, qPrintable(field));
    edit->clear();
    QTest::keyClicks(edit, text);
}
} // namespace

class TstSchemaForm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesEveryType_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("string ok") << "code"
                                   << " ABC-123 "
                                   << "" << QJsonValue(QStringLiteral("ABC-123"));
        QTest::newRow("string too long")
            << "code" << QString(2001, u'A') << "At most 2000 characters (this has 2001)"
            << QJsonValue();
        QTest::newRow("string control character")
            << "code" << QStringLiteral("ABC-1\u000723") << "Contains a control character (U+0007)"
            << QJsonValue();
        QTest::newRow("string pattern") << "code"
                                        << "abc-123"
                                        << "Three capitals, a dash, three digits" << QJsonValue();
        QTest::newRow("pattern is whole text")
            << "code"
            << "ABC-1234"
            << "Three capitals, a dash, three digits" << QJsonValue();
        QTest::newRow("required") << "code"
                                  << "  "
                                  << "Required" << QJsonValue();
        QTest::newRow("integer ok") << "count"
                                    << "7"
                                    << "" << QJsonValue(7);
        QTest::newRow("integer not whole") << "count"
                                           << "2.5"
                                           << "Not a whole number: \"2.5\"" << QJsonValue();
        QTest::newRow("integer below") << "count"
                                       << "0"
                                       << "Must be at least 1" << QJsonValue();
        QTest::newRow("integer above") << "count"
                                       << "11"
                                       << "Must be at most 10" << QJsonValue();
        QTest::newRow("optional empty") << "count"
                                        << ""
                                        << "" << QJsonValue();
        QTest::newRow("number ok") << "mass"
                                   << "12.25"
                                   << "" << QJsonValue(12.25);
        QTest::newRow("number decimal comma") << "mass"
                                              << "12,5"
                                              << "" << QJsonValue(12.5);
        QTest::newRow("number text") << "mass"
                                     << "twelve"
                                     << "Not a number: \"twelve\"" << QJsonValue();
        QTest::newRow("number decimals") << "mass"
                                         << "1.125"
                                         << "At most 2 decimal place(s)" << QJsonValue();
        QTest::newRow("number below") << "mass"
                                      << "0.1"
                                      << "Must be at least 0.5 mg" << QJsonValue();
        QTest::newRow("number above") << "mass"
                                      << "100.01"
                                      << "Must be at most 100 mg" << QJsonValue();
        QTest::newRow("enum ok") << "form"
                                 << "Pellet"
                                 << "" << QJsonValue(QStringLiteral("pellet"));
        QTest::newRow("enum bad") << "form"
                                  << "film"
                                  << "Not one of: powder, pellet" << QJsonValue();
        QTest::newRow("boolean yes") << "dry"
                                     << "yes"
                                     << "" << QJsonValue(true);
        QTest::newRow("boolean 0") << "dry"
                                   << "0"
                                   << "" << QJsonValue(false);
        QTest::newRow("boolean bad") << "dry"
                                     << "maybe"
                                     << "Not yes or no: \"maybe\"" << QJsonValue();
        QTest::newRow("date ok") << "day"
                                 << "2024-02-29"
                                 << "" << QJsonValue(QStringLiteral("2024-02-29"));
        QTest::newRow("date impossible")
            << "day"
            << "2023-02-29"
            << "Not a date (YYYY-MM-DD): \"2023-02-29\"" << QJsonValue();
        QTest::newRow("date format") << "day"
                                     << "29.02.2024"
                                     << "Not a date (YYYY-MM-DD): \"29.02.2024\"" << QJsonValue();
    }
    void parsesEveryType()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(QJsonValue, value);
        const FormDefinition form = definition();
        QJsonValue parsed;
        QCOMPARE(form.fields[form.indexOf(field)].parse(text, &parsed), error);
        if (error.isEmpty() && !value.isNull()) QCOMPARE(parsed, value);
        if (!error.isEmpty()) QVERIFY(parsed.isNull());
    }

    void wholeNumbersStayWithinWhatJsonHolds()
    {
        // Found by fuzzing (tests/fuzz, formdefinition): toText() cast 1e300 to qint64,
        // undefined behaviour, and check() took it as a whole number.
        const FieldDefinition count = definition().fields[definition().indexOf("count")];
        QCOMPARE(count.check(QJsonValue(1e300)),
                 QStringLiteral("A whole number from -9007199254740992 to 9007199254740992"));
        QCOMPARE(count.check(QJsonValue(-9007199254740994.0)), count.check(QJsonValue(1e300)));
        QCOMPARE(count.toText(QJsonValue(1e300)), QStringLiteral("1e+300"));
        QCOMPARE(count.toText(QJsonValue(-12.0)), QStringLiteral("-12"));
        QCOMPARE(count.parse(QStringLiteral("9007199254740993")), count.check(QJsonValue(1e300)));
        // parse() and check() agree at the edge.
        FieldDefinition open = count;
        open.min.reset();
        open.max.reset();
        QJsonValue edge;
        QCOMPARE(open.parse(QStringLiteral("-9007199254740992"), &edge), QString());
        QCOMPARE(open.check(edge), QString());
        QCOMPARE(open.toText(edge), QStringLiteral("-9007199254740992"));
    }

    void refusesBadDefinitions()
    {
        auto refused = [](const char *json) {
            QString error;
            const auto form =
                FormDefinition::fromJson(QJsonDocument::fromJson(json).object(), &error);
            return form ? QStringLiteral("accepted") : error;
        };
        QCOMPARE(refused("{\"fields\": [{\"name\": \"a\", \"type\": \"colour\"}]}"),
                 QStringLiteral("field \"a\": unknown \"type\" \"colour\" (string, integer, "
                                "number, enum, boolean or date)"));
        QCOMPARE(refused("{\"fields\": [{\"name\": \"a\", \"type\": \"enum\"}]}"),
                 QStringLiteral("field \"a\": an enum needs \"options\""));
        QCOMPARE(
            refused(
                "{\"fields\": [{\"name\": \"a\", \"type\": \"number\", \"min\": 5, \"max\": 1}]}"),
            QStringLiteral("field \"a\": \"min\" 5 is above \"max\" 1"));
        QVERIFY(refused("{\"fields\": [{\"name\": \"a\", \"pattern\": \"[\"}]}")
                    .startsWith(QLatin1StringView(
                        "field \"a\": \"pattern\" is not a valid regular expression: ")));
        QCOMPARE(refused("{\"fields\": [{\"name\": \"a\", \"type\": \"integer\", \"min\": 1, "
                         "\"default\": 0}]}"),
                 QStringLiteral("field \"a\": \"default\" is not valid: Must be at least 1"));
        QCOMPARE(refused("{\"fields\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}"),
                 QStringLiteral("field \"a\" is defined twice"));
        QCOMPARE(refused("{\"fields\": []}"),
                 QStringLiteral("a form needs a non-empty \"fields\" array"));
    }

    void widgetsShowAndClearInlineErrors()
    {
        SchemaForm form(definition());
        form.show();
        // Widgets by type, unit beside the number, description as tooltip, defaults filled.
        QVERIFY(qobject_cast<QLineEdit *>(form.editor(QStringLiteral("code"))));
        QVERIFY(qobject_cast<QComboBox *>(form.editor(QStringLiteral("form"))));
        QVERIFY(qobject_cast<QCheckBox *>(form.editor(QStringLiteral("dry"))));
        QCOMPARE(form.editor(QStringLiteral("code"))->toolTip(), QStringLiteral("the code"));
        QCOMPARE(form.text(QStringLiteral("count")), QStringLiteral("2"));
        QVERIFY(qobject_cast<QCheckBox *>(form.editor(QStringLiteral("dry")))->isChecked());
        bool unitShown = false;
        for (QLabel *l : form.findChildren<QLabel *>())
            unitShown |= l->text() == QLatin1StringView("mg");
        QVERIFY(unitShown);

        type(form, QStringLiteral("code"), QStringLiteral("abc"));
        type(form, QStringLiteral("mass"), QStringLiteral("500"));
        auto errors = form.validate();
        QCOMPARE(errors.size(), 3);
        QCOMPARE(errors.value(QStringLiteral("code")),
                 QStringLiteral("Three capitals, a dash, three digits"));
        QCOMPARE(errors.value(QStringLiteral("mass")), QStringLiteral("Must be at most 100 mg"));
        QCOMPARE(errors.value(QStringLiteral("day")), QStringLiteral("Required"));
        auto *message = form.findChild<QLabel *>(QStringLiteral("message_mass"));
        QVERIFY(message->isVisible());
        QCOMPARE(message->text(), QStringLiteral("Must be at most 100 mg"));
        QVERIFY(message->styleSheet().contains(QLatin1StringView("#c62828")));
        QCOMPARE(form.fieldMessage(QStringLiteral("count")), QString());

        // Editing a field clears its error at once; validate() finds it fixed.
        type(form, QStringLiteral("mass"), QStringLiteral("50"));
        QVERIFY(!message->isVisible());
        type(form, QStringLiteral("code"), QStringLiteral("ABC-123"));
        type(form, QStringLiteral("day"), QStringLiteral("2024-05-01"));
        errors = form.validate();
        QVERIFY2(errors.isEmpty(), qPrintable(errors.keys().join(QLatin1Char(','))));
        QCOMPARE(form.fieldMessage(QStringLiteral("code")), QString());
        const QJsonObject values = form.values();
        QCOMPARE(values.value(QLatin1StringView("code")).toString(), QStringLiteral("ABC-123"));
        QCOMPARE(values.value(QLatin1StringView("mass")).toDouble(), 50.0);
        QCOMPARE(values.value(QLatin1StringView("count")).toInteger(), 2);
        QCOMPARE(values.value(QLatin1StringView("dry")).toBool(), true);
        QVERIFY(!values.contains(QLatin1StringView("form"))); // optional enum left at "—"

        // setValues fills the fields and round-trips through values().
        form.setValues({{QStringLiteral("form"), QStringLiteral("pellet")},
                        {QStringLiteral("dry"), false},
                        {QStringLiteral("count"), 9}});
        QCOMPARE(form.values().value(QLatin1StringView("form")).toString(),
                 QStringLiteral("pellet"));
        QCOMPARE(form.values().value(QLatin1StringView("dry")).toBool(), false);
        QCOMPARE(form.values().value(QLatin1StringView("count")).toInteger(), 9);

        // An outside message (the registry check) shows as a note or an error.
        form.setFieldNote(QStringLiteral("code"), QStringLiteral("Checking…"));
        QCOMPARE(form.fieldMessage(QStringLiteral("code")), QStringLiteral("Checking…"));
        form.setFieldError(QStringLiteral("code"), QStringLiteral("Already registered"));
        QCOMPARE(form.fieldMessage(QStringLiteral("code")), QStringLiteral("Already registered"));
        form.reset();
        QCOMPARE(form.fieldMessage(QStringLiteral("code")), QString());
        QCOMPARE(form.text(QStringLiteral("code")), QString());
    }

    void formsFromDriverAndTaskDescriptions()
    {
        SimulatedDevice furnace(QStringLiteral("furnace-1"), QStringLiteral("box_furnace"), 1);
        const QList<CommandDescription> commands = furnace.describe();
        QVERIFY(!commands.isEmpty());
        const FormDefinition fromDriver =
            FormDefinition::fromCommandParameters(commands.first().parametersJson());
        // The furnace's heat command: set point, ramp, hold and atmosphere, with units and limits.
        QCOMPARE(commands.first().name, QStringLiteral("heat"));
        QCOMPARE(fromDriver.fields.size(), 4);
        const FieldDefinition &setPoint = fromDriver.fields.first();
        QCOMPARE(setPoint.name, QStringLiteral("temperature_c"));
        QCOMPARE(setPoint.type, FieldDefinition::Type::Number);
        QCOMPARE(setPoint.unit, QStringLiteral("°C"));
        QCOMPARE(setPoint.parse(QStringLiteral("1500")), QStringLiteral("Must be at most 1200 °C"));
        SchemaForm driverForm(fromDriver);
        QVERIFY(driverForm.validate().isEmpty()); // the default is valid
        QCOMPARE(driverForm.values().value(QLatin1StringView("temperature_c")).toDouble(), 1000.0);

        // Task schemas: full definitions, or plain defaults whose type is their value's.
        const QJsonObject schema{{QStringLiteral("temperature_c"),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("number")},
                                              {QStringLiteral("unit"), QStringLiteral("°C")},
                                              {QStringLiteral("min"), 20},
                                              {QStringLiteral("max"), 1200},
                                              {QStringLiteral("default"), 900}}},
                                 {QStringLiteral("atmosphere"), QStringLiteral("air")},
                                 {QStringLiteral("ramp"), 5}};
        const FormDefinition fromTask = FormDefinition::fromTaskParameters(schema);
        QCOMPARE(fromTask.fields.size(), 3);
        SchemaForm taskForm(fromTask);
        QCOMPARE(taskForm.values().value(QLatin1StringView("temperature_c")).toDouble(), 900.0);
        QCOMPARE(taskForm.values().value(QLatin1StringView("atmosphere")).toString(),
                 QStringLiteral("air"));
        type(taskForm, QStringLiteral("temperature_c"), QStringLiteral("1500"));
        QCOMPARE(taskForm.validate().value(QStringLiteral("temperature_c")),
                 QStringLiteral("Must be at most 1200 °C"));
    }

    void theSampleFormDefinitionLoads()
    {
        QString error;
        const auto form = sampleFormDefinition(&error);
        QVERIFY2(form, qPrintable(error));
        const FieldDefinition &barcode = form->fields[form->indexOf(QStringLiteral("barcode"))];
        QVERIFY(barcode.required);
        QCOMPARE(barcode.parse(QStringLiteral("SIM-ab12-000001")), QString());
        QVERIFY(!barcode.parse(QStringLiteral("has space")).isEmpty());
        QCOMPARE(form->fields[form->indexOf(QStringLiteral("mass_mg"))].unit, QStringLiteral("mg"));
    }
};

QTEST_MAIN(TstSchemaForm)
#include "tst_schemaform.moc"
