// WorkflowTemplate::fromJson on any JSON: refuses with a message, or gives a template whose
// tasks all have a place in the topological order, which reads back from its own toJson()
// and resolves an empty submission without crashing.
#include "core/engine/workflowtemplate.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonDocument>

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    const QJsonObject json = QJsonDocument::fromJson(fuzz::bytes(data, size)).object();
    QString error;
    const auto workflow = WorkflowTemplate::fromJson(json, &error);
    if (!workflow) {
        if (error.isEmpty()) abort();
        return 0;
    }
    if (workflow->topologicalOrder().size() != workflow->tasks.size()) abort();
    const auto again = WorkflowTemplate::fromJson(workflow->toJson(), &error);
    if (!again || again->toJson() != workflow->toJson()) abort();
    // A submission that sets nothing, then one that sets every parameter to the input's own
    // values: both are answered, never crash.
    workflow->resolveParameters({}, &error);
    QJsonObject submitted;
    for (const TaskTemplate &task : workflow->tasks)
        submitted.insert(task.name, task.parameters);
    workflow->resolveParameters(submitted, &error);
    return 0;
}
