#include "core/bus/streamsigning.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <librdkafka/rdkafka.h>

namespace alabos {

namespace {
QByteArray signedBytes(const char *topic, QByteArrayView messageKey, QByteArrayView value)
{
    QByteArray out;
    out.reserve(qsizetype(qstrlen(topic)) + messageKey.size() + value.size() + 2);
    out.append(topic).append('\0').append(messageKey).append('\0').append(value);
    return out;
}
} // namespace

QByteArray streamSignature(const SigningKey &key, const char *topic, QByteArrayView messageKey,
                           QByteArrayView value)
{
    return key.sign(signedBytes(topic, messageKey, value));
}

QByteArray messageDigest(const char *topic, QByteArrayView messageKey, QByteArrayView value)
{
    static constexpr char nul = '\0';
    return digest256({QByteArrayView(topic), QByteArrayView(&nul, 1), messageKey,
                      QByteArrayView(&nul, 1), value});
}

QByteArray encodeDigestList(const DigestList &list)
{
    QByteArray digests;
    digests.reserve(list.digests.size() * kDigestBytes);
    for (const QByteArray &d : list.digests)
        digests.append(d);
    const QJsonObject json{{QStringLiteral("v"), 1},
                           {QStringLiteral("relay"), list.relay},
                           {QStringLiteral("first_event"), list.firstEvent},
                           {QStringLiteral("last_event"), list.lastEvent},
                           {QStringLiteral("digests"), QString::fromLatin1(digests.toBase64())}};
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<DigestList> decodeDigestList(QByteArrayView value, QString *why)
{
    constexpr qsizetype kMaxBytes = DigestList::kMaxDigests * kDigestBytes * 4 / 3 + 1024;
    if (value.size() > kMaxBytes) {
        *why =
            QObject::tr("a digest list of %1 bytes, more than %2").arg(value.size()).arg(kMaxBytes);
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(value.toByteArray(), &error);
    if (!doc.isObject()) {
        *why = QObject::tr("a digest list that is not a JSON object: %1").arg(error.errorString());
        return std::nullopt;
    }
    const QJsonObject json = doc.object();
    if (json.value(QStringLiteral("v")).toInt() != 1) {
        *why = QObject::tr("a digest list of an unknown version");
        return std::nullopt;
    }
    DigestList list;
    list.relay = json.value(QStringLiteral("relay")).toString().left(DigestList::kMaxRelayName);
    list.firstEvent = qint64(json.value(QStringLiteral("first_event")).toDouble());
    list.lastEvent = qint64(json.value(QStringLiteral("last_event")).toDouble());
    const auto decoded =
        QByteArray::fromBase64Encoding(json.value(QStringLiteral("digests")).toString().toLatin1(),
                                       QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty() || decoded.decoded.size() % kDigestBytes != 0) {
        *why = QObject::tr("a digest list whose \"digests\" are not base64 of %1-byte digests")
                   .arg(kDigestBytes);
        return std::nullopt;
    }
    list.digests.reserve(decoded.decoded.size() / kDigestBytes);
    for (qsizetype at = 0; at < decoded.decoded.size(); at += kDigestBytes)
        list.digests.append(decoded.decoded.mid(at, kDigestBytes));
    return list;
}

QByteArray signatureOf(const rd_kafka_message_t *message)
{
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return {};
    const void *value = nullptr;
    size_t size = 0;
    if (rd_kafka_header_get_last(headers, kSignatureHeader, &value, &size) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        !value)
        return {};
    return QByteArray(static_cast<const char *>(value), qsizetype(size));
}

void TrustedKeys::set(const QList<QByteArray> &keys)
{
    QWriteLocker lock(&m_lock);
    m_keys = keys;
}

void TrustedKeys::add(const QByteArray &key)
{
    QWriteLocker lock(&m_lock);
    if (!m_keys.contains(key)) m_keys.append(key);
}

bool TrustedKeys::isEmpty() const
{
    QReadLocker lock(&m_lock);
    return m_keys.isEmpty();
}

bool TrustedKeys::verify(const char *topic, QByteArrayView messageKey, QByteArrayView value,
                         QByteArrayView signature) const
{
    if (signature.isEmpty()) return false;
    const QByteArray bytes = signedBytes(topic, messageKey, value);
    QReadLocker lock(&m_lock);
    // The newest key first: after a failover it signs nearly everything.
    for (auto it = m_keys.crbegin(); it != m_keys.crend(); ++it)
        if (verifySignature(*it, bytes, signature)) return true;
    return false;
}

namespace {
QByteArrayView keyOf(const rd_kafka_message_t *m)
{
    return {static_cast<const char *>(m->key), qsizetype(m->key ? m->key_len : 0)};
}
QByteArrayView valueOf(const rd_kafka_message_t *m)
{
    return {static_cast<const char *>(m->payload), qsizetype(m->payload ? m->len : 0)};
}
} // namespace

bool TrustedKeys::verify(const rd_kafka_message_t *m) const
{
    return verify(rd_kafka_topic_name(m->rkt), keyOf(m), valueOf(m), signatureOf(m));
}

bool verifyStreamSignature(QByteArrayView publicKey, const rd_kafka_message_t *m)
{
    const QByteArray signature = signatureOf(m);
    if (publicKey.isEmpty() || signature.isEmpty()) return false;
    return verifySignature(
        publicKey, signedBytes(rd_kafka_topic_name(m->rkt), keyOf(m), valueOf(m)), signature);
}

} // namespace alabos
