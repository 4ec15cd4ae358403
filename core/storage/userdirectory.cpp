#include "core/storage/userdirectory.h"

#include "core/security/crypto.h"
#include "core/security/passwords.h"

#include <QJsonDocument>
#include <QObject>
#include <QRegularExpression>
#include <pqxx/pqxx>

namespace alabos {

const char *const kInsertAuditRows = R"SQL(
INSERT INTO audit_log (user_name, host, action, entity_type, entity_id, detail)
SELECT left(coalesce(nullif(j->>'user', ''), '?'), 200), left(coalesce(j->>'host', ''), 255),
       j->>'action', coalesce(j->>'entity_type', ''), left(coalesce(j->>'entity_id', ''), 400),
       coalesce(j->'detail', '{}')
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(j, ord)
ORDER BY ord
)SQL";

QJsonObject auditRow(const QString &user, const QString &host, const QString &action,
                     const QString &entityType, const QString &entityId, const QJsonObject &detail,
                     const QJsonObject &signature)
{
    QJsonObject row = detail;
    if (!signature.isEmpty()) row.insert(QStringLiteral("signature"), signature);
    return {{QStringLiteral("user"), user},          {QStringLiteral("host"), host},
            {QStringLiteral("action"), action},      {QStringLiteral("entity_type"), entityType},
            {QStringLiteral("entity_id"), entityId}, {QStringLiteral("detail"), row}};
}

void auditRowsIn(pqxx::work &tx, const QJsonArray &rows)
{
    if (rows.isEmpty()) return;
    tx.exec_params0(kInsertAuditRows,
                    QJsonDocument(rows).toJson(QJsonDocument::Compact).toStdString());
}

void auditIn(pqxx::work &tx, const QString &user, const QString &host, const QString &action,
             const QString &entityType, const QString &entityId, const QJsonObject &detail,
             const QJsonObject &signature)
{
    auditRowsIn(tx, {auditRow(user, host, action, entityType, entityId, detail, signature)});
}

namespace {

void audit(pqxx::work &tx, const QString &user, const QString &host, const QString &action,
           const QString &entityId, const QJsonObject &detail, const QJsonObject &signature = {})
{
    auditIn(tx, user, host, action, QStringLiteral("user"), entityId, detail, signature);
}

QJsonObject reason(const QString &text)
{
    return {{QStringLiteral("detail"), text}};
}

QString normalName(const QString &name)
{
    return name.trimmed().toLower();
}

bool validUserName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_.-]{0,62}$"));
    return re.match(name).hasMatch();
}

void fail(QString *error, const QString &message)
{
    if (error) *error = message;
}
} // namespace

