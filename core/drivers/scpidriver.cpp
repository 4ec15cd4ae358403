#include "core/drivers/scpidriver.h"

#include "core/domain/logging.h"
#include "core/drivers/driverregistry.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QTimerEvent>
#include <cmath>

namespace alabos {

namespace {

const QRegularExpression &placeholder()
{
    static const QRegularExpression re(QStringLiteral("\\{([A-Za-z_][A-Za-z0-9_]*)\\}"));
    return re;
}

// Substitutes {name} with the parameter's value. Strings are limited to a safe alphabet so a
// parameter can never smuggle a newline or a second command (";") to the instrument.
std::optional<QString> substitute(const QString &line, const QJsonObject &parameters,
                                  QString *error)
{
    QString out;
    qsizetype last = 0;
    auto it = placeholder().globalMatch(line);
    while (it.hasNext()) {
        const auto m = it.next();
        out += line.mid(last, m.capturedStart() - last);
        const QJsonValue v = parameters.value(m.captured(1));
        if (v.isDouble())
            out += QString::number(v.toDouble(), 'g', 12);
        else if (v.isBool())
            out += v.toBool() ? QStringLiteral("ON") : QStringLiteral("OFF");
        else if (v.isString() && QRegularExpression(QStringLiteral("^[A-Za-z0-9_.+-]*$"))
                                     .match(v.toString())
                                     .hasMatch())
            out += v.toString();
        else {
            *error =
                QObject::tr("parameter \"%1\" cannot be sent to the instrument").arg(m.captured(1));
            return std::nullopt;
        }
        last = m.capturedEnd();
    }
    return out + line.mid(last);
}

} // namespace

std::optional<double> parseScpiReading(const QString &line)
{
    bool ok = false;
    const double value = line.toDouble(&ok);
    if (!ok || !std::isfinite(value) || std::abs(value) >= 9.9e37) return std::nullopt;
    return value;
}

std::optional<QJsonValue> parseScpiResult(const QString &line, bool numeric)
{
    if (!numeric) {
        if (line.size() > kMaxScpiTextResult) return std::nullopt;
        return QJsonValue(line);
    }
    // "nan", "inf" and the overload value would reach the results as JSON null.
    const auto value = parseScpiReading(line);
    if (!value) return std::nullopt;
    return QJsonValue(*value);
}

bool isScpiIdentity(const QString &line)
{
    return line.count(QLatin1Char(',')) >= 3;
}

std::optional<ScpiError> parseScpiError(const QString &line)
{
    static const QRegularExpression re(QStringLiteral("^([+-]?\\d+)\\s*,\\s*\"?(.*?)\"?$"));
    const auto m = re.match(line);
    if (!m.hasMatch()) return std::nullopt;
    bool ok = false;
    const int code = m.captured(1).toInt(&ok);
    if (!ok) return std::nullopt;
    return ScpiError{code, m.captured(2)};
}

std::optional<ScpiConfig> ScpiConfig::fromJson(const QJsonObject &config, QString *error)
{
    auto refuse = [&](const QString &field, const QString &why) {
        if (error) *error = QObject::tr("field \"%1\" %2").arg(field, why);
        return std::nullopt;
    };
    static const QStringList known{QStringLiteral("id"),        QStringLiteral("type"),
                                   QStringLiteral("driver"),    QStringLiteral("host"),
                                   QStringLiteral("port"),      QStringLiteral("timeout_ms"),
                                   QStringLiteral("abort"),     QStringLiteral("commands"),
                                   QStringLiteral("telemetry"), QStringLiteral("poll_ms")};
    for (auto it = config.begin(); it != config.end(); ++it)
        if (!known.contains(it.key())) return refuse(it.key(), QObject::tr("is unknown"));
    ScpiConfig c;
    c.host = config.value(QLatin1StringView("host")).toString();
    if (c.host.isEmpty())
        return refuse(QStringLiteral("host"), QObject::tr("must be a host name or address"));
    const QJsonValue port = config.value(QLatin1StringView("port"));
    if (!port.isUndefined() && (!port.isDouble() || port.toDouble() != port.toInt() ||
                                port.toInt() < 1 || port.toInt() > 65535))
        return refuse(QStringLiteral("port"), QObject::tr("must be an integer in [1, 65535]"));
    c.port = quint16(port.toInt(5025));
    const QJsonValue timeout = config.value(QLatin1StringView("timeout_ms"));
    if (!timeout.isUndefined() &&
        (!timeout.isDouble() || timeout.toInt() < 10 || timeout.toInt() > 600000))
        return refuse(QStringLiteral("timeout_ms"),
                      QObject::tr("must be an integer in [10, 600000]"));
    c.timeoutMs = timeout.toInt(2000);
    c.abort = config.value(QLatin1StringView("abort")).toString();
    const QJsonValue commands = config.value(QLatin1StringView("commands"));
    if (!commands.isArray())
        return refuse(QStringLiteral("commands"), QObject::tr("must be an array"));
    const QJsonArray a = commands.toArray();
    for (int i = 0; i < a.size(); ++i) {
        const QString w = QStringLiteral("commands[%1].").arg(i);
        const QJsonObject o = a.at(i).toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!QStringList{QStringLiteral("name"), QStringLiteral("description"),
                             QStringLiteral("parameters"), QStringLiteral("send"),
                             QStringLiteral("query"), QStringLiteral("result"),
                             QStringLiteral("result_type")}
                     .contains(it.key()))
                return refuse(w + it.key(), QObject::tr("is unknown"));
        ScpiCommand sc;
        sc.description.name = o.value(QLatin1StringView("name")).toString();
        if (sc.description.name.isEmpty())
            return refuse(w + QStringLiteral("name"), QObject::tr("is missing"));
        sc.description.description = o.value(QLatin1StringView("description")).toString();
        const QJsonArray params = o.value(QLatin1StringView("parameters")).toArray();
        for (int j = 0; j < params.size(); ++j) {
            const QJsonObject p = params.at(j).toObject();
            ParameterDescription d;
            d.name = p.value(QLatin1StringView("name")).toString();
            if (d.name.isEmpty())
                return refuse(QStringLiteral("%1parameters[%2].name").arg(w).arg(j),
                              QObject::tr("is missing"));
            d.type = p.value(QLatin1StringView("type")).toString(QStringLiteral("number"));
            if (!QStringList{QStringLiteral("number"), QStringLiteral("integer"),
                             QStringLiteral("string"), QStringLiteral("bool")}
                     .contains(d.type))
                return refuse(QStringLiteral("%1parameters[%2].type").arg(w).arg(j),
                              QObject::tr("must be number, integer, string or bool"));
            d.unit = p.value(QLatin1StringView("unit")).toString();
            if (p.value(QLatin1StringView("min")).isDouble())
                d.min = p.value(QLatin1StringView("min")).toDouble();
            if (p.value(QLatin1StringView("max")).isDouble())
                d.max = p.value(QLatin1StringView("max")).toDouble();
            d.defaultValue = p.value(QLatin1StringView("default"));
            sc.description.parameters.append(d);
        }
        const QJsonValue send = o.value(QLatin1StringView("send"));
        if (send.isString())
            sc.send << send.toString();
        else if (send.isArray())
            for (const QJsonValue &line : send.toArray())
                sc.send << line.toString();
        else if (!send.isUndefined())
            return refuse(w + QStringLiteral("send"),
                          QObject::tr("must be a string or an array of strings"));
        sc.query = o.value(QLatin1StringView("query")).toString();
        if (sc.send.isEmpty() && sc.query.isEmpty())
            return refuse(w + QStringLiteral("send"), QObject::tr("(or \"query\") is missing"));
        for (const QString &line : sc.send + QStringList{sc.query}) {
            if (line.contains(QLatin1Char('\n')))
                return refuse(w + QStringLiteral("send"),
                              QObject::tr("must not contain a newline"));
            auto it = placeholder().globalMatch(line);
            while (it.hasNext()) {
                const QString name = it.next().captured(1);
                const bool declared = std::any_of(
                    sc.description.parameters.cbegin(), sc.description.parameters.cend(),
                    [&](const ParameterDescription &d) { return d.name == name; });
                if (!declared)
                    return refuse(w + (sc.send.contains(line) ? QStringLiteral("send")
                                                              : QStringLiteral("query")),
                                  QObject::tr("uses {%1}, which is not a parameter").arg(name));
            }
        }
        sc.resultKey = o.value(QLatin1StringView("result")).toString(QStringLiteral("value"));
        const QString type =
            o.value(QLatin1StringView("result_type")).toString(QStringLiteral("number"));
        if (type != QLatin1StringView("number") && type != QLatin1StringView("string"))
            return refuse(w + QStringLiteral("result_type"),
                          QObject::tr("must be number or string"));
        sc.numericResult = type == QLatin1StringView("number");
        c.commands.append(sc);
    }
    const QJsonValue pollMs = config.value(QLatin1StringView("poll_ms"));
    if (!pollMs.isUndefined()) {
        if (!pollMs.isDouble() || pollMs.toDouble() != pollMs.toInt() || pollMs.toInt() < 100 ||
            pollMs.toInt() > 3600000)
            return refuse(QStringLiteral("poll_ms"),
                          QObject::tr("must be an integer in [100, 3600000]"));
        c.pollMs = pollMs.toInt();
    }
    const QJsonValue telemetry = config.value(QLatin1StringView("telemetry"));
    if (!telemetry.isUndefined() && !telemetry.isArray())
        return refuse(QStringLiteral("telemetry"),
                      QObject::tr("must be an array of {\"name\", \"query\", \"unit\"}"));
    const QJsonArray queries = telemetry.toArray();
    if (queries.size() > 64)
        return refuse(QStringLiteral("telemetry"), QObject::tr("has more than 64 queries"));
    for (int i = 0; i < queries.size(); ++i) {
        const QString w = QStringLiteral("telemetry[%1].").arg(i);
        const QJsonObject o = queries.at(i).toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!QStringList{QStringLiteral("name"), QStringLiteral("query"),
                             QStringLiteral("unit")}
                     .contains(it.key()))
                return refuse(w + it.key(), QObject::tr("is unknown"));
        ScpiTelemetry t{o.value(QLatin1StringView("name")).toString(),
                        o.value(QLatin1StringView("query")).toString(),
                        o.value(QLatin1StringView("unit")).toString()};
        if (t.name.isEmpty() || t.name.size() > 64)
            return refuse(w + QStringLiteral("name"),
                          QObject::tr("must be a name of 1 to 64 characters"));
        if (t.query.isEmpty() || t.query.size() > 256 || t.query.contains(QLatin1Char('\n')) ||
            placeholder().match(t.query).hasMatch())
            return refuse(w + QStringLiteral("query"),
                          QObject::tr("must be one SCPI query line without placeholders"));
        c.telemetry.append(t);
    }
    return c;
}

