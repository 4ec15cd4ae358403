#include "core/engine/workflowtemplate.h"

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

namespace {
std::optional<ParameterSpec> parseSpec(const QString &name, const QJsonValue &value,
                                       const QString &where, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<ParameterSpec> {
        *error = where + QObject::tr(": parameter_schema field \"%1\": %2").arg(name, why);
        return std::nullopt;
    };
    if (!value.isObject()) return fail(QObject::tr("must be an object"));
    const QJsonObject o = value.toObject();
    ParameterSpec p;
    p.name = name;
    p.type = o.value(QLatin1StringView("type")).toString(QStringLiteral("number"));
    static const QStringList types{QStringLiteral("number"), QStringLiteral("integer"),
                                   QStringLiteral("string"), QStringLiteral("boolean")};
    if (!types.contains(p.type))
        return fail(QObject::tr("type must be number, integer, string or boolean"));
    p.unit = o.value(QLatin1StringView("unit")).toString();
    if (o.contains(QLatin1StringView("min"))) {
        if (!o.value(QLatin1StringView("min")).isDouble())
            return fail(QObject::tr("min must be a number"));
        p.min = o.value(QLatin1StringView("min")).toDouble();
    }
    if (o.contains(QLatin1StringView("max"))) {
        if (!o.value(QLatin1StringView("max")).isDouble())
            return fail(QObject::tr("max must be a number"));
        p.max = o.value(QLatin1StringView("max")).toDouble();
    }
    if (p.min && p.max && *p.min > *p.max) return fail(QObject::tr("min is above max"));
    p.defaultValue = o.value(QLatin1StringView("default"));
    return p;
}

// Checks one value against its spec; empty when it fits.
QString checkValue(const ParameterSpec &spec, const QJsonValue &v)
{
    if (spec.type == QLatin1StringView("string"))
        return v.isString() ? QString() : QObject::tr("must be a string");
    if (spec.type == QLatin1StringView("boolean"))
        return v.isBool() ? QString() : QObject::tr("must be true or false");
    if (!v.isDouble()) return QObject::tr("must be a number");
    const double d = v.toDouble();
    // Beyond 2^53 a double holds no longer every whole number (and a cast to qint64 of a
    // value beyond its range is undefined).
    if (spec.type == QLatin1StringView("integer") &&
        (std::floor(d) != d || std::abs(d) > 9007199254740992.0))
        return QObject::tr("must be a whole number from -2^53 to 2^53");
    const QString unit = spec.unit.isEmpty() ? QString() : QLatin1Char(' ') + spec.unit;
    if ((spec.min && d < *spec.min) || (spec.max && d > *spec.max))
        return QObject::tr("%1%2 is outside %3..%4%2")
            .arg(d)
            .arg(unit)
            .arg(spec.min ? QString::number(*spec.min) : QStringLiteral("-inf"))
            .arg(spec.max ? QString::number(*spec.max) : QStringLiteral("inf"));
    return {};
}
} // namespace

