#include "core/bus/commandcodec.h"

#include "core/bus/eventcodec.h"

#include <QJsonDocument>
#include <QObject>
#include <cmath>

namespace alabos {

namespace {
const QString kRequestId = QStringLiteral("request_id");

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
QByteArray unb64(const QJsonValue &v)
{
    return QByteArray::fromBase64(v.toString().toLatin1());
}
} // namespace

namespace {
// The counter as JSON holds it (a double): a whole number from 0 to 2^53, where every value is
// exact. Anything else is refused; cast to quint64 it would be undefined.
constexpr double kLargestCounter = 9007199254740992.0;

// False when the counter is not one.
bool readProof(const QJsonObject &json, CommandMessage *out)
{
    out->command.session = json.value(QLatin1StringView("session")).toString();
    out->consoleId = json.value(QLatin1StringView("console")).toString();
    // No counter is no proof: 0, which no session accepts, so the refusal says what is
    // missing ("no session") rather than naming a field.
    const QJsonValue counter = json.value(QLatin1StringView("counter"));
    const double c = counter.isUndefined() ? 0 : counter.toDouble(-1);
    if (!(counter.isUndefined() || counter.isDouble()) || c < 0 || c > kLargestCounter ||
        c != std::floor(c))
        return false;
    out->counter = quint64(c);
    out->mac = unb64(json.value(QLatin1StringView("mac")));
    QJsonObject covered = json;
    covered.remove(QStringLiteral("mac"));
    out->signedBytes = compact(covered);
    return true;
}
QString badCounter()
{
    return QObject::tr("field \"counter\" must be a whole number from 0 to %1")
        .arg(qint64(kLargestCounter));
}
} // namespace

CommandMessage decodeCommandMessage(const QByteArray &bytes)
{
    CommandMessage out;
    auto malformed = [&](const QString &reason, const QString &problem) {
        out.type = CommandMessage::Malformed;
        out.reason = reason;
        out.problem = problem;
        return out;
    };
    if (bytes.size() > kMaxEventBytes)
        return malformed(toString(DecodeProblem::TooLarge),
                         QObject::tr("a command message of %1 bytes exceeds the limit of %2")
                             .arg(bytes.size())
                             .arg(kMaxEventBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject())
        return malformed(toString(DecodeProblem::NotJson),
                         QObject::tr("not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject json = doc.object();
    out.requestId = json.value(kRequestId).toString();
    const QJsonValue version = json.value(QLatin1StringView("v"));
    if (!version.isDouble() || version.toInt() != kEventFormatVersion)
        return malformed(toString(DecodeProblem::UnknownVersion),
                         QObject::tr("unknown command format version %1")
                             .arg(version.isUndefined() ? QStringLiteral("(none)")
                                                        : version.toVariant().toString()));
    const QString kind = json.value(QLatin1StringView("kind")).toString();
    if (kind == QLatin1StringView(kCommandRequestKind)) {
        if (out.requestId.isEmpty())
            return malformed(toString(DecodeProblem::MissingField),
                             QObject::tr("a command request needs a non-empty \"request_id\""));
        if (!json.value(QLatin1StringView("command")).isObject())
            return malformed(toString(DecodeProblem::MissingField),
                             QObject::tr("a command request needs a \"command\" object"));
        QString why;
        const auto command =
            OperatorCommand::fromJson(json.value(QLatin1StringView("command")).toObject(), &why);
        if (!command) return malformed(QStringLiteral("bad-command"), why);
        out.type = CommandMessage::Request;
        out.command = *command;
        out.sealed = unb64(json.value(QLatin1StringView("signature_sealed")));
        if (!readProof(json, &out))
            return malformed(toString(DecodeProblem::MissingField), badCounter());
        return out;
    }
    if (kind == QLatin1StringView(kSessionCloseKind)) {
        if (out.requestId.isEmpty())
            return malformed(toString(DecodeProblem::MissingField),
                             QObject::tr("a sign-out needs a non-empty \"request_id\""));
        out.type = CommandMessage::SessionClose;
        if (!readProof(json, &out))
            return malformed(toString(DecodeProblem::MissingField), badCounter());
        return out;
    }
    if (kind == QLatin1StringView(kSessionOpenKind)) {
        out.consoleId = json.value(QLatin1StringView("console")).toString();
        out.replyKey = unb64(json.value(QLatin1StringView("reply_key")));
        out.sealed = unb64(json.value(QLatin1StringView("sealed")));
        if (out.requestId.isEmpty() || out.consoleId.isEmpty() || out.replyKey.isEmpty() ||
            out.sealed.isEmpty())
            return malformed(toString(DecodeProblem::MissingField),
                             QObject::tr("a sign-in request needs \"request_id\", \"console\", "
                                         "\"reply_key\" and \"sealed\""));
        out.type = CommandMessage::SessionOpen;
        return out;
    }
    if (kind == QLatin1StringView(kSessionOpenedKind)) {
        if (out.requestId.isEmpty() || !json.value(QLatin1StringView("ok")).isBool())
            return malformed(toString(DecodeProblem::MissingField),
                             QObject::tr("a sign-in answer needs \"request_id\" and \"ok\""));
        out.type = CommandMessage::SessionOpened;
        out.reply.ok = json.value(QLatin1StringView("ok")).toBool();
        out.reply.message = json.value(QLatin1StringView("message")).toString();
        out.sealed = unb64(json.value(QLatin1StringView("sealed")));
        return out;
    }
    if (kind == QLatin1StringView(kCommandReplyKind)) {
        if (out.requestId.isEmpty() || !json.value(QLatin1StringView("ok")).isBool())
            return malformed(toString(DecodeProblem::MissingField),
                             QObject::tr("a command reply needs \"request_id\" and \"ok\""));
        out.type = CommandMessage::Reply;
        out.reply.ok = json.value(QLatin1StringView("ok")).toBool();
        out.reply.message = json.value(QLatin1StringView("message")).toString();
        out.reply.data = json.value(QLatin1StringView("data")).toObject();
        return out;
    }
    // The engine's audit events ("command.accepted", "command.refused"), relayed here.
    if (json.value(QLatin1StringView("entity_type")).toString() ==
        QLatin1StringView(entity::Command)) {
        out.type = CommandMessage::Audit;
        return out;
    }
    return malformed(QStringLiteral("unknown-kind"),
                     QObject::tr("unknown command message kind \"%1\" (expected %2 or %3)")
                         .arg(kind, QLatin1StringView(kCommandRequestKind),
                              QLatin1StringView(kCommandReplyKind)));
}

} // namespace alabos
