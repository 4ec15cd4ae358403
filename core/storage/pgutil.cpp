#include "core/storage/pgutil.h"

#include <QJsonDocument>
#include <QObject>

namespace alabos {

bool connectIfNeeded(std::unique_ptr<pqxx::connection> &connection, const QString &connectionString,
                     const char *who, QString *error)
{
    if (connection && connection->is_open())
        return true;
    try {
        connection = std::make_unique<pqxx::connection>(connectionString.toStdString());
        return true;
    } catch (const std::exception &e) {
        connection.reset();
        if (error)
            *error = QObject::tr("%1 cannot reach the database: %2")
                         .arg(QLatin1StringView(who), QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

Event eventFromRow(const pqxx::row &row)
{
    Event e;
    e.id = row[0].as<qint64>();
    e.entityType = QString::fromUtf8(row[1].c_str());
    e.entityId = QString::fromUtf8(row[2].c_str());
    e.kind = QString::fromUtf8(row[3].c_str());
    e.timeUs = row[4].as<qint64>();
    e.payload = QJsonDocument::fromJson(QByteArray(row[5].c_str())).object();
    return e;
}

} // namespace alabos
