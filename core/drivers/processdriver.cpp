#include "core/drivers/processdriver.h"

#include "core/domain/logging.h"
#include "core/drivers/driverregistry.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <cmath>
#include <csignal>
#include <limits>
#include <sys/prctl.h>

namespace alabos {

namespace {

constexpr int kExcerptChars = 200;
constexpr int kMaxStderrLine = 4096;
constexpr int kStopGraceMs = 1000;

QString excerpt(const QByteArray &line)
{
    QString text = QString::fromUtf8(line.left(kExcerptChars));
    if (line.size() > kExcerptChars) text += QStringLiteral("…");
    return text;
}

std::optional<int> boundedInt(const QJsonValue &v, int min, int max)
{
    if (!v.isDouble()) return std::nullopt;
    const double d = v.toDouble();
    if (d != std::floor(d) || d < min || d > max) return std::nullopt;
    return int(d);
}

} // namespace

std::optional<ProcessDriverConfig> ProcessDriverConfig::fromJson(const QJsonObject &config,
                                                                 const DriverContext &context,
                                                                 QString *error)
{
    auto refuse = [&](const QString &field, const QString &why) {
        if (error) *error = QObject::tr("field \"%1\" %2").arg(field, why);
        return std::nullopt;
    };
    static const QStringList known{QStringLiteral("id"),
                                   QStringLiteral("type"),
                                   QStringLiteral("driver"),
                                   QStringLiteral("program"),
                                   QStringLiteral("args"),
                                   QStringLiteral("working_directory"),
                                   QStringLiteral("environment"),
                                   QStringLiteral("timeout_ms"),
                                   QStringLiteral("start_timeout_ms"),
                                   QStringLiteral("settings"),
                                   QStringLiteral("max_line_bytes"),
                                   QStringLiteral("max_telemetry_per_s")};
    for (auto it = config.begin(); it != config.end(); ++it)
        if (!known.contains(it.key())) return refuse(it.key(), QObject::tr("is unknown"));
    ProcessDriverConfig c;
    const QJsonValue program = config.value(QLatin1StringView("program"));
    if (!program.isString() || program.toString().trimmed().isEmpty() ||
        program.toString().size() > 4096)
        return refuse(QStringLiteral("program"),
                      QObject::tr("must name the driver program (a path, or a command on PATH)"));
    const QString name = program.toString();
    if (name.contains(QLatin1Char('/'))) {
        c.program =
            QDir(context.configDirectory.isEmpty() ? QDir::currentPath() : context.configDirectory)
                .absoluteFilePath(name);
    } else {
        c.program = QStandardPaths::findExecutable(name);
        if (c.program.isEmpty())
            return refuse(QStringLiteral("program"),
                          QObject::tr("\"%1\" is not a command on PATH").arg(name));
    }
    const QFileInfo file(c.program);
    if (!file.exists())
        return refuse(QStringLiteral("program"), QObject::tr("%1 does not exist").arg(c.program));
    if (!file.isFile() || !file.isExecutable())
        return refuse(QStringLiteral("program"),
                      QObject::tr("%1 is not an executable file (chmod +x, and a #! line for a "
                                  "script)")
                          .arg(c.program));
    const QJsonValue args = config.value(QLatin1StringView("args"));
    if (!args.isUndefined()) {
        if (!args.isArray() || args.toArray().size() > 256)
            return refuse(QStringLiteral("args"),
                          QObject::tr("must be an array of at most 256 strings"));
        const QJsonArray list = args.toArray();
        for (int i = 0; i < list.size(); ++i) {
            if (!list.at(i).isString() || list.at(i).toString().size() > 4096)
                return refuse(QStringLiteral("args[%1]").arg(i),
                              QObject::tr("must be a string of at most 4096 characters"));
            c.args << list.at(i).toString();
        }
    }
    const QJsonValue dir = config.value(QLatin1StringView("working_directory"));
    if (!dir.isUndefined()) {
        if (!dir.isString() || dir.toString().isEmpty())
            return refuse(QStringLiteral("working_directory"), QObject::tr("must be a folder"));
        c.workingDirectory =
            QDir(context.configDirectory.isEmpty() ? QDir::currentPath() : context.configDirectory)
                .absoluteFilePath(dir.toString());
        if (!QFileInfo(c.workingDirectory).isDir())
            return refuse(QStringLiteral("working_directory"),
                          QObject::tr("%1 is not a folder").arg(c.workingDirectory));
    } else {
        c.workingDirectory = file.absolutePath();
    }
    const QJsonValue env = config.value(QLatin1StringView("environment"));
    if (!env.isUndefined()) {
        if (!env.isObject())
            return refuse(QStringLiteral("environment"),
                          QObject::tr("must be an object of NAME: \"value\""));
        const QJsonObject vars = env.toObject();
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            if (!it.value().isString() || it.key().isEmpty() || it.key().contains(u'='))
                return refuse(QStringLiteral("environment.") + it.key(),
                              QObject::tr("must be a string (and the name must not contain =)"));
            c.environment.insert(it.key(), it.value().toString());
        }
    }
    struct Bound
    {
        const char *key;
        int min, max;
        int *target;
    };
    int maxLine = int(c.maxLineBytes);
    for (const Bound &b : {Bound{"timeout_ms", 100, 600000, &c.timeoutMs},
                           Bound{"start_timeout_ms", 100, 600000, &c.startTimeoutMs},
                           Bound{"max_line_bytes", 1024, 16 * 1024 * 1024, &maxLine},
                           Bound{"max_telemetry_per_s", 1, 100000, &c.maxTelemetryPerS}}) {
        const QJsonValue v = config.value(QLatin1StringView(b.key));
        if (v.isUndefined()) continue;
        const auto n = boundedInt(v, b.min, b.max);
        if (!n)
            return refuse(
                QLatin1StringView(b.key),
                QObject::tr("must be a whole number from %1 to %2").arg(b.min).arg(b.max));
        *b.target = *n;
    }
    c.maxLineBytes = maxLine;
    const QJsonValue settings = config.value(QLatin1StringView("settings"));
    if (!settings.isUndefined() && !settings.isObject())
        return refuse(QStringLiteral("settings"), QObject::tr("must be an object"));
    c.settings = settings.toObject();
    return c;
}

