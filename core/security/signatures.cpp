#include "core/security/signatures.h"

#include "core/domain/types.h"
#include "core/security/crypto.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QSet>

namespace alabos {

namespace {
bool hasControl(const QString &text, bool linesAllowed)
{
    for (QChar ch : text)
        if ((ch.unicode() < 0x20 || ch.unicode() == 0x7f) &&
            !(linesAllowed && (ch == u'\t' || ch == u'\n' || ch == u'\r')))
            return true;
    return false;
}
} // namespace

bool SignaturePolicy::signable(const QString &kind)
{
    // A signature is stored with the record of what the command did; a list changes nothing
    // and leaves no record to hold one.
    return kind != QLatin1StringView("token.list");
}

SignaturePolicy SignaturePolicy::defaults()
{
    // The same words as migration 0015's rows; a database always has its own copy.
    return {{},
            {QStringLiteral("Approved"), QStringLiteral("Reviewed"),
             QStringLiteral("Corrected an error"), QStringLiteral("Cancelled on request")}};
}

QJsonObject SignaturePolicy::toJson() const
{
    return {{QStringLiteral("kinds"), QJsonArray::fromStringList(kinds)},
            {QStringLiteral("reasons"), QJsonArray::fromStringList(reasons)}};
}

std::optional<SignaturePolicy> SignaturePolicy::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<SignaturePolicy> {
        if (error) *error = why;
        return std::nullopt;
    };
    const QJsonValue kindsValue = json.value(QLatin1StringView("kinds"));
    const QJsonValue reasonsValue = json.value(QLatin1StringView("reasons"));
    if (!kindsValue.isArray())
        return fail(SignatureAuthority::tr("args.kinds must be an array of command kinds"));
    if (!reasonsValue.isArray())
        return fail(SignatureAuthority::tr("args.reasons must be an array of texts"));
    SignaturePolicy policy;
    const QStringList known = OperatorCommand::kinds();
    for (const QJsonValue &v : kindsValue.toArray()) {
        const QString kind = v.toString();
        if (!v.isString() || !known.contains(kind))
            return fail(SignatureAuthority::tr("args.kinds: \"%1\" is not a command kind")
                            .arg(kind.left(100)));
        if (!signable(kind))
            return fail(SignatureAuthority::tr("args.kinds: %1 cannot be signed: it changes "
                                               "nothing and leaves no record to sign")
                            .arg(kind));
        if (!policy.kinds.contains(kind)) policy.kinds << kind;
    }
    policy.kinds.sort();
    const QJsonArray reasons = reasonsValue.toArray();
    if (reasons.size() > kMaxReasons)
        return fail(SignatureAuthority::tr("args.reasons has %1 reasons; at most %2 are accepted")
                        .arg(reasons.size())
                        .arg(kMaxReasons));
    QSet<QString> seen;
    for (qsizetype i = 0; i < reasons.size(); ++i) {
        const QString reason = reasons.at(i).toString();
        if (!reasons.at(i).isString() || reason.trimmed().isEmpty())
            return fail(SignatureAuthority::tr("args.reasons[%1] must be a non-empty text").arg(i));
        if (reason.size() > kMaxReasonLength)
            return fail(SignatureAuthority::tr("args.reasons[%1] is %2 characters long; a reason "
                                               "may have at most %3")
                            .arg(i)
                            .arg(reason.size())
                            .arg(kMaxReasonLength));
        if (hasControl(reason, false) || reason != reason.trimmed())
            return fail(SignatureAuthority::tr("args.reasons[%1] may not start or end with "
                                               "spaces or hold a control character")
                            .arg(i));
        if (seen.contains(reason))
            return fail(SignatureAuthority::tr("args.reasons[%1]: \"%2\" is listed twice")
                            .arg(i)
                            .arg(reason));
        seen.insert(reason);
        policy.reasons << reason;
    }
    if (!policy.kinds.isEmpty() && policy.reasons.isEmpty())
        return fail(SignatureAuthority::tr("args.reasons must list at least one reason while a "
                                           "command kind needs a signature"));
    return policy;
}

