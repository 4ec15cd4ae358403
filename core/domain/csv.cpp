#include "core/domain/csv.h"

#include <QCoreApplication>
#include <algorithm>

namespace alabos {

QString csvCell(const QString &text)
{
    QString cell = text;
    if (!cell.isEmpty() && QStringView(u"=+-@\t\r").contains(cell.front())) cell.prepend(u'\'');
    if (!cell.contains(u',') && !cell.contains(u'"') && !cell.contains(u'\n') &&
        !cell.contains(u'\r'))
        return cell;
    return u'"' + cell.replace(u'"', QLatin1StringView("\"\"")) + u'"';
}

namespace {
QString csvTr(const char *text)
{
    return QCoreApplication::translate("alabos::CsvImport", text);
}
} // namespace

QString CsvRecord::cell(int i) const
{
    const int start = i == 0 ? 0 : ends[i - 1];
    return QString::fromUtf8(text.constData() + start, ends[i] - start);
}

CsvReader::CsvReader(QByteArrayView data) : m_data(data)
{
    if (m_data.startsWith("\xEF\xBB\xBF")) m_pos = m_lineStart = 3;
    m_delimiter = detectDelimiter();
}

bool CsvReader::next(CsvRecord &record)
{
    record.text.clear();
    record.ends.clear();
    const qsizetype size = m_data.size();
    const char *d = m_data.data();
    bool quoted = false, afterQuote = false, fieldStarted = false;
    qsizetype fieldStart = 0;
    int recordLine = m_line;
    auto endField = [&] {
        record.ends.append(int(record.text.size()));
        fieldStart = record.text.size();
        afterQuote = false;
        fieldStarted = false;
    };
    // A line with nothing on it is not a record (blank lines, the final newline).
    auto blank = [&] { return record.ends.size() == 1 && record.text.isEmpty(); };
    for (; m_pos < size; ++m_pos) {
        const char c = d[m_pos];
        if (c == '\n' && !endOfPhysicalLine()) return false;
        if (quoted) {
            if (c == '"') {
                if (m_pos + 1 < size && d[m_pos + 1] == '"') {
                    record.text.append('"');
                    ++m_pos;
                } else {
                    quoted = false;
                    afterQuote = true;
                }
            } else {
                if (c == '\n') ++m_line;
                record.text.append(c);
            }
            continue;
        }
        if (c == m_delimiter) {
            endField();
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && m_pos + 1 < size && d[m_pos + 1] == '\n') {
                ++m_pos;
                if (!endOfPhysicalLine()) return false;
            }
            endField();
            ++m_line;
            if (!blank()) {
                ++m_pos;
                record.line = recordLine;
                return true;
            }
            record.text.clear();
            record.ends.clear();
            fieldStart = 0;
            recordLine = m_line;
        } else if (afterQuote) {
            return fail(csvTr("Line %1, column %2: text after a closing quote; a quote "
                              "inside a quoted value is written twice (\"\")")
                            .arg(m_line)
                            .arg(record.ends.size() + 1));
        } else if (c == '"') {
            if (fieldStarted)
                return fail(csvTr("Line %1, column %2: a quote in the middle of a value; "
                                  "quote the whole value and write the quote twice (\"\")")
                                .arg(m_line)
                                .arg(record.ends.size() + 1));
            quoted = true;
            fieldStarted = true;
        } else {
            record.text.append(c);
            fieldStarted = true;
        }
    }
    if (!endOfPhysicalLine()) return false;
    if (quoted)
        return fail(csvTr("Line %1, column %2: a quoted value is never closed")
                        .arg(recordLine)
                        .arg(record.ends.size() + 1));
    if (record.ends.isEmpty() && record.text.size() == fieldStart && !afterQuote && !fieldStarted)
        return false;
    endField();
    if (blank()) return false;
    record.line = recordLine;
    return true;
}

bool CsvReader::fail(const QString &why)
{
    m_error = why;
    m_pos = m_data.size();
    return false;
}
bool CsvReader::endOfPhysicalLine()
{
    if (m_lineStart > m_data.size()) return true; // the end, already checked
    if (!m_data.sliced(m_lineStart, std::min(m_pos, m_data.size()) - m_lineStart).isValidUtf8())
        return fail(csvTr("Line %1 is not UTF-8 text. Save the file as \"CSV UTF-8\".")
                        .arg(m_physicalLine));
    ++m_physicalLine;
    m_lineStart = m_pos + 1;
    return true;
}
char CsvReader::detectDelimiter() const
{
    int commas = 0, semicolons = 0;
    bool quoted = false;
    for (qsizetype i = m_pos; i < m_data.size(); ++i) {
        const char c = m_data[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            ++commas;
        else if (!quoted && c == ';')
            ++semicolons;
    }
    return semicolons > commas ? ';' : ',';
}

std::optional<CsvTable> parseCsv(const QByteArray &bytes, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) *error = why;
        return std::nullopt;
    };
    if (bytes.size() > CsvTable::kMaxBytes)
        return fail(csvTr("The file has %1 bytes; a CSV file of at most %2 bytes is read")
                        .arg(bytes.size())
                        .arg(CsvTable::kMaxBytes));
    CsvReader reader(bytes);
    CsvTable table;
    table.delimiter = QLatin1Char(reader.delimiter());
    CsvRecord record;
    int count = 0;
    while (reader.next(record)) {
        if (record.ends.size() > CsvTable::kMaxColumns)
            return fail(csvTr("Line %1 has more than %2 columns")
                            .arg(record.line)
                            .arg(CsvTable::kMaxColumns));
        if (++count > CsvTable::kMaxRecords)
            return fail(csvTr("The file has more than %1 rows (line %2)")
                            .arg(CsvTable::kMaxRecords)
                            .arg(record.line));
        QStringList cells;
        cells.reserve(record.ends.size());
        for (int c = 0; c < record.ends.size(); ++c)
            cells << record.cell(c);
        if (count == 1) {
            for (QString &h : cells)
                h = h.trimmed();
            table.header = cells;
        } else {
            table.records.append(cells);
            table.lines.append(record.line);
        }
    }
    if (!reader.error().isEmpty()) return fail(reader.error());
    if (count == 0) return fail(csvTr("The file is empty"));
    return table;
}

} // namespace alabos
