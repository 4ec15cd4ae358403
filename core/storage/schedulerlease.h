#pragma once
// Scheduler leadership (DESIGN.md, "Beyond one machine"): exactly one process runs the
// engine. It holds a session-level PostgreSQL advisory lock on a connection of its own,
// kept open for the whole run, and says who it is in the scheduler_leader table. Every
// other process is a console. A session lock needs a session: the connection must go to
// PostgreSQL directly (or through a session-mode pool), never through PgBouncer in
// transaction mode.
#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>
#include <pqxx/connection>

namespace alabos {

// Who runs the scheduler, as a console sees it.
struct SchedulerInfo
{
    QString host;
    qint64 pid = 0;
    QDateTime since;
    QString kafkaBootstrap; // the broker the scheduler publishes to
    bool known = false;     // a scheduler announced itself at some time
    bool running = false;   // its advisory lock is held now
    QByteArray signingKey;  // the scheduler's public key (32 bytes), when it announced one
    bool answered = true;   // false: the database could not be asked (nothing is known now)
    bool operator==(const SchedulerInfo &) const = default;
};

// What the scheduler_leader row and pg_locks say now.
std::optional<SchedulerInfo> readSchedulerInfo(pqxx::connection &connection, QString *error);

class SchedulerLease : public QObject
{
    Q_OBJECT
public:
    // Takes the lock if nobody holds it. Null with an empty *error: another process holds it.
    // Null with a message: the database could not be asked.
    static std::unique_ptr<SchedulerLease> tryAcquire(const QString &connectionString,
                                                      QString *error);
    ~SchedulerLease() override;

    // Writes who leads (this host and pid) and where its Kafka broker is, and raises the
    // leader epoch: the fence the storage writer commits under (epoch()).
    bool announce(const QString &kafkaBootstrap, const QByteArray &signingKey, QString *error);
    qint64 epoch() const { return m_epoch; }

public Q_SLOTS:
    // On the lease's thread: checks every interval that the lock is still held. A dropped
    // connection drops the lock with it: the lease says so (connectionLost), reconnects with
    // backoff and takes the lock again if nobody else took it meanwhile (regained); if
    // another process took it, leadership is lost for good (lost).
    void startChecking(int intervalMs = 2000);

Q_SIGNALS:
    void connectionLost(const QString &message);
    void regained();
    void lost(const QString &message);

private:
    explicit SchedulerLease(std::unique_ptr<pqxx::connection> connection, QString connectionString);
    void check();
    void reconnect();
    void giveUp(const QString &why);

    std::unique_ptr<pqxx::connection> m_connection;
    QString m_connectionString;
    QTimer *m_timer = nullptr;
    int m_intervalMs = 2000;
    int m_retryDelayMs = 500;
    qint64 m_epoch = 0;
    bool m_lost = false;
};

// A console's view of leadership: asks the database every interval (a dead holder's lock
// vanishes without any notification) and reports each change.
class SchedulerWatch : public QObject
{
    Q_OBJECT
public:
    explicit SchedulerWatch(QString connectionString, int intervalMs = 2000,
                            QObject *parent = nullptr);
    ~SchedulerWatch() override;

public Q_SLOTS:
    void start();

Q_SIGNALS:
    void changed(const alabos::SchedulerInfo &info);

private:
    void check();

    QString m_connectionString;
    std::unique_ptr<pqxx::connection> m_connection;
    QTimer *m_timer = nullptr;
    SchedulerInfo m_last;
    bool m_reported = false;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::SchedulerInfo)
