#include "core/domain/csv.h"

#include <QCoreApplication>
#include <QStringDecoder>

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

// The delimiter is the one of ',' and ';' that occurs more often in the header line,
// outside quotes.
QChar detectDelimiter(const QString &text)
{
    int commas = 0, semicolons = 0;
    bool quoted = false;
    for (QChar c : text) {
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        else if (!quoted && (c == QLatin1Char('\n') || c == QLatin1Char('\r')))
            break;
        else if (!quoted && c == QLatin1Char(','))
            ++commas;
        else if (!quoted && c == QLatin1Char(';'))
            ++semicolons;
    }
    return semicolons > commas ? QLatin1Char(';') : QLatin1Char(',');
}
} // namespace

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
    QByteArray data = bytes;
    if (data.startsWith("\xEF\xBB\xBF")) data.remove(0, 3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(data);
    if (decoder.hasError()) {
        // Name the first line that is not UTF-8, so the person can find it.
        int line = 1;
        for (const QByteArray &l : data.split('\n')) {
            QStringDecoder d(QStringDecoder::Utf8);
            const QString decoded = d(l); // decoding happens on conversion
            if (d.hasError()) break;
            ++line;
        }
        return fail(csvTr("Line %1 is not UTF-8 text. Save the file as \"CSV UTF-8\".").arg(line));
    }
    CsvTable table;
    table.delimiter = detectDelimiter(text);
    QList<QStringList> records;
    QList<int> lines;
    QStringList record;
    QString field;
    int line = 1, column = 1, recordLine = 1;
    bool quoted = false, afterQuote = false, fieldStarted = false;
    QString limitError;
    auto endField = [&] {
        if (record.size() >= CsvTable::kMaxColumns && limitError.isEmpty())
            limitError =
                csvTr("Line %1 has more than %2 columns").arg(line).arg(CsvTable::kMaxColumns);
        record.append(field);
        field.clear();
        afterQuote = false;
        fieldStarted = false;
        ++column;
    };
    auto endRecord = [&] {
        endField();
        // A line with nothing on it is not a record (blank lines, the final newline).
        if (!(record.size() == 1 && record.first().isEmpty())) {
            records.append(record);
            lines.append(recordLine);
            if (records.size() > CsvTable::kMaxRecords && limitError.isEmpty())
                limitError = csvTr("The file has more than %1 rows (line %2)")
                                 .arg(CsvTable::kMaxRecords)
                                 .arg(recordLine);
        }
        record.clear();
        column = 1;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                    afterQuote = true;
                }
            } else {
                if (c == QLatin1Char('\n')) ++line;
                field += c;
            }
            continue;
        }
        if (c == table.delimiter) {
            endField();
            if (!limitError.isEmpty()) return fail(limitError);
        } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            endRecord();
            if (!limitError.isEmpty()) return fail(limitError);
            ++line;
            recordLine = line;
        } else if (afterQuote) {
            return fail(csvTr("Line %1, column %2: text after a closing quote; a quote inside a "
                              "quoted value is written twice (\"\")")
                            .arg(line)
                            .arg(column));
        } else if (c == QLatin1Char('"')) {
            if (fieldStarted)
                return fail(csvTr("Line %1, column %2: a quote in the middle of a value; quote the "
                                  "whole value and write the quote twice (\"\")")
                                .arg(line)
                                .arg(column));
            quoted = true;
            fieldStarted = true;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted)
        return fail(csvTr("Line %1, column %2: a quoted value is never closed")
                        .arg(recordLine)
                        .arg(column));
    if (!record.isEmpty() || !field.isEmpty() || afterQuote) endRecord();
    if (!limitError.isEmpty()) return fail(limitError);
    if (records.isEmpty()) return fail(csvTr("The file is empty"));
    table.header = records.takeFirst();
    lines.removeFirst();
    for (QString &h : table.header)
        h = h.trimmed();
    table.records = std::move(records);
    table.lines = std::move(lines);
    return table;
}

} // namespace alabos
