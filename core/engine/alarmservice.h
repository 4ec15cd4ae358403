#pragma once
#include "core/domain/alarms.h"
#include "core/domain/commands.h"
#include "core/domain/types.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <memory>

namespace alabos {

class SignatureAuthority;

// Raises, clears, acknowledges and shelves alarms. Lives on the engine thread; every
// change is committed (as an "alarm" event carrying the whole alarm) before it is
// acknowledged to an operator, and reaches consoles through alabos.alarms.
class AlarmService : public QObject
{
    Q_OBJECT
public:
    explicit AlarmService(QObject *parent = nullptr);

    // Tickets of this service's change sets carry this bit, so the engine's do not collide.
    static constexpr quint64 kTicketBit = quint64(1) << 62;

    void setRules(const QList<AlarmRule> &rules);
    // Alarm commands the signature policy names run only when signed (as the engine's).
    void setSignatures(std::shared_ptr<const SignatureAuthority> signatures)
    {
        m_signatures = std::move(signatures);
    }
    void setDeviceType(const QString &deviceId, const QString &type)
    {
        m_deviceTypes.insert(deviceId, type);
    }
    QList<Alarm> openAlarms() const; // everything not cleared
    // alarmPublished for each open alarm, unchanged: for a console that starts listening late.
    void announceOpen();
    // Rules shipped for the simulated lab (resources/alarms/rules.json).
    static QList<AlarmRule> loadRules(const QString &path, QString *error);

public Q_SLOTS:
    void onReading(const QString &deviceId, const QString &metric, double value, qint64 timeUs);
    void onReadings(const QList<alabos::TelemetryReading> &readings);
    void onDeviceState(const alabos::DeviceState &device);
    void onTaskState(const alabos::TaskState &task);
    // Watches the engine's decisions for device errors and task failures.
    void observe(quint64 ticket, const alabos::ChangeSet &changes);
    void onDatabaseState(bool connected, const QString &message);
    void onBrokerState(bool healthy, const QString &message);
    // A driver host silent (its devices offline) or back: an alarm per host while it lasts.
    void onDriverHost(const QString &host, bool alive, const QString &message);
    // Telemetry back-pressure (drivers slowed: Kafka silent, queue full, persister behind the
    // embedded broker's window) is a condition; readings lost to the broker are an event.
    void onTelemetryState(bool backPressure, const QString &message);
    void onTelemetryLost(qint64 count, const QString &message);
    // A driver's reading was a fault (NaN, an instrument's "not a number"): a device fault
    // alarm. Such a reading never reaches the rules, so it can neither raise nor end one.
    void onTelemetryFault(const QString &deviceId, const QString &metric, const QString &message);
    // An event too large for the broker went out reduced (core/storage/eventrelay.h).
    void onEventReduced(alabos::EventId id, const QString &message);
    // The embedded database server died and alabos started it again.
    void onDatabaseRestarted(const QString &message);
    // The disk holding the embedded database is nearly full, or has room again.
    void onDiskSpace(bool low, const QString &message);
    // The embedded broker died and was started again (core/bus/embeddedbroker.h): what it
    // held is gone; `lostReadings` telemetry readings were not yet persisted.
    void onBrokerRestarted(qint64 lostReadings, const QString &message);
    void handleCommand(const alabos::OperatorCommand &command);
    void onCommitted(const QList<quint64> &tickets);
    void onRejected(quint64 ticket, const QString &error);
    void expireShelves();

Q_SIGNALS:
    void changesReady(quint64 ticket, const alabos::ChangeSet &changes);
    void commandReplied(const alabos::CommandReply &reply);
    void alarmsChanged(int open);
    // Every change to an alarm, before it is committed.
    void alarmPublished(const alabos::Alarm &alarm);

private:
    void raise(const QString &key, const QString &source, const QString &deviceId,
               const QString &metric, AlarmSeverity severity, const QString &message, double value,
               bool momentary);
    void conditionCleared(const QString &key);
    void publish(Alarm &alarm, const QString &kind, std::function<void()> afterCommit = {});
    void audit(const OperatorCommand &command, bool ok, const QString &message);

    QHash<QString, QList<AlarmRule>> m_rulesByMetric; // metric -> rules
    QHash<QString, QString> m_deviceTypes;
    QHash<QString, Alarm> m_byKey; // open alarms
    std::shared_ptr<const SignatureAuthority> m_signatures;
    QHash<qint64, QString> m_keyById;
    QHash<quint64, std::function<void()>> m_awaiting;
    quint64 m_nextTicket = 1;
    qint64 m_nextId = 1;
    QTimer m_shelfTimer;
};

} // namespace alabos
