#include "core/bus/deadletter.h"

#include "core/bus/kafka.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <librdkafka/rdkafka.h>

namespace alabos {

DeadLetterSink::DeadLetterSink(KafkaProducer *producer, QString consumerName)
    : m_producer(producer), m_consumerName(std::move(consumerName)), m_tracker(new DeliveryTracker)
{
}

DeadLetterSink::~DeadLetterSink()
{
    // Delivery reports point at the tracker: free it only when none is outstanding.
    const qint64 sent = m_count.load() - m_failed.load();
    if (m_tracker->waitFor(sent, 5000))
        delete m_tracker;
    else
        qCWarning(lcBus) << "dead letters not acknowledged by Kafka at exit:"
                         << sent - m_tracker->succeeded() - m_tracker->failed();
}

void DeadLetterSink::send(const rd_kafka_message_t *m, const QString &reason, const QString &detail)
{
    send(rd_kafka_topic_name(m->rkt), m->partition, qint64(m->offset),
         QByteArrayView(static_cast<const char *>(m->key), qsizetype(m->key ? m->key_len : 0)),
         QByteArrayView(static_cast<const char *>(m->payload), qsizetype(m->payload ? m->len : 0)),
         reason, detail);
}

void DeadLetterSink::send(const char *topic, int partition, qint64 offset, QByteArrayView key,
                          QByteArrayView value, const QString &reason, const QString &detail)
{
    sendLetter({QString::fromUtf8(topic),
                QStringLiteral("%1@%2").arg(partition).arg(offset),
                {{"alabos.source-partition", QByteArray::number(partition)},
                 {"alabos.source-offset", QByteArray::number(offset)}},
                key,
                value},
               reason, detail);
}

void DeadLetterSink::sendUnpublished(const char *topic, qint64 eventId, const QByteArray &key,
                                     const QByteArray &value, const QString &reason,
                                     const QString &detail)
{
    sendLetter({QString::fromUtf8(topic),
                QStringLiteral("event %1").arg(eventId),
                {{"alabos.event-id", QByteArray::number(eventId)}},
                key,
                value},
               reason, detail);
}

void DeadLetterSink::sendLetter(const Letter &letter, const QString &reason, const QString &detail)
{
    ++m_count;
    ++m_byReason[reason];
    if (!m_logged.contains(reason)) {
        m_logged.insert(reason);
        qCWarning(lcBus).noquote()
            << QStringLiteral("%1: dead-lettered %2/%3 (%4): %5 (logged once "
                              "per reason; see alabos.deadletter)")
                   .arg(m_consumerName, letter.sourceTopic, letter.where, reason, detail);
    }
    if (!m_producer) {
        ++m_failed;
        return;
    }
    const QByteArray reasonUtf8 = reason.toUtf8();
    const QByteArray detailUtf8 = detail.left(1000).toUtf8();
    const QByteArray topicUtf8 = letter.sourceTopic.toUtf8();
    const QByteArray consumer = m_consumerName.toUtf8();
    const QByteArray originalSize = QByteArray::number(letter.value.size());
    const qsizetype copied = qMin<qsizetype>(letter.value.size(), kMaxCopyBytes);
    rd_kafka_headers_t *headers = rd_kafka_headers_new(8);
    rd_kafka_header_add(headers, "alabos.source-topic", -1, topicUtf8.constData(),
                        topicUtf8.size());
    for (const auto &[name, value] : letter.sourceHeaders)
        rd_kafka_header_add(headers, name, -1, value.constData(), value.size());
    rd_kafka_header_add(headers, "alabos.reason", -1, reasonUtf8.constData(), reasonUtf8.size());
    rd_kafka_header_add(headers, "alabos.error", -1, detailUtf8.constData(), detailUtf8.size());
    rd_kafka_header_add(headers, "alabos.consumer", -1, consumer.constData(), consumer.size());
    if (copied < letter.value.size())
        rd_kafka_header_add(headers, "alabos.original-size", -1, originalSize.constData(),
                            originalSize.size());
    const rd_kafka_resp_err_t err =
        rd_kafka_producev(m_producer->handle(), RD_KAFKA_V_TOPIC(topic::DeadLetter),
                          RD_KAFKA_V_KEY(letter.key.data(), size_t(letter.key.size())),
                          RD_KAFKA_V_VALUE(const_cast<char *>(letter.value.data()), size_t(copied)),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                          RD_KAFKA_V_OPAQUE(m_tracker), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_headers_destroy(headers); // ownership passes only on success
        ++m_failed;
        qCWarning(lcBus).noquote() << QStringLiteral("%1: could not dead-letter %2/%3: %4")
                                          .arg(m_consumerName, letter.sourceTopic, letter.where,
                                               QString::fromUtf8(rd_kafka_err2str(err)));
    }
}

} // namespace alabos
