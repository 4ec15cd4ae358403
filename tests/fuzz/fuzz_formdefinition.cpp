// Form definitions on any JSON: FormDefinition::fromJson (strict: a person wrote it),
// fromTaskParameters and fromCommandParameters (lenient), then every field's parse(), check()
// and toText() on texts and values taken from the input itself.
#include "core/domain/formdefinition.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonDocument>

ALABOS_FUZZ_INITIALIZE

namespace {
void exercise(const alabos::FormDefinition &form, const QJsonDocument &doc, const QString &text)
{
    const QList<QJsonValue> values{QJsonValue(text),
                                   QJsonValue(text.size()),
                                   QJsonValue(1e300),
                                   QJsonValue(-0.5),
                                   QJsonValue(true),
                                   QJsonValue(),
                                   doc.isArray() ? QJsonValue(doc.array())
                                                 : QJsonValue(doc.object())};
    for (const alabos::FieldDefinition &field : form.fields) {
        QJsonValue value;
        if (field.parse(text, &value).isEmpty() && !field.check(value).isEmpty())
            abort(); // a value parse() accepted is one check() accepts
        field.toText(value);
        field.displayLabel();
        for (const QJsonValue &v : values) {
            field.check(v);
            field.toText(v);
        }
        field.check(field.defaultValue);
    }
    form.indexOf(text);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    const QByteArray bytes = fuzz::bytes(data, size);
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    // Texts a person might type: the input's first line.
    const QString text = QString::fromUtf8(bytes.left(bytes.indexOf('\n'))).left(200);
    QString error;
    if (const auto form = FormDefinition::fromJson(doc.object(), &error))
        exercise(*form, doc, text);
    else if (error.isEmpty())
        abort();
    exercise(FormDefinition::fromCommandParameters(doc.array()), doc, text);
    exercise(FormDefinition::fromTaskParameters(doc.isArray() ? QJsonValue(doc.array())
                                                              : QJsonValue(doc.object())),
             doc, text);
    return 0;
}
