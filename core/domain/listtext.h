#pragma once
#include <QString>
#include <QStringList>

namespace alabos {

// "A, B, C and 4 more": the first `shown` names of a list for a message, so that a refusal
// names what stopped it without growing with the list. The caller orders the names.
QString firstNamesAndCount(const QStringList &names, int shown);

} // namespace alabos
