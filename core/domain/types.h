#pragma once
// Value types shared by every thread. They carry no I/O and no Qt object identity,
// so they can cross thread boundaries through queued signals.
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace alabos {

using TaskId = qint64;
using WorkflowId = qint64;
using SampleId = qint64;
using EventId = qint64;

enum class DeviceStatus { Offline, Idle, Busy, Paused, Maintenance, Error };
enum class TaskStatus { Waiting, Ready, Running, Paused, Completed, Failed, Cancelled };

QString toString(DeviceStatus status);
QString toString(TaskStatus status);
std::optional<DeviceStatus> deviceStatusFromString(QStringView text);
std::optional<TaskStatus> taskStatusFromString(QStringView text);

bool isFinal(TaskStatus status);
// The task state machine of DESIGN.md: which transitions the engine may make.
bool isAllowedTransition(TaskStatus from, TaskStatus to);

// Microseconds since the Unix epoch; the one time unit on the wire and in memory.
qint64 nowMicros();
// Nanoseconds on the monotonic clock: for durations and deadlines, never stored.
qint64 steadyNs();

struct DeviceState
{
    QString id; // unique name, e.g. "furnace-2"
    QString type;
    DeviceStatus status = DeviceStatus::Offline;
    TaskId currentTask = 0;
    qint64 tasksCompleted = 0;
    qint64 updatedUs = 0;
    // Why the device is offline when its link is down ("connection refused by
    // 10.0.0.5:502"); empty otherwise. At most kMaxMessageLength characters.
    QString message;
    static constexpr int kMaxMessageLength = 500;

    QJsonObject toJson() const;
    static std::optional<DeviceState> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const DeviceState &) const = default;
};

struct TaskState
{
    TaskId id = 0;
    WorkflowId workflowId = 0;
    QString name;       // the task template's name within its workflow, e.g. "heat"
    QString deviceType; // what it needs
    QString deviceId;   // what it got (empty until granted)
    TaskStatus status = TaskStatus::Waiting;
    int priority = 50;
    int attempts = 0;
    QList<SampleId> samples;
    QJsonObject parameters;
    qint64 createdUs = 0;
    qint64 startedUs = 0;
    qint64 finishedUs = 0;
    QString message; // why it failed or was cancelled
    qint64 queueRank = 0; // the engine's queue order (virtual time in us; smaller runs first)

    QJsonObject toJson() const;
    static std::optional<TaskState> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const TaskState &) const = default;
};

struct SampleState
{
    SampleId id = 0;
    QString barcode;
    QString position; // exact hierarchical name, empty when not in the lab
    WorkflowId workflowId = 0;
    QJsonObject metadata;
    qint64 createdUs = 0;
    qint64 deletedUs = 0; // deleted (sample.delete): kept for the record, shown nowhere live

    QJsonObject toJson() const;
    static std::optional<SampleState> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const SampleState &) const = default;
};

struct WorkflowState
{
    WorkflowId id = 0;
    QString templateName;
    QString status; // running, completed, failed, cancelled
    QList<SampleId> samples;
    qint64 createdUs = 0;
    qint64 finishedUs = 0;

    QJsonObject toJson() const;
    static std::optional<WorkflowState> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const WorkflowState &) const = default;
};

namespace entity {
inline constexpr auto Device = "device";
inline constexpr auto Task = "task";
inline constexpr auto Sample = "sample";
inline constexpr auto Workflow = "workflow";
inline constexpr auto Alarm = "alarm";
inline constexpr auto Prompt = "prompt";     // operator prompts raised by tasks
inline constexpr auto Position = "position"; // sample positions (hot reconfiguration)
inline constexpr auto Command = "command";   // operator commands, with user and host (audit)
} // namespace entity

// --- engine value types ---
// A question a task asks an operator; the task waits for one of `options`.
struct PromptState
{
    qint64 id = 0;
    TaskId taskId = 0;
    QString deviceId;
    QString message;
    QStringList options;
    QString status = QStringLiteral("open"); // open, answered, expired, cancelled
    QString answer;
    QString note;
    QString answeredBy;
    qint64 createdUs = 0;
    qint64 expiresUs = 0; // 0: never
    qint64 answeredUs = 0;

    QJsonObject toJson() const;
    static std::optional<PromptState> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const PromptState &) const = default;
};

// A named place a sample can be: exact hierarchical name ("furnace-2/tray/3"), its parent
// ("furnace-2/tray") and the device it belongs to.
struct PositionState
{
    QString name;
    QString parent;
    QString deviceId;
    bool removed = false;

    QJsonObject toJson() const;
    static std::optional<PositionState> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const PositionState &) const = default;
};

// A workflow template created at run time (workflow_templates): its JSON as submitted.
struct WorkflowTemplateRecord
{
    QString name;
    QJsonObject definition;
    QString createdBy;

    QJsonObject toJson() const;
    bool operator==(const WorkflowTemplateRecord &) const = default;
};

// A resource a running task holds: kind "device" or "position".
struct ResourceLease
{
    TaskId taskId = 0;
    QString kind;
    QString name;
    bool operator==(const ResourceLease &) const = default;
};
// --- end engine value types ---

// The version of an event's JSON envelope (its field "v").
inline constexpr int kEventFormatVersion = 1;

