#pragma once
#include "core/domain/commands.h"
#include "core/domain/types.h"

#include <QBasicTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <optional>

namespace alabos {

struct DeviceCommand
{
    qint64 id = 0; // unique per lab (must stay unique across restarts for recovery)
    QString deviceId;
    QString name; // one of the driver's described commands
    QJsonObject parameters;
    TaskId taskId = 0;
};

struct CommandResult
{
    qint64 commandId = 0;
    QString deviceId;
    bool ok = false;
    bool transient = false; // a retry may succeed (timeouts, busy, communication glitch)
    bool cancelled = false;
    QString message;
    QJsonObject data;
};

// One parameter of a command, in the spirit of a SiLA 2 parameter: the console builds
// forms from it and the driver validates against it before any device I/O.
struct ParameterDescription
{
    QString name;
    QString type = QStringLiteral("number"); // number | integer | string | bool
    QString unit;
    std::optional<double> min;
    std::optional<double> max;
    QJsonValue defaultValue; // undefined: the parameter is required
    QString description;
    QJsonObject toJson() const;
};

// One command a driver understands, with its parameters.
struct CommandDescription
{
    QString name;
    QString description;
    QList<ParameterDescription> parameters;
    QJsonObject toJson() const;
    // The parameters as a JSON array (the shape generated forms are built from).
    QJsonArray parametersJson() const;
};

// A command description read back from JSON (a driver program's describe, a driver host's
// report), checked as strictly as a register map; `where` prefixes the field in *error.
std::optional<CommandDescription> commandDescriptionFromJson(const QJsonValue &value,
                                                             const QString &where, QString *error);

// Checks parameters against a description and fills defaults. Returns the completed
// parameters, or nullopt with *error naming the parameter. Unknown parameters are refused,
// except the engine's bookkeeping keys ("command", "duration_s" where not described).
std::optional<QJsonObject> validateParameters(const CommandDescription &description,
                                              const QJsonObject &parameters, QString *error);

enum class DriverStatus
{
    Offline,
    Connecting,
    Idle,
    Busy
};
QString toString(DriverStatus status);

// A driver's answer to queryState(): enough for the engine to recover after a crash
// without running a finished command twice.
struct DeviceStateReport
{
    QString deviceId;
    DriverStatus status = DriverStatus::Offline;
    qint64 runningCommandId = 0;      // busy with this command (0: none)
    qint64 lastFinishedCommandId = 0; // the last command that ended, with its result
    CommandResult lastResult;
    qint64 interruptedCommandId = 0; // started before a restart and never finished
    bool persistent = false;         // false: "0" above means "unknown", not "none"
};

// Reconnection with exponential backoff, shared by every driver.
struct ReconnectPolicy
{
    int initialMs = 500;
    double factor = 2.0;
    int maxMs = 30000;
    double jitter = 0.1;            // +- fraction, so a fleet does not reconnect in lockstep
    int delayMs(int attempt) const; // attempt is 1-based
};

// Where a driver's own readings go (protocol drivers that poll their instruments, driver
// programs): the pool thread's batch for the telemetry sink, under the same back-pressure as
// sampled telemetry. Installed by DriverPool on the driver's thread; absent outside a pool.
class TelemetryCollector
{
public:
    virtual ~TelemetryCollector() = default;
    virtual void collect(const TelemetryReading &reading) = 0;
    // True while the consumer is behind: a poll not made costs the instrument nothing.
    virtual bool throttled() const = 0;
};

// A device driver: a QObject living on a driver-pool thread. Its slots are invoked queued
// from other threads. Every command accepted by execute() ends in exactly one
// commandFinished, unless the device never answers, which the engine's timeout catches.
// The base class validates commands against describe(), tracks the running and last
// finished command, and reconnects with backoff; subclasses implement the protected hooks.
class DeviceDriver : public QObject
{
    Q_OBJECT
public:
    DeviceDriver(QString id, QString type, QObject *parent = nullptr);
    QString id() const { return m_id; }
    QString type() const { return m_type; }
    virtual QList<CommandDescription> describe() const = 0;
    QJsonArray describeJson() const;
    DriverStatus status() const { return m_status; }
    bool isConnected() const
    {
        return m_status == DriverStatus::Idle || m_status == DriverStatus::Busy;
    }
    void setReconnectPolicy(const ReconnectPolicy &policy) { m_policy = policy; }
    int reconnectAttempt() const { return m_attempt; }
    // What queryState() reports, built now. Driver thread only.
    DeviceStateReport stateReport() const;

