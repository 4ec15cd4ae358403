#pragma once
#include "core/domain/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace alabos {

// One parameter a task template accepts, checked at submit (QGroundControl-style metadata).
struct ParameterSpec
{
    QString name;
    QString type = QStringLiteral("number"); // number, integer, string, boolean
    QString unit;
    std::optional<double> min;
    std::optional<double> max;
    QJsonValue defaultValue;
};

struct TaskTemplate
{
    QString name;       // unique within the workflow
    QString deviceType; // what it needs (empty only for an operator step with a device name)
    QString command;    // the driver command it runs; "prompt" asks an operator instead
    double durationS = 0;
    QStringList dependsOn;  // names of other tasks
    QJsonObject parameters; // fixed parameters passed to the command
    // Engine settings (optional), stored with each task so recovery has them:
    QString deviceName;          // a device by exact name instead of by type
    QJsonObject resources;       // {"devices":[{"type"|"name"}], "positions":[..],
                                 // "positions_under":{"parent","count"}}
    QList<ParameterSpec> schema; // what a submission may set
    double timeoutS = 0;         // 0: from the expected duration
    QString cleanup;             // command run on the device after a cancellation
    QJsonObject prompt;          // {"message","options":[..],"timeout_s"} for command "prompt"
    bool rerunSafe = true;       // after a crash the device cannot tell about: rerun or ask

    // `schema` as parameter_schema JSON: {name: {type, unit, min, max, default|required}}.
    QJsonObject schemaJson() const;
};

// A named DAG of task templates.
struct WorkflowTemplate
{
    // Beyond these a template is refused by fromJson() with a message: far more than any
    // workflow a person draws, small enough that checking one stays instant.
    static constexpr int kMaxTasks = 1000;
    static constexpr int kMaxNameLength = 200; // template, task, device type, device, command

    QString name;
    QList<TaskTemplate> tasks;

    // Parses and validates (unique names, known dependencies, no cycles, schemas whose
    // defaults are in range); on failure the message names the template, task and field.
    static std::optional<WorkflowTemplate> fromJson(const QJsonObject &json, QString *error);
    QJsonObject toJson() const;
    // Task indices in an order where every task follows its dependencies.
    QList<int> topologicalOrder() const;
    // Checks a submission's parameters ({task: {name: value}}) against the schemas and
    // returns each task's parameters with defaults filled in, or a message naming the
    // template, task and field.
    std::optional<QList<QJsonObject>> resolveParameters(const QJsonObject &submitted,
                                                        QString *error) const;
};

// The built-in demo workflow: dose, weigh, transfer, fire, grind, measure.
WorkflowTemplate demoSynthesisTemplate();
// The templates shipped in resources/workflows (embedded); errors name the file.
QList<WorkflowTemplate> builtinTemplates(QStringList *errors = nullptr);
// What ships with alabos: the demo workflow and builtinTemplates().
QList<WorkflowTemplate> shippedTemplates(QStringList *errors = nullptr);
// The templates created at run time (workflow_templates), parsed. One that has the name of a
// shipped template is left out (a release may ship a template of a name someone used), and so
// is one that no longer parses; each gets a warning naming it.
QList<WorkflowTemplate> storedTemplates(const QList<WorkflowTemplateRecord> &records,
                                        const QStringList &shippedNames, QStringList *warnings);
// What a console offers for submission: the shipped templates, then the stored ones.
QList<WorkflowTemplate> offeredTemplates(const QList<WorkflowTemplateRecord> &stored,
                                         QStringList *warnings);

} // namespace alabos
