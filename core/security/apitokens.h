#pragma once
// API tokens: what a program presents to the REST API instead of a person's session. A user
// creates one in the console (shown once, stored as a hash, revocable, with an expiry); a
// request bearing it acts as that user with the user's current role, through the same
// permission check and audit trail as a click.
//
// Format: "alabos_<id>_<secret>", id = 12 characters of base64url (9 random bytes), secret
// = 43 characters of base64url without padding (32 random bytes). The id finds the record;
// only the secret's hash is stored.
#include "core/domain/commands.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>
#include <shared_mutex>

namespace alabos {

inline constexpr int kApiTokenIdLength = 12;
inline constexpr int kApiTokenSecretLength = 43;
inline constexpr int kApiTokenLength = 7 + kApiTokenIdLength + 1 + kApiTokenSecretLength;
inline constexpr int kApiTokenHashBytes = 32;
inline constexpr int kMaxApiTokenNameLength = 100;
inline constexpr int kMaxApiTokenDays = 365;
inline constexpr int kDefaultApiTokenDays = 90;

struct ApiTokenParts
{
    QString id;
    QByteArray secret; // the 32 decoded bytes
};

struct NewApiToken
{
    QString id;
    QString plaintext; // "alabos_<id>_<secret>": shown once, never stored
    QByteArray hash;   // what is stored
};

// A fresh token (libsodium randombytes). initCrypto() must have run.
NewApiToken generateApiToken();
// Strict: the prefix, the exact lengths, only base64url characters, and a secret that
// decodes to 32 bytes. nullopt with a reason for the server's log otherwise.
std::optional<ApiTokenParts> parseApiToken(QByteArrayView token, QString *why);
// BLAKE2b-256 of the secret's bytes.
QByteArray hashApiTokenSecret(QByteArrayView secret);
// Constant time for equal sizes; false for different sizes.
bool apiTokenHashesEqual(QByteArrayView a, QByteArrayView b);

// One token as the directory knows it: what verify() needs, nothing more.
struct ApiTokenRecord
{
    QString id;
    QByteArray hash;
    QString user;
    QString displayName;
    Role role = Role::Operator; // the user's current role
    bool userDisabled = false;
    qint64 expiresUs = 0;
    bool revoked = false;
};

struct ApiPrincipal
{
    QString tokenId;
    QString user;
    QString displayName;
    Role role = Role::Operator;
};

// The tokens the API accepts, read by many HTTP threads at once and replaced now and then by
// its owner (the account service). replace() builds a new immutable map and swaps it in under
// a short exclusive lock; verify() copies the shared pointer under a shared lock and works on
// that snapshot, so a verification never waits for a database read and allocates nothing
// beyond the principal it returns.
class ApiTokenDirectory
{
public:
    ApiTokenDirectory() = default;
    ApiTokenDirectory(const ApiTokenDirectory &) = delete;
    ApiTokenDirectory &operator=(const ApiTokenDirectory &) = delete;

    // The principal a bearer token stands for. nullopt when it is malformed, unknown,
    // revoked, expired, its secret wrong or its user disabled: *why is then always "invalid
    // or expired token" (never telling whether the id exists); the server's log says which.
    std::optional<ApiPrincipal> verify(QByteArrayView bearerToken, qint64 nowUs,
                                       QString *why) const;
    void replace(const QList<ApiTokenRecord> &records);
    int size() const;

    // When each token was last accepted (microseconds), for the owner to write to the
    // database now and then; only tokens used since the previous call.
    QHash<QString, qint64> takeLastUsed() const;

private:
    struct Entry
    {
        ApiTokenRecord record;
        mutable std::atomic<qint64> lastUsedUs{0};
        mutable std::atomic<qint64> flushedUs{0};
    };
    using Map = QHash<QString, std::shared_ptr<const Entry>>;
    std::shared_ptr<const Map> snapshot() const;

    mutable std::shared_mutex m_mutex;
    std::shared_ptr<const Map> m_map = std::make_shared<const Map>();
};

} // namespace alabos
