#include "core/engine/workflowtemplate.h"

#include "core/engine/templatecheck.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>
#include <cmath>
#include <queue>
#include <vector>

namespace alabos {

std::optional<WorkflowTemplate> WorkflowTemplate::fromJson(const QJsonObject &json, QString *error)
{
    WorkflowTemplate t;
    const QString why = firstBlocking(checkTemplate(json, {}, &t));
    if (why.isEmpty()) return t;
    if (error) *error = why;
    return std::nullopt;
}

QJsonObject WorkflowTemplate::toJson() const
{
    QJsonArray tasksJson;
    for (const TaskTemplate &t : tasks) {
        QJsonObject o{{QStringLiteral("name"), t.name},
                      {QStringLiteral("device_type"), t.deviceType},
                      {QStringLiteral("command"), t.command},
                      {QStringLiteral("duration_s"), t.durationS},
                      {QStringLiteral("depends_on"), QJsonArray::fromStringList(t.dependsOn)},
                      {QStringLiteral("parameters"), t.parameters}};
        if (!t.deviceName.isEmpty()) o.insert(QStringLiteral("device"), t.deviceName);
        if (!t.resources.isEmpty()) o.insert(QStringLiteral("resources"), t.resources);
        if (t.timeoutS > 0) o.insert(QStringLiteral("timeout_s"), t.timeoutS);
        if (!t.cleanup.isEmpty()) o.insert(QStringLiteral("cleanup"), t.cleanup);
        if (!t.prompt.isEmpty()) o.insert(QStringLiteral("prompt"), t.prompt);
        if (!t.rerunSafe) o.insert(QStringLiteral("rerun_safe"), false);
        const QJsonObject schema = t.schemaJson();
        if (!schema.isEmpty()) o.insert(QStringLiteral("parameter_schema"), schema);
        tasksJson.append(o);
    }
    return {{QStringLiteral("name"), name}, {QStringLiteral("tasks"), tasksJson}};
}

QJsonObject TaskTemplate::schemaJson() const
{
    QJsonObject out;
    for (const ParameterSpec &p : schema) {
        QJsonObject s{{QStringLiteral("type"), p.type}, {QStringLiteral("unit"), p.unit}};
        if (p.min) s.insert(QStringLiteral("min"), *p.min);
        if (p.max) s.insert(QStringLiteral("max"), *p.max);
        if (p.defaultValue.isUndefined())
            s.insert(QStringLiteral("required"), true); // a submission must give it
        else
            s.insert(QStringLiteral("default"), p.defaultValue);
        out.insert(p.name, s);
    }
    return out;
}

QList<int> WorkflowTemplate::topologicalOrder() const
{
    // Kahn's algorithm, stable in list order; a cycle leaves its tasks out.
    QHash<QString, int> index;
    for (int i = 0; i < tasks.size(); ++i)
        index.insert(tasks[i].name, i);
    QList<int> pending(tasks.size(), 0);
    QList<QList<int>> successors(tasks.size());
    for (int i = 0; i < tasks.size(); ++i)
        for (const QString &dep : tasks[i].dependsOn) {
            const int from = index.value(dep, -1);
            if (from < 0) continue;
            successors[from].append(i);
            ++pending[i];
        }
    QList<int> order;
    // The lowest ready index first: a heap, as sorting the ready list each step is quadratic.
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < tasks.size(); ++i)
        if (pending[i] == 0) ready.push(i);
    while (!ready.empty()) {
        const int next = ready.top();
        ready.pop();
        order.append(next);
        for (int s : successors[next])
            if (--pending[s] == 0) ready.push(s);
    }
    return order;
}