std::optional<UserAccount> authenticate(pqxx::connection &connection, const QString &name,
                                        const QString &password, const QString &host,
                                        QString *error, AuthenticationPurpose purpose)
{
    const bool signing = purpose == AuthenticationPurpose::Signature;
    const QString wrong = signing ? QObject::tr("The password is wrong.")
                                  : QObject::tr("The user name or the password is wrong.");
    const QString user = normalName(name).left(kMaxUserNameLength + 1);
    pqxx::work tx(connection);
    const pqxx::result r =
        tx.exec_params("SELECT display_name, role, password_hash, disabled, demo, "
                       "       CASE WHEN locked_until > now() THEN ceil(extract(epoch FROM "
                       "locked_until - now()) / 60)::int END, "
                       "       coalesce((SELECT created_for FROM lab_origin), 'lab') "
                       "FROM users WHERE name = $1",
                       user.toStdString());
    auto refuse = [&](const QString &why, const QString &detail) -> std::optional<UserAccount> {
        audit(tx, user, host,
              signing ? QStringLiteral("signature_refused") : QStringLiteral("sign_in_refused"),
              user, reason(detail));
        tx.commit();
        fail(error, why);
        return std::nullopt;
    };
    if (r.empty()) return refuse(wrong, QStringLiteral("unknown user"));
    if (r[0][3].as<bool>())
        return refuse(QObject::tr("This account is disabled; ask an administrator."),
                      QStringLiteral("disabled"));
    if (!r[0][5].is_null())
        return refuse(QObject::tr("This account is locked after %1 failed sign-ins; try again in "
                                  "%2 minutes or ask an administrator.")
                          .arg(kMaxSignInFailures)
                          .arg(r[0][5].as<int>()),
                      QStringLiteral("locked"));
    const bool demo = r[0][4].as<bool>();
    if (demo && r[0][6].as<std::string>() != "simulation")
        return refuse(QObject::tr("Demo accounts work only in a simulated lab's database."),
                      QStringLiteral("demo account on a lab database"));
    if (r[0][2].is_null())
        return refuse(QObject::tr("This account has no password yet: an administrator must set "
                                  "one before it can sign in."),
                      QStringLiteral("no password"));
    const QString stored = QString::fromUtf8(r[0][2].c_str());
    if (password.size() > kMaxPasswordLength || !verifyPassword(password, stored)) {
        const pqxx::row locked =
            tx.exec_params1("UPDATE users SET "
                            "  locked_until = CASE WHEN failed_sign_ins + 1 >= $2 "
                            "                 THEN now() + make_interval(mins => $3) END, "
                            "  failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE "
                            "failed_sign_ins + 1 END "
                            "WHERE name = $1 RETURNING locked_until IS NOT NULL",
                            user.toStdString(), kMaxSignInFailures, kSignInLockMinutes);
        if (locked[0].as<bool>()) {
            audit(tx, user, host, QStringLiteral("account_locked"), user,
                  reason(QStringLiteral("%1 failed sign-ins").arg(kMaxSignInFailures)));
        }
        return refuse(wrong, QStringLiteral("wrong password"));
    }
    UserAccount account;
    account.name = user;
    account.displayName = QString::fromUtf8(r[0][0].c_str());
    account.role = roleFromString(QString::fromUtf8(r[0][1].c_str())).value_or(Role::Operator);
    account.demo = demo;
    const bool rehash = !passwordHashIsCurrent(stored);
    tx.exec_params0("UPDATE users SET failed_sign_ins = 0, locked_until = NULL, "
                    "password_hash = coalesce($2, password_hash) WHERE name = $1",
                    user.toStdString(),
                    rehash ? std::optional<std::string>(hashPassword(password).toStdString())
                           : std::nullopt);
    if (!signing)
        audit(tx, user, host, QStringLiteral("sign_in"), user,
              rehash ? reason(QStringLiteral("password hash upgraded to Argon2id"))
                     : QJsonObject());
    tx.commit();
    return account;
}

bool setPassword(pqxx::connection &connection, const QString &name, const QString &password,
                 const QString &actor, const QString &host, QString *error)
{
    const QString problem = passwordProblem(password);
    if (!problem.isEmpty()) {
        fail(error, problem);
        return false;
    }
    pqxx::work tx(connection);
    const pqxx::result r = tx.exec_params(
        "UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL "
        "WHERE name = $1",
        normalName(name).toStdString(), hashPassword(password).toStdString());
    if (r.affected_rows() != 1) {
        fail(error, QObject::tr("There is no user \"%1\".").arg(name.left(kMaxUserNameLength)));
        return false;
    }
    audit(tx, actor, host, QStringLiteral("password_set"), normalName(name), {});
    tx.commit();
    return true;
}

QString decideLabOrigin(pqxx::connection &connection, bool simulated)
{
    pqxx::work tx(connection);
    tx.exec_params0("INSERT INTO lab_origin (created_for) VALUES ($1) ON CONFLICT DO NOTHING",
                    simulated ? "simulation" : "lab");
    const QString origin =
        QString::fromStdString(tx.exec1("SELECT created_for FROM lab_origin")[0].as<std::string>());
    tx.commit();
    return origin;
}

