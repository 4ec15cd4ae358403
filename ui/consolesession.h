#pragma once
#include "core/domain/commands.h"
#include "core/security/signatures.h"

#include <QHash>
#include <QObject>
#include <functional>

namespace alabos {

// Who sits at this console, and the one way its widgets ask the lab for anything: an
// OperatorCommand carrying the session the scheduler opened at sign-in. The scheduler takes
// user and role from that session (the fields here only drive what the UI enables), the
// engine checks the permission and audits; the reply comes back by id.
class ConsoleSession : public QObject
{
    Q_OBJECT
public:
    using ReplyHandler = std::function<void(const CommandReply &)>;

    explicit ConsoleSession(QObject *parent = nullptr);

    QString user() const { return m_user; }
    Role role() const { return m_role; }
    QString host() const { return m_host; }
    bool isLoggedIn() const { return !m_user.isEmpty(); }
    // What the UI enables; the engine refuses the same things on its side.
    bool can(const char *permission) const;

    // Electronic signatures: `policy` says (every time, so a change counts at once) which
    // command kinds need one; `signer` asks the person (SignatureDialog::signer) and gives
    // nothing when they decline, and the command is then not sent. Not set: nothing is asked
    // and the scheduler refuses what needs a signature.
    using PolicySource = std::function<SignaturePolicy()>;
    using Signer = std::function<std::optional<SignatureRequest>(const OperatorCommand &command,
                                                                 const SignaturePolicy &policy)>;
    void setSignatures(PolicySource policy, Signer signer);
    SignaturePolicy signaturePolicy() const;

    // Sends a command; `done` runs on the UI thread with the reply. Returns its id. A kind
    // that needs a signature is signed first (see setSignatures).
    qint64 send(const QString &kind, const QString &entityId, const QJsonObject &args = {},
                ReplyHandler done = {});

public Q_SLOTS:
    void setIdentity(const QString &user, alabos::Role role, const QString &sessionId);
    void logout();
    void onReply(const alabos::CommandReply &reply);

Q_SIGNALS:
    void commandIssued(const alabos::OperatorCommand &command);
    void identityChanged();
    void signedOut(const QString &sessionId);
    void replied(const alabos::CommandReply &reply);

private:
    QString m_user;
    QString m_host;
    QString m_sessionId;
    Role m_role = Role::Operator;
    qint64 m_nextId = 1;
    QHash<qint64, ReplyHandler> m_pending;
    PolicySource m_policy;
    Signer m_signer;
};

} // namespace alabos
