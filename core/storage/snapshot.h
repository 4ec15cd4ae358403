#pragma once
#include "core/domain/types.h"

#include <optional>

namespace alabos {

// The lab as of one event id, read in one repeatable-read transaction: every device, the
// active tasks and workflows with their samples and edges, and the most recent finished
// tasks (at most `recentFinished`).
std::optional<LabSnapshot> loadSnapshot(const QString &connectionString, int recentFinished,
                                        QString *error);

// The workflow templates saved at run time (workflow.template.save), for a console that does
// not load a whole snapshot.
std::optional<QList<WorkflowTemplateRecord>> loadWorkflowTemplates(const QString &connectionString,
                                                                   QString *error);

} // namespace alabos
