#pragma once
// The scheduler's side of sign-in and user administration, on its own thread and database
// connection (Argon2id takes tens of milliseconds; neither the engine nor a window waits).
// It opens sessions in the shared SessionRegistry, ends them at sign-out and when an
// administrator disables a user, changes a role or a password, and audits every attempt.
// It also owns API tokens (token.* commands) and keeps the ApiTokenDirectory the REST API
// verifies against current: read at start, after each change here, and every 10 s, so a
// token revoked or a user disabled or re-roled by another process counts within 10 s.
#include "core/domain/commands.h"
#include "core/security/apitokens.h"
#include "core/security/sessions.h"
#include "core/security/signatures.h"

#include <QObject>
#include <memory>
#include <pqxx/connection>

class QTimer;

namespace alabos {

class SigningKey;

class AccountService : public QObject
{
    Q_OBJECT
public:
    AccountService(QString connection, std::shared_ptr<SessionRegistry> sessions,
                   std::shared_ptr<ApiTokenDirectory> apiTokens = {}, QObject *parent = nullptr);
    ~AccountService() override;

    // Signs the audit trail's newest hash every `intervalMs` (core/storage/audittrail.h).
    void startAnchoring(std::shared_ptr<const SigningKey> key, int intervalMs = 10000);

    // Electronic signatures: the policy is read now into `signatures` and replaced by
    // signature.policy; sign() checks a command's password for its session's user.
    void setSignatures(std::shared_ptr<SignatureAuthority> signatures);

    // Reads the active tokens into the directory every `intervalMs` (and once now), writing
    // back when tokens were last used.
    void startTokenRefresh(int intervalMs = 10000);

public Q_SLOTS:
    void anchorAudit();
    void refreshApiTokens();
    void signIn(qint64 requestId, const alabos::SignInRequest &request);
    void signOut(const QString &sessionId, const QString &host);
    // user.add, user.edit and token.*, from a command whose session the gate has checked;
    // the role's permission is checked here.
    void handleCommand(const alabos::OperatorCommand &command);
    // A command the gate refused before it reached anyone: audited here.
    void auditRefusal(const alabos::OperatorCommand &command, const QString &reason);
    // Re-authenticates the user of the command's session with the password the command
    // carries and makes its signature (core/security/signatures.h): commandSigned with the
    // signature in place of the password, or a refusal (audited) on commandReplied.
    void sign(const alabos::OperatorCommand &command);
    void loadSignaturePolicy();

Q_SIGNALS:
    void signedIn(qint64 requestId, const alabos::SignInResult &result);
    void commandReplied(const alabos::CommandReply &reply);
    void commandSigned(const alabos::OperatorCommand &command);

private:
    bool connect(QString *error);
    bool handleToken(const OperatorCommand &command, CommandReply *reply, QString *error);

    QString m_connectionString;
    std::shared_ptr<SessionRegistry> m_sessions;
    std::unique_ptr<pqxx::connection> m_connection;
    std::shared_ptr<const SigningKey> m_key;
    QTimer *m_anchorTimer = nullptr;
    std::shared_ptr<ApiTokenDirectory> m_apiTokens;
    QTimer *m_tokenTimer = nullptr;
    std::shared_ptr<SignatureAuthority> m_signatures;
};

} // namespace alabos
