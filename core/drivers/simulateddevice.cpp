#include "core/drivers/simulateddevice.h"

#include "core/domain/logging.h"
#include "core/drivers/simulatedbehaviours.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimerEvent>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>

namespace alabos {

namespace {
QJsonObject resultToJson(const CommandResult &r)
{
    return {{QStringLiteral("command_id"), QString::number(r.commandId)},
            {QStringLiteral("ok"), r.ok},
            {QStringLiteral("transient"), r.transient},
            {QStringLiteral("cancelled"), r.cancelled},
            {QStringLiteral("message"), r.message},
            {QStringLiteral("data"), r.data}};
}
} // namespace

std::optional<FailureScript> FailureScript::fromJson(const QJsonObject &json, QString *error)
{
    FailureScript s;
    auto refuse = [&](const QString &why) {
        if (error) *error = why;
        return std::nullopt;
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        auto count = [&](int &field) {
            // The range first: int() of a number beyond int is undefined.
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > INT_MAX ||
                v.toDouble() != std::floor(v.toDouble()))
                return false;
            field = v.toInt();
            return true;
        };
        bool good = true;
        if (key == QLatin1StringView("fail_on_nth"))
            good = count(s.failOnNth);
        else if (key == QLatin1StringView("never_answer_on_nth"))
            good = count(s.neverAnswerOnNth);
        else if (key == QLatin1StringView("communication_lost_on_nth"))
            good = count(s.communicationLostOnNth);
        else if (key == QLatin1StringView("reconnect_failures"))
            good = count(s.reconnectFailures);
        else if (key == QLatin1StringView("wrong_reply_on_nth"))
            good = count(s.wrongReplyOnNth);
        else if (key == QLatin1StringView("fail_transient") ||
                 key == QLatin1StringView("communication_lost")) {
            good = v.isBool();
            (key == QLatin1StringView("fail_transient") ? s.failTransient : s.communicationLost) =
                v.toBool();
        } else if (key == QLatin1StringView("slow_factor")) {
            good = v.isDouble() && v.toDouble() > 0 && v.toDouble() <= 1000;
            s.slowFactor = v.toDouble();
        } else
            return refuse(QObject::tr("failures: unknown field \"%1\"").arg(key));
        if (!good) return refuse(QObject::tr("failures: field \"%1\" has a bad value").arg(key));
    }
    return s;
}

SimulatedDevice::SimulatedDevice(QString id, QString type, double acceleration, QObject *parent)
    : DeviceDriver(std::move(id), std::move(type), parent),
      m_acceleration(qMax(acceleration, 1e-3)),
      m_behaviour(SimulatedBehaviour::create(this->type()))
{
}

SimulatedDevice::~SimulatedDevice() = default;

QStringList SimulatedDevice::knownTypes()
{
    return SimulatedBehaviour::types();
}

double SimulatedDevice::defaultDurationSeconds(const QString &type)
{
    return SimulatedBehaviour::defaultDurationS(type);
}

QList<CommandDescription> SimulatedDevice::describe() const
{
    return {m_behaviour->command(),
            {QStringLiteral("status"), tr("Report the device's state"), {}}};
}

bool SimulatedDevice::setStateDirectory(const QString &directory, QString *error)
{
    if (!QDir().mkpath(directory)) {
        if (error) *error = tr("cannot create the device state directory %1").arg(directory);
        return false;
    }
    m_statePath = QDir(directory).filePath(id() + QStringLiteral(".json"));
    QFile f(m_statePath);
    if (!f.exists()) return true;
    QJsonParseError parseError;
    const QJsonDocument doc = f.open(QIODevice::ReadOnly)
                                  ? QJsonDocument::fromJson(f.readAll(), &parseError)
                                  : QJsonDocument();
    if (!doc.isObject()) {
        // A damaged file must not stop the lab; the engine then treats the state as unknown.
        qCWarning(lcDrivers).noquote() << id() << "ignores unreadable state file" << m_statePath;
        if (error) *error = tr("unreadable state file %1").arg(m_statePath);
        return true;
    }
    const QJsonObject o = doc.object();
    const QJsonObject last = o.value(QLatin1StringView("last")).toObject();
    CommandResult r;
    r.commandId = last.value(QLatin1StringView("command_id")).toString().toLongLong();
    r.deviceId = id();
    r.ok = last.value(QLatin1StringView("ok")).toBool();
    r.transient = last.value(QLatin1StringView("transient")).toBool();
    r.cancelled = last.value(QLatin1StringView("cancelled")).toBool();
    r.message = last.value(QLatin1StringView("message")).toString();
    r.data = last.value(QLatin1StringView("data")).toObject();
    // A command running when the process died was interrupted: the instrument reset.
    restoreMemory(r, o.value(QLatin1StringView("running")).toString().toLongLong());
    return true;
}

