#include "core/bus/kafka.h"

#include "core/domain/logging.h"

#include <QObject>
#include <QStringList>
#include <librdkafka/rdkafka.h>

namespace alabos {

namespace {
void logToQt(const rd_kafka_t *, int level, const char *facility, const char *message)
{
    // The handle hosting the embedded broker has no bootstrap servers: harmless, not shown.
    if (qstrcmp(facility, "CONFWARN") == 0 && strstr(message, "bootstrap.servers")) return;
    if (level <= 3)
        qCWarning(lcBus, "librdkafka %s: %s", facility, message);
    else
        qCDebug(lcBus, "librdkafka %s: %s", facility, message);
}
} // namespace

bool isSecretKafkaProperty(const QString &key)
{
    // librdkafka's secret properties by name (ssl_key is the binary private key set in code)...
    static const QStringList kSecretProperties{
        QStringLiteral("sasl.password"),
        QStringLiteral("sasl.jaas.config"),
        QStringLiteral("sasl.oauthbearer.client.secret"),
        QStringLiteral("sasl.oauthbearer.config"),
        QStringLiteral("sasl.oauthbearer.assertion.private.key.pem"),
        QStringLiteral("sasl.oauthbearer.assertion.private.key.passphrase"),
        QStringLiteral("ssl.key.password"),
        QStringLiteral("ssl.key.pem"),
        QStringLiteral("ssl_key"),
        QStringLiteral("ssl.keystore.password"),
    };
    // ...and by the words a secret's name carries, for properties newer than this list.
    static const QStringList kSecretWords{QStringLiteral("password"), QStringLiteral("passphrase"),
                                          QStringLiteral("secret"), QStringLiteral("token"),
                                          QStringLiteral("private.key")};
    const QString name = key.trimmed().toLower();
    if (kSecretProperties.contains(name)) return true;
    for (const QString &word : kSecretWords)
        if (name.contains(word)) return true;
    return false;
}

QString KafkaSettings::describe() const
{
    QStringList parts{QStringLiteral("bootstrap=%1").arg(bootstrap)};
    for (auto it = properties.begin(); it != properties.end(); ++it)
        parts << QStringLiteral("%1=%2").arg(
            it.key(), isSecretKafkaProperty(it.key()) ? QStringLiteral("***") : it.value());
    return parts.join(u' ');
}

rd_kafka_conf_t *makeKafkaConf(const KafkaSettings &settings, const QMap<QString, QString> &extra,
                               QString *error)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char errstr[512];
    auto set = [&](const QString &key, const QString &value) {
        if (rd_kafka_conf_set(conf, key.toUtf8().constData(), value.toUtf8().constData(), errstr,
                              sizeof errstr) != RD_KAFKA_CONF_OK) {
            if (error)
                *error = QObject::tr("Kafka setting %1: %2")
                             .arg(key, QString::fromUtf8(errstr)); // never the value: may be secret
            return false;
        }
        return true;
    };
    // alabos creates its topics itself, with their partition counts. A client that asked for
    // metadata first made a restarted embedded broker create one with its default count, and
    // the topic could then not be created as it must be.
    bool ok = set(QStringLiteral("allow.auto.create.topics"), QStringLiteral("false"));
    if (ok && !settings.bootstrap.isEmpty())
        ok = set(QStringLiteral("bootstrap.servers"), settings.bootstrap);
    for (auto it = settings.properties.begin(); ok && it != settings.properties.end(); ++it)
        ok = set(it.key(), it.value());
    for (auto it = extra.begin(); ok && it != extra.end(); ++it)
        ok = set(it.key(), it.value());
    if (!ok) {
        rd_kafka_conf_destroy(conf);
        return nullptr;
    }
    rd_kafka_conf_set_log_cb(conf, &logToQt);
    return conf;
}

rd_kafka_conf_t *makeConsumerConf(const KafkaSettings &settings, QMap<QString, QString> extra,
                                  QString *error)
{
    // Every alabos consumer: offsets are its own business (PostgreSQL or nothing), and a live
    // view asks often.
    const QMap<QString, QString> common{
        {QStringLiteral("enable.auto.commit"), QStringLiteral("false")},
        {QStringLiteral("enable.partition.eof"), QStringLiteral("false")},
        {QStringLiteral("fetch.wait.max.ms"), QString::number(settings.fetchWaitMaxMs)},
        {QStringLiteral("fetch.error.backoff.ms"), QStringLiteral("50")}};
    for (auto it = common.begin(); it != common.end(); ++it)
        if (!extra.contains(it.key())) extra.insert(it.key(), it.value());
    return makeKafkaConf(settings, extra, error);
}

void KafkaHandleDeleter::operator()(rd_kafka_t *handle) const
{
    if (handle) rd_kafka_destroy(handle);
}

void DeliveryTracker::delivered(const Delivery &report, const char *error)
{
    if (m_observer) m_observer(report);
    {
        std::lock_guard lock(m_mutex);
        if (report.ok) {
            ++m_ok;
        } else {
            ++m_failed;
            m_lastError = QString::fromUtf8(error);
        }
    }
    m_cv.notify_all();
}

bool DeliveryTracker::waitFor(qint64 expected, int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                         [&] { return m_ok.load() + m_failed.load() >= expected; });
}

QString DeliveryTracker::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void DeliveryTracker::reset()
{
    std::lock_guard lock(m_mutex);
    m_ok = 0;
    m_failed = 0;
    m_lastError.clear();
}

