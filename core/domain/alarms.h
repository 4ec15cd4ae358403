#pragma once
// Alarms: raised by threshold rules on telemetry, device errors, task failures and
// database or broker outages. Latched until acknowledged (ISA-18.2 style): an alarm whose
// condition cleared stays visible until someone acknowledged it; shelving hides it for a
// while and it comes back if its condition still holds.
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace alabos {

enum class AlarmSeverity { Warning, Alarm, Critical };
enum class AlarmState { Active, Acknowledged, Shelved, Cleared };

QString toString(AlarmSeverity severity);
QString toString(AlarmState state);
std::optional<AlarmSeverity> alarmSeverityFromString(QStringView text);
std::optional<AlarmState> alarmStateFromString(QStringView text);

struct Alarm
{
    qint64 id = 0;
    QString key;      // one alarm per condition: "threshold:furnace-2:temperature_c"
    QString source;   // threshold, device, task, database, broker, telemetry
    QString deviceId;
    QString metric;
    AlarmSeverity severity = AlarmSeverity::Warning;
    AlarmState state = AlarmState::Active;
    bool conditionActive = true; // the condition still holds
    QString message;
    double value = 0;
    qint64 raisedUs = 0;
    qint64 acknowledgedUs = 0;
    QString acknowledgedBy;
    qint64 shelvedUntilUs = 0;
    QString shelvedBy;
    qint64 clearedUs = 0;
    // Counts the alarm's published changes: of two copies that travelled different ways
    // (the scheduler's own console and the state feed) the higher one is newer.
    qint64 revision = 0;

    QJsonObject toJson() const;
    static std::optional<Alarm> fromJson(const QJsonObject &json, QString *error = nullptr);
    bool operator==(const Alarm &) const = default;
};

// Warning and alarm limits, low and high, for one metric of one device type.
struct AlarmRule
{
    QString deviceType;
    QString metric;
    std::optional<double> lowAlarm;
    std::optional<double> lowWarning;
    std::optional<double> highWarning;
    std::optional<double> highAlarm;

    // The severity a value deserves, if any, with the limit it crossed.
    std::optional<std::pair<AlarmSeverity, double>> evaluate(double value) const;
    static std::optional<AlarmRule> fromJson(const QJsonObject &json, QString *error);
};

} // namespace alabos

Q_DECLARE_METATYPE(alabos::Alarm)
