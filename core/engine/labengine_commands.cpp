// Operator commands: permission, validation, a committed change with an audit event, then
// the reply. Kept apart from the scheduler proper (labengine.cpp).
#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/engine/labengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>

namespace alabos {

using namespace eventkind;

namespace {

constexpr int kMaxNameLength = 64;
constexpr int kMaxNoteLength = 2000; // a prompt answer's note
constexpr qsizetype kMaxDriverSettingsBytes = 256 * 1024;
bool validDeviceName(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    return re.match(s).hasMatch();
}
bool validType(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    return re.match(s).hasMatch();
}
bool validDriverKind(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]{0,31}$"));
    return re.match(s).hasMatch();
}

// The driver config of device.add / device.edit: args.driver (the kind) and args.settings
// (the kind's own fields), on top of `current` (edit). The kind checks its settings when the
// driver is built; here only the shape and the size.
std::optional<QJsonObject> driverConfigFrom(const QString &id, const QString &type,
                                            const QJsonObject &args, const QJsonObject &current,
                                            QString *why)
{
    QJsonObject config = current;
    const QJsonValue driver = args.value(QLatin1StringView("driver"));
    if (!driver.isUndefined()) {
        if (!driver.isString() || !validDriverKind(driver.toString())) {
            *why = QObject::tr("args.driver must name a driver kind (simulated, modbus, scpi, "
                               "process...)");
            return std::nullopt;
        }
        if (driver.toString() != config.value(QLatin1StringView("driver")).toString() &&
            !args.contains(QLatin1StringView("settings")))
            config = {}; // another kind: the old kind's settings mean nothing to it
        config.insert(QStringLiteral("driver"), driver);
    }
    const QJsonValue settings = args.value(QLatin1StringView("settings"));
    if (!settings.isUndefined()) {
        if (!settings.isObject()) {
            *why = QObject::tr("args.settings must be an object of the driver's settings");
            return std::nullopt;
        }
        const QJsonObject s = settings.toObject();
        for (const char *reserved : {"id", "type", "driver"})
            if (s.contains(QLatin1StringView(reserved))) {
                *why = QObject::tr("args.settings must not contain \"%1\" (it is args.%1 or "
                                   "the device's name)")
                           .arg(QLatin1StringView(reserved));
                return std::nullopt;
            }
        if (QJsonDocument(s).toJson(QJsonDocument::Compact).size() > kMaxDriverSettingsBytes) {
            *why = QObject::tr("args.settings is larger than %1 KiB")
                       .arg(kMaxDriverSettingsBytes / 1024);
            return std::nullopt;
        }
        const QString kind = config.value(QLatin1StringView("driver")).toString();
        config = s;
        config.insert(QStringLiteral("driver"), kind);
    }
    if (config.value(QLatin1StringView("driver")).toString().isEmpty()) {
        *why = QObject::tr("args.driver is missing: name the driver kind that runs the device "
                           "(simulated, modbus, scpi, process...)");
        return std::nullopt;
    }
    config.insert(QStringLiteral("id"), id);
    config.insert(QStringLiteral("type"), type);
    return config;
}
bool validTemplateName(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$"));
    return re.match(s).hasMatch();
}
constexpr int kMaxTemplateTasks = 500;
bool validPosition(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"));
    return re.match(s).hasMatch();
}
} // namespace

