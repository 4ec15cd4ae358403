#include "core/bus/assignedconsumer.h"

#include "core/domain/logging.h"

#include <QSocketNotifier>
#include <QUuid>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <unistd.h>

namespace alabos {

AssignedConsumer::AssignedConsumer(KafkaSettings settings, QString name, Handler handler,
                                   QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_name(std::move(name)),
      m_handler(std::move(handler))
{
}

AssignedConsumer::~AssignedConsumer()
{
    close();
}

void AssignedConsumer::close()
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_queue) {
        rd_kafka_queue_io_event_enable(m_queue, -1, nullptr, 0);
        rd_kafka_queue_destroy(m_queue);
        m_queue = nullptr;
    }
    if (m_consumer) {
        rd_kafka_consumer_close(m_consumer.get());
        m_consumer.reset();
    }
    for (int &fd : m_pipe) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

bool AssignedConsumer::open(QString *error)
{
    QMap<QString, QString> props = m_extra;
    props.insert(QStringLiteral("group.id"),
                 QStringLiteral("alabos-console-") +
                     QUuid::createUuid().toString(QUuid::WithoutBraces));
    rd_kafka_conf_t *conf = makeConsumerConf(m_settings, props, error);
    if (!conf) return false;
    // Client errors (a broker down, all of them down) are served on this thread by the
    // consume calls of drain(), in their order among the messages.
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t *, int err, const char *reason, void *opaque) {
        static_cast<AssignedConsumer *>(opaque)->onClientError(err, QString::fromUtf8(reason));
    });
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        *error = tr("Kafka consumer: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    m_consumer.reset(rk);
    rd_kafka_poll_set_consumer(rk);
    return true;
}

std::optional<QList<AssignedConsumer::PartitionRange>>
AssignedConsumer::partitions(const char *topic, QString *error)
{
    rd_kafka_t *rk = m_consumer.get();
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, nullptr);
    const rd_kafka_metadata_t *md = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
    rd_kafka_topic_destroy(rkt);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt != 1 || md->topics[0].err) {
        *error = tr("Kafka topic %1 is not available (%2); is the broker at %3 running?")
                     .arg(QString::fromUtf8(topic),
                          QString::fromUtf8(
                              rd_kafka_err2str(err ? err : (md ? md->topics[0].err : err))),
                          m_settings.bootstrap);
        if (md) rd_kafka_metadata_destroy(md);
        return std::nullopt;
    }
    QList<PartitionRange> out;
    for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
        int64_t low = 0, high = 0;
        const rd_kafka_resp_err_t werr =
            rd_kafka_query_watermark_offsets(rk, topic, p, &low, &high, 10000);
        if (werr) {
            *error = tr("Kafka offsets of %1/%2: %3")
                         .arg(QString::fromUtf8(topic))
                         .arg(p)
                         .arg(QString::fromUtf8(rd_kafka_err2str(werr)));
            rd_kafka_metadata_destroy(md);
            return std::nullopt;
        }
        out.append({p, low, high});
    }
    rd_kafka_metadata_destroy(md);
    return out;
}

bool AssignedConsumer::assign(const QList<Start> &starts, QString *error)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(starts.size()));
    for (const Start &s : starts)
        rd_kafka_topic_partition_list_add(list, s.topic.constData(), s.partition)->offset =
            s.offset;
    const rd_kafka_resp_err_t aerr = rd_kafka_assign(m_consumer.get(), list);
    rd_kafka_topic_partition_list_destroy(list);
    if (aerr) {
        *error = tr("Kafka assign: %1").arg(QString::fromUtf8(rd_kafka_err2str(aerr)));
        return false;
    }
    return true;
}

bool AssignedConsumer::tail(const char *topic, QString *error)
{
    // The end taken now is out of range only when the broker lost its log (an embedded broker
    // started again is empty) or dropped what this consumer had not read: what it holds then
    // was written after that, and is read from its start rather than skipped.
    if (!m_extra.contains(QStringLiteral("auto.offset.reset")))
        m_extra.insert(QStringLiteral("auto.offset.reset"), QStringLiteral("earliest"));
    m_rereadsAfterOutage = true;
    if (!open(error)) return false;
    const auto ranges = partitions(topic, error);
    if (!ranges) return false;
    QList<Start> starts;
    for (const PartitionRange &range : *ranges)
        starts.append({QByteArray(topic), range.partition, range.high});
    if (!assign(starts, error) || !startWakeups(error)) return false;
    drain();
    return true;
}

