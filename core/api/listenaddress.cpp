#include "core/api/listenaddress.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace alabos {

bool validListenAddress(const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+):(\\d{1,5})$"));
    const auto m = form.match(text);
    if (!m.hasMatch() || m.captured(2).toInt() > 65535) return false;
    QString host = m.captured(1);
    if (host.startsWith(u'['))
        return QHostAddress(host.mid(1, host.size() - 2)).protocol() ==
               QAbstractSocket::IPv6Protocol;
    if (QHostAddress(host).protocol() == QAbstractSocket::IPv4Protocol) return true;
    static const QRegularExpression name(QStringLiteral(
        "^[A-Za-z0-9]([A-Za-z0-9\\-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9\\-]{0,62}))*$"));
    // Four dotted numbers that are no IPv4 address are a typo, not a host name.
    static const QRegularExpression numeric(QStringLiteral("^[0-9.]+$"));
    return host.size() <= 253 && name.match(host).hasMatch() && !numeric.match(host).hasMatch();
}

} // namespace alabos
