#pragma once
#include "core/drivers/devicedriver.h"

#include <memory>

namespace alabos {

// Scriptable failure modes of a simulated device, so every failure path of the engine
// can be tested against a real driver. N counts commands that reach the device (valid ones).
struct FailureScript
{
    int failOnNth = 0; // the Nth command (1-based) fails; 0: never
    bool failTransient = true;
    int neverAnswerOnNth = 0;       // the Nth command is accepted and never answered
    bool communicationLost = false; // the link never comes up: every connect attempt fails
    int communicationLostOnNth = 0; // the link drops when the Nth command starts
    int reconnectFailures = 0;      // after a drop, this many reconnect attempts fail
    double slowFactor = 1.0;        // durations multiplied by this
    int wrongReplyOnNth = 0;        // the Nth command answers with a reply that cannot be parsed

    static std::optional<FailureScript> fromJson(const QJsonObject &json, QString *error);
};

class SimulatedBehaviour;

// A simulated instrument of one of the lab's device types; per-type behaviour (the
// command's parameters, duration, telemetry and result) lives in simulatedbehaviours.cpp.
// A command lasts its simulated duration divided by the acceleration. Its "duration_s"
// parameter, where given (the engine passes its expected duration), overrides the
// duration computed from the other parameters; the furnace then compresses its profile.
class SimulatedDevice : public DeviceDriver
{
    Q_OBJECT
public:
    SimulatedDevice(QString id, QString type, double acceleration, QObject *parent = nullptr);
    ~SimulatedDevice() override;

    QList<CommandDescription> describe() const override;
    void setFailureScript(const FailureScript &script) { m_script = script; }
    // Persist the last finished and the running command id to DIR/<id>.json, and load them
    // now: a device built again on the same directory (a restart) remembers them.
    // Without a directory the memory lasts as long as the object.
    bool setStateDirectory(const QString &directory, QString *error = nullptr);
    void sampleTelemetry(qint64 nowUs, QList<TelemetryReading> &out) override;
    double acceleration() const { return m_acceleration; }

    static QStringList knownTypes();
    static double defaultDurationSeconds(const QString &type);

protected:
    void openConnection() override;
    void closeConnection() override;
    void startCommand(const DeviceCommand &command) override;
    void abortCommand(qint64 commandId) override;
    void rememberState() override;
    void completeReport(DeviceStateReport &report) const override;
    void timerEvent(QTimerEvent *event) override;

private:
    void complete();

    double m_acceleration;
    std::unique_ptr<SimulatedBehaviour> m_behaviour;
    FailureScript m_script;
    int m_commandCount = 0;
    int m_reconnectFailuresLeft = 0;
    QBasicTimer m_commandTimer; // runs only while a command runs
    qint64 m_startNs = 0;
    qint64 m_durationNs = 0;
    int m_commandN = 0;
    DeviceCommand m_command;
    QString m_statePath;
};

} // namespace alabos
