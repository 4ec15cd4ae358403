#pragma once
#include "core/drivers/devicedriver.h"

#include <QHash>

class QTimer;

namespace alabos {

// Scriptable failure modes of a simulated device, so every failure path of the engine
// can be tested against a real driver.
struct FailureScript
{
    int failOnNth = 0;        // the Nth command (1-based) fails; 0: never
    bool failTransient = true;
    int neverAnswerOnNth = 0; // the Nth command is accepted and never answered
    bool communicationLost = false; // every command fails: the link is down
    double slowFactor = 1.0;  // durations multiplied by this
    int wrongReplyOnNth = 0;  // the Nth command answers with a reply the driver cannot parse
};

// A simulated instrument of one of the lab's device types. Durations come from the
// command's "duration_s" parameter (or the type's default), divided by the acceleration.
class SimulatedDevice : public DeviceDriver
{
    Q_OBJECT
public:
    SimulatedDevice(QString id, QString type, double acceleration, QObject *parent = nullptr);

    QList<CommandDescription> describe() const override;
    void setFailureScript(const FailureScript &script) { m_script = script; }
    static QStringList knownTypes();
    static double defaultDurationSeconds(const QString &type);

public Q_SLOTS:
    void connectDevice() override;
    void disconnectDevice() override;
    void execute(const alabos::DeviceCommand &command) override;
    void cancel(qint64 commandId) override;

private:
    void finish(qint64 commandId, CommandResult result);

    double m_acceleration;
    FailureScript m_script;
    int m_commandCount = 0;
    bool m_connected = false;
    QHash<qint64, QTimer *> m_running;
};

} // namespace alabos
