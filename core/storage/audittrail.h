#pragma once
// The audit trail's proof against rewriting: every row's hash chains to the previous row
// (computed by the database at insert, migration 0010), and the scheduler signs the newest
// hash now and then (an anchor). verifyAuditTrail() recomputes every hash here, outside the
// database, and checks each anchor's signature, so an edit by anyone, even a superuser who
// recomputes the later hashes, is found and named.
#include <QByteArray>
#include <QList>
#include <QString>
#include <pqxx/connection>

namespace alabos {

class SigningKey;

struct AuditVerification
{
    bool ok = false;
    qint64 rows = 0;
    qint64 anchors = 0;
    qint64 firstBrokenId = 0; // 0: none
    qint64 rowsAfterLastAnchor = 0;
    QString problem; // for a person: what is wrong at firstBrokenId (or with an anchor)
};

// Checks the chain from the first row and every anchor against `trustedKeys` (public keys).
AuditVerification verifyAuditTrail(pqxx::connection &connection,
                                   const QList<QByteArray> &trustedKeys);
// Signs the newest row's hash unless it is signed already; the row id anchored, 0 for none.
qint64 anchorAuditTrail(pqxx::connection &connection, const SigningKey &key);
// What an anchor's signature covers.
QByteArray auditAnchorMessage(qint64 auditId, const QByteArray &hash);

} // namespace alabos