std::optional<WorkflowTemplate> WorkflowTemplate::fromJson(const QJsonObject &json, QString *error)
{
    QString scratch;
    if (!error) error = &scratch;
    auto fail = [&](const QString &why) -> std::optional<WorkflowTemplate> {
        *error = why;
        return std::nullopt;
    };
    WorkflowTemplate t;
    t.name = json.value(QLatin1StringView("name")).toString();
    if (t.name.isEmpty())
        return fail(QObject::tr("workflow template: field \"name\" is missing or empty"));
    const QJsonValue tasks = json.value(QLatin1StringView("tasks"));
    if (t.name.size() > kMaxNameLength)
        return fail(
            QObject::tr("workflow template %1…: field \"name\" is longer than %2 characters")
                .arg(t.name.left(40))
                .arg(kMaxNameLength));
    if (!tasks.isArray() || tasks.toArray().isEmpty())
        return fail(QObject::tr("workflow template %1: field \"tasks\" must be a non-empty array")
                        .arg(t.name));
    if (tasks.toArray().size() > kMaxTasks)
        return fail(QObject::tr("workflow template %1: field \"tasks\" has %2 tasks; at most %3")
                        .arg(t.name)
                        .arg(tasks.toArray().size())
                        .arg(kMaxTasks));
    QHash<QString, int> index;
    for (const QJsonValue &v : tasks.toArray()) {
        const QJsonObject o = v.toObject();
        TaskTemplate task;
        task.name = o.value(QLatin1StringView("name")).toString();
        const QString where =
            QObject::tr("workflow template %1, task %2")
                .arg(t.name, task.name.isEmpty() ? QStringLiteral("#%1").arg(t.tasks.size() + 1)
                                                 : task.name.left(kMaxNameLength));
        if (!v.isObject()) return fail(where + QObject::tr(": must be an object"));
        if (task.name.isEmpty()) return fail(where + QObject::tr(": field \"name\" is missing"));
        for (const char *key : {"name", "device_type", "device", "command", "cleanup"})
            if (o.value(QLatin1StringView(key)).toString().size() > kMaxNameLength)
                return fail(where + QObject::tr(": field \"%1\" is longer than %2 characters")
                                        .arg(QLatin1StringView(key))
                                        .arg(kMaxNameLength));
        if (index.contains(task.name))
            return fail(where + QObject::tr(": field \"name\" repeats an earlier task"));
        task.deviceType = o.value(QLatin1StringView("device_type")).toString();
        task.deviceName = o.value(QLatin1StringView("device")).toString();
        task.command = o.value(QLatin1StringView("command")).toString();
        if (task.command.isEmpty())
            return fail(where + QObject::tr(": field \"command\" is missing"));
        const bool isPrompt = task.command == QLatin1StringView("prompt");
        if (task.deviceType.isEmpty() && task.deviceName.isEmpty() && !isPrompt)
            return fail(where + QObject::tr(": field \"device_type\" is missing"));
        task.durationS = o.value(QLatin1StringView("duration_s")).toDouble(isPrompt ? 0 : -1);
        if (task.durationS < 0)
            return fail(where + QObject::tr(": field \"duration_s\" must be a number >= 0"));
        const QJsonValue deps = o.value(QLatin1StringView("depends_on"));
        if (!deps.isUndefined() && !deps.isArray())
            return fail(where +
                        QObject::tr(": field \"depends_on\" must be an array of task names"));
        for (const QJsonValue &dep : deps.toArray()) {
            if (!dep.isString() || dep.toString() == task.name)
                return fail(where + QObject::tr(": field \"depends_on\" must name other tasks"));
            task.dependsOn << dep.toString();
        }
        task.parameters = o.value(QLatin1StringView("parameters")).toObject();
        task.resources = o.value(QLatin1StringView("resources")).toObject();
        const QJsonValue positions = task.resources.value(QLatin1StringView("positions_under"));
        if (!positions.isUndefined()) {
            const QJsonObject p = positions.toObject();
            if (p.value(QLatin1StringView("parent")).toString().isEmpty() ||
                p.value(QLatin1StringView("count")).toInt(0) < 1)
                return fail(where + QObject::tr(": field \"resources.positions_under\" needs a "
                                                "\"parent\" and a \"count\" >= 1"));
        }
        for (const QJsonValue &d : task.resources.value(QLatin1StringView("devices")).toArray()) {
            const QJsonObject dev = d.toObject();
            if (dev.value(QLatin1StringView("type")).toString().isEmpty() &&
                dev.value(QLatin1StringView("name")).toString().isEmpty())
                return fail(where + QObject::tr(": field \"resources.devices\" entries need a "
                                                "\"type\" or a \"name\""));
        }
        task.timeoutS = o.value(QLatin1StringView("timeout_s")).toDouble(0);
        if (task.timeoutS < 0)
            return fail(where + QObject::tr(": field \"timeout_s\" must be >= 0"));
        task.cleanup = o.value(QLatin1StringView("cleanup")).toString();
        task.rerunSafe = o.value(QLatin1StringView("rerun_safe")).toBool(true);
        task.prompt = o.value(QLatin1StringView("prompt")).toObject();
        if (isPrompt) {
            if (task.prompt.value(QLatin1StringView("message")).toString().isEmpty())
                return fail(where + QObject::tr(": field \"prompt.message\" is missing"));
            if (task.prompt.value(QLatin1StringView("options")).toArray().isEmpty())
                return fail(where +
                            QObject::tr(": field \"prompt.options\" must list the answers"));
        }
        const QJsonObject schema = o.value(QLatin1StringView("parameter_schema")).toObject();
        for (auto it = schema.begin(); it != schema.end(); ++it) {
            auto spec = parseSpec(it.key(), it.value(), where, error);
            if (!spec) return std::nullopt;
            if (!spec->defaultValue.isUndefined()) {
                const QString why = checkValue(*spec, spec->defaultValue);
                if (!why.isEmpty())
                    return fail(where + QObject::tr(": parameter_schema field \"%1\": default %2")
                                            .arg(it.key(), why));
            }
            task.schema.append(*spec);
        }
        index.insert(task.name, int(t.tasks.size()));
        t.tasks.append(task);
    }
    for (const TaskTemplate &task : std::as_const(t.tasks))
        for (const QString &dep : task.dependsOn)
            if (!index.contains(dep))
                return fail(QObject::tr("workflow template %1, task %2: field \"depends_on\" names "
                                        "\"%3\", which is not a task of this template")
                                .arg(t.name, task.name, dep));
    if (const QList<int> order = t.topologicalOrder(); order.size() != t.tasks.size()) {
        // Name a task on the cycle: one whose dependencies never all finish.
        QList<bool> ordered(t.tasks.size(), false);
        for (int i : order)
            ordered[i] = true;
        for (int i = 0; i < t.tasks.size(); ++i)
            if (!ordered[i])
                return fail(QObject::tr("workflow template %1, task %2: field \"depends_on\" "
                                        "forms a cycle")
                                .arg(t.name, t.tasks[i].name));
    }
    return t;
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
            const QString why = checkValue(*spec, it.value());
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
