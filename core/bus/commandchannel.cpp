#include "core/bus/commandchannel.h"

#include "core/bus/assignedconsumer.h"
#include "core/bus/deadletter.h"
#include "core/bus/eventcodec.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSysInfo>
#include <QUuid>
#include <librdkafka/rdkafka.h>

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

bool tailCommands(AssignedConsumer *consumer, QString *error)
{
    if (!consumer->open(error)) return false;
    const auto partitions = consumer->partitions(topic::Commands, error);
    if (!partitions) return false;
    QList<AssignedConsumer::Start> starts;
    for (const AssignedConsumer::PartitionRange &range : *partitions)
        starts.append({QByteArray(topic::Commands), range.partition, range.high});
    if (!consumer->assign(starts, error) || !consumer->startWakeups(error)) return false;
    consumer->drain();
    return true;
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
      m_tail(new AssignedConsumer(
          std::move(settings), QStringLiteral("command client"),
          [this](const rd_kafka_message_t *m) { handle(m); }, this)),
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
    if (!tailCommands(m_tail, &error)) {
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
      m_tail(new AssignedConsumer(
          std::move(settings), QStringLiteral("command server"),
          [this](const rd_kafka_message_t *m) { handle(m); }, this)),
      m_deadLetter(std::make_unique<DeadLetterSink>(producer, QStringLiteral("command server")))
{
    registerCommandMetaTypes();
}

RemoteCommandServer::~RemoteCommandServer() = default;

void RemoteCommandServer::start()
{
    QString error;
    if (!tailCommands(m_tail, &error))
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
