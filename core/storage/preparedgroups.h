#pragma once
#include <QString>
#include <pqxx/connection>
#include <string>

namespace alabos::preparedgroups {

// A busy writer's group is written on two connections at once, so that two server processes
// share its work, and committed as one by PostgreSQL's two-phase commit. The state part (the
// entities' rows) carries the group's number into writer_progress and is committed first; the
// log part (events, audit rows, devices) after it. So a group went in exactly when
// writer_progress.last_group of its run has reached it, and a part left prepared by a writer
// that died is committed or rolled back by that rule.
enum class Part
{
    State,
    Log
};

// The global transaction id of one part of one group of a writer's run.
std::string transactionId(const QString &run, qint64 group, Part part);

// What settle() did.
struct Outcome
{
    int finished = 0; // parts committed or rolled back
    int left = 0;     // parts still prepared: a live writer's group in progress
};

// Finishes the prepared parts of `run` (of every run when empty) by the rule above. The run's
// writer_progress row is locked on `lockConnection` meanwhile: a state part holds that lock
// from its group's start until it is committed or rolled back, so a part whose state part is
// still being written (a live writer's group) is left alone, and one whose state part is
// prepared is decided by rolling that back first. `finishConnection` issues COMMIT PREPARED and
// ROLLBACK PREPARED, which cannot run inside the lock's transaction. Throws what the
// connections throw.
Outcome settle(pqxx::connection_base &lockConnection, pqxx::connection_base &finishConnection,
               const QString &run = {});

// Whether the server can prepare the two parts (max_prepared_transactions of at least 2).
bool available(pqxx::connection_base &connection);

} // namespace alabos::preparedgroups
