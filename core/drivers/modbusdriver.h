#pragma once
#include "core/drivers/modbusregistermap.h"

#include <QTimer>

class QModbusTcpClient;
class QModbusReply;

namespace alabos {

struct DriverContext;

// A device on Modbus TCP (Qt SerialBus), configured by a register map: telemetry registers
// are polled every poll_ms; a command writes registers in order, then optionally polls a
// register until a condition holds. A request without answer (3 in a row while polling) or
// a dropped socket counts as a lost link: reconnect with backoff.
class ModbusDriver : public DeviceDriver
{
    Q_OBJECT
public:
    ModbusDriver(QString id, QString type, QString host, quint16 port, ModbusRegisterMap map,
                 QObject *parent = nullptr);
    ~ModbusDriver() override;
    QList<CommandDescription> describe() const override;
    const ModbusRegisterMap &registerMap() const { return m_map; }

protected:
    void openConnection() override;
    void closeConnection() override;
    void startCommand(const DeviceCommand &command) override;
    void abortCommand(qint64 commandId) override;

private:
    struct PendingWrite
    {
        const ModbusRegister *reg;
        QList<quint16> words;
    };
    void poll();
    void writeNext();
    void checkCompletion();
    void read(const ModbusRegister &reg, std::function<void(double)> onValue);
    bool send(const PendingWrite &write, std::function<void()> onDone);
    // A failed request: Modbus exceptions fail the command, silence counts against the link.
    void requestFailed(QModbusReply *reply, bool forCommand);

    QString m_host;
    quint16 m_port;
    ModbusRegisterMap m_map;
    QModbusTcpClient *m_client = nullptr;
    QTimer m_pollTimer;       // telemetry; runs only while connected
    QTimer m_completionTimer; // runs only while a command waits for its condition
    int m_pollsInFlight = 0;
    int m_silentPolls = 0;
    quint64 m_generation = 0; // bumps on every command end: late replies are dropped
    DeviceCommand m_command;
    const ModbusCommand *m_spec = nullptr;
    QList<PendingWrite> m_writes;
    double m_target = 0;
    qint64 m_deadlineMs = 0;
};

std::unique_ptr<DeviceDriver> createModbusDriver(const QJsonObject &config,
                                                 const DriverContext &context, QString *error);

} // namespace alabos
