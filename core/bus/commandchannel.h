#pragma once
// Operator commands between processes (docs/events.md, "alabos.commands"): a console that
// does not run the scheduler publishes each command as a request; the scheduler runs it
// through the same permission check and engine path as its own console's commands and
// publishes the reply, which the sending console matches by request id.
#include "core/bus/kafka.h"
#include "core/domain/commands.h"

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

inline constexpr auto kCommandRequestKind = "command.request";
inline constexpr auto kCommandReplyKind = "command.reply";

QByteArray encodeCommandRequest(const QString &requestId, const OperatorCommand &command);
QByteArray encodeCommandReply(const QString &requestId, const CommandReply &reply);

// One message of alabos.commands as a reader sees it.
struct CommandMessage
{
    enum Type
    {
        Request,
        Reply,
        Audit,
        Malformed
    } type = Malformed;
    QString requestId;       // Request, Reply; and Malformed when it could be read
    OperatorCommand command; // Request
    CommandReply reply;      // Reply (its commandId is 0: the request id identifies it)
    QString reason;          // Malformed: a short kind for alabos.deadletter
    QString problem;         // Malformed: for a person
};
CommandMessage decodeCommandMessage(const QByteArray &bytes);

// Reads alabos.commands from its end taken now (a command is for the scheduler running
// when it is sent), as messages arrive.
class AssignedConsumer;
bool tailCommands(AssignedConsumer *consumer, QString *error);

// A console's end: sends its commands as requests and turns the scheduler's replies back
// into CommandReply with the console's own command id. A request nobody answers within
// the timeout is answered locally, so a person never waits forever.
class RemoteCommandClient : public QObject
{
    Q_OBJECT
public:
    RemoteCommandClient(KafkaSettings settings, KafkaProducer *producer, int replyTimeoutMs = 15000,
                        QObject *parent = nullptr);
    ~RemoteCommandClient() override;
    QString consoleId() const { return m_consoleId; }

public Q_SLOTS:
    void start();
    void send(const alabos::OperatorCommand &command);

Q_SIGNALS:
    void replied(const alabos::CommandReply &reply);
    void failed(const QString &message);

private:
    void handle(const rd_kafka_message_t *message);
    void expire();

    struct Pending
    {
        qint64 commandId = 0;
        QString kind;
        QDeadlineTimer deadline;
    };
    KafkaProducer *m_producer;
    int m_replyTimeoutMs;
    QString m_consoleId;
    AssignedConsumer *m_tail;
    QTimer *m_expiry;
    QHash<QString, Pending> m_pending; // request id -> the console's command
};

// The scheduler's end: reads requests, checks who sent them, hands them on as ordinary
// commands (with an id of its own, so they never collide with its own console's) and
// publishes each reply. Bad messages are answered when they say where to, and dead-lettered.
class RemoteCommandServer : public QObject
{
    Q_OBJECT
public:
    // The stored role of an enabled user; nullopt with a reason otherwise.
    using UserLookup = std::function<std::optional<Role>(const QString &user, QString *why)>;
    RemoteCommandServer(KafkaSettings settings, KafkaProducer *producer, UserLookup users,
                        QObject *parent = nullptr);
    ~RemoteCommandServer() override;
    qint64 received() const { return m_received; }
    qint64 refused() const { return m_refused; }

public Q_SLOTS:
    void start();
    // Every reply of the process; those to remote commands are published.
    void onReply(const alabos::CommandReply &reply);

Q_SIGNALS:
    void commandReceived(const alabos::OperatorCommand &command);
    void failed(const QString &message);

private:
    void handle(const rd_kafka_message_t *message);
    void answer(const QString &requestId, const QByteArray &key, const CommandReply &reply);

    // Far above any console's own counter.
    static constexpr qint64 kFirstLocalId = qint64(1) << 40;

    KafkaProducer *m_producer;
    UserLookup m_users;
    AssignedConsumer *m_tail;
    std::unique_ptr<DeadLetterSink> m_deadLetter;
    struct Origin
    {
        QString requestId;
        QByteArray key;
    };
    QHash<qint64, Origin> m_origins; // local command id -> where the reply goes
    qint64 m_nextLocalId = kFirstLocalId;
    qint64 m_received = 0;
    qint64 m_refused = 0;
};

} // namespace alabos
