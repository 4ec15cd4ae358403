#pragma once
// CSV batch import of samples: RFC 4180 parsing (UTF-8 with or without BOM, comma or
// semicolon), the header mapped to form fields by name, every row checked with the same
// form definition as the registration form, duplicates within the file and against the
// database. Nothing here writes: the caller sends all rows or, on the technician's explicit
// choice, only the valid ones.
//
// A file is checked as it is parsed and parsing stops one row past the row limit, so a file
// far over the limit costs no more than the limit. Rows are stored compactly (the cells'
// UTF-8 in one buffer, a 4-byte offset per cell beside it): about the file's size again.
#include "core/domain/csv.h"
#include "core/domain/formdefinition.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QObject>
#include <QSet>
#include <atomic>
#include <memory>
#include <optional>

class QThread;

namespace alabos {

struct CsvIssue
{
    int line = 0;   // in the file, 1-based
    int column = 0; // 1-based; 0: the whole row
    QString columnName;
    QString reason;
    bool operator==(const CsvIssue &) const = default;
};

// Shared between a check on a worker thread and whoever watches it: the worker writes the
// counts, the watcher reads them and may ask it to stop.
struct CsvCheckProgress
{
    std::atomic<bool> cancel{false};
    std::atomic<qint64> bytesDone{0};
    std::atomic<int> rowsDone{0};
};

class SampleBatch
{
    Q_DECLARE_TR_FUNCTIONS(SampleBatch)
public:
    // The most rows one import takes: the registrar's limit for one request
    // (SampleRegistrar::kMaxBatch), so an import is one all-or-nothing transaction.
    static constexpr int kMaxRows = 1000;
    // The issue list keeps this many; the rows stay marked beyond it.
    static constexpr int kMaxIssues = 20000;
    // A header wider than this is not a sample list (and would name every column).
    static constexpr int kMaxColumns = 256;

    // Parses and checks a file. Stops after `maxRows` rows (a file with more is refused with
    // a file error naming the limit, the rest unread) or when `progress->cancel` is set
    // (checked every few hundred rows; the batch then says cancelled()).
    static SampleBatch check(const QByteArray &bytes, const FormDefinition &form,
                             CsvCheckProgress *progress = nullptr, int maxRows = kMaxRows);

    // The database's answer for the batch's barcodes: rows whose barcode exists are invalid.
    void markRegistered(const QSet<QString> &existing);

    // Why the file could not be parsed (line, column); empty when it was.
    QString readError() const { return m_readError; }
    bool cancelled() const { return m_cancelled; }
    QChar delimiter() const { return m_delimiter; }
    QStringList header() const { return m_header; }
    QStringList fileErrors() const { return m_fileErrors; }
    const QList<CsvIssue> &issues() const { return m_issues; }
    // Issues found beyond kMaxIssues (their rows are still marked invalid).
    int issuesLeftOut() const { return m_issuesLeftOut; }

    int rowCount() const { return int(m_lines.size()); }
    int lineOf(int row) const { return m_lines.value(row); }
    int cellCount(int row) const;
    QString cell(int row, int column) const;
    QStringList cells(int row) const;
    bool rowValid(int row) const { return m_rowState.value(row) == RowValid; }
    // A problem with the row as a whole (its number of values).
    bool rowBad(int row) const { return m_rowState.value(row) == RowBad; }
    bool cellBad(int row, int column) const { return m_badCells.contains(key(row, column)); }
    // {barcode, name?, metadata} from a row's cells, typed by the form, defaults filled in.
    QJsonObject sample(int row) const;

    QStringList barcodes() const;
    int validCount() const { return rowCount() - m_invalidRows; }
    int invalidCount() const { return m_invalidRows; }
    bool importable() const
    {
        return m_readError.isEmpty() && !m_cancelled && m_fileErrors.isEmpty() && rowCount() > 0;
    }
    // All rows, only when every row is valid; otherwise nothing (all or nothing).
    std::optional<QJsonArray> allSamples() const;
    // The valid rows only: the technician's explicit choice.
    QJsonArray validSamples() const;

private:
    enum RowState : quint8
    {
        RowValid,
        RowBadCells,
        RowBad
    };
    static qint64 key(int row, int column) { return qint64(row) << 20 | column; }
    void addIssue(int row, int column, const QString &reason);
    void addRow(int line, const QByteArray &text, const QList<int> &ends);
    void mapHeader();
    void checkRow(int row);
    void markDuplicates();
    void sortIssues();
    QString barcodeOf(int row) const;

    FormDefinition m_form;
    QChar m_delimiter;
    QStringList m_header;
    QList<int> m_fieldOf;       // per column: the form field, -1 none
    QList<int> m_columnOfField; // per field: the column, -1 none
    int m_barcodeColumn = -1;
    QString m_readError;
    bool m_cancelled = false;
    QStringList m_fileErrors;
    // Rows, compactly: every cell's UTF-8 in m_text, cell i ending at m_cellEnds[i], row r's
    // cells from m_firstCell[r] up to m_firstCell[r + 1].
    QByteArray m_text;
    QList<quint32> m_cellEnds;
    QList<quint32> m_firstCell{0};
    QList<int> m_lines;
    QList<RowState> m_rowState;
    QSet<qint64> m_badCells;
    int m_invalidRows = 0;
    QList<CsvIssue> m_issues;
    int m_issuesLeftOut = 0;
};

// {barcode, name?, metadata:{the other fields}} from a form's typed values.
QJsonObject sampleFromValues(const QJsonObject &values);

// Reads (a file or bytes) and checks a CSV file on a thread of its own, so the UI thread
// never waits for it. Progress is polled (bytesDone, rowsDone); finished() arrives on the
// owner's thread. Destroying the job cancels it and waits for the thread, which notices the
// cancel within a few hundred rows.
class CsvCheckJob : public QObject
{
    Q_OBJECT
public:
    // A sample list of kMaxRows rows is far smaller; a bigger file is not read.
    static constexpr qint64 kMaxFileBytes = CsvTable::kMaxBytes;

    explicit CsvCheckJob(FormDefinition form, int maxRows = SampleBatch::kMaxRows,
                         QObject *parent = nullptr);
    ~CsvCheckJob() override;

    void startFile(const QString &path);
    void startBytes(const QByteArray &bytes);
    void cancel();
    bool running() const;
    qint64 bytesTotal() const { return m_bytesTotal; }
    qint64 bytesDone() const { return m_state->progress.bytesDone; }
    int rowsDone() const { return m_state->progress.rowsDone; }
    // Once finished: why the file could not be read (empty when it was), and the batch.
    QString ioError() const { return m_state->ioError; }
    const SampleBatch &batch() const { return m_state->batch; }
    SampleBatch takeBatch() { return std::move(m_state->batch); }

Q_SIGNALS:
    void finished();

private:
    struct State
    {
        CsvCheckProgress progress;
        SampleBatch batch;
        QString ioError;
    };
    void start(QString path, QByteArray bytes);

    FormDefinition m_form;
    int m_maxRows;
    qint64 m_bytesTotal = 0;
    std::shared_ptr<State> m_state = std::make_shared<State>();
    QThread *m_thread = nullptr;
};

} // namespace alabos
