#pragma once
#include "core/domain/commands.h"

#include <optional>

#include <pqxx/connection>

namespace alabos {

struct UserAccount
{
    QString name;
    QString displayName;
    Role role = Role::Operator;
    bool needsPassword = false; // first sign-in: the user chooses a password
};

// Passwords are stored as "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64), never in clear.
QString hashPassword(const QString &password);
bool verifyPassword(const QString &password, const QString &stored);
inline constexpr int kMinPasswordLength = 8;

// Signs a user in. A wrong name and a wrong password get the same message, so the
// dialog does not tell which names exist. Every attempt is audited with the host.
std::optional<UserAccount> authenticate(pqxx::connection &connection, const QString &name,
                                        const QString &password, const QString &host,
                                        QString *error);
bool setPassword(pqxx::connection &connection, const QString &name, const QString &password,
                 const QString &host, QString *error);
// A simulated lab gets one user per role (password: the user's name), if missing.
bool ensureDemoUsers(pqxx::connection &connection, QString *error);

} // namespace alabos
