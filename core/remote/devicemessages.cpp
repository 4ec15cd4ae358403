#include "core/remote/devicemessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <cmath>

namespace alabos {

namespace {

constexpr qsizetype kMaxName = 64;
constexpr qsizetype kMaxMessage = 2000;
constexpr qsizetype kMaxCommands = 256;

bool isDeviceId(const QString &id)
{
    // Built once: every message names a device.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return !id.isEmpty() && id.size() <= kMaxName && re.match(id).hasMatch();
}

// The JSON reader of one message: each accessor checks type and range and remembers the
// first problem, so a decoder reads straight through and asks once at the end.
class Reader
{
public:
    explicit Reader(QJsonObject o) : m_o(std::move(o)) {}
    QString text(const char *key, qsizetype max, bool required = true)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() && !required) return {};
        if (!v.isString() || v.toString().size() > max)
            fail(key, QObject::tr("must be a text of at most %1 characters").arg(max));
        return v.toString();
    }
    qint64 integer(const char *key, bool required = true)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() && !required) return 0;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d > 9.0e15 || d != std::floor(d))
            fail(key, QObject::tr("must be a whole number from 0"));
        return qint64(d);
    }
    bool flag(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined()) return false;
        if (!v.isBool()) fail(key, QObject::tr("must be true or false"));
        return v.toBool();
    }
    QJsonObject object(const char *key, bool required = true)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() && !required) return {};
        if (!v.isObject()) fail(key, QObject::tr("must be an object"));
        return v.toObject();
    }
    QJsonArray array(const char *key, qsizetype max)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined()) return {};
        if (!v.isArray() || v.toArray().size() > max)
            fail(key, QObject::tr("must be an array of at most %1 items").arg(max));
        return v.toArray();
    }
    void fail(const char *key, const QString &why)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("\"%1\" %2").arg(QLatin1StringView(key), why);
    }
    bool ok(QString *error) const
    {
        if (!m_error.isEmpty() && error) *error = m_error;
        return m_error.isEmpty();
    }

private:
    QJsonObject m_o;
    QString m_error;
};

std::optional<QJsonObject> parseObject(QByteArrayView bytes, QString *error)
{
    if (bytes.size() > kMaxDeviceMessageBytes) {
        if (error)
            *error = QObject::tr("message of %1 bytes (at most %2)")
                         .arg(bytes.size())
                         .arg(kMaxDeviceMessageBytes);
        return std::nullopt;
    }
    QJsonParseError parse{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray(bytes.data(), bytes.size()), &parse);
    if (!doc.isObject()) {
        if (error) *error = QObject::tr("not a JSON object: %1").arg(parse.errorString());
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    if (o.value(QLatin1StringView("v")).toInt(0) != 1) {
        if (error) *error = QObject::tr("\"v\" must be 1");
        return std::nullopt;
    }
    return o;
}

QJsonObject resultJson(const CommandResult &r)
{
    QJsonObject o{{QStringLiteral("command_id"), r.commandId},
                  {QStringLiteral("ok"), r.ok},
                  {QStringLiteral("message"), r.message.left(kMaxMessage)}};
    if (r.transient) o.insert(QStringLiteral("transient"), true);
    if (r.cancelled) o.insert(QStringLiteral("cancelled"), true);
    if (!r.data.isEmpty()) o.insert(QStringLiteral("data"), r.data);
    return o;
}

CommandResult resultFrom(const QJsonObject &o, const QString &deviceId, Reader &outer)
{
    Reader r(o);
    CommandResult out;
    out.deviceId = deviceId;
    out.commandId = r.integer("command_id");
    out.ok = r.flag("ok");
    out.transient = r.flag("transient");
    out.cancelled = r.flag("cancelled");
    out.message = r.text("message", kMaxMessage, false);
    out.data = r.object("data", false);
    QString why;
    if (!r.ok(&why)) outer.fail("result", why);
    return out;
}

} // namespace

bool isDriverHostName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9.-]*$"));
    return name.size() <= kMaxName && re.match(name).hasMatch();
}

