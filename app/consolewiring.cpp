#include "app/consolewiring.h"

#include "app/labruntime.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"

#include <QPointer>
#include <QThreadPool>

namespace alabos {

void attachConsole(LabRuntime &runtime, ConsoleSession *session, ConsoleServices *services)
{
    QObject::connect(session, &ConsoleSession::commandIssued, &runtime, &LabRuntime::dispatchCommand);
    QObject::connect(&runtime, &LabRuntime::commandReplied, session, &ConsoleSession::onReply);
    LabRuntime *lab = &runtime;
    services->describeDevice = [lab](const QString &id) { return lab->describeDevice(id); };
    services->workflowTemplates = [lab] { return lab->workflowTemplates(); };
    services->exportLab = [lab](const QString &path, QObject *context,
                                std::function<void(const QString &)> done) {
        QThreadPool::globalInstance()->start(
            [lab, path, guard = QPointer<QObject>(context), done = std::move(done)] {
                QString error;
                if (!lab->exportLab(path, &error) && error.isEmpty())
                    error = QObject::tr("the lab could not be exported");
                if (QObject *c = guard.data())
                    QMetaObject::invokeMethod(c, [done, error] { done(error); });
            });
    };
}

} // namespace alabos
