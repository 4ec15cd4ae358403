#include "app/apidatabase.h"

#include "core/domain/logging.h"

#include <QCoreApplication>
#include <memory>
#include <pqxx/connection>

namespace alabos {

ApiDatabase::ApiDatabase(QString connectionString, int workers,
                         QList<QPair<QString, QString>> prepared)
    : m_connectionString(std::move(connectionString)), m_prepared(std::move(prepared))
{
    for (int i = 0; i < std::max(workers, 1); ++i)
        m_workers.emplace_back([this] { work(); });
}

ApiDatabase::~ApiDatabase()
{
    stop();
}

bool ApiDatabase::post(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_jobs.size() >= size_t(kMaxQueued)) return false;
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

void ApiDatabase::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && m_workers.empty()) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread &t : m_workers)
        if (t.joinable()) t.join();
    m_workers.clear();
}

void ApiDatabase::work()
{
    std::unique_ptr<pqxx::connection> connection;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping) {
                // Whatever is queued is answered, not dropped: each job sees no connection.
                while (!m_jobs.empty()) {
                    Job left = std::move(m_jobs.front());
                    m_jobs.pop_front();
                    lock.unlock();
                    left(nullptr, QCoreApplication::translate("alabos::api", "alabos is stopping"));
                    lock.lock();
                }
                return;
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        QString problem;
        if (!connection || !connection->is_open()) {
            try {
                connection = std::make_unique<pqxx::connection>(m_connectionString.toStdString());
                for (const auto &[name, sql] : m_prepared)
                    connection->prepare(name.toStdString(), sql.toStdString());
            } catch (const std::exception &e) {
                connection.reset();
                problem =
                    QCoreApplication::translate("alabos::api", "the database cannot be reached: %1")
                        .arg(QString::fromUtf8(e.what()).trimmed().left(300));
            }
        }
        try {
            job(connection.get(), problem);
        } catch (const pqxx::broken_connection &e) {
            connection.reset(); // the job answered or not; the next one reconnects
            qCWarning(lcApp) << "api: database connection lost:" << e.what();
        } catch (const std::exception &e) {
            qCWarning(lcApp) << "api: database job failed:" << e.what();
        }
    }
}

} // namespace alabos
