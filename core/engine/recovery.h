#pragma once
// What a restarted engine makes of the tasks the previous process left behind.
#include "core/domain/types.h"
#include "core/engine/enginestate.h"

#include <QCoreApplication>
#include <QHash>
#include <functional>

namespace alabos {

class LabEngine;
struct DeviceReport;

// Rebuilds the active tasks from the snapshot and decides, for each task that was running
// when the previous process stopped, whether it still runs, finished, runs again or needs
// an operator. Asks the device first when it can tell (queryState); a device that does not
// answer in time counts as one that cannot tell. Engine thread only; sole owner of the
// questions to devices still unanswered. Each decision is one log line and one task event.
class Recovery
{
    // The engine's messages keep one translation context, whichever class words them.
    Q_DECLARE_TR_FUNCTIONS(alabos::LabEngine)
public:
    // Asks a device for its state (answer through onDeviceReport); false: it cannot tell.
    using StateQuery = std::function<bool(const QString &deviceId)>;

    explicit Recovery(LabEngine &engine);
    void setStateQuery(StateQuery query) { m_queryState = std::move(query); }

    // The snapshot's active tasks into the engine: dependencies, open operator steps, ready
    // tasks queued, running ones holding what they held. Returns the running ones.
    QList<TaskId> rebuild(const LabSnapshot &snapshot);
    // Decides (or asks the devices about) the tasks that were running.
    void resume(const QList<TaskId> &running);
    void onDeviceReport(const DeviceReport &report);

private:
    void decide(TaskEntry &task, const DeviceReport *report);
    // The device cannot tell and repeating the step is unsafe: an operator decides.
    void askOperator(TaskEntry &task);
    // Back to the queue, its resources released.
    void runAgain(TaskEntry &task, const QString &message);
    void log(const TaskEntry &task) const;

    LabEngine &m_engine;
    StateQuery m_queryState;
    QHash<QString, TaskId> m_askedDevices; // device -> the task whose fate it is asked about
};

} // namespace alabos
