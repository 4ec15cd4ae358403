#include "core/domain/listtext.h"

#include <QObject>

namespace alabos {

QString firstNamesAndCount(const QStringList &names, int shown)
{
    QString text = names.mid(0, shown).join(QStringLiteral(", "));
    if (names.size() > shown)
        text += QObject::tr(" and %n more", nullptr, int(names.size() - shown));
    return text;
}

} // namespace alabos
