#pragma once
// What API callers read, for the audit trail. A change through the API is an operator command
// and audited one by one; a read is counted instead (token, route, client address), thousands
// a second, and the counts are written to the audit trail every few seconds, one row each.
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <mutex>

namespace alabos {

struct ApiCaller;

struct ApiReadSummary
{
    QString tokenId;
    QString user;
    QString route;   // the route as declared: "/api/v1/devices/{id}"
    QString address; // the client's address, without its port
    quint64 count = 0;
    QMap<int, quint64> statuses; // answers by HTTP status
    qint64 firstUs = 0;
    qint64 lastUs = 0;
};

class ReadAudit
{
public:
    // Distinct (token, route, address) held between two takes; beyond, reads are counted
    // under their token with route and address "*".
    static constexpr qsizetype kMaxKeys = 10000;

    // Any thread.
    void record(const ApiCaller &caller, const QString &route, const QString &address, int status,
                qint64 nowUs);
    // What was counted since the last take, and a fresh start.
    QList<ApiReadSummary> take();

private:
    std::mutex m_mutex;
    QHash<QString, ApiReadSummary> m_counts;
};

} // namespace alabos
