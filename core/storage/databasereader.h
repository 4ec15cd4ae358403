#pragma once
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

#include <pqxx/connection>

namespace alabos {

// Read-only queries for a console, off the UI thread: one worker thread that owns one
// connection, reconnecting when it broke. Results come back on the caller's thread.
class DatabaseReader : public QObject
{
    Q_OBJECT
public:
    explicit DatabaseReader(QString connectionString, QObject *parent = nullptr);
    ~DatabaseReader() override;

    // `work` runs on the reader thread with the connection; `done` runs on `context`'s
    // thread afterwards with the error text (empty on success). Nothing runs if `context`
    // is gone by then.
    void run(std::function<void(pqxx::connection &)> work, QObject *context,
             std::function<void(const QString &error)> done);
    QString connectionString() const { return m_connectionString; }

private:
    class Worker;
    QString m_connectionString;
    QThread m_thread;
    Worker *m_worker;
};

} // namespace alabos
