#include "tests/support/testdatabase.h"

#include "core/storage/migrations.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <pqxx/pqxx>

namespace alabos::test {

QString makeSharedTempDir(QTemporaryDir &dir)
{
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup |
                                          QFile::ExeGroup);
    return dir.path();
}

TestDatabase::TestDatabase() : m_dir(QStringLiteral("/tmp/alabos-test-XXXXXX"))
{
    m_server = std::make_unique<EmbeddedPostgres>(
        EmbeddedPostgres::Options{makeSharedTempDir(m_dir), {}, 5432, false});
    if (!m_server->start(&m_error)) qWarning("test database: %s", qPrintable(m_error));
}

TestDatabase &TestDatabase::instance()
{
    static TestDatabase db;
    return db;
}

QString TestDatabase::adminConnection() const
{
    return m_server->superuserConnectionString(QStringLiteral("postgres"));
}

QString TestDatabase::createDatabase(int schemaVersion)
{
    if (!m_server->isRunning()) return {};
    const QString name = QStringLiteral("t%1_%2").arg(::getpid()).arg(++m_counter);
    QString error;
    if (!m_server->createDatabase(name, &error)) {
        qWarning("test database: %s", qPrintable(error));
        return {};
    }
    // Migrated as the owner, as alabos does; the tests then work as the application.
    pqxx::connection c(m_server->ownerConnectionString(name).toStdString());
    if (!migrate(c, &error, nullptr, schemaVersion))
        qWarning("migration failed: %s", qPrintable(error));
    return m_server->connectionString(name);
}

QString TestDatabase::ownerConnection(const QString &connection) const
{
    static const QRegularExpression dbname(QStringLiteral("\\bdbname=(\\S+)"));
    return m_server->ownerConnectionString(dbname.match(connection).captured(1));
}

QString createDatabaseWithOneDevice()
{
    const QString conn = TestDatabase::instance().createDatabase();
    queryValue(
        conn, QStringLiteral("INSERT INTO device_types (name) VALUES ('xrd');"
                             "INSERT INTO devices (id, type, status) VALUES ('d-1', 'xrd', 'idle');"
                             "INSERT INTO events (entity_type, entity_id, kind, payload) VALUES "
                             "('device','d-1','device.status','{}') RETURNING 1"));
    return conn;
}

QString queryValue(const QString &connection, const QString &sql)
{
    pqxx::connection c(connection.toStdString());
    pqxx::nontransaction tx(c);
    const pqxx::result r = tx.exec(sql.toStdString());
    if (r.empty() || r[0][0].is_null()) return {};
    return QString::fromUtf8(r[0][0].c_str());
}

} // namespace alabos::test
