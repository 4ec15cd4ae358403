#include "ui/csvimport.h"

#include "core/domain/csv.h"
#include "core/domain/logging.h"

#include <QFile>
#include <QHash>
#include <QThread>
#include <algorithm>
#include <limits>

namespace alabos {

namespace {
QString csvTr(const char *text)
{
    return QCoreApplication::translate("alabos::CsvImport", text);
}
} // namespace

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

SampleBatch SampleBatch::check(const QByteArray &bytes, const FormDefinition &form,
                               CsvCheckProgress *progress, int maxRows)
{
    SampleBatch batch;
    batch.m_form = form;
    // The compact storage's offsets are 32-bit; the dialog reads at most 16 MB.
    if (bytes.size() >= std::numeric_limits<quint32>::max()) {
        batch.m_readError = tr("The file is %1 MB; at most 4,000 MB can be checked")
                                .arg(bytes.size() / (1024 * 1024));
        return batch;
    }
    CsvReader reader(bytes);
    batch.m_delimiter = QLatin1Char(reader.delimiter());
    // Address space only: the pages a small file does not fill are never touched.
    batch.m_text.reserve(bytes.size());
    CsvRecord record;
    auto cancelled = [&] {
        if (!progress) return false;
        progress->bytesDone.store(reader.position(), std::memory_order_relaxed);
        progress->rowsDone.store(batch.rowCount(), std::memory_order_relaxed);
        return progress->cancel.load(std::memory_order_relaxed);
    };
    if (cancelled()) {
        batch.m_cancelled = true;
        return batch;
    }
    if (!reader.next(record)) {
        batch.m_readError = reader.error().isEmpty() ? csvTr("The file is empty") : reader.error();
        return batch;
    }
    for (int c = 0; c < record.ends.size(); ++c)
        batch.m_header << record.cell(c).trimmed();
    if (batch.m_header.size() > kMaxColumns) {
        batch.m_fileErrors << tr("The header has %1 columns; at most %2")
                                  .arg(batch.m_header.size())
                                  .arg(kMaxColumns);
        return batch;
    }
    batch.mapHeader();
    while (true) {
        if (cancelled()) {
            batch.m_cancelled = true;
            return batch;
        }
        if (!reader.next(record)) {
            if (!reader.error().isEmpty()) {
                batch.m_readError = reader.error();
                return batch;
            }
            break;
        }
        if (batch.rowCount() == maxRows) {
            batch.m_fileErrors << tr("The file has more than %1 rows; at most %1 in one "
                                     "import. Split the file.")
                                      .arg(maxRows);
            break;
        }
        batch.addRow(record.line, record.text, record.ends);
        batch.checkRow(batch.rowCount() - 1);
    }
    if (batch.rowCount() == 0) batch.m_fileErrors << tr("The file has a header but no rows");
    batch.markDuplicates();
    batch.sortIssues();
    cancelled(); // the final counts
    return batch;
}

void SampleBatch::mapHeader()
{
    // Columns by field name or label, case-insensitively: "mass_mg" or "Mass".
    m_fieldOf = QList<int>(m_header.size(), -1);
    m_columnOfField = QList<int>(m_form.fields.size(), -1);
    for (int c = 0; c < m_header.size(); ++c) {
        const QString h = m_header[c];
        for (int f = 0; f < m_form.fields.size(); ++f) {
            const FieldDefinition &d = m_form.fields[f];
            if (h.compare(d.name, Qt::CaseInsensitive) == 0 ||
                h.compare(d.label, Qt::CaseInsensitive) == 0 ||
                h.compare(d.displayLabel(), Qt::CaseInsensitive) == 0) {
                if (m_columnOfField[f] >= 0)
                    m_fileErrors << tr("Columns %1 and %2 are both \"%3\"")
                                        .arg(m_columnOfField[f] + 1)
                                        .arg(c + 1)
                                        .arg(d.name);
                m_fieldOf[c] = f;
                m_columnOfField[f] = c;
                break;
            }
        }
        if (m_fieldOf[c] < 0) {
            QStringList names;
            for (const FieldDefinition &d : m_form.fields)
                names << d.name;
            m_fileErrors << tr("Column %1 \"%2\" is not a field of the sample form (%3); rename "
                               "or remove it so nothing is lost")
                                .arg(c + 1)
                                .arg(h, names.join(QStringLiteral(", ")));
        }
    }
    for (int f = 0; f < m_form.fields.size(); ++f)
        if (m_form.fields[f].required && m_columnOfField[f] < 0)
            m_fileErrors << tr("The required column \"%1\" is missing").arg(m_form.fields[f].name);
    const int barcodeField = m_form.indexOf(QStringLiteral("barcode"));
    m_barcodeColumn = barcodeField >= 0 ? m_columnOfField[barcodeField] : -1;
}

void SampleBatch::addRow(int line, const QByteArray &text, const QList<int> &ends)
{
    const quint32 offset = quint32(m_text.size());
    m_text.append(text);
    for (int end : ends)
        m_cellEnds.append(offset + quint32(end));
    m_firstCell.append(quint32(m_cellEnds.size()));
    m_lines.append(line);
    m_rowState.append(RowValid);
}

void SampleBatch::checkRow(int row)
{
    const int cells = cellCount(row);
    if (cells != m_header.size()) {
        addIssue(row, -1,
                 tr("%n value(s)", nullptr, cells) +
                     tr("; the header has %n column(s)", nullptr, int(m_header.size())));
        return;
    }
    for (int c = 0; c < cells; ++c) {
        if (m_fieldOf[c] < 0) continue;
        const QString why = m_form.fields[m_fieldOf[c]].parse(cell(row, c));
        if (!why.isEmpty()) addIssue(row, c, why);
    }
}

int SampleBatch::cellCount(int row) const
{
    if (row < 0 || row >= rowCount()) return 0;
    return int(m_firstCell[row + 1] - m_firstCell[row]);
}

QString SampleBatch::cell(int row, int column) const
{
    if (column < 0 || column >= cellCount(row)) return {};
    const quint32 index = m_firstCell[row] + quint32(column);
    const quint32 start = index == 0 ? 0 : m_cellEnds[index - 1];
    return QString::fromUtf8(m_text.constData() + start, m_cellEnds[index] - start);
}

QStringList SampleBatch::cells(int row) const
{
    QStringList out;
    for (int c = 0; c < cellCount(row); ++c)
        out << cell(row, c);
    return out;
}

QJsonObject SampleBatch::sample(int row) const
{
    QJsonObject values;
    if (cellCount(row) != m_header.size()) return {};
    for (int c = 0; c < m_header.size(); ++c) {
        if (m_fieldOf[c] < 0) continue;
        const FieldDefinition &field = m_form.fields[m_fieldOf[c]];
        QJsonValue v;
        if (field.parse(cell(row, c), &v).isEmpty() && !v.isNull()) values.insert(field.name, v);
    }
    // Defaults fill the fields the file has no column for, as the form would.
    for (int f = 0; f < m_form.fields.size(); ++f)
        if (m_columnOfField[f] < 0 && !m_form.fields[f].defaultValue.isNull())
            values.insert(m_form.fields[f].name, m_form.fields[f].defaultValue);
    return sampleFromValues(values);
}

void SampleBatch::addIssue(int row, int column, const QString &reason)
{
    RowState &state = m_rowState[row];
    if (state == RowValid) ++m_invalidRows;
    if (column < 0) {
        state = RowBad;
    } else {
        m_badCells.insert(key(row, column));
        if (state == RowValid) state = RowBadCells;
    }
    if (m_issues.size() >= kMaxIssues) {
        ++m_issuesLeftOut;
        return;
    }
    m_issues.append(
        {m_lines[row], column + 1, column >= 0 ? m_header.value(column) : QString(), reason});
}

QString SampleBatch::barcodeOf(int row) const
{
    return m_barcodeColumn < 0 ? QString() : cell(row, m_barcodeColumn).trimmed();
}

void SampleBatch::markDuplicates()
{
    if (m_barcodeColumn < 0) return;
    // Sorting row numbers by barcode finds the duplicates without a string per row.
    auto barcodeBytes = [this](int row) {
        const quint32 index = m_firstCell[row] + quint32(m_barcodeColumn);
        const quint32 start = index == 0 ? 0 : m_cellEnds[index - 1];
        return QByteArrayView(m_text.constData() + start, m_cellEnds[index] - start).trimmed();
    };
    QList<int> order;
    for (int r = 0; r < rowCount(); ++r)
        if (!rowBad(r) && !barcodeBytes(r).isEmpty()) order.append(r);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return barcodeBytes(a) < barcodeBytes(b); });
    for (qsizetype i = 0; i < order.size();) {
        qsizetype end = i + 1;
        while (end < order.size() && barcodeBytes(order[end]) == barcodeBytes(order[i]))
            ++end;
        if (end - i > 1) {
            const QString barcode = barcodeOf(order[i]);
            // Every occurrence is marked: which one is right is the technician's call.
            for (qsizetype j = i; j < end; ++j) {
                QStringList others;
                for (qsizetype o = i; o < end; ++o)
                    if (o != j) others << QString::number(m_lines[order[o]]);
                addIssue(order[j], m_barcodeColumn,
                         tr("Barcode \"%1\" is also on line %2")
                             .arg(barcode, others.join(QStringLiteral(", "))));
            }
        }
        i = end;
    }
}

