#include "core/security/passwords.h"

#include "core/security/crypto.h"

#include <QCryptographicHash>
#include <QObject>
#include <QPasswordDigestor>
#include <QStringList>
#include <sodium.h>

namespace alabos {

namespace {
// libsodium's interactive limits: about 60 ms and 64 MiB per hash here, which makes a
// guessing attack on a stolen table slow without making sign-in feel slow.
constexpr unsigned long long kOpsLimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;

bool verifyPbkdf2(const QString &password, const QString &stored)
{
    const QStringList parts = stored.split(u'$');
    if (parts.size() != 4 || parts[0] != QLatin1StringView("pbkdf2-sha256")) return false;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1000 || iterations > 10000000) return false;
    const QByteArray expected = QByteArray::fromBase64(parts[3].toLatin1());
    const QByteArray actual = QPasswordDigestor::deriveKeyPbkdf2(
        QCryptographicHash::Sha256, password.toUtf8(), QByteArray::fromBase64(parts[2].toLatin1()),
        iterations, 32);
    return sameBytes(expected, actual);
}
} // namespace

QString hashPassword(const QString &password)
{
    initCrypto();
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_argon2id_str(out, utf8.constData(), size_t(utf8.size()), kOpsLimit,
                                   kMemLimit) != 0)
        qFatal("Argon2id ran out of memory hashing a password");
    return QString::fromLatin1(out);
}

bool verifyPassword(const QString &password, const QString &stored)
{
    initCrypto();
    if (stored.startsWith(QLatin1StringView("$argon2id$"))) {
        const QByteArray hash = stored.toLatin1();
        const QByteArray utf8 = password.toUtf8();
        if (hash.size() >= qsizetype(crypto_pwhash_STRBYTES)) return false;
        return crypto_pwhash_argon2id_str_verify(hash.constData(), utf8.constData(),
                                                 size_t(utf8.size())) == 0;
    }
    return verifyPbkdf2(password, stored);
}

bool passwordHashIsCurrent(const QString &stored)
{
    initCrypto();
    if (!stored.startsWith(QLatin1StringView("$argon2id$"))) return false;
    return crypto_pwhash_argon2id_str_needs_rehash(stored.toLatin1().constData(), kOpsLimit,
                                                   kMemLimit) == 0;
}

QString passwordProblem(const QString &password)
{
    if (password.size() < kMinPasswordLength)
        return QObject::tr("A password needs at least %1 characters.").arg(kMinPasswordLength);
    if (password.size() > kMaxPasswordLength)
        return QObject::tr("A password may have at most %1 characters.").arg(kMaxPasswordLength);
    return {};
}

} // namespace alabos
