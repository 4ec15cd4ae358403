#include "core/storage/accountservice.h"

#include "core/domain/logging.h"
#include "core/storage/apitokenstore.h"
#include "core/storage/audittrail.h"
#include "core/storage/pgutil.h"
#include "core/storage/signaturestore.h"
#include "core/storage/userdirectory.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>
#include <pqxx/pqxx>

namespace alabos {

AccountService::AccountService(QString connection, std::shared_ptr<SessionRegistry> sessions,
                               std::shared_ptr<ApiTokenDirectory> apiTokens, QObject *parent)
    : QObject(parent), m_connectionString(std::move(connection)), m_sessions(std::move(sessions)),
      m_apiTokens(std::move(apiTokens))
{
    registerSessionMetaTypes();
    registerCommandMetaTypes();
}

AccountService::~AccountService()
{
    anchorAudit();
}

void AccountService::startAnchoring(std::shared_ptr<const SigningKey> key, int intervalMs)
{
    m_key = std::move(key);
    if (!m_anchorTimer) {
        m_anchorTimer = new QTimer(this);
        QObject::connect(m_anchorTimer, &QTimer::timeout, this, &AccountService::anchorAudit);
    }
    m_anchorTimer->start(intervalMs);
}

void AccountService::anchorAudit()
{
    if (!m_key) return;
    try {
        QString error;
        if (connect(&error)) anchorAuditTrail(*m_connection, *m_key);
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "the audit trail was not signed this time:" << e.what();
    }
}

void AccountService::setSignatures(std::shared_ptr<SignatureAuthority> signatures)
{
    m_signatures = std::move(signatures);
    loadSignaturePolicy();
}

void AccountService::loadSignaturePolicy()
{
    if (!m_signatures) return;
    try {
        QString error;
        if (!connect(&error)) {
            qCWarning(lcStorage).noquote() << "the signature policy was not read:" << error;
            return;
        }
        m_signatures->setPolicy(alabos::loadSignaturePolicy(*m_connection));
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "the signature policy was not read:" << e.what();
    }
}

void AccountService::sign(const OperatorCommand &command)
{
    OperatorCommand signedCommand = command;
    const SignatureRequest request = std::exchange(signedCommand.signatureRequest, {});
    QString refusal;
    try {
        QString error;
        if (!m_signatures) {
            refusal = tr("this process makes no signatures");
        } else if (!SignaturePolicy::signable(command.kind)) {
            refusal = tr("%1 cannot be signed: it changes nothing and leaves no record to sign")
                          .arg(command.kind);
        } else if (refusal = m_signatures->requestProblem(request); !refusal.isEmpty()) {
        } else if (!connect(&error)) {
            refusal = error;
        } else if (const std::optional<UserAccount> account =
                       authenticate(*m_connection, command.user, request.password, command.host,
                                    &error, AuthenticationPurpose::Signature)) {
            signedCommand.signature =
                m_signatures->sign(signedCommand, account->displayName, request);
            Q_EMIT commandSigned(signedCommand);
            return;
        } else {
            refusal = error;
        }
    } catch (const std::exception &e) {
        m_connection.reset();
        refusal = QString::fromUtf8(e.what()).trimmed();
    }
    const QString message =
        tr("%1 refused: the signature was not accepted: %2").arg(command.kind, refusal);
    try {
        QString error;
        if (connect(&error))
            auditStandalone(*m_connection, command.user, command.host,
                            QStringLiteral("command_refused"), QStringLiteral("command"),
                            command.kind,
                            // Not the arguments: user.add's carry a password.
                            {{QStringLiteral("entity_id"), command.entityId},
                             {QStringLiteral("message"), message}});
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "refusal not audited:" << e.what();
    }
    Q_EMIT commandReplied({command.id, false, message, {}});
}

void AccountService::startTokenRefresh(int intervalMs)
{
    if (!m_tokenTimer) {
        m_tokenTimer = new QTimer(this);
        QObject::connect(m_tokenTimer, &QTimer::timeout, this, &AccountService::refreshApiTokens);
    }
    m_tokenTimer->start(intervalMs);
    refreshApiTokens();
}

void AccountService::refreshApiTokens()
{
    if (!m_apiTokens) return;
    try {
        QString error;
        if (!connect(&error)) {
            qCWarning(lcStorage).noquote() << "API tokens not refreshed:" << error;
            return;
        }
        recordApiTokenUse(*m_connection, m_apiTokens->takeLastUsed());
        m_apiTokens->replace(loadActiveApiTokens(*m_connection));
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "API tokens not refreshed:" << e.what();
    }
}

bool AccountService::handleToken(const OperatorCommand &command, CommandReply *reply,
                                 QString *error)
{
    const QString &kind = command.kind;
    if (kind == QLatin1StringView("token.create")) {
        // The reply carries the token. A reply to another console crosses the broker signed
        // but not encrypted, readable by anyone who reads alabos.commands: so a token is made
        // only at the scheduler's own console, where the reply stays in this process.
        if (!command.origin.isEmpty()) {
            *error = tr("API tokens are created at the scheduler's console only: a token in "
                        "the reply would cross the message broker readable");
            return false;
        }
        const QJsonValue days = command.args.value(QLatin1StringView("expiresInDays"));
        const double d = days.toDouble(-1);
        if (!days.isDouble() || d != double(qint64(d))) {
            *error = tr("args.expiresInDays must be a whole number of days, 1 to %1")
                         .arg(kMaxApiTokenDays);
            return false;
        }
        const std::optional<NewApiToken> token = createApiToken(
            *m_connection, command.user, command.args.value(QLatin1StringView("name")).toString(),
            int(qBound<double>(-1, d, 100000)), command.host, error,
            SignatureAuthority::shown(command.signature));
        if (!token) return false;
        reply->data = {{QStringLiteral("id"), token->id},
                       {QStringLiteral("token"), token->plaintext}};
        reply->message = tr("API token %1 created").arg(token->id);
        return true;
    }
    if (kind == QLatin1StringView("token.revoke")) {
        const QString id = command.args.value(QLatin1StringView("tokenId")).toString();
        if (!revokeApiToken(*m_connection, id, command.user, command.role, command.host, error,
                            SignatureAuthority::shown(command.signature)))
            return false;
        reply->message = tr("API token %1 revoked").arg(id);
        return true;
    }
    if (kind == QLatin1StringView("token.list")) {
        const bool everyone = roleAllows(command.role, QString::fromLatin1(permission::UserAdmin));
        const QJsonArray list = listApiTokens(*m_connection, command.user, everyone);
        reply->data = {{QStringLiteral("tokens"), list}};
        reply->message = tr("%n API token(s)", nullptr, int(list.size()));
        return true;
    }
    *error = tr("unknown command \"%1\"").arg(kind);
    return false;
}

bool AccountService::connect(QString *error)
{
    return connectIfNeeded(m_connection, m_connectionString, "accounts", error);
}

void AccountService::signIn(qint64 requestId, const SignInRequest &request)
{
    SignInResult result;
    QString error;
    try {
        if (!connect(&error)) {
            result.message = tr("Sign-in is not possible now: %1").arg(error);
        } else if (const std::optional<UserAccount> account = authenticate(
                       *m_connection, request.user, request.password, request.host, &error)) {
            if (request.newPassword.isEmpty() ||
                setPassword(*m_connection, account->name, request.newPassword, account->name,
                            request.host, &error)) {
                if (!request.newPassword.isEmpty()) m_sessions->closeUser(account->name);
                result.ok = true;
                result.session = m_sessions->open(account->name, account->displayName,
                                                  account->role, request.host, request.consoleId);
            } else {
                result.message = error;
            }
        } else {
            result.message = error;
        }
    } catch (const std::exception &e) {
        m_connection.reset();
        result.message =
            tr("Sign-in is not possible now: %1").arg(QString::fromUtf8(e.what()).trimmed());
    }
    Q_EMIT signedIn(requestId, result);
}

void AccountService::signOut(const QString &sessionId, const QString &host)
{
    QString why;
    const std::optional<Session> session = m_sessions->find(sessionId, &why);
    if (!session || !m_sessions->close(sessionId)) return;
    try {
        QString error;
        if (connect(&error))
            auditStandalone(*m_connection, session->user, host, QStringLiteral("sign_out"),
                            QStringLiteral("user"), session->user, {});
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "sign-out not audited:" << e.what();
    }
}

void AccountService::handleCommand(const OperatorCommand &command)
{
    CommandReply reply{command.id, false, {}, {}};
    try {
        QString error;
        const QString needed = OperatorCommand::requiredPermission(command.kind);
        if (!connect(&error)) {
            reply.message = tr("%1 was not run: %2").arg(command.kind, error);
        } else if (needed.isEmpty()) {
            reply.message = tr("unknown command \"%1\"").arg(command.kind);
        } else if (!roleAllows(command.role, needed)) {
            reply.message = tr("%1 refused: %2 (%3) lacks the permission \"%4\"")
                                .arg(command.kind, command.user, toString(command.role), needed);
        } else if (const QString unsigned_ =
                       m_signatures ? m_signatures->check(command) : QString();
                   !unsigned_.isEmpty()) {
            reply.message = unsigned_;
            reply.data = {{QStringLiteral("signature_policy"), m_signatures->policy().toJson()}};
        } else if (command.kind == QLatin1StringView("signature.policy")) {
            const std::optional<SignaturePolicy> policy =
                SignaturePolicy::fromJson(command.args, &error);
            if (!m_signatures) {
                reply.message = tr("this process keeps no signature policy");
            } else if (!policy) {
                reply.message = tr("signature.policy refused: %1").arg(error);
            } else {
                saveSignaturePolicy(*m_connection, *policy, command.user, command.host,
                                    SignatureAuthority::shown(command.signature));
                m_signatures->setPolicy(*policy);
                reply.ok = true;
                reply.data = policy->toJson();
                reply.message = tr("signature policy saved: %n command kind(s) need a signature",
                                   nullptr, int(policy->kinds.size()));
            }
        } else if (command.kind.startsWith(QLatin1StringView("token."))) {
            reply.ok = handleToken(command, &reply, &error);
            if (!reply.ok) reply.message = error;
            if (reply.ok && command.kind != QLatin1StringView("token.list")) refreshApiTokens();
        } else if (command.kind == QLatin1StringView("user.add")) {
            reply.ok = addUser(*m_connection, command.args, command.user, command.host, &error,
                               SignatureAuthority::shown(command.signature));
            reply.message = reply.ok
                                ? tr("user %1 added")
                                      .arg(command.args.value(QLatin1StringView("name")).toString())
                                : error;
        } else if (command.kind == QLatin1StringView("user.edit")) {
            bool endSessions = false;
            reply.ok =
                editUser(*m_connection, command.entityId, command.args, command.user, command.host,
                         &endSessions, &error, SignatureAuthority::shown(command.signature));
            if (reply.ok) {
                const int ended =
                    endSessions ? m_sessions->closeUser(command.entityId.trimmed().toLower()) : 0;
                refreshApiTokens(); // a disabled user's tokens fail, a new role counts
                reply.message = ended ? tr("user %1 changed; %2 session(s) ended")
                                            .arg(command.entityId)
                                            .arg(ended)
                                      : tr("user %1 changed").arg(command.entityId);
            } else {
                reply.message = error;
            }
        } else {
            reply.message = tr("unknown command \"%1\"").arg(command.kind);
        }
        if (!reply.ok && connect(&error))
            auditStandalone(*m_connection, command.user, command.host,
                            QStringLiteral("command_refused"), QStringLiteral("command"),
                            command.kind,
                            {{QStringLiteral("entity_id"), command.entityId},
                             {QStringLiteral("message"), reply.message}});
    } catch (const std::exception &e) {
        m_connection.reset();
        reply.ok = false;
        reply.message =
            tr("%1 was not run: %2").arg(command.kind, QString::fromUtf8(e.what()).trimmed());
    }
    // The reply shows what was signed, as the audit row does.
    if (reply.ok && !command.signature.isEmpty())
        reply.data.insert(QStringLiteral("signature"),
                          SignatureAuthority::shown(command.signature));
    Q_EMIT commandReplied(reply);
}

void AccountService::auditRefusal(const OperatorCommand &command, const QString &reason)
{
    try {
        QString error;
        if (!connect(&error)) {
            qCWarning(lcStorage).noquote() << "refusal not audited:" << error;
            return;
        }
        // The claimed user is recorded as a claim: nothing proved it.
        auditStandalone(*m_connection, QStringLiteral("?"), command.host,
                        QStringLiteral("command_refused"), QStringLiteral("command"),
                        command.kind.left(100),
                        {{QStringLiteral("claimed_user"), command.user.left(100)},
                         {QStringLiteral("entity_id"), command.entityId.left(200)},
                         {QStringLiteral("origin"), command.origin.left(200)},
                         {QStringLiteral("message"), reason}});
    } catch (const std::exception &e) {
        m_connection.reset();
        qCWarning(lcStorage).noquote() << "refusal not audited:" << e.what();
    }
}

} // namespace alabos
