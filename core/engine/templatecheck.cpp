#include "core/engine/templatecheck.h"

#include "core/domain/commands.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QRegularExpression>
#include <QSet>
#include <cmath>
#include <functional>

namespace alabos {

namespace {

using Kind = TemplateProblem::Kind;

TemplateProblem problem(Kind kind, int task, const QString &field, const QString &message)
{
    TemplateProblem p;
    p.kind = kind;
    p.task = task;
    p.field = field;
    p.message = message;
    if (task >= 0) p.tasks = {task};
    return p;
}

std::optional<ParameterSpec> parseSpec(const QString &name, const QJsonValue &value, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<ParameterSpec> {
        *error = why;
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

// One step's own fields; appends its problems and fills `task` as far as it can be read.
void checkTask(const QJsonValue &v, int i, const QString &templateName, TaskTemplate &task,
               QList<TemplateProblem> &out)
{
    const QJsonObject o = v.toObject();
    task.name = o.value(QLatin1StringView("name")).toString();
    const QString where =
        QObject::tr("workflow template %1, task %2")
            .arg(templateName, task.name.isEmpty()
                                   ? QStringLiteral("#%1").arg(i + 1)
                                   : task.name.left(WorkflowTemplate::kMaxNameLength));
    auto add = [&](Kind kind, const QString &field, const QString &why) {
        out.append(problem(kind, i, field, where + why));
    };
    if (!v.isObject()) return add(Kind::Task, {}, QObject::tr(": must be an object"));
    if (task.name.isEmpty())
        add(Kind::Task, QStringLiteral("name"), QObject::tr(": field \"name\" is missing"));
    for (const char *key : {"name", "device_type", "device", "command", "cleanup"})
        if (o.value(QLatin1StringView(key)).toString().size() > WorkflowTemplate::kMaxNameLength)
            add(Kind::Task, QLatin1StringView(key),
                QObject::tr(": field \"%1\" is longer than %2 characters")
                    .arg(QLatin1StringView(key))
                    .arg(WorkflowTemplate::kMaxNameLength));
    task.deviceType = o.value(QLatin1StringView("device_type")).toString();
    task.deviceName = o.value(QLatin1StringView("device")).toString();
    task.command = o.value(QLatin1StringView("command")).toString();
    if (task.command.isEmpty())
        add(Kind::Task, QStringLiteral("command"), QObject::tr(": field \"command\" is missing"));
    const bool isPrompt = task.command == QLatin1StringView("prompt");
    if (task.deviceType.isEmpty() && task.deviceName.isEmpty() && !isPrompt)
        add(Kind::Task, QStringLiteral("device_type"),
            QObject::tr(": field \"device_type\" is missing"));
    task.durationS = o.value(QLatin1StringView("duration_s")).toDouble(isPrompt ? 0 : -1);
    if (task.durationS < 0)
        add(Kind::Task, QStringLiteral("duration_s"),
            QObject::tr(": field \"duration_s\" must be a number >= 0"));
    const QJsonValue deps = o.value(QLatin1StringView("depends_on"));
    if (!deps.isUndefined() && !deps.isArray())
        add(Kind::Task, QStringLiteral("depends_on"),
            QObject::tr(": field \"depends_on\" must be an array of task names"));
    for (const QJsonValue &dep : deps.toArray()) {
        if (!dep.isString() || dep.toString() == task.name) {
            add(Kind::Task, QStringLiteral("depends_on"),
                QObject::tr(": field \"depends_on\" must name other tasks"));
            continue;
        }
        task.dependsOn << dep.toString();
    }
    task.parameters = o.value(QLatin1StringView("parameters")).toObject();
    task.resources = o.value(QLatin1StringView("resources")).toObject();
    const QJsonValue positions = task.resources.value(QLatin1StringView("positions_under"));
    if (!positions.isUndefined()) {
        const QJsonObject p = positions.toObject();
        if (p.value(QLatin1StringView("parent")).toString().isEmpty() ||
            p.value(QLatin1StringView("count")).toInt(0) < 1)
            add(Kind::Task, QStringLiteral("resources"),
                QObject::tr(": field \"resources.positions_under\" needs a \"parent\" and a "
                            "\"count\" >= 1"));
    }
    // Names in a request are bounded like a step's own device type and device.
    QStringList resourceNames{positions.toObject().value(QLatin1StringView("parent")).toString()};
    for (const QJsonValue &d : task.resources.value(QLatin1StringView("devices")).toArray()) {
        const QJsonObject dev = d.toObject();
        resourceNames << dev.value(QLatin1StringView("type")).toString()
                      << dev.value(QLatin1StringView("name")).toString();
        if (dev.value(QLatin1StringView("type")).toString().isEmpty() &&
            dev.value(QLatin1StringView("name")).toString().isEmpty()) {
            add(Kind::Task, QStringLiteral("resources"),
                QObject::tr(": field \"resources.devices\" entries need a \"type\" or a "
                            "\"name\""));
            break;
        }
    }
    // An empty or non-text position names no place and could never be granted.
    const QJsonValue exact = task.resources.value(QLatin1StringView("positions"));
    bool namesPositions = exact.isUndefined() || exact.isArray();
    for (const QJsonValue &p : exact.toArray()) {
        namesPositions = namesPositions && p.isString() && !p.toString().isEmpty();
        resourceNames << p.toString();
    }
    if (!namesPositions)
        add(Kind::Task, QStringLiteral("resources"),
            QObject::tr(": field \"resources.positions\" must list position names"));
    for (const QString &name : std::as_const(resourceNames))
        if (name.size() > WorkflowTemplate::kMaxNameLength) {
            add(Kind::Task, QStringLiteral("resources"),
                QObject::tr(": field \"resources\" names \"%1…\", longer than %2 characters")
                    .arg(name.left(40))
                    .arg(WorkflowTemplate::kMaxNameLength));
            break;
        }
    task.timeoutS = o.value(QLatin1StringView("timeout_s")).toDouble(0);
    if (task.timeoutS < 0)
        add(Kind::Task, QStringLiteral("timeout_s"),
            QObject::tr(": field \"timeout_s\" must be >= 0"));
    task.cleanup = o.value(QLatin1StringView("cleanup")).toString();
    task.rerunSafe = o.value(QLatin1StringView("rerun_safe")).toBool(true);
    task.prompt = o.value(QLatin1StringView("prompt")).toObject();
    if (isPrompt) {
        if (task.prompt.value(QLatin1StringView("message")).toString().isEmpty())
            add(Kind::Task, QStringLiteral("prompt"),
                QObject::tr(": field \"prompt.message\" is missing"));
        const QJsonArray options = task.prompt.value(QLatin1StringView("options")).toArray();
        if (options.isEmpty())
            add(Kind::Task, QStringLiteral("prompt"),
                QObject::tr(": field \"prompt.options\" must list the answers"));
        // An answer is sent back as prompt.answer's option: a text within a command's limit.
        bool answersFit = true;
        for (const QJsonValue &a : options)
            answersFit = answersFit && a.isString() && !a.toString().isEmpty() &&
                         a.toString().size() <= OperatorCommand::kMaxTextLength;
        if (!answersFit)
            add(Kind::Task, QStringLiteral("prompt"),
                QObject::tr(": field \"prompt.options\" answers must be texts of 1 to %1 "
                            "characters")
                    .arg(OperatorCommand::kMaxTextLength));
        if (task.prompt.value(QLatin1StringView("message")).toString().size() >
            OperatorCommand::kMaxTextLength)
            add(Kind::Task, QStringLiteral("prompt"),
                QObject::tr(": field \"prompt.message\" is longer than %1 characters")
                    .arg(OperatorCommand::kMaxTextLength));
        if (task.prompt.value(QLatin1StringView("timeout_s")).toDouble(0) < 0)
            add(Kind::Task, QStringLiteral("prompt"),
                QObject::tr(": field \"prompt.timeout_s\" must be >= 0"));
    }
    const QJsonObject schema = o.value(QLatin1StringView("parameter_schema")).toObject();
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        QString why;
        const QString field = QStringLiteral("parameter_schema.") + it.key();
        auto addParameter = [&](const QString &text) {
            TemplateProblem p = problem(Kind::Parameter, i, field, where + text);
            p.detail = it.key();
            out.append(p);
        };
        const auto spec = parseSpec(it.key(), it.value(), &why);
        if (!spec) {
            addParameter(QObject::tr(": parameter_schema field \"%1\": %2").arg(it.key(), why));
            continue;
        }
        if (!spec->defaultValue.isUndefined()) {
            why = checkParameterValue(*spec, spec->defaultValue);
            if (!why.isEmpty())
                addParameter(
                    QObject::tr(": parameter_schema field \"%1\": default %2").arg(it.key(), why));
        }
        task.schema.append(*spec);
    }
}

// Strongly connected components of more than one step (Tarjan); each is a cycle or several.
QList<QList<int>> cycles(const QList<QList<int>> &successors)
{
    const int n = int(successors.size());
    QList<int> index(n, -1), low(n, 0), stack;
    QList<bool> onStack(n, false);
    QList<QList<int>> out;
    int counter = 0;
    std::function<void(int)> visit = [&](int v) {
        index[v] = low[v] = counter++;
        stack.append(v);
        onStack[v] = true;
        for (int w : successors[v]) {
            if (index[w] < 0) {
                visit(w);
                low[v] = std::min(low[v], low[w]);
            } else if (onStack[w]) {
                low[v] = std::min(low[v], index[w]);
            }
        }
        if (low[v] != index[v]) return;
        QList<int> component;
        int w = -1;
        do {
            w = stack.takeLast();
            onStack[w] = false;
            component.append(w);
        } while (w != v);
        if (component.size() > 1) {
            std::sort(component.begin(), component.end());
            out.append(component);
        }
    };
    for (int v = 0; v < n; ++v)
        if (index[v] < 0) visit(v);
    std::sort(out.begin(), out.end(),
              [](const QList<int> &a, const QList<int> &b) { return a.first() < b.first(); });
    return out;
}

// The shortest way from `start` back to itself inside `component`, as step names.
QStringList cyclePath(int start, const QSet<int> &component, const QList<QList<int>> &successors,
                      const QList<TaskTemplate> &tasks)
{
    QHash<int, int> parent;
    QList<int> queue{start};
    for (int head = 0; head < queue.size(); ++head) {
        const int v = queue[head];
        for (int w : successors[v]) {
            if (!component.contains(w) || parent.contains(w)) continue;
            parent.insert(w, v);
            if (w == start) {
                QStringList path{tasks[start].name};
                for (int at = parent.value(start); at != start; at = parent.value(at))
                    path.prepend(tasks[at].name);
                path.prepend(tasks[start].name);
                return path;
            }
            queue.append(w);
        }
    }
    return {};
}

} // namespace

QString checkParameterValue(const ParameterSpec &spec, const QJsonValue &v)
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

QString firstBlocking(const QList<TemplateProblem> &problems)
{
    for (const TemplateProblem &p : problems)
        if (p.blocking) return p.message;
    return {};
}

QList<TemplateProblem> checkTemplateDevices(const WorkflowTemplate &tmpl,
                                            const TemplateCheckContext &context)
{
    QList<TemplateProblem> out;
    for (int i = 0; i < tmpl.tasks.size(); ++i) {
        const TaskTemplate &t = tmpl.tasks[i];
        if (context.hasDeviceType) {
            QList<std::pair<QString, QString>> needed; // type, field
            if (t.deviceName.isEmpty() && !t.deviceType.isEmpty())
                needed.append({t.deviceType, QStringLiteral("device_type")});
            for (const QJsonValue &d : t.resources.value(QLatin1StringView("devices")).toArray())
                if (!d.toObject().value(QLatin1StringView("type")).toString().isEmpty())
                    needed.append({d.toObject().value(QLatin1StringView("type")).toString(),
                                   QStringLiteral("resources")});
            for (const auto &[type, field] : std::as_const(needed))
                if (!context.hasDeviceType(type)) {
                    TemplateProblem p = problem(
                        Kind::Device, i, field,
                        QObject::tr("workflow template %1, task %2: no device of type \"%3\" is "
                                    "configured")
                            .arg(tmpl.name, t.name, type));
                    p.detail = type;
                    out.append(p);
                }
        }
        if (context.hasDevice && !t.deviceName.isEmpty() && !context.hasDevice(t.deviceName))
            out.append(problem(Kind::Device, i, QStringLiteral("device"),
                               QObject::tr("workflow template %1, task %2: field \"device\" names "
                                           "\"%3\", which is not configured")
                                   .arg(tmpl.name, t.name, t.deviceName)));
    }
    return out;
}

QList<TemplateProblem> checkTemplate(const QJsonObject &json, const TemplateCheckContext &context,
                                     WorkflowTemplate *parsed)
{
    QList<TemplateProblem> out;
    WorkflowTemplate scratch;
    WorkflowTemplate &t = parsed ? *parsed : scratch;
    t = {};
    t.name = json.value(QLatin1StringView("name")).toString();
    auto whole = [&](const QString &field, const QString &message) {
        out.append(problem(Kind::Template, -1, field, message));
    };
    if (t.name.isEmpty())
        whole(QStringLiteral("name"),
              QObject::tr("workflow template: field \"name\" is missing or empty"));
    if (t.name.size() > WorkflowTemplate::kMaxNameLength) {
        whole(QStringLiteral("name"),
              QObject::tr("workflow template %1…: field \"name\" is longer than %2 characters")
                  .arg(t.name.left(40))
                  .arg(WorkflowTemplate::kMaxNameLength));
        return out;
    }
    const QJsonValue tasks = json.value(QLatin1StringView("tasks"));
    if (!tasks.isArray() || tasks.toArray().isEmpty()) {
        whole(QStringLiteral("tasks"),
              QObject::tr("workflow template %1: field \"tasks\" must be a non-empty array")
                  .arg(t.name));
        return out;
    }
    const QJsonArray list = tasks.toArray();
    if (list.size() > WorkflowTemplate::kMaxTasks) {
        whole(QStringLiteral("tasks"),
              QObject::tr("workflow template %1: field \"tasks\" has %2 tasks; at most %3")
                  .arg(t.name)
                  .arg(list.size())
                  .arg(WorkflowTemplate::kMaxTasks));
        return out;
    }
    // Every entry is kept, in order, so a problem's index is the step's in the JSON.
    QHash<QString, int> index;
    for (int i = 0; i < list.size(); ++i) {
        TaskTemplate task;
        checkTask(list[i], i, t.name, task, out);
        if (!task.name.isEmpty()) {
            if (index.contains(task.name))
                out.append(
                    problem(Kind::Task, i, QStringLiteral("name"),
                            QObject::tr("workflow template %1, task %2: field \"name\" "
                                        "repeats an earlier task")
                                .arg(t.name, task.name.left(WorkflowTemplate::kMaxNameLength))));
            else
                index.insert(task.name, i);
        }
        t.tasks.append(task);
    }
    const int n = int(t.tasks.size());
    QList<QList<int>> successors(n);
    QList<bool> connected(n, false);
    for (int i = 0; i < n; ++i) {
        for (const QString &dep : std::as_const(t.tasks[i].dependsOn)) {
            const int from = index.value(dep, -1);
            if (from < 0) {
                TemplateProblem p =
                    problem(Kind::Dependency, i, QStringLiteral("depends_on"),
                            QObject::tr("workflow template %1, task %2: field \"depends_on\" names "
                                        "\"%3\", which is not a task of this template")
                                .arg(t.name, t.tasks[i].name, dep));
                p.detail = dep;
                out.append(p);
                continue;
            }
            if (!successors[from].contains(i)) successors[from].append(i);
            connected[from] = connected[i] = true;
        }
    }
    for (const QList<int> &component : cycles(successors)) {
        const QSet<int> members(component.cbegin(), component.cend());
        const int first = component.first();
        const QStringList path = cyclePath(first, members, successors, t.tasks);
        TemplateProblem p =
            problem(Kind::Cycle, first, QStringLiteral("depends_on"),
                    QObject::tr("workflow template %1, task %2: field \"depends_on\" forms a "
                                "cycle (%3)")
                        .arg(t.name, t.tasks[first].name, path.join(QStringLiteral(" → "))));
        p.tasks = component;
        for (int from : component)
            for (int to : successors[from])
                if (members.contains(to)) p.edges.append({from, to});
        out.append(p);
    }
    if (context.runTime) {
        static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$"));
        if (!t.name.isEmpty() && !re.match(t.name).hasMatch())
            whole(QStringLiteral("name"),
                  QObject::tr("workflow template %1: field \"name\" must be 1 to 100 letters, "
                              "digits, spaces, . _ or -")
                      .arg(t.name));
        if (n > kMaxRunTimeTasks)
            whole(QStringLiteral("tasks"),
                  QObject::tr("workflow template %1: field \"tasks\" has %2 tasks; at most %3 are "
                              "allowed")
                      .arg(t.name)
                      .arg(n)
                      .arg(kMaxRunTimeTasks));
    }
    if (context.isShipped && !t.name.isEmpty() && context.isShipped(t.name))
        whole(QStringLiteral("name"),
              QObject::tr("workflow template %1: field \"name\" is taken by a template shipped "
                          "with alabos; choose another name")
                  .arg(t.name));
    out.append(checkTemplateDevices(t, context));
    // A lone step among others is allowed (it runs alongside them) but is usually a
    // forgotten arrow, so it is shown without refusing the template.
    if (n > 1)
        for (int i = 0; i < n; ++i)
            if (!connected[i] && !t.tasks[i].name.isEmpty()) {
                TemplateProblem p =
                    problem(Kind::Unconnected, i, QStringLiteral("depends_on"),
                            QObject::tr("workflow template %1, task %2: not connected to any "
                                        "other task; it runs alongside them")
                                .arg(t.name, t.tasks[i].name));
                p.blocking = false;
                out.append(p);
            }
    return out;
}

} // namespace alabos
