#include "core/domain/commands.h"

#include <QHash>
#include <QList>

namespace alabos {

namespace {
const QHash<QString, const char *> &commandPermissions()
{
    static const QHash<QString, const char *> map{
        {QStringLiteral("device.pause"), permission::DeviceControl},
        {QStringLiteral("device.resume"), permission::DeviceControl},
        {QStringLiteral("device.maintenance"), permission::DeviceControl},
        {QStringLiteral("device.reconnect"), permission::DeviceControl},
        {QStringLiteral("device.command"), permission::DeviceControl},
        {QStringLiteral("device.add"), permission::LabConfig},
        {QStringLiteral("device.remove"), permission::LabConfig},
        {QStringLiteral("device.edit"), permission::LabConfig},
        {QStringLiteral("position.add"), permission::LabConfig},
        {QStringLiteral("position.remove"), permission::LabConfig},
        {QStringLiteral("task.cancel"), permission::TaskControl},
        {QStringLiteral("task.retry"), permission::TaskControl},
        {QStringLiteral("task.hold"), permission::TaskControl},
        {QStringLiteral("task.release"), permission::TaskControl},
        {QStringLiteral("task.priority"), permission::TaskControl},
        {QStringLiteral("task.front"), permission::TaskControl},
        {QStringLiteral("prompt.answer"), permission::PromptAnswer},
        {QStringLiteral("sample.register"), permission::SampleRegister},
        {QStringLiteral("workflow.submit"), permission::WorkflowSubmit},
        {QStringLiteral("workflow.template.save"), permission::WorkflowTemplates},
        {QStringLiteral("alarm.ack"), permission::AlarmAck},
        {QStringLiteral("alarm.shelve"), permission::AlarmShelve},
        {QStringLiteral("alarm.rule"), permission::AlarmConfig},
        {QStringLiteral("user.edit"), permission::UserAdmin},
        {QStringLiteral("user.add"), permission::UserAdmin},
    };
    return map;
}
} // namespace

QString toString(Role role)
{
    switch (role) {
    case Role::Operator:
        return QStringLiteral("operator");
    case Role::Technician:
        return QStringLiteral("technician");
    case Role::Supervisor:
        return QStringLiteral("supervisor");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return {};
}

std::optional<Role> roleFromString(QStringView text)
{
    for (Role r : {Role::Operator, Role::Technician, Role::Supervisor, Role::Admin})
        if (text == toString(r))
            return r;
    return std::nullopt;
}

QStringList permissionsOf(Role role)
{
    using namespace permission;
    auto list = [](std::initializer_list<const char *> names) {
        QStringList out;
        for (const char *n : names)
            out << QLatin1StringView(n);
        return out;
    };
    switch (role) {
    case Role::Operator:
        return list({DeviceControl, TaskControl, PromptAnswer, AlarmAck, AlarmShelve});
    case Role::Technician:
        return list({SampleRegister, WorkflowSubmit, PromptAnswer, AlarmAck});
    case Role::Supervisor:
        return list({DeviceControl, TaskControl, PromptAnswer, SampleRegister, WorkflowSubmit,
                     WorkflowTemplates, AlarmAck, AlarmShelve, AlarmConfig});
    case Role::Admin:
        return list({DeviceControl, TaskControl, PromptAnswer, SampleRegister, WorkflowSubmit,
                     WorkflowTemplates, AlarmAck, AlarmShelve, AlarmConfig, LabConfig, UserAdmin});
    }
    return {};
}

bool roleAllows(Role role, QStringView permission)
{
    return permissionsOf(role).contains(permission);
}

QString OperatorCommand::requiredPermission(const QString &kind)
{
    const char *p = commandPermissions().value(kind, nullptr);
    return p ? QString::fromLatin1(p) : QString();
}

QJsonObject OperatorCommand::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},     {QStringLiteral("user"), user},
                     {QStringLiteral("host"), host}, {QStringLiteral("role"), toString(role)},
                     {QStringLiteral("kind"), kind}, {QStringLiteral("entity_id"), entityId},
                     {QStringLiteral("args"), args}, {QStringLiteral("time_us"), timeUs}};
    if (!origin.isEmpty())
        json.insert(QStringLiteral("origin"), origin);
    return json;
}

std::optional<OperatorCommand> OperatorCommand::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<OperatorCommand> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    OperatorCommand c;
    if (!json.value(QLatin1StringView("id")).isDouble())
        return fail(QStringLiteral("command: field \"id\" must be a number"));
    c.id = json.value(QLatin1StringView("id")).toInteger();
    c.user = json.value(QLatin1StringView("user")).toString();
    if (c.user.isEmpty())
        return fail(QStringLiteral("command: field \"user\" is missing"));
    c.host = json.value(QLatin1StringView("host")).toString();
    const auto role = roleFromString(json.value(QLatin1StringView("role")).toString());
    if (!role)
        return fail(QStringLiteral("command: field \"role\" must be operator, technician, "
                                   "supervisor or admin"));
    c.role = *role;
    c.kind = json.value(QLatin1StringView("kind")).toString();
    if (requiredPermission(c.kind).isEmpty())
        return fail(QStringLiteral("command: unknown kind \"%1\"").arg(c.kind));
    c.entityId = json.value(QLatin1StringView("entity_id")).toString();
    c.args = json.value(QLatin1StringView("args")).toObject();
    c.timeUs = json.value(QLatin1StringView("time_us")).toInteger();
    c.origin = json.value(QLatin1StringView("origin")).toString();
    return c;
}

void registerCommandMetaTypes()
{
    qRegisterMetaType<OperatorCommand>();
    qRegisterMetaType<CommandReply>();
    qRegisterMetaType<TelemetryReading>();
    qRegisterMetaType<PartitionOffset>();
    qRegisterMetaType<QList<TelemetryReading>>();
    qRegisterMetaType<QList<PartitionOffset>>();
}

} // namespace alabos
