#include "core/bus/streamsigning.h"

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
