#include "core/security/apitokens.h"

#include <QLoggingCategory>
#include <mutex>
#include <sodium.h>

namespace alabos {

namespace {
Q_LOGGING_CATEGORY(lcTokens, "alabos.apitokens")

constexpr QByteArrayView kPrefix = "alabos_";
constexpr int kIdBytes = 9;
constexpr int kSecretBytes = 32;

bool isBase64Url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

QByteArray base64Url(const unsigned char *bytes, int count)
{
    return QByteArray(reinterpret_cast<const char *>(bytes), count)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// The id and the secret's bytes of a token, without allocating: `secret` receives 32 bytes.
// An empty string when well formed, else what is wrong (for the server's log).
const char *split(QByteArrayView token, QByteArrayView *id, unsigned char *secret)
{
    if (token.size() != kApiTokenLength) return "wrong length";
    if (!token.startsWith(kPrefix)) return "wrong prefix";
    const QByteArrayView idPart = token.sliced(kPrefix.size(), kApiTokenIdLength);
    if (token.at(kPrefix.size() + kApiTokenIdLength) != '_') return "no separator after the id";
    const QByteArrayView secretPart = token.sliced(kPrefix.size() + kApiTokenIdLength + 1);
    for (char c : idPart)
        if (!isBase64Url(c)) return "a character outside base64url in the id";
    for (char c : secretPart)
        if (!isBase64Url(c)) return "a character outside base64url in the secret";
    size_t decoded = 0;
    // 43 characters carry 258 bits: a last character with its low 2 bits set does not
    // decode to exactly 32 bytes, so each secret has one spelling only.
    if (sodium_base642bin(secret, kSecretBytes, secretPart.data(), size_t(secretPart.size()),
                          nullptr, &decoded, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        decoded != kSecretBytes)
        return "a secret that is not 32 bytes of base64url";
    *id = idPart;
    return "";
}

void hashInto(const unsigned char *secret, size_t size, unsigned char *out)
{
    crypto_generichash(out, kApiTokenHashBytes, secret, size, nullptr, 0);
}
} // namespace

NewApiToken generateApiToken()
{
    unsigned char id[kIdBytes];
    unsigned char secret[kSecretBytes];
    randombytes_buf(id, sizeof id);
    randombytes_buf(secret, sizeof secret);
    NewApiToken t;
    t.id = QString::fromLatin1(base64Url(id, kIdBytes));
    t.plaintext = QString::fromLatin1(kPrefix.toByteArray() + t.id.toLatin1() + '_' +
                                      base64Url(secret, kSecretBytes));
    t.hash = hashApiTokenSecret(QByteArrayView(secret, kSecretBytes));
    sodium_memzero(secret, sizeof secret);
    return t;
}

std::optional<ApiTokenParts> parseApiToken(QByteArrayView token, QString *why)
{
    QByteArrayView id;
    unsigned char secret[kSecretBytes];
    if (const char *problem = split(token, &id, secret); *problem) {
        if (why) *why = QString::fromLatin1(problem);
        return std::nullopt;
    }
    ApiTokenParts parts{QString::fromLatin1(id),
                        QByteArray(reinterpret_cast<const char *>(secret), kSecretBytes)};
    sodium_memzero(secret, sizeof secret);
    return parts;
}

// A token carries 256 random bits, so nobody can guess a secret from its hash by trying
// candidates; a slow password hash (Argon2id) would only slow every API request. One
// BLAKE2b-256 is enough, and keeps verification cheap at a high request rate.
QByteArray hashApiTokenSecret(QByteArrayView secret)
{
    QByteArray out(kApiTokenHashBytes, Qt::Uninitialized);
    hashInto(reinterpret_cast<const unsigned char *>(secret.data()), size_t(secret.size()),
             reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

bool apiTokenHashesEqual(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

std::shared_ptr<const ApiTokenDirectory::Map> ApiTokenDirectory::snapshot() const
{
    std::shared_lock lock(m_mutex);
    return m_map;
}

std::optional<ApiPrincipal> ApiTokenDirectory::verify(QByteArrayView bearerToken, qint64 nowUs,
                                                      QString *why) const
{
    auto refuse = [&](const char *reason, QByteArrayView id) -> std::optional<ApiPrincipal> {
        qCInfo(lcTokens).noquote() << "API token refused:" << reason
                                   << (id.isEmpty() ? QString() : QString::fromLatin1(id));
        if (why) *why = QStringLiteral("invalid or expired token");
        return std::nullopt;
    };
    QByteArrayView id;
    unsigned char secret[kSecretBytes];
    if (const char *problem = split(bearerToken, &id, secret); *problem) return refuse(problem, {});
    unsigned char hash[kApiTokenHashBytes];
    hashInto(secret, kSecretBytes, hash);
    sodium_memzero(secret, sizeof secret);

    const std::shared_ptr<const Map> map = snapshot();
    const auto it = map->constFind(QString::fromLatin1(id));
    if (it == map->cend()) return refuse("unknown id", id);
    const Entry &entry = **it;
    const ApiTokenRecord &r = entry.record;
    if (!apiTokenHashesEqual(QByteArrayView(reinterpret_cast<const char *>(hash), sizeof hash),
                             r.hash))
        return refuse("wrong secret for id", id);
    if (r.revoked) return refuse("revoked token", id);
    if (nowUs >= r.expiresUs) return refuse("expired token", id);
    if (r.userDisabled) return refuse("token of a disabled user", id);
    entry.lastUsedUs.store(nowUs, std::memory_order_relaxed);
    return ApiPrincipal{r.id, r.user, r.displayName, r.role};
}

void ApiTokenDirectory::replace(const QList<ApiTokenRecord> &records)
{
    const std::shared_ptr<const Map> old = snapshot();
    auto map = std::make_shared<Map>();
    map->reserve(records.size());
    for (const ApiTokenRecord &r : records) {
        auto entry = std::make_shared<Entry>();
        entry->record = r;
        // Uses not yet taken by takeLastUsed() are carried over.
        if (const auto before = old->constFind(r.id); before != old->cend()) {
            entry->lastUsedUs.store((*before)->lastUsedUs.load());
            entry->flushedUs.store((*before)->flushedUs.load());
        }
        map->insert(r.id, std::move(entry));
    }
    std::unique_lock lock(m_mutex);
    m_map = std::move(map);
}

int ApiTokenDirectory::size() const
{
    return int(snapshot()->size());
}

QHash<QString, qint64> ApiTokenDirectory::takeLastUsed() const
{
    QHash<QString, qint64> used;
    const std::shared_ptr<const Map> map = snapshot();
    for (auto it = map->cbegin(); it != map->cend(); ++it) {
        const qint64 last = (*it)->lastUsedUs.load(std::memory_order_relaxed);
        if (last > (*it)->flushedUs.exchange(last)) used.insert(it.key(), last);
    }
    return used;
}

} // namespace alabos