QByteArray encodeRemoteCommand(const RemoteCommand &c)
{
    static const char *const kinds[] = {"execute", "cancel", "query"};
    QJsonObject o{{QStringLiteral("v"), 1},
                  {QStringLiteral("kind"), QLatin1StringView(kinds[int(c.kind)])},
                  {QStringLiteral("host"), c.host},
                  {QStringLiteral("device"), c.deviceId},
                  {QStringLiteral("epoch"), c.epoch},
                  {QStringLiteral("sent_at"), c.sentAtMs}};
    if (c.kind == RemoteCommand::Kind::Execute)
        o.insert(QStringLiteral("command"),
                 QJsonObject{{QStringLiteral("id"), c.command.id},
                             {QStringLiteral("name"), c.command.name},
                             {QStringLiteral("parameters"), c.command.parameters},
                             {QStringLiteral("task"), c.command.taskId}});
    else if (c.kind == RemoteCommand::Kind::Cancel)
        o.insert(QStringLiteral("command_id"), c.command.id);
    else
        o.insert(QStringLiteral("query_id"), c.command.id);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<RemoteCommand> decodeRemoteCommand(QByteArrayView bytes, QString *error)
{
    const auto o = parseObject(bytes, error);
    if (!o) return std::nullopt;
    Reader r(*o);
    RemoteCommand c;
    const QString kind = r.text("kind", 16);
    if (kind == u"execute")
        c.kind = RemoteCommand::Kind::Execute;
    else if (kind == u"cancel")
        c.kind = RemoteCommand::Kind::Cancel;
    else if (kind == u"query")
        c.kind = RemoteCommand::Kind::Query;
    else
        r.fail("kind", QObject::tr("must be execute, cancel or query"));
    c.host = r.text("host", kMaxName);
    c.deviceId = r.text("device", kMaxName);
    c.epoch = r.integer("epoch");
    c.sentAtMs = r.integer("sent_at");
    c.command.deviceId = c.deviceId;
    if (c.kind == RemoteCommand::Kind::Execute) {
        Reader command(r.object("command"));
        c.command.id = command.integer("id");
        c.command.name = command.text("name", kMaxName);
        c.command.parameters = command.object("parameters");
        c.command.taskId = command.integer("task", false);
        QString why;
        if (!command.ok(&why)) r.fail("command", why);
    } else if (c.kind == RemoteCommand::Kind::Cancel) {
        c.command.id = r.integer("command_id");
    } else {
        c.command.id = r.integer("query_id");
    }
    if (!r.ok(error)) return std::nullopt;
    if (!isDriverHostName(c.host) || !isDeviceId(c.deviceId)) {
        if (error) *error = QObject::tr("\"host\" or \"device\" is not a valid name");
        return std::nullopt;
    }
    return c;
}

QByteArray encodeHostReport(const HostReport &h)
{
    static const char *const kinds[] = {"heartbeat", "result", "state"};
    QJsonObject o{{QStringLiteral("v"), 1},
                  {QStringLiteral("kind"), QLatin1StringView(kinds[int(h.kind)])},
                  {QStringLiteral("host"), h.host},
                  {QStringLiteral("boot"), h.boot},
                  {QStringLiteral("seq"), h.seq},
                  {QStringLiteral("sent_at"), h.sentAtMs}};
    switch (h.kind) {
    case HostReport::Kind::Heartbeat:
        o.insert(QStringLiteral("devices"), h.devices);
        break;
    case HostReport::Kind::Result:
        o.insert(QStringLiteral("device"), h.result.deviceId);
        o.insert(QStringLiteral("result"), resultJson(h.result));
        break;
    case HostReport::Kind::State: {
        const DeviceStateReport &s = h.state;
        QJsonArray commands;
        for (const CommandDescription &d : h.commands)
            commands.append(d.toJson());
        o.insert(QStringLiteral("device"), s.deviceId);
        if (h.answers) o.insert(QStringLiteral("answers"), h.answers);
        o.insert(QStringLiteral("state"),
                 QJsonObject{{QStringLiteral("status"), toString(s.status)},
                             {QStringLiteral("running"), s.runningCommandId},
                             {QStringLiteral("last_finished"), s.lastFinishedCommandId},
                             {QStringLiteral("last_result"), resultJson(s.lastResult)},
                             {QStringLiteral("interrupted"), s.interruptedCommandId},
                             {QStringLiteral("persistent"), s.persistent},
                             {QStringLiteral("link_up"), h.linkUp},
                             {QStringLiteral("link_message"), h.linkMessage.left(kMaxMessage)},
                             {QStringLiteral("commands"), commands}});
        break;
    }
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<HostReport> decodeHostReport(QByteArrayView bytes, QString *error)
{
    const auto o = parseObject(bytes, error);
    if (!o) return std::nullopt;
    Reader r(*o);
    HostReport h;
    const QString kind = r.text("kind", 16);
    h.host = r.text("host", kMaxName);
    h.boot = r.text("boot", kMaxName);
    h.seq = r.integer("seq");
    h.sentAtMs = r.integer("sent_at");
    QString device;
    if (kind == u"heartbeat") {
        h.kind = HostReport::Kind::Heartbeat;
        h.devices = int(qMin<qint64>(r.integer("devices"), 1000000));
    } else if (kind == u"result") {
        h.kind = HostReport::Kind::Result;
        device = r.text("device", kMaxName);
        h.result = resultFrom(r.object("result"), device, r);
    } else if (kind == u"state") {
        h.kind = HostReport::Kind::State;
        device = r.text("device", kMaxName);
        h.answers = r.integer("answers", false);
        Reader s(r.object("state"));
        DeviceStateReport &st = h.state;
        st.deviceId = device;
        const QString status = s.text("status", 16);
        st.status = status == u"idle"         ? DriverStatus::Idle
                    : status == u"busy"       ? DriverStatus::Busy
                    : status == u"connecting" ? DriverStatus::Connecting
                                              : DriverStatus::Offline;
        st.runningCommandId = s.integer("running");
        st.lastFinishedCommandId = s.integer("last_finished");
        st.lastResult = resultFrom(s.object("last_result"), device, s);
        st.interruptedCommandId = s.integer("interrupted");
        st.persistent = s.flag("persistent");
        h.linkUp = s.flag("link_up");
        h.linkMessage = s.text("link_message", kMaxMessage, false);
        const QJsonArray commands = s.array("commands", kMaxCommands);
        for (qsizetype i = 0; i < commands.size(); ++i) {
            QString why;
            const auto d = commandDescriptionFromJson(commands.at(i),
                                                      QStringLiteral("commands[%1]").arg(i), &why);
            if (!d) {
                s.fail("commands", why);
                break;
            }
            h.commands.append(*d);
        }
        QString why;
        if (!s.ok(&why)) r.fail("state", why);
    } else {
        r.fail("kind", QObject::tr("must be heartbeat, result or state"));
    }
    if (!r.ok(error)) return std::nullopt;
    if (!isDriverHostName(h.host) || h.boot.isEmpty() ||
        (h.kind != HostReport::Kind::Heartbeat && !isDeviceId(device))) {
        if (error) *error = QObject::tr("\"host\", \"boot\" or \"device\" is not a valid name");
        return std::nullopt;
    }
    return h;
}

} // namespace alabos
