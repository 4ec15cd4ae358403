#pragma once

#include "core/domain/commands.h"

#include <QEventLoop>
#include <QMetaObject>
#include <QObject>
#include <QTimer>

namespace alabos::test {

// Runs a command on a service living in another thread and returns its reply. The reply
// crosses back queued and is matched by id: a QSignalSpy filled from the service's thread
// races with the reader, and a stray reply must not pass for this command's.
template <typename Service>
CommandReply runCommand(Service *service, const OperatorCommand &command, int timeoutMs = 20000)
{
    CommandReply reply{
        command.id,
        false,
        QStringLiteral("(no reply to command %1 within %2 ms)").arg(command.id).arg(timeoutMs),
        {}};
    QEventLoop loop;
    const QMetaObject::Connection connection = QObject::connect(
        service, &Service::commandReplied, &loop,
        [&](const CommandReply &r) {
            if (r.commandId != command.id) return;
            reply = r;
            loop.quit();
        },
        Qt::QueuedConnection);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QMetaObject::invokeMethod(service, [service, command] { service->handleCommand(command); });
    loop.exec();
    QObject::disconnect(connection);
    return reply;
}

} // namespace alabos::test
