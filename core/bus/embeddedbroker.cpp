#include "core/bus/embeddedbroker.h"

#include "core/domain/logging.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QObject>
#include <QProcess>

namespace alabos {

namespace {
// Next to the running executable (build/bin, or where alabos is installed);
// ALABOS_BROKER_HELPER names another.
QString helperPath()
{
    const QString configured = qEnvironmentVariable("ALABOS_BROKER_HELPER");
    if (!configured.isEmpty()) return configured;
    return QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget()).absolutePath() +
           QStringLiteral("/alabos-broker");
}
constexpr int kAnswerMs = 10000;
} // namespace

EmbeddedBroker::EmbeddedBroker() = default;

EmbeddedBroker::~EmbeddedBroker()
{
    stop();
}

bool EmbeddedBroker::start(int brokerCount, QString *error)
{
    if (m_process) return true;
    auto fail = [&](const QString &why) {
        if (error) *error = QObject::tr("the embedded Kafka broker could not start: %1").arg(why);
        stop();
        return false;
    };
    const QString path = helperPath();
    if (!QFileInfo(path).isExecutable())
        return fail(QObject::tr("%1 is missing or not executable").arg(path));
    m_process = std::make_unique<QProcess>();
    // Answers on stdout; librdkafka's own log lines go where ours go.
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->start(path, {QString::number(brokerCount)});
    if (!m_process->waitForStarted(kAnswerMs)) return fail(m_process->errorString());
    const QString first = readLine(kAnswerMs);
    if (!first.startsWith(QLatin1StringView("bootstrap ")))
        return fail(first.isEmpty() ? QObject::tr("%1 did not answer").arg(path)
                                    : first.section(u' ', 1));
    m_bootstrap = first.section(u' ', 1);
    m_brokerCount = brokerCount;
    qCInfo(lcBus).noquote() << "embedded Kafka broker listening on" << m_bootstrap << "(pid"
                            << m_process->processId() << ")";
    return true;
}

void EmbeddedBroker::stop()
{
    if (!m_process) return;
    m_process->closeWriteChannel(); // the helper exits at the end of its input
    if (!m_process->waitForFinished(5000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
    m_bootstrap.clear();
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
    if (answer == QLatin1StringView("ok")) return true;
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