std::optional<QList<QJsonObject>> WorkflowTemplate::resolveParameters(const QJsonObject &submitted,
                                                                      QString *error) const
{
    QList<QJsonObject> out;
    for (auto it = submitted.begin(); it != submitted.end(); ++it) {
        const bool known = std::any_of(tasks.cbegin(), tasks.cend(),
                                       [&](const TaskTemplate &t) { return t.name == it.key(); });
        if (!known) {
            *error = QObject::tr("workflow template %1: parameters name task \"%2\", which it does "
                                 "not have")
                         .arg(name, it.key());
            return std::nullopt;
        }
        if (!it.value().isObject()) {
            *error = QObject::tr("workflow template %1, task %2: parameters must be an object")
                         .arg(name, it.key());
            return std::nullopt;
        }
    }
    for (const TaskTemplate &t : tasks) {
        QJsonObject params = t.parameters;
        const QJsonObject given = submitted.value(t.name).toObject();
        for (auto it = given.begin(); it != given.end(); ++it) {
            const auto spec =
                std::find_if(t.schema.cbegin(), t.schema.cend(),
                             [&](const ParameterSpec &p) { return p.name == it.key(); });
            if (spec == t.schema.cend()) {
                *error = QObject::tr("workflow template %1, task %2, field \"%3\": not a parameter "
                                     "of this task")
                             .arg(name, t.name, it.key());
                return std::nullopt;
            }
            const QString why = checkParameterValue(*spec, it.value());
            if (!why.isEmpty()) {
                *error = QObject::tr("workflow template %1, task %2, field \"%3\": %4")
                             .arg(name, t.name, it.key(), why);
                return std::nullopt;
            }
            params.insert(it.key(), it.value());
        }
        for (const ParameterSpec &spec : t.schema) {
            if (params.contains(spec.name)) continue;
            if (spec.defaultValue.isUndefined()) {
                *error = QObject::tr("workflow template %1, task %2, field \"%3\": required and "
                                     "has no default")
                             .arg(name, t.name, spec.name);
                return std::nullopt;
            }
            params.insert(spec.name, spec.defaultValue);
        }
        out.append(params);
    }
    return out;
}

WorkflowTemplate demoSynthesisTemplate()
{
    WorkflowTemplate t;
    t.name = QStringLiteral("demo-synthesis");
    auto add = [&](const char *name, const char *type, const char *command, double seconds,
                   QStringList deps) {
        TaskTemplate task;
        task.name = QLatin1StringView(name);
        task.deviceType = QLatin1StringView(type);
        task.command = QLatin1StringView(command);
        task.durationS = seconds;
        task.dependsOn = std::move(deps);
        t.tasks.append(task);
    };
    add("dose", "dosing_station", "dose", 40, {});
    add("weigh", "balance", "weigh", 15, {QStringLiteral("dose")});
    add("load", "robot_arm", "transfer", 20, {QStringLiteral("weigh")});
    add("fire", "box_furnace", "heat", 240, {QStringLiteral("load")});
    add("grind", "grinder", "grind", 60, {QStringLiteral("fire")});
    add("measure", "xrd", "measure", 120, {QStringLiteral("grind")});
    return t;
}

QList<WorkflowTemplate> builtinTemplates(QStringList *errors)
{
    QList<WorkflowTemplate> out;
    QDir dir(QStringLiteral(":/alabos/workflows"));
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(file));
        QString error;
        if (!f.open(QIODevice::ReadOnly)) {
            error = QObject::tr("cannot read %1").arg(file);
        } else {
            QJsonParseError parse{};
            const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parse);
            if (!doc.isObject())
                error = QObject::tr("%1: not a JSON object (%2)").arg(file, parse.errorString());
            else if (auto t = WorkflowTemplate::fromJson(doc.object(), &error))
                out.append(*t);
            else
                error = file + QStringLiteral(": ") + error;
        }
        if (!error.isEmpty() && errors) errors->append(error);
    }
    return out;
}

QList<WorkflowTemplate> shippedTemplates(QStringList *errors)
{
    return QList<WorkflowTemplate>{demoSynthesisTemplate()} + builtinTemplates(errors);
}

QList<WorkflowTemplate> offeredTemplates(const QList<WorkflowTemplateRecord> &stored,
                                         QStringList *warnings)
{
    QList<WorkflowTemplate> out = shippedTemplates();
    QStringList shippedNames;
    for (const WorkflowTemplate &t : std::as_const(out))
        shippedNames << t.name;
    return out + storedTemplates(stored, shippedNames, warnings);
}

QList<WorkflowTemplate> storedTemplates(const QList<WorkflowTemplateRecord> &records,
                                        const QStringList &shippedNames, QStringList *warnings)
{
    QList<WorkflowTemplate> out;
    for (const WorkflowTemplateRecord &r : records) {
        QString error;
        if (shippedNames.contains(r.name))
            error = QObject::tr("stored workflow template %1 is left out: a shipped template has "
                                "that name")
                        .arg(r.name);
        else if (auto t = WorkflowTemplate::fromJson(r.definition, &error); t && t->name == r.name)
            out.append(*t);
        else if (error.isEmpty())
            error = QObject::tr("stored workflow template %1 names itself %2").arg(r.name, t->name);
        if (!error.isEmpty() && warnings) warnings->append(error);
    }
    return out;
}

} // namespace alabos
