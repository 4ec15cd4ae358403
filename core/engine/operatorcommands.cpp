// Operator commands: the table, the checks every kind meets, the audit and the reply; and
// the handlers of prompts, workflows and tasks. Devices and positions: devicecommands.cpp.
#include "core/engine/operatorcommands.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/commitqueue.h"
#include "core/engine/labengine.h"
#include "core/engine/promptbook.h"
#include "core/engine/resourcemanager.h"
#include "core/engine/templatecheck.h"
#include "core/engine/workflowbook.h"
#include "core/security/signatures.h"

#include <QJsonArray>
#include <array>

namespace alabos {

using namespace eventkind;

namespace {

constexpr int kMaxNoteLength = 2000; // a prompt answer's note

const OperatorCommands::Kind *kindOf(const QString &kind)
{
    for (const OperatorCommands::Kind &k : OperatorCommands::table())
        if (k.kind == kind) return &k;
    return nullptr;
}

} // namespace

std::span<const OperatorCommands::Kind> OperatorCommands::table()
{
    using O = OperatorCommands;
    using namespace permission;
    static constexpr std::array kinds{
        O::Kind{QLatin1StringView("device.add"), LabConfig, &O::deviceAdd},
        O::Kind{QLatin1StringView("device.pause"), DeviceControl, &O::devicePause},
        O::Kind{QLatin1StringView("device.maintenance"), DeviceControl, &O::deviceMaintenance},
        O::Kind{QLatin1StringView("device.resume"), DeviceControl, &O::deviceResume},
        O::Kind{QLatin1StringView("device.remove"), LabConfig, &O::deviceRemove},
        O::Kind{QLatin1StringView("device.edit"), LabConfig, &O::deviceEdit},
        O::Kind{QLatin1StringView("device.reconnect"), DeviceControl, &O::deviceReconnect},
        O::Kind{QLatin1StringView("device.command"), DeviceControl, &O::deviceCommand},
        O::Kind{QLatin1StringView("position.add"), LabConfig, &O::positionAdd},
        O::Kind{QLatin1StringView("position.remove"), LabConfig, &O::positionRemove},
        O::Kind{QLatin1StringView("prompt.answer"), PromptAnswer, &O::promptAnswer},
        O::Kind{QLatin1StringView("workflow.submit"), WorkflowSubmit, &O::workflowSubmit},
        O::Kind{QLatin1StringView("workflow.template.save"), WorkflowTemplates, &O::templateSave},
        O::Kind{QLatin1StringView("task.retry"), TaskControl, &O::taskRetry},
        O::Kind{QLatin1StringView("task.cancel"), TaskControl, &O::taskCancel},
        O::Kind{QLatin1StringView("task.hold"), TaskControl, &O::taskHold},
        O::Kind{QLatin1StringView("task.release"), TaskControl, &O::taskRelease},
        O::Kind{QLatin1StringView("task.priority"), TaskControl, &O::taskPriority},
        O::Kind{QLatin1StringView("task.front"), TaskControl, &O::taskFront},
    };
    return kinds;
}

OperatorCommands::OperatorCommands(LabEngine &engine, CommitQueue &commits,
                                   ResourceManager &resources, PromptBook &prompts,
                                   WorkflowBook &workflows)
    : m_engine(engine), m_commits(commits), m_resources(resources), m_prompts(prompts),
      m_workflows(workflows)
{
}

void OperatorCommands::handle(const OperatorCommand &command)
{
    Call call{command, {}, {}};
    QString refusal;
    // Kinds other subsystems handle (alarms, users) are known to the domain; the engine
    // refuses them after the permission check, as a kind it does not handle.
    const Kind *kind = kindOf(command.kind);
    const QString needed = kind ? QString::fromLatin1(kind->permission)
                                : OperatorCommand::requiredPermission(command.kind);
    if (command.user.trimmed().isEmpty())
        refusal = tr("%1 refused: the command carries no user").arg(command.kind);
    else if (needed.isEmpty())
        refusal = tr("unknown command \"%1\"").arg(command.kind);
    else if (!roleAllows(command.role, needed))
        refusal = tr("%1 refused: %2 (%3) lacks the permission \"%4\"")
                      .arg(command.kind, command.user, toString(command.role), needed);
    else if (!kind)
        refusal = tr("%1 is not handled by the engine").arg(command.kind);
    // Checked here, whatever path the command came by: only a signature the scheduler's
    // account service made for exactly this command and user lets it run.
    else if (m_engine.m_signatures) {
        refusal = m_engine.m_signatures->check(command);
        // A console that did not know the kind needs one learns the policy from the refusal.
        if (!refusal.isEmpty())
            call.data.insert(QStringLiteral("signature_policy"),
                             m_engine.m_signatures->policy().toJson());
    }
    if (refusal.isEmpty() && kind) refusal = (this->*kind->handler)(call);
    const bool ok = refusal.isEmpty();
    if (!ok) ++m_engine.m_stats.commandsRefused;
    const QString message = ok ? call.message : refusal;
    audit(command, ok, message);
    if (call.deferReply) return; // the command's own after-commit action replies
    m_commits.afterCommit([this, command, ok, message, data = call.data](bool committed) {
        if (m_engine.m_dying) return;
        if (!committed)
            reply(command, false,
                  tr("%1 was not recorded: the database refused it").arg(command.kind));
        else
            reply(command, ok, message, data);
    });
}

void OperatorCommands::audit(const OperatorCommand &c, bool ok, const QString &message)
{
    // The audit trail is the event log: entity type "command", with user, host and outcome
    // (relayed to alabos.commands).
    QJsonObject payload = c.toJson();
    payload.insert(QStringLiteral("ok"), ok);
    payload.insert(QStringLiteral("message"), message);
    m_commits.batch().events.append(
        {0, QLatin1StringView(entity::Command), c.entityId.isEmpty() ? c.kind : c.entityId,
         ok ? kCommandAccepted : kCommandRefused, nowMicros(), payload});
    if (!ok) qCInfo(lcEngine).noquote() << "command refused:" << message;
    m_commits.scheduleFlush();
}

void OperatorCommands::reply(const OperatorCommand &c, bool ok, const QString &message,
                             const QJsonObject &data)
{
    // The reply shows what was signed, as the audit row and the event do (deferred replies
    // of a handler's own commit included).
    QJsonObject shown = data;
    if (ok && !c.signature.isEmpty())
        shown.insert(QStringLiteral("signature"), SignatureAuthority::shown(c.signature));
    Q_EMIT m_engine.commandReplied({c.id, ok, message, shown});
}

// ---------------------------------------------------------------------------------------
// Prompts

QString OperatorCommands::promptAnswer(Call &call)
{
    const OperatorCommand &c = call.command;
    bool okId = false;
    const qint64 id = c.entityId.toLongLong(&okId);
    if (!okId || !m_prompts.isOpen(id))
        return tr("prompt.answer: no open prompt \"%1\"").arg(c.entityId);
    const QJsonValue option = c.args.value(QLatin1StringView("option"));
    const PromptState &p = *m_prompts.find(id);
    if (!option.isString() || !p.options.contains(option.toString()))
        return tr("prompt.answer: args.option must be one of: %1")
            .arg(p.options.join(QStringLiteral(", ")));
    const QJsonValue note = c.args.value(QLatin1StringView("note"));
    if (!note.isUndefined() && !note.isString()) return tr("prompt.answer: args.note must be text");
    if (note.toString().size() > kMaxNoteLength)
        return tr("prompt.answer: args.note has %1 characters; at most %2")
            .arg(note.toString().size())
            .arg(kMaxNoteLength);
    for (QChar ch : note.toString())
        if (ch.category() == QChar::Other_Control && ch != u'\t' && ch != u'\n' && ch != u'\r')
            return tr("prompt.answer: args.note contains a control character (U+%1)")
                .arg(ch.unicode(), 4, 16, QLatin1Char('0'));
    m_prompts.close(id, QStringLiteral("answered"), option.toString(), note.toString(), c.user);
    call.message = tr("prompt %1 answered \"%2\"").arg(id).arg(option.toString());
    return {};
}

// ---------------------------------------------------------------------------------------
// Workflows

QString OperatorCommands::workflowSubmit(Call &call)
{
    const OperatorCommand &c = call.command;
    const QJsonObject &args = c.args;
    const QString templateName = args.value(QLatin1StringView("template")).toString();
    if (templateName.isEmpty()) return tr("workflow.submit: args.template is missing");
    const QJsonValue barcodesValue = args.value(QLatin1StringView("barcodes"));
    // Samples registered before (the API resolves them in the registry): id, barcode,
    // position and metadata as stored, so that the submission keeps them.
    const QJsonValue registeredValue = args.value(QLatin1StringView("samples"));
    QList<SampleState> registered;
    if (!registeredValue.isUndefined()) {
        if (!registeredValue.isArray())
            return tr("workflow.submit: args.samples must be an array of registered samples");
        const QJsonArray list = registeredValue.toArray();
        if (list.size() > kMaxSamplesPerSubmission)
            return tr("workflow.submit: args.samples has %1 samples, more than the %2 one "
                      "submission may carry")
                .arg(list.size())
                .arg(kMaxSamplesPerSubmission);
        for (qsizetype i = 0; i < list.size(); ++i) {
            QString why;
            const std::optional<SampleState> sample =
                SampleState::fromJson(list.at(i).toObject(), &why);
            if (!sample || sample->id <= 0 || sample->barcode.isEmpty())
                return tr("workflow.submit: args.samples[%1] is not a registered sample: %2")
                    .arg(i)
                    .arg(why.isEmpty() ? tr("it needs a positive id and a barcode") : why);
            registered << *sample;
        }
    }
    const bool noBarcodes = barcodesValue.isUndefined() && !registered.isEmpty();
    if (!noBarcodes &&
        (!barcodesValue.isArray() || (barcodesValue.toArray().isEmpty() && registered.isEmpty())))
        return tr("workflow.submit: args.barcodes must be a non-empty array of strings");
    if (const qsizetype count = barcodesValue.toArray().size() + registered.size();
        count > kMaxSamplesPerSubmission)
        return tr("workflow.submit: args.barcodes has %1 samples, more than the %2 one "
                  "submission may carry: submit them in several workflows")
            .arg(count)
            .arg(kMaxSamplesPerSubmission);
    QStringList barcodes;
    for (const QJsonValue &b : barcodesValue.toArray()) {
        if (!b.isString())
            return tr("workflow.submit: args.barcodes must be a non-empty array of strings");
        barcodes << b.toString();
    }
    int prio = priority::Normal;
    if (args.contains(QLatin1StringView("priority"))) {
        const auto p = parsePriority(args.value(QLatin1StringView("priority")));
        if (!p)
            return tr(
                "workflow.submit: args.priority must be low, normal, high, urgent or 0..1000");
        prio = *p;
    }
    const QJsonValue params = args.value(QLatin1StringView("parameters"));
    if (!params.isUndefined() && !params.isObject())
        return tr("workflow.submit: args.parameters must be an object {task: {name: value}}");
    // The submission is its own change set; the reply follows its commit (the audit event
    // rides with the next one).
    auto result = std::make_shared<QJsonObject>();
    const QString error = m_engine.submit(
        templateName, barcodes, prio, params.toObject(), result.get(),
        [this, c, result](bool committed) {
            if (!committed)
                reply(c, false,
                      tr("workflow.submit was not recorded: the database refused it (is a "
                         "barcode already registered?)"));
            else
                reply(c, true,
                      tr("workflow %1 submitted")
                          .arg(result->value(QLatin1StringView("workflow_id")).toInteger()),
                      *result);
        },
        registered);
    if (!error.isEmpty()) return error;
    call.deferReply = true;
    return {};
}

QString OperatorCommands::templateSave(Call &call)
{
    const OperatorCommand &c = call.command;
    const QJsonValue definition = c.args.value(QLatin1StringView("definition"));
    if (!definition.isObject())
        return tr("workflow.template.save: args.definition must be the template as a JSON "
                  "object");
    // Validated exactly as the shipped templates are, plus the rules of a run-time template
    // and the devices a submission would need, so a saved template can be submitted at once.
    // The console's workflow editor shows the same problems as they are made.
    WorkflowTemplate t;
    TemplateCheckContext context = m_resources.deviceCheckContext();
    context.runTime = true;
    context.isShipped = [this](const QString &name) { return m_workflows.isShipped(name); };
    const QList<TemplateProblem> problems = checkTemplate(definition.toObject(), context, &t);
    if (const QString why = firstBlocking(problems); !why.isEmpty()) return why;
    if (!c.entityId.isEmpty() && c.entityId != t.name)
        return tr("workflow.template.save: the command names template %1, the definition %2")
            .arg(c.entityId, t.name);
    const bool replaces = m_workflows.hasTemplate(t.name);
    // Stored as given (the shipped files' format), so it reads back exactly.
    m_commits.batch().templates.append({t.name, definition.toObject(), c.user});
    m_commits.afterCommit([this, t, definition = definition.toObject()](bool committed) {
        if (!committed || m_engine.m_dying) return;
        m_workflows.addTemplate(t);
        Q_EMIT m_engine.templateSaved(definition);
    });
    call.data.insert(QStringLiteral("template"), t.name);
    call.message =
        replaces ? tr("workflow template %1 replaced (%n task(s))", nullptr, int(t.tasks.size()))
                       .arg(t.name)
                 : tr("workflow template %1 saved (%n task(s))", nullptr, int(t.tasks.size()))
                       .arg(t.name);
    return {};
}

// ---------------------------------------------------------------------------------------
// Tasks

TaskEntry *OperatorCommands::namedTask(const Call &call, QString *refusal)
{
    const OperatorCommand &c = call.command;
    bool okId = false;
    const TaskId id = c.entityId.toLongLong(&okId);
    TaskEntry *t = okId ? m_engine.task(id) : nullptr;
    if (!t) {
        *refusal = tr("%1: unknown task \"%2\" (or its workflow finished)").arg(c.kind, c.entityId);
        return nullptr;
    }
    if (c.kind != QLatin1StringView("task.retry") && isFinal(t->state.status)) {
        *refusal =
            tr("%1: task %2 is already %3").arg(c.kind).arg(id).arg(toString(t->state.status));
        return nullptr;
    }
    return t;
}

QString OperatorCommands::taskRetry(Call &call)
{
    QString refusal;
    TaskEntry *t = namedTask(call, &refusal);
    if (!t) return refusal;
    TaskState &s = t->state;
    if (s.status != TaskStatus::Failed)
        return tr("task.retry: task %1 is %2; only a failed task can be retried")
            .arg(s.id)
            .arg(toString(s.status));
    // Back to ready, and the dependents its failure cancelled back to waiting.
    int reopened = 1;
    std::function<void(TaskEntry &)> reopen = [&](TaskEntry &from) {
        for (TaskId next : from.successors) {
            TaskEntry *dep = m_engine.task(next);
            if (!dep || dep->state.status != TaskStatus::Cancelled) continue;
            dep->state.status = TaskStatus::Waiting;
            dep->state.message.clear();
            dep->state.finishedUs = 0;
            ++m_engine.m_active;
            ++reopened;
            m_commits.batch().task(dep->state, kTaskWaiting);
            reopen(*dep);
        }
    };
    reopen(*t);
    m_workflows.reopen(s.workflowId, reopened);
    ++m_engine.m_active;
    --m_engine.m_stats.tasksFailed;
    s.finishedUs = 0;
    s.message = tr("retried by %1").arg(call.command.user);
    s.attempts = 0; // a fresh set of attempts
    m_resources.makeReady(*t);
    call.message = tr("task %1 is ready again").arg(s.id);
    return {};
}

QString OperatorCommands::taskCancel(Call &call)
{
    QString refusal;
    TaskEntry *t = namedTask(call, &refusal);
    if (!t) return refusal;
    const TaskId id = t->state.id;
    const QString &user = call.command.user;
    if (t->state.status != TaskStatus::Running) {
        m_engine.cancelWaiting(*t, tr("cancelled by %1").arg(user));
        call.message = tr("task %1 cancelled").arg(id);
        return {};
    }
    if (t->cancelRequested) return tr("task.cancel: task %1 is already being cancelled").arg(id);
    t->cancelRequested = true;
    t->cancelledBy = user;
    m_commits.batch().task(t->state, kTaskCancelRequested);
    const qint64 commandId = t->commandId;
    const QString device = t->heldDevices.value(0);
    const qint64 promptId = t->promptId;
    if (t->command == QLatin1StringView("prompt") || m_prompts.isOpen(promptId)) {
        m_prompts.close(promptId, QStringLiteral("cancelled"), {}, {}, user);
    } else {
        // The device is told once the cancellation is committed; the task ends when the
        // device answers, after its cleanup step.
        m_commits.afterCommit([this, device, commandId](bool committed) {
            if (committed && !m_engine.m_dying && m_engine.m_cancel &&
                m_engine.m_commands.count(commandId))
                m_engine.m_cancel(device, commandId);
        });
    }
    call.message = tr("cancelling task %1 on %2").arg(id).arg(device);
    return {};
}

QString OperatorCommands::taskHold(Call &call)
{
    QString refusal;
    TaskEntry *t = namedTask(call, &refusal);
    if (!t) return refusal;
    TaskState &s = t->state;
    if (s.status == TaskStatus::Running)
        return tr("task.hold: task %1 is running; cancel it or let it finish").arg(s.id);
    if (s.status == TaskStatus::Paused) return tr("task.hold: task %1 is already held").arg(s.id);
    m_resources.dequeue(*t);
    s.status = TaskStatus::Paused;
    s.message = tr("held by %1").arg(call.command.user);
    m_commits.batch().task(s, kTaskHeld);
    call.message = tr("task %1 held").arg(s.id);
    return {};
}

QString OperatorCommands::taskRelease(Call &call)
{
    QString refusal;
    TaskEntry *t = namedTask(call, &refusal);
    if (!t) return refusal;
    TaskState &s = t->state;
    if (s.status != TaskStatus::Paused) return tr("task.release: task %1 is not held").arg(s.id);
    s.message.clear();
    if (t->pendingDeps == 0) {
        s.status = TaskStatus::Ready;
        m_resources.enqueue(*t, true);
        m_commits.batch().task(s, kTaskReleased);
        m_resources.tryGrant(*t);
    } else {
        s.status = TaskStatus::Waiting;
        m_commits.batch().task(s, kTaskReleased);
    }
    call.message = tr("task %1 released").arg(s.id);
    return {};
}

QString OperatorCommands::taskPriority(Call &call)
{
    QString refusal;
    TaskEntry *t = namedTask(call, &refusal);
    if (!t) return refusal;
    TaskState &s = t->state;
    const auto p = parsePriority(call.command.args.value(QLatin1StringView("priority")));
    if (!p) return tr("task.priority: args.priority must be low, normal, high, urgent or 0..1000");
    // Keep what the task has waited: shift its rank by the priority difference.
    if (t->queued) s.queueRank -= qint64(*p - s.priority) * m_resources.agingUsPerPoint();
    s.priority = *p;
    m_resources.requeue(*t);
    m_commits.batch().task(s, kTaskPriority);
    call.message = tr("task %1 priority %2").arg(s.id).arg(*p);
    return {};
}

QString OperatorCommands::taskFront(Call &call)
{
    QString refusal;
    TaskEntry *t = namedTask(call, &refusal);
    if (!t) return refusal;
    TaskState &s = t->state;
    if (s.status == TaskStatus::Running)
        return tr("task.front: task %1 is already running").arg(s.id);
    s.queueRank = m_resources.frontRank(); // ahead of everything waiting now
    m_resources.requeue(*t);
    m_commits.batch().task(s, kTaskPriority);
    call.message = tr("task %1 moved to the front").arg(s.id);
    return {};
}

} // namespace alabos