ScpiDriver::ScpiDriver(QString id, QString type, ScpiConfig config, QObject *parent)
    : DeviceDriver(std::move(id), std::move(type), parent), m_config(std::move(config)),
      m_pollTimer(new QTimer(this))
{
    m_pollTimer->setInterval(m_config.pollMs);
    connect(m_pollTimer, &QTimer::timeout, this, &ScpiDriver::pollTelemetry);
}

void ScpiDriver::pollTelemetry()
{
    // One round at a time, never while the consumer is behind.
    if (!m_socket || !isConnected() || m_telemetryInFlight > 0 || telemetryThrottled()) return;
    QStringList lines;
    for (int i = 0; i < m_config.telemetry.size(); ++i) {
        m_pending.append({Expect::Telemetry, m_generation, i});
        lines << m_config.telemetry[i].query;
    }
    m_telemetryInFlight = int(lines.size());
    sendLines(lines);
}

ScpiDriver::~ScpiDriver()
{
    closeConnection();
}

QList<CommandDescription> ScpiDriver::describe() const
{
    QList<CommandDescription> out;
    for (const ScpiCommand &c : m_config.commands)
        out.append(c.description);
    return out;
}

void ScpiDriver::openConnection()
{
    m_socket = new QTcpSocket(this);
    m_pending.clear();
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_pending.append({Expect::Identity, m_generation});
        sendLines({QStringLiteral("*IDN?")});
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &ScpiDriver::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        const QString why = tr("%1: SCPI %2:%3: %4")
                                .arg(id(), m_config.host)
                                .arg(m_config.port)
                                .arg(m_socket->errorString());
        if (isConnected())
            connectionLost(why);
        else
            connectionFailed(why);
    });
    m_socket->connectToHost(m_config.host, m_config.port);
    m_replyTimer.start(m_config.timeoutMs, this); // covers the TCP connect and *IDN?
}

