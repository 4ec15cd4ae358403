// Who may command the lab (SECURITY.md): the scheduler opens a session at
// sign-in and every command is checked against it here, before it reaches the engine, the
// alarms, sample registration or the account service. Kept apart from labruntime.cpp, which
// composes the lab.
#include "app/labruntime.h"
#include "core/bus/commandchannel.h"
#include "core/bus/streamsigning.h"
#include "core/domain/logging.h"
#include "core/security/crypto.h"
#include "core/storage/accountservice.h"
#include "core/storage/userdirectory.h"

#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <pqxx/pqxx>

namespace alabos {

bool LabRuntime::prepareAccounts(QString *error)
{
    if (!initCrypto()) {
        *error = tr("libsodium could not be initialised");
        return false;
    }
    const QString keyPath = m_options.dataDir + QStringLiteral("/keys/scheduler.ed25519");
    std::optional<SigningKey> key = SigningKey::loadOrCreate(keyPath, error);
    if (!key) return false;
    m_signingKey = std::make_shared<const SigningKey>(std::move(*key));
    m_trustedKeys->add(m_signingKey->publicKey());
    m_sessions = std::make_shared<SessionRegistry>();
    m_signatures = std::make_shared<SignatureAuthority>(); // its policy read by the accounts
    try {
        pqxx::connection c(m_databaseConnection.toStdString());
        const QString origin = decideLabOrigin(c, !m_options.simulate.isEmpty());
        if (!m_options.simulate.isEmpty()) {
            QString why;
            if (!ensureDemoUsers(c, &why)) qCWarning(lcApp).noquote() << "no demo accounts:" << why;
        }
        QString password;
        if (!m_options.adminPasswordFile.isEmpty()) {
            QFile file(m_options.adminPasswordFile);
            if (!file.open(QIODevice::ReadOnly)) {
                *error = tr("cannot read the admin password file %1: %2")
                             .arg(m_options.adminPasswordFile, file.errorString());
                return false;
            }
            password = QString::fromUtf8(file.readLine(1024)).trimmed();
            if (QFileInfo(file).permissions() & (QFile::ReadGroup | QFile::ReadOther))
                qCWarning(lcApp).noquote()
                    << "the admin password file" << m_options.adminPasswordFile
                    << "may be read by other users: chmod 600 it";
        } else if (!m_options.headless) {
            // The console asks for it; nobody can sign in as admin until it is set.
            const pqxx::result r = pqxx::nontransaction(c).exec(
                "SELECT 1 FROM users WHERE name = 'admin' AND password_hash IS NULL");
            m_adminPasswordMissing = !r.empty();
            return true;
        }
        const std::optional<QString> set = ensureAdminPassword(c, password, error);
        if (!set) return false;
        if (!set->isEmpty() && password.isEmpty()) m_generatedAdminPassword = *set;
        if (!set->isEmpty())
            qCInfo(lcApp).noquote() << QStringLiteral("the administrator account \"admin\" of this "
                                                      "%1 database was given its first password")
                                           .arg(origin);
    } catch (const std::exception &e) {
        *error = tr("Cannot prepare the accounts: %1").arg(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
    return true;
}

bool LabRuntime::setFirstAdminPassword(const QString &password, QString *error)
{
    if (!m_adminPasswordMissing) {
        *error = tr("The administrator already has a password.");
        return false;
    }
    try {
        pqxx::connection c(m_databaseConnection.toStdString());
        const std::optional<QString> set = ensureAdminPassword(c, password, error);
        if (!set) return false;
        m_adminPasswordMissing = false;
        return true;
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what()).trimmed();
        return false;
    }
}

void LabRuntime::startAccounts()
{
    m_accountsThread = startThread("accounts");
    m_accounts = new AccountService(m_databaseConnection, m_sessions, m_apiTokens);
    m_accounts->moveToThread(m_accountsThread);
    // Blocking: no command is taken before the signature policy is known.
    QMetaObject::invokeMethod(
        m_accounts, [a = m_accounts, signatures = m_signatures] { a->setSignatures(signatures); },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(m_accounts, [a = m_accounts, key = m_signingKey] {
        a->startAnchoring(key);
        a->startTokenRefresh();
    });
    connect(m_accounts, &AccountService::signedIn, this, &LabRuntime::onSignedIn);
    connect(m_accounts, &AccountService::commandSigned, this, &LabRuntime::routeCommand);
    connect(m_accounts, &AccountService::commandReplied, this, &LabRuntime::commandReplied);
}

void LabRuntime::stopAccounts()
{
    if (!m_accounts) return;
    QMetaObject::invokeMethod(
        m_accounts, [a = m_accounts] { delete a; }, Qt::BlockingQueuedConnection);
    m_accounts = nullptr;
    m_accountsThread->quit();
    m_accountsThread->wait();
}

SignaturePolicy LabRuntime::signaturePolicy() const
{
    return m_signatures ? m_signatures->policy() : SignaturePolicy::defaults();
}

int LabRuntime::openSessions() const
{
    return m_sessions ? m_sessions->size() : 0;
}

void LabRuntime::signIn(const SignInRequest &request, QObject *context,
                        std::function<void(const SignInResult &)> done)
{
    const qint64 id = m_nextSignIn++;
    m_signIns.insert(id, {QPointer<QObject>(context), std::move(done)});
    if (m_commandClient) {
        QMetaObject::invokeMethod(m_commandClient,
                                  [c = m_commandClient, id, request] { c->signIn(id, request); });
    } else if (m_accounts) {
        SignInRequest local = request;
        local.consoleId = QString::fromLatin1(kLocalConsole);
        QMetaObject::invokeMethod(m_accounts,
                                  [a = m_accounts, id, local] { a->signIn(id, local); });
    } else {
        onSignedIn(id, {false, tr("Sign-in is not possible: the lab is not running"), {}});
    }
}

void LabRuntime::onSignedIn(qint64 requestId, const SignInResult &result)
{
    const PendingSignIn pending = m_signIns.take(requestId);
    if (!pending.done) return; // another console's, answered by the command server
    SignInResult shown = result;
    shown.session.key.clear(); // the window needs who, not the secret
    if (QObject *context = pending.context.data())
        QMetaObject::invokeMethod(context, [done = pending.done, shown] { done(shown); });
}

void LabRuntime::signOut(const QString &sessionId)
{
    if (sessionId.isEmpty()) return;
    if (m_commandClient)
        QMetaObject::invokeMethod(m_commandClient,
                                  [c = m_commandClient, sessionId] { c->signOut(sessionId); });
    else if (m_accounts)
        QMetaObject::invokeMethod(
            m_accounts, [a = m_accounts, sessionId] { a->signOut(sessionId, QString()); });
}

std::optional<OperatorCommand> LabRuntime::authorize(const OperatorCommand &command)
{
    QString why;
    std::optional<Session> session =
        m_sessions ? m_sessions->find(command.session, &why) : std::nullopt;
    if (!m_sessions) why = tr("this process does not run the scheduler");
    // This process' own console uses only sessions opened for it; one from another console
    // arrives here only through the command server, which proved it (origin set).
    if (session && command.origin.isEmpty() &&
        session->consoleId != QLatin1StringView(kLocalConsole)) {
        why = tr("the session belongs to another console");
        session.reset();
    }
    if (!session) {
        const QString message = tr("%1 refused: %2").arg(command.kind.left(100), why);
        if (m_accounts)
            QMetaObject::invokeMethod(m_accounts, [a = m_accounts, command, message] {
                a->auditRefusal(command, message);
            });
        Q_EMIT commandReplied({command.id, false, message, {}});
        return std::nullopt;
    }
    OperatorCommand checked = command;
    checked.user = session->user;
    checked.role = session->role;
    checked.host = session->host;
    if (const QString tooMuch = checked.limitsError(); !tooMuch.isEmpty()) {
        const QString &message = tooMuch;
        if (m_accounts)
            QMetaObject::invokeMethod(m_accounts, [a = m_accounts, checked, message] {
                a->auditRefusal(checked, message);
            });
        Q_EMIT commandReplied({command.id, false, message, {}});
        return std::nullopt;
    }
    return checked;
}

} // namespace alabos