ProcessDriver::ProcessDriver(QString id, QString type, ProcessDriverConfig config, QObject *parent)
    : DeviceDriver(std::move(id), std::move(type), parent), m_config(std::move(config)),
      m_deadline(this), m_pingTimer(this)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        switch (m_phase) {
        case Phase::Describing:
            fault(tr("%1: the driver program did not describe itself within %2 ms")
                      .arg(this->id())
                      .arg(m_config.startTimeoutMs));
            break;
        case Phase::Restoring:
            fault(tr("%1: the driver program did not answer query_state within %2 ms")
                      .arg(this->id())
                      .arg(m_config.timeoutMs));
            break;
        case Phase::Running:
            fault(tr("%1: the driver program did not answer a ping within %2 ms (hung?)")
                      .arg(this->id())
                      .arg(m_config.timeoutMs));
            break;
        case Phase::Stopped:
            break;
        }
    });
    // A program that stops reading its input is hung even when it has nothing to say.
    m_pingTimer.setInterval(qMax(1000, m_config.timeoutMs));
    connect(&m_pingTimer, &QTimer::timeout, this, &ProcessDriver::ping);
}

ProcessDriver::~ProcessDriver()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
        delete m_process;
    }
}

QList<CommandDescription> ProcessDriver::describe() const
{
    QMutexLocker guard(&m_describedLock);
    return m_commands;
}

QString ProcessDriver::identity() const
{
    QMutexLocker guard(&m_describedLock);
    return m_identity;
}

void ProcessDriver::openConnection()
{
    stopProgram();
    ++m_starts;
    m_process = new QProcess; // not a child: a stopped program is reaped on its own
    m_process->setProgram(m_config.program);
    m_process->setArguments(m_config.args);
    m_process->setWorkingDirectory(m_config.workingDirectory);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto it = m_config.environment.cbegin(); it != m_config.environment.cend(); ++it)
        env.insert(it.key(), it.value());
    env.insert(QStringLiteral("ALABOS_DEVICE_ID"), id());
    m_process->setProcessEnvironment(env);
    // The program dies with alabos, even after a kill -9.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ProcessDriver::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &ProcessDriver::onStderr);
    connect(m_process, &QProcess::finished, this,
            [this](int code, QProcess::ExitStatus status) { onFinished(code, int(status)); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fault(tr("%1: the driver program %2 could not be started: %3")
                      .arg(id(), m_config.program, m_process->errorString()));
    });
    m_phase = Phase::Describing;
    m_stdout.clear();
    m_stderr.clear();
    m_deadline.start(m_config.startTimeoutMs);
    m_process->start(QIODevice::ReadWrite);
    send({{QStringLiteral("type"), QStringLiteral("hello")},
          {QStringLiteral("protocol"), kProtocolVersion},
          {QStringLiteral("device"),
           QJsonObject{{QStringLiteral("id"), id()}, {QStringLiteral("type"), type()}}},
          {QStringLiteral("settings"), m_config.settings}});
}

