#pragma once
// The public keys a lab's processes verify each other with: its schedulers' (state events,
// replies and driver-host commands are signed with them) and its driver hosts'
// (docs/driver-hosts.md). Only public halves are in the database.
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>
#include <pqxx/pqxx>

namespace alabos {

// Throws what libpqxx throws.
QList<QByteArray> loadSchedulerKeys(pqxx::connection &connection);
// Driver hosts by name.
QHash<QString, QByteArray> loadDriverHostKeys(pqxx::connection &connection);

// Registers `publicKey` as the key of driver host `host` when the host has none yet. False
// with a message when it is registered with another key (a host's key file was replaced,
// or another machine claims its name), or on a database error.
bool registerDriverHostKey(pqxx::connection &connection, const QString &host,
                           const QByteArray &publicKey, QString *error);

} // namespace alabos
