#pragma once
// A form generated from field definitions: one editor per field by type, the unit beside
// it, the description as tooltip, and an inline error (red) under each field. Used for
// sample registration, driver commands and task parameters alike.
#include "core/domain/formdefinition.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace alabos {

class SchemaForm : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaForm(QWidget *parent = nullptr);
    explicit SchemaForm(const FormDefinition &definition, QWidget *parent = nullptr);

    void setDefinition(const FormDefinition &definition);
    const FormDefinition &definition() const { return m_definition; }

    // Checks every field, shows each error under its field (clears the others) and
    // returns field name -> error. Empty: the form is valid.
    QHash<QString, QString> validate();
    // The typed values of the fields that hold one (empty optional fields are left out).
    QJsonObject values() const;
    // Fills the fields named in `values`; other fields keep what they have.
    void setValues(const QJsonObject &values);
    // Back to the defaults, no errors shown.
    void reset();

    // A message under a field from outside (the database's answer): an error in red, or a
    // neutral note ("checking…") in grey. Empty text clears it.
    void setFieldError(const QString &name, const QString &error);
    void setFieldNote(const QString &name, const QString &note);
    QString fieldMessage(const QString &name) const;
    QWidget *editor(const QString &name) const;
    // The current text of a field, as typed.
    QString text(const QString &name) const;

Q_SIGNALS:
    // A field's content changed (typing, choosing).
    void edited(const QString &name);
    // A field lost focus after an edit: a good moment for a remote check.
    void fieldCommitted(const QString &name);

private:
    struct Row
    {
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
    };
    void build();
    QString validateField(int index);
    void showMessage(const QString &name, const QString &text, bool error);
    void setText(int index, const QString &text);

    FormDefinition m_definition;
    QFormLayout *m_layout;
    QList<Row> m_rows;
};

} // namespace alabos