void ProcessDriver::closeConnection()
{
    stopProgram();
}

void ProcessDriver::stopProgram()
{
    m_phase = Phase::Stopped;
    m_deadline.stop();
    m_pingTimer.stop();
    m_pingSent = 0;
    if (!m_process) return;
    QProcess *process = std::exchange(m_process, nullptr);
    process->disconnect(this);
    if (process->state() == QProcess::NotRunning) {
        process->deleteLater();
        return;
    }
    // Ask politely, then insist; the process object goes when the program has gone.
    process->write(QByteArrayLiteral("{\"type\":\"shutdown\"}\n"));
    process->closeWriteChannel();
    QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
    QTimer::singleShot(kStopGraceMs, process, [process] { process->kill(); });
}

void ProcessDriver::send(const QJsonObject &message)
{
    if (!m_process) return;
    QByteArray line = QJsonDocument(message).toJson(QJsonDocument::Compact);
    line += '\n';
    m_process->write(line);
}

void ProcessDriver::onStdout()
{
    if (!m_process) return;
    m_stdout += m_process->readAllStandardOutput();
    for (;;) {
        const qsizetype newline = m_stdout.indexOf('\n');
        if (newline < 0) {
            if (m_stdout.size() > m_config.maxLineBytes)
                protocolError(tr("a line longer than %1 bytes").arg(m_config.maxLineBytes),
                              m_stdout);
            return;
        }
        const QByteArray line = m_stdout.left(newline);
        m_stdout.remove(0, newline + 1);
        if (line.size() > m_config.maxLineBytes) {
            protocolError(tr("a line longer than %1 bytes").arg(m_config.maxLineBytes), line);
            return;
        }
        if (!line.trimmed().isEmpty()) onLine(line);
        if (!m_process) return; // the line ended the program
    }
}

void ProcessDriver::onStderr()
{
    if (!m_process) return;
    m_stderr += m_process->readAllStandardError();
    qsizetype newline;
    while ((newline = m_stderr.indexOf('\n')) >= 0 || m_stderr.size() > kMaxStderrLine) {
        const qsizetype end = newline >= 0 ? newline : kMaxStderrLine;
        const QByteArray line = m_stderr.left(end).left(kMaxStderrLine);
        m_stderr.remove(0, newline >= 0 ? end + 1 : end);
        if (!line.trimmed().isEmpty())
            qCInfo(lcDrivers).noquote() << id() << "driver program:" << QString::fromUtf8(line);
    }
}

void ProcessDriver::onFinished(int exitCode, int exitStatus)
{
    onStdout(); // what it said before it went still counts
    const QString how =
        exitStatus == QProcess::CrashExit
            ? tr("was killed (%1)").arg(m_process ? m_process->errorString() : QString())
            : tr("exited with code %1").arg(exitCode);
    fault(tr("%1: the driver program %2").arg(id(), how));
}

void ProcessDriver::fault(const QString &why)
{
    if (m_phase == Phase::Stopped && !m_process) return;
    const bool established = m_phase == Phase::Running;
    stopProgram();
    if (established)
        connectionLost(why);
    else
        connectionFailed(why);
}

void ProcessDriver::protocolError(const QString &why, const QByteArray &line)
{
    ++m_protocolErrors;
    const QString message =
        line.isEmpty()
            ? tr("%1: driver protocol error: %2").arg(id(), why)
            : tr("%1: driver protocol error: %2 in \"%3\"").arg(id(), why, excerpt(line));
    qCWarning(lcDrivers).noquote() << message;
    fault(message);
}

