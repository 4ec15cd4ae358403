#include "core/bus/commandchannel.h"

#include "core/bus/deadletter.h"
#include "core/bus/eventcodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QSysInfo>
#include <QUuid>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <unistd.h>

namespace alabos {

namespace {
const QString kRequestId = QStringLiteral("request_id");

QByteArray keyOf(const OperatorCommand &c)
{
    return (c.entityId.isEmpty() ? c.kind : c.entityId).toUtf8();
}
} // namespace

QByteArray encodeCommandRequest(const QString &requestId, const OperatorCommand &command)
{
    const QJsonObject json{{QStringLiteral("v"), kEventFormatVersion},
                           {QStringLiteral("kind"), QLatin1StringView(kCommandRequestKind)},
                           {kRequestId, requestId},
                           {QStringLiteral("command"), command.toJson()}};
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray encodeCommandReply(const QString &requestId, const CommandReply &reply)
{
    const QJsonObject json{{QStringLiteral("v"), kEventFormatVersion},
                           {QStringLiteral("kind"), QLatin1StringView(kCommandReplyKind)},
                           {kRequestId, requestId},
                           {QStringLiteral("ok"), reply.ok},
                           {QStringLiteral("message"), reply.message},
                           {QStringLiteral("data"), reply.data}};
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

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

// --- TopicTail ---------------------------------------------------------------------------

TopicTail::TopicTail(KafkaSettings settings, const char *topic, Handler handler, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_topic(topic),
      m_handler(std::move(handler))
{
}

TopicTail::~TopicTail()
{
    stop();
}

void TopicTail::stop()
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

bool TopicTail::start(QString *error)
{
    const QMap<QString, QString> props{
        {QStringLiteral("group.id"),
         QStringLiteral("alabos-commands-") + QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("enable.auto.commit"), QStringLiteral("false")},
        {QStringLiteral("enable.partition.eof"), QStringLiteral("false")},
        {QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")},
        {QStringLiteral("fetch.wait.max.ms"), QString::number(m_settings.fetchWaitMaxMs)},
    };
    rd_kafka_conf_t *conf = makeKafkaConf(m_settings, props, error);
    if (!conf) return false;
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        *error = tr("Kafka consumer: %1").arg(QString::fromUtf8(errstr));
        return false;
    }
    m_consumer.reset(rk);
    rd_kafka_poll_set_consumer(rk);
    // From the end taken now: a command is for the scheduler running when it is sent.
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, m_topic, nullptr);
    const rd_kafka_metadata_t *md = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
    rd_kafka_topic_destroy(rkt);
    if (err || md->topic_cnt != 1 || md->topics[0].err) {
        *error = tr("Kafka topic %1 is not available (%2); is the broker at %3 running?")
                     .arg(QString::fromUtf8(m_topic),
                          QString::fromUtf8(rd_kafka_err2str(err ? err : md->topics[0].err)),
                          m_settings.bootstrap);
        if (md) rd_kafka_metadata_destroy(md);
        return false;
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(16);
    for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
        int64_t low = 0, high = 0;
        if (const auto werr =
                rd_kafka_query_watermark_offsets(rk, m_topic, p, &low, &high, 10000)) {
            *error = tr("Kafka offsets of %1/%2: %3")
                         .arg(QString::fromUtf8(m_topic))
                         .arg(p)
                         .arg(QString::fromUtf8(rd_kafka_err2str(werr)));
            rd_kafka_metadata_destroy(md);
            rd_kafka_topic_partition_list_destroy(list);
            return false;
        }
        rd_kafka_topic_partition_list_add(list, m_topic, p)->offset = high;
    }
    rd_kafka_metadata_destroy(md);
    const rd_kafka_resp_err_t aerr = rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (aerr) {
        *error = tr("Kafka assign: %1").arg(QString::fromUtf8(rd_kafka_err2str(aerr)));
        return false;
    }
    if (::pipe2(m_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        *error = tr("cannot create a pipe for the Kafka consumer");
        return false;
    }
    m_queue = rd_kafka_queue_get_consumer(rk);
    rd_kafka_queue_io_event_enable(m_queue, m_pipe[1], "1", 1);
    m_notifier = new QSocketNotifier(m_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TopicTail::drain);
    drain();
    return true;
}

void TopicTail::drain()
{
    char buffer[256];
    while (::read(m_pipe[0], buffer, sizeof buffer) > 0) {
    }
    rd_kafka_message_t *messages[256];
    for (;;) {
        const ssize_t n = rd_kafka_consume_batch_queue(m_queue, 0, messages, 256);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            if (messages[i]->err) {
                if (messages[i]->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                    qCWarning(lcBus) << m_topic << ":" << rd_kafka_message_errstr(messages[i]);
            } else {
                m_handler(messages[i]);
            }
            rd_kafka_message_destroy(messages[i]);
        }
        if (n < 256) break;
    }
}

namespace {
QByteArray payloadOf(const rd_kafka_message_t *m)
{
    return m->payload ? QByteArray(static_cast<const char *>(m->payload), qsizetype(m->len))
                      : QByteArray();
}
} // namespace

// --- RemoteCommandClient -----------------------------------------------------------------

RemoteCommandClient::RemoteCommandClient(KafkaSettings settings, KafkaProducer *producer,
                                         int replyTimeoutMs, QObject *parent)
    : QObject(parent), m_producer(producer), m_replyTimeoutMs(replyTimeoutMs),
      m_consoleId(QStringLiteral("%1-%2-%3")
                      .arg(QSysInfo::machineHostName())
                      .arg(QCoreApplication::applicationPid())
                      .arg(QUuid::createUuid().toString(QUuid::Id128).left(8))),
      m_tail(new TopicTail(
          std::move(settings), topic::Commands, [this](const rd_kafka_message_t *m) { handle(m); },
          this)),
      m_expiry(new QTimer(this))
{
    registerCommandMetaTypes();
    m_expiry->setInterval(500);
    connect(m_expiry, &QTimer::timeout, this, &RemoteCommandClient::expire);
}

RemoteCommandClient::~RemoteCommandClient() = default;

void RemoteCommandClient::start()
{
    QString error;
    if (!m_tail->start(&error)) {
        Q_EMIT failed(tr("Commands cannot reach the scheduler: %1").arg(error));
        return;
    }
    m_expiry->start();
}

void RemoteCommandClient::send(const OperatorCommand &command)
{
    const QString requestId = m_consoleId + u'/' + QString::number(command.id);
    QString error;
    if (!m_producer->produce(topic::Commands, keyOf(command),
                             encodeCommandRequest(requestId, command), nullptr, &error, -1, 1000)) {
        Q_EMIT replied({command.id,
                        false,
                        tr("%1 could not be sent to the scheduler: %2").arg(command.kind, error),
                        {}});
        return;
    }
    m_pending.insert(requestId, {command.id, command.kind, QDeadlineTimer(m_replyTimeoutMs)});
}

void RemoteCommandClient::handle(const rd_kafka_message_t *m)
{
    const CommandMessage message = decodeCommandMessage(payloadOf(m));
    if (message.type != CommandMessage::Reply) return; // requests and audit: not ours to act on
    const auto it = m_pending.constFind(message.requestId);
    if (it == m_pending.cend()) return; // another console's reply
    CommandReply reply = message.reply;
    reply.commandId = it->commandId;
    m_pending.erase(it);
    Q_EMIT replied(reply);
}

void RemoteCommandClient::expire()
{
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (!it->deadline.hasExpired()) {
            ++it;
            continue;
        }
        Q_EMIT replied({it->commandId,
                        false,
                        tr("No scheduler answered %1 within %2 s: it is stopped or unreachable")
                            .arg(it->kind)
                            .arg(m_replyTimeoutMs / 1000),
                        {}});
        it = m_pending.erase(it);
    }
}

// --- RemoteCommandServer -----------------------------------------------------------------

RemoteCommandServer::RemoteCommandServer(KafkaSettings settings, KafkaProducer *producer,
                                         UserLookup users, QObject *parent)
    : QObject(parent), m_producer(producer), m_users(std::move(users)),
      m_tail(new TopicTail(
          std::move(settings), topic::Commands, [this](const rd_kafka_message_t *m) { handle(m); },
          this)),
      m_deadLetter(std::make_unique<DeadLetterSink>(producer, QStringLiteral("command server")))
{
    registerCommandMetaTypes();
}

RemoteCommandServer::~RemoteCommandServer() = default;

void RemoteCommandServer::start()
{
    QString error;
    if (!m_tail->start(&error))
        Q_EMIT failed(tr("The scheduler cannot read commands from other consoles: %1").arg(error));
}

void RemoteCommandServer::handle(const rd_kafka_message_t *m)
{
    const CommandMessage message = decodeCommandMessage(payloadOf(m));
    if (message.type == CommandMessage::Reply || message.type == CommandMessage::Audit)
        return; // what this scheduler (or an earlier one) wrote
    const QByteArray key =
        m->key ? QByteArray(static_cast<const char *>(m->key), qsizetype(m->key_len))
               : QByteArray();
    auto refuse = [&](const QString &reason, const QString &why) {
        ++m_refused;
        m_deadLetter->send(m, reason, why);
        if (!message.requestId.isEmpty())
            answer(message.requestId, key, {0, false, tr("Command refused: %1").arg(why), {}});
    };
    if (message.type == CommandMessage::Malformed) {
        refuse(message.reason, message.problem);
        return;
    }
    ++m_received;
    OperatorCommand command = message.command;
    // The role the lab stores for the user, never the one the message claims.
    QString why;
    const std::optional<Role> role = m_users ? m_users(command.user, &why) : std::nullopt;
    if (!role) {
        refuse(QStringLiteral("unauthorised"), why);
        return;
    }
    if (*role != command.role) {
        refuse(QStringLiteral("unauthorised"),
               tr("%1 claims the role %2 but is %3 in this lab")
                   .arg(command.user, toString(command.role), toString(*role)));
        return;
    }
    command.origin = message.requestId;
    command.id = m_nextLocalId++;
    m_origins.insert(command.id, {message.requestId, key});
    Q_EMIT commandReceived(command);
}

void RemoteCommandServer::onReply(const CommandReply &reply)
{
    const auto it = m_origins.constFind(reply.commandId);
    if (it == m_origins.cend()) return; // a reply to this process' own console
    const Origin origin = *it;
    m_origins.erase(it);
    answer(origin.requestId, origin.key, reply);
}

void RemoteCommandServer::answer(const QString &requestId, const QByteArray &key,
                                 const CommandReply &reply)
{
    QString error;
    if (!m_producer->produce(topic::Commands, key, encodeCommandReply(requestId, reply), nullptr,
                             &error))
        qCWarning(lcBus).noquote() << "reply to command" << requestId << "not published:" << error;
}

} // namespace alabos