namespace {
// Producers on other machines stamp messages with their own clocks, which NTP keeps within
// milliseconds of ours; a message stamped this much before the newest one handled may still
// be new.
constexpr qint64 kProducerClockSlackMs = 2000;
} // namespace

void AssignedConsumer::onClientError(int err, const QString &reason)
{
    qCWarning(lcBus).noquote() << m_name << ":" << reason;
    // The broker that answers next may be an empty one on the same address (the embedded
    // broker started again). This consumer's next offset N is in range there once it holds N
    // messages, and its first N would be skipped. Messages fetched after this point are
    // dropped by librdkafka as older than the seek.
    if (err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) return;
    ++m_outages;
    if (m_outageHandler) m_outageHandler();
    if (m_rereadsAfterOutage) rereadFromTheStart();
}

void AssignedConsumer::rereadFromTheStart()
{
    rd_kafka_t *rk = m_consumer.get();
    rd_kafka_topic_partition_list_t *assigned = nullptr;
    if (rd_kafka_assignment(rk, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR || !assigned) return;
    for (int i = 0; i < assigned->cnt; ++i)
        assigned->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
    // Asynchronous (timeout 0): no broker answers now. What was fetched before this is
    // dropped by librdkafka; the fetches start from here.
    if (rd_kafka_error_t *e = rd_kafka_seek_partitions(rk, assigned, 0)) {
        qCWarning(lcBus).noquote()
            << m_name << ": cannot read from the broker's start:" << rd_kafka_error_string(e);
        rd_kafka_error_destroy(e);
    }
    for (int i = 0; i < assigned->cnt; ++i)
        if (assigned->elems[i].err && assigned->elems[i].err != RD_KAFKA_RESP_ERR__IN_PROGRESS)
            qCWarning(lcBus).noquote()
                << m_name << ": cannot read" << assigned->elems[i].topic
                << "from the broker's start:" << rd_kafka_err2str(assigned->elems[i].err);
    rd_kafka_topic_partition_list_destroy(assigned);
    qCInfo(lcBus).noquote() << m_name
                            << ": every broker went down; reading again from the start of what "
                               "the broker holds when it answers";
}

void AssignedConsumer::handle(const rd_kafka_message_t *m)
{
    if (m_rereadsAfterOutage) {
        rd_kafka_timestamp_type_t type;
        const qint64 stamp = rd_kafka_message_timestamp(m, &type);
        Progress &p = m_progress[int(m->partition)];
        // Below the furthest offset handled and stamped well before the newest handled: this
        // broker's message from before the outage. An empty broker started again after it
        // holds only messages stamped later, which are new whatever their offset.
        if (m->offset < p.nextOffset && stamp >= 0 &&
            stamp < p.newestTimestampMs - kProducerClockSlackMs)
            return;
        p.nextOffset = qMax(p.nextOffset, qint64(m->offset) + 1);
        p.newestTimestampMs = qMax(p.newestTimestampMs, stamp);
    }
    m_handler(m);
}

bool AssignedConsumer::startWakeups(QString *error)
{
    if (::pipe2(m_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        *error = tr("cannot create a pipe for the Kafka consumer");
        return false;
    }
    m_queue = rd_kafka_queue_get_consumer(m_consumer.get());
    rd_kafka_queue_io_event_enable(m_queue, m_pipe[1], "1", 1);
    m_notifier = new QSocketNotifier(m_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &AssignedConsumer::drain);
    return true;
}

void AssignedConsumer::drain()
{
    if (!m_queue) return;
    char buffer[256];
    while (::read(m_pipe[0], buffer, sizeof buffer) > 0) {
    }
    rd_kafka_message_t *messages[512];
    for (;;) {
        const ssize_t n = rd_kafka_consume_batch_queue(m_queue, 0, messages, 512);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            const rd_kafka_message_t *m = messages[i];
            if (!m->err)
                handle(m);
            else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                qCWarning(lcBus).noquote() << m_name << ":" << rd_kafka_message_errstr(m);
                if (m_errorHandler) m_errorHandler(m);
            }
            rd_kafka_message_destroy(messages[i]);
        }
        if (n < 512) break;
    }
    Q_EMIT drained();
}

} // namespace alabos
