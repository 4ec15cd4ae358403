#include "core/security/sessions.h"

#include "core/domain/types.h"
#include "core/security/crypto.h"

#include <QObject>

namespace alabos {

void registerSessionMetaTypes()
{
    qRegisterMetaType<SignInRequest>();
    qRegisterMetaType<SignInResult>();
}

SessionRegistry::SessionRegistry(qint64 lifetimeUs) : m_lifetimeUs(lifetimeUs) {}

Session SessionRegistry::open(const QString &user, const QString &displayName, Role role,
                              const QString &host, const QString &consoleId)
{
    Session s;
    s.id = randomToken(18);
    s.key = randomBytes(32);
    s.user = user;
    s.displayName = displayName;
    s.role = role;
    s.host = host;
    s.consoleId = consoleId;
    s.createdUs = nowMicros();
    s.expiresUs = s.createdUs + m_lifetimeUs;
    QMutexLocker lock(&m_mutex);
    m_sessions.insert(s.id, s);
    return s;
}

std::optional<Session> SessionRegistry::find(const QString &id, QString *why) const
{
    if (id.isEmpty()) {
        if (why) *why = QObject::tr("the command carries no session: sign in first");
        return std::nullopt;
    }
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end()) {
        if (why)
            *why = QObject::tr("the session is not open (signed out, ended by an administrator, "
                               "or the scheduler restarted): sign in again");
        return std::nullopt;
    }
    if (it->expiresUs <= nowMicros()) {
        m_sessions.erase(it);
        if (why) *why = QObject::tr("the session has expired: sign in again");
        return std::nullopt;
    }
    return *it;
}

std::optional<Session> SessionRegistry::verify(const QString &id, const QString &consoleId,
                                               quint64 counter, QByteArrayView signedBytes,
                                               QByteArrayView mac, QString *why)
{
    std::optional<Session> s = find(id, why);
    if (!s) return std::nullopt;
    if (s->consoleId != consoleId) {
        if (why) *why = QObject::tr("the session belongs to another console");
        return std::nullopt;
    }
    if (!sameBytes(hmacSha256(s->key, signedBytes), mac)) {
        if (why) *why = QObject::tr("the command's proof of its session is wrong");
        return std::nullopt;
    }
    QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end()) {
        if (why) *why = QObject::tr("the session ended");
        return std::nullopt;
    }
    if (counter <= it->lastCounter) {
        if (why) *why = QObject::tr("the command was already received once (a replay)");
        return std::nullopt;
    }
    it->lastCounter = counter;
    return *it;
}

bool SessionRegistry::close(const QString &id)
{
    QMutexLocker lock(&m_mutex);
    return m_sessions.remove(id) > 0;
}

int SessionRegistry::closeUser(const QString &user)
{
    QMutexLocker lock(&m_mutex);
    int n = 0;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->user == user) {
            it = m_sessions.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    return n;
}

int SessionRegistry::size() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_sessions.size());
}

} // namespace alabos
