#include "core/domain/commands.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QObject>

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
        {QStringLiteral("sample.delete"), permission::SampleDelete},
        {QStringLiteral("workflow.submit"), permission::WorkflowSubmit},
        {QStringLiteral("workflow.template.save"), permission::WorkflowTemplates},
        {QStringLiteral("alarm.ack"), permission::AlarmAck},
        {QStringLiteral("alarm.shelve"), permission::AlarmShelve},
        {QStringLiteral("alarm.rule"), permission::AlarmConfig},
        {QStringLiteral("user.edit"), permission::UserAdmin},
        {QStringLiteral("user.add"), permission::UserAdmin},
        {QStringLiteral("signature.policy"), permission::UserAdmin},
        {QStringLiteral("token.create"), permission::ApiTokens},
        {QStringLiteral("token.revoke"), permission::ApiTokens},
        {QStringLiteral("token.list"), permission::ApiTokens},
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
        if (text == toString(r)) return r;
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
        return list({DeviceControl, TaskControl, PromptAnswer, AlarmAck, AlarmShelve, ApiTokens});
    case Role::Technician:
        return list({SampleRegister, WorkflowSubmit, PromptAnswer, AlarmAck, ApiTokens});
    case Role::Supervisor:
        return list({DeviceControl, TaskControl, PromptAnswer, SampleRegister, SampleDelete,
                     WorkflowSubmit, WorkflowTemplates, AlarmAck, AlarmShelve, AlarmConfig,
                     ApiTokens});
    case Role::Admin:
        return list({DeviceControl, TaskControl, PromptAnswer, SampleRegister, SampleDelete,
                     WorkflowSubmit, WorkflowTemplates, AlarmAck, AlarmShelve, AlarmConfig,
                     LabConfig, UserAdmin, ApiTokens});
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

QStringList OperatorCommand::kinds()
{
    QStringList all = commandPermissions().keys();
    all.sort();
    return all;
}

QJsonObject OperatorCommand::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},     {QStringLiteral("user"), user},
                     {QStringLiteral("host"), host}, {QStringLiteral("role"), toString(role)},
                     {QStringLiteral("kind"), kind}, {QStringLiteral("entity_id"), entityId},
                     {QStringLiteral("args"), args}, {QStringLiteral("time_us"), timeUs}};
    if (!origin.isEmpty()) json.insert(QStringLiteral("origin"), origin);
    // The MAC only proves the signature to the process that made it (SignatureAuthority).
    if (!signature.isEmpty()) {
        QJsonObject shown = signature;
        shown.remove(QLatin1StringView("mac"));
        json.insert(QStringLiteral("signature"), shown);
    }
    return json;
}

SignatureRequest SignatureRequest::fromJson(const QJsonObject &json)
{
    return {json.value(QLatin1StringView("password")).toString(),
            json.value(QLatin1StringView("reason")).toString(),
            json.value(QLatin1StringView("comment")).toString()};
}

std::optional<OperatorCommand> OperatorCommand::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<OperatorCommand> {
        if (error) *error = why;
        return std::nullopt;
    };
    OperatorCommand c;
    if (!json.value(QLatin1StringView("id")).isDouble())
        return fail(QStringLiteral("command: field \"id\" must be a number"));
    c.id = json.value(QLatin1StringView("id")).toInteger();
    c.user = json.value(QLatin1StringView("user")).toString();
    if (c.user.isEmpty()) return fail(QStringLiteral("command: field \"user\" is missing"));
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

namespace {
// The first character that is a C0 control (or DEL), other than those `allowed`; -1 if none.
qsizetype firstControl(QStringView text, QStringView allowed)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if ((c < 0x20 || c == 0x7f) && !allowed.contains(QChar(c))) return i;
    }
    return -1;
}

QString argsLimitsError(const QJsonValue &value, const QString &path, int depth)
{
    if (depth > OperatorCommand::kMaxArgsDepth)
        return QObject::tr("argument %1 is nested more than %2 levels deep")
            .arg(path)
            .arg(OperatorCommand::kMaxArgsDepth);
    if (value.isString()) {
        const QString text = value.toString();
        if (text.size() > OperatorCommand::kMaxTextLength)
            return QObject::tr("argument %1 is %2 characters long; at most %3 are accepted")
                .arg(path)
                .arg(text.size())
                .arg(OperatorCommand::kMaxTextLength);
        if (const qsizetype at = firstControl(text, u"\t\n\r"); at >= 0)
            return QObject::tr("argument %1 holds a control character (U+%2) at position %3")
                .arg(path)
                .arg(int(text[at].unicode()), 4, 16, QLatin1Char('0'))
                .arg(at + 1);
        return {};
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            if (QString e =
                    argsLimitsError(array[i], QStringLiteral("%1[%2]").arg(path).arg(i), depth + 1);
                !e.isEmpty())
                return e;
        return {};
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString &key = it.key();
            if (key.size() > OperatorCommand::kMaxKeyLength || firstControl(key, u"") >= 0)
                return QObject::tr("argument %1 has a key longer than %2 characters or with a "
                                   "control character")
                    .arg(path)
                    .arg(OperatorCommand::kMaxKeyLength);
            if (QString e = argsLimitsError(*it, path + u'.' + key, depth + 1); !e.isEmpty())
                return e;
        }
    }
    return {};
}
} // namespace

QString OperatorCommand::limitsError() const
{
    if (entityId.size() > kMaxEntityIdLength)
        return QObject::tr("%1: the entity id is %2 characters long; at most %3 are accepted")
            .arg(kind.left(100))
            .arg(entityId.size())
            .arg(kMaxEntityIdLength);
    if (firstControl(entityId, u"") >= 0)
        return QObject::tr("%1: the entity id holds a control character").arg(kind.left(100));
    const qsizetype bytes = QJsonDocument(args).toJson(QJsonDocument::Compact).size();
    if (bytes > kMaxArgsBytes)
        return QObject::tr("%1: the arguments take %2 KiB; at most %3 KiB are accepted")
            .arg(kind.left(100))
            .arg(bytes / 1024)
            .arg(kMaxArgsBytes / 1024);
    if (QString e = argsLimitsError(args, QStringLiteral("args"), 0); !e.isEmpty())
        return QStringLiteral("%1: %2").arg(kind.left(100), e);
    return {};
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
