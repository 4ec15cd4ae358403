#include "core/bus/embeddedbroker.h"

#include "core/domain/logging.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QProcess>
#include <QSet>
#include <QTimer>

namespace alabos {

namespace {
// Next to the running executable (build/bin), else in the installed layout's
// ../libexec/alabos (/usr/bin/alabos finds /usr/libexec/alabos/alabos-broker);
// ALABOS_BROKER_HELPER names another.
QString helperPath()
{
    const QString configured = qEnvironmentVariable("ALABOS_BROKER_HELPER");
    if (!configured.isEmpty()) return configured;
    const QString exeDir =
        QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget()).absolutePath();
    const QString beside = exeDir + QStringLiteral("/alabos-broker");
    if (QFileInfo(beside).isExecutable()) return beside;
    const QString installed =
        QFileInfo(exeDir + QStringLiteral("/../libexec/alabos/alabos-broker")).absoluteFilePath();
    if (QFileInfo(installed).isExecutable()) return installed;
    return beside; // the message about a missing helper names where it was looked for first
}
constexpr int kAnswerMs = 10000;

// Who holds a TCP port on this machine, for the operator to act on: "process 1234 (nc)",
// or empty when no socket is bound to it. The sockets come from /proc/net/tcp{,6} (bound or
// listening on the port, any local address, TIME_WAIT aside) and their owners from
// /proc/PID/fd, which shows only this user's processes unless alabos runs as root.
QString holderOfPort(quint16 port)
{
    QSet<QByteArray> inodes;
    const QByteArray portHex = QByteArray::number(port, 16).toUpper().rightJustified(4, '0');
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file(QString::fromLatin1(table));
        if (!file.open(QIODevice::ReadOnly)) continue;
        file.readLine(); // the header
        while (!file.atEnd()) {
            const QList<QByteArray> f = file.readLine().simplified().split(' ');
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if (f.size() < 10 || !f[1].endsWith(':' + portHex) || f[3] == "06" || f[9] == "0")
                continue;
            inodes.insert("socket:[" + f[9] + ']');
        }
    }
    if (inodes.isEmpty()) return {};
    QStringList holders;
    const QStringList pids = QDir(QStringLiteral("/proc"))
                                 .entryList({QStringLiteral("[0-9]*")}, QDir::Dirs, QDir::NoSort);
    for (const QString &pid : pids) {
        const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
        const QStringList entries = fds.entryList(QDir::System | QDir::NoDotAndDotDot);
        for (const QString &fd : entries) {
            if (!inodes.contains(QFile::symLinkTarget(fds.filePath(fd)).section(u'/', -1).toUtf8()))
                continue;
            QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
            const QString name = comm.open(QIODevice::ReadOnly)
                                     ? QString::fromUtf8(comm.readAll()).trimmed()
                                     : QString();
            holders << QObject::tr("process %1 (%2)").arg(pid, name);
            break;
        }
    }
    return holders.isEmpty() ? QObject::tr("a process of another user") : holders.join(u", ");
}
} // namespace

EmbeddedBroker::EmbeddedBroker() = default;

EmbeddedBroker::~EmbeddedBroker()
{
    stop();
}

namespace {
constexpr int kFirstBackoffMs = 200;
constexpr int kLastBackoffMs = 5000;
// A helper that lived this long died of something new: the next restart is quick again.
constexpr qint64 kStableMs = 60000;
} // namespace

bool EmbeddedBroker::launch(const QString &ports, QString *why)
{
    const QString path = helperPath();
    if (!QFileInfo(path).isExecutable()) {
        *why = tr("%1 is missing or not executable").arg(path);
        return false;
    }
    m_process = std::make_unique<QProcess>();
    // Answers on stdout; librdkafka's own log lines go where ours go.
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args{QString::number(m_brokerCount)};
    if (!ports.isEmpty()) args << ports;
    m_process->start(path, args);
    auto failed = [&](const QString &text) {
        *why = text;
        m_process->kill();
        m_process->waitForFinished(5000);
        m_process.reset();
        return false;
    };
    if (!m_process->waitForStarted(kAnswerMs)) return failed(m_process->errorString());
    const QString first = readLine(kAnswerMs);
    if (!first.startsWith(QLatin1StringView("bootstrap ")))
        return failed(first.isEmpty() ? tr("%1 did not answer").arg(path) : first.section(u' ', 1));
    m_bootstrap = first.section(u' ', 1);
    m_upSince.start();
    m_pid = m_process->processId();
    connect(m_process.get(), &QProcess::finished, this, &EmbeddedBroker::onFinished);
    return true;
}

bool EmbeddedBroker::start(int brokerCount, QString *error)
{
    if (m_process) return true;
    m_stopping = false;
    m_brokerCount = brokerCount;
    QString why;
    if (!launch({}, &why)) {
        if (error) *error = tr("the embedded Kafka broker could not start: %1").arg(why);
        stop();
        return false;
    }
    qCInfo(lcBus).noquote() << "embedded Kafka broker listening on" << m_bootstrap << "(pid"
                            << m_process->processId() << ")";
    return true;
}

