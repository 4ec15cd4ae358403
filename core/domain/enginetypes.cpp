// JSON of the engine's value types (prompts, positions). Kept apart from types.cpp so the
// engine's additions merge cleanly with the other subsystems' changes.
#include "core/domain/types.h"

#include <QJsonArray>
#include <QObject>

namespace alabos {

namespace {
bool fail(QString *error, const QString &why)
{
    if (error) *error = why;
    return false;
}
} // namespace

QJsonObject PromptState::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("task_id"), taskId},
            {QStringLiteral("device_id"), deviceId},
            {QStringLiteral("message"), message},
            {QStringLiteral("options"), QJsonArray::fromStringList(options)},
            {QStringLiteral("status"), status},
            {QStringLiteral("answer"), answer},
            {QStringLiteral("note"), note},
            {QStringLiteral("answered_by"), answeredBy},
            {QStringLiteral("created_us"), createdUs},
            {QStringLiteral("expires_us"), expiresUs},
            {QStringLiteral("answered_us"), answeredUs}};
}

std::optional<PromptState> PromptState::fromJson(const QJsonObject &json, QString *error)
{
    PromptState p;
    if (!json.value(QLatin1StringView("id")).isDouble()) {
        fail(error, QObject::tr("prompt: field \"id\" must be a number"));
        return std::nullopt;
    }
    p.id = json.value(QLatin1StringView("id")).toInteger();
    p.taskId = json.value(QLatin1StringView("task_id")).toInteger();
    p.deviceId = json.value(QLatin1StringView("device_id")).toString();
    if (!json.value(QLatin1StringView("message")).isString()) {
        fail(error, QObject::tr("prompt: field \"message\" must be a string"));
        return std::nullopt;
    }
    p.message = json.value(QLatin1StringView("message")).toString();
    const QJsonValue options = json.value(QLatin1StringView("options"));
    if (!options.isArray()) {
        fail(error, QObject::tr("prompt: field \"options\" must be an array of strings"));
        return std::nullopt;
    }
    for (const QJsonValue &o : options.toArray()) {
        if (!o.isString()) {
            fail(error, QObject::tr("prompt: field \"options\" must be an array of strings"));
            return std::nullopt;
        }
        p.options << o.toString();
    }
    p.status = json.value(QLatin1StringView("status")).toString();
    static const QStringList statuses{QStringLiteral("open"), QStringLiteral("answered"),
                                      QStringLiteral("expired"), QStringLiteral("cancelled")};
    if (!statuses.contains(p.status)) {
        fail(error, QObject::tr("prompt: field \"status\" must be open, answered, expired or "
                                "cancelled"));
        return std::nullopt;
    }
    p.answer = json.value(QLatin1StringView("answer")).toString();
    p.note = json.value(QLatin1StringView("note")).toString();
    p.answeredBy = json.value(QLatin1StringView("answered_by")).toString();
    p.createdUs = json.value(QLatin1StringView("created_us")).toInteger();
    p.expiresUs = json.value(QLatin1StringView("expires_us")).toInteger();
    p.answeredUs = json.value(QLatin1StringView("answered_us")).toInteger();
    return p;
}

QJsonObject WorkflowTemplateRecord::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("definition"), definition},
            {QStringLiteral("created_by"), createdBy}};
}

QJsonObject PositionState::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("parent"), parent},
            {QStringLiteral("device_id"), deviceId},
            {QStringLiteral("removed"), removed}};
}

std::optional<PositionState> PositionState::fromJson(const QJsonObject &json, QString *error)
{
    PositionState p;
    p.name = json.value(QLatin1StringView("name")).toString();
    if (p.name.isEmpty()) {
        fail(error, QObject::tr("position: field \"name\" is missing"));
        return std::nullopt;
    }
    p.parent = json.value(QLatin1StringView("parent")).toString();
    p.deviceId = json.value(QLatin1StringView("device_id")).toString();
    p.removed = json.value(QLatin1StringView("removed")).toBool();
    return p;
}

} // namespace alabos
