#pragma once
// The engine's counters, as the console's status bar and the headless summary show them: a
// header of its own so that a window need not include the whole engine.
#include <QMetaType>
#include <QtGlobal>

namespace alabos {

struct EngineStats
{
    qint64 tasksCompleted = 0;
    qint64 tasksFailed = 0;
    qint64 tasksRetried = 0;
    qint64 workflowsSubmitted = 0;
    qint64 workflowsCompleted = 0;
    qint64 workflowsFailed = 0;
    // Of the completed and failed ones: submitted before this start (recovered from the
    // database), so "finished" can exceed "submitted" in one run.
    qint64 workflowsFinishedFromBefore = 0;
    qint64 activeTasks = 0;
    qint64 runningTasks = 0;
    qint64 waitingForDevice = 0;
    qint64 changeSetsCommitted = 0;
    qint64 changeSetsRejected = 0;
    qint64 recoveredTasks = 0; // queued or running at the start: taken over from before it
    qint64 tasksCancelled = 0;
    qint64 openPrompts = 0;
    qint64 commandsRefused = 0;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::EngineStats)
