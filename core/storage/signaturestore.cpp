#include "core/storage/signaturestore.h"

#include "core/storage/userdirectory.h"

#include <pqxx/pqxx>

namespace alabos {

namespace {
SignaturePolicy readPolicy(pqxx::transaction_base &tx)
{
    SignaturePolicy policy;
    for (const auto &row : tx.exec("SELECT kind FROM signature_required_kinds ORDER BY kind"))
        policy.kinds << QString::fromUtf8(row[0].c_str());
    for (const auto &row : tx.exec("SELECT reason FROM signature_reasons ORDER BY position"))
        policy.reasons << QString::fromUtf8(row[0].c_str());
    return policy;
}
} // namespace

SignaturePolicy loadSignaturePolicy(pqxx::connection &connection)
{
    pqxx::read_transaction tx(connection);
    return readPolicy(tx);
}

void saveSignaturePolicy(pqxx::connection &connection, const SignaturePolicy &policy,
                         const QString &actor, const QString &host, const QJsonObject &signature)
{
    pqxx::work tx(connection);
    // Serialises concurrent changes, so the old policy in the audit row is the one replaced.
    tx.exec0("LOCK TABLE signature_required_kinds, signature_reasons IN EXCLUSIVE MODE");
    const SignaturePolicy old = readPolicy(tx);
    tx.exec0("DELETE FROM signature_required_kinds");
    tx.exec0("DELETE FROM signature_reasons");
    const std::string by = actor.left(200).toStdString();
    for (const QString &kind : policy.kinds)
        tx.exec_params0("INSERT INTO signature_required_kinds (kind, changed_by) VALUES ($1, $2)",
                        kind.toStdString(), by);
    for (qsizetype i = 0; i < policy.reasons.size(); ++i)
        tx.exec_params0(
            "INSERT INTO signature_reasons (position, reason, changed_by) VALUES ($1, $2, $3)",
            int(i), policy.reasons.at(i).toStdString(), by);
    QJsonObject detail{{QStringLiteral("old"), old.toJson()},
                       {QStringLiteral("new"), policy.toJson()}};
    if (!signature.isEmpty()) detail.insert(QStringLiteral("signature"), signature);
    auditIn(tx, actor, host, QStringLiteral("signature_policy"), QStringLiteral("command"),
            QStringLiteral("signature.policy"), detail);
    tx.commit();
}

} // namespace alabos
