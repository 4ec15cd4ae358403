#pragma once
// The api_tokens table (migration 0013): tokens created, revoked and listed by the token.*
// commands, each change audited in its own transaction, and the active tokens read for the
// ApiTokenDirectory. Only the scheduler's account service calls these.
#include "core/domain/commands.h"
#include "core/security/apitokens.h"

#include <QJsonArray>
#include <QList>
#include <optional>
#include <pqxx/connection>

namespace alabos {

// Checks name (1..100 characters, not blank) and days (1..365) and stores a new token of
// `user`, audited as api_token_created (its id, name and expiry, the command's signature when
// it has one; never the token). The plaintext is returned once, for the reply. nullopt with a
// message naming the field.
std::optional<NewApiToken> createApiToken(pqxx::connection &connection, const QString &user,
                                          const QString &name, int days, const QString &host,
                                          QString *error, const QJsonObject &signature = {});
// Revokes a token: its owner may, and anyone whose role has user_admin. Audited as
// api_token_revoked, with the command's signature when it has one.
bool revokeApiToken(pqxx::connection &connection, const QString &tokenId, const QString &actor,
                    Role actorRole, const QString &host, QString *error,
                    const QJsonObject &signature = {});
// The tokens of `user`, or every user's when `everyone`: id, user, name, created_us,
// expires_us, last_used_us, revoked_us, revoked_by, state (active/expired/revoked). Never a
// hash. Newest first, at most 1,000.
QJsonArray listApiTokens(pqxx::connection &connection, const QString &user, bool everyone);
// Every token not revoked and not expired, with its user's current role and whether the user
// is disabled: what ApiTokenDirectory::replace takes.
QList<ApiTokenRecord> loadActiveApiTokens(pqxx::connection &connection);
// Writes when tokens were last used (from ApiTokenDirectory::takeLastUsed).
void recordApiTokenUse(pqxx::connection &connection, const QHash<QString, qint64> &lastUsedUs);

} // namespace alabos
