#pragma once
// The few cryptographic operations alabos needs, on libsodium: the scheduler's signing key
// (Ed25519), verification of what it signed, sealed boxes for a secret that crosses the
// broker (a password to the scheduler, a session key back to one console), HMAC for
// commands a session sends, digests, and random bytes.
#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <initializer_list>
#include <optional>

namespace alabos {

// Once per process, before any other function here; thread-safe and idempotent.
bool initCrypto();

QByteArray randomBytes(int count);
// A random token as text: URL-safe base64 of `bytes` random bytes.
QString randomToken(int bytes = 24);

// The scheduler's key pair. Its secret half lives in a 0600 file in the data directory;
// the public half goes to the database so consoles on other hosts can verify.
class SigningKey
{
public:
    // Reads DIR/FILE, or creates it (mode 0600, folder 0700) when missing. Refuses a file
    // others may read, or one of the wrong size, with a message naming the file.
    static std::optional<SigningKey> loadOrCreate(const QString &path, QString *error);
    static SigningKey generate();

    QByteArray publicKey() const { return m_public; } // 32 bytes
    QByteArray sign(QByteArrayView message) const;    // 64 bytes, detached
    // Opens a box sealed to this key's public half (sealTo); nullopt when it was not.
    std::optional<QByteArray> openSealed(QByteArrayView sealed) const;

private:
    QByteArray m_public;
    QByteArray m_secret; // 64 bytes: seed and public key, as libsodium keeps it
};

bool verifySignature(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature);
// Seals `plain` so only the holder of the Ed25519 key `publicKey` can open it.
std::optional<QByteArray> sealTo(QByteArrayView publicKey, QByteArrayView plain);

// A one-time X25519 key pair: a console's, so the scheduler can seal a session key to it.
class BoxKeyPair
{
public:
    static BoxKeyPair generate();
    QByteArray publicKey() const { return m_public; }
    std::optional<QByteArray> openSealed(QByteArrayView sealed) const;
    static std::optional<QByteArray> sealToBoxKey(QByteArrayView boxPublicKey,
                                                  QByteArrayView plain);

private:
    QByteArray m_public;
    QByteArray m_secret;
};

QByteArray hmacSha256(QByteArrayView key, QByteArrayView message);
// BLAKE2b-256 of the parts one after the other (kDigestBytes bytes).
inline constexpr int kDigestBytes = 32;
QByteArray digest256(std::initializer_list<QByteArrayView> parts);
// Compares in constant time; false for different sizes.
bool sameBytes(QByteArrayView a, QByteArrayView b);

} // namespace alabos
