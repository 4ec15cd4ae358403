#pragma once
// Who may send commands: the sessions the scheduler opened at sign-in. A command names its
// session; the scheduler takes user, role and host from the session, never from the
// message. A session from another console also proves each command with an HMAC under
// the session's key (which crossed the broker only sealed to that console) and a counter
// that only grows, so a command read off the topic cannot be replayed or altered.
// Kept in the scheduler's memory only: a scheduler restart ends every session.
#include "core/domain/commands.h"

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QMutex>
#include <QString>
#include <optional>

namespace alabos {

struct Session
{
    QString id;     // public: travels with every command
    QByteArray key; // secret: the MAC key of a console on another process
    QString user;
    QString displayName;
    Role role = Role::Operator;
    QString host;
    QString consoleId; // "local" for the scheduler's own console
    qint64 createdUs = 0;
    qint64 expiresUs = 0;
    quint64 lastCounter = 0;
};

inline constexpr auto kLocalConsole = "local";

struct SignInRequest
{
    QString user;
    QString password;
    QString newPassword; // non-empty: change the password as part of this sign-in
    QString host;
    QString consoleId; // kLocalConsole for the scheduler's own console
};

struct SignInResult
{
    bool ok = false;
    QString message; // for a person: why not
    Session session; // ok: the session opened (its key only where the console needs it)
};

void registerSessionMetaTypes();
inline constexpr qint64 kSessionLifetimeUs = 12LL * 3600 * 1000 * 1000; // one long shift

class SessionRegistry
{
public:
    explicit SessionRegistry(qint64 lifetimeUs = kSessionLifetimeUs);

    Session open(const QString &user, const QString &displayName, Role role, const QString &host,
                 const QString &consoleId);
    // A live session by id; nullopt with the reason (for a person) when there is none.
    std::optional<Session> find(const QString &id, QString *why) const;
    // A command from another console: its session must be that console's, its counter
    // above every earlier one, and its MAC the HMAC of `signedBytes` under the session key.
    std::optional<Session> verify(const QString &id, const QString &consoleId, quint64 counter,
                                  QByteArrayView signedBytes, QByteArrayView mac, QString *why);
    bool close(const QString &id);
    // Ends every session of a user (disabled, role changed, password changed); the count.
    int closeUser(const QString &user);
    int size() const;

private:
    mutable QMutex m_mutex;
    qint64 m_lifetimeUs;
    mutable QHash<QString, Session> m_sessions;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::SignInRequest)
Q_DECLARE_METATYPE(alabos::SignInResult)
