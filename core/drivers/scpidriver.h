#pragma once
#include "core/drivers/devicedriver.h"

class QTcpSocket;
class QTimer;

namespace alabos {

struct DriverContext;

// One command of an SCPI instrument: lines sent as they are ("VOLT {voltage_v}") and an
// optional query whose reply becomes the result.
struct ScpiCommand
{
    CommandDescription description;
    QStringList send;
    QString query;
    QString resultKey;         // key of the reply in the result data
    bool numericResult = true; // the reply must parse as a number
};

// A query read every poll period as telemetry ("MEAS:VOLT?" -> voltage_v).
struct ScpiTelemetry
{
    QString name;
    QString query;
    QString unit;
};

struct ScpiConfig
{
    QString host;
    quint16 port = 5025;
    int timeoutMs = 2000;
    QString abort; // sent when a command is cancelled (e.g. "ABOR"); empty: nothing
    QList<ScpiCommand> commands;
    QList<ScpiTelemetry> telemetry;
    int pollMs = 1000;
    // Refuses a bad config with a message naming the field.
    static std::optional<ScpiConfig> fromJson(const QJsonObject &config, QString *error);
};

// How an instrument's reply lines read (the line without its line end, trimmed). Pure, so
// the driver, its tests and the fuzzer run the same code.
struct ScpiError
{
    int code = 0; // 0: no error
    QString message;
};
// A telemetry reply: a finite number below 9.9E37, SCPI's "overload / not a number".
std::optional<double> parseScpiReading(const QString &line);
// A query's result: a number when the command says so (as a reading: finite, below 9.9E37),
// else the text of at most kMaxScpiTextResult characters; nullopt when it is not that.
inline constexpr qsizetype kMaxScpiTextResult = 4096;
std::optional<QJsonValue> parseScpiResult(const QString &line, bool numeric);
// *IDN? answers "maker,model,serial,firmware".
bool isScpiIdentity(const QString &line);
// SYST:ERR? answers "<code>,\"<message>\""; nullopt when it is not that, or when the code does
// not fit an int (read as 0 it would pass a failed command as done).
std::optional<ScpiError> parseScpiError(const QString &line);

// An SCPI instrument over raw TCP (port 5025 style), newline-terminated. *IDN? at connect;
// every command is followed by SYST:ERR?, and a non-zero error fails the command with the
// instrument's message. A reply that does not come within the timeout desynchronises the
// stream, so the link is dropped and re-established with backoff.
class ScpiDriver : public DeviceDriver
{
    Q_OBJECT
public:
    ScpiDriver(QString id, QString type, ScpiConfig config, QObject *parent = nullptr);
    ~ScpiDriver() override;
    QList<CommandDescription> describe() const override;
    QString identity() const { return m_identity; }

protected:
    void openConnection() override;
    void closeConnection() override;
    void startCommand(const DeviceCommand &command) override;
    void abortCommand(qint64 commandId) override;
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Expect
    {
        Identity,
        Result,
        Error,
        Telemetry
    };
    struct Pending
    {
        Expect kind;
        quint64 generation;
        int telemetry = -1; // index into the config's telemetry queries
    };
    void onReadyRead();
    void onLine(const QString &line);
    void sendLines(const QStringList &lines);
    void pollTelemetry();

    ScpiConfig m_config;
    QTcpSocket *m_socket = nullptr;
    QList<Pending> m_pending;
    QBasicTimer m_replyTimer; // runs only while a reply is awaited
    quint64 m_generation = 0;
    DeviceCommand m_command;
    const ScpiCommand *m_spec = nullptr;
    QJsonObject m_data;
    QString m_failure; // a garbled result: reported once the error query has answered
    QString m_identity;
    QTimer *m_pollTimer = nullptr; // runs only while connected, when there is telemetry
    int m_telemetryInFlight = 0;
};

std::unique_ptr<DeviceDriver> createScpiDriver(const QJsonObject &config,
                                               const DriverContext &context, QString *error);

} // namespace alabos
