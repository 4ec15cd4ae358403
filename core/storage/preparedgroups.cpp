#include "core/storage/preparedgroups.h"

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <vector>

namespace alabos::preparedgroups {

namespace {
struct Prepared
{
    std::string id;
    std::string run;
    qint64 group = 0;
    bool state = false;
};

// Only ids of the exact shape transactionId() makes are touched: another client's prepared
// transactions are none of the writer's business.
std::vector<Prepared> listPrepared(pqxx::connection_base &connection, const std::string &run)
{
    pqxx::nontransaction tx(connection);
    const pqxx::result r =
        tx.exec_params("SELECT gid, split_part(gid, '/', 2), split_part(gid, '/', 3)::bigint, "
                       "split_part(gid, '/', 4) = 'state' FROM pg_prepared_xacts "
                       "WHERE database = current_database() "
                       "AND gid ~ '^alabos-group/[0-9a-f-]{36}/[0-9]{1,18}/(state|log)$' "
                       "AND ($1 = '' OR split_part(gid, '/', 2) = $1) ORDER BY 2, 3",
                       run);
    std::vector<Prepared> out;
    out.reserve(r.size());
    for (const auto &row : r)
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<qint64>(),
                       row[3].as<bool>()});
    return out;
}

// COMMIT PREPARED or ROLLBACK PREPARED; false when another session finished it first or is
// finishing it now.
bool finish(pqxx::connection_base &connection, const std::string &id, bool commit)
{
    try {
        pqxx::nontransaction tx(connection);
        tx.exec0(std::string(commit ? "COMMIT PREPARED " : "ROLLBACK PREPARED ") + tx.quote(id));
        return true;
    } catch (const pqxx::sql_error &e) {
        // 42704: no such prepared transaction; 55000: another session is finishing it.
        if (e.sqlstate() == "42704" || e.sqlstate() == "55000") return false;
        throw;
    }
}

constexpr auto kLockNotAvailable = "55P03";
} // namespace

std::string transactionId(const QString &run, qint64 group, Part part)
{
    return "alabos-group/" + run.toStdString() + '/' + std::to_string(group) +
           (part == Part::State ? "/state" : "/log");
}

bool available(pqxx::connection_base &connection)
{
    pqxx::nontransaction tx(connection);
    return tx.exec1("SELECT current_setting('max_prepared_transactions')::int >= 2")[0].as<bool>();
}

Outcome settle(pqxx::connection_base &lockConnection, pqxx::connection_base &finishConnection,
               const QString &run)
{
    Outcome outcome;
    std::map<std::string, std::vector<Prepared>> byRun;
    for (Prepared &p : listPrepared(finishConnection, run.toStdString()))
        byRun[p.run].push_back(std::move(p));
    for (auto &[writerRun, parts] : byRun) {
        // A few rounds: rolling back a prepared state part frees the run's row for the next.
        for (int round = 0; round < 3 && !parts.empty(); ++round) {
            pqxx::work lock(lockConnection);
            std::optional<qint64> lastGroup;
            bool locked = true;
            try {
                const pqxx::result row =
                    lock.exec_params("SELECT last_group FROM writer_progress WHERE run = $1::uuid "
                                     "FOR UPDATE NOWAIT",
                                     writerRun);
                if (!row.empty()) lastGroup = row[0][0].as<qint64>();
            } catch (const pqxx::sql_error &e) {
                if (e.sqlstate() != kLockNotAvailable) throw;
                locked = false;
            }
            if (locked) {
                // No state part of the run is open or prepared: every part left is decided.
                for (const Prepared &p : parts) {
                    const bool wentIn = !p.state && lastGroup && *lastGroup >= p.group;
                    outcome.finished += finish(finishConnection, p.id, wentIn) ? 1 : 0;
                }
                lock.commit();
            } else {
                lock.abort();
                // A prepared state part holds the row: its group has not gone in, and rolling
                // it back makes sure it never will. Otherwise a writer is writing its group
                // now and finishes its own parts.
                bool rolledBack = false;
                for (const Prepared &p : parts)
                    if (p.state) {
                        outcome.finished += finish(finishConnection, p.id, false) ? 1 : 0;
                        rolledBack = true;
                    }
                if (!rolledBack) break;
            }
            parts = listPrepared(finishConnection, writerRun);
        }
        outcome.left += int(parts.size());
    }
    return outcome;
}

} // namespace alabos::preparedgroups
