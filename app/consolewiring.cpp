#include "app/consolewiring.h"

#include "app/labruntime.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"

namespace alabos {

void attachConsole(LabRuntime &runtime, ConsoleSession *session, ConsoleServices *services)
{
    QObject::connect(session, &ConsoleSession::commandIssued, &runtime, &LabRuntime::dispatchCommand);
    QObject::connect(&runtime, &LabRuntime::commandReplied, session, &ConsoleSession::onReply);
    LabRuntime *lab = &runtime;
    services->describeDevice = [lab](const QString &id) { return lab->describeDevice(id); };
    services->workflowTemplates = [lab] { return lab->workflowTemplates(); };
}

} // namespace alabos
