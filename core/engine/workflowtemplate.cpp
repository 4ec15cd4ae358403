#include "core/engine/workflowtemplate.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>

namespace alabos {

std::optional<WorkflowTemplate> WorkflowTemplate::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<WorkflowTemplate> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    WorkflowTemplate t;
    t.name = json.value(QLatin1StringView("name")).toString();
    if (t.name.isEmpty())
        return fail(QObject::tr("workflow template: field \"name\" is missing or empty"));
    const QJsonValue tasks = json.value(QLatin1StringView("tasks"));
    if (!tasks.isArray() || tasks.toArray().isEmpty())
        return fail(QObject::tr("workflow template %1: field \"tasks\" must be a non-empty array")
                        .arg(t.name));
    QHash<QString, int> index;
    for (const QJsonValue &v : tasks.toArray()) {
        const QJsonObject o = v.toObject();
        TaskTemplate task;
        task.name = o.value(QLatin1StringView("name")).toString();
        const QString where = QObject::tr("workflow template %1, task %2")
                                  .arg(t.name, task.name.isEmpty() ? QStringLiteral("#%1").arg(t.tasks.size() + 1)
                                                                   : task.name);
        if (task.name.isEmpty())
            return fail(where + QObject::tr(": field \"name\" is missing"));
        if (index.contains(task.name))
            return fail(where + QObject::tr(": field \"name\" repeats an earlier task"));
        task.deviceType = o.value(QLatin1StringView("device_type")).toString();
        if (task.deviceType.isEmpty())
            return fail(where + QObject::tr(": field \"device_type\" is missing"));
        task.command = o.value(QLatin1StringView("command")).toString();
        if (task.command.isEmpty())
            return fail(where + QObject::tr(": field \"command\" is missing"));
        task.durationS = o.value(QLatin1StringView("duration_s")).toDouble(-1);
        if (task.durationS < 0)
            return fail(where + QObject::tr(": field \"duration_s\" must be a number >= 0"));
        for (const QJsonValue &dep : o.value(QLatin1StringView("depends_on")).toArray()) {
            if (!index.contains(dep.toString()))
                return fail(where + QObject::tr(": field \"depends_on\" names \"%1\", which is "
                                                "not an earlier task (tasks must be listed after "
                                                "their dependencies, so no cycle can form)")
                                        .arg(dep.toString()));
            task.dependsOn << dep.toString();
        }
        task.parameters = o.value(QLatin1StringView("parameters")).toObject();
        index.insert(task.name, int(t.tasks.size()));
        t.tasks.append(task);
    }
    return t;
}

QJsonObject WorkflowTemplate::toJson() const
{
    QJsonArray tasksJson;
    for (const TaskTemplate &t : tasks)
        tasksJson.append(QJsonObject{{QStringLiteral("name"), t.name},
                                     {QStringLiteral("device_type"), t.deviceType},
                                     {QStringLiteral("command"), t.command},
                                     {QStringLiteral("duration_s"), t.durationS},
                                     {QStringLiteral("depends_on"), QJsonArray::fromStringList(t.dependsOn)},
                                     {QStringLiteral("parameters"), t.parameters}});
    return {{QStringLiteral("name"), name}, {QStringLiteral("tasks"), tasksJson}};
}

QList<int> WorkflowTemplate::topologicalOrder() const
{
    // fromJson only admits dependencies on earlier tasks, so list order is topological.
    QList<int> order;
    for (int i = 0; i < tasks.size(); ++i)
        order.append(i);
    return order;
}

WorkflowTemplate demoSynthesisTemplate()
{
    WorkflowTemplate t;
    t.name = QStringLiteral("demo-synthesis");
    auto add = [&](const char *name, const char *type, const char *command, double seconds,
                   QStringList deps) {
        t.tasks.append({QLatin1StringView(name), QLatin1StringView(type),
                        QLatin1StringView(command), seconds, std::move(deps), {}});
    };
    add("dose", "dosing_station", "dose", 40, {});
    add("weigh", "balance", "weigh", 15, {QStringLiteral("dose")});
    add("load", "robot_arm", "transfer", 20, {QStringLiteral("weigh")});
    add("fire", "box_furnace", "heat", 240, {QStringLiteral("load")});
    add("grind", "grinder", "grind", 60, {QStringLiteral("fire")});
    add("measure", "xrd", "measure", 120, {QStringLiteral("grind")});
    return t;
}

} // namespace alabos
