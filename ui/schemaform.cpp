#include "ui/schemaform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace alabos {

namespace {
constexpr auto kErrorStyle = "color: #c62828;";
constexpr auto kNoteStyle = "color: #616161;";

QString rangeHint(const FieldDefinition &f)
{
    auto n = [](double v) { return QString::number(v, 'g', 15); };
    if (f.min && f.max) return SchemaForm::tr("%1 – %2").arg(n(*f.min), n(*f.max));
    if (f.min) return SchemaForm::tr("at least %1").arg(n(*f.min));
    if (f.max) return SchemaForm::tr("at most %1").arg(n(*f.max));
    return {};
}
} // namespace

SchemaForm::SchemaForm(QWidget *parent) : QWidget(parent), m_layout(new QFormLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_layout->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
}

SchemaForm::SchemaForm(const FormDefinition &definition, QWidget *parent) : SchemaForm(parent)
{
    setDefinition(definition);
}

void SchemaForm::setDefinition(const FormDefinition &definition)
{
    m_definition = definition;
    build();
}

void SchemaForm::build()
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_rows.clear();
    for (int i = 0; i < m_definition.fields.size(); ++i) {
        const FieldDefinition &f = m_definition.fields[i];
        Row row;
        const QString name = f.name;
        switch (f.type) {
        case FieldDefinition::Type::Enum: {
            auto *combo = new QComboBox(this);
            if (!f.required) combo->addItem(tr("—"), QString());
            for (const QString &o : f.options)
                combo->addItem(o, o);
            connect(combo, &QComboBox::currentIndexChanged, this, [this, name] {
                showMessage(name, {}, false);
                Q_EMIT edited(name);
                Q_EMIT fieldCommitted(name);
            });
            row.editor = combo;
            break;
        }
        case FieldDefinition::Type::Boolean: {
            auto *check = new QCheckBox(this);
            connect(check, &QCheckBox::toggled, this, [this, name] {
                Q_EMIT edited(name);
                Q_EMIT fieldCommitted(name);
            });
            row.editor = check;
            break;
        }
        default: {
            auto *edit = new QLineEdit(this);
            if (f.type == FieldDefinition::Type::Date)
                edit->setPlaceholderText(tr("YYYY-MM-DD"));
            else if (f.type == FieldDefinition::Type::Integer ||
                     f.type == FieldDefinition::Type::Number) {
                edit->setPlaceholderText(rangeHint(f));
                edit->setAlignment(Qt::AlignRight);
            }
            // An error goes away as soon as the person edits; it comes back on validate().
            connect(edit, &QLineEdit::textEdited, this, [this, name] {
                showMessage(name, {}, false);
                Q_EMIT edited(name);
            });
            connect(edit, &QLineEdit::editingFinished, this, [this, name, edit] {
                if (edit->isModified()) {
                    edit->setModified(false);
                    Q_EMIT fieldCommitted(name);
                }
            });
            row.editor = edit;
            break;
        }
        }
        row.editor->setObjectName(QStringLiteral("field_") + f.name);
        row.editor->setToolTip(f.description);
        row.message = new QLabel(this);
        row.message->setObjectName(QStringLiteral("message_") + f.name);
        row.message->setWordWrap(true);
        row.message->hide();

        auto *cell = new QWidget(this);
        auto *v = new QVBoxLayout(cell);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(1);
        auto *h = new QHBoxLayout;
        h->setSpacing(6);
        h->addWidget(row.editor, 1);
        if (!f.unit.isEmpty()) {
            auto *unit = new QLabel(f.unit, this);
            unit->setMinimumWidth(unit->fontMetrics().horizontalAdvance(QStringLiteral("mmmm")));
            h->addWidget(unit);
        }
        v->addLayout(h);
        v->addWidget(row.message);
        auto *label = new QLabel(f.required ? tr("%1 *").arg(f.label) : f.label, this);
        label->setToolTip(f.description);
        label->setBuddy(row.editor);
        m_layout->addRow(label, cell);
        m_rows.append(row);
    }
    reset();
}

void SchemaForm::setText(int index, const QString &text)
{
    QWidget *e = m_rows[index].editor;
    if (auto *edit = qobject_cast<QLineEdit *>(e)) {
        edit->setText(text);
    } else if (auto *combo = qobject_cast<QComboBox *>(e)) {
        int at = combo->findData(text);
        if (at < 0) at = combo->findText(text, Qt::MatchFixedString);
        combo->setCurrentIndex(at < 0 ? 0 : at);
    } else if (auto *check = qobject_cast<QCheckBox *>(e)) {
        QJsonValue v;
        m_definition.fields[index].parse(text, &v);
        check->setChecked(v.toBool(false));
    }
}

QString SchemaForm::text(const QString &name) const
{
    const int i = m_definition.indexOf(name);
    if (i < 0) return {};
    QWidget *e = m_rows[i].editor;
    if (auto *edit = qobject_cast<QLineEdit *>(e)) return edit->text();
    if (auto *combo = qobject_cast<QComboBox *>(e)) return combo->currentData().toString();
    if (auto *check = qobject_cast<QCheckBox *>(e))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

void SchemaForm::reset()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const FieldDefinition &f = m_definition.fields[i];
        setText(i, f.toText(f.defaultValue));
        showMessage(f.name, {}, false);
    }
}

QString SchemaForm::validateField(int index)
{
    const FieldDefinition &f = m_definition.fields[index];
    const QString why = f.parse(text(f.name));
    showMessage(f.name, why, true);
    return why;
}

QHash<QString, QString> SchemaForm::validate()
{
    QHash<QString, QString> errors;
    for (int i = 0; i < m_rows.size(); ++i)
        if (const QString why = validateField(i); !why.isEmpty())
            errors.insert(m_definition.fields[i].name, why);
    return errors;
}

QJsonObject SchemaForm::values() const
{
    QJsonObject out;
    for (const FieldDefinition &f : m_definition.fields) {
        QJsonValue v;
        if (f.parse(text(f.name), &v).isEmpty() && !v.isNull()) out.insert(f.name, v);
    }
    return out;
}

void SchemaForm::setValues(const QJsonObject &values)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const FieldDefinition &f = m_definition.fields[i];
        if (values.contains(f.name)) {
            setText(i, f.toText(values.value(f.name)));
            showMessage(f.name, {}, false);
        }
    }
}

void SchemaForm::showMessage(const QString &name, const QString &text, bool error)
{
    const int i = m_definition.indexOf(name);
    if (i < 0) return;
    QLabel *label = m_rows[i].message;
    label->setText(text);
    label->setStyleSheet(QLatin1StringView(error ? kErrorStyle : kNoteStyle));
    label->setVisible(!text.isEmpty());
    label->setProperty("isError", error && !text.isEmpty());
}

void SchemaForm::setFieldError(const QString &name, const QString &error)
{
    showMessage(name, error, true);
}

void SchemaForm::setFieldNote(const QString &name, const QString &note)
{
    showMessage(name, note, false);
}

QString SchemaForm::fieldMessage(const QString &name) const
{
    const int i = m_definition.indexOf(name);
    return i < 0 || m_rows[i].message->isHidden() ? QString() : m_rows[i].message->text();
}

QWidget *SchemaForm::editor(const QString &name) const
{
    const int i = m_definition.indexOf(name);
    return i < 0 ? nullptr : m_rows[i].editor;
}

} // namespace alabos
