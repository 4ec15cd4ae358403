#pragma once
// What the scheduler and the driver hosts say to each other over Kafka
// (docs/driver-hosts.md). The scheduler writes commands to alabos.device.commands, keyed by
// device and signed with its key; a driver host answers on alabos.device.reports, keyed by
// device (heartbeats by host name) and signed with the host's own key. Values are JSON with
// "v": 1; decoding checks every field and its length.
#include "core/drivers/devicedriver.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace alabos {

inline constexpr qsizetype kMaxDeviceMessageBytes = 1024 * 1024;
// A host name as the lab file's driver_host: 1 to 64 of A-Za-z0-9 . -, a letter or digit first.
bool isDriverHostName(const QString &name);

struct RemoteCommand
{
    enum class Kind
    {
        Execute,
        Cancel,
        Query // the device's state, its driver's link and its command descriptions
    };
    Kind kind = Kind::Query;
    QString host;
    QString deviceId;
    qint64 epoch = 0;      // the scheduler's leadership epoch: a host refuses older ones
    qint64 sentAtMs = 0;   // wall clock: a host refuses commands older than its own start
    DeviceCommand command; // Execute: the command; Cancel, Query: command.id only (Query: the
                           // question's id, which the host's State report answers)
};

QByteArray encodeRemoteCommand(const RemoteCommand &command);
std::optional<RemoteCommand> decodeRemoteCommand(QByteArrayView bytes, QString *error);

struct HostReport
{
    enum class Kind
    {
        Heartbeat, // keyed by host: alive, with the number of devices it runs
        Result,    // a command's one answer
        State      // a device's state, its link and descriptions (answers Query; sent on changes)
    };
    Kind kind = Kind::Heartbeat;
    QString host;
    QString boot;   // random per start of the host: a new one means the host restarted
    qint64 seq = 0; // grows within a boot: older reports are replays
    qint64 sentAtMs = 0;
    int devices = 0; // Heartbeat
    CommandResult result;
    DeviceStateReport state;
    qint64 answers = 0;  // State: the Query it answers; 0: sent on a change
    bool linkUp = false; // State: the host's driver is connected to the instrument
    QString linkMessage;
    QList<CommandDescription> commands; // State
};

QByteArray encodeHostReport(const HostReport &report);
std::optional<HostReport> decodeHostReport(QByteArrayView bytes, QString *error);

} // namespace alabos