void ProcessDriver::onLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        return protocolError(tr("not JSON (%1)").arg(error.errorString()), line);
    if (!doc.isObject()) return protocolError(tr("not a JSON object"), line);
    const QJsonObject m = doc.object();
    const QString type = m.value(QLatin1StringView("type")).toString();
    if (type == QLatin1StringView("describe")) return handleDescribe(m);
    if (type == QLatin1StringView("state")) return handleState(m);
    if (m_phase == Phase::Describing)
        return protocolError(tr("\"%1\" before describe").arg(type), line);
    if (type == QLatin1StringView("result")) return handleResult(m);
    if (type == QLatin1StringView("telemetry")) return handleTelemetry(m);
    if (type == QLatin1StringView("log")) return handleLog(m);
    if (type == QLatin1StringView("pong")) {
        if (m.value(QLatin1StringView("id")).toInteger() == m_pingSent) {
            m_pingSent = 0;
            m_deadline.stop();
        }
        return;
    }
    if (type == QLatin1StringView("progress")) return; // alive; the engine's timeout rules
    if (type.isEmpty()) return protocolError(tr("no \"type\""), line);
    protocolError(tr("unknown message type \"%1\"").arg(type.left(64)), line);
}

void ProcessDriver::handleDescribe(const QJsonObject &m)
{
    if (m_phase != Phase::Describing) return protocolError(tr("a second describe"));
    const QJsonValue protocol = m.value(QLatin1StringView("protocol"));
    if (protocol.toInt(-1) != kProtocolVersion)
        return protocolError(tr("describe: \"protocol\" must be %1 (this alabos speaks version %1)")
                                 .arg(kProtocolVersion));
    const QJsonValue commands = m.value(QLatin1StringView("commands"));
    if (!commands.isArray()) return protocolError(tr("describe: \"commands\" must be an array"));
    QList<CommandDescription> described;
    const QJsonArray list = commands.toArray();
    if (list.size() > 256) return protocolError(tr("describe: more than 256 commands"));
    for (int i = 0; i < list.size(); ++i) {
        QString why;
        const auto c = commandDescriptionFromJson(
            list.at(i), QStringLiteral("describe.commands[%1]").arg(i), &why);
        if (!c) return protocolError(why);
        described.append(*c);
    }
    {
        QMutexLocker guard(&m_describedLock);
        m_commands = described;
        m_identity = m.value(QLatin1StringView("identity")).toString().left(200);
    }
    // What it ran before a restart, so recovery can ask it (docs/driver-protocol.md).
    m_phase = Phase::Restoring;
    m_deadline.start(m_config.timeoutMs);
    send({{QStringLiteral("type"), QStringLiteral("query_state")}});
}

void ProcessDriver::handleState(const QJsonObject &m)
{
    if (m_phase != Phase::Restoring) return; // an answer to nobody: harmless
    m_deadline.stop();
    m_persistent = m.value(QLatin1StringView("persistent")).toBool(false);
    const QJsonObject last = m.value(QLatin1StringView("last_finished")).toObject();
    CommandResult result;
    if (!last.isEmpty()) {
        result.commandId = last.value(QLatin1StringView("id")).toInteger();
        result.deviceId = id();
        result.ok = last.value(QLatin1StringView("ok")).toBool();
        result.message = last.value(QLatin1StringView("message")).toString().left(2000);
        result.data = last.value(QLatin1StringView("data")).toObject();
    }
    const qint64 interrupted = m.value(QLatin1StringView("running")).toInteger();
    if (result.commandId != 0 || interrupted != 0) restoreMemory(result, interrupted);
    m_phase = Phase::Running;
    m_pingTimer.start();
    const QString who = identity();
    connectionEstablished(who.isEmpty() ? tr("%1: driver program ready").arg(id()) : who);
}

