#include "core/storage/databasereader.h"

#include "core/storage/pgutil.h"

#include <pqxx/pqxx>

namespace alabos {

class DatabaseReader::Worker : public QObject
{
public:
    explicit Worker(QStringList connectionStrings)
        : m_connectionStrings(std::move(connectionStrings))
    {
    }
    QString execute(const std::function<void(pqxx::connection &)> &work)
    {
        for (int attempt = 0; attempt < 2; ++attempt) {
            try {
                if (!m_connection || !m_connection->is_open())
                    m_connection = connectFirstReachable(m_connectionStrings);
                work(*m_connection);
                return {};
            } catch (const pqxx::broken_connection &e) {
                m_connection.reset(); // try once more on a fresh connection
                if (attempt == 1) return QString::fromUtf8(e.what()).trimmed();
            } catch (const std::exception &e) {
                return QString::fromUtf8(e.what()).trimmed();
            }
        }
        return {};
    }

private:
    QStringList m_connectionStrings;
    std::unique_ptr<pqxx::connection> m_connection;
};

DatabaseReader::DatabaseReader(QStringList connectionStrings, QObject *parent)
    : QObject(parent), m_connectionStrings(std::move(connectionStrings)),
      m_worker(new Worker(m_connectionStrings))
{
    m_thread.setObjectName(QStringLiteral("db-reader"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

DatabaseReader::~DatabaseReader()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void DatabaseReader::run(std::function<void(pqxx::connection &)> work, QObject *context,
                         std::function<void(const QString &error)> done)
{
    // The answer is posted to this reader (it lives on the caller's thread and outlives the
    // query), where `context` can be checked safely before `done` runs.
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        m_worker,
        [self = this, worker = m_worker, work = std::move(work), guard, done = std::move(done)] {
            const QString error = worker->execute(work);
            QMetaObject::invokeMethod(
                self,
                [guard, done, error] {
                    if (guard && done) done(error);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace alabos
