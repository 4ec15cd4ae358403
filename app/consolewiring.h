#pragma once

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class LabRuntime;

// Connects a console (its session and services) to the lab running in this process.
void attachConsole(LabRuntime &runtime, ConsoleSession *session, ConsoleServices *services);

} // namespace alabos
