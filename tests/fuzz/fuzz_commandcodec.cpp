// decodeCommandMessage on any bytes: every message is one of the known types; a malformed
// one has a reason for the dead letter and a message for a person, a request a request id
// and a command that passed OperatorCommand::fromJson.
#include "core/bus/commandcodec.h"
#include "tests/fuzz/fuzzsupport.h"

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    const CommandMessage message = decodeCommandMessage(fuzz::bytes(data, size));
    switch (message.type) {
    case CommandMessage::Malformed:
        if (message.reason.isEmpty() || message.problem.isEmpty()) abort();
        break;
    case CommandMessage::Request: {
        if (message.requestId.isEmpty()) abort();
        // What the scheduler does with it next: the command must survive its own round trip.
        QString why;
        const auto again = OperatorCommand::fromJson(message.command.toJson(), &why);
        if (!again) abort();
        message.command.limitsError();
        break;
    }
    case CommandMessage::Reply:
    case CommandMessage::SessionOpened:
    case CommandMessage::SessionClose:
        if (message.requestId.isEmpty()) abort();
        break;
    case CommandMessage::SessionOpen:
        if (message.requestId.isEmpty() || message.consoleId.isEmpty() ||
            message.replyKey.isEmpty() || message.sealed.isEmpty())
            abort();
        break;
    case CommandMessage::Audit:
        break;
    }
    return 0;
}
