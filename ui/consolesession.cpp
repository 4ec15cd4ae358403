#include "ui/consolesession.h"

#include "core/domain/types.h"

#include <QHostInfo>

namespace alabos {

ConsoleSession::ConsoleSession(QObject *parent)
    : QObject(parent), m_host(QHostInfo::localHostName())
{
    registerCommandMetaTypes();
}

bool ConsoleSession::can(const char *permission) const
{
    return isLoggedIn() && roleAllows(m_role, QString::fromLatin1(permission));
}

void ConsoleSession::setIdentity(const QString &user, Role role, const QString &sessionId)
{
    if (!m_sessionId.isEmpty() && m_sessionId != sessionId) Q_EMIT signedOut(m_sessionId);
    m_user = user;
    m_role = role;
    m_sessionId = sessionId;
    Q_EMIT identityChanged();
}

void ConsoleSession::logout()
{
    if (!m_sessionId.isEmpty()) Q_EMIT signedOut(m_sessionId);
    m_sessionId.clear();
    m_user.clear();
    Q_EMIT identityChanged();
}

qint64 ConsoleSession::send(const QString &kind, const QString &entityId, const QJsonObject &args,
                            ReplyHandler done)
{
    OperatorCommand c;
    c.id = m_nextId++;
    c.user = m_user;
    c.host = m_host;
    c.role = m_role;
    c.session = m_sessionId;
    c.kind = kind;
    c.entityId = entityId;
    c.args = args;
    c.timeUs = nowMicros();
    if (done) m_pending.insert(c.id, std::move(done));
    if (m_policy && m_signer) {
        const SignaturePolicy policy = m_policy();
        if (policy.needsSignature(kind)) {
            const std::optional<SignatureRequest> signature = m_signer(c, policy);
            if (!signature) {
                // Answered like a refusal, after this call returns, as a real reply would be.
                const CommandReply declined{
                    c.id,
                    false,
                    tr("%1 was not sent: it needs your electronic signature").arg(kind),
                    {}};
                QMetaObject::invokeMethod(
                    this, [this, declined] { onReply(declined); }, Qt::QueuedConnection);
                return c.id;
            }
            c.signatureRequest = *signature;
        }
    }
    Q_EMIT commandIssued(c);
    return c.id;
}

void ConsoleSession::setSignatures(PolicySource policy, Signer signer)
{
    m_policy = std::move(policy);
    m_signer = std::move(signer);
}

SignaturePolicy ConsoleSession::signaturePolicy() const
{
    return m_policy ? m_policy() : SignaturePolicy::defaults();
}

void ConsoleSession::onReply(const CommandReply &reply)
{
    if (ReplyHandler handler = m_pending.take(reply.commandId)) handler(reply);
    Q_EMIT replied(reply);
}

} // namespace alabos