void EmbeddedBroker::stop()
{
    m_stopping = true; // no restart from here on, whatever the helper does
    if (!m_process) return;
    m_process->disconnect(this);
    m_process->closeWriteChannel(); // the helper exits at the end of its input
    if (!m_process->waitForFinished(5000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
    m_bootstrap.clear();
}

qint64 EmbeddedBroker::processId() const
{
    return m_process && m_process->state() == QProcess::Running ? m_process->processId() : 0;
}

bool EmbeddedBroker::isRunning() const
{
    return processId() != 0;
}

void EmbeddedBroker::onFinished()
{
    if (m_stopping || !m_process) return;
    QProcess *dead = m_process.release();
    dead->disconnect(this);
    const QString why =
        dead->exitStatus() == QProcess::CrashExit
            ? tr("the embedded Kafka broker (pid %1) was killed or crashed").arg(m_pid)
            : tr("the embedded Kafka broker (pid %1) exited with code %2")
                  .arg(m_pid)
                  .arg(dead->exitCode());
    dead->deleteLater(); // in its own signal: not now
    if (m_upSince.isValid() && m_upSince.elapsed() > kStableMs) m_backoffMs = 0;
    qCWarning(lcBus).noquote() << why << "; the messages it held are lost; starting it again on"
                               << m_bootstrap;
    Q_EMIT died(why);
    scheduleRestart();
}

void EmbeddedBroker::scheduleRestart()
{
    m_backoffMs = m_backoffMs == 0 ? kFirstBackoffMs : qMin(2 * m_backoffMs, kLastBackoffMs);
    QTimer::singleShot(m_backoffMs, this, &EmbeddedBroker::restart);
}

void EmbeddedBroker::restart()
{
    if (m_stopping || m_process) return;
    // Same ports as before: the clients know only those.
    QStringList ports;
    for (const QString &address : m_bootstrap.split(u',', Qt::SkipEmptyParts))
        ports << address.section(u':', -1);
    const QString previous = m_bootstrap;
    QString why;
    bool ok = launch(ports.join(u','), &why);
    if (ok && m_bootstrap != previous) {
        why = tr("it listens on %1 instead of %2").arg(m_bootstrap, previous);
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(5000);
        m_process.reset();
        m_bootstrap = previous;
        ok = false;
    }
    for (int i = 0; ok && i < m_topics.size(); ++i) {
        const QString answer =
            command(QStringLiteral("topic %1 %2").arg(m_topics[i].first).arg(m_topics[i].second));
        if (answer != QLatin1StringView("ok")) {
            why = tr("topic %1 could not be created again: %2")
                      .arg(m_topics[i].first,
                           answer.isEmpty() ? tr("no answer") : answer.section(u' ', 1));
            m_process->disconnect(this);
            m_process->kill();
            m_process->waitForFinished(5000);
            m_process.reset();
            ok = false;
        }
    }
    if (!ok) {
        for (const QString &port : ports) {
            const QString holder = holderOfPort(quint16(port.toUInt()));
            if (!holder.isEmpty()) why += tr("; port %1 is held by %2").arg(port, holder);
        }
        const QString message =
            tr("the embedded Kafka broker could not be started again on %1: %2; retrying on "
               "the same port, which every client knows")
                .arg(previous, why);
        qCWarning(lcBus).noquote() << message;
        Q_EMIT restartFailed(message);
        scheduleRestart();
        return;
    }
    ++m_restarts;
    qCWarning(lcBus).noquote() << "embedded Kafka broker started again on" << m_bootstrap << "(pid"
                               << m_process->processId() << "), restart" << m_restarts << "with"
                               << m_topics.size() << "topics";
    Q_EMIT restarted(m_restarts);
}

QString EmbeddedBroker::readLine(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_process->canReadLine()) {
        if (deadline.hasExpired() || m_process->state() != QProcess::Running) return {};
        m_process->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return QString::fromUtf8(m_process->readLine()).trimmed();
}

QString EmbeddedBroker::command(const QString &line)
{
    if (!m_process) return {};
    m_process->write((line + u'\n').toUtf8());
    m_process->waitForBytesWritten(kAnswerMs);
    const QString answer = readLine(kAnswerMs);
    if (answer != QLatin1StringView("ok"))
        qCWarning(lcBus).noquote() << "embedded Kafka broker:" << line << "->"
                                   << (answer.isEmpty() ? QStringLiteral("no answer") : answer);
    return answer;
}

bool EmbeddedBroker::createTopic(const QString &name, int partitions, QString *error)
{
    const QString answer = command(QStringLiteral("topic %1 %2").arg(name).arg(partitions));
    if (answer == QLatin1StringView("ok")) {
        m_topics.append({name, partitions});
        return true;
    }
    if (error)
        *error =
            QObject::tr("creating topic %1 on the embedded broker: %2")
                .arg(name, answer.isEmpty() ? QObject::tr("no answer") : answer.section(u' ', 1));
    return false;
}

void EmbeddedBroker::setBrokerDown(int brokerId, bool down)
{
    command(QStringLiteral("%1 %2")
                .arg(down ? QStringLiteral("down") : QStringLiteral("up"))
                .arg(brokerId));
}

void EmbeddedBroker::pushRequestErrors(int apiKey, int count, int error)
{
    command(QStringLiteral("errors %1 %2 %3").arg(apiKey).arg(count).arg(error));
}

void EmbeddedBroker::setAllBrokersDown(bool down)
{
    for (int id = 1; id <= m_brokerCount; ++id)
        setBrokerDown(id, down);
}

} // namespace alabos
