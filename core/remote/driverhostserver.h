#pragma once
// A driver host's side (docs/driver-hosts.md): runs the commands the scheduler sends to the
// devices of this host, and answers with signed results, state reports and heartbeats.
// Trusts a command only when a scheduler of the lab signed it, its leadership epoch is not
// older than one already seen, and it was sent after this host started; runs a command id
// at most once.
#include "core/bus/kafka.h"
#include "core/remote/devicemessages.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <functional>
#include <memory>

class QTimer;

namespace alabos {

class AssignedConsumer;
class DriverPool;
class KafkaProducer;
class SigningKey;
class TrustedKeys;

struct DriverHostStats
{
    qint64 commands = 0;   // for this host's devices
    qint64 executed = 0;   // handed to a driver
    qint64 duplicates = 0; // a command id already run or running: not run again
    qint64 refused = 0;    // unsigned, badly signed, from an older leader, sent before this start
};

class DriverHostServer : public QObject
{
    Q_OBJECT
public:
    // Re-reads the schedulers' public keys (a scheduler that took over signs with its own).
    using SchedulerKeys = std::function<QList<QByteArray>(QString *error)>;

    DriverHostServer(KafkaSettings settings, KafkaProducer *producer, QString host,
                     std::shared_ptr<const SigningKey> hostKey,
                     std::shared_ptr<TrustedKeys> schedulerKeys, SchedulerKeys reloadKeys,
                     DriverPool *pool, QObject *parent = nullptr);
    ~DriverHostServer() override;

    void setHeartbeatMs(int ms) { m_heartbeatMs = ms; }
    DriverHostStats stats() const;

public Q_SLOTS:
    // On the server's thread: heartbeats begin, commands are read from now on.
    void start();

Q_SIGNALS:
    void failed(const QString &message);

private:
    void onMessage(const void *message);
    bool trusted(const void *message);
    void execute(const RemoteCommand &command);
    bool seenBefore(const QString &deviceId, qint64 commandId);
    void publish(HostReport report, const QString &key);
    void publishState(const QString &deviceId, qint64 answers);
    void heartbeat();

    KafkaSettings m_settings;
    KafkaProducer *m_producer;
    const QString m_host;
    const QString m_boot;
    const qint64 m_startedMs;
    std::shared_ptr<const SigningKey> m_hostKey;
    std::shared_ptr<TrustedKeys> m_schedulerKeys;
    SchedulerKeys m_reloadKeys;
    qint64 m_keysLoadedMs = 0;
    DriverPool *m_pool;
    AssignedConsumer *m_consumer = nullptr;
    QTimer *m_heartbeat = nullptr;
    int m_heartbeatMs = 1000;
    qint64 m_maxEpoch = 0;
    QHash<QString, qint64> m_seq; // by message key: a scheduler believes only growing ones
    struct Seen
    {
        QSet<qint64> ids;
        QList<qint64> order; // oldest first, to forget beyond the limit
    };
    QHash<QString, Seen> m_seen;
    mutable QMutex m_statsLock;
    DriverHostStats m_stats;
};

} // namespace alabos
