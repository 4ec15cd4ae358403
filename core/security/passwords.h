#pragma once
// Password hashes: Argon2id (libsodium's "$argon2id$..." strings) for every hash written;
// PBKDF2-SHA256 ("pbkdf2-sha256$ITERATIONS$SALT$HASH", base64) is still verified so older
// accounts can sign in once, and is replaced at that sign-in.
#include <QString>

namespace alabos {

inline constexpr int kMinPasswordLength = 8;
inline constexpr int kMaxPasswordLength = 256;

QString hashPassword(const QString &password);
bool verifyPassword(const QString &password, const QString &stored);
// False for a hash that should be replaced at the next successful sign-in.
bool passwordHashIsCurrent(const QString &stored);
// Empty when acceptable, else why not (for a person).
QString passwordProblem(const QString &password);

} // namespace alabos