void LabEngine::handleCommand(const OperatorCommand &command)
{
    QJsonObject data;
    bool deferReply = false;
    QString refusal;
    const QString needed = OperatorCommand::requiredPermission(command.kind);
    if (command.user.trimmed().isEmpty())
        refusal = tr("%1 refused: the command carries no user").arg(command.kind);
    else if (needed.isEmpty())
        refusal = tr("unknown command \"%1\"").arg(command.kind);
    else if (!roleAllows(command.role, needed))
        refusal = tr("%1 refused: %2 (%3) lacks the permission \"%4\"")
                      .arg(command.kind, command.user, toString(command.role), needed);
    else
        refusal = applyCommand(command, &data, &deferReply);
    const bool ok = refusal.isEmpty();
    if (!ok) ++m_stats.commandsRefused;
    const QString message = ok ? data.value(QLatin1StringView("message")).toString() : refusal;
    data.remove(QStringLiteral("message"));
    audit(command, ok, message);
    if (deferReply) return; // the command's own after-commit action replies (workflow.submit)
    afterCommit([this, command, ok, message, data](bool committed) {
        if (m_dying) return;
        if (!committed)
            reply(command, false,
                  tr("%1 was not recorded: the database refused it").arg(command.kind), {});
        else
            reply(command, ok, message, data);
    });
}

void LabEngine::audit(const OperatorCommand &c, bool ok, const QString &message)
{
    // Until the storage branch's audit_log table lands, the audit trail is the event log:
    // entity type "command", with user, host and outcome (relayed to alabos.commands).
    QJsonObject payload = c.toJson();
    payload.insert(QStringLiteral("ok"), ok);
    payload.insert(QStringLiteral("message"), message);
    m_batch.events.append({0, QLatin1StringView(entity::Command),
                           c.entityId.isEmpty() ? c.kind : c.entityId,
                           ok ? kCommandAccepted : kCommandRefused, nowMicros(), payload});
    if (!ok) qCInfo(lcEngine).noquote() << "command refused:" << message;
    scheduleFlush();
}

void LabEngine::reply(const OperatorCommand &c, bool ok, const QString &message,
                      const QJsonObject &data)
{
    Q_EMIT commandReplied({c.id, ok, message, data});
}

void LabEngine::setDeviceStatus(DeviceEntry &d, DeviceStatus status, const QString &kind)
{
    idleErase(d);
    d.state.status = status;
    d.state.updatedUs = nowMicros();
    m_batch.device(d.state, kind);
    idleInsert(d);
}

