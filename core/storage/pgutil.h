#pragma once
// Small pieces every storage class shares, so each exists once.
#include "core/domain/types.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <pqxx/pqxx>

namespace alabos {

// Opens `connection` unless it is open already; on failure says who could not connect.
bool connectIfNeeded(std::unique_ptr<pqxx::connection> &connection, const QString &connectionString,
                     const char *who, QString *error);

// A connection to the first of `connectionStrings` that answers, tried in order: a replica for
// reads, then the primary. Throws the last one's error, naming how many were tried.
std::unique_ptr<pqxx::connection> connectFirstReachable(const QStringList &connectionStrings);

// `conninfo` (a postgresql:// URL or libpq keyword=value settings) fit to show or log: as
// given when it holds no password, else rebuilt as keyword=value settings with `password` and
// `sslpassword` shown as ***; a fixed placeholder when libpq cannot parse it, since an
// unparsable string may hold a password anywhere.
QString redactedConnectionString(const QString &conninfo);
// True when libpq reads a non-empty password or sslpassword in `conninfo`.
bool connectionStringHoldsPassword(const QString &conninfo);

// The columns eventFromRow reads, in its order, for "SELECT <kEventColumns> FROM events ...".
inline constexpr auto kEventColumns =
    "id, entity_type, entity_id, kind, (extract(epoch FROM created_at) * 1000000)::bigint, "
    "payload::text";
Event eventFromRow(const pqxx::row &row);
// The same row as the compact JSON text of the event (the fields of encodeEvent, in its
// order), with the payload as PostgreSQL stores it instead of parsed and encoded again: an
// event costs a copy, not a JSON round trip. The payload is the text it was written as.
QByteArray encodedEventFromRow(const pqxx::row &row);
// The stored columns of an event as text, in kEventColumns' order.
struct StoredEventText
{
    std::string_view id, entityType, entityId, kind, timeUs, payload;
};
QByteArray encodedEvent(const StoredEventText &event);

} // namespace alabos