SignatureAuthority::SignatureAuthority()
    : m_policy(SignaturePolicy::defaults()), m_key(randomBytes(32))
{
}

SignaturePolicy SignatureAuthority::policy() const
{
    QMutexLocker lock(&m_mutex);
    return m_policy;
}

void SignatureAuthority::setPolicy(const SignaturePolicy &policy)
{
    QMutexLocker lock(&m_mutex);
    m_policy = policy;
}

bool SignatureAuthority::needsSignature(const QString &kind) const
{
    QMutexLocker lock(&m_mutex);
    return m_policy.needsSignature(kind);
}

QString SignatureAuthority::requestProblem(const SignatureRequest &request) const
{
    if (request.password.isEmpty()) return tr("the signature needs your password");
    if (request.reason.isEmpty()) return tr("the signature needs a reason");
    if (request.reason.size() > SignaturePolicy::kMaxReasonLength)
        return tr("the signature's reason is %1 characters long; at most %2 are accepted")
            .arg(request.reason.size())
            .arg(SignaturePolicy::kMaxReasonLength);
    if (!policy().reasons.contains(request.reason))
        return tr("the signature's reason \"%1\" is not one of the configured reasons")
            .arg(request.reason);
    if (request.comment.size() > SignaturePolicy::kMaxCommentLength)
        return tr("the signature's comment is %1 characters long; at most %2 are accepted")
            .arg(request.comment.size())
            .arg(SignaturePolicy::kMaxCommentLength);
    if (hasControl(request.comment, true))
        return tr("the signature's comment holds a control character");
    return {};
}

QByteArray SignatureAuthority::mac(const OperatorCommand &c, const QJsonObject &unsignedSig) const
{
    // Everything that makes the command what it is, and the session it came in: the same
    // signature on any other command, or on this one sent again, does not match.
    const QJsonObject covered{
        {QStringLiteral("command"), QJsonObject{{QStringLiteral("id"), QString::number(c.id)},
                                                {QStringLiteral("session"), c.session},
                                                {QStringLiteral("user"), c.user},
                                                {QStringLiteral("kind"), c.kind},
                                                {QStringLiteral("entity_id"), c.entityId},
                                                {QStringLiteral("args"), c.args},
                                                {QStringLiteral("origin"), c.origin}}},
        {QStringLiteral("signature"), unsignedSig}};
    return hmacSha256(m_key, QJsonDocument(covered).toJson(QJsonDocument::Compact));
}

QJsonObject SignatureAuthority::sign(const OperatorCommand &command, const QString &displayName,
                                     const SignatureRequest &request) const
{
    const qint64 now = nowMicros();
    QJsonObject signature{
        {QStringLiteral("user"), command.user},
        {QStringLiteral("name"), displayName},
        {QStringLiteral("time"),
         QDateTime::fromMSecsSinceEpoch(now / 1000, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("time_us"), QString::number(now)},
        {QStringLiteral("reason"), request.reason}};
    if (!request.comment.isEmpty()) signature.insert(QStringLiteral("comment"), request.comment);
    signature.insert(QStringLiteral("mac"),
                     QString::fromLatin1(mac(command, signature).toBase64()));
    return signature;
}

QString SignatureAuthority::check(const OperatorCommand &command) const
{
    if (command.signature.isEmpty()) {
        if (!needsSignature(command.kind)) return {};
        return tr("%1 refused: it needs an electronic signature (your password and a reason)")
            .arg(command.kind);
    }
    if (command.signature.value(QLatin1StringView("user")).toString() != command.user)
        return tr("%1 refused: the signature is not by %2, who sent the command")
            .arg(command.kind, command.user);
    QJsonObject unsignedSig = command.signature;
    const QByteArray given =
        QByteArray::fromBase64(unsignedSig.take(QLatin1StringView("mac")).toString().toLatin1());
    if (!sameBytes(given, mac(command, unsignedSig)))
        return tr("%1 refused: the signature was not made for this command").arg(command.kind);
    return {};
}

QJsonObject SignatureAuthority::shown(const QJsonObject &signature)
{
    QJsonObject out = signature;
    out.remove(QLatin1StringView("mac"));
    return out;
}

} // namespace alabos
