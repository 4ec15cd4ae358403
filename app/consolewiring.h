#pragma once

namespace alabos {

class ConsoleAlarms;
class ConsoleServices;
class ConsoleSession;
class LabRuntime;

// Connects a console (its session and services) to the lab running in this process.
void attachConsole(LabRuntime &runtime, ConsoleSession *session, ConsoleServices *services);
// The alarms of the scheduler in this process reach the console's alarms directly, so that
// they show while the broker or the database is away; the ones open now as well.
void showOwnAlarms(LabRuntime &runtime, ConsoleAlarms *alarms);

} // namespace alabos