void ScpiDriver::closeConnection()
{
    m_replyTimer.stop();
    m_pollTimer->stop();
    m_telemetryInFlight = 0;
    m_pending.clear();
    if (!m_socket) return;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void ScpiDriver::sendLines(const QStringList &lines)
{
    QByteArray out;
    for (const QString &l : lines)
        out += l.toUtf8() + '\n';
    m_socket->write(out);
    if (!m_pending.isEmpty() && !m_replyTimer.isActive())
        m_replyTimer.start(m_config.timeoutMs, this);
}

void ScpiDriver::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_replyTimer.timerId()) return DeviceDriver::timerEvent(event);
    m_replyTimer.stop();
    const QString why = tr("%1: no answer within %2 ms").arg(id()).arg(m_config.timeoutMs);
    if (isConnected())
        connectionLost(why); // fails the running command (transient) and reconnects
    else
        connectionFailed(why);
}

void ScpiDriver::onReadyRead()
{
    while (m_socket && m_socket->canReadLine())
        onLine(QString::fromUtf8(m_socket->readLine()).trimmed());
    // A flood without newlines is not SCPI.
    if (m_socket && m_socket->bytesAvailable() > 65536)
        connectionLost(
            tr("%1: reply without line end (%2 bytes)").arg(id()).arg(m_socket->bytesAvailable()));
}

