#pragma once
// Operator commands and their replies: what a console (or the API) asks of the engine.
// Every command names its session; the scheduler fills in user, role and host from it,
// the engine checks the role's permission, commits before it acknowledges, and audits.
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace alabos {

enum class Role
{
    Operator,
    Technician,
    Supervisor,
    Admin
};
QString toString(Role role);
std::optional<Role> roleFromString(QStringView text);

// Named permissions, in the spirit of Phoebus' alarm_ack / alarm_config.
namespace permission {
inline constexpr auto DeviceControl =
    "device_control"; // pause, resume, maintenance, reconnect, driver commands
inline constexpr auto TaskControl = "task_control"; // cancel, retry, hold, release, priority
inline constexpr auto PromptAnswer = "prompt_answer";
inline constexpr auto SampleRegister = "sample_register";
inline constexpr auto SampleDelete = "sample_delete";
inline constexpr auto WorkflowSubmit = "workflow_submit";
inline constexpr auto WorkflowTemplates = "workflow_template"; // create/replace templates
inline constexpr auto AlarmAck = "alarm_ack";
inline constexpr auto AlarmShelve = "alarm_shelve";
inline constexpr auto AlarmConfig = "alarm_config";
inline constexpr auto LabConfig = "lab_config"; // add/remove/edit devices and positions
inline constexpr auto UserAdmin = "user_admin";
// Create, list and revoke one's own API tokens (every role); with user_admin, everyone's.
inline constexpr auto ApiTokens = "api_token";
} // namespace permission

// The most samples (barcodes) one workflow.submit may carry: one submission is one change
// set, and a batch larger than a rack or two is a mistake or an attack, not a workflow.
inline constexpr int kMaxSamplesPerSubmission = 1000;

bool roleAllows(Role role, QStringView permission);
QStringList permissionsOf(Role role);

// What a person gives to sign a command electronically (21 CFR Part 11 §11.50, §11.200): their
// password again and the meaning of the signature, one of the configured reasons, with an
// optional comment. It travels only to the scheduler's account service, which checks the
// password for the command's own session user and turns it into the command's `signature`;
// the password is never stored, audited, relayed or part of toJson().
struct SignatureRequest
{
    QString password;
    QString reason;
    QString comment;
    bool isEmpty() const { return password.isEmpty() && reason.isEmpty() && comment.isEmpty(); }
    // {"password", "reason", "comment"} as the headless console and the REST API take it.
    static SignatureRequest fromJson(const QJsonObject &json);
};

struct OperatorCommand
{
    qint64 id = 0; // unique per console; the reply carries it back
    QString user;
    QString host;
    Role role = Role::Operator;
    QString kind;     // "device.pause", "task.cancel", "prompt.answer", ...
    QString entityId; // what it acts on
    QJsonObject args;
    qint64 timeUs = 0;
    // A command from another console (docs/events.md, alabos.commands): its request id, so
    // the audit trail says where it came from. Empty for this process' own console.
    QString origin;
    // The session the scheduler opened at sign-in (core/security/sessions.h). The scheduler
    // takes user, role and host from it and ignores what the fields above claim. Never part
    // of toJson(): a local console's session id is its only credential.
    QString session;
    // A signature the person asked for (never part of toJson(); cleared once checked).
    SignatureRequest signatureRequest;
    // The electronic signature the scheduler's account service made for exactly this command
    // (core/security/signatures.h): user, name, time, reason, comment and a MAC over the
    // command. Part of toJson(), so it is stored with the command's audit row and event.
    QJsonObject signature;

    QJsonObject toJson() const;
    static std::optional<OperatorCommand> fromJson(const QJsonObject &json, QString *error);
    // The permission a command kind needs; empty for an unknown kind.
    static QString requiredPermission(const QString &kind);
    // The scheduler's service that runs a command kind (the engine for an unknown one, which
    // refuses it).
    enum class Service
    {
        Engine,
        Alarms,
        Accounts, // users, API tokens, the signature policy
        Samples,  // registration and deletion
    };
    static Service serviceOf(const QString &kind);
    // Every command kind there is, sorted.
    static QStringList kinds();
    // What every command meets before any handler sees it, whatever its kind: the entity id
    // and every text in its arguments bounded and free of control characters (tab and line
    // breaks allowed in texts), the arguments bounded in size and depth. Handlers check
    // tighter limits of their own fields. Empty when within; else a message naming the field
    // and the limit.
    QString limitsError() const;
    static constexpr int kMaxEntityIdLength = 200;
    static constexpr int kMaxTextLength = 4000;
    static constexpr int kMaxKeyLength = 200;
    static constexpr int kMaxArgsBytes = 512 * 1024;
    static constexpr int kMaxArgsDepth = 16;
};

struct CommandReply
{
    qint64 commandId = 0;
    bool ok = false;
    QString message; // for a person: why it was refused, or what happened
    QJsonObject data;
};

// One sensor reading, from a driver straight to the Kafka telemetry topic.
struct TelemetryReading
{
    QString deviceId;
    QString metric; // "temperature_c", "mass_g", ...
    double value = 0;
    qint64 timeUs = 0;
    bool operator==(const TelemetryReading &) const = default;
};

// Where a consumer is in one partition: stored with the rows it wrote.
struct PartitionOffset
{
    QString topic;
    int partition = 0;
    qint64 offset = 0; // the next offset to read
    bool operator==(const PartitionOffset &) const = default;
};

void registerCommandMetaTypes();

} // namespace alabos

Q_DECLARE_METATYPE(alabos::OperatorCommand)
Q_DECLARE_METATYPE(alabos::CommandReply)
Q_DECLARE_METATYPE(alabos::TelemetryReading)
Q_DECLARE_METATYPE(alabos::PartitionOffset)
