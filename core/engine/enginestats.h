#pragma once
// The engine's counters, as the console's status bar and the headless summary show them: a
// header of its own so that a window need not include the whole engine.
#include <QElapsedTimer>
#include <QMetaType>
#include <QtGlobal>

namespace alabos {

// A cumulative duration and how many times it was added to: a mean without keeping samples.
struct StageTime
{
    qint64 totalUs = 0;
    qint64 count = 0;
    void add(qint64 us)
    {
        totalUs += us;
        ++count;
    }
    double meanMs() const { return count ? double(totalUs) / double(count) / 1000.0 : 0.0; }
};

// Adds the time of the outermost of nested scopes to `totalUs`: a slot that calls another one
// is counted once. Engine thread only.
class BusyClock
{
public:
    BusyClock(qint64 &totalUs, int &depth) : m_totalUs(totalUs), m_depth(depth)
    {
        if (m_depth++ == 0) m_timer.start();
    }
    ~BusyClock()
    {
        if (--m_depth == 0) m_totalUs += m_timer.nsecsElapsed() / 1000;
    }
    BusyClock(const BusyClock &) = delete;
    BusyClock &operator=(const BusyClock &) = delete;

private:
    qint64 &m_totalUs;
    int &m_depth;
    QElapsedTimer m_timer;
};

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

    // Where the time goes, cumulative since start (cheap: a clock read per step). Engine
    // thread time spent deciding (submissions, commands, commits, results, flushes):
    qint64 decideUs = 0;
    // A change set from its hand-off to storage to the engine hearing it committed:
    StageTime commitLatency;
    // A task's life: from its creation to the commit that lets it become ready, ready to
    // granted (waiting for devices), granted to dispatched (waiting for the grant's commit),
    // dispatched to its device's answer.
    StageTime stageCreatedToReady;
    StageTime stageQueued;
    StageTime stageGrantToDispatch;
    StageTime stageOnDevice;
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::EngineStats)
