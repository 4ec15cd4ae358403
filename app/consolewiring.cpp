#include "app/consolewiring.h"

#include "app/labruntime.h"
#include "core/engine/schedulepredictor.h"
#include "ui/alarmtablemodel.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"

#include <QPointer>
#include <QThreadPool>

namespace alabos {

namespace {
// Runs `work` (which returns an error, empty for success) on the thread pool, never on the
// UI thread; `done` gets the error on `context`'s thread if the context still exists.
void offUiThread(QObject *context, std::function<QString()> work,
                 std::function<void(const QString &)> done)
{
    QThreadPool::globalInstance()->start(
        [guard = QPointer<QObject>(context), work = std::move(work), done = std::move(done)] {
            const QString error = work();
            if (QObject *c = guard.data())
                QMetaObject::invokeMethod(c, [done, error] { done(error); });
        });
}
} // namespace

void attachConsole(LabRuntime &runtime, ConsoleSession *session, ConsoleServices *services)
{
    QObject::connect(session, &ConsoleSession::commandIssued, &runtime,
                     &LabRuntime::dispatchCommand);
    QObject::connect(&runtime, &LabRuntime::commandReplied, session, &ConsoleSession::onReply);
    QObject::connect(session, &ConsoleSession::signedOut, &runtime, &LabRuntime::signOut);
    LabRuntime *lab = &runtime;
    services->signIn = [lab](const SignInRequest &request, QObject *context,
                             std::function<void(const SignInResult &)> done) {
        lab->signIn(request, context, std::move(done));
    };
    services->signOut = [lab](const QString &sessionId) { lab->signOut(sessionId); };
    services->signaturePolicy = [lab] { return lab->signaturePolicy(); };
    if (!runtime.consoleOnly()) {
        services->adminPasswordMissing = [lab] { return lab->adminPasswordMissing(); };
        services->setFirstAdminPassword = [lab](const QString &password, QObject *context,
                                                std::function<void(const QString &)> done) {
            offUiThread(
                context,
                [lab, password] {
                    QString error;
                    if (!lab->setFirstAdminPassword(password, &error) && error.isEmpty())
                        error = QObject::tr("the password could not be set");
                    return error;
                },
                std::move(done));
        };
    }
    if (!runtime.consoleOnly()) {
        services->scheduleSnapshot = [lab](QObject *context,
                                           std::function<void(const ScheduleSnapshot &)> done) {
            LabEngine *engine = lab->engine();
            if (!engine) return;
            // Taken on the engine thread (its sole owner), handed back through the runtime,
            // which lives on the UI thread, where the context can be checked.
            QMetaObject::invokeMethod(
                engine,
                [engine, lab, guard = QPointer<QObject>(context), done = std::move(done)] {
                    ScheduleSnapshot snapshot = engine->scheduleSnapshot();
                    QMetaObject::invokeMethod(
                        lab,
                        [guard, done, snapshot = std::move(snapshot)] {
                            if (guard) done(snapshot);
                        },
                        Qt::QueuedConnection);
                },
                Qt::QueuedConnection);
        };
    }
    services->describeDevice = [lab](const QString &id) { return lab->describeDevice(id); };
    services->workflowTemplates = [lab] { return lab->workflowTemplates(); };
    services->exportLab = [lab](const QString &path, QObject *context,
                                std::function<void(const QString &)> done) {
        offUiThread(
            context,
            [lab, path] {
                QString error;
                if (!lab->exportLab(path, &error) && error.isEmpty())
                    error = QObject::tr("the lab could not be exported");
                return error;
            },
            std::move(done));
    };
}

void showOwnAlarms(LabRuntime &runtime, ConsoleAlarms *alarms)
{
    QObject::connect(&runtime, &LabRuntime::alarmPublished, alarms, &ConsoleAlarms::applyLocal);
    runtime.announceOpenAlarms();
}

} // namespace alabos
