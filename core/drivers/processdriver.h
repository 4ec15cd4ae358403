#pragma once
#include "core/drivers/devicedriver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QStringList>
#include <QTimer>

class QProcess;

namespace alabos {

struct DriverContext;

struct ProcessDriverConfig
{
    QString program; // absolute after resolution against the lab file's folder
    QStringList args;
    QString workingDirectory; // empty: the program's folder
    QHash<QString, QString> environment;
    int timeoutMs = 5000;       // a ping's answer, query_state's answer
    int startTimeoutMs = 10000; // hello to describe
    qsizetype maxLineBytes = 1024 * 1024;
    int maxTelemetryPerS = 1000;
    QJsonObject settings; // handed to the program in its hello

    // Refuses a bad config with `field "PATH" REASON`.
    static std::optional<ProcessDriverConfig>
    fromJson(const QJsonObject &config, const DriverContext &context, QString *error);
};

// A device driven by a program of its own (usually Python: a vendor SDK, pyvisa, pymodbus)
// that speaks JSON lines on its standard input and output (docs/driver-protocol.md). alabos
// starts it, says hello, takes its command descriptions, and from then on treats the device
// like a built-in one. It supervises the program: an exit, a missing describe, an unanswered
// ping and any line that breaks the protocol end in a clear device error and a restart with
// the base class's backoff; other devices never wait for it. Lives on a driver-pool thread.
class ProcessDriver : public DeviceDriver
{
    Q_OBJECT
public:
    static constexpr int kProtocolVersion = 1;

    ProcessDriver(QString id, QString type, ProcessDriverConfig config, QObject *parent = nullptr);
    ~ProcessDriver() override;
    // Any thread (the console asks for the descriptions); the program's describe sets them.
    QList<CommandDescription> describe() const override;
    QString identity() const;
    // Lines that broke the protocol, readings dropped by the rate limit or for a non-finite
    // value, results for commands that were not running: for tests and the log.
    qint64 protocolErrors() const { return m_protocolErrors; }
    qint64 droppedReadings() const { return m_droppedReadings; }
    qint64 strayResults() const { return m_strayResults; }
    qint64 restarts() const { return m_starts > 0 ? m_starts - 1 : 0; }

protected:
    void openConnection() override;
    void closeConnection() override;
    void startCommand(const DeviceCommand &command) override;
    void abortCommand(qint64 commandId) override;
    void completeReport(DeviceStateReport &report) const override;

private:
    enum class Phase
    {
        Stopped,
        Describing, // hello sent, waiting for describe
        Restoring,  // query_state sent, waiting for state
        Running
    };
    void send(const QJsonObject &message);
    void onStdout();
    void onStderr();
    void onFinished(int exitCode, int exitStatus);
    void onLine(const QByteArray &line);
    // The program broke the protocol: it cannot be trusted any more, so it is restarted.
    void protocolError(const QString &why, const QByteArray &line = {});
    void fault(const QString &why); // stop the program; failed connect or lost link
    void handleDescribe(const QJsonObject &m);
    void handleState(const QJsonObject &m);
    void handleResult(const QJsonObject &m);
    void handleTelemetry(const QJsonObject &m);
    void handleLog(const QJsonObject &m);
    void ping();
    void stopProgram();

    ProcessDriverConfig m_config;
    QProcess *m_process = nullptr;
    Phase m_phase = Phase::Stopped;
    QByteArray m_stdout;
    QByteArray m_stderr;
    mutable QMutex m_describedLock; // m_commands and m_identity are read from other threads
    QList<CommandDescription> m_commands;
    QString m_identity;
    bool m_persistent = false;
    QTimer m_deadline; // the answer the program owes now (describe, state, pong)
    QTimer m_pingTimer;
    qint64 m_pingSent = 0; // id of the unanswered ping (0: none)
    qint64 m_nextPing = 1;
    qint64 m_cancelled = 0; // a cancelled command whose late result is expected
    qint64 m_protocolErrors = 0;
    qint64 m_droppedReadings = 0;
    qint64 m_strayResults = 0;
    qint64 m_starts = 0;
    QElapsedTimer m_rateWindow; // telemetry rate limit: readings in the current second
    int m_readingsThisSecond = 0;
    qint64 m_droppedSinceLog = 0;
};

std::unique_ptr<DeviceDriver> createProcessDriver(const QJsonObject &config,
                                                  const DriverContext &context, QString *error);

} // namespace alabos
