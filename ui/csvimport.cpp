#include "ui/csvimport.h"

#include <QHash>

namespace alabos {

QJsonObject sampleFromValues(const QJsonObject &values)
{
    QJsonObject sample{{QStringLiteral("barcode"), values.value(QLatin1StringView("barcode"))}};
    if (values.contains(QLatin1StringView("name")))
        sample.insert(QStringLiteral("name"), values.value(QLatin1StringView("name")));
    QJsonObject metadata = values;
    metadata.remove(QStringLiteral("barcode"));
    metadata.remove(QStringLiteral("name"));
    sample.insert(QStringLiteral("metadata"), metadata);
    return sample;
}

void SampleBatch::addIssue(int row, int column, const QString &reason)
{
    Row &r = m_rows[row];
    if (column < 0)
        r.wholeRowBad = true;
    else
        r.badColumns.insert(column);
    m_issues.append({r.line, column + 1, column >= 0 ? m_header.value(column) : QString(), reason});
}

SampleBatch SampleBatch::validate(const CsvTable &table, const FormDefinition &form)
{
    SampleBatch batch;
    batch.m_header = table.header;
    // Columns by field name or label, case-insensitively: "mass_mg" or "Mass".
    QList<int> fieldOf(table.header.size(), -1);
    QHash<int, int> columnOfField;
    for (int c = 0; c < table.header.size(); ++c) {
        const QString h = table.header[c];
        for (int f = 0; f < form.fields.size(); ++f) {
            const FieldDefinition &d = form.fields[f];
            if (h.compare(d.name, Qt::CaseInsensitive) == 0 ||
                h.compare(d.label, Qt::CaseInsensitive) == 0 ||
                h.compare(d.displayLabel(), Qt::CaseInsensitive) == 0) {
                if (columnOfField.contains(f))
                    batch.m_fileErrors << tr("Columns %1 and %2 are both \"%3\"")
                                              .arg(columnOfField.value(f) + 1)
                                              .arg(c + 1)
                                              .arg(d.name);
                fieldOf[c] = f;
                columnOfField.insert(f, c);
                break;
            }
        }
        if (fieldOf[c] < 0) {
            QStringList names;
            for (const FieldDefinition &d : form.fields)
                names << d.name;
            batch.m_fileErrors
                << tr("Column %1 \"%2\" is not a field of the sample form (%3); rename "
                      "or remove it so nothing is lost")
                       .arg(c + 1)
                       .arg(h, names.join(QStringLiteral(", ")));
        }
    }
    for (int f = 0; f < form.fields.size(); ++f)
        if (form.fields[f].required && !columnOfField.contains(f))
            batch.m_fileErrors
                << tr("The required column \"%1\" is missing").arg(form.fields[f].name);
    batch.m_barcodeColumn = columnOfField.value(form.indexOf(QStringLiteral("barcode")), -1);
    if (table.records.size() > kMaxRows)
        batch.m_fileErrors << tr("%1 rows; at most %2 in one import. Split the file.")
                                  .arg(table.records.size())
                                  .arg(kMaxRows);
    if (table.records.isEmpty()) batch.m_fileErrors << tr("The file has a header but no rows");

    QHash<QString, QList<int>> rowsByBarcode;
    for (int r = 0; r < table.records.size(); ++r) {
        Row row;
        row.line = table.lines[r];
        row.cells = table.records[r];
        batch.m_rows.append(row);
        const QStringList &cells = table.records[r];
        if (cells.size() != table.header.size()) {
            batch.addIssue(
                r, -1,
                tr("%n value(s)", nullptr, int(cells.size())) +
                    tr("; the header has %n column(s)", nullptr, int(table.header.size())));
            continue;
        }
        QJsonObject values;
        for (int c = 0; c < cells.size(); ++c) {
            if (fieldOf[c] < 0) continue;
            QJsonValue v;
            const QString why = form.fields[fieldOf[c]].parse(cells[c], &v);
            if (!why.isEmpty())
                batch.addIssue(r, c, why);
            else if (!v.isNull())
                values.insert(form.fields[fieldOf[c]].name, v);
        }
        // Defaults fill the fields the file has no column for, as the form would.
        for (int f = 0; f < form.fields.size(); ++f)
            if (!columnOfField.contains(f) && !form.fields[f].defaultValue.isNull())
                values.insert(form.fields[f].name, form.fields[f].defaultValue);
        batch.m_rows[r].sample = sampleFromValues(values);
        if (batch.m_barcodeColumn >= 0 && !cells[batch.m_barcodeColumn].trimmed().isEmpty())
            rowsByBarcode[cells[batch.m_barcodeColumn].trimmed()].append(r);
    }
    for (auto it = rowsByBarcode.cbegin(); it != rowsByBarcode.cend(); ++it) {
        if (it->size() < 2) continue;
        // Every occurrence is marked: which one is right is the technician's call.
        for (int r : *it) {
            QStringList others;
            for (int o : *it)
                if (o != r) others << QString::number(batch.m_rows[o].line);
            batch.addIssue(r, batch.m_barcodeColumn,
                           tr("Barcode \"%1\" is also on line %2")
                               .arg(it.key(), others.join(QStringLiteral(", "))));
        }
    }
    std::stable_sort(batch.m_issues.begin(), batch.m_issues.end(),
                     [](const CsvIssue &a, const CsvIssue &b) {
                         return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    return batch;
}

void SampleBatch::markRegistered(const QSet<QString> &existing)
{
    if (m_barcodeColumn < 0 || existing.isEmpty()) return;
    for (int r = 0; r < m_rows.size(); ++r) {
        const QString barcode = m_rows[r].cells.value(m_barcodeColumn).trimmed();
        if (existing.contains(barcode))
            addIssue(r, m_barcodeColumn, tr("Barcode \"%1\" is already registered").arg(barcode));
    }
    std::stable_sort(m_issues.begin(), m_issues.end(), [](const CsvIssue &a, const CsvIssue &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
}

QStringList SampleBatch::barcodes() const
{
    QStringList out;
    if (m_barcodeColumn < 0) return out;
    for (const Row &r : m_rows) {
        const QString b = r.cells.value(m_barcodeColumn).trimmed();
        if (!b.isEmpty()) out << b;
    }
    out.removeDuplicates();
    return out;
}

int SampleBatch::validCount() const
{
    return int(
        std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.valid(); }));
}

std::optional<QJsonArray> SampleBatch::allSamples() const
{
    if (!importable() || invalidCount() > 0) return std::nullopt;
    return validSamples();
}

QJsonArray SampleBatch::validSamples() const
{
    QJsonArray out;
    if (!importable()) return out;
    for (const Row &r : m_rows)
        if (r.valid()) out.append(r.sample);
    return out;
}

} // namespace alabos
