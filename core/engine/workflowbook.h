#pragma once
// Workflow templates and the workflows made from them.
#include "core/domain/types.h"
#include "core/engine/enginestate.h"
#include "core/engine/enginestats.h"
#include "core/engine/workflowtemplate.h"

#include <QCoreApplication>
#include <QHash>
#include <functional>
#include <unordered_map>

namespace alabos {

class CommitQueue;
class ResourceManager;

// Sole owner of the workflow templates (shipped and saved at run time) and of the workflows
// that still have tasks, plus failed ones an operator may retry; engine thread only. It
// checks a submission and turns a template into its workflow, samples and tasks; the
// scheduler owns the tasks from then on and tells it when each one ends.
class WorkflowBook
{
    // The engine's messages keep one translation context, whichever class words them.
    Q_DECLARE_TR_FUNCTIONS(alabos::LabEngine)
public:
    // A submission turned into rows: the workflow and its tasks, in dependency order.
    struct Created
    {
        WorkflowId id = 0;
        QList<TaskEntry> tasks;
        QList<SampleId> samples;
    };

    WorkflowBook(CommitQueue &commits, const ResourceManager &resources, EngineStats &stats);

    // --- templates ---
    void addTemplate(const WorkflowTemplate &t) { m_templates.insert(t.name, t); }
    QStringList templateNames() const { return m_templates.keys(); }
    bool hasTemplate(const QString &name) const { return m_templates.contains(name); }
    bool isShipped(const QString &name) const { return m_shipped.contains(name); }

    // --- start ---
    // Ids go on from the snapshot's; templates saved at run time are loaded (a shipped one
    // of the same name wins) and the snapshot's running workflows are taken over.
    void restore(const LabSnapshot &snapshot);
    // An active task of the snapshot: its workflow waits for it.
    void adopt(const TaskState &task);
    // Workflows whose tasks the snapshot had but not the workflow itself.
    void settleUnlisted();

    // --- submission ---
    // Empty when `templateName` can run on these samples with these parameters now;
    // otherwise why not. `resolved`: each task's parameters.
    QString check(const QString &templateName, const QStringList &barcodes, int priority,
                  const QJsonObject &parameters, const QList<SampleState> &registered,
                  QList<QJsonObject> *resolved) const;
    // The checked submission as a workflow with new samples and tasks (ids from
    // `firstTaskId` on), written to the change set.
    Created create(const QString &templateName, const QStringList &barcodes, int priority,
                   const QList<QJsonObject> &resolved, const QList<SampleState> &registered,
                   TaskId firstTaskId);
    // The database refused the submission: it never happened.
    void forget(WorkflowId id);
    // Hands out `count` consecutive sample ids nobody else will use; returns the first.
    SampleId reserveSampleIds(int count);

    // --- lifecycle ---
    qint64 activeCount() const { return qint64(m_workflows.size()); }
    // The template an active workflow was made from; empty when it is not active.
    QString templateOf(WorkflowId id) const
    {
        const auto it = m_workflows.find(id);
        return it == m_workflows.end() ? QString() : it->second.state.templateName;
    }
    // One of its tasks reached a final state.
    void taskEnded(WorkflowId id);
    // Finishes the workflow when none of its tasks is left: completed when `completed`
    // says so of every task. Returns the tasks that may leave memory.
    QList<TaskId> finishIfDone(WorkflowId id, const std::function<bool(TaskId)> &completed);
    // task.retry: `tasks` of the workflow run again; a failed workflow runs again.
    void reopen(WorkflowId id, int tasks);

private:
    CommitQueue &m_commits;
    const ResourceManager &m_resources;
    EngineStats &m_stats;
    QHash<QString, WorkflowTemplate> m_templates;
    QStringList m_shipped; // run-time templates may not take these names
    std::unordered_map<WorkflowId, WorkflowEntry> m_workflows;
    std::unordered_map<WorkflowId, WorkflowEntry> m_failedWorkflows; // retryable until restart
    WorkflowId m_nextWorkflowId = 1;
    WorkflowId m_firstWorkflowOfThisRun = 1; // lower ids were submitted before this start
    SampleId m_nextSampleId = 1;
    // The last task made from each template step (template name, step index): the next one
    // with equal parameters shares them.
    struct Prototype
    {
        QString deviceType;
        QJsonObject parameters;
        Request request;
    };
    QHash<std::pair<QString, int>, Prototype> m_prototypes;
};

} // namespace alabos
