#pragma once

#include "core/domain/commands.h"
#include <QEventLoop>
#include <QMetaObject>
#include <QObject>
#include <QTimer>

namespace alabos::test {

// Runs a command on a service living in another thread through its `handle` slot and returns
// the reply its `replied` signal gives. The reply crosses back queued and is matched by id: a
// QSignalSpy filled from the service's thread races with the reader, and a stray reply must
// not pass for this command's.
template <typename Service>
CommandReply runCommandVia(Service *service, void (Service::*replied)(const CommandReply &),
                           void (Service::*handle)(const OperatorCommand &),
                           const OperatorCommand &command, int timeoutMs = 20000)
{
    CommandReply reply{command.id, false,
                       QStringLiteral("(no reply to command %1 within %2 ms)")
                           .arg(command.id)
                           .arg(timeoutMs),
                       {}};
    QEventLoop loop;
    const QMetaObject::Connection connection = QObject::connect(
        service, replied, &loop,
        [&](const CommandReply &r) {
            if (r.commandId != command.id) return;
            reply = r;
            loop.quit();
        },
        Qt::QueuedConnection);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QMetaObject::invokeMethod(service, [service, handle, command] { (service->*handle)(command); });
    loop.exec();
    QObject::disconnect(connection);
    return reply;
}

// The same for a service with the usual names: commandReplied and handleCommand.
template <typename Service>
CommandReply runCommand(Service *service, const OperatorCommand &command, int timeoutMs = 20000)
{
    return runCommandVia(service, &Service::commandReplied, &Service::handleCommand, command,
                         timeoutMs);
}

} // namespace alabos::test