void ScpiDriver::onLine(const QString &line)
{
    if (m_pending.isEmpty()) {
        qCWarning(lcDrivers).noquote() << id() << "ignores an unsolicited line:" << line.left(80);
        return;
    }
    const Pending p = m_pending.takeFirst();
    m_replyTimer.stop();
    if (!m_pending.isEmpty()) m_replyTimer.start(m_config.timeoutMs, this);
    if (p.kind == Expect::Telemetry) {
        --m_telemetryInFlight;
        const ScpiTelemetry &t = m_config.telemetry[p.telemetry];
        if (const auto value = parseScpiReading(line)) {
            publishReading(t.name, *value, QDateTime::currentMSecsSinceEpoch() * 1000);
        } else {
            reportTelemetryFault(t.name, tr("%1: %2 answered \"%3\", not a reading of %4")
                                             .arg(id(), t.query, line.left(80), t.name));
        }
        return;
    }
    if (p.generation != m_generation) return; // the answer to a cancelled command
    switch (p.kind) {
    case Expect::Identity:
        if (!isScpiIdentity(line)) {
            connectionFailed(
                tr("%1: *IDN? answered \"%2\", not an SCPI identity").arg(id(), line.left(80)));
            return;
        }
        m_identity = line;
        connectionEstablished(line);
        if (!m_config.telemetry.isEmpty()) m_pollTimer->start();
        return;
    case Expect::Result: {
        if (const auto value = parseScpiResult(line, m_spec->numericResult))
            m_data.insert(m_spec->resultKey, *value);
        else
            m_failure =
                tr("%1: unparseable reply \"%2\" to %3").arg(id(), line.left(80), m_spec->query);
        return;
    }
    case Expect::Error: {
        const auto error = parseScpiError(line);
        ++m_generation;
        if (!error)
            finishCommand({m_command.id,
                           id(),
                           false,
                           true,
                           false,
                           tr("%1: unparseable reply \"%2\" to SYST:ERR?").arg(id(), line.left(80)),
                           {}});
        else if (error->code != 0)
            // The instrument refused the command: the same command would be refused again.
            finishCommand({m_command.id,
                           id(),
                           false,
                           false,
                           false,
                           tr("%1: instrument error %2, \"%3\"")
                               .arg(id())
                               .arg(error->code)
                               .arg(error->message),
                           {}});
        else if (!m_failure.isEmpty())
            finishCommand({m_command.id, id(), false, true, false, m_failure, {}});
        else
            finishCommand({m_command.id, id(), true, false, false, {}, m_data});
        return;
    }
    case Expect::Telemetry: // answered above
        return;
    }
}

void ScpiDriver::startCommand(const DeviceCommand &command)
{
    m_command = command;
    m_spec = nullptr;
    for (const ScpiCommand &c : m_config.commands)
        if (c.description.name == command.name) m_spec = &c;
    m_data = {};
    m_failure.clear();
    QStringList lines;
    QString why;
    for (const QString &l :
         m_spec->send + (m_spec->query.isEmpty() ? QStringList() : QStringList{m_spec->query})) {
        const auto line = substitute(l, command.parameters, &why);
        if (!line) {
            finishCommand({command.id, id(), false, false, false, tr("%1: %2").arg(id(), why), {}});
            return;
        }
        lines << *line;
    }
    ++m_generation;
    if (!m_spec->query.isEmpty()) m_pending.append({Expect::Result, m_generation});
    m_pending.append({Expect::Error, m_generation});
    lines << QStringLiteral("SYST:ERR?");
    sendLines(lines);
}

void ScpiDriver::abortCommand(qint64)
{
    ++m_generation; // its replies still come and are dropped in order
    if (!m_config.abort.isEmpty() && m_socket) m_socket->write(m_config.abort.toUtf8() + '\n');
}

std::unique_ptr<DeviceDriver> createScpiDriver(const QJsonObject &config, const DriverContext &,
                                               QString *error)
{
    QString why;
    auto c = ScpiConfig::fromJson(config, &why);
    if (!c) {
        if (error)
            *error = QObject::tr("device %1: %2")
                         .arg(config.value(QLatin1StringView("id")).toString(), why);
        return nullptr;
    }
    return std::make_unique<ScpiDriver>(config.value(QLatin1StringView("id")).toString(),
                                        config.value(QLatin1StringView("type")).toString(), *c);
}

} // namespace alabos
