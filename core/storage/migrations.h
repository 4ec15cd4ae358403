#pragma once
#include <QByteArray>
#include <QList>
#include <QString>

#include <pqxx/connection>

namespace alabos {

struct Migration
{
    int version = 0;
    QString name;
    QByteArray sql;
};

struct MigrationReport
{
    int fromVersion = 0;
    int toVersion = 0;
    QList<int> applied;
};

// The schema migrations shipped in this binary, in version order.
QList<Migration> builtinMigrations();
int latestSchemaVersion();

// Brings the database to targetVersion (-1: latest) inside one transaction, under a
// transaction-scoped advisory lock, so two processes starting together are safe and a
// failing migration leaves nothing half-applied. Works through PgBouncer's transaction mode.
bool migrate(pqxx::connection &connection, QString *error, MigrationReport *report = nullptr,
             int targetVersion = -1);

} // namespace alabos
