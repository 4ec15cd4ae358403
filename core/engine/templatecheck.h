#pragma once
// The one validation of a workflow template: the engine's (WorkflowTemplate::fromJson, the
// workflow.template.save command, a submission's device check) and the console's workflow
// editor call it, so both say the same thing in the same words. It collects every problem
// instead of stopping at the first, so an editor can mark each step and arrow; the engine
// refuses with the first blocking one.
#include "core/engine/workflowtemplate.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>
#include <utility>

namespace alabos {

struct TemplateProblem
{
    enum class Kind
    {
        Template,    // the template as a whole (name, tasks list, limits)
        Task,        // one step's own fields
        Dependency,  // a depends_on entry naming no task of the template
        Cycle,       // steps whose dependencies form a cycle
        Parameter,   // a parameter_schema entry, its default out of range included
        Device,      // a device type or device the lab does not have
        Unconnected, // a step no other step depends on and that depends on none (a warning)
    };
    Kind kind = Kind::Template;
    int task = -1;    // index into "tasks" the message names; -1: the template itself
    QString field;    // the JSON field: "name", "depends_on", "parameter_schema.temperature_c"…
    QString detail;   // the parameter for Parameter, the dependency's name for Dependency
    QList<int> tasks; // every step it concerns (all of a cycle's)
    QList<std::pair<int, int>> edges; // arrows it concerns: (dependency, dependent) indices
    QString message;                  // for a person, naming the template, task and field
    bool blocking = true;             // false: shown, but the template is accepted
};

// What the lab offers and which rules apply. Unset functions skip their check.
struct TemplateCheckContext
{
    std::function<bool(const QString &type)> hasDeviceType;
    std::function<bool(const QString &device)> hasDevice;
    std::function<bool(const QString &name)> isShipped;
    // The rules of a template saved at run time (workflow.template.save): its name's
    // characters and kMaxRunTimeTasks.
    bool runTime = false;
};

constexpr int kMaxRunTimeTasks = 500;

// Checks `json` (the resources/workflows format). `parsed`, when given, receives what could be
// read even with problems (steps that failed their own checks left out).
QList<TemplateProblem> checkTemplate(const QJsonObject &json, const TemplateCheckContext &context,
                                     WorkflowTemplate *parsed = nullptr);
// The device problems alone, for a template already parsed (a submission's check).
QList<TemplateProblem> checkTemplateDevices(const WorkflowTemplate &tmpl,
                                            const TemplateCheckContext &context);
// The first blocking problem's message; empty when there is none.
QString firstBlocking(const QList<TemplateProblem> &problems);

// A value against its spec: empty when it fits, otherwise why ("2500 C is outside 100..1500 C").
QString checkParameterValue(const ParameterSpec &spec, const QJsonValue &value);

} // namespace alabos
