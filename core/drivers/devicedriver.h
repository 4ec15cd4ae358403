#pragma once
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include "core/domain/types.h"

namespace alabos {

struct DeviceCommand
{
    qint64 id = 0; // unique per process; the reply carries it back
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

// One command a driver understands, with its parameters (name, type, unit, min, max,
// default), in the spirit of a SiLA 2 feature description.
struct CommandDescription
{
    QString name;
    QString description;
    QJsonArray parameters;
};

// A device driver: a QObject living on a driver-pool thread. Its slots are invoked
// queued from other threads; every command ends in exactly one commandFinished, unless
// the device never answers, which the engine's timeout catches.
class DeviceDriver : public QObject
{
    Q_OBJECT
public:
    DeviceDriver(QString id, QString type, QObject *parent = nullptr)
        : QObject(parent), m_id(std::move(id)), m_type(std::move(type))
    {
    }
    QString id() const { return m_id; }
    QString type() const { return m_type; }
    virtual QList<CommandDescription> describe() const = 0;

public Q_SLOTS:
    virtual void connectDevice() = 0;
    virtual void disconnectDevice() = 0;
    virtual void execute(const alabos::DeviceCommand &command) = 0;
    virtual void cancel(qint64 commandId) = 0;

Q_SIGNALS:
    void commandFinished(const alabos::CommandResult &result);
    void connectionChanged(const QString &deviceId, bool connected, const QString &message);
    void telemetry(const QString &deviceId, const QString &metric, double value, qint64 timeUs);

private:
    QString m_id;
    QString m_type;
};

void registerDriverMetaTypes();

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceCommand)
Q_DECLARE_METATYPE(alabos::CommandResult)
