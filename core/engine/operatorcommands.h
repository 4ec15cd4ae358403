#pragma once
// Operator commands on the engine thread: a table with one row per command kind, each naming
// the permission the kind needs and the small function that checks its arguments and applies
// it. Adding a command kind is one handler and one row in table().
#include "core/domain/commands.h"
#include "core/drivers/devicedriver.h"
#include "core/engine/enginestate.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <span>

namespace alabos {

class CommitQueue;
class LabEngine;
class PromptBook;
class ResourceManager;
class WorkflowBook;

// Takes every command the engine is sent: the user, the kind and the role's permission are
// checked, then the kind's handler validates and applies it. Every command, accepted or
// refused, leaves an audit event in the engine's change set; the reply follows its commit.
// Sole owner of the device commands sent outside any task (device.command) until they are
// answered.
class OperatorCommands
{
    // The engine's messages keep one translation context, whichever class words them.
    Q_DECLARE_TR_FUNCTIONS(alabos::LabEngine)
public:
    // One command as its handler applies it: the handler checks and changes state, and says
    // what happened through the reply's message and data.
    struct Call
    {
        const OperatorCommand &command;
        QJsonObject data;
        QString message;
        bool deferReply = false; // the handler replies itself, after its own commit
        // Takes effect when the device or position is released: the reply says so.
        void deferEffect() { data.insert(QStringLiteral("deferred"), true); }
    };
    // Empty when applied; otherwise why it was refused.
    using Handler = QString (OperatorCommands::*)(Call &call);
    struct Kind
    {
        QLatin1StringView kind;
        const char *permission;
        Handler handler;
    };
    // Every kind the engine handles, with its permission.
    static std::span<const Kind> table();

    // The engine runs the tasks; the others are the parts a command may change.
    OperatorCommands(LabEngine &engine, CommitQueue &commits, ResourceManager &resources,
                     PromptBook &prompts, WorkflowBook &workflows);

    void handle(const OperatorCommand &command);
    // The answer to a device.command; false when `result` answers no such command.
    bool answerDirect(const CommandResult &result);

private:
    // The device or task a command names; null and why when there is none it may act on.
    DeviceEntry *namedDevice(const Call &call, QString *refusal);
    TaskEntry *namedTask(const Call &call, QString *refusal);
    void audit(const OperatorCommand &c, bool ok, const QString &message);
    void reply(const OperatorCommand &c, bool ok, const QString &message,
               const QJsonObject &data = {});

    // devices and positions (devicecommands.cpp)
    QString deviceAdd(Call &call);
    QString devicePause(Call &call);
    QString deviceMaintenance(Call &call);
    // Pause or maintenance: now when idle, after its task when busy.
    QString takeOutOfScheduling(Call &call, DeviceStatus target);
    QString deviceResume(Call &call);
    QString deviceRemove(Call &call);
    QString deviceEdit(Call &call);
    QString deviceReconnect(Call &call);
    QString deviceCommand(Call &call);
    QString positionAdd(Call &call);
    QString positionRemove(Call &call);
    // prompts, workflows and tasks
    QString promptAnswer(Call &call);
    QString workflowSubmit(Call &call);
    QString templateSave(Call &call);
    QString taskRetry(Call &call);
    QString taskCancel(Call &call);
    QString taskHold(Call &call);
    QString taskRelease(Call &call);
    QString taskPriority(Call &call);
    QString taskFront(Call &call);

    LabEngine &m_engine;
    CommitQueue &m_commits;
    ResourceManager &m_resources;
    PromptBook &m_prompts;
    WorkflowBook &m_workflows;
    // device.command: a driver command outside any task, answered to its operator. Ids are
    // negative so they never meet a task's command ids.
    QHash<qint64, OperatorCommand> m_directCommands;
    qint64 m_nextDirectCommand = 1;
};

} // namespace alabos