QString LabEngine::applyCommand(const OperatorCommand &c, QJsonObject *data, bool *deferReply)
{
    const QString &kind = c.kind;
    const QJsonObject &args = c.args;
    auto setMessage = [&](const QString &m) { data->insert(QStringLiteral("message"), m); };

    // --- devices ---
    if (kind.startsWith(QLatin1StringView("device."))) {
        if (kind == QLatin1StringView("device.add")) {
            const QString type = args.value(QLatin1StringView("type")).toString();
            if (!validDeviceName(c.entityId))
                return tr("device.add: \"%1\" is not a valid device name (1 to %2 letters, "
                          "digits, . _ -)")
                    .arg(c.entityId.left(kMaxNameLength))
                    .arg(kMaxNameLength);
            if (m_devices.contains(c.entityId) && !m_devices[c.entityId].removed)
                return tr("device.add: device %1 already exists").arg(c.entityId);
            if (!validType(type))
                return tr("device.add: args.type \"%1\" is not a device type (1 to %2 lower "
                          "case letters, digits, _)")
                    .arg(type.left(kMaxNameLength))
                    .arg(kMaxNameLength);
            QString why;
            const auto config = driverConfigFrom(c.entityId, type, args, {}, &why);
            if (!config) return tr("device.add: %1").arg(why);
            QString error;
            if (!m_attach) return tr("device.add: this lab cannot create drivers at run time");
            const DeviceSpec spec{c.entityId, type, *config};
            if (!m_attach(spec, &error))
                return tr("device.add: the driver for %1 could not be created: %2")
                    .arg(c.entityId, error);
            DeviceEntry entry;
            entry.state = {c.entityId, type, DeviceStatus::Idle, 0, 0, nowMicros()};
            entry.config = *config;
            m_devices.insert(c.entityId, entry);
            ++m_devicesOfType[type];
            m_batch.device(entry.state, kDeviceRegistered, *config);
            idleInsert(m_devices[c.entityId]);
            grantWaiting(QStringLiteral("t:") + type);
            grantWaiting(QStringLiteral("d:") + c.entityId);
            setMessage(
                tr("device %1 (%2, driver %3) added")
                    .arg(c.entityId, type, config->value(QLatin1StringView("driver")).toString()));
            return {};
        }
        auto it = m_devices.find(c.entityId);
        if (it == m_devices.end() || it->removed)
            return tr("%1: unknown device \"%2\"").arg(kind, c.entityId);
        DeviceEntry &d = *it;
        const bool busy = d.leasedBy != 0;
        if (kind == QLatin1StringView("device.pause") ||
            kind == QLatin1StringView("device.maintenance")) {
            const DeviceStatus target = kind == QLatin1StringView("device.pause")
                                            ? DeviceStatus::Paused
                                            : DeviceStatus::Maintenance;
            if (busy) {
                // After the current task: nothing new is granted to it meanwhile.
                idleErase(d);
                d.pendingStatus = target;
                setMessage(tr("%1 will be %2 after task %3")
                               .arg(d.state.id, toString(target))
                               .arg(d.leasedBy));
                data->insert(QStringLiteral("deferred"), true);
                return {};
            }
            setDeviceStatus(d, target, kDeviceStatus);
            setMessage(tr("%1 is %2").arg(d.state.id, toString(target)));
            return {};
        }
        if (kind == QLatin1StringView("device.resume")) {
            if (busy) {
                d.pendingStatus.reset();
                idleInsert(d);
                setMessage(tr("%1 keeps running task %2").arg(d.state.id).arg(d.leasedBy));
                return {};
            }
            if (d.state.status == DeviceStatus::Idle)
                return tr("device.resume: %1 is not paused").arg(d.state.id);
            if (d.linkDown) {
                if (d.state.status == DeviceStatus::Offline)
                    return tr("device.resume: %1 is offline (%2); it comes back by itself when "
                              "its instrument answers again")
                        .arg(d.state.id, d.state.message);
                setDeviceStatus(d, DeviceStatus::Offline, kDeviceStatus);
                setMessage(
                    tr("%1 resumed; it is offline until its instrument answers").arg(d.state.id));
                return {};
            }
            setDeviceStatus(d, DeviceStatus::Idle, kDeviceStatus);
            grantWaiting(QStringLiteral("t:") + d.state.type);
            grantWaiting(QStringLiteral("d:") + d.state.id);
            setMessage(tr("%1 resumed").arg(d.state.id));
            return {};
        }
        if (kind == QLatin1StringView("device.remove")) {
            if (busy) {
                idleErase(d);
                d.pendingRemove = true;
                setMessage(tr("%1 will be removed after task %2").arg(d.state.id).arg(d.leasedBy));
                data->insert(QStringLiteral("deferred"), true);
                return {};
            }
            idleErase(d);
            d.removed = true;
            --m_devicesOfType[d.state.type];
            d.state.status = DeviceStatus::Offline;
            d.state.updatedUs = nowMicros();
            m_batch.device(d.state, kDeviceRemoved, {}); // its settings go with it
            if (m_detach) m_detach(d.state.id);
            setMessage(tr("%1 removed").arg(d.state.id));
            return {};
        }
        if (kind == QLatin1StringView("device.edit")) {
            const QString type = args.contains(QLatin1StringView("type"))
                                     ? args.value(QLatin1StringView("type")).toString()
                                     : d.state.type;
            if (!validType(type))
                return tr("device.edit: args.type \"%1\" is not a device type")
                    .arg(type.left(kMaxNameLength));
            QString why;
            const auto config = driverConfigFrom(d.state.id, type, args, d.config, &why);
            if (!config) return tr("device.edit: %1").arg(why);
            if (type == d.state.type && *config == d.config)
                return tr("device.edit: %1 already runs as %2 with these settings")
                    .arg(d.state.id, type);
            const DeviceSpec spec{d.state.id, type, *config};
            if (busy) {
                idleErase(d);
                d.pendingSpec = spec;
                setMessage(
                    tr("%1 takes its new settings after task %2").arg(d.state.id).arg(d.leasedBy));
                data->insert(QStringLiteral("deferred"), true);
                return {};
            }
            idleErase(d);
            const QString error = reconfigureDevice(d, spec);
            idleInsert(d);
            if (!error.isEmpty())
                return tr("device.edit: the driver for %1 could not be created: %2")
                    .arg(d.state.id, error);
            grantWaiting(QStringLiteral("t:") + type);
            grantWaiting(QStringLiteral("d:") + d.state.id);
            setMessage(
                tr("%1 now runs as %2 (driver %3)")
                    .arg(d.state.id, type, config->value(QLatin1StringView("driver")).toString()));
            return {};
        }
        if (kind == QLatin1StringView("device.reconnect")) {
            if (!m_reconnect || !m_reconnect(d.state.id))
                return tr("device.reconnect: no driver serves %1").arg(d.state.id);
            setMessage(tr("%1 reconnecting").arg(d.state.id));
            return {};
        }
        if (kind == QLatin1StringView("device.command")) {
            // A direct command must never meet a task on the same device.
            if (busy || (d.state.status != DeviceStatus::Paused &&
                         d.state.status != DeviceStatus::Maintenance))
                return tr("device.command: take %1 out of scheduling first (pause it or put it "
                          "into maintenance)")
                    .arg(d.state.id);
            const QString name = args.value(QLatin1StringView("command")).toString();
            if (name.isEmpty()) return tr("device.command: args.command is missing");
            if (!m_dispatch) return tr("device.command: no driver serves %1").arg(d.state.id);
            const DeviceCommand direct{-(m_nextDirectCommand++), d.state.id, name,
                                       args.value(QLatin1StringView("parameters")).toObject(), 0};
            m_directCommands.insert(direct.id, c);
            *deferReply = true; // the device's answer is the reply
            afterCommit([this, direct](bool committed) {
                if (m_dying || !m_directCommands.contains(direct.id)) return;
                if (!committed || !m_dispatch(direct)) {
                    reply(m_directCommands.take(direct.id), false,
                          tr("device.command: %1 was not sent").arg(direct.name), {});
                    return;
                }
                // A device that never answers must not leave the operator waiting forever.
                QTimer::singleShot(10 * 60 * 1000, this, [this, direct] {
                    if (m_directCommands.contains(direct.id))
                        reply(m_directCommands.take(direct.id), false,
                              tr("%1 did not answer %2 within 10 minutes")
                                  .arg(direct.deviceId, direct.name),
                              {});
                });
            });
            return {};
        }
        return tr("%1 is not handled by the engine").arg(kind);
    }

    // --- positions ---
    if (kind == QLatin1StringView("position.add")) {
        if (!validPosition(c.entityId))
            return tr("position.add: \"%1\" is not a valid position name (parts of letters, "
                      "digits, "
                      ". _ - joined by /)")
                .arg(c.entityId);
        if (m_positions.contains(c.entityId))
            return tr("position.add: position %1 already exists").arg(c.entityId);
        const QString device = args.value(QLatin1StringView("device")).toString();
        if (!device.isEmpty() && (!m_devices.contains(device) || m_devices[device].removed))
            return tr("position.add: args.device names unknown device \"%1\"").arg(device);
        const qsizetype slash = c.entityId.lastIndexOf(QLatin1Char('/'));
        PositionState p{c.entityId, slash < 0 ? QString() : c.entityId.left(slash), device, false};
        m_positions.insert(p.name, {p, 0, false});
        m_positionsUnder[p.parent].insert(p.name);
        m_batch.position(p, kPositionAdded);
        grantWaiting(QStringLiteral("x:") + p.name);
        grantWaiting(QStringLiteral("p:") + p.parent);
        setMessage(tr("position %1 added").arg(p.name));
        return {};
    }
    if (kind == QLatin1StringView("position.remove")) {
        auto it = m_positions.find(c.entityId);
        if (it == m_positions.end() || it->pendingRemove)
            return tr("position.remove: unknown position \"%1\"").arg(c.entityId);
        if (it->leasedBy != 0) {
            it->pendingRemove = true;
            setMessage(
                tr("position %1 will be removed after task %2").arg(c.entityId).arg(it->leasedBy));
            data->insert(QStringLiteral("deferred"), true);
            return {};
        }
        PositionState removed = it->state;
        removed.removed = true;
        m_positionsUnder[removed.parent].erase(removed.name);
        m_positions.erase(it);
        m_batch.position(removed, kPositionRemoved);
        setMessage(tr("position %1 removed").arg(c.entityId));
        return {};
    }

    // --- prompts ---
    if (kind == QLatin1StringView("prompt.answer")) {
        bool okId = false;
        const qint64 id = c.entityId.toLongLong(&okId);
        if (!okId || !m_prompts.contains(id))
            return tr("prompt.answer: no open prompt \"%1\"").arg(c.entityId);
        const QJsonValue option = args.value(QLatin1StringView("option"));
        const PromptState &p = m_prompts[id];
        if (!option.isString() || !p.options.contains(option.toString()))
            return tr("prompt.answer: args.option must be one of: %1")
                .arg(p.options.join(QStringLiteral(", ")));
        const QJsonValue note = args.value(QLatin1StringView("note"));
        if (!note.isUndefined() && !note.isString())
            return tr("prompt.answer: args.note must be text");
        if (note.toString().size() > kMaxNoteLength)
            return tr("prompt.answer: args.note has %1 characters; at most %2")
                .arg(note.toString().size())
                .arg(kMaxNoteLength);
        for (QChar ch : note.toString())
            if (ch.category() == QChar::Other_Control && ch != u'\t' && ch != u'\n' && ch != u'\r')
                return tr("prompt.answer: args.note contains a control character (U+%1)")
                    .arg(ch.unicode(), 4, 16, QLatin1Char('0'));
        closePrompt(id, QStringLiteral("answered"), option.toString(), note.toString(), c.user);
        setMessage(tr("prompt %1 answered \"%2\"").arg(id).arg(option.toString()));
        return {};
    }

    // --- workflows ---
    if (kind == QLatin1StringView("workflow.submit")) {
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
        if (!noBarcodes && (!barcodesValue.isArray() ||
                            (barcodesValue.toArray().isEmpty() && registered.isEmpty())))
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
        // The submission is its own change set; the reply follows its commit (the audit
        // event rides with the next one).
        auto result = std::make_shared<QJsonObject>();
        const QString error = submit(
            templateName, barcodes, prio, params.toObject(), result.get(),
            [this, c, result](bool committed) {
                if (!committed)
                    reply(c, false,
                          tr("workflow.submit was not recorded: the database refused it (is a "
                             "barcode already registered?)"),
                          {});
                else
                    reply(c, true,
                          tr("workflow %1 submitted")
                              .arg(result->value(QLatin1StringView("workflow_id")).toInteger()),
                          *result);
            },
            registered);
        if (!error.isEmpty()) return error;
        *deferReply = true;
        return {};
    }

    if (kind == QLatin1StringView("workflow.template.save")) {
        const QJsonValue definition = args.value(QLatin1StringView("definition"));
        if (!definition.isObject())
            return tr("workflow.template.save: args.definition must be the template as a JSON "
                      "object");
        // Validated exactly as the shipped templates are, plus the devices a submission
        // would need, so a saved template can be submitted at once.
        QString error;
        const auto parsed = WorkflowTemplate::fromJson(definition.toObject(), &error);
        if (!parsed) return error;
        const WorkflowTemplate &t = *parsed;
        if (!validTemplateName(t.name))
            return tr("workflow template %1: field \"name\" must be 1 to 100 letters, digits, "
                      "spaces, . _ or -")
                .arg(t.name);
        if (!c.entityId.isEmpty() && c.entityId != t.name)
            return tr("workflow.template.save: the command names template %1, the definition %2")
                .arg(c.entityId, t.name);
        if (t.tasks.size() > kMaxTemplateTasks)
            return tr("workflow template %1: field \"tasks\" has %2 tasks; at most %3 are allowed")
                .arg(t.name)
                .arg(t.tasks.size())
                .arg(kMaxTemplateTasks);
        if (m_shippedTemplates.contains(t.name))
            return tr("workflow template %1: field \"name\" is taken by a template shipped with "
                      "alabos; choose another name")
                .arg(t.name);
        if (const QString why = checkDevices(t); !why.isEmpty()) return why;
        const bool replaces = m_templates.contains(t.name);
        // Stored as given (the shipped files' format), so it reads back exactly.
        m_batch.templates.append({t.name, definition.toObject(), c.user});
        afterCommit([this, t, definition = definition.toObject()](bool committed) {
            if (!committed || m_dying) return;
            addTemplate(t);
            Q_EMIT templateSaved(definition);
        });
        data->insert(QStringLiteral("template"), t.name);
        setMessage(
            replaces
                ? tr("workflow template %1 replaced (%n task(s))", nullptr, int(t.tasks.size()))
                      .arg(t.name)
                : tr("workflow template %1 saved (%n task(s))", nullptr, int(t.tasks.size()))
                      .arg(t.name));
        return {};
    }

    // --- tasks ---
    if (kind.startsWith(QLatin1StringView("task."))) {
        bool okId = false;
        const TaskId id = c.entityId.toLongLong(&okId);
        TaskEntry *t = okId ? task(id) : nullptr;
        if (!t)
            return tr("%1: unknown task \"%2\" (or its workflow finished)").arg(kind, c.entityId);
        TaskState &s = t->state;
        if (kind == QLatin1StringView("task.retry")) {
            if (s.status != TaskStatus::Failed)
                return tr("task.retry: task %1 is %2; only a failed task can be retried")
                    .arg(id)
                    .arg(toString(s.status));
            // Back to ready, and the dependents its failure cancelled back to waiting.
            int reopened = 1;
            std::function<void(TaskEntry &)> reopen = [&](TaskEntry &from) {
                for (TaskId next : from.successors) {
                    TaskEntry *dep = task(next);
                    if (!dep || dep->state.status != TaskStatus::Cancelled) continue;
                    dep->state.status = TaskStatus::Waiting;
                    dep->state.message.clear();
                    dep->state.finishedUs = 0;
                    ++m_active;
                    ++reopened;
                    m_batch.task(dep->state, kTaskWaiting);
                    reopen(*dep);
                }
            };
            reopen(*t);
            const WorkflowId wfId = s.workflowId;
            auto failed = m_failedWorkflows.find(wfId);
            if (failed != m_failedWorkflows.end()) {
                m_workflows[wfId] = std::move(failed->second);
                m_failedWorkflows.erase(failed);
                WorkflowEntry &wf = m_workflows[wfId];
                wf.state.status = QStringLiteral("running");
                wf.state.finishedUs = 0;
                wf.unfinished = 0;
                --m_stats.workflowsFailed;
                m_batch.workflow(wf.state, kWorkflowResumed);
            }
            m_workflows[wfId].unfinished += reopened;
            ++m_active;
            --m_stats.tasksFailed;
            s.finishedUs = 0;
            s.message = tr("retried by %1").arg(c.user);
            s.attempts = 0; // a fresh set of attempts
            makeReady(*t);
            setMessage(tr("task %1 is ready again").arg(id));
            return {};
        }
        if (isFinal(s.status))
            return tr("%1: task %2 is already %3").arg(kind).arg(id).arg(toString(s.status));
        if (kind == QLatin1StringView("task.cancel")) {
            if (s.status == TaskStatus::Running) {
                if (t->cancelRequested)
                    return tr("task.cancel: task %1 is already being cancelled").arg(id);
                t->cancelRequested = true;
                t->cancelledBy = c.user;
                m_batch.task(s, kTaskCancelRequested);
                const qint64 commandId = t->commandId;
                const QString device = t->heldDevices.value(0);
                const qint64 promptId = t->promptId;
                if (t->command == QLatin1StringView("prompt") || m_prompts.contains(promptId)) {
                    closePrompt(promptId, QStringLiteral("cancelled"), {}, {}, c.user);
                } else {
                    // The device is told once the cancellation is committed; the task ends
                    // when the device answers, after its cleanup step.
                    afterCommit([this, device, commandId](bool committed) {
                        if (committed && !m_dying && m_cancel && m_commands.count(commandId))
                            m_cancel(device, commandId);
                    });
                }
                setMessage(tr("cancelling task %1 on %2").arg(id).arg(device));
                return {};
            }
            cancelWaiting(*t, tr("cancelled by %1").arg(c.user));
            setMessage(tr("task %1 cancelled").arg(id));
            return {};
        }
        if (kind == QLatin1StringView("task.hold")) {
            if (s.status == TaskStatus::Running)
                return tr("task.hold: task %1 is running; cancel it or let it finish").arg(id);
            if (s.status == TaskStatus::Paused)
                return tr("task.hold: task %1 is already held").arg(id);
            dequeue(*t);
            s.status = TaskStatus::Paused;
            s.message = tr("held by %1").arg(c.user);
            m_batch.task(s, kTaskHeld);
            setMessage(tr("task %1 held").arg(id));
            return {};
        }
        if (kind == QLatin1StringView("task.release")) {
            if (s.status != TaskStatus::Paused)
                return tr("task.release: task %1 is not held").arg(id);
            s.message.clear();
            if (t->pendingDeps == 0) {
                s.status = TaskStatus::Ready;
                enqueue(*t, true);
                m_batch.task(s, kTaskReleased);
                tryGrant(*t);
            } else {
                s.status = TaskStatus::Waiting;
                m_batch.task(s, kTaskReleased);
            }
            setMessage(tr("task %1 released").arg(id));
            return {};
        }
        if (kind == QLatin1StringView("task.priority")) {
            const auto p = parsePriority(args.value(QLatin1StringView("priority")));
            if (!p)
                return tr(
                    "task.priority: args.priority must be low, normal, high, urgent or 0..1000");
            // Keep what the task has waited: shift its rank by the priority difference.
            if (t->queued) s.queueRank -= qint64(*p - s.priority) * m_agingUsPerPoint;
            s.priority = *p;
            requeue(*t);
            m_batch.task(s, kTaskPriority);
            setMessage(tr("task %1 priority %2").arg(id).arg(*p));
            return {};
        }
        if (kind == QLatin1StringView("task.front")) {
            if (s.status == TaskStatus::Running)
                return tr("task.front: task %1 is already running").arg(id);
            // Ahead of everything waiting now.
            qint64 first = nowMicros() - 1000LL * m_agingUsPerPoint;
            for (auto it = m_waiting.cbegin(); it != m_waiting.cend(); ++it)
                if (!it->empty()) first = qMin(first, it->begin()->rank);
            s.queueRank = first - 1;
            requeue(*t);
            m_batch.task(s, kTaskPriority);
            setMessage(tr("task %1 moved to the front").arg(id));
            return {};
        }
    }
    return tr("%1 is not handled by the engine").arg(kind);
}

} // namespace alabos
