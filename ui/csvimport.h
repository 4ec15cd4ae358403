#pragma once
// CSV batch import of samples: RFC 4180 parsing (UTF-8 with or without BOM, comma or
// semicolon), the header mapped to form fields by name, every row checked with the same
// form definition as the registration form, duplicates within the file and against the
// database. Nothing here writes: the caller sends all rows or, on the technician's explicit
// choice, only the valid ones.
#include "core/domain/csv.h"
#include "core/domain/formdefinition.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <optional>

namespace alabos {

struct CsvIssue
{
    int line = 0;   // in the file, 1-based
    int column = 0; // 1-based; 0: the whole row
    QString columnName;
    QString reason;
    bool operator==(const CsvIssue &) const = default;
};

class SampleBatch
{
    Q_DECLARE_TR_FUNCTIONS(SampleBatch)
public:
    static constexpr int kMaxRows = 1000;

    struct Row
    {
        int line = 0;
        QStringList cells;
        QJsonObject sample;   // {barcode, name?, metadata} when the row is valid
        QSet<int> badColumns; // 0-based columns with an error
        bool wholeRowBad = false;
        bool valid() const { return badColumns.isEmpty() && !wholeRowBad; }
    };

    // Checks every row; file-level problems (missing required columns, unknown columns,
    // too many rows) go to fileErrors and block any import.
    static SampleBatch validate(const CsvTable &table, const FormDefinition &form);
    // The database's answer for the batch's barcodes: rows whose barcode exists are invalid.
    void markRegistered(const QSet<QString> &existing);

    QStringList header() const { return m_header; }
    QStringList fileErrors() const { return m_fileErrors; }
    const QList<Row> &rows() const { return m_rows; }
    QList<CsvIssue> issues() const { return m_issues; }
    QStringList barcodes() const;
    int validCount() const;
    int invalidCount() const { return int(m_rows.size()) - validCount(); }
    bool importable() const { return m_fileErrors.isEmpty() && !m_rows.isEmpty(); }
    // All rows, only when every row is valid; otherwise nothing (all or nothing).
    std::optional<QJsonArray> allSamples() const;
    // The valid rows only: the technician's explicit choice.
    QJsonArray validSamples() const;

private:
    void addIssue(int row, int column, const QString &reason);

    QStringList m_header;
    int m_barcodeColumn = -1;
    QStringList m_fileErrors;
    QList<Row> m_rows;
    QList<CsvIssue> m_issues;
};

// {barcode, name?, metadata:{the other fields}} from a form's typed values.
QJsonObject sampleFromValues(const QJsonObject &values);

} // namespace alabos