void SimulatedDevice::rememberState()
{
    if (m_statePath.isEmpty()) return;
    const QJsonObject o{{QStringLiteral("running"), QString::number(runningCommandId())},
                        {QStringLiteral("last"), resultToJson(lastResult())}};
    // Written whole and renamed over the old file, so a crash at any point leaves one or the
    // other. No fsync: the memory must outlive an alabos crash, as a real instrument's does
    // (a host crash is not simulated), and an fsync per command would cap a fleet of
    // thousands of devices at the disk's flush rate.
    const QString temporary = m_statePath + QStringLiteral(".new");
    QFile f(temporary);
    const bool written = f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                         f.write(QJsonDocument(o).toJson(QJsonDocument::Compact)) >= 0 && f.flush();
    f.close();
    if (!written || std::rename(QFile::encodeName(temporary).constData(),
                                QFile::encodeName(m_statePath).constData()) != 0)
        qCWarning(lcDrivers).noquote()
            << id() << "cannot write its state file" << m_statePath << f.errorString();
}

void SimulatedDevice::completeReport(DeviceStateReport &report) const
{
    report.persistent = !m_statePath.isEmpty();
}

void SimulatedDevice::openConnection()
{
    if (m_script.communicationLost) {
        connectionFailed(tr("%1: no answer (communication lost)").arg(id()));
        return;
    }
    if (m_reconnectFailuresLeft > 0) {
        --m_reconnectFailuresLeft;
        connectionFailed(tr("%1: no answer (link still down)").arg(id()));
        return;
    }
    connectionEstablished(tr("%1: simulated %2").arg(id(), type()));
}

void SimulatedDevice::closeConnection()
{
    m_commandTimer.stop();
}

void SimulatedDevice::startCommand(const DeviceCommand &command)
{
    const int n = ++m_commandCount;
    m_command = command;
    m_commandN = n;
    if (n == m_script.communicationLostOnNth) {
        m_reconnectFailuresLeft = m_script.reconnectFailures;
        connectionLost(tr("%1: communication lost").arg(id()));
        return;
    }
    const bool status = command.name == QLatin1StringView("status");
    if (!status) {
        const QString why = m_behaviour->check(command.parameters);
        if (!why.isEmpty()) {
            finishCommand({command.id,
                           id(),
                           false,
                           false,
                           false,
                           tr("%1: %2: %3").arg(id(), command.name, why),
                           {}});
            return;
        }
    }
    const QJsonValue d = command.parameters.value(QLatin1StringView("duration_s"));
    if (!d.isUndefined() && (!d.isDouble() || d.toDouble() < 0)) {
        finishCommand({command.id,
                       id(),
                       false,
                       false,
                       false,
                       tr("%1: parameter \"duration_s\" must be a number >= 0").arg(id()),
                       {}});
        return;
    }
    if (n == m_script.neverAnswerOnNth)
        return; // accepted and never answered: the engine's timeout must catch it
    const double seconds = status ? 0.0 : m_behaviour->durationS(command.parameters);
    if (!status) m_behaviour->start(command.parameters);
    // +-10% jitter, so a fleet of identical devices does not move in lockstep.
    const double jitter = 0.9 + 0.2 * QRandomGenerator::global()->generateDouble();
    const double ms = seconds * 1000.0 * m_script.slowFactor * jitter / m_acceleration;
    m_startNs = steadyNs();
    m_durationNs = qint64(ms * 1e6);
    m_commandTimer.start(int(qMin(ms, 2e9)), Qt::PreciseTimer, this);
}

void SimulatedDevice::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_commandTimer.timerId()) return DeviceDriver::timerEvent(event);
    m_commandTimer.stop();
    complete();
}

void SimulatedDevice::complete()
{
    const qint64 commandId = m_command.id;
    const int n = m_commandN;
    if (n == m_script.failOnNth) {
        finishCommand({commandId,
                       id(),
                       false,
                       m_script.failTransient,
                       false,
                       tr("%1: simulated failure of command %2").arg(id()).arg(n),
                       {}});
        return;
    }
    if (n == m_script.wrongReplyOnNth) {
        // The instrument answered garbage: the driver cannot tell what happened.
        finishCommand({commandId,
                       id(),
                       false,
                       true,
                       false,
                       tr("%1: unparseable reply \"#?ERR\"").arg(id()),
                       {}});
        return;
    }
    QJsonObject data;
    if (m_command.name == QLatin1StringView("status"))
        data = {{QStringLiteral("status"), toString(status())},
                {QStringLiteral("commands"), m_commandCount}};
    else
        data = m_behaviour->result(id(), n);
    finishCommand({commandId, id(), true, false, false, {}, data});
}

void SimulatedDevice::abortCommand(qint64)
{
    m_commandTimer.stop();
}

void SimulatedDevice::sampleTelemetry(qint64 nowUs, QList<TelemetryReading> &out)
{
    if (!isConnected()) return; // nothing comes over a dead link
    double progress = -1;
    if (m_commandTimer.isActive() && m_command.name != QLatin1StringView("status"))
        progress = m_durationNs > 0
                       ? qBound(0.0, double(steadyNs() - m_startNs) / m_durationNs, 1.0)
                       : 1.0;
    m_behaviour->sample(progress, [&](const QString &metric, double value) {
        emitTelemetry(metric, value, nowUs, out);
    });
}

} // namespace alabos
