#pragma once
// What the engine keeps in memory per task, workflow, device and position: plain values on
// the engine thread, each kind written by the one class that owns its table (the scheduler
// for tasks, the resource manager for devices, positions and the queue, the workflow book
// for workflows).
#include "core/domain/types.h"

#include <QJsonObject>
#include <QStringList>
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
