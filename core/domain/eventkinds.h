#pragma once
// Every kind of event alabos writes to the events table (and so to the state topics and
// alabos.commands): one list. docs/events.md lists the same kinds; tst_domain compares them.
#include <QString>
#include <QStringList>

namespace alabos::eventkind {

inline const QString kAlarmAcknowledged = QStringLiteral("alarm.acknowledged");
inline const QString kAlarmCleared = QStringLiteral("alarm.cleared");
inline const QString kAlarmRaised = QStringLiteral("alarm.raised");
inline const QString kAlarmReturned = QStringLiteral("alarm.returned");
inline const QString kAlarmShelved = QStringLiteral("alarm.shelved");
inline const QString kAlarmUnshelved = QStringLiteral("alarm.unshelved");
inline const QString kCommandAccepted = QStringLiteral("command.accepted");
inline const QString kCommandRefused = QStringLiteral("command.refused");
inline const QString kDeviceEdited = QStringLiteral("device.edited");
inline const QString kDeviceRegistered = QStringLiteral("device.registered");
inline const QString kDeviceRemoved = QStringLiteral("device.removed");
inline const QString kDeviceStatus = QStringLiteral("device.status");
inline const QString kPositionAdded = QStringLiteral("position.added");
inline const QString kPositionRemoved = QStringLiteral("position.removed");
inline const QString kPromptClosed = QStringLiteral("prompt.closed");
inline const QString kPromptOpened = QStringLiteral("prompt.opened");
inline const QString kSampleRegistered = QStringLiteral("sample.registered");
// A sample registered earlier, taken into a submitted workflow.
inline const QString kSampleAssigned = QStringLiteral("sample.assigned");
inline const QString kSampleDeleted = QStringLiteral("sample.deleted");
inline const QString kTaskCancelRequested = QStringLiteral("task.cancel_requested");
inline const QString kTaskCancelled = QStringLiteral("task.cancelled");
inline const QString kTaskCompleted = QStringLiteral("task.completed");
inline const QString kTaskCreated = QStringLiteral("task.created");
inline const QString kTaskFailed = QStringLiteral("task.failed");
inline const QString kTaskHeld = QStringLiteral("task.held");
inline const QString kTaskPriority = QStringLiteral("task.priority");
inline const QString kTaskReady = QStringLiteral("task.ready");
inline const QString kTaskRecovered = QStringLiteral("task.recovered");
inline const QString kTaskReleased = QStringLiteral("task.released");
inline const QString kTaskRetried = QStringLiteral("task.retried");
inline const QString kTaskStarted = QStringLiteral("task.started");
inline const QString kTaskWaiting = QStringLiteral("task.waiting");
inline const QString kWorkflowCreated = QStringLiteral("workflow.created");
inline const QString kWorkflowFinished = QStringLiteral("workflow.finished");
inline const QString kWorkflowResumed = QStringLiteral("workflow.resumed");

inline QStringList all()
{
    return {kAlarmAcknowledged, kAlarmCleared,        kAlarmRaised,     kAlarmReturned,
            kAlarmShelved,      kAlarmUnshelved,      kCommandAccepted, kCommandRefused,
            kDeviceEdited,      kDeviceRegistered,    kDeviceRemoved,   kDeviceStatus,
            kPositionAdded,     kPositionRemoved,     kPromptClosed,    kPromptOpened,
            kSampleAssigned,    kSampleDeleted,       kSampleRegistered,  kTaskCancelRequested, kTaskCancelled,   kTaskCompleted,
            kTaskCreated,       kTaskFailed,          kTaskHeld,        kTaskPriority,
            kTaskReady,         kTaskRecovered,       kTaskReleased,    kTaskRetried,
            kTaskStarted,       kTaskWaiting,         kWorkflowCreated, kWorkflowFinished,
            kWorkflowResumed};
}

} // namespace alabos::eventkind
