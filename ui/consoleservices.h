#pragma once
// What the console's panels may ask for beyond the live models and operator commands:
// read-only queries on a worker thread, and descriptions the running lab provides. The
// application fills it in; a console without an engine leaves the lab parts empty.
#include "core/drivers/devicedriver.h"
#include "core/engine/workflowtemplate.h"
#include "core/security/sessions.h"
#include "core/security/signatures.h"

#include <QObject>
#include <functional>

namespace alabos {

class DatabaseReader;
struct ScheduleSnapshot;

class ConsoleServices : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleServices(QObject *parent = nullptr) : QObject(parent) {}

    // Runs read-only queries off the UI thread; null when there is no database.
    DatabaseReader *reader = nullptr;
    // The commands a device's driver describes (for generated command forms).
    std::function<QList<CommandDescription>(const QString &deviceId)> describeDevice;
    // The scheduler's queue, devices and running tasks, taken on the engine's thread; `done`
    // runs on `context`'s thread unless the context is gone. Empty function: this console
    // runs no scheduler.
    std::function<void(QObject *context, std::function<void(const ScheduleSnapshot &)> done)>
        scheduleSnapshot;
    // The workflow templates the engine knows.
    std::function<QList<WorkflowTemplate>()> workflowTemplates;
    // Writes the lab the database holds (devices with their driver settings, positions) as
    // a lab file, off the UI thread; `done` runs on `context`'s thread with the error
    // (empty: written). Empty function: this console cannot export.
    std::function<void(const QString &path, QObject *context,
                       std::function<void(const QString &error)> done)>
        exportLab;
    // Sign-in and sign-out go to the scheduler; `done` runs on `context`'s thread.
    std::function<void(const SignInRequest &request, QObject *context,
                       std::function<void(const SignInResult &result)> done)>
        signIn;
    std::function<void(const QString &sessionId)> signOut;
    // Which command kinds need an electronic signature, and the reasons; empty function:
    // this console asks for none (the scheduler still refuses what needs one).
    std::function<SignaturePolicy()> signaturePolicy;
    // Where this process serves the REST API now; empty: it does not.
    std::function<QString()> apiAddress;
    // A new database's administrator has no password: the first person at the scheduler's
    // console chooses it. Empty functions: not this console's to set.
    std::function<bool()> adminPasswordMissing;
    std::function<void(const QString &password, QObject *context,
                       std::function<void(const QString &error)> done)>
        setFirstAdminPassword;
};

} // namespace alabos
