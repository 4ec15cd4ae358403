#include "core/security/crypto.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <sodium.h>
#include <sys/stat.h>

namespace alabos {

namespace {
const unsigned char *bytes(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}
unsigned char *bytes(QByteArray &v)
{
    return reinterpret_cast<unsigned char *>(v.data());
}
} // namespace

bool initCrypto()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

QByteArray randomBytes(int count)
{
    initCrypto();
    QByteArray out(count, '\0');
    randombytes_buf(out.data(), size_t(count));
    return out;
}

QString randomToken(int count)
{
    return QString::fromLatin1(randomBytes(count).toBase64(QByteArray::Base64UrlEncoding |
                                                           QByteArray::OmitTrailingEquals));
}

SigningKey SigningKey::generate()
{
    initCrypto();
    SigningKey key;
    key.m_public.resize(crypto_sign_PUBLICKEYBYTES);
    key.m_secret.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(bytes(key.m_public), bytes(key.m_secret));
    return key;
}

std::optional<SigningKey> SigningKey::loadOrCreate(const QString &path, QString *error)
{
    initCrypto();
    QFileInfo info(path);
    if (!info.exists()) {
        QDir().mkpath(info.absolutePath());
        SigningKey key = generate();
        QFile file(path);
        // Created 0600 from the start: never a moment in which others could read it.
        const mode_t old = ::umask(077);
        const bool opened = file.open(QIODevice::WriteOnly | QIODevice::NewOnly);
        ::umask(old);
        if (!opened || file.write(key.m_secret) != key.m_secret.size() || !file.flush()) {
            if (error)
                *error = QObject::tr("cannot write the scheduler's signing key %1: %2")
                             .arg(path, file.errorString());
            return std::nullopt;
        }
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        return key;
    }
    struct stat st
    {
    };
    if (::lstat(path.toLocal8Bit().constData(), &st) != 0 || !S_ISREG(st.st_mode)) {
        if (error) *error = QObject::tr("the signing key %1 is not a regular file").arg(path);
        return std::nullopt;
    }
    if ((st.st_mode & 077) != 0 || st.st_uid != ::geteuid()) {
        if (error)
            *error = QObject::tr("the signing key %1 may be read by others or belongs to another "
                                 "user (mode %2): only its owner may read it (chmod 600)")
                         .arg(path)
                         .arg(st.st_mode & 0777, 3, 8, QLatin1Char('0'));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error =
                QObject::tr("cannot read the signing key %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    SigningKey key;
    key.m_secret = file.read(crypto_sign_SECRETKEYBYTES + 1);
    if (key.m_secret.size() != crypto_sign_SECRETKEYBYTES) {
        if (error)
            *error = QObject::tr("the signing key %1 is damaged (%2 bytes, expected %3)")
                         .arg(path)
                         .arg(key.m_secret.size())
                         .arg(crypto_sign_SECRETKEYBYTES);
        return std::nullopt;
    }
    key.m_public.resize(crypto_sign_PUBLICKEYBYTES);
    crypto_sign_ed25519_sk_to_pk(bytes(key.m_public), bytes(key.m_secret));
    return key;
}

QByteArray SigningKey::sign(QByteArrayView message) const
{
    QByteArray signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(bytes(signature), nullptr, bytes(message), size_t(message.size()),
                         reinterpret_cast<const unsigned char *>(m_secret.constData()));
    return signature;
}

std::optional<QByteArray> SigningKey::openSealed(QByteArrayView sealed) const
{
    if (sealed.size() < qsizetype(crypto_box_SEALBYTES)) return std::nullopt;
    QByteArray pk(crypto_box_PUBLICKEYBYTES, '\0'), sk(crypto_box_SECRETKEYBYTES, '\0');
    if (crypto_sign_ed25519_pk_to_curve25519(bytes(pk), bytes(m_public)) != 0 ||
        crypto_sign_ed25519_sk_to_curve25519(bytes(sk), bytes(m_secret)) != 0)
        return std::nullopt;
    QByteArray plain(sealed.size() - crypto_box_SEALBYTES, '\0');
    const bool ok = crypto_box_seal_open(bytes(plain), bytes(sealed), size_t(sealed.size()),
                                         bytes(pk), bytes(sk)) == 0;
    sodium_memzero(sk.data(), size_t(sk.size()));
    if (!ok) return std::nullopt;
    return plain;
}

bool verifySignature(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (publicKey.size() != qsizetype(crypto_sign_PUBLICKEYBYTES) ||
        signature.size() != qsizetype(crypto_sign_BYTES))
        return false;
    return crypto_sign_verify_detached(bytes(signature), bytes(message), size_t(message.size()),
                                       bytes(publicKey)) == 0;
}

std::optional<QByteArray> sealTo(QByteArrayView publicKey, QByteArrayView plain)
{
    initCrypto();
    if (publicKey.size() != qsizetype(crypto_sign_PUBLICKEYBYTES)) return std::nullopt;
    QByteArray pk(crypto_box_PUBLICKEYBYTES, '\0');
    if (crypto_sign_ed25519_pk_to_curve25519(bytes(pk), bytes(publicKey)) != 0) return std::nullopt;
    return BoxKeyPair::sealToBoxKey(pk, plain);
}

BoxKeyPair BoxKeyPair::generate()
{
    initCrypto();
    BoxKeyPair pair;
    pair.m_public.resize(crypto_box_PUBLICKEYBYTES);
    pair.m_secret.resize(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(bytes(pair.m_public), bytes(pair.m_secret));
    return pair;
}

std::optional<QByteArray> BoxKeyPair::openSealed(QByteArrayView sealed) const
{
    if (m_public.isEmpty() || sealed.size() < qsizetype(crypto_box_SEALBYTES)) return std::nullopt;
    QByteArray plain(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(bytes(plain), bytes(sealed), size_t(sealed.size()), bytes(m_public),
                             bytes(m_secret)) != 0)
        return std::nullopt;
    return plain;
}

std::optional<QByteArray> BoxKeyPair::sealToBoxKey(QByteArrayView boxPublicKey,
                                                   QByteArrayView plain)
{
    initCrypto();
    if (boxPublicKey.size() != qsizetype(crypto_box_PUBLICKEYBYTES)) return std::nullopt;
    QByteArray sealed(plain.size() + crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal(bytes(sealed), bytes(plain), size_t(plain.size()), bytes(boxPublicKey)) !=
        0)
        return std::nullopt;
    return sealed;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView message)
{
    initCrypto();
    QByteArray mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, bytes(key), size_t(key.size()));
    crypto_auth_hmacsha256_update(&state, bytes(message), size_t(message.size()));
    crypto_auth_hmacsha256_final(&state, bytes(mac));
    return mac;
}

QByteArray digest256(std::initializer_list<QByteArrayView> parts)
{
    initCrypto();
    QByteArray digest(kDigestBytes, '\0');
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, size_t(kDigestBytes));
    for (QByteArrayView part : parts)
        crypto_generichash_update(&state, bytes(part), size_t(part.size()));
    crypto_generichash_final(&state, bytes(digest), size_t(kDigestBytes));
    return digest;
}

bool sameBytes(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace alabos
