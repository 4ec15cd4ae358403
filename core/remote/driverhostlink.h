#pragma once
// The scheduler's side of its driver hosts (docs/driver-hosts.md): sends each remote
// device's commands, signed, and routes the hosts' signed reports to the devices' drivers.
// A host that sends no heartbeat for `silenceMs` takes its devices offline (their running
// commands wait for the host's answer or the engine's timeout); its return, or a restart,
// makes each device ask the host what it ran meanwhile.
#include "core/bus/kafka.h"
#include "core/remote/devicemessages.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <atomic>
#include <functional>
#include <memory>

namespace alabos {

class AssignedConsumer;
class KafkaProducer;
class RemoteDriver;
class SigningKey;

struct DriverHostLinkStats
{
    qint64 commandsSent = 0;
    qint64 reportsAccepted = 0;
    qint64 reportsRefused =
        0; // unsigned, badly signed, a host's report on another's device, replays
};

class DriverHostLink : public QObject
{
    Q_OBJECT
public:
    // The hosts' public keys by host name (from the database); called again when a report
    // comes from a host it does not know, at most every few seconds.
    using HostKeys = std::function<QHash<QString, QByteArray>(QString *error)>;

    DriverHostLink(KafkaSettings settings, KafkaProducer *producer,
                   std::shared_ptr<const SigningKey> signingKey, HostKeys hostKeys,
                   QObject *parent = nullptr);
    ~DriverHostLink() override;

    int silenceMs() const { return m_silenceMs; }
    void setSilenceMs(int ms) { m_silenceMs = ms; }
    void setEpoch(qint64 epoch) { m_epoch.store(epoch); }

    // Any thread.
    bool send(RemoteCommand command, QString *error);
    void attach(RemoteDriver *driver);
    void detach(const QString &deviceId);
    bool hostAlive(const QString &host) const;
    DriverHostLinkStats stats() const;

public Q_SLOTS:
    // On the link's thread: reads the reports from now on.
    void start();
    void stop();

Q_SIGNALS:
    void hostChanged(const QString &host, bool alive, const QString &message);
    void failed(const QString &message);

private:
    void onMessage(const void *message);
    bool verify(const QString &host, const void *message);
    bool fresh(const QString &key, const HostReport &report);
    void heard(const HostReport &report);
    void checkSilence();
    void notifyHost(const QString &host, bool alive, const QString &message);

    KafkaSettings m_settings;
    KafkaProducer *m_producer;
    std::shared_ptr<const SigningKey> m_signingKey;
    HostKeys m_hostKeys;
    QHash<QString, QByteArray> m_keys;
    qint64 m_keysLoadedMs = 0;
    int m_silenceMs = 5000;
    std::atomic<qint64> m_epoch{0};
    AssignedConsumer *m_consumer = nullptr;

    struct Sequence
    {
        QString boot;
        qint64 seq = 0;
        qint64 sentAtMs = 0;
    };
    QHash<QString, Sequence> m_sequences; // by host and key ("host|device", "host|")
    struct Host
    {
        QString boot;
        qint64 heardMs = 0;
        bool alive = false;
    };
    mutable QMutex m_lock; // guards m_hosts' liveness, m_drivers and m_stats (any thread reads)
    QHash<QString, Host> m_hosts;
    QHash<QString, QPointer<RemoteDriver>> m_drivers;
    DriverHostLinkStats m_stats;
};

} // namespace alabos
