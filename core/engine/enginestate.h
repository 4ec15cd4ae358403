#pragma once
// What the engine keeps in memory per task, workflow, device and position: plain values on
// the engine thread, each kind written by the one class that owns its table (the scheduler
// for tasks, the resource manager for devices, positions and the queue, the workflow book
// for workflows).
#include "core/domain/types.h"

#include <QJsonObject>
#include <QStringList>
#include <functional>
#include <optional>

namespace alabos {

struct DeviceSpec
{
    QString id;
    QString type;
    // The driver config as DriverRegistry takes it ({"id", "type", "driver", ...settings});
    // opaque to the engine, which stores it and hands it to the driver hooks.
    QJsonObject config;
};
// Creates / removes the driver of a device added or removed at run time.
using DriverAttach = std::function<bool(const DeviceSpec &, QString *error)>;
using DriverDetach = std::function<void(const QString &deviceId)>;

// Named priority levels; any number 0..1000 works too.
namespace priority {
inline constexpr int Low = 25;
inline constexpr int Normal = 50;
inline constexpr int High = 75;
inline constexpr int Urgent = 100;
} // namespace priority
// "low", "normal", "high", "urgent" or a number 0..1000 (JSON number or string).
std::optional<int> parsePriority(const QJsonValue &value);

// Command ids derive from the task and its attempt, so they survive a restart and a device's
// "last finished command" can be matched to a task after a crash.
inline constexpr qint64 kIdsPerTask = 1000;
// The command of an operator step: a prompt, answered by a person instead of a device.
inline constexpr QLatin1StringView kPromptCommand("prompt");

struct QueueKey
{
    qint64 rank; // virtual time: ready time minus priority head start; smaller first
    qint64 seq;
    TaskId task;
    auto operator<=>(const QueueKey &) const = default;
};
// What a task asks for, all or nothing.
struct Request
{
    QStringList types;       // one entry per device needed by type (the first runs the command)
    QStringList names;       // devices needed by exact name
    QStringList positions;   // exact position names
    QString positionsParent; // N free positions directly under this exact parent
    int positionCount = 0;
    bool primaryByName = false; // the command goes to names[0] instead of a typed device
};
struct TaskEntry
{
    TaskState state;
    QString command;
    Request request;
    QList<TaskId> successors;
    int pendingDeps = 0;
    qint64 commandId = 0;
    QueueKey key{};
    QString signature;
    bool queued = false;
    bool startsWorkflow = false;
    bool cancelRequested = false;
    QString cancelledBy;
    QStringList heldDevices; // [0] runs the command
    QStringList heldPositions;
    qint64 promptId = 0;
    qint64 readyUs = 0; // when it last became ready (nowMicros), for EngineStats' stages
};
struct WorkflowEntry
{
    WorkflowState state;
    QList<TaskId> tasks;
    int unfinished = 0;
};
struct DeviceEntry
{
    DeviceState state;
    TaskId leasedBy = 0;
    bool removed = false;
    // Drain actions, applied when the running task ends.
    std::optional<DeviceStatus> pendingStatus; // paused or maintenance
    bool pendingRemove = false;
    std::optional<DeviceSpec> pendingSpec; // a new type or driver config
    QJsonObject config;                    // the driver config it runs with
    bool linkDown = false;                 // its driver lost the instrument
};
struct PositionEntry
{
    PositionState state;
    TaskId leasedBy = 0;
    bool pendingRemove = false;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceSpec)
