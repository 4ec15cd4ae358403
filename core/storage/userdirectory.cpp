#include "core/storage/userdirectory.h"

#include <QObject>
#include <QPasswordDigestor>
#include <QRandomGenerator>

#include <pqxx/pqxx>

namespace alabos {

namespace {
constexpr int kIterations = 100000;

QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt,
                                              iterations, 32);
}

void audit(pqxx::work &tx, const QString &user, const QString &host, const char *action,
           const QString &detail)
{
    tx.exec_params0("INSERT INTO audit_log (user_name, host, action, entity_type, entity_id, detail) "
                    "VALUES ($1, $2, $3, 'user', $1, jsonb_build_object('detail', $4::text))",
                    (user.isEmpty() ? QStringLiteral("?") : user).toStdString(), host.toStdString(),
                    action, detail.toStdString());
}
} // namespace

QString hashPassword(const QString &password)
{
    QByteArray salt(16, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), 4);
    return QStringLiteral("pbkdf2-sha256$%1$%2$%3")
        .arg(kIterations)
        .arg(QString::fromLatin1(salt.toBase64()),
             QString::fromLatin1(derive(password, salt, kIterations).toBase64()));
}

bool verifyPassword(const QString &password, const QString &stored)
{
    const QStringList parts = stored.split(u'$');
    if (parts.size() != 4 || parts[0] != QLatin1StringView("pbkdf2-sha256"))
        return false;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1000)
        return false;
    const QByteArray expected = QByteArray::fromBase64(parts[3].toLatin1());
    const QByteArray actual = derive(password, QByteArray::fromBase64(parts[2].toLatin1()), iterations);
    // Constant-time comparison: no early exit on the first differing byte.
    if (expected.size() != actual.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < actual.size(); ++i)
        diff |= static_cast<unsigned char>(expected[i] ^ actual[i]);
    return diff == 0;
}

std::optional<UserAccount> authenticate(pqxx::connection &connection, const QString &name,
                                        const QString &password, const QString &host,
                                        QString *error)
{
    const QString wrong = QObject::tr("The user name or the password is wrong.");
    pqxx::work tx(connection);
    const pqxx::result r = tx.exec_params(
        "SELECT display_name, role, password_hash, disabled FROM users WHERE name = $1",
        name.trimmed().toLower().toStdString());
    auto refuse = [&](const QString &why, const char *action) -> std::optional<UserAccount> {
        audit(tx, name.trimmed().toLower(), host, action, why);
        tx.commit();
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (r.empty())
        return refuse(wrong, "sign_in_refused");
    if (r[0][3].as<bool>())
        return refuse(QObject::tr("This account is disabled; ask an administrator."), "sign_in_refused");
    UserAccount account;
    account.name = name.trimmed().toLower();
    account.displayName = QString::fromUtf8(r[0][0].c_str());
    account.role = roleFromString(QString::fromUtf8(r[0][1].c_str())).value_or(Role::Operator);
    if (r[0][2].is_null()) {
        account.needsPassword = true;
    } else if (!verifyPassword(password, QString::fromUtf8(r[0][2].c_str()))) {
        return refuse(wrong, "sign_in_refused");
    }
    audit(tx, account.name, host, "sign_in", account.needsPassword ? QStringLiteral("first sign-in") : QString());
    tx.commit();
    return account;
}

bool setPassword(pqxx::connection &connection, const QString &name, const QString &password,
                 const QString &host, QString *error)
{
    if (password.size() < kMinPasswordLength) {
        if (error)
            *error = QObject::tr("A password needs at least %1 characters.").arg(kMinPasswordLength);
        return false;
    }
    pqxx::work tx(connection);
    const pqxx::result r = tx.exec_params("UPDATE users SET password_hash = $2 WHERE name = $1",
                                          name.toStdString(), hashPassword(password).toStdString());
    if (r.affected_rows() != 1) {
        if (error)
            *error = QObject::tr("There is no user \"%1\".").arg(name);
        return false;
    }
    audit(tx, name, host, "password_set", QString());
    tx.commit();
    return true;
}

bool ensureDemoUsers(pqxx::connection &connection, QString *error)
{
    try {
        pqxx::work tx(connection);
        for (Role role : {Role::Operator, Role::Technician, Role::Supervisor}) {
            const std::string name = toString(role).toStdString();
            tx.exec_params0("INSERT INTO users (name, display_name, role, password_hash) "
                            "VALUES ($1, $2, $1, $3) ON CONFLICT (name) DO NOTHING",
                            name, "Demo " + name, hashPassword(toString(role)).toStdString());
        }
        tx.commit();
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what()).trimmed();
        return false;
    }
}

} // namespace alabos
