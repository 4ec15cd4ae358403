#include "core/storage/migrations.h"

#include "core/domain/logging.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QRegularExpression>
#include <pqxx/pqxx>

namespace alabos {

namespace {
// Any fixed number serves; it only has to be the same in every alabos process.
constexpr long long kMigrationLockKey = 0x616c61626f73; // "alabos"
} // namespace

QList<Migration> builtinMigrations()
{
    QList<Migration> out;
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_(.+)\\.sql$"));
    QDir dir(QStringLiteral(":/alabos/migrations"));
    for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
        const auto match = pattern.match(file);
        if (!match.hasMatch()) continue;
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly)) continue;
        out.append({match.captured(1).toInt(), match.captured(2), f.readAll()});
    }
    return out;
}

int latestSchemaVersion()
{
    const auto all = builtinMigrations();
    return all.isEmpty() ? 0 : all.last().version;
}

bool migrate(pqxx::connection &connection, QString *error, MigrationReport *report,
             int targetVersion)
{
    const QList<Migration> migrations = builtinMigrations();
    const int latest = migrations.isEmpty() ? 0 : migrations.last().version;
    if (targetVersion < 0) targetVersion = latest;
    try {
        pqxx::work tx(connection);
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
        // Only when missing: a role that may not create tables (a console connected as the
        // application role) can still check that the schema is current.
        if (tx.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>())
            tx.exec0("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version integer PRIMARY KEY, name text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())");
        const pqxx::result r = tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
        const int current = r[0][0].as<int>();
        MigrationReport local{current, current, {}};
        if (current > latest) {
            if (error)
                *error = QObject::tr("The database schema is at version %1, newer than this "
                                     "alabos knows (%2). Use a newer alabos.")
                             .arg(current)
                             .arg(latest);
            return false;
        }
        for (const Migration &m : migrations) {
            if (m.version <= current || m.version > targetVersion) continue;
            qCInfo(lcStorage).noquote() << "applying schema migration" << m.version << m.name;
            try {
                tx.exec0(m.sql.toStdString());
            } catch (const std::exception &e) {
                if (error)
                    *error = QObject::tr("Schema migration %1 (%2) failed: %3")
                                 .arg(m.version)
                                 .arg(m.name, QString::fromUtf8(e.what()).trimmed());
                return false;
            }
            tx.exec_params0("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            m.version, m.name.toStdString());
            local.applied.append(m.version);
            local.toVersion = m.version;
        }
        tx.commit();
        if (report) *report = local;
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QObject::tr("Could not migrate the database schema: %1")
                         .arg(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

} // namespace alabos
