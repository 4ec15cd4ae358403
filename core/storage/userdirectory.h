#pragma once
// The users table: accounts, their password hashes (core/security/passwords.h), failed
// sign-ins and locks, and the audit rows of what happens to them. Only the scheduler's
// account service calls these (sign-in is the scheduler's decision, never a console's).
#include "core/domain/commands.h"

#include <QJsonArray>
#include <QJsonObject>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction>

namespace alabos {

struct UserAccount
{
    QString name;
    QString displayName;
    Role role = Role::Operator;
    bool demo = false;
};

inline constexpr int kMaxSignInFailures = 5;  // then the account is locked...
inline constexpr int kSignInLockMinutes = 15; // ...for this long
inline constexpr int kMaxDisplayNameLength = 200;
inline constexpr int kMaxUserNameLength = 63;

// Signs a user in. A wrong name and a wrong password get the same message, so the
// dialog does not tell which names exist. Every attempt is audited with the host; failures
// count towards a lock. An account without a password never signs in; a demo account signs
// in only on a database created for a simulated lab. A PBKDF2 hash is replaced by Argon2id.
// A signature's password check (SignatureAuthority) follows the same rules and counts
// towards the same lock, so the signature dialog is no way around it; its refusals are
// audited as signature_refused, and a success is recorded by the signed command's own row.
enum class AuthenticationPurpose
{
    SignIn,
    Signature
};
std::optional<UserAccount>
authenticate(pqxx::connection &connection, const QString &name, const QString &password,
             const QString &host, QString *error,
             AuthenticationPurpose purpose = AuthenticationPurpose::SignIn);
// Sets a password (checked against passwordProblem()) and clears a lock; audited as `actor`.
bool setPassword(pqxx::connection &connection, const QString &name, const QString &password,
                 const QString &actor, const QString &host, QString *error);

// What the database was created for: decided once, by the first start that finds it
// undecided ("simulation" when that start runs a simulated lab, else "lab").
QString decideLabOrigin(pqxx::connection &connection, bool simulated);
// A simulated lab's database gets one demo user per role (password: the user's name),
// marked as demo accounts. Refused on any other database.
bool ensureDemoUsers(pqxx::connection &connection, QString *error);
// The administrator of a fresh database has no password. Sets `password` when given,
// else a generated one, and returns what was set; empty when admin already has one.
std::optional<QString> ensureAdminPassword(pqxx::connection &connection, const QString &password,
                                           QString *error);

// user.add / user.edit, checked (names, roles, lengths) and audited as `actor`, with the
// command's electronic signature when it has one. `args`: name, display_name, role,
// disabled, password. *endSessions is set when the change must end the user's sessions
// (disabled, role or password changed).
bool addUser(pqxx::connection &connection, const QJsonObject &args, const QString &actor,
             const QString &host, QString *error, const QJsonObject &signature = {});
bool editUser(pqxx::connection &connection, const QString &name, const QJsonObject &args,
              const QString &actor, const QString &host, bool *endSessions, QString *error,
              const QJsonObject &signature = {});

// One audit row in the caller's transaction: what it records commits with what it did. An
// electronic signature of the command that did it is stored in the detail as `signature`.
void auditIn(pqxx::work &tx, const QString &user, const QString &host, const QString &action,
             const QString &entityType, const QString &entityId, const QJsonObject &detail,
             const QJsonObject &signature = {});
// Audit rows in the caller's transaction, in their order, in one statement: each an object
// with "user", "host", "action", "entity_type", "entity_id" and "detail" (the form
// kInsertAuditRows reads), built by auditRow.
QJsonObject auditRow(const QString &user, const QString &host, const QString &action,
                     const QString &entityType, const QString &entityId, const QJsonObject &detail,
                     const QJsonObject &signature = {});
void auditRowsIn(pqxx::work &tx, const QJsonArray &rows);
// The statement: $1 is a jsonb array of such objects. An empty user is "?", and texts are cut
// to the columns' limits.
extern const char *const kInsertAuditRows;
// One audit row in its own transaction: for refusals that change nothing else.
void auditStandalone(pqxx::connection &connection, const QString &user, const QString &host,
                     const QString &action, const QString &entityType, const QString &entityId,
                     const QJsonObject &detail);

} // namespace alabos
