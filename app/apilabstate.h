#pragma once
// The lab as the API answers it: the state this process's feed already holds (devices, tasks
// and the queue, workflows, alarms, prompts, templates), kept current from the feed's
// coalesced batches by one writer and read by the HTTP server's threads. A device's JSON is
// encoded once per change, so reading one costs a lookup. Bounded like the console's views:
// every unfinished task and workflow, the newest finished ones, every open prompt.
#include "core/bus/statefeed.h"
#include "core/engine/workflowtemplate.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QMap>
#include <deque>
#include <optional>
#include <shared_mutex>

namespace alabos {

struct ApiPage
{
    QJsonArray items;
    qint64 total = 0; // matching items, before paging
};

class ApiLabState
{
public:
    static constexpr int kFinishedTasksKept = 20000;
    static constexpr int kFinishedWorkflowsKept = 5000;
    static constexpr int kClosedPromptsKept = 2000;
    static constexpr int kClearedAlarmsKept = 2000;

    // The one writer: the feed's batches, in order.
    void apply(const FeedUpdate &update);
    void setTemplates(const QList<WorkflowTemplate> &templates);
    bool ready() const; // a first snapshot arrived

    std::optional<QByteArray> device(const QString &id) const;
    ApiPage devices(const QString &type, const QString &status, qsizetype offset,
                    qsizetype limit) const;
    std::optional<QJsonObject> task(TaskId id) const;
    // status: one status or empty; queued: waiting, ready and requesting, in queue order.
    ApiPage tasks(const QString &status, const QString &deviceId, WorkflowId workflow,
                  bool queuedOnly, qsizetype offset, qsizetype limit) const;
    std::optional<QJsonObject> workflow(WorkflowId id) const; // with its tasks
    ApiPage workflows(const QString &status, qsizetype offset, qsizetype limit) const;
    ApiPage alarms(bool activeOnly, qsizetype offset, qsizetype limit) const;
    std::optional<Alarm> alarm(qint64 id) const;
    ApiPage prompts(bool openOnly, qsizetype offset, qsizetype limit) const;
    std::optional<PromptState> prompt(qint64 id) const;
    QJsonArray templates() const;
    bool hasTemplate(const QString &name) const;
    // For /metrics: devices by status, and by type how many there are and how many are busy.
    struct Fleet
    {
        QMap<QString, qint64> byStatus;
        QMap<QString, QPair<qint64, qint64>> busyAndTotalByType;
        qint64 queued = 0;         // tasks ready and waiting for a device
        qint64 oldestQueuedUs = 0; // creation time of the oldest of them; 0: none
    };
    Fleet fleet() const;

private:
    void trimFinished();

    mutable std::shared_mutex m_mutex;
    bool m_ready = false;
    QHash<QString, DeviceState> m_devices;
    QHash<QString, QByteArray> m_deviceJson;
    QList<QString> m_deviceOrder; // sorted ids, rebuilt when a device appears
    QHash<TaskId, TaskState> m_tasks;
    std::deque<TaskId> m_finishedTasks; // oldest first
    QHash<WorkflowId, WorkflowState> m_workflows;
    std::deque<WorkflowId> m_finishedWorkflows;
    QHash<qint64, Alarm> m_alarms;
    std::deque<qint64> m_clearedAlarms;
    QHash<qint64, PromptState> m_prompts;
    std::deque<qint64> m_closedPrompts;
    QJsonArray m_templates;
    QSet<QString> m_templateNames;
};

} // namespace alabos
