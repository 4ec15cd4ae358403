#include "core/engine/workflowbook.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/commitqueue.h"
#include "core/engine/resourcemanager.h"

#include <QSet>
#include <algorithm>

namespace alabos {

using namespace eventkind;

namespace {
constexpr int kMaxFailedWorkflowsKept = 10000;
}

WorkflowBook::WorkflowBook(CommitQueue &commits, const ResourceManager &resources,
                           EngineStats &stats)
    : m_commits(commits), m_resources(resources), m_stats(stats)
{
    QStringList errors;
    for (const WorkflowTemplate &t : shippedTemplates(&errors)) {
        addTemplate(t);
        m_shipped << t.name;
    }
    for (const QString &e : errors)
        qCWarning(lcEngine).noquote() << "workflow template refused:" << e;
}

void WorkflowBook::restore(const LabSnapshot &snapshot)
{
    m_nextWorkflowId = snapshot.maxWorkflowId + 1;
    m_firstWorkflowOfThisRun = m_nextWorkflowId;
    m_nextSampleId = snapshot.maxSampleId + 1;
    // Templates created at run time; a shipped one of the same name wins (logged).
    QStringList warnings;
    const QList<WorkflowTemplate> stored =
        storedTemplates(snapshot.templates, m_shipped, &warnings);
    for (const WorkflowTemplate &t : stored)
        addTemplate(t);
    for (const QString &w : std::as_const(warnings))
        qCWarning(lcEngine).noquote() << w;
    if (!stored.isEmpty())
        qCInfo(lcEngine) << "loaded" << stored.size() << "workflow templates created at run time";
    for (const WorkflowState &w : snapshot.workflows)
        m_workflows[w.id].state = w;
}

void WorkflowBook::adopt(const TaskState &task)
{
    WorkflowEntry &wf = m_workflows[task.workflowId];
    wf.tasks.append(task.id);
    ++wf.unfinished;
}

void WorkflowBook::settleUnlisted()
{
    for (auto &[id, w] : m_workflows) {
        if (w.state.id == 0) // tasks of a workflow the snapshot did not list as running
            w.state = {id, QStringLiteral("unknown"), QStringLiteral("running"), {}, nowMicros(),
                       0};
    }
}

QString WorkflowBook::check(const QString &templateName, const QStringList &barcodes, int priority,
                            const QJsonObject &parameters, const QList<SampleState> &registered,
                            QList<QJsonObject> *resolved) const
{
    const auto tmpl = m_templates.constFind(templateName);
    if (tmpl == m_templates.cend()) return tr("unknown workflow template \"%1\"").arg(templateName);
    if (priority < 0 || priority > 1000)
        return tr("workflow %1: priority %2 is outside 0..1000").arg(templateName).arg(priority);
    if (barcodes.isEmpty() && registered.isEmpty())
        return tr("workflow %1: no samples (barcodes is empty)").arg(templateName);
    QStringList all = barcodes;
    for (const SampleState &s : registered)
        all << s.barcode;
    for (const QString &b : std::as_const(all))
        if (b.trimmed().isEmpty()) return tr("workflow %1: an empty barcode").arg(templateName);
    if (QSet<QString>(all.begin(), all.end()).size() != all.size())
        return tr("workflow %1: a barcode is listed twice").arg(templateName);
    if (const QString why = m_resources.checkDevices(*tmpl); !why.isEmpty()) return why;
    QString error;
    const auto params = tmpl->resolveParameters(parameters, &error);
    if (!params) return error;
    *resolved = *params;
    return {};
}

WorkflowBook::Created WorkflowBook::create(const QString &templateName, const QStringList &barcodes,
                                           int priority, const QList<QJsonObject> &resolved,
                                           const QList<SampleState> &registered, TaskId firstTaskId)
{
    const WorkflowTemplate &tmpl = *m_templates.constFind(templateName);
    ChangeSet &batch = m_commits.batch();
    const qint64 now = nowMicros();
    const WorkflowId wfId = m_nextWorkflowId++;
    WorkflowEntry &wf = m_workflows[wfId];
    // The template's own name: a workflow adds no copy of it.
    wf.state = {wfId, tmpl.name, QStringLiteral("running"), {}, now, 0};
    QList<SampleState> samples;
    for (const QString &barcode : barcodes) {
        SampleState s{m_nextSampleId++, barcode, {}, wfId, {}, now};
        wf.state.samples.append(s.id);
        samples.append(s);
    }
    QList<SampleState> assigned = registered;
    for (SampleState &s : assigned) {
        s.workflowId = wfId;
        wf.state.samples.append(s.id);
    }
    batch.workflow(wf.state, kWorkflowCreated);
    for (const SampleState &s : samples)
        batch.sample(s, kSampleRegistered);
    for (const SampleState &s : std::as_const(assigned))
        batch.sample(s, kSampleAssigned);

    // Tasks in dependency order, so a task's predecessors are created before it.
    QHash<QString, qsizetype> indexByName;
    const QList<int> order = tmpl.topologicalOrder();
    Created created{wfId, {}, wf.state.samples};
    for (int index : order)
        indexByName.insert(tmpl.tasks[index].name, indexByName.size());
    for (int index : order) {
        const TaskTemplate &t = tmpl.tasks[index];
        TaskEntry entry;
        entry.state.id = firstTaskId + indexByName.value(t.name);
        entry.state.workflowId = wfId;
        entry.state.name = t.name;
        entry.state.deviceType = t.deviceName.isEmpty()
                                     ? t.deviceType
                                     : m_resources.devices().value(t.deviceName).state.type;
        entry.state.priority = priority;
        entry.state.samples = wf.state.samples;
        QJsonObject &p = entry.state.parameters;
        p = resolved[index];
        p.insert(QStringLiteral("command"), t.command);
        p.insert(QStringLiteral("duration_s"), t.durationS);
        if (!t.deviceName.isEmpty()) p.insert(QStringLiteral("device"), t.deviceName);
        if (!t.resources.isEmpty()) p.insert(QStringLiteral("resources"), t.resources);
        if (t.timeoutS > 0) p.insert(QStringLiteral("timeout_s"), t.timeoutS);
        if (!t.cleanup.isEmpty()) p.insert(QStringLiteral("cleanup"), t.cleanup);
        if (!t.prompt.isEmpty()) p.insert(QStringLiteral("prompt"), t.prompt);
        if (!t.rerunSafe) p.insert(QStringLiteral("rerun_safe"), false);
        entry.state.createdUs = now;
        entry.command = t.command;
        // Tasks made from the same template step with the same parameters share one copy of
        // them and of their request, instead of each holding its own until it finishes.
        Prototype &proto = m_prototypes[{tmpl.name, index}];
        if (proto.deviceType == entry.state.deviceType && proto.parameters == p) {
            p = proto.parameters;
            entry.request = proto.request;
        } else {
            entry.request = ResourceManager::requestFrom(entry.state);
            proto = {entry.state.deviceType, p, entry.request};
        }
        entry.startsWorkflow = t.dependsOn.isEmpty();
        entry.pendingDeps = int(t.dependsOn.size());
        // Ready from the start when it depends on nothing: one version and one event fewer
        // than waiting first. It joins the queue once the submission commits.
        if (entry.startsWorkflow) {
            entry.state.status = TaskStatus::Ready;
            entry.state.queueRank = m_resources.rankNow(entry);
        }
        for (const QString &dep : t.dependsOn) {
            TaskEntry &from = created.tasks[indexByName.value(dep)];
            from.successors.append(entry.state.id);
            batch.edges.append({wfId, from.state.id, entry.state.id});
        }
        wf.tasks.append(entry.state.id);
        ++wf.unfinished;
        batch.task(entry.state, kTaskCreated);
        created.tasks.append(std::move(entry));
    }
    ++m_stats.workflowsSubmitted;
    return created;
}

void WorkflowBook::forget(WorkflowId id)
{
    m_workflows.erase(id);
    --m_stats.workflowsSubmitted;
}

SampleId WorkflowBook::reserveSampleIds(int count)
{
    const SampleId first = m_nextSampleId;
    m_nextSampleId += count;
    return first;
}

void WorkflowBook::taskEnded(WorkflowId id)
{
    auto wf = m_workflows.find(id);
    if (wf != m_workflows.end()) --wf->second.unfinished;
}

QList<TaskId> WorkflowBook::finishIfDone(WorkflowId id,
                                         const std::function<bool(TaskId)> &completed)
{
    auto wf = m_workflows.find(id);
    if (wf == m_workflows.end() || wf->second.unfinished > 0) return {};
    const bool allCompleted = std::all_of(wf->second.tasks.cbegin(), wf->second.tasks.cend(),
                                          [&](TaskId t) { return completed(t); });
    wf->second.state.status = allCompleted ? QStringLiteral("completed") : QStringLiteral("failed");
    wf->second.state.finishedUs = nowMicros();
    m_commits.batch().workflow(wf->second.state, kWorkflowFinished);
    if (id < m_firstWorkflowOfThisRun) ++m_stats.workflowsFinishedFromBefore;
    QList<TaskId> leaving;
    if (allCompleted) {
        ++m_stats.workflowsCompleted;
        // Finished work leaves the engine's memory (PostgreSQL keeps it).
        leaving = wf->second.tasks;
    } else {
        ++m_stats.workflowsFailed;
        // Kept (bounded) so an operator can retry a failed task.
        m_failedWorkflows[id] = std::move(wf->second);
        if (m_failedWorkflows.size() > size_t(kMaxFailedWorkflowsKept)) {
            auto oldest =
                std::min_element(m_failedWorkflows.begin(), m_failedWorkflows.end(),
                                 [](const auto &a, const auto &b) { return a.first < b.first; });
            leaving = oldest->second.tasks;
            m_failedWorkflows.erase(oldest);
        }
    }
    m_workflows.erase(id);
    return leaving;
}

void WorkflowBook::reopen(WorkflowId id, int tasks)
{
    auto failed = m_failedWorkflows.find(id);
    if (failed != m_failedWorkflows.end()) {
        WorkflowEntry &wf = m_workflows[id] = std::move(failed->second);
        m_failedWorkflows.erase(failed);
        wf.state.status = QStringLiteral("running");
        wf.state.finishedUs = 0;
        wf.unfinished = 0;
        --m_stats.workflowsFailed;
        m_commits.batch().workflow(wf.state, kWorkflowResumed);
    }
    m_workflows[id].unfinished += tasks;
}

} // namespace alabos
