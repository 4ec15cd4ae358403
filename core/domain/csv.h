#pragma once
// CSV both ways. csvCell writes one cell of a CSV file alabos writes for people to open in a
// spreadsheet. Quoted when it holds a separator, a quote or a line break; and a text a
// spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, as
// in "=cmd|' /C calc'!A0") gets a leading apostrophe, so it is shown, never run. Numbers are
// written by the caller as numbers, not through here.
// parseCsv reads one (RFC 4180, UTF-8 with or without BOM, comma or semicolon): the sample
// import (ui/csvimport.h) maps it to form fields. Free of widgets so it is tested and fuzzed
// on its own.
#include <QByteArray>
#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace alabos {

QString csvCell(const QString &text);

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
