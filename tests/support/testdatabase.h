#pragma once
// A throwaway PostgreSQL server (the real one, via the embedded-server code) shared by the
// tests of one executable; each test gets a fresh, migrated database in it.
#include "core/storage/embeddedpostgres.h"

#include <QTemporaryDir>
#include <memory>

namespace alabos::test {

class TestDatabase
{
public:
    // Starts the server on first use; fails the calling test when it cannot.
    static TestDatabase &instance();

    // A new database, migrated to `schemaVersion` (-1: latest) by the owner role; the
    // application role's connection string to it.
    QString createDatabase(int schemaVersion = -1);
    // The owner role's connection to the database of `connection` (from createDatabase).
    QString ownerConnection(const QString &connection) const;
    // The bootstrap superuser's connection to the `postgres` database.
    QString adminConnection() const;
    EmbeddedPostgres &server() { return *m_server; }
    QString error() const { return m_error; }

private:
    TestDatabase();
    QTemporaryDir m_dir;
    std::unique_ptr<EmbeddedPostgres> m_server;
    QString m_error;
    int m_counter = 0;
};

// Runs a query and returns the first column of the first row as text ("" when no row).
QString queryValue(const QString &connection, const QString &sql);

// A new database whose lab snapshot holds one device, d-1 (type xrd, idle), and event 1.
QString createDatabaseWithOneDevice();

// A directory every user can traverse, so a server started as root (running as postgres)
// reaches it. QTemporaryDir makes 0700 directories.
QString makeSharedTempDir(QTemporaryDir &dir);

} // namespace alabos::test
