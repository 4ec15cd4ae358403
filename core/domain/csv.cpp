#include "core/domain/csv.h"

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

} // namespace alabos