std::unique_ptr<KafkaProducer> KafkaProducer::create(const KafkaSettings &settings, QString *error,
                                                     const QMap<QString, QString> &extra)
{
    QMap<QString, QString> props{
        {QStringLiteral("enable.idempotence"), QStringLiteral("true")},
        {QStringLiteral("acks"), QStringLiteral("all")},
        {QStringLiteral("linger.ms"), QStringLiteral("1")},
        {QStringLiteral("queue.buffering.max.messages"), QStringLiteral("500000")},
        {QStringLiteral("message.timeout.ms"), QStringLiteral("0")}};
    props.insert(extra);
    rd_kafka_conf_t *conf = makeKafkaConf(settings, props, error);
    if (!conf) return nullptr;
    std::unique_ptr<KafkaProducer> producer(new KafkaProducer);
    rd_kafka_conf_set_dr_msg_cb(
        conf, [](rd_kafka_t *rk, const rd_kafka_message_t *m, void *op) { onDelivery(rk, m, op); });
    rd_kafka_conf_set_opaque(conf, producer.get());
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        if (error) *error = QObject::tr("Kafka producer: %1").arg(QString::fromUtf8(errstr));
        return nullptr;
    }
    producer->m_handle.reset(rk);
    KafkaProducer *self = producer.get();
    producer->m_pollThread = std::thread([self] {
        while (!self->m_stop.load())
            rd_kafka_poll(self->m_handle.get(), 50);
    });
    return producer;
}

KafkaProducer::~KafkaProducer()
{
    if (m_handle) {
        const rd_kafka_resp_err_t err = rd_kafka_flush(m_handle.get(), 3000);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            qCWarning(lcBus) << "Kafka producer closed with" << rd_kafka_outq_len(m_handle.get())
                             << "messages undelivered";
    }
    m_stop = true;
    if (m_pollThread.joinable()) m_pollThread.join();
}

void KafkaProducer::onDelivery(rd_kafka_t *, const void *message, void *opaque)
{
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    auto *self = static_cast<KafkaProducer *>(opaque);
    const bool ok = m->err == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (!ok) {
        if (self->m_deliveryErrors.fetch_add(1) % 1000 == 0)
            qCWarning(lcBus) << "Kafka delivery failed:" << rd_kafka_err2str(m->err);
    }
    if (auto *receiver = static_cast<DeliveryReceiver *>(m->_private))
        receiver->delivered(
            {ok, m->partition, m->offset, qint64(m->len + m->key_len),
             !ok && rd_kafka_message_status(m) != RD_KAFKA_MSG_STATUS_NOT_PERSISTED},
            ok ? nullptr : rd_kafka_err2str(m->err));
}

bool KafkaProducer::produce(const char *topic, const QByteArray &key, const QByteArray &value,
                            DeliveryTracker *tracker, QString *error, int partition, int blockMs,
                            const QByteArray &signature)
{
    return enqueue(topic, key, value, tracker, error, partition, blockMs, signature);
}

namespace {
// A report for one message, handed to a function; frees itself once called.
class DeliveryCallback final : public DeliveryReceiver
{
public:
    explicit DeliveryCallback(std::function<void(const Delivery &, const QString &)> f)
        : m_function(std::move(f))
    {
    }
    void delivered(const Delivery &report, const char *error) override
    {
        m_function(report, error ? QString::fromUtf8(error) : QString());
        delete this;
    }

private:
    std::function<void(const Delivery &, const QString &)> m_function;
};
} // namespace

bool KafkaProducer::produce(const char *topic, const QByteArray &key, const QByteArray &value,
                            std::function<void(const Delivery &, const QString &)> onDelivered,
                            QString *error, int blockMs)
{
    auto *callback = new DeliveryCallback(std::move(onDelivered));
    if (enqueue(topic, key, value, callback, error, -1, blockMs, {})) return true;
    delete callback; // no report will come
    return false;
}

bool KafkaProducer::enqueue(const char *topic, const QByteArray &key, const QByteArray &value,
                            DeliveryReceiver *receiver, QString *error, int partition, int blockMs,
                            const QByteArray &signature)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(blockMs);
    for (;;) {
        const rd_kafka_resp_err_t err =
            signature.isEmpty()
                ? rd_kafka_producev(
                      m_handle.get(), RD_KAFKA_V_TOPIC(topic),
                      RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
                      RD_KAFKA_V_KEY(key.constData(), size_t(key.size())),
                      RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()), size_t(value.size())),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(receiver),
                      RD_KAFKA_V_END)
                : rd_kafka_producev(
                      m_handle.get(), RD_KAFKA_V_TOPIC(topic),
                      RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
                      RD_KAFKA_V_KEY(key.constData(), size_t(key.size())),
                      RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()), size_t(value.size())),
                      RD_KAFKA_V_HEADER("alabos-sig", signature.constData(),
                                        ssize_t(signature.size())),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(receiver),
                      RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        if (error)
            *error = QObject::tr("Kafka produce to %1 failed: %2")
                         .arg(QString::fromUtf8(topic), QString::fromUtf8(rd_kafka_err2str(err)));
        return false;
    }
}

bool KafkaProducer::flush(int timeoutMs)
{
    return rd_kafka_flush(m_handle.get(), timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

qint64 KafkaProducer::outstanding() const
{
    return rd_kafka_outq_len(m_handle.get());
}

} // namespace alabos
