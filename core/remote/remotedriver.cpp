#include "core/remote/remotedriver.h"

#include "core/domain/logging.h"
#include "core/remote/driverhostlink.h"

#include <QDateTime>

namespace alabos {

RemoteDriver::RemoteDriver(QString id, QString type, QString host,
                           QList<CommandDescription> commands, DriverHostLink *link,
                           QObject *parent)
    : DeviceDriver(std::move(id), std::move(type), parent), m_host(std::move(host)), m_link(link),
      m_commands(std::move(commands)),
      // Distinct from the questions of an earlier scheduler process, whose answers may
      // still be on their way.
      m_queryToken(QDateTime::currentMSecsSinceEpoch() * 1000)
{
    m_link->attach(this);
}

RemoteDriver::~RemoteDriver()
{
    m_link->detach(id());
}

QList<CommandDescription> RemoteDriver::describe() const
{
    QMutexLocker guard(&m_describedLock);
    return m_commands;
}

void RemoteDriver::openConnection()
{
    // Connected once the host answers that its driver reaches the instrument. A host not
    // heard yet: offline with the reason (the engine gives it nothing), and tried again with
    // the usual backoff, besides the moment the host is heard (onHostChanged).
    m_hostAlive = m_link->hostAlive(m_host);
    if (m_hostAlive)
        askHost();
    else
        connectionFailed(tr("%1: driver host %2 is not reachable").arg(id(), m_host));
}

void RemoteDriver::askHost()
{
    RemoteCommand question;
    question.kind = RemoteCommand::Kind::Query;
    question.host = m_host;
    question.deviceId = id();
    question.command.id = ++m_queryToken;
    QString error;
    if (!m_link->send(question, &error))
        qCWarning(lcDrivers).noquote()
            << id() << "cannot ask driver host" << m_host << ":" << error;
}

void RemoteDriver::queryState()
{
    // Answered when the host answers; a host that does not answer leaves the engine's
    // recovery to its own rules after its wait.
    m_engineAsked = true;
    askHost();
}

void RemoteDriver::startCommand(const DeviceCommand &command)
{
    // An answer to a question asked before this command would say the host does not have it.
    ++m_queryToken;
    RemoteCommand c;
    c.kind = RemoteCommand::Kind::Execute;
    c.host = m_host;
    c.deviceId = id();
    c.command = command;
    QString error;
    if (!m_link->send(c, &error))
        finishCommand(
            {command.id,
             id(),
             false,
             true,
             false,
             tr("%1: the command could not be sent to driver host %2: %3").arg(id(), m_host, error),
             {}});
}

void RemoteDriver::abortCommand(qint64 commandId)
{
    RemoteCommand c;
    c.kind = RemoteCommand::Kind::Cancel;
    c.host = m_host;
    c.deviceId = id();
    c.command.id = commandId;
    QString error;
    if (!m_link->send(c, &error))
        qCWarning(lcDrivers).noquote() << id() << "cannot send the cancellation of" << commandId
                                       << "to" << m_host << ":" << error;
}

void RemoteDriver::onHostChanged(bool alive, const QString &message)
{
    m_hostAlive = alive;
    if (!alive) {
        if (isConnected()) suspendConnection(tr("%1: %2").arg(id(), message));
        return;
    }
    // Back, or started again: what did the device do meanwhile? The answer settles the
    // running command and restores the link.
    if (status() == DriverStatus::Offline) {
        if (connectionWanted()) connectDevice(); // waiting for its reconnect timer: now instead
        return;
    }
    askHost();
}

void RemoteDriver::onReport(const HostReport &report)
{
    if (report.kind == HostReport::Kind::Result) {
        finishCommand(report.result); // dropped unless it answers the running command
        return;
    }
    if (!report.commands.isEmpty()) {
        QMutexLocker guard(&m_describedLock);
        m_commands = report.commands;
    }
    const bool answer = report.answers != 0 && report.answers == m_queryToken;
    if (answer) reconcile(report.state);
    if (report.linkUp && m_hostAlive) {
        if (status() == DriverStatus::Connecting)
            connectionEstablished(tr("through driver host %1").arg(m_host));
    } else if (!report.linkUp && isConnected()) {
        suspendConnection(tr("%1 on driver host %2: %3").arg(id(), m_host, report.linkMessage));
    }
    if (answer && m_engineAsked) {
        m_engineAsked = false;
        DeviceStateReport state = report.state;
        state.deviceId = id();
        Q_EMIT stateReported(state);
    }
}

void RemoteDriver::reconcile(const DeviceStateReport &state)
{
    const qint64 running = runningCommandId();
    if (running == 0) {
        // A command started by an earlier scheduler: its answer is taken when it comes.
        adoptRunningCommand(state.runningCommandId);
        return;
    }
    if (state.runningCommandId == running) return;
    if (state.lastFinishedCommandId == running) {
        CommandResult result = state.lastResult;
        result.commandId = running;
        finishCommand(result);
        return;
    }
    // Neither running nor finished there: interrupted by a restart of the host or its
    // instrument, or never delivered. It did not run to its end, so it may run again.
    finishCommand({running,
                   id(),
                   false,
                   true,
                   false,
                   state.interruptedCommandId == running
                       ? tr("%1: command %2 was interrupted on driver host %3")
                             .arg(id())
                             .arg(running)
                             .arg(m_host)
                       : tr("%1: driver host %2 does not have command %3 (it never arrived)")
                             .arg(id(), m_host)
                             .arg(running),
                   {}});
}

} // namespace alabos
