#pragma once
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThread>
#include <functional>
#include <memory>
#include <pqxx/connection>

namespace alabos {

// Read-only queries for a console, off the UI thread: one worker thread that owns one
// connection, reconnecting when it broke. Results come back on the caller's thread.
// `connectionStrings` in preference order: a replica (--read-database-url) first, then the
// primary it falls back to when the replica does not answer.
class DatabaseReader : public QObject
{
    Q_OBJECT
public:
    explicit DatabaseReader(QStringList connectionStrings, QObject *parent = nullptr);
    ~DatabaseReader() override;

    // `work` runs on the reader thread with the connection; `done` runs on `context`'s
    // thread afterwards with the error text (empty on success). Nothing runs if `context`
    // is gone by then.
    void run(std::function<void(pqxx::connection &)> work, QObject *context,
             std::function<void(const QString &error)> done);
    QStringList connectionStrings() const { return m_connectionStrings; }

private:
    class Worker;
    QStringList m_connectionStrings;
    QThread m_thread;
    Worker *m_worker;
};

} // namespace alabos
