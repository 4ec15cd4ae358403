#include "core/domain/alarms.h"

#include <QObject>

namespace alabos {

QString toString(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Warning:
        return QStringLiteral("warning");
    case AlarmSeverity::Alarm:
        return QStringLiteral("alarm");
    case AlarmSeverity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

QString toString(AlarmState s)
{
    switch (s) {
    case AlarmState::Active:
        return QStringLiteral("active");
    case AlarmState::Acknowledged:
        return QStringLiteral("acknowledged");
    case AlarmState::Shelved:
        return QStringLiteral("shelved");
    case AlarmState::Cleared:
        return QStringLiteral("cleared");
    }
    return {};
}

std::optional<AlarmSeverity> alarmSeverityFromString(QStringView text)
{
    for (auto s : {AlarmSeverity::Warning, AlarmSeverity::Alarm, AlarmSeverity::Critical})
        if (text == toString(s))
            return s;
    return std::nullopt;
}

std::optional<AlarmState> alarmStateFromString(QStringView text)
{
    for (auto s : {AlarmState::Active, AlarmState::Acknowledged, AlarmState::Shelved, AlarmState::Cleared})
        if (text == toString(s))
            return s;
    return std::nullopt;
}

QJsonObject Alarm::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("key"), key},
            {QStringLiteral("source"), source},
            {QStringLiteral("device_id"), deviceId},
            {QStringLiteral("metric"), metric},
            {QStringLiteral("severity"), toString(severity)},
            {QStringLiteral("state"), toString(state)},
            {QStringLiteral("condition_active"), conditionActive},
            {QStringLiteral("message"), message},
            {QStringLiteral("value"), value},
            {QStringLiteral("raised_us"), raisedUs},
            {QStringLiteral("acknowledged_us"), acknowledgedUs},
            {QStringLiteral("acknowledged_by"), acknowledgedBy},
            {QStringLiteral("shelved_until_us"), shelvedUntilUs},
            {QStringLiteral("shelved_by"), shelvedBy},
            {QStringLiteral("cleared_us"), clearedUs},
            {QStringLiteral("revision"), revision}};
}

std::optional<Alarm> Alarm::fromJson(const QJsonObject &json, QString *error)
{
    Alarm a;
    const auto severity = alarmSeverityFromString(json.value(QLatin1StringView("severity")).toString());
    const auto state = alarmStateFromString(json.value(QLatin1StringView("state")).toString());
    if (!json.value(QLatin1StringView("id")).isDouble() || !severity || !state ||
        json.value(QLatin1StringView("key")).toString().isEmpty()) {
        if (error)
            *error = QStringLiteral("alarm: needs a numeric id, a key, a known severity and state");
        return std::nullopt;
    }
    a.id = json.value(QLatin1StringView("id")).toInteger();
    a.key = json.value(QLatin1StringView("key")).toString();
    a.source = json.value(QLatin1StringView("source")).toString();
    a.deviceId = json.value(QLatin1StringView("device_id")).toString();
    a.metric = json.value(QLatin1StringView("metric")).toString();
    a.severity = *severity;
    a.state = *state;
    a.conditionActive = json.value(QLatin1StringView("condition_active")).toBool();
    a.message = json.value(QLatin1StringView("message")).toString();
    a.value = json.value(QLatin1StringView("value")).toDouble();
    a.raisedUs = json.value(QLatin1StringView("raised_us")).toInteger();
    a.acknowledgedUs = json.value(QLatin1StringView("acknowledged_us")).toInteger();
    a.acknowledgedBy = json.value(QLatin1StringView("acknowledged_by")).toString();
    a.shelvedUntilUs = json.value(QLatin1StringView("shelved_until_us")).toInteger();
    a.shelvedBy = json.value(QLatin1StringView("shelved_by")).toString();
    a.clearedUs = json.value(QLatin1StringView("cleared_us")).toInteger();
    a.revision = json.value(QLatin1StringView("revision")).toInteger();
    return a;
}

std::optional<std::pair<AlarmSeverity, double>> AlarmRule::evaluate(double value) const
{
    if (lowAlarm && value <= *lowAlarm)
        return std::pair{AlarmSeverity::Alarm, *lowAlarm};
    if (highAlarm && value >= *highAlarm)
        return std::pair{AlarmSeverity::Alarm, *highAlarm};
    if (lowWarning && value <= *lowWarning)
        return std::pair{AlarmSeverity::Warning, *lowWarning};
    if (highWarning && value >= *highWarning)
        return std::pair{AlarmSeverity::Warning, *highWarning};
    return std::nullopt;
}

std::optional<AlarmRule> AlarmRule::fromJson(const QJsonObject &json, QString *error)
{
    AlarmRule r;
    r.deviceType = json.value(QLatin1StringView("device_type")).toString();
    r.metric = json.value(QLatin1StringView("metric")).toString();
    auto fail = [&](const QString &why) -> std::optional<AlarmRule> {
        if (error)
            *error = QStringLiteral("alarm rule %1/%2: %3").arg(r.deviceType, r.metric, why);
        return std::nullopt;
    };
    if (r.deviceType.isEmpty() || r.metric.isEmpty())
        return fail(QStringLiteral("fields \"device_type\" and \"metric\" are required"));
    auto limit = [&](const char *key, std::optional<double> &out) {
        const QJsonValue v = json.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isDouble())
            return false;
        out = v.toDouble();
        return true;
    };
    for (auto [key, out] : {std::pair{"low_alarm", &r.lowAlarm}, std::pair{"low_warning", &r.lowWarning},
                            std::pair{"high_warning", &r.highWarning}, std::pair{"high_alarm", &r.highAlarm}})
        if (!limit(key, *out))
            return fail(QStringLiteral("field \"%1\" must be a number").arg(QLatin1StringView(key)));
    if (!r.lowAlarm && !r.lowWarning && !r.highWarning && !r.highAlarm)
        return fail(QStringLiteral("no limit set"));
    // Limits must nest: low alarm <= low warning < high warning <= high alarm.
    QList<double> ordered;
    for (const auto &l : {r.lowAlarm, r.lowWarning, r.highWarning, r.highAlarm})
        if (l)
            ordered << *l;
    if (!std::is_sorted(ordered.begin(), ordered.end()))
        return fail(QStringLiteral("limits must satisfy low_alarm <= low_warning <= high_warning <= high_alarm"));
    return r;
}

} // namespace alabos
