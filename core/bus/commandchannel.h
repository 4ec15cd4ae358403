#pragma once
// Operator commands between processes (docs/events.md, "alabos.commands"): a console that
// does not run the scheduler publishes each command as a request; the scheduler runs it
// through the same permission check and engine path as its own console's commands and
// publishes the reply, which the sending console matches by request id.
#include "core/bus/commandcodec.h"
#include "core/bus/kafka.h"
#include "core/bus/streamsigning.h"
#include "core/domain/commands.h"
#include "core/security/crypto.h"
#include "core/security/sessions.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace alabos {

class DeadLetterSink;

// A command request proves its session: `counter` grows with every request of the console,
// and `mac` is HMAC-SHA256 under the session key of the request without its "mac". A signed
// command's password and reason travel sealed to the scheduler's key ("signature_sealed",
// made by sealSignature), inside what the MAC covers.
QByteArray encodeCommandRequest(const QString &requestId, const QString &consoleId,
                                const OperatorCommand &command, quint64 counter,
                                const QByteArray &sessionKey,
                                const QByteArray &sealedSignature = {});
// The signature request of `requestId` sealed to `schedulerKey`; its request id inside, so
// the scheduler takes it only with that request.
std::optional<QByteArray> sealSignature(const QByteArray &schedulerKey, const QString &requestId,
                                        const SignatureRequest &request);
QByteArray encodeCommandReply(const QString &requestId, const CommandReply &reply);

// Reads alabos.commands from its end taken now (a command is for the scheduler running
// when it is sent), as messages arrive.
class AssignedConsumer;
bool tailCommands(AssignedConsumer *consumer, QString *error);

// A console's end: sends its commands as requests and turns the scheduler's replies back
// into CommandReply with the console's own command id. A person never waits forever and is
// never told something untrue: a request the broker did not take within the timeout (it is
// down) is answered "not sent", and the producer gives it up, so it cannot run later; a
// request the broker took and nobody answered within the timeout after that is answered
// "no scheduler answered".
class RemoteCommandClient : public QObject
{
    Q_OBJECT
public:
    RemoteCommandClient(KafkaSettings settings, int replyTimeoutMs = 15000,
                        QObject *parent = nullptr);
    ~RemoteCommandClient() override;
    QString consoleId() const { return m_consoleId; }
    // Answers on the topic that the scheduler did not sign, ignored.
    qint64 forgedReplies() const { return m_forgedReplies; }
    // The running scheduler's public key: sign-in credentials are sealed to it.
    void setSchedulerKey(const QByteArray &publicKey)
    {
        m_schedulerKey = publicKey;
        m_trusted.add(publicKey);
    }

public Q_SLOTS:
    void start();
    void send(const alabos::OperatorCommand &command);
    void signIn(qint64 requestId, const alabos::SignInRequest &request);
    void signOut(const QString &sessionId);

Q_SIGNALS:
    void replied(const alabos::CommandReply &reply);
    void signedIn(qint64 requestId, const alabos::SignInResult &result);
    void failed(const QString &message);

private:
    void handle(const rd_kafka_message_t *message);
    void expire();
    void onDelivered(const QString &requestId, const alabos::Delivery &report,
                     const QString &error);
    // Answers a pending request locally (a command's reply or a sign-in's result).
    void answerLocally(qint64 commandId, qint64 signInId, const QString &message);

    struct Pending
    {
        qint64 commandId = 0;
        QString kind;
        QDeadlineTimer deadline;
        bool delivered = false; // the broker took it: the reply's timeout runs from then
        qint64 signInId = -1;   // >= 0: a sign-in, answered by signedIn
        std::shared_ptr<BoxKeyPair> replyKey;
    };
    bool publish(const QString &requestId, const QByteArray &key, const QByteArray &message,
                 QString *error);
    // Until the broker's report comes: its own timeout, then the reply's (a safety net; the
    // producer reports within the first).
    QDeadlineTimer deliveryDeadline() const { return QDeadlineTimer(2 * m_replyTimeoutMs); }
    KafkaSettings m_settings;
    std::unique_ptr<KafkaProducer> m_producer; // its own: requests expire, other messages do not
    int m_replyTimeoutMs;
    QString m_consoleId;
    QByteArray m_schedulerKey;
    TrustedKeys m_trusted; // every scheduler key seen: a reply may come from the one before
    QHash<QString, QByteArray> m_sessionKeys; // session id -> its MAC key
    quint64 m_counter = 0;
    qint64 m_forgedReplies = 0;
    AssignedConsumer *m_tail;
    QTimer *m_expiry;
    QHash<QString, Pending> m_pending; // request id -> the console's command
};

// The scheduler's end: reads requests, proves each one's session (core/security/sessions.h)
// and takes user, role and host from it, hands them on as ordinary commands (with an id of
// its own, so they never collide with its own console's) and publishes each reply. Sign-in
// requests go to the account service; their answer is sealed to the asking console. Bad
// and unproven messages are answered when they say where to, and dead-lettered.
class RemoteCommandServer : public QObject
{
    Q_OBJECT
public:
    RemoteCommandServer(KafkaSettings settings, KafkaProducer *producer,
                        std::shared_ptr<SessionRegistry> sessions,
                        std::shared_ptr<const SigningKey> key, QObject *parent = nullptr);
    ~RemoteCommandServer() override;
    qint64 received() const { return m_received; }
    qint64 refused() const { return m_refused; }

public Q_SLOTS:
    void start();
    // Every reply of the process; those to remote commands are published.
    void onReply(const alabos::CommandReply &reply);
    // Every sign-in result of the process; those to remote sign-ins are published sealed.
    void onSignedIn(qint64 requestId, const alabos::SignInResult &result);

Q_SIGNALS:
    void commandReceived(const alabos::OperatorCommand &command);
    void signInRequested(qint64 requestId, const alabos::SignInRequest &request);
    void signOutRequested(const QString &sessionId, const QString &host);
    // A request whose session could not be proved, for the audit trail.
    void refusedUnproven(const alabos::OperatorCommand &claimed, const QString &reason);
    void failed(const QString &message);

private:
    void handle(const rd_kafka_message_t *message);
    void answer(const QString &requestId, const QByteArray &key, const CommandReply &reply);
    void answerSignIn(const QString &requestId, const QByteArray &key, const QByteArray &replyKey,
                      const SignInResult &result);

    // Far above any console's own counter.
    static constexpr qint64 kFirstLocalId = qint64(1) << 40;

    KafkaProducer *m_producer;
    std::shared_ptr<SessionRegistry> m_sessions;
    std::shared_ptr<const SigningKey> m_key;
    AssignedConsumer *m_tail;
    std::unique_ptr<DeadLetterSink> m_deadLetter;
    struct Origin
    {
        QString requestId;
        QByteArray key;
    };
    QHash<qint64, Origin> m_origins; // local command id -> where the reply goes
    struct PendingSignIn
    {
        QString requestId;
        QByteArray key;
        QByteArray replyKey;
    };
    QHash<qint64, PendingSignIn> m_signIns;
    qint64 m_nextLocalId = kFirstLocalId;
    qint64 m_received = 0;
    qint64 m_refused = 0;
};

} // namespace alabos
