#include "core/storage/pgutil.h"

#include <QJsonDocument>
#include <QObject>
#include <libpq-fe.h>
#include <optional>

namespace alabos {

bool connectIfNeeded(std::unique_ptr<pqxx::connection> &connection, const QString &connectionString,
                     const char *who, QString *error)
{
    if (connection && connection->is_open()) return true;
    try {
        connection = std::make_unique<pqxx::connection>(connectionString.toStdString());
        return true;
    } catch (const std::exception &e) {
        connection.reset();
        if (error)
            *error = QObject::tr("%1 cannot reach the database: %2")
                         .arg(QLatin1StringView(who), QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

std::unique_ptr<pqxx::connection> connectFirstReachable(const QStringList &connectionStrings)
{
    if (connectionStrings.isEmpty()) throw pqxx::broken_connection("no database to connect to");
    for (qsizetype i = 0;; ++i) {
        try {
            return std::make_unique<pqxx::connection>(connectionStrings.at(i).toStdString());
        } catch (const pqxx::broken_connection &e) {
            if (i + 1 == connectionStrings.size()) {
                if (i == 0) throw;
                throw pqxx::broken_connection(
                    QObject::tr("none of the %1 database addresses answered; the last: %2")
                        .arg(connectionStrings.size())
                        .arg(QString::fromUtf8(e.what()).trimmed())
                        .toStdString());
            }
        }
    }
}

namespace {
// A keyword=value value quoted as libpq reads it back.
QString quotedConninfoValue(const char *value)
{
    QString text = QString::fromUtf8(value);
    text.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + text + u'\'';
}

// `conninfo` as keyword=value settings with the passwords masked, and whether it has one;
// nothing when libpq cannot parse it.
std::optional<QString> redactedSettings(const QString &conninfo, bool *secret)
{
    // libpq would stop reading at a NUL, leaving whatever follows unseen and unmasked.
    if (conninfo.contains(QChar(u'\0'))) return std::nullopt;
    char *parseError = nullptr;
    PQconninfoOption *options = PQconninfoParse(conninfo.toUtf8().constData(), &parseError);
    // libpq's message may quote the part it choked on, which may be the password: not shown.
    PQfreemem(parseError);
    if (!options) return std::nullopt;
    QStringList parts;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (!o->val) continue;
        const QByteArray keyword(o->keyword);
        const bool isPassword = keyword == "password" || keyword == "sslpassword";
        *secret = *secret || (isPassword && *o->val);
        parts << QStringLiteral("%1=%2").arg(QString::fromLatin1(keyword),
                                             isPassword ? QStringLiteral("***")
                                                        : quotedConninfoValue(o->val));
    }
    PQconninfoFree(options);
    return parts.join(u' ');
}
} // namespace

QString redactedConnectionString(const QString &conninfo)
{
    bool secret = false;
    const std::optional<QString> redacted = redactedSettings(conninfo, &secret);
    if (!redacted) return QObject::tr("(unparsable connection string)");
    return secret ? *redacted : conninfo;
}

bool connectionStringHoldsPassword(const QString &conninfo)
{
    bool secret = false;
    return redactedSettings(conninfo, &secret) && secret;
}

namespace {
void appendJsonString(QByteArray &out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            const char *shortForm = c == '\n'   ? "\\n"
                                    : c == '\t' ? "\\t"
                                    : c == '\r' ? "\\r"
                                    : c == '\b' ? "\\b"
                                    : c == '\f' ? "\\f"
                                                : nullptr;
            if (shortForm) {
                out += shortForm;
                continue;
            }
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += ch; // UTF-8 passes through as it is
        }
    }
    out += '"';
}

// jsonb's text puts a space after every ':' and ','; outside strings no space means anything,
// so the payload goes out as compact as the events encodeEvent writes.
void appendCompactJson(QByteArray &out, std::string_view json)
{
    bool inString = false;
    bool escaped = false;
    for (const char ch : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
        } else if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            continue;
        } else if (ch == '"') {
            inString = true;
        }
        out += ch;
    }
}
} // namespace

QByteArray encodedEvent(const StoredEventText &event)
{
    QByteArray out;
    out.reserve(qsizetype(event.payload.size()) + 160);
    out += "{\"entity_id\":";
    appendJsonString(out, event.entityId);
    out += ",\"entity_type\":";
    appendJsonString(out, event.entityType);
    out += ",\"id\":";
    out += event.id;
    out += ",\"kind\":";
    appendJsonString(out, event.kind);
    out += ",\"payload\":";
    appendCompactJson(out, event.payload);
    out += ",\"time_us\":";
    out += event.timeUs;
    out += ",\"v\":" + QByteArray::number(kEventFormatVersion) + '}';
    return out;
}

QByteArray encodedEventFromRow(const pqxx::row &row)
{
    auto text = [&row](int column) {
        const pqxx::field f = row[column];
        return std::string_view(f.c_str(), f.size());
    };
    return encodedEvent({text(0), text(1), text(2), text(3), text(4), text(5)});
}

Event eventFromRow(const pqxx::row &row)
{
    Event e;
    e.id = row[0].as<qint64>();
    e.entityType = QString::fromUtf8(row[1].c_str());
    e.entityId = QString::fromUtf8(row[2].c_str());
    e.kind = QString::fromUtf8(row[3].c_str());
    e.timeUs = row[4].as<qint64>();
    e.payload = QJsonDocument::fromJson(QByteArray(row[5].c_str())).object();
    return e;
}

} // namespace alabos