void SampleBatch::sortIssues()
{
    std::stable_sort(m_issues.begin(), m_issues.end(), [](const CsvIssue &a, const CsvIssue &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
}

void SampleBatch::markRegistered(const QSet<QString> &existing)
{
    if (m_barcodeColumn < 0 || existing.isEmpty()) return;
    for (int r = 0; r < rowCount(); ++r) {
        const QString barcode = barcodeOf(r);
        if (existing.contains(barcode))
            addIssue(r, m_barcodeColumn, tr("Barcode \"%1\" is already registered").arg(barcode));
    }
    sortIssues();
}

QStringList SampleBatch::barcodes() const
{
    QStringList out;
    if (m_barcodeColumn < 0) return out;
    for (int r = 0; r < rowCount(); ++r)
        if (const QString b = barcodeOf(r); !b.isEmpty()) out << b;
    out.removeDuplicates();
    return out;
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
    for (int r = 0; r < rowCount(); ++r)
        if (rowValid(r)) out.append(sample(r));
    return out;
}

// ---------------------------------------------------------------- the worker

CsvCheckJob::CsvCheckJob(FormDefinition form, int maxRows, QObject *parent)
    : QObject(parent), m_form(std::move(form)), m_maxRows(maxRows)
{
}

CsvCheckJob::~CsvCheckJob()
{
    if (!m_thread) return;
    // The worker looks at the flag before every row: the wait is a row's work, not the file's.
    m_state->progress.cancel = true;
    m_thread->wait();
    delete m_thread;
}

void CsvCheckJob::startFile(const QString &path)
{
    m_bytesTotal = QFile(path).size();
    start(path, {});
}

void CsvCheckJob::startBytes(const QByteArray &bytes)
{
    m_bytesTotal = bytes.size();
    start({}, bytes);
}

void CsvCheckJob::start(QString path, QByteArray bytes)
{
    if (m_thread) {
        qCWarning(lcUi) << "a CSV check job runs once; this one already started";
        return;
    }
    m_thread = QThread::create(
        [state = m_state, form = m_form, maxRows = m_maxRows, path, bytes]() mutable {
            if (!path.isEmpty()) {
                QFile file(path);
                if (!file.open(QIODevice::ReadOnly)) {
                    state->ioError = tr("Cannot read %1: %2").arg(path, file.errorString());
                    return;
                }
                bytes = file.read(kMaxFileBytes + 1);
                if (bytes.size() > kMaxFileBytes) {
                    state->ioError = tr("%1 is larger than %2 MB; a sample list of %3 rows is "
                                        "far smaller")
                                         .arg(path)
                                         .arg(kMaxFileBytes / (1024 * 1024))
                                         .arg(maxRows);
                    return;
                }
            }
            state->batch = SampleBatch::check(bytes, form, &state->progress, maxRows);
        });
    m_thread->setObjectName(QStringLiteral("csv-check"));
    connect(m_thread, &QThread::finished, this, &CsvCheckJob::finished);
    m_thread->start();
}

void CsvCheckJob::cancel()
{
    m_state->progress.cancel = true;
}

bool CsvCheckJob::running() const
{
    return m_thread && !m_thread->isFinished();
}

} // namespace alabos
