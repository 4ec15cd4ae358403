#include "core/bus/commandchannel.h"

#include "core/bus/assignedconsumer.h"
#include "core/bus/deadletter.h"
#include "core/bus/eventcodec.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/domain/logging.h"

#include <QCoreApplication>
#include <QDateTime>
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

namespace {
QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
QString b64(const QByteArray &b)
{
    return QString::fromLatin1(b.toBase64());
}
QByteArray unb64(const QJsonValue &v)
{
    return QByteArray::fromBase64(v.toString().toLatin1());
}
} // namespace

namespace {
// A message proved by its session: the MAC covers everything else in it.
QByteArray provedMessage(const char *kind, const QString &requestId, const QString &consoleId,
                         const QString &session, quint64 counter, const QByteArray &sessionKey,
                         const QJsonObject &extra)
{
    QJsonObject json = extra;
    json.insert(QStringLiteral("v"), kEventFormatVersion);
    json.insert(QStringLiteral("kind"), QLatin1StringView(kind));
    json.insert(kRequestId, requestId);
    json.insert(QStringLiteral("console"), consoleId);
    json.insert(QStringLiteral("session"), session);
    json.insert(QStringLiteral("counter"), double(counter));
    json.insert(QStringLiteral("mac"), b64(hmacSha256(sessionKey, compact(json))));
    return compact(json);
}
} // namespace

QByteArray encodeCommandRequest(const QString &requestId, const QString &consoleId,
                                const OperatorCommand &command, quint64 counter,
                                const QByteArray &sessionKey, const QByteArray &sealedSignature)
{
    QJsonObject extra{{QStringLiteral("command"), command.toJson()}};
    if (!sealedSignature.isEmpty())
        extra.insert(QStringLiteral("signature_sealed"), b64(sealedSignature));
    return provedMessage(kCommandRequestKind, requestId, consoleId, command.session, counter,
                         sessionKey, extra);
}

std::optional<QByteArray> sealSignature(const QByteArray &schedulerKey, const QString &requestId,
                                        const SignatureRequest &request)
{
    return sealTo(schedulerKey, compact({{QStringLiteral("request_id"), requestId},
                                         {QStringLiteral("password"), request.password},
                                         {QStringLiteral("reason"), request.reason},
                                         {QStringLiteral("comment"), request.comment}}));
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

bool tailCommands(AssignedConsumer *consumer, QString *error)
{
    return consumer->tail(topic::Commands, error);
}

namespace {
QByteArray payloadOf(const rd_kafka_message_t *m)
{
    return m->payload ? QByteArray(static_cast<const char *>(m->payload), qsizetype(m->len))
                      : QByteArray();
}
} // namespace

// --- RemoteCommandClient -----------------------------------------------------------------

RemoteCommandClient::RemoteCommandClient(KafkaSettings settings, int replyTimeoutMs,
                                         QObject *parent)
    : QObject(parent), m_settings(settings), m_replyTimeoutMs(replyTimeoutMs),
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
    // A request waits for the broker at most as long as a person waits for an answer; then
    // the producer drops it and reports so.
    m_producer = KafkaProducer::create(
        m_settings, &error,
        {{QStringLiteral("message.timeout.ms"), QString::number(m_replyTimeoutMs)}});
    if (!m_producer || !tailCommands(m_tail, &error)) {
        Q_EMIT failed(tr("Commands cannot reach the scheduler: %1").arg(error));
        return;
    }
    m_expiry->start();
}

bool RemoteCommandClient::publish(const QString &requestId, const QByteArray &key,
                                  const QByteArray &message, QString *error)
{
    if (!m_producer) {
        *error = tr("this console is not connected to the Kafka broker");
        return false;
    }
    return m_producer->produce(
        topic::Commands, key, message,
        [this, requestId](const Delivery &report, const QString &why) {
            QMetaObject::invokeMethod(
                this, [=, this] { onDelivered(requestId, report, why); }, Qt::QueuedConnection);
        },
        error, 1000);
}

