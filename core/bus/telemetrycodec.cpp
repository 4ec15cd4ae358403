#include "core/bus/telemetrycodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace alabos {

namespace {
// JSON string escaping by hand: the encoder runs on driver threads at up to 100,000
// readings a second, where QJsonDocument costs several times more.
void appendJsonString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (u < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", u);
            out.append(buffer);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

template <typename T> void appendNumber(QByteArray &out, T value)
{
    char buffer[40];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, int(result.ptr - buffer));
}

// The persister decodes every reading: this reads exactly what encodeReading writes (fixed
// key order, no escapes, no spaces) several times faster than QJsonDocument. Anything else,
// valid JSON or not, returns nullopt and takes the general path, which decides.
// Valid UTF-16 too: a lone surrogate (JSON "\udc00") would be encoded as U+FFFD and no longer
// name the same device.
bool isTelemetryName(const QString &name)
{
    return !name.isEmpty() && name.size() <= kMaxTelemetryNameLength && name.isValidUtf16();
}

std::optional<TelemetryReading> decodeEncoderOutput(const QByteArray &bytes)
{
    const char *p = bytes.constData();
    const char *const end = p + bytes.size();
    auto literal = [&p, end](std::string_view text) {
        if (end - p < qsizetype(text.size()) || std::string_view(p, text.size()) != text)
            return false;
        p += text.size();
        return true;
    };
    auto plainString = [&p, end](QString *out) {
        const char *start = p;
        while (p < end && *p != '"') {
            const auto u = static_cast<unsigned char>(*p);
            if (*p == '\\' || u < 0x20 || u >= 0x80) return false; // escapes, non-ASCII
            ++p;
        }
        if (p == end || p == start) return false;
        *out = QString::fromUtf8(start, p - start);
        ++p; // the closing quote
        return true;
    };
    // JSON number characters only: from_chars alone would also take "inf", "nan" or "+1".
    auto numberEnd = [&p, end] {
        const char *q = p;
        if (q < end && *q == '-') ++q;
        if (q == end || *q < '0' || *q > '9') return static_cast<const char *>(nullptr);
        while (q < end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
                           *q == '+' || *q == '-'))
            ++q;
        return q;
    };
    TelemetryReading r;
    if (!literal(R"({"v":1,"device_id":")") || !plainString(&r.deviceId) ||
        !literal(R"(,"metric":")") || !plainString(&r.metric) || !literal(R"(,"value":)"))
        return std::nullopt;
    const char *valueEnd = numberEnd();
    if (!valueEnd) return std::nullopt;
    const auto value = std::from_chars(p, valueEnd, r.value);
    if (value.ec != std::errc() || value.ptr != valueEnd || !std::isfinite(r.value))
        return std::nullopt;
    p = valueEnd;
    if (!literal(R"(,"time_us":)")) return std::nullopt;
    const char *timeEnd = numberEnd();
    if (!timeEnd || timeEnd - p > 18) return std::nullopt;
    const auto time = std::from_chars(p, timeEnd, r.timeUs);
    if (time.ec != std::errc() || time.ptr != timeEnd) return std::nullopt;
    p = timeEnd;
    if (!literal("}") || p != end) return std::nullopt;
    return r;
}
} // namespace

QByteArray encodeReading(const TelemetryReading &reading, QString *error)
{
    if (!isTelemetryName(reading.deviceId) || !isTelemetryName(reading.metric) ||
        !std::isfinite(reading.value)) {
        if (error)
            *error =
                QObject::tr("telemetry reading of device \"%1\" metric \"%2\" is not valid "
                            "(a name empty or longer than %3 characters, or a value that is not "
                            "a finite number)")
                    .arg(reading.deviceId.left(kMaxTelemetryNameLength),
                         reading.metric.left(kMaxTelemetryNameLength))
                    .arg(kMaxTelemetryNameLength);
        return {};
    }
    QByteArray out;
    out.reserve(64 + reading.deviceId.size() + reading.metric.size());
    out.append("{\"v\":1,\"device_id\":");
    appendJsonString(out, reading.deviceId);
    out.append(",\"metric\":");
    appendJsonString(out, reading.metric);
    out.append(",\"value\":");
    appendNumber(out, reading.value); // shortest text that reads back to the same double
    out.append(",\"time_us\":");
    appendNumber(out, reading.timeUs);
    out.append('}');
    return out;
}

std::optional<TelemetryReading> decodeReading(const QByteArray &bytes, DecodeProblem *problem,
                                              QString *error)
{
    auto fail = [&](DecodeProblem p, const QString &why) -> std::optional<TelemetryReading> {
        if (problem) *problem = p;
        if (error) *error = why;
        return std::nullopt;
    };
    if (bytes.size() > kMaxReadingBytes)
        return fail(DecodeProblem::TooLarge,
                    QObject::tr("telemetry reading of %1 bytes exceeds the limit of %2")
                        .arg(bytes.size())
                        .arg(kMaxReadingBytes));
    // A long name falls through to the general path, which says why it refuses it.
    if (auto fast = decodeEncoderOutput(bytes); fast &&
                                                fast->deviceId.size() <= kMaxTelemetryNameLength &&
                                                fast->metric.size() <= kMaxTelemetryNameLength) {
        if (problem) *problem = DecodeProblem::None;
        return fast;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject())
        return fail(DecodeProblem::NotJson,
                    QObject::tr("telemetry reading is not a JSON object: %1")
                        .arg(parseError.errorString()));
    const QJsonObject json = doc.object();
    const QJsonValue version = json.value(QLatin1StringView("v"));
    if (!version.isDouble() || version.toDouble() != kEventFormatVersion)
        return fail(DecodeProblem::UnknownVersion,
                    QObject::tr("unknown telemetry format version %1")
                        .arg(version.isUndefined() ? QStringLiteral("(none)")
                                                   : version.toVariant().toString()));
    const QJsonValue device = json.value(QLatin1StringView("device_id"));
    const QJsonValue metric = json.value(QLatin1StringView("metric"));
    const QJsonValue value = json.value(QLatin1StringView("value"));
    const QJsonValue time = json.value(QLatin1StringView("time_us"));
    if (!device.isString() || device.toString().isEmpty() || !metric.isString() ||
        metric.toString().isEmpty() || !value.isDouble() || !time.isDouble())
        return fail(DecodeProblem::MissingField,
                    QObject::tr("telemetry reading lacks one of device_id, metric, value, "
                                "time_us or has the wrong type"));
    TelemetryReading r;
    r.deviceId = device.toString();
    r.metric = metric.toString();
    // Found by fuzzing: long names with characters the encoder escapes (six bytes each) made
    // a reading the decoder took but whose own encoding it refused as too large.
    if (!isTelemetryName(r.deviceId) || !isTelemetryName(r.metric))
        return fail(DecodeProblem::MissingField,
                    QObject::tr("telemetry reading's device_id or metric is longer than %1 "
                                "characters or is not valid Unicode")
                        .arg(kMaxTelemetryNameLength));
    r.value = value.toDouble();
    r.timeUs = time.toInteger();
    if (problem) *problem = DecodeProblem::None;
    return r;
}

} // namespace alabos
