#pragma once
// The messages of alabos.commands (docs/events.md) as bytes are read: requests, replies and
// the session messages, each refused with a reason and a message for a person when it is not
// what it claims. Nothing here touches Kafka or keys, so it is tested and fuzzed on its own;
// core/bus/commandchannel.h writes them and proves their sessions.
#include "core/domain/commands.h"

#include <QByteArray>
#include <QString>

namespace alabos {

inline constexpr auto kCommandRequestKind = "command.request";
inline constexpr auto kCommandReplyKind = "command.reply";
inline constexpr auto kSessionOpenKind = "session.open";
inline constexpr auto kSessionOpenedKind = "session.opened";
// A console ends its own session (sign-out), proved like a request.
inline constexpr auto kSessionCloseKind = "session.close";

// One message of alabos.commands as a reader sees it.
struct CommandMessage
{
    enum Type
    {
        Request,
        Reply,
        SessionOpen,
        SessionOpened,
        SessionClose,
        Audit,
        Malformed
    } type = Malformed;
    QString requestId;       // Request, Reply; and Malformed when it could be read
    OperatorCommand command; // Request (its session in command.session)
    QString consoleId;       // Request, SessionOpen, SessionClose
    quint64 counter = 0;     // Request, SessionClose
    QByteArray mac;          // Request, SessionClose
    QByteArray signedBytes;  // Request, SessionClose: what the mac covers
    QByteArray replyKey;     // SessionOpen: the console's one-time box key
    // SessionOpen (credentials), SessionOpened (the session), Request (a signature's password
    // and reason, when the command is signed: "signature_sealed")
    QByteArray sealed;
    CommandReply reply; // Reply (its commandId is 0: the request id identifies it)
    QString reason;     // Malformed: a short kind for alabos.deadletter
    QString problem;    // Malformed: for a person
};
CommandMessage decodeCommandMessage(const QByteArray &bytes);

} // namespace alabos
