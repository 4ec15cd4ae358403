#include "app/headlesscommands.h"

#include "app/labruntime.h"
#include "core/domain/types.h"

#include <QHostInfo>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <unistd.h>

namespace alabos {

HeadlessCommands::HeadlessCommands(LabRuntime *runtime, QObject *parent)
    : QObject(parent), m_runtime(runtime),
      m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this)),
      m_host(QHostInfo::localHostName()), m_out(stdout)
{
    connect(m_notifier, &QSocketNotifier::activated, this, &HeadlessCommands::readInput);
    connect(runtime, &LabRuntime::commandReplied, this, &HeadlessCommands::onReply);
}

HeadlessCommands::~HeadlessCommands() = default;

void HeadlessCommands::readInput()
{
    char chunk[4096];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
        m_notifier->setEnabled(false); // end of input: the lab runs on
        return;
    }
    m_buffer.append(chunk, n);
    for (qsizetype eol = m_buffer.indexOf('\n'); eol >= 0; eol = m_buffer.indexOf('\n')) {
        const QByteArray line = m_buffer.left(eol).trimmed();
        m_buffer.remove(0, eol + 1);
        if (m_skippingLine) {
            m_skippingLine = false; // the end of a line already refused
            continue;
        }
        if (!line.isEmpty()) handleLine(line);
    }
    // A line longer than any command may be is refused once, and its rest skipped, rather
    // than held in memory however long it grows.
    if (m_buffer.size() > kMaxLineBytes) {
        if (!m_skippingLine)
            m_out << tr("alabos: command refused: a command line may be at most %1 KiB long")
                         .arg(kMaxLineBytes / 1024)
                  << Qt::endl;
        m_skippingLine = true;
        m_buffer.clear();
    }
}

void HeadlessCommands::handleLine(const QByteArray &line)
{
    auto refuse = [this](const QString &why) {
        m_out << tr("alabos: command refused: %1").arg(why) << Qt::endl;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (!doc.isObject())
        return refuse(
            tr("a command line must be one JSON object (%1)").arg(parseError.errorString()));
    const QJsonObject json = doc.object();
    const QString user = json.value(QLatin1StringView("user")).toString();
    const QString kind = json.value(QLatin1StringView("kind")).toString();
    if (user.isEmpty() || kind.isEmpty())
        return refuse(tr("a command needs \"user\", \"password\" and \"kind\""));
    if (OperatorCommand::requiredPermission(kind).isEmpty())
        return refuse(tr("unknown command \"%1\"").arg(kind));
    OperatorCommand c;
    c.id = m_nextId++;
    c.host = m_host;
    c.kind = kind;
    c.entityId = json.value(QLatin1StringView("entity_id")).toString();
    c.args = json.value(QLatin1StringView("args")).toObject();
    // An electronic signature: {"password", "reason", "comment"}, checked by the scheduler.
    const QJsonValue signature = json.value(QLatin1StringView("signature"));
    if (!signature.isUndefined() && !signature.isObject())
        return refuse(tr("\"signature\" must be an object with \"password\", \"reason\" and "
                         "optionally \"comment\""));
    c.signatureRequest = SignatureRequest::fromJson(signature.toObject());
    SignInRequest request{
        user, json.value(QLatin1StringView("password")).toString(), {}, m_host, {}};
    m_runtime->signIn(request, this, [this, c, refuse](const SignInResult &result) mutable {
        if (!result.ok) return refuse(result.message);
        c.session = result.session.id;
        c.user = result.session.user;
        c.role = result.session.role;
        c.timeUs = nowMicros();
        const QString what = (c.kind + u' ' + c.entityId.left(200)).trimmed();
        m_pending.insert(c.id, {what, c.session});
        m_out << tr("alabos: command %1 sent: %2").arg(c.id).arg(what) << Qt::endl;
        m_runtime->dispatchCommand(c);
    });
}

void HeadlessCommands::onReply(const CommandReply &reply)
{
    const auto it = m_pending.constFind(reply.commandId);
    if (it == m_pending.cend()) return;
    m_out << (reply.ok ? tr("alabos: reply to command %1 (%2): accepted: %3")
                       : tr("alabos: reply to command %1 (%2): refused: %3"))
                 .arg(reply.commandId)
                 .arg(it->what, reply.message);
    // What the command produced (ids, a new API token shown this once) for a script to read.
    if (!reply.data.isEmpty())
        m_out << " | data: " << QJsonDocument(reply.data).toJson(QJsonDocument::Compact);
    m_out << Qt::endl;
    m_runtime->signOut(it->session);
    m_pending.erase(it);
}

} // namespace alabos
