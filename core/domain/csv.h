#pragma once
// One cell of a CSV file alabos writes for people to open in a spreadsheet. Quoted when it
// holds a separator, a quote or a line break; and a text a spreadsheet would run as a formula
// (starting with =, +, -, @, a tab or a carriage return, as in "=cmd|' /C calc'!A0") gets a
// leading apostrophe, so it is shown, never run. Numbers are written by the caller as
// numbers, not through here.
#include <QString>

namespace alabos {

QString csvCell(const QString &text);

} // namespace alabos