    // Called by the pool's per-thread ticker (never a timer per device): append the
    // readings due now. Protocol drivers poll on their own and leave this empty.
    virtual void sampleTelemetry(qint64 nowUs, QList<TelemetryReading> &out);
    // Driver thread only (DriverPool): where publishReading() sends; null: signal only.
    void setTelemetryCollector(TelemetryCollector *collector) { m_collector = collector; }
    // Readings refused as faults: a value that is not finite (a faulty float register), a
    // reply that is not a number. Never a value that could end an alarm condition.
    qint64 telemetryFaults() const { return m_nonFinite; }

public Q_SLOTS:
    void connectDevice();
    void disconnectDevice();
    void execute(const alabos::DeviceCommand &command);
    void cancel(qint64 commandId);
    // Answers with stateReported: at once from what the driver knows, or later (a remote
    // device asks its driver host).
    virtual void queryState();

Q_SIGNALS:
    void commandFinished(const alabos::CommandResult &result);
    void connectionChanged(const QString &deviceId, bool connected, const QString &message);
    void statusChanged(const QString &deviceId, alabos::DriverStatus status);
    void reconnectScheduled(const QString &deviceId, int attempt, int delayMs);
    void telemetry(const QString &deviceId, const QString &metric, double value, qint64 timeUs);
    void stateReported(const alabos::DeviceStateReport &report);
    // A reading was a fault, not a value (at most once a minute per device): for an alarm.
    void telemetryFault(const QString &deviceId, const QString &metric, const QString &message);

protected:
    // Start connecting; answer with connectionEstablished() or connectionFailed().
    virtual void openConnection() = 0;
    virtual void closeConnection() = 0;
    // Run a validated command (parameters complete); end with finishCommand().
    virtual void startCommand(const DeviceCommand &command) = 0;
    // Stop the running command's device activity; the base reports the cancellation.
    virtual void abortCommand(qint64 commandId) = 0;
    // The last finished / running command changed: a driver that persists it does so here.
    virtual void rememberState() {}
    // Fills queryState's report beyond what the base knows (e.g. persistence).
    virtual void completeReport(DeviceStateReport &) const {}

    void connectionEstablished(const QString &message = {});
    void connectionFailed(const QString &message); // while connecting: retry with backoff
    void connectionLost(const QString &message);   // while connected: fail the command, retry
    void finishCommand(CommandResult result);      // the running command's one answer
    // The link is gone but the device may still be running its command (a driver host
    // that stopped answering): offline for the engine, the command kept until its answer or
    // the engine's timeout, no reconnect timer. connectionEstablished() ends it.
    void suspendConnection(const QString &message);
    // The device reports it runs `commandId`, which this process did not start (a scheduler
    // that took over): its answer is taken when it comes.
    void adoptRunningCommand(qint64 commandId);
    qint64 runningCommandId() const { return m_running; }
    bool connectionWanted() const { return m_wanted; } // connectDevice() and no disconnect since
    const CommandResult &lastResult() const { return m_last; }
    void restoreMemory(const CommandResult &last, qint64 interrupted);
    qint64 interruptedCommandId() const { return m_interrupted; }
    void emitTelemetry(const QString &metric, double value, qint64 timeUs,
                       QList<TelemetryReading> &out);
    // A reading the driver got by itself (a poll, a driver program's line): emitted as
    // `telemetry` and handed to the pool's batch sink. Non-finite values are counted, logged
    // and dropped.
    void publishReading(const QString &metric, double value, qint64 timeUs);
    // A reading that is a fault: counted, logged and signalled at most once a minute.
    void reportTelemetryFault(const QString &metric, const QString &message);
    // The pool's consumer is behind: skip telemetry polls (the next one carries fresh values).
    bool telemetryThrottled() const { return m_collector && m_collector->throttled(); }
    void timerEvent(QTimerEvent *event) override;

private:
    void setStatus(DriverStatus status);
    void scheduleReconnect(const QString &why);
    void fail(const DeviceCommand &command, bool transient, const QString &message);

    QString m_id;
    QString m_type;
    DriverStatus m_status = DriverStatus::Offline;
    bool m_wanted = false; // the user asked for a connection: keep reconnecting
    int m_attempt = 0;
    ReconnectPolicy m_policy;
    QBasicTimer m_reconnect; // runs only while waiting to reconnect
    qint64 m_running = 0;
    CommandResult m_last;
    qint64 m_interrupted = 0;
    TelemetryCollector *m_collector = nullptr;
    qint64 m_nonFinite = 0;
    qint64 m_nonFiniteLoggedMs = 0;
};

void registerDriverMetaTypes();

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceCommand)
Q_DECLARE_METATYPE(alabos::CommandResult)
Q_DECLARE_METATYPE(alabos::DriverStatus)
Q_DECLARE_METATYPE(alabos::DeviceStateReport)