// An immutable fact. State events carry the entity's whole new state as payload, so
// a consumer never needs an earlier event to apply a later one.
struct Event
{
    EventId id = 0; // assigned by PostgreSQL at commit; 0 before
    QString entityType;
    QString entityId;
    QString kind; // "task.started", "device.status", ...
    qint64 timeUs = 0;
    QJsonObject payload;
    // In a change set that defers payloads: the payload is the JSON of this row of the change
    // set's list for the entity type (tasks, devices, samples, workflows), built by the writer
    // when it encodes the group; -1: `payload` holds it.
    qint32 stateRow = -1;

    bool operator==(const Event &) const = default;
};

struct TaskEdge
{
    WorkflowId workflowId = 0;
    TaskId from = 0;
    TaskId to = 0;
    bool operator==(const TaskEdge &) const = default;
};

// How a device is driven: its driver config as DriverRegistry takes it ({"id", "type",
// "driver", ...the kind's settings}). Stored with the device (devices.config) so that a
// restart can tell a device whose settings changed from one that did not.
struct DeviceConfig
{
    QString id;
    QJsonObject config;
    bool operator==(const DeviceConfig &) const = default;
};

// Everything one engine decision changes, written in one transaction.
struct ChangeSet
{
    QList<TaskEdge> edges;
    QList<DeviceState> devices;
    QList<TaskState> tasks;
    QList<SampleState> samples;
    QList<WorkflowState> workflows;
    QList<Event> events;
    QList<PromptState> prompts;
    QList<PositionState> positions;
    QList<ResourceLease> leases;             // granted
    QList<TaskId> releasedLeases;            // every lease of these tasks ends
    QList<WorkflowTemplateRecord> templates; // saved (a newer one of the same name replaces it)
    QList<DeviceConfig> deviceConfigs;       // written after `devices`
    // State events point at their row instead of carrying a copy of it as JSON (Event::stateRow):
    // a change set waiting for its commit is a fraction of the size, and the JSON is built on
    // the writer's encoding thread instead of the engine's. Set by the engine's commit queue.
    bool deferPayloads = false;

    bool isEmpty() const
    {
        return edges.isEmpty() && devices.isEmpty() && tasks.isEmpty() && samples.isEmpty() &&
               workflows.isEmpty() && events.isEmpty() && prompts.isEmpty() &&
               positions.isEmpty() && leases.isEmpty() && releasedLeases.isEmpty() &&
               templates.isEmpty() && deviceConfigs.isEmpty();
    }
    void append(const ChangeSet &other);
    // The payload of events[i], whether carried or deferred.
    QJsonObject payloadOf(qsizetype i) const;
    // Calls `f` with the row events[i] defers its payload to (a TaskState, DeviceState,
    // SampleState or WorkflowState) and returns true; false when the event carries its own.
    template <typename F> bool withStateRow(qsizetype i, F &&f) const
    {
        const Event &e = events.at(i);
        if (e.stateRow < 0) return false;
        const QString &type = e.entityType;
        if (type == QLatin1StringView(entity::Task))
            f(tasks.at(e.stateRow));
        else if (type == QLatin1StringView(entity::Device))
            f(devices.at(e.stateRow));
        else if (type == QLatin1StringView(entity::Sample))
            f(samples.at(e.stateRow));
        else if (type == QLatin1StringView(entity::Workflow))
            f(workflows.at(e.stateRow));
        else
            return false;
        return true;
    }
    void device(const DeviceState &state, const QString &kind);
    // A device whose driver config is set too: the event carries the config.
    void device(const DeviceState &state, const QString &kind, const QJsonObject &config);
    void task(const TaskState &state, const QString &kind);
    void sample(const SampleState &state, const QString &kind);
    void workflow(const WorkflowState &state, const QString &kind);
    void prompt(const PromptState &state, const QString &kind);
    void position(const PositionState &state, const QString &kind);
};

// What a console or a restarted engine starts from: the state as of one event id.
struct LabSnapshot
{
    QList<DeviceState> devices;
    QList<TaskState> tasks;
    QList<SampleState> samples;
    QList<WorkflowState> workflows;
    QList<TaskEdge> edges; // of the workflows in `workflows`
    QList<QJsonObject> alarms; // open alarms (core/domain/alarms.h JSON)
    QList<PromptState> prompts;     // open ones
    QList<PositionState> positions; // configured ones
    QList<ResourceLease> leases;
    QList<WorkflowTemplateRecord> templates; // created at run time
    QHash<QString, QJsonObject> deviceConfigs; // device id -> its stored driver config
    EventId lastEventId = 0;
    // The largest ids ever used, so a restarted engine never reuses one.
    TaskId maxTaskId = 0;
    WorkflowId maxWorkflowId = 0;
    SampleId maxSampleId = 0;
    qint64 maxPromptId = 0;
};

void registerMetaTypes();

} // namespace alabos

Q_DECLARE_METATYPE(alabos::DeviceState)
Q_DECLARE_METATYPE(alabos::TaskState)
Q_DECLARE_METATYPE(alabos::SampleState)
Q_DECLARE_METATYPE(alabos::WorkflowState)
Q_DECLARE_METATYPE(alabos::Event)
Q_DECLARE_METATYPE(alabos::ChangeSet)
Q_DECLARE_METATYPE(alabos::LabSnapshot)
Q_DECLARE_METATYPE(alabos::PromptState)