void RemoteCommandClient::onDelivered(const QString &requestId, const Delivery &report,
                                      const QString &error)
{
    const auto it = m_pending.find(requestId);
    if (it == m_pending.end()) return; // answered already (a reply may outrun its report)
    if (report.ok) {
        it->delivered = true;
        it->deadline = QDeadlineTimer(m_replyTimeoutMs);
        return;
    }
    const Pending pending = *it;
    m_pending.erase(it);
    const QString what = pending.signInId >= 0 ? tr("The sign-in") : pending.kind;
    answerLocally(
        pending.commandId, pending.signInId,
        report.possiblyStored
            ? tr("%1 may or may not have reached the scheduler: the Kafka broker did not confirm "
                 "it (%2); look at its effect before sending it again")
                  .arg(what, error)
            : tr("%1 was not sent: the Kafka broker could not be reached within %2 s (%3); "
                 "nothing was done")
                  .arg(what)
                  .arg(m_replyTimeoutMs / 1000)
                  .arg(error));
}

void RemoteCommandClient::answerLocally(qint64 commandId, qint64 signInId, const QString &message)
{
    if (signInId >= 0)
        Q_EMIT signedIn(signInId, {false, message, {}});
    else
        Q_EMIT replied({commandId, false, message, {}});
}

void RemoteCommandClient::send(const OperatorCommand &command)
{
    const QString requestId = m_consoleId + u'/' + QString::number(command.id);
    const QByteArray sessionKey = m_sessionKeys.value(command.session);
    if (sessionKey.isEmpty()) {
        Q_EMIT replied(
            {command.id,
             false,
             tr("%1 was not sent: this console has no session; sign in first").arg(command.kind),
             {}});
        return;
    }
    // The password of a signature is for the scheduler only: the request itself crosses the
    // broker readable.
    std::optional<QByteArray> sealed;
    if (!command.signatureRequest.isEmpty()) {
        sealed = sealSignature(m_schedulerKey, requestId, command.signatureRequest);
        if (!sealed) {
            Q_EMIT replied({command.id,
                            false,
                            tr("%1 was not sent: the scheduler's key is not usable for a "
                               "signature")
                                .arg(command.kind),
                            {}});
            return;
        }
    }
    QString error;
    if (!publish(requestId, keyOf(command),
                 encodeCommandRequest(requestId, m_consoleId, command, ++m_counter, sessionKey,
                                      sealed.value_or(QByteArray())),
                 &error)) {
        Q_EMIT replied({command.id,
                        false,
                        tr("%1 could not be sent to the scheduler: %2").arg(command.kind, error),
                        {}});
        return;
    }
    m_pending.insert(requestId, {command.id, command.kind, deliveryDeadline()});
}

void RemoteCommandClient::signIn(qint64 signInId, const SignInRequest &request)
{
    auto refuse = [&](const QString &why) { Q_EMIT signedIn(signInId, {false, why, {}}); };
    if (m_schedulerKey.isEmpty())
        return refuse(tr("The scheduler's key is unknown: sign-in is not possible"));
    auto replyKey = std::make_shared<BoxKeyPair>(BoxKeyPair::generate());
    const QJsonObject credentials{{QStringLiteral("user"), request.user},
                                  {QStringLiteral("password"), request.password},
                                  {QStringLiteral("new_password"), request.newPassword},
                                  {QStringLiteral("host"), request.host}};
    const std::optional<QByteArray> sealed = sealTo(m_schedulerKey, compact(credentials));
    if (!sealed) return refuse(tr("The scheduler's key is not usable: sign-in is not possible"));
    const QString requestId = m_consoleId + QStringLiteral("/sign-in/") + QString::number(signInId);
    const QJsonObject json{{QStringLiteral("v"), kEventFormatVersion},
                           {QStringLiteral("kind"), QLatin1StringView(kSessionOpenKind)},
                           {kRequestId, requestId},
                           {QStringLiteral("console"), m_consoleId},
                           {QStringLiteral("reply_key"), b64(replyKey->publicKey())},
                           {QStringLiteral("sealed"), b64(*sealed)}};
    QString error;
    if (!publish(requestId, m_consoleId.toUtf8(), compact(json), &error))
        return refuse(tr("The sign-in could not be sent to the scheduler: %1").arg(error));
    Pending pending{0, QString::fromLatin1(kSessionOpenKind), deliveryDeadline()};
    pending.signInId = signInId;
    pending.replyKey = std::move(replyKey);
    m_pending.insert(requestId, pending);
}

void RemoteCommandClient::signOut(const QString &sessionId)
{
    const QByteArray sessionKey = m_sessionKeys.take(sessionId);
    if (sessionKey.isEmpty()) return;
    const quint64 counter = ++m_counter;
    const QString requestId = m_consoleId + QStringLiteral("/sign-out/") + QString::number(counter);
    QString error;
    if (!publish(requestId, m_consoleId.toUtf8(),
                 provedMessage(kSessionCloseKind, requestId, m_consoleId, sessionId, counter,
                               sessionKey, {}),
                 &error))
        qCWarning(lcBus).noquote() << "sign-out not sent:" << error;
}