bool ensureDemoUsers(pqxx::connection &connection, QString *error)
{
    try {
        pqxx::work tx(connection);
        const pqxx::result origin = tx.exec("SELECT created_for FROM lab_origin");
        if (origin.empty() || origin[0][0].as<std::string>() != "simulation") {
            fail(error, QObject::tr("This database was not created for a simulated lab: it gets "
                                    "no demo accounts. Use a new data directory for a "
                                    "simulation."));
            return false;
        }
        for (Role role : {Role::Operator, Role::Technician, Role::Supervisor}) {
            const std::string name = toString(role).toStdString();
            tx.exec_params0("INSERT INTO users (name, display_name, role, password_hash, demo) "
                            "VALUES ($1, $2, $1, $3, true) ON CONFLICT (name) DO NOTHING",
                            name, "Demo " + name, hashPassword(toString(role)).toStdString());
        }
        tx.commit();
        return true;
    } catch (const std::exception &e) {
        fail(error, QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

std::optional<QString> ensureAdminPassword(pqxx::connection &connection, const QString &password,
                                           QString *error)
{
    try {
        pqxx::work tx(connection);
        const pqxx::result r = tx.exec(
            "SELECT 1 FROM users WHERE name = 'admin' AND password_hash IS NULL FOR UPDATE");
        if (r.empty()) return QString();
        const QString chosen = password.isEmpty() ? randomToken(15) : password;
        const QString problem = passwordProblem(chosen);
        if (!problem.isEmpty()) {
            fail(error, QObject::tr("The administrator's password: %1").arg(problem));
            return std::nullopt;
        }
        tx.exec_params0("UPDATE users SET password_hash = $1 WHERE name = 'admin'",
                        hashPassword(chosen).toStdString());
        audit(tx, QStringLiteral("admin"), QString(), QStringLiteral("password_set"),
              QStringLiteral("admin"), reason(QStringLiteral("first start")));
        tx.commit();
        return chosen;
    } catch (const std::exception &e) {
        fail(error, QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}

namespace {
// The checks user.add and user.edit share: role, display name, disabled flag.
bool readUserFields(const QJsonObject &args, std::optional<QString> *role,
                    std::optional<QString> *displayName, std::optional<bool> *disabled,
                    std::optional<QString> *password, QString *error)
{
    if (args.contains(QLatin1StringView("role"))) {
        const QString text = args.value(QLatin1StringView("role")).toString();
        if (!roleFromString(text)) {
            fail(error, QObject::tr("args.role \"%1\" is not a role (operator, technician, "
                                    "supervisor, admin)")
                            .arg(text.left(40)));
            return false;
        }
        *role = text;
    }
    if (args.contains(QLatin1StringView("display_name"))) {
        const QString text = args.value(QLatin1StringView("display_name")).toString();
        if (text.size() > kMaxDisplayNameLength) {
            fail(error, QObject::tr("args.display_name has %1 characters; at most %2 are allowed")
                            .arg(text.size())
                            .arg(kMaxDisplayNameLength));
            return false;
        }
        *displayName = text;
    }
    if (args.contains(QLatin1StringView("disabled"))) {
        if (!args.value(QLatin1StringView("disabled")).isBool()) {
            fail(error, QObject::tr("args.disabled must be true or false"));
            return false;
        }
        *disabled = args.value(QLatin1StringView("disabled")).toBool();
    }
    if (args.contains(QLatin1StringView("password"))) {
        const QString text = args.value(QLatin1StringView("password")).toString();
        const QString problem = passwordProblem(text);
        if (!problem.isEmpty()) {
            fail(error, QObject::tr("args.password: %1").arg(problem));
            return false;
        }
        *password = text;
    }
    return true;
}

std::optional<std::string> opt(const std::optional<QString> &v)
{
    return v ? std::optional<std::string>(v->toStdString()) : std::nullopt;
}
} // namespace

bool addUser(pqxx::connection &connection, const QJsonObject &args, const QString &actor,
             const QString &host, QString *error, const QJsonObject &signature)
{
    const QString name = normalName(args.value(QLatin1StringView("name")).toString());
    if (!validUserName(name)) {
        fail(error, QObject::tr("args.name \"%1\" is not a user name: a lower-case letter, then "
                                "up to 62 letters, digits, '_', '.' or '-'")
                        .arg(name.left(80)));
        return false;
    }
    std::optional<QString> role, displayName, password;
    std::optional<bool> disabled;
    if (!readUserFields(args, &role, &displayName, &disabled, &password, error)) return false;
    if (!role || !password) {
        fail(error, QObject::tr("a new user needs args.role and args.password"));
        return false;
    }
    pqxx::work tx(connection);
    const pqxx::result r = tx.exec_params(
        "INSERT INTO users (name, display_name, role, password_hash, disabled) "
        "VALUES ($1, coalesce($2, ''), $3, $4, coalesce($5, false)) ON CONFLICT (name) DO NOTHING",
        name.toStdString(), opt(displayName), role->toStdString(),
        hashPassword(*password).toStdString(), disabled);
    if (r.affected_rows() != 1) {
        fail(error, QObject::tr("There is already a user \"%1\".").arg(name));
        return false;
    }
    audit(tx, actor, host, QStringLiteral("user_added"), name,
          {{QStringLiteral("role"), *role},
           {QStringLiteral("display_name"), displayName.value_or(QString())}},
          signature);
    tx.commit();
    return true;
}

bool editUser(pqxx::connection &connection, const QString &name, const QJsonObject &args,
              const QString &actor, const QString &host, bool *endSessions, QString *error,
              const QJsonObject &signature)
{
    std::optional<QString> role, displayName, password;
    std::optional<bool> disabled;
    if (!readUserFields(args, &role, &displayName, &disabled, &password, error)) return false;
    const QString user = normalName(name);
    if (user == QLatin1StringView("admin") &&
        ((role && *role != QLatin1StringView("admin")) || disabled.value_or(false))) {
        fail(error, QObject::tr("The account \"admin\" stays an enabled administrator, so the "
                                "lab always has one."));
        return false;
    }
    pqxx::work tx(connection);
    const pqxx::result before = tx.exec_params(
        "SELECT role, disabled FROM users WHERE name = $1 FOR UPDATE", user.toStdString());
    if (before.empty()) {
        fail(error, QObject::tr("There is no user \"%1\".").arg(user.left(kMaxUserNameLength)));
        return false;
    }
    tx.exec_params0("UPDATE users SET role = coalesce($2, role), "
                    "display_name = coalesce($3, display_name), disabled = coalesce($4, disabled), "
                    "password_hash = coalesce($5, password_hash), "
                    "failed_sign_ins = CASE WHEN $5::text IS NULL THEN failed_sign_ins ELSE 0 END, "
                    "locked_until = CASE WHEN $5::text IS NULL THEN locked_until END "
                    "WHERE name = $1",
                    user.toStdString(), opt(role), opt(displayName), disabled,
                    password ? std::optional<std::string>(hashPassword(*password).toStdString())
                             : std::nullopt);
    QJsonObject detail;
    if (role) detail.insert(QStringLiteral("role"), *role);
    if (displayName) detail.insert(QStringLiteral("display_name"), *displayName);
    if (disabled) detail.insert(QStringLiteral("disabled"), *disabled);
    if (password) detail.insert(QStringLiteral("password"), QStringLiteral("changed"));
    audit(tx, actor, host, QStringLiteral("user_edited"), user, detail, signature);
    tx.commit();
    if (endSessions)
        *endSessions = password.has_value() || disabled.value_or(false) ||
                       (role && *role != QString::fromStdString(before[0][0].as<std::string>()));
    return true;
}

void auditStandalone(pqxx::connection &connection, const QString &user, const QString &host,
                     const QString &action, const QString &entityType, const QString &entityId,
                     const QJsonObject &detail)
{
    pqxx::work tx(connection);
    auditIn(tx, user, host, action, entityType, entityId, detail);
    tx.commit();
}

} // namespace alabos
