#pragma once
// The API's own PostgreSQL connections: a few worker threads, each with one connection, and
// a bounded queue of jobs, so history and search queries never wait on a server thread and a
// flood of them is refused (503) instead of queued without end.
#include <QList>
#include <QPair>
#include <QString>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <pqxx/connection>
#include <thread>
#include <vector>

namespace alabos {

class ApiDatabase
{
public:
    // A job gets the worker's connection, or nullptr with the reason when it cannot connect.
    using Job = std::function<void(pqxx::connection *connection, const QString &problem)>;
    static constexpr int kMaxQueued = 2000;

    // `prepared`: statements (name, SQL) prepared on every connection the workers open.
    ApiDatabase(QString connectionString, int workers,
                QList<QPair<QString, QString>> prepared = {});
    ~ApiDatabase();

    // False when the queue is full: the caller answers 503.
    bool post(Job job);
    void stop();

private:
    void work();

    QString m_connectionString;
    QList<QPair<QString, QString>> m_prepared;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

} // namespace alabos
