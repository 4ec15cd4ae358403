#include "core/storage/audittrail.h"

#include "core/security/crypto.h"

#include <QCryptographicHash>
#include <QHash>
#include <QObject>
#include <pqxx/pqxx>

namespace alabos {

namespace {
QByteArray bytesOf(const pqxx::field &f)
{
    const pqxx::binarystring b(f);
    return QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()));
}
constexpr int kBatch = 20000;
} // namespace

QByteArray auditAnchorMessage(qint64 auditId, const QByteArray &hash)
{
    return QByteArrayLiteral("alabos audit anchor ") + QByteArray::number(auditId) + ' ' +
           hash.toHex();
}

AuditVerification verifyAuditTrail(pqxx::connection &connection,
                                   const QList<QByteArray> &trustedKeys)
{
    AuditVerification v;
    QHash<qint64, QByteArray> hashes; // only of anchored rows
    pqxx::work tx(connection);
    struct Anchor
    {
        QByteArray hash, key, signature;
    };
    QHash<qint64, Anchor> anchors;
    for (const pqxx::row &r :
         tx.exec("SELECT audit_id, hash, public_key, signature FROM audit_anchors"))
        anchors.insert(r[0].as<qint64>(), {bytesOf(r[1]), bytesOf(r[2]), bytesOf(r[3])});
    v.anchors = anchors.size();
    auto broken = [&](qint64 id, const QString &problem) {
        if (v.firstBrokenId == 0) {
            v.firstBrokenId = id;
            v.problem = problem;
        }
    };
    QByteArray previous; // the first row chains to nothing
    qint64 lastId = 0, lastAnchored = 0;
    for (;;) {
        const pqxx::result rows = tx.exec_params(
            "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
            "user_name, host, action, entity_type, entity_id, detail::text, prev_hash, hash "
            "FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
            lastId, kBatch);
        for (const pqxx::row &r : rows) {
            const qint64 id = r[0].as<qint64>();
            QByteArray text = QByteArray::number(id);
            for (int c = 1; c <= 7; ++c) {
                text += '\x1f';
                text += QByteArray(r[c].c_str(), qsizetype(r[c].size()));
            }
            const QByteArray prev = r[8].is_null() ? QByteArray() : bytesOf(r[8]);
            const QByteArray stored = r[9].is_null() ? QByteArray() : bytesOf(r[9]);
            const QByteArray expected =
                QCryptographicHash::hash(previous + text, QCryptographicHash::Sha256);
            if (prev != previous)
                broken(id, QObject::tr("row %1 does not follow the row before it: a row was "
                                       "removed or inserted out of turn")
                               .arg(id));
            else if (stored != expected)
                broken(id, QObject::tr("row %1 was changed after it was written: its content "
                                       "does not match its hash")
                               .arg(id));
            if (anchors.contains(id)) hashes.insert(id, stored);
            previous = expected; // what the next row must chain to
            ++v.rows;
            lastId = id;
        }
        if (rows.size() < kBatch) break;
    }
    for (auto it = anchors.cbegin(); it != anchors.cend(); ++it) {
        const qint64 id = it.key();
        if (!trustedKeys.contains(it->key)) {
            broken(id, QObject::tr("the anchor at row %1 is signed by a key this scheduler does "
                                   "not trust (%2)")
                           .arg(id)
                           .arg(QString::fromLatin1(it->key.toHex().left(16))));
            continue;
        }
        if (!verifySignature(it->key, auditAnchorMessage(id, it->hash), it->signature)) {
            broken(id, QObject::tr("the anchor at row %1 has a wrong signature").arg(id));
            continue;
        }
        if (!hashes.contains(id)) {
            broken(id, QObject::tr("row %1, signed by the scheduler, is gone").arg(id));
            continue;
        }
        if (hashes.value(id) != it->hash) {
            broken(id, QObject::tr("row %1 or a row before it was rewritten: its hash differs "
                                   "from the one the scheduler signed")
                           .arg(id));
            continue;
        }
        lastAnchored = std::max(lastAnchored, id);
    }
    if (lastAnchored > 0) {
        v.rowsAfterLastAnchor =
            tx.exec_params1("SELECT count(*) FROM audit_log WHERE id > $1", lastAnchored)[0]
                .as<qint64>();
    } else {
        v.rowsAfterLastAnchor = v.rows;
    }
    v.ok = v.firstBrokenId == 0;
    return v;
}

qint64 anchorAuditTrail(pqxx::connection &connection, const SigningKey &key)
{
    pqxx::work tx(connection);
    const pqxx::result last =
        tx.exec("SELECT id, hash FROM audit_log WHERE id > coalesce((SELECT max(audit_id) FROM "
                "audit_anchors), 0) ORDER BY id DESC LIMIT 1");
    if (last.empty()) return 0;
    const qint64 id = last[0][0].as<qint64>();
    const QByteArray hash = bytesOf(last[0][1]);
    const QByteArray signature = key.sign(auditAnchorMessage(id, hash));
    const QByteArray publicKey = key.publicKey();
    tx.exec_params0(
        "INSERT INTO audit_anchors (audit_id, hash, public_key, signature) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING",
        id, pqxx::binarystring(hash.constData(), size_t(hash.size())),
        pqxx::binarystring(publicKey.constData(), size_t(publicKey.size())),
        pqxx::binarystring(signature.constData(), size_t(signature.size())));
    tx.commit();
    return id;
}

} // namespace alabos
