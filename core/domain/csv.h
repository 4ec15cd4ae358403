#pragma once
// CSV both ways. csvCell writes one cell of a CSV file alabos writes for people to open in a
// spreadsheet. Quoted when it holds a separator, a quote or a line break; and a text a
// spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, as
// in "=cmd|' /C calc'!A0") gets a leading apostrophe, so it is shown, never run. Numbers are
// written by the caller as numbers, not through here.
// CsvReader reads one (RFC 4180, UTF-8 with or without BOM, comma or semicolon) a record at a
// time, so a caller can stop at its own limit without holding the rest; parseCsv reads a
// whole file within fixed limits. The sample import (ui/csvimport.h) maps records to form
// fields. Free of widgets so it is tested and fuzzed on its own.
#include <QByteArray>
#include <QByteArrayView>
#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace alabos {

QString csvCell(const QString &text);

// One record as the reader hands it out: its cells' UTF-8, unescaped, cell i ending at
// ends[i].
struct CsvRecord
{
    QByteArray text;
    QList<int> ends;
    int line = 0; // the CSV line the record starts on (the header is line 1)

    QString cell(int i) const;
};

// Reads records one at a time from UTF-8 bytes. Delimiters, quotes and line breaks are ASCII,
// so the bytes are split as they are and only the cells are decoded; every line is checked
// to be UTF-8 as the reader passes it. The bytes must outlive the reader.
class CsvReader
{
public:
    explicit CsvReader(QByteArrayView data);
    char delimiter() const { return m_delimiter; }
    qsizetype position() const { return m_pos; }
    QString error() const { return m_error; }
    // The next record; false at the end of the data or on an error (then error() says it).
    bool next(CsvRecord &record);

private:
    bool fail(const QString &why);
    // The line ending at m_pos (a '\n' or the end) must be UTF-8: name it, so the person
    // can find it.
    bool endOfPhysicalLine();
    // The one of ',' and ';' that occurs more often in the header line, outside quotes.
    char detectDelimiter() const;

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;         // the CSV line: CR, LF and CRLF end one, outside quotes
    int m_physicalLine = 1; // the text line: LF ends one
    char m_delimiter = ',';
    QString m_error;
};

struct CsvTable
{
    // Beyond these a file is not a list a person keeps in a spreadsheet: refused with a
    // message instead of being held in memory.
    static constexpr qsizetype kMaxBytes = 16 * 1024 * 1024;
    static constexpr int kMaxRecords = 10000; // the header included
    static constexpr int kMaxColumns = 1000;

    QChar delimiter;
    QStringList header;
    QList<QStringList> records;
    QList<int> lines; // the file line each record starts on (the header is line 1)
};

// Parses a whole file. On failure `error` says where (line, column) and why.
std::optional<CsvTable> parseCsv(const QByteArray &bytes, QString *error);

} // namespace alabos
