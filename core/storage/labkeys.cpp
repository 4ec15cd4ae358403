#include "core/storage/labkeys.h"

#include <QObject>
#include <pqxx/pqxx>

namespace alabos {

namespace {
QByteArray bytesOf(const pqxx::field &field)
{
    const pqxx::binarystring b(field);
    return QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()));
}
} // namespace

QList<QByteArray> loadSchedulerKeys(pqxx::connection &connection)
{
    QList<QByteArray> keys;
    for (const pqxx::row &r :
         pqxx::nontransaction(connection)
             .exec("SELECT public_key FROM scheduler_keys ORDER BY created_at"))
        keys << bytesOf(r[0]);
    return keys;
}

QHash<QString, QByteArray> loadDriverHostKeys(pqxx::connection &connection)
{
    QHash<QString, QByteArray> keys;
    for (const pqxx::row &r :
         pqxx::nontransaction(connection).exec("SELECT host, public_key FROM driver_host_keys"))
        keys.insert(QString::fromStdString(r[0].as<std::string>()), bytesOf(r[1]));
    return keys;
}

bool registerDriverHostKey(pqxx::connection &connection, const QString &host,
                           const QByteArray &publicKey, QString *error)
{
    try {
        pqxx::work tx(connection);
        const pqxx::binarystring key(publicKey.constData(), size_t(publicKey.size()));
        tx.exec_params0("INSERT INTO driver_host_keys (host, public_key) VALUES ($1, $2) "
                        "ON CONFLICT (host) DO NOTHING",
                        host.toStdString(), key);
        const pqxx::row r = tx.exec_params1(
            "SELECT public_key FROM driver_host_keys WHERE host = $1", host.toStdString());
        tx.commit();
        if (bytesOf(r[0]) == publicKey) return true;
        *error = QObject::tr("driver host %1 is registered in this lab with another key: its key "
                             "file was replaced, or another machine uses the name %1. An "
                             "administrator who trusts this machine removes the old key with: "
                             "DELETE FROM driver_host_keys WHERE host = '%1' (as the database "
                             "owner)")
                     .arg(host);
        return false;
    } catch (const std::exception &e) {
        *error = QObject::tr("cannot register driver host %1: %2")
                     .arg(host, QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

} // namespace alabos
