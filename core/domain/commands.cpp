#include "core/domain/commands.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QObject>

namespace alabos {

namespace {
struct KindEntry
{
    const char *permission = nullptr;
    OperatorCommand::Service service = OperatorCommand::Service::Engine;
};

// Every command kind: the permission it needs and the service that runs it.
const QHash<QString, KindEntry> &commandKinds()
{
    using S = OperatorCommand::Service;
    static const QHash<QString, KindEntry> map{
        {QStringLiteral("device.pause"), {permission::DeviceControl, S::Engine}},
        {QStringLiteral("device.resume"), {permission::DeviceControl, S::Engine}},
        {QStringLiteral("device.maintenance"), {permission::DeviceControl, S::Engine}},
        {QStringLiteral("device.reconnect"), {permission::DeviceControl, S::Engine}},
        {QStringLiteral("device.command"), {permission::DeviceControl, S::Engine}},
        {QStringLiteral("device.add"), {permission::LabConfig, S::Engine}},
        {QStringLiteral("device.remove"), {permission::LabConfig, S::Engine}},
        {QStringLiteral("device.edit"), {permission::LabConfig, S::Engine}},
        {QStringLiteral("position.add"), {permission::LabConfig, S::Engine}},
        {QStringLiteral("position.remove"), {permission::LabConfig, S::Engine}},
        {QStringLiteral("task.cancel"), {permission::TaskControl, S::Engine}},
        {QStringLiteral("task.retry"), {permission::TaskControl, S::Engine}},
        {QStringLiteral("task.hold"), {permission::TaskControl, S::Engine}},
        {QStringLiteral("task.release"), {permission::TaskControl, S::Engine}},
        {QStringLiteral("task.priority"), {permission::TaskControl, S::Engine}},
        {QStringLiteral("task.front"), {permission::TaskControl, S::Engine}},
        {QStringLiteral("prompt.answer"), {permission::PromptAnswer, S::Engine}},
        {QStringLiteral("sample.register"), {permission::SampleRegister, S::Samples}},
        {QStringLiteral("sample.delete"), {permission::SampleDelete, S::Samples}},
        {QStringLiteral("workflow.submit"), {permission::WorkflowSubmit, S::Engine}},
        {QStringLiteral("workflow.template.save"), {permission::WorkflowTemplates, S::Engine}},
        {QStringLiteral("alarm.ack"), {permission::AlarmAck, S::Alarms}},
        {QStringLiteral("alarm.shelve"), {permission::AlarmShelve, S::Alarms}},
        {QStringLiteral("alarm.rule"), {permission::AlarmConfig, S::Alarms}},
        {QStringLiteral("user.edit"), {permission::UserAdmin, S::Accounts}},
        {QStringLiteral("user.add"), {permission::UserAdmin, S::Accounts}},
        {QStringLiteral("signature.policy"), {permission::UserAdmin, S::Accounts}},
        {QStringLiteral("token.create"), {permission::ApiTokens, S::Accounts}},
        {QStringLiteral("token.revoke"), {permission::ApiTokens, S::Accounts}},
        {QStringLiteral("token.list"), {permission::ApiTokens, S::Accounts}},
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
    const char *p = commandKinds().value(kind).permission;
    return p ? QString::fromLatin1(p) : QString();
}

OperatorCommand::Service OperatorCommand::serviceOf(const QString &kind)
{
    return commandKinds().value(kind).service;
}

QStringList OperatorCommand::kinds()
{
    QStringList all = commandKinds().keys();
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
