#pragma once
// The signature policy in PostgreSQL (migration 0015): which command kinds need an electronic
// signature and the reasons a signer chooses from. Read by the scheduler at start and by
// consoles; written only by the account service for signature.policy.
#include "core/security/signatures.h"

#include <pqxx/connection>

namespace alabos {

SignaturePolicy loadSignaturePolicy(pqxx::connection &connection);
// Replaces the stored policy with `policy` (already checked) and writes the audit row
// (action signature_policy, the old and new policy) in the same transaction.
void saveSignaturePolicy(pqxx::connection &connection, const SignaturePolicy &policy,
                         const QString &actor, const QString &host, const QJsonObject &signature);

} // namespace alabos
