#include "core/api/readaudit.h"

#include "core/api/router.h"

namespace alabos {

void ReadAudit::record(const ApiCaller &caller, const QString &route, const QString &address,
                       int status, qint64 nowUs)
{
    static const QChar kSeparator(0x1f);
    QString key = caller.tokenId + kSeparator + route + kSeparator + address;
    std::lock_guard lock(m_mutex);
    auto it = m_counts.find(key);
    if (it == m_counts.end()) {
        ApiReadSummary s{caller.tokenId, caller.user, route, address, 0, {}, nowUs, nowUs};
        if (m_counts.size() >= kMaxKeys) {
            key = caller.tokenId + kSeparator + u'*' + kSeparator + u'*';
            s.route = s.address = QStringLiteral("*");
            it = m_counts.find(key);
        }
        if (it == m_counts.end()) it = m_counts.insert(key, s);
    }
    ++it->count;
    ++it->statuses[status];
    it->lastUs = nowUs;
}

QList<ApiReadSummary> ReadAudit::take()
{
    QHash<QString, ApiReadSummary> taken;
    {
        std::lock_guard lock(m_mutex);
        taken.swap(m_counts);
    }
    return taken.values();
}

} // namespace alabos