void RemoteCommandClient::handle(const rd_kafka_message_t *m)
{
    const CommandMessage message = decodeCommandMessage(payloadOf(m));
    if (message.type != CommandMessage::Reply && message.type != CommandMessage::SessionOpened)
        return; // requests and audit: not ours to act on
    const auto it = m_pending.constFind(message.requestId);
    if (it == m_pending.cend()) return; // another console's reply
    // Only the scheduler's word counts: a reply anyone else wrote is ignored, and the
    // command stays pending until the real answer (or the timeout) comes.
    if (!m_trusted.verify(m)) {
        ++m_forgedReplies;
        qCWarning(lcBus).noquote()
            << "ignored an answer to" << message.requestId << "that the scheduler did not sign";
        return;
    }
    if (it->signInId >= 0) {
        if (message.type != CommandMessage::SessionOpened) return;
        const qint64 signInId = it->signInId;
        const std::shared_ptr<BoxKeyPair> replyKey = it->replyKey;
        m_pending.erase(it);
        SignInResult result{message.reply.ok, message.reply.message, {}};
        if (result.ok) {
            const std::optional<QByteArray> plain = replyKey->openSealed(message.sealed);
            const QJsonObject s = plain ? QJsonDocument::fromJson(*plain).object() : QJsonObject();
            result.session.id = s.value(QLatin1StringView("session")).toString();
            result.session.key = unb64(s.value(QLatin1StringView("key")));
            result.session.user = s.value(QLatin1StringView("user")).toString();
            result.session.displayName = s.value(QLatin1StringView("display_name")).toString();
            result.session.role = roleFromString(s.value(QLatin1StringView("role")).toString())
                                      .value_or(Role::Operator);
            result.session.expiresUs = qint64(s.value(QLatin1StringView("expires_us")).toDouble());
            result.session.consoleId = m_consoleId;
            if (result.session.id.isEmpty() || result.session.key.size() != 32) {
                result.ok = false;
                result.message = tr("The scheduler's answer to the sign-in could not be read");
            } else {
                m_sessionKeys.insert(result.session.id, result.session.key);
            }
        }
        Q_EMIT signedIn(signInId, result);
        return;
    }
    if (message.type != CommandMessage::Reply) return;
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
        const Pending pending = *it;
        it = m_pending.erase(it);
        answerLocally(pending.commandId, pending.signInId,
                      pending.signInId >= 0
                          ? tr("No scheduler answered the sign-in within %1 s: it is stopped or "
                               "unreachable")
                                .arg(m_replyTimeoutMs / 1000)
                          : tr("No scheduler answered %1 within %2 s: it is stopped or "
                               "unreachable")
                                .arg(pending.kind)
                                .arg(m_replyTimeoutMs / 1000));
    }
}

// --- RemoteCommandServer -----------------------------------------------------------------

