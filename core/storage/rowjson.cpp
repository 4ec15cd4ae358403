#include "core/storage/rowjson.h"

#include "core/storage/utf8text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <charconv>

namespace alabos {

namespace {

// PostgreSQL refuses U+0000 in text and jsonb; one NUL in a refused command's arguments would
// make its whole change set (and the audit of the refusal) fail.
QJsonValue withoutNul(const QJsonValue &v)
{
    if (v.isString()) return QString(v.toString()).replace(QChar(0), QChar(0xFFFD));
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray())
            out.append(withoutNul(item));
        return out;
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it)
            out.insert(QString(it.key()).replace(QChar(0), QChar(0xFFFD)), withoutNul(*it));
        return out;
    }
    return v;
}

void appendNumber(std::string &out, qint64 value)
{
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out.append(buffer, end);
}

void appendString(std::string &out, const QString &text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    utf8text::append(out, text, [](std::string &to, char c) {
        if (utf8text::nulAsReplacement(to, c)) return true;
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\') {
            to += '\\';
            to += c;
            return true;
        }
        if (byte < 0x20) {
            to += "\\u00";
            to += kHex[byte >> 4];
            to += kHex[byte & 0xF];
            return true;
        }
        return false;
    });
    out += '"';
}

// "key": with the comma before it unless it is the object's first.
void appendKey(std::string &out, const char *key)
{
    if (out.back() != '{') out += ',';
    out += '"';
    out += key;
    out += "\":";
}

void appendField(std::string &out, const char *key, qint64 value)
{
    appendKey(out, key);
    appendNumber(out, value);
}

void appendField(std::string &out, const char *key, const QString &value)
{
    appendKey(out, key);
    appendString(out, value);
}

void appendField(std::string &out, const char *key, const QList<qint64> &values)
{
    appendKey(out, key);
    out += '[';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        appendNumber(out, values[i]);
    }
    out += ']';
}

} // namespace

std::string storableJson(const QJsonValue &value)
{
    auto text = [](const QJsonValue &v) {
        return (v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
            .toJson(QJsonDocument::Compact);
    };
    QByteArray json = text(value);
    // Only a text holding "\u0000" (a NUL, or a literal backslash-u0000) takes the slow path.
    if (json.contains("\\u0000")) json = text(withoutNul(value));
    return json.toStdString();
}

void RowJson::append(std::string &out, const TaskState &t)
{
    out += '{';
    appendField(out, "id", t.id);
    appendField(out, "workflow_id", t.workflowId);
    appendField(out, "name", t.name);
    appendField(out, "device_type", t.deviceType);
    appendField(out, "device_id", t.deviceId);
    appendField(out, "status", toString(t.status));
    appendField(out, "priority", t.priority);
    appendField(out, "attempts", t.attempts);
    appendField(out, "samples", t.samples);
    appendKey(out, "parameters");
    out += parameters(t.parameters);
    appendField(out, "created_us", t.createdUs);
    appendField(out, "started_us", t.startedUs);
    appendField(out, "finished_us", t.finishedUs);
    appendField(out, "message", t.message);
    appendField(out, "queue_rank", t.queueRank);
    out += '}';
}

void RowJson::append(std::string &out, const DeviceState &d)
{
    out += '{';
    appendField(out, "id", d.id);
    appendField(out, "type", d.type);
    appendField(out, "status", toString(d.status));
    appendField(out, "current_task", d.currentTask);
    appendField(out, "tasks_completed", d.tasksCompleted);
    appendField(out, "updated_us", d.updatedUs);
    if (!d.message.isEmpty()) appendField(out, "message", d.message);
    out += '}';
}

void RowJson::append(std::string &out, const WorkflowState &w)
{
    out += '{';
    appendField(out, "id", w.id);
    appendField(out, "template", w.templateName);
    appendField(out, "status", w.status);
    appendField(out, "samples", w.samples);
    appendField(out, "created_us", w.createdUs);
    appendField(out, "finished_us", w.finishedUs);
    out += '}';
}

void RowJson::append(std::string &out, const SampleState &s)
{
    out += '{';
    appendField(out, "id", s.id);
    appendField(out, "barcode", s.barcode);
    appendField(out, "position", s.position);
    appendField(out, "workflow_id", s.workflowId);
    appendKey(out, "metadata");
    out += storableJson(QJsonValue(s.metadata));
    appendField(out, "created_us", s.createdUs);
    if (s.deletedUs > 0) appendField(out, "deleted_us", s.deletedUs);
    out += '}';
}

void RowJson::appendEventPayload(std::string &out, const ChangeSet &set, qsizetype i)
{
    if (!set.withStateRow(i, [this, &out](const auto &row) { append(out, row); }))
        out += storableJson(QJsonValue(set.events.at(i).payload));
}

const std::string &RowJson::parameters(const QJsonObject &parameters)
{
    // Tasks of one template step share one QJsonObject, and comparing shared ones is at once.
    if (parameters != m_lastParameters) {
        m_lastParameters = parameters;
        m_lastParametersJson = storableJson(QJsonValue(parameters));
    }
    return m_lastParametersJson;
}

} // namespace alabos
