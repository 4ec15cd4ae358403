#include "tests/support/testdatabase.h"

#include "core/storage/migrations.h"

#include <QFile>
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
    if (!m_server->start(&m_error))
        qWarning("test database: %s", qPrintable(m_error));
}

TestDatabase &TestDatabase::instance()
{
    static TestDatabase db;
    return db;
}

QString TestDatabase::adminConnection() const
{
    return m_server->connectionString(QStringLiteral("postgres"));
}

QString TestDatabase::createDatabase(int schemaVersion)
{
    if (!m_server->isRunning())
        return {};
    const QString name = QStringLiteral("t%1_%2").arg(::getpid()).arg(++m_counter);
    pqxx::connection admin(adminConnection().toStdString());
    pqxx::nontransaction tx(admin);
    tx.exec0("CREATE DATABASE " + tx.quote_name(name.toStdString()));
    const QString conn = m_server->connectionString(name);
    pqxx::connection c(conn.toStdString());
    QString error;
    if (!migrate(c, &error, nullptr, schemaVersion))
        qWarning("migration failed: %s", qPrintable(error));
    return conn;
}

QString queryValue(const QString &connection, const QString &sql)
{
    pqxx::connection c(connection.toStdString());
    pqxx::nontransaction tx(c);
    const pqxx::result r = tx.exec(sql.toStdString());
    if (r.empty() || r[0][0].is_null())
        return {};
    return QString::fromUtf8(r[0][0].c_str());
}

} // namespace alabos::test
