#include "core/storage/apitokenstore.h"

#include "core/storage/userdirectory.h"

#include <QJsonObject>
#include <QObject>
#include <pqxx/pqxx>

namespace alabos {

namespace {
constexpr int kMaxListed = 1000;

qint64 micros(const pqxx::field &f)
{
    return f.is_null() ? 0 : f.as<qint64>();
}

QString text(const pqxx::field &f)
{
    return f.is_null() ? QString() : QString::fromStdString(f.as<std::string>());
}

// Timestamps as microseconds since the epoch, as every other time in alabos.
#define ALABOS_US(column) "(extract(epoch FROM " column ") * 1000000)::bigint"
} // namespace

std::optional<NewApiToken> createApiToken(pqxx::connection &connection, const QString &user,
                                          const QString &name, int days, const QString &host,
                                          QString *error, const QJsonObject &signature)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > kMaxApiTokenNameLength) {
        if (error)
            *error = QObject::tr("args.name must be 1 to %1 characters (it is %2)")
                         .arg(kMaxApiTokenNameLength)
                         .arg(trimmed.size());
        return std::nullopt;
    }
    if (days < 1 || days > kMaxApiTokenDays) {
        if (error)
            *error = QObject::tr("args.expiresInDays must be 1 to %1 (it is %2)")
                         .arg(kMaxApiTokenDays)
                         .arg(days);
        return std::nullopt;
    }
    const NewApiToken token = generateApiToken();
    pqxx::work tx(connection);
    const pqxx::result r =
        tx.exec_params("INSERT INTO api_tokens (id, user_name, name, secret_hash, expires_at) "
                       "SELECT $1, name, $3, $4, now() + make_interval(days => $5) FROM users "
                       "WHERE name = $2 AND NOT disabled RETURNING " ALABOS_US("expires_at"),
                       token.id.toStdString(), user.toStdString(), trimmed.toStdString(),
                       pqxx::binarystring(token.hash.constData(), size_t(token.hash.size())), days);
    if (r.empty()) {
        if (error) *error = QObject::tr("There is no enabled user \"%1\".").arg(user.left(63));
        return std::nullopt;
    }
    auditIn(tx, user, host, QStringLiteral("api_token_created"), QStringLiteral("api_token"),
            token.id,
            {{QStringLiteral("name"), trimmed},
             {QStringLiteral("expires_us"), r[0][0].as<qint64>()},
             {QStringLiteral("days"), days}},
            signature);
    tx.commit();
    return token;
}

bool revokeApiToken(pqxx::connection &connection, const QString &tokenId, const QString &actor,
                    Role actorRole, const QString &host, QString *error,
                    const QJsonObject &signature)
{
    pqxx::work tx(connection);
    const pqxx::result r = tx.exec_params(
        "SELECT user_name, revoked_at IS NOT NULL FROM api_tokens WHERE id = $1 FOR UPDATE",
        tokenId.toStdString());
    const bool admin = roleAllows(actorRole, QString::fromLatin1(permission::UserAdmin));
    // Someone else's token is "not found" to a non-administrator: ids are not for guessing.
    if (r.empty() || (!admin && text(r[0][0]) != actor)) {
        if (error) *error = QObject::tr("You have no API token \"%1\".").arg(tokenId.left(40));
        return false;
    }
    if (r[0][1].as<bool>()) {
        if (error) *error = QObject::tr("The API token \"%1\" is revoked already.").arg(tokenId);
        return false;
    }
    tx.exec_params0("UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1",
                    tokenId.toStdString(), actor.left(200).toStdString());
    auditIn(tx, actor, host, QStringLiteral("api_token_revoked"), QStringLiteral("api_token"),
            tokenId, {{QStringLiteral("owner"), text(r[0][0])}}, signature);
    tx.commit();
    return true;
}

QJsonArray listApiTokens(pqxx::connection &connection, const QString &user, bool everyone)
{
    pqxx::read_transaction tx(connection);
    const pqxx::result r = tx.exec_params(
        "SELECT id, user_name, name, " ALABOS_US("created_at") ", " ALABOS_US(
            "expires_at") ", " ALABOS_US("last_used_at") ", " ALABOS_US("revoked_at") ", "
                                                                                      "revoked_by, "
                                                                                      "CASE WHEN "
                                                                                      "revoked_at "
                                                                                      "IS NOT NULL "
                                                                                      "THEN "
                                                                                      "'revoked' "
                                                                                      "WHEN "
                                                                                      "expires_at "
                                                                                      "<= now() "
                                                                                      "THEN "
                                                                                      "'expired' "
                                                                                      "ELSE "
                                                                                      "'active' "
                                                                                      "END FROM "
                                                                                      "api_tokens "
                                                                                      "WHERE $1 OR "
                                                                                      "user_name = "
                                                                                      "$2 "
                                                                                      "ORDER BY "
                                                                                      "created_at "
                                                                                      "DESC, id "
                                                                                      "LIMIT $3",
        everyone, user.toStdString(), kMaxListed);
    QJsonArray list;
    for (const auto &row : r)
        list.append(QJsonObject{{QStringLiteral("id"), text(row[0])},
                                {QStringLiteral("user"), text(row[1])},
                                {QStringLiteral("name"), text(row[2])},
                                {QStringLiteral("created_us"), micros(row[3])},
                                {QStringLiteral("expires_us"), micros(row[4])},
                                {QStringLiteral("last_used_us"), micros(row[5])},
                                {QStringLiteral("revoked_us"), micros(row[6])},
                                {QStringLiteral("revoked_by"), text(row[7])},
                                {QStringLiteral("state"), text(row[8])}});
    return list;
}

QList<ApiTokenRecord> loadActiveApiTokens(pqxx::connection &connection)
{
    pqxx::read_transaction tx(connection);
    const pqxx::result r = tx.exec(
        "SELECT t.id, t.secret_hash, t.user_name, u.display_name, u.role, u.disabled, " ALABOS_US(
            "t.expires_at") " FROM api_tokens t JOIN users u ON u.name = t.user_name "
                            "WHERE t.revoked_at IS NULL AND t.expires_at > now()");
    QList<ApiTokenRecord> records;
    records.reserve(r.size());
    for (const auto &row : r) {
        ApiTokenRecord rec;
        rec.id = text(row[0]);
        const pqxx::binarystring hash(row[1]);
        rec.hash = QByteArray(reinterpret_cast<const char *>(hash.data()), qsizetype(hash.size()));
        rec.user = text(row[2]);
        rec.displayName = text(row[3]);
        const std::optional<Role> role = roleFromString(text(row[4]));
        if (!role) continue; // the users table's check allows no other
        rec.role = *role;
        rec.userDisabled = row[5].as<bool>();
        rec.expiresUs = row[6].as<qint64>();
        records.append(rec);
    }
    return records;
}

void recordApiTokenUse(pqxx::connection &connection, const QHash<QString, qint64> &lastUsedUs)
{
    if (lastUsedUs.isEmpty()) return;
    pqxx::work tx(connection);
    for (auto it = lastUsedUs.cbegin(); it != lastUsedUs.cend(); ++it)
        tx.exec_params0("UPDATE api_tokens SET last_used_at = to_timestamp($2 / 1000000.0) "
                        "WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < "
                        "to_timestamp($2 / 1000000.0))",
                        it.key().toStdString(), it.value());
    tx.commit();
}

} // namespace alabos
