// LabEngine::scheduleSnapshot: the queue as values for the schedule's prediction.
#include "core/engine/labengine.h"
#include "core/engine/schedulepredictor.h"

namespace alabos {

ScheduleSnapshot LabEngine::scheduleSnapshot() const
{
    ScheduleSnapshot s;
    s.nowUs = nowMicros();
    s.agingUsPerPoint = m_resources.agingUsPerPoint();
    s.granting = !m_resources.draining();
    const auto &devices = m_resources.devices();
    s.devices.reserve(devices.size());
    for (const DeviceEntry &d : devices) {
        if (d.removed) continue;
        s.devices.append({d.state.id, d.state.type, d.state.status, d.leasedBy,
                          d.state.tasksCompleted,
                          d.pendingStatus.has_value() || d.pendingRemove || d.linkDown});
    }
    s.tasks.reserve(qsizetype(m_tasks.size()));
    for (const auto &[id, t] : m_tasks) {
        const TaskStatus st = t.state.status;
        if (st != TaskStatus::Waiting && st != TaskStatus::Ready && st != TaskStatus::Paused &&
            st != TaskStatus::Running)
            continue;
        ScheduleTask x;
        x.id = id;
        x.workflowId = t.state.workflowId;
        x.templateName = m_workflows.templateOf(t.state.workflowId);
        x.step = t.state.name;
        x.deviceType = t.state.deviceType;
        x.types = t.request.types;
        x.names = t.request.names;
        x.status = st;
        x.priority = t.state.priority;
        x.rank = t.queued ? t.key.rank : t.state.queueRank;
        x.seq = t.queued ? t.key.seq : 0;
        x.startsWorkflow = t.startsWorkflow;
        x.pendingDeps = t.pendingDeps;
        x.successors = t.successors;
        x.samples = t.state.samples;
        x.deviceId = t.state.deviceId;
        x.startedUs = st == TaskStatus::Running ? t.state.startedUs : 0;
        x.expectedS = t.state.parameters.value(QLatin1StringView("duration_s")).toDouble(60);
        s.tasks.append(std::move(x));
    }
    return s;
}

} // namespace alabos