void ProcessDriver::handleResult(const QJsonObject &m)
{
    const qint64 commandId = m.value(QLatin1StringView("id")).toInteger();
    if (commandId == 0 || commandId != runningCommandId()) {
        // A cancelled command's late answer is expected; anything else is counted.
        if (commandId != 0 && commandId == m_cancelled) {
            m_cancelled = 0;
            return;
        }
        ++m_strayResults;
        qCWarning(lcDrivers).noquote() << id() << "driver program answered command" << commandId
                                       << "which is not running; ignored";
        return;
    }
    const QJsonValue ok = m.value(QLatin1StringView("ok"));
    if (!ok.isBool()) return protocolError(tr("result: \"ok\" must be true or false"));
    CommandResult r;
    r.commandId = commandId;
    r.deviceId = id();
    r.ok = ok.toBool();
    r.transient = m.value(QLatin1StringView("transient")).toBool(false);
    r.message = m.value(QLatin1StringView("message")).toString().left(2000);
    const QJsonValue data = m.value(QLatin1StringView("data"));
    if (!data.isUndefined() && !data.isObject())
        return protocolError(tr("result: \"data\" must be an object"));
    r.data = data.toObject();
    if (!r.ok && r.message.isEmpty()) r.message = tr("%1: the command failed").arg(id());
    finishCommand(r);
}

void ProcessDriver::handleTelemetry(const QJsonObject &m)
{
    const QString metric = m.value(QLatin1StringView("metric")).toString();
    const QJsonValue value = m.value(QLatin1StringView("value"));
    if (metric.isEmpty() || metric.size() > 64)
        return protocolError(tr("telemetry: \"metric\" must be a name of 1 to 64 characters"));
    // null: the instrument gave no valid number (a sensor fault); it becomes a device fault
    // alarm and never reaches a threshold.
    if (!value.isDouble() && !value.isNull())
        return protocolError(tr("telemetry: \"value\" must be a number or null"));
    if (!m_rateWindow.isValid() || m_rateWindow.elapsed() >= 1000) {
        if (m_droppedSinceLog > 0)
            qCWarning(lcDrivers).noquote()
                << id() << "sent more than" << m_config.maxTelemetryPerS
                << "readings a second:" << m_droppedSinceLog << "dropped";
        m_droppedSinceLog = 0;
        m_readingsThisSecond = 0;
        m_rateWindow.start();
    }
    if (++m_readingsThisSecond > m_config.maxTelemetryPerS) {
        ++m_droppedReadings;
        ++m_droppedSinceLog;
        return;
    }
    const qint64 timeUs = m.contains(QLatin1StringView("time_us"))
                              ? m.value(QLatin1StringView("time_us")).toInteger()
                              : QDateTime::currentMSecsSinceEpoch() * 1000;
    publishReading(metric,
                   value.isNull() ? std::numeric_limits<double>::quiet_NaN() : value.toDouble(),
                   timeUs);
}

void ProcessDriver::handleLog(const QJsonObject &m)
{
    const QString level = m.value(QLatin1StringView("level")).toString();
    const QString text = m.value(QLatin1StringView("message")).toString().left(2000);
    if (level == QLatin1StringView("error") || level == QLatin1StringView("warning"))
        qCWarning(lcDrivers).noquote() << id() << text;
    else
        qCInfo(lcDrivers).noquote() << id() << text;
}

void ProcessDriver::ping()
{
    if (m_phase != Phase::Running || m_pingSent != 0) return;
    m_pingSent = m_nextPing++;
    m_deadline.start(m_config.timeoutMs);
    send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), m_pingSent}});
}

void ProcessDriver::startCommand(const DeviceCommand &command)
{
    send({{QStringLiteral("type"), QStringLiteral("execute")},
          {QStringLiteral("id"), command.id},
          {QStringLiteral("command"), command.name},
          {QStringLiteral("parameters"), command.parameters}});
}

void ProcessDriver::abortCommand(qint64 commandId)
{
    m_cancelled = commandId;
    send({{QStringLiteral("type"), QStringLiteral("cancel")}, {QStringLiteral("id"), commandId}});
}

void ProcessDriver::completeReport(DeviceStateReport &report) const
{
    report.persistent = m_persistent;
}

std::unique_ptr<DeviceDriver> createProcessDriver(const QJsonObject &config,
                                                  const DriverContext &context, QString *error)
{
    const QString id = config.value(QLatin1StringView("id")).toString();
    QString why;
    const auto parsed = ProcessDriverConfig::fromJson(config, context, &why);
    if (!parsed) {
        if (error) *error = QObject::tr("device %1: %2").arg(id, why);
        return nullptr;
    }
    return std::make_unique<ProcessDriver>(id, config.value(QLatin1StringView("type")).toString(),
                                           *parsed);
}

} // namespace alabos
