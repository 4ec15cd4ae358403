#include "core/bus/eventcodec.h"

#include <QJsonDocument>
#include <QObject>

namespace alabos {

QString toString(DecodeProblem problem)
{
    switch (problem) {
    case DecodeProblem::None:
        return QStringLiteral("none");
    case DecodeProblem::TooLarge:
        return QStringLiteral("too-large");
    case DecodeProblem::NotJson:
        return QStringLiteral("not-json");
    case DecodeProblem::UnknownVersion:
        return QStringLiteral("unknown-version");
    case DecodeProblem::MissingField:
        return QStringLiteral("missing-field");
    }
    return {};
}

QByteArray encodeEvent(const Event &event)
{
    const QJsonObject json{{QStringLiteral("v"), kEventFormatVersion},
                           {QStringLiteral("id"), event.id},
                           {QStringLiteral("entity_type"), event.entityType},
                           {QStringLiteral("entity_id"), event.entityId},
                           {QStringLiteral("kind"), event.kind},
                           {QStringLiteral("time_us"), event.timeUs},
                           {QStringLiteral("payload"), event.payload}};
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<Event> decodeEvent(const QByteArray &bytes, DecodeProblem *problem, QString *error)
{
    auto fail = [&](DecodeProblem p, const QString &why) -> std::optional<Event> {
        if (problem)
            *problem = p;
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (bytes.size() > kMaxEventBytes)
        return fail(DecodeProblem::TooLarge,
                    QObject::tr("event of %1 bytes exceeds the limit of %2")
                        .arg(bytes.size())
                        .arg(kMaxEventBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject())
        return fail(DecodeProblem::NotJson,
                    QObject::tr("not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject json = doc.object();
    const QJsonValue version = json.value(QLatin1StringView("v"));
    if (!version.isDouble() || version.toInt() != kEventFormatVersion)
        return fail(DecodeProblem::UnknownVersion,
                    QObject::tr("unknown event format version %1")
                        .arg(version.isUndefined() ? QStringLiteral("(none)")
                                                   : version.toVariant().toString()));
    Event e;
    const QJsonValue id = json.value(QLatin1StringView("id"));
    const QJsonValue type = json.value(QLatin1StringView("entity_type"));
    const QJsonValue entityId = json.value(QLatin1StringView("entity_id"));
    const QJsonValue kind = json.value(QLatin1StringView("kind"));
    const QJsonValue time = json.value(QLatin1StringView("time_us"));
    const QJsonValue payload = json.value(QLatin1StringView("payload"));
    if (!id.isDouble() || !type.isString() || !entityId.isString() || !kind.isString() ||
        !time.isDouble() || !payload.isObject())
        return fail(DecodeProblem::MissingField,
                    QObject::tr("event lacks one of id, entity_type, entity_id, kind, time_us, "
                                "payload or has the wrong type"));
    e.id = id.toInteger();
    e.entityType = type.toString();
    e.entityId = entityId.toString();
    e.kind = kind.toString();
    e.timeUs = time.toInteger();
    e.payload = payload.toObject();
    if (problem)
        *problem = DecodeProblem::None;
    return e;
}

} // namespace alabos