RemoteCommandServer::RemoteCommandServer(KafkaSettings settings, KafkaProducer *producer,
                                         std::shared_ptr<SessionRegistry> sessions,
                                         std::shared_ptr<const SigningKey> key, QObject *parent)
    : QObject(parent), m_producer(producer), m_sessions(std::move(sessions)), m_key(std::move(key)),
      m_tail(new AssignedConsumer(
          std::move(settings), QStringLiteral("command server"),
          [this](const rd_kafka_message_t *m) { handle(m); }, this)),
      m_deadLetter(std::make_unique<DeadLetterSink>(producer, QStringLiteral("command server")))
{
    registerCommandMetaTypes();
    registerSessionMetaTypes();
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
    if (message.type == CommandMessage::Reply || message.type == CommandMessage::Audit ||
        message.type == CommandMessage::SessionOpened)
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
    if (message.type == CommandMessage::SessionOpen) {
        const std::optional<QByteArray> plain = m_key->openSealed(message.sealed);
        const QJsonObject credentials =
            plain ? QJsonDocument::fromJson(*plain).object() : QJsonObject();
        if (credentials.isEmpty()) {
            ++m_refused;
            m_deadLetter->send(m, QStringLiteral("unsealed"),
                               tr("a sign-in whose credentials are not sealed to this scheduler"));
            answerSignIn(
                message.requestId, key, message.replyKey,
                {false,
                 tr("Sign-in refused: the credentials were not sealed to the running scheduler"),
                 {}});
            return;
        }
        SignInRequest request{
            credentials.value(QLatin1StringView("user")).toString().left(200),
            credentials.value(QLatin1StringView("password")).toString().left(1000),
            credentials.value(QLatin1StringView("new_password")).toString().left(1000),
            credentials.value(QLatin1StringView("host")).toString().left(255),
            message.consoleId.left(200)};
        const qint64 id = m_nextLocalId++;
        m_signIns.insert(id, {message.requestId, key, message.replyKey});
        Q_EMIT signInRequested(id, request);
        return;
    }
    OperatorCommand command = message.command;
    // Who sent it is what its session says, never what the message claims.
    QString why;
    const std::optional<Session> session =
        m_sessions->verify(command.session, message.consoleId, message.counter, message.signedBytes,
                           message.mac, &why);
    if (!session) {
        Q_EMIT refusedUnproven(command, why);
        refuse(QStringLiteral("unauthorised"), why);
        return;
    }
    if (message.type == CommandMessage::SessionClose) {
        Q_EMIT signOutRequested(session->id, session->host);
        return;
    }
    if (!message.sealed.isEmpty()) {
        const std::optional<QByteArray> plain = m_key->openSealed(message.sealed);
        const QJsonObject s = plain ? QJsonDocument::fromJson(*plain).object() : QJsonObject();
        if (s.value(kRequestId).toString() != message.requestId) {
            refuse(QStringLiteral("unsealed"),
                   tr("the command's signature was not sealed to this scheduler for this "
                      "request"));
            return;
        }
        command.signatureRequest = {s.value(QLatin1StringView("password")).toString().left(1000),
                                    s.value(QLatin1StringView("reason")).toString().left(1000),
                                    s.value(QLatin1StringView("comment")).toString().left(10000)};
    }
    command.user = session->user;
    command.role = session->role;
    command.host = session->host;
    command.origin = message.requestId;
    command.id = m_nextLocalId++;
    m_origins.insert(command.id, {message.requestId, key});
    Q_EMIT commandReceived(command);
}

void RemoteCommandServer::onSignedIn(qint64 requestId, const SignInResult &result)
{
    const auto it = m_signIns.constFind(requestId);
    if (it == m_signIns.cend()) return; // a sign-in at this process' own console
    const PendingSignIn pending = *it;
    m_signIns.erase(it);
    answerSignIn(pending.requestId, pending.key, pending.replyKey, result);
}

void RemoteCommandServer::answerSignIn(const QString &requestId, const QByteArray &key,
                                       const QByteArray &replyKey, const SignInResult &result)
{
    QJsonObject json{{QStringLiteral("v"), kEventFormatVersion},
                     {QStringLiteral("kind"), QLatin1StringView(kSessionOpenedKind)},
                     {kRequestId, requestId},
                     {QStringLiteral("ok"), result.ok},
                     {QStringLiteral("message"), result.message}};
    if (result.ok) {
        const QJsonObject session{{QStringLiteral("session"), result.session.id},
                                  {QStringLiteral("key"), b64(result.session.key)},
                                  {QStringLiteral("user"), result.session.user},
                                  {QStringLiteral("display_name"), result.session.displayName},
                                  {QStringLiteral("role"), toString(result.session.role)},
                                  {QStringLiteral("expires_us"), double(result.session.expiresUs)}};
        const std::optional<QByteArray> sealed =
            BoxKeyPair::sealToBoxKey(replyKey, compact(session));
        if (!sealed) {
            m_sessions->close(result.session.id);
            json.insert(QStringLiteral("ok"), false);
            json.insert(QStringLiteral("message"),
                        tr("Sign-in refused: the console's reply key is not usable"));
        } else {
            json.insert(QStringLiteral("sealed"), b64(*sealed));
        }
    }
    QString error;
    const QByteArray value = compact(json);
    if (!m_producer->produce(topic::Commands, key, value, nullptr, &error, -1, 5000,
                             streamSignature(*m_key, topic::Commands, key, value)))
        qCWarning(lcBus).noquote() << "sign-in answer" << requestId << "not published:" << error;
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
    const QByteArray value = encodeCommandReply(requestId, reply);
    if (!m_producer->produce(topic::Commands, key, value, nullptr, &error, -1, 5000,
                             streamSignature(*m_key, topic::Commands, key, value)))
        qCWarning(lcBus).noquote() << "reply to command" << requestId << "not published:" << error;
}

} // namespace alabos
