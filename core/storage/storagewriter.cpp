#include "core/storage/storagewriter.h"

#include "core/domain/eventkinds.h"
#include "core/domain/logging.h"
#include "core/storage/binarycopy.h"
#include "core/storage/preparedgroups.h"
#include "core/storage/rowjson.h"
#include "core/storage/userdirectory.h"
#include "core/storage/utf8text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>
#include <array>
#include <charconv>
#include <chrono>
#include <future>
#include <optional>
#include <pqxx/pqxx>
#include <vector>

namespace alabos {

namespace {

// Rows arrive as one array per column (the state tables a task changes: workflows, tasks,
// samples, devices) or as one JSON array per table (the rarer ones): a few parameters, no SQL
// built from data, and a few statements per group however many rows it has. Arrays of
// columns cost the server less than reading JSON (about a fifth less for a group of workflow
// rows). DISTINCT ON keeps the last version of an entity that changed twice in the same group.
// JSON arrays are read as json, not jsonb: each is read once, row by row, so building jsonb's
// sorted binary form first is work thrown away.
constexpr auto kUpsertWorkflows = R"SQL(
INSERT INTO workflows (id, template, status, samples, created_at, finished_at)
SELECT DISTINCT ON (id) id, template, status, samples::bigint[],
       'epoch'::timestamptz + created_us * interval '1 microsecond',
       CASE WHEN finished_us > 0 THEN 'epoch'::timestamptz + finished_us * interval '1 microsecond' END
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
     WITH ORDINALITY AS x(id, template, status, samples, created_us, finished_us, ord)
ORDER BY id, ord DESC
ON CONFLICT (id) DO UPDATE SET status = excluded.status, samples = excluded.samples,
    finished_at = excluded.finished_at
)SQL";

// Task rows, the hot path of the group commit, arrive as one array per column: no JSON to
// build on the writer thread or to parse on the server (only parameters is jsonb). What a
// running task holds is stored on its row (migration 0017): given with the version that starts
// it; a later running version without it (a recovered task) keeps it; any other status holds
// nothing.
constexpr auto kUpsertTasks = R"SQL(
INSERT INTO tasks (id, workflow_id, name, device_type, device_id, status, priority, attempts,
                   samples, parameters, message, created_at, started_at, finished_at, queue_rank,
                   leased_devices, leased_positions)
SELECT DISTINCT ON (id) id, workflow_id, name, device_type, device_id, status, priority, attempts,
       samples::bigint[], parameters::jsonb, message,
       'epoch'::timestamptz + created_us * interval '1 microsecond',
       CASE WHEN started_us > 0 THEN 'epoch'::timestamptz + started_us * interval '1 microsecond' END,
       CASE WHEN finished_us > 0 THEN 'epoch'::timestamptz + finished_us * interval '1 microsecond' END,
       queue_rank,
       CASE WHEN status = 'running' THEN leased_devices::text[] ELSE '{}' END,
       CASE WHEN status = 'running' THEN leased_positions::text[] ELSE '{}' END
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
            $7::integer[], $8::integer[], $9::text[], $10::text[], $11::text[], $12::bigint[],
            $13::bigint[], $14::bigint[], $15::bigint[], $16::text[], $17::text[]) WITH ORDINALITY
     AS x(id, workflow_id, name, device_type, device_id, status, priority, attempts, samples,
          parameters, message, created_us, started_us, finished_us, queue_rank, leased_devices,
          leased_positions, ord)
ORDER BY id, ord DESC
ON CONFLICT (id) DO UPDATE SET device_id = excluded.device_id, status = excluded.status,
    priority = excluded.priority, attempts = excluded.attempts, samples = excluded.samples,
    parameters = excluded.parameters, message = excluded.message,
    started_at = excluded.started_at, finished_at = excluded.finished_at,
    queue_rank = excluded.queue_rank,
    leased_devices = CASE WHEN excluded.status = 'running' AND
                               cardinality(excluded.leased_devices) +
                               cardinality(excluded.leased_positions) = 0
                          THEN tasks.leased_devices ELSE excluded.leased_devices END,
    leased_positions = CASE WHEN excluded.status = 'running' AND
                                 cardinality(excluded.leased_devices) +
                                 cardinality(excluded.leased_positions) = 0
                            THEN tasks.leased_positions ELSE excluded.leased_positions END
)SQL";

// Engine tables (migration 0003): prompts, sample positions.
constexpr auto kUpsertPrompts = R"SQL(
INSERT INTO prompts (id, task_id, device_id, message, options, status, answer, note, answered_by,
                     created_at, expires_at, answered_at)
SELECT DISTINCT ON (id) id, nullif(task_id, 0), coalesce(device_id, ''), message,
       coalesce(options, '[]'), status, coalesce(answer, ''), coalesce(note, ''),
       coalesce(answered_by, ''),
       'epoch'::timestamptz + created_us * interval '1 microsecond',
       CASE WHEN expires_us > 0 THEN 'epoch'::timestamptz + expires_us * interval '1 microsecond' END,
       CASE WHEN answered_us > 0 THEN 'epoch'::timestamptz + answered_us * interval '1 microsecond' END
FROM ROWS FROM (json_to_recordset($1::json) AS (id bigint, task_id bigint, device_id text,
     message text, options jsonb, status text, answer text, note text, answered_by text,
     created_us bigint, expires_us bigint, answered_us bigint)) WITH ORDINALITY
     AS x(id, task_id, device_id, message, options, status, answer, note, answered_by,
          created_us, expires_us, answered_us, ord)
ORDER BY id, ord DESC
ON CONFLICT (id) DO UPDATE SET status = excluded.status, answer = excluded.answer,
    note = excluded.note, answered_by = excluded.answered_by, answered_at = excluded.answered_at
)SQL";

constexpr auto kUpsertPositions = R"SQL(
INSERT INTO sample_positions (name, parent, device_id)
SELECT DISTINCT ON (name) name, coalesce(parent, ''), coalesce(device_id, '')
FROM ROWS FROM (json_to_recordset($1::json) AS (name text, parent text, device_id text,
     removed boolean)) WITH ORDINALITY AS x(name, parent, device_id, removed, ord)
ORDER BY name, ord DESC
ON CONFLICT (name) DO UPDATE SET parent = excluded.parent, device_id = excluded.device_id
)SQL";

constexpr auto kDeletePositions = R"SQL(
DELETE FROM sample_positions p USING (
    SELECT DISTINCT ON (name) name, removed
    FROM ROWS FROM (json_to_recordset($1::json) AS (name text, removed boolean))
         WITH ORDINALITY AS x(name, removed, ord)
    ORDER BY name, ord DESC) r
WHERE p.name = r.name AND r.removed
)SQL";

// Run-time workflow templates (0003): a template saved again replaces its definition.
constexpr auto kUpsertTemplates = R"SQL(
INSERT INTO workflow_templates (name, definition, created_by)
SELECT DISTINCT ON (name) name, definition, coalesce(created_by, '')
FROM ROWS FROM (json_to_recordset($1::json) AS (name text, definition jsonb, created_by text))
     WITH ORDINALITY AS x(name, definition, created_by, ord)
ORDER BY name, ord DESC
ON CONFLICT (name) DO UPDATE SET definition = excluded.definition,
    created_by = excluded.created_by, created_at = now()
)SQL";

constexpr auto kInsertEdges = R"SQL(
INSERT INTO task_edges (workflow_id, from_task, to_task)
SELECT workflow_id, from_task, to_task
FROM json_to_recordset($1::json) AS x(workflow_id bigint, from_task bigint, to_task bigint)
ON CONFLICT DO NOTHING
)SQL";

constexpr auto kUpsertSamples = R"SQL(
INSERT INTO samples (id, barcode, position, workflow_id, metadata, created_at)
SELECT DISTINCT ON (id) id, barcode, nullif(position, ''), nullif(workflow_id, 0),
       metadata::jsonb, 'epoch'::timestamptz + created_us * interval '1 microsecond'
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
     WITH ORDINALITY AS x(id, barcode, position, workflow_id, metadata, created_us, ord)
ORDER BY id, ord DESC
ON CONFLICT (id) DO UPDATE SET position = excluded.position, workflow_id = excluded.workflow_id,
    metadata = excluded.metadata
)SQL";

// The group's distinct device types, one small array: the device rows are not parsed twice.
constexpr auto kInsertDeviceTypes = R"SQL(
INSERT INTO device_types (name)
SELECT unnest($1::text[])
ON CONFLICT DO NOTHING
)SQL";

constexpr auto kUpsertDevices = R"SQL(
INSERT INTO devices (id, type, status, current_task, tasks_completed, updated_at)
SELECT DISTINCT ON (id) id, type, status, nullif(current_task, 0), tasks_completed,
       'epoch'::timestamptz + updated_us * interval '1 microsecond'
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
     WITH ORDINALITY AS x(id, type, status, current_task, tasks_completed, updated_us, ord)
ORDER BY id, ord DESC
ON CONFLICT (id) DO UPDATE SET type = excluded.type, status = excluded.status,
    current_task = excluded.current_task, tasks_completed = excluded.tasks_completed,
    updated_at = excluded.updated_at
)SQL";

// A device's driver config changes only when it is registered or reconfigured: written apart
// from the status upsert, which runs for every status change.
constexpr auto kUpdateDeviceConfigs = R"SQL(
UPDATE devices SET config = x.config
FROM (SELECT DISTINCT ON (id) id, config
      FROM ROWS FROM (json_to_recordset($1::json) AS (id text, config jsonb)) WITH ORDINALITY
           AS r(id, config, ord)
      ORDER BY id, ord DESC) AS x
WHERE devices.id = x.id
)SQL";

// Thrown inside a group transaction when another scheduler raised the epoch.
struct FencedOff : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

// The fence and the group's number; a writer no scheduler runs (epoch -1) has no fence.
constexpr auto kBeginGroup = R"SQL(
WITH leader AS (SELECT 1 FROM scheduler_leader WHERE epoch = $1 FOR SHARE)
INSERT INTO writer_progress (run, last_group) SELECT $2::uuid, $3
WHERE $1 < 0 OR EXISTS (SELECT FROM leader)
ON CONFLICT (run) DO UPDATE SET last_group = excluded.last_group, updated_at = now()
)SQL";

// Two parts wait for each other outside the server, where its deadlock detector cannot see:
// a part stuck behind another client's lock gives up, and the group is retried one change set
// per transaction.
constexpr auto kPartLockTimeout = "SET LOCAL lock_timeout = '30s'";

// Failures that say nothing about the change set: the connection, or the server's resources
// (class 53: disk full, out of memory, too many connections; 57P0x: the server shutting down
// or starting). The work stays pending and is retried; only the rest is refused for good.
bool isConnectionProblem(const std::exception &e)
{
    if (dynamic_cast<const pqxx::broken_connection *>(&e) ||
        dynamic_cast<const pqxx::in_doubt_error *>(&e))
        return true;
    const auto *sql = dynamic_cast<const pqxx::sql_error *>(&e);
    if (!sql) return false;
    const std::string &state = sql->sqlstate();
    return state.starts_with("53") || state.starts_with("57P0") || state.starts_with("08");
}

// What the console shows for a failure that isConnectionProblem() keeps pending.
QString describeOutage(const std::exception &e)
{
    const QString why = QString::fromUtf8(e.what()).trimmed().section(u'\n', 0, 0);
    const auto *sql = dynamic_cast<const pqxx::sql_error *>(&e);
    if (sql && sql->sqlstate() == "53100")
        return QObject::tr("The database cannot write, its disk is full (%1); nothing is lost, "
                           "the lab's changes wait until there is room")
            .arg(why);
    return why;
}

} // namespace

StorageWriter::StorageWriter(QString connectionString, QObject *parent)
    : QObject(parent), m_connectionString(std::move(connectionString)), m_retryTimer(this),
      m_run(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &StorageWriter::flush);
}

StorageWriter::~StorageWriter() = default;

void StorageWriter::setLeaderEpoch(qint64 epoch)
{
    m_leaderEpoch = epoch;
    m_run = QUuid::createUuid().toString(QUuid::WithoutBraces);
}

namespace {
qint64 steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

qint64 StorageWriter::waitingForDatabaseMs() const
{
    const qint64 since = m_transactionSinceMs.load(std::memory_order_relaxed);
    return since == 0 ? 0 : steadyMs() - since;
}

void StorageWriter::beginGroup(pqxx::transaction_base &tx, bool record)
{
    if (m_leaderEpoch < 0 && !record) return;
    ++m_group;
    const pqxx::result r = tx.exec_params(kBeginGroup, m_leaderEpoch, m_run.toStdString(), m_group);
    if (r.affected_rows() == 0)
        throw FencedOff(tr("another scheduler took over this lab (the leader epoch is no longer "
                           "%1); this one commits nothing more")
                            .arg(m_leaderEpoch)
                            .toStdString());
}

void StorageWriter::markInDoubt(const std::exception &e, qsizetype count)
{
    // A group in two parts may have been prepared, or half committed, whatever failed.
    if (m_twoPartsGroup != 0) {
        m_inDoubtGroup = m_twoPartsGroup;
        m_inDoubtCount = count;
        m_twoPartsGroup = 0;
        return;
    }
    if (m_leaderEpoch < 0 || !dynamic_cast<const pqxx::in_doubt_error *>(&e)) return;
    m_inDoubtGroup = m_group;
    m_inDoubtCount = count;
}

bool StorageWriter::settleInDoubt()
{
    if (m_inDoubtCount == 0) return true;
    try {
        if (m_twoParts && !settlePreparedParts()) {
            dropConnection(tr("a transaction of this writer is still open on the server"));
            return false;
        }
        pqxx::nontransaction tx(*m_connection);
        const pqxx::result r = tx.exec_params(
            "SELECT last_group FROM writer_progress WHERE run = $1::uuid", m_run.toStdString());
        const bool wentIn = !r.empty() && r[0][0].as<qint64>() == m_inDoubtGroup;
        qCWarning(lcStorage) << "a commit's outcome was unknown (the connection died during "
                                "COMMIT):"
                             << (wentIn ? "it went in" : "it did not; committing again");
        if (wentIn) {
            QList<quint64> tickets;
            const qsizetype count = qMin(m_inDoubtCount, m_pending.size());
            for (qsizetype i = 0; i < count; ++i)
                tickets.append(m_pending[i].first);
            m_pending.remove(0, count);
            if (!tickets.isEmpty()) Q_EMIT committed(tickets);
        }
        m_inDoubtCount = 0;
        return true;
    } catch (const std::exception &e) {
        dropConnection(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

void StorageWriter::submit(quint64 ticket, const ChangeSet &changes)
{
    m_pending.append({ticket, changes});
    if (m_pending.size() > m_maxBacklog) m_maxBacklog = m_pending.size();
    scheduleFlush();
}

StorageWriter::Totals StorageWriter::totals() const
{
    Totals t{m_encodeUs.load(),        m_commitUs.load(),
             m_groupsCommitted.load(), m_changeSetsCommitted.load(),
             m_maxBacklog.load(),      m_taskRows.load(),
             m_deviceRows.load(),      m_eventRows.load()};
    for (size_t i = 0; i < t.stepUs.size(); ++i)
        t.stepUs[i] = m_stepUs[i].load();
    return t;
}

int StorageWriter::flushNow()
{
    flush();
    return int(m_pending.size());
}

void StorageWriter::scheduleFlush()
{
    // Posted, so every submission already queued behind this one joins the same group.
    if (m_flushScheduled || m_retryTimer.isActive()) return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &StorageWriter::flush, Qt::QueuedConnection);
}

bool StorageWriter::ensureConnected()
{
    if (m_connection && m_connection->is_open()) return true;
    try {
        // Connected is not enough (a full disk refuses every write): the outage ends with the
        // first commit (markWorking).
        m_connection =
            std::make_unique<binarycopy::LibpqConnection>(m_connectionString.toStdString());
        m_twoParts = preparedgroups::available(*m_connection);
        if (!m_twoParts)
            qCInfo(lcStorage) << "the database allows no prepared transactions "
                                 "(max_prepared_transactions < 2): each group commits in one "
                                 "transaction";
        return true;
    } catch (const std::exception &e) {
        dropConnection(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

void StorageWriter::fence(const QString &message)
{
    m_fenced = true;
    m_retryTimer.stop();
    qCCritical(lcStorage).noquote() << message;
    Q_EMIT fenced(message);
}

void StorageWriter::markWorking()
{
    if (m_connected) return;
    m_connected = true;
    m_retryDelayMs = 100;
    Q_EMIT connectionChanged(true, tr("Database connected"));
}

void StorageWriter::dropConnection(const QString &why)
{
    m_connection.reset();
    m_logConnection.reset();
    if (m_connected || m_retryDelayMs == 100) {
        qCWarning(lcStorage).noquote() << "database unreachable:" << why;
        Q_EMIT connectionChanged(false, tr("Database unreachable: %1").arg(why));
    }
    m_connected = false;
    m_retryTimer.start(m_retryDelayMs);
    m_retryDelayMs = qMin(m_retryDelayMs * 2, 5000);
}

namespace {
// Appends one table's rows of every change set of the group to one JSON array, in order.
template <typename T, typename F>
std::string groupRows(const QList<const ChangeSet *> &group, QList<T> ChangeSet::*member,
                      F &&toJson)
{
    QJsonArray rows;
    for (const ChangeSet *c : group)
        for (const T &item : c->*member)
            rows.append(toJson(item));
    return rows.isEmpty() ? std::string() : storableJson(QJsonValue(rows));
}

// Every version of one table's state rows in the group, in order (the server keeps the last).
template <typename T>
std::vector<const T *> allVersions(const QList<const ChangeSet *> &group,
                                   QList<T> ChangeSet::*member)
{
    std::vector<const T *> rows;
    for (const ChangeSet *c : group)
        for (const T &item : c->*member)
            rows.push_back(&item);
    return rows;
}

// The last version of each entity of one table in the group, where its first version was:
// the server keeps only that one (DISTINCT ON), so the others would cost encoding and transfer
// for nothing. Their events are built from the change sets' own rows, not from these. With
// `stored`, only the versions it keeps count.
template <typename T, typename K>
std::vector<const T *> lastVersions(const QList<const ChangeSet *> &group,
                                    QList<T> ChangeSet::*member, K T::*key,
                                    bool (*stored)(const T &) = nullptr)
{
    QHash<K, size_t> rowOf;
    std::vector<const T *> rows;
    for (const ChangeSet *c : group)
        for (const T &item : c->*member) {
            if (stored && !stored(item)) continue;
            const auto at = rowOf.constFind(item.*key);
            if (at == rowOf.cend()) {
                rowOf.insert(item.*key, rows.size());
                rows.push_back(&item);
            } else {
                rows[*at] = &item;
            }
        }
    return rows;
}

// A PostgreSQL array literal in text form, e.g. {1,2} or {"a","b \"c\""}: one parameter
// carries a whole column.
class ArrayLiteral
{
public:
    void add(qint64 value)
    {
        separate();
        char digits[24];
        m_text.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
    }
    void add(const QString &value)
    {
        separate();
        m_text += '"';
        utf8text::append(m_text, value, escape);
        m_text += '"';
    }
    void add(const std::string &value)
    {
        separate();
        m_text += '"';
        for (const char c : value)
            if (!escape(m_text, c)) m_text += c;
        m_text += '"';
    }
    std::string take()
    {
        m_text += '}';
        return std::move(m_text);
    }

private:
    static bool escape(std::string &out, char c)
    {
        if (utf8text::nulAsReplacement(out, c)) return true;
        if (c != '"' && c != '\\') return false;
        out += '\\';
        out += c;
        return true;
    }
    void separate()
    {
        if (m_text.size() > 1) m_text += ',';
    }
    std::string m_text = "{";
};

// A list (ids, names) as the array literal of one element of a text[] column, cast to an
// array type on the server.
template <typename T> std::string listElement(const QList<T> &items)
{
    ArrayLiteral list;
    for (const T &item : items)
        list.add(item);
    return list.take();
}

// One array literal per column of the table's statement, `addRow` adding each row's values;
// all empty when there are no rows.
template <typename T, size_t N, typename F>
std::array<std::string, N> columnsOf(const std::vector<const T *> &rows, F &&addRow)
{
    if (rows.empty()) return {};
    std::array<ArrayLiteral, N> c;
    for (const T *row : rows)
        addRow(c, *row);
    std::array<std::string, N> out;
    for (size_t i = 0; i < N; ++i)
        out[i] = c[i].take();
    return out;
}

// The group's task rows, one array literal per column of kUpsertTasks: the last version of
// each task, with what it holds when it is running.
std::array<std::string, 17> taskColumns(const QList<const ChangeSet *> &group, RowJson &json,
                                        qint64 *rowCount)
{
    struct Held
    {
        QStringList devices, positions;
    };
    QHash<TaskId, Held> held; // leases granted in this group and not yet released
    for (const ChangeSet *set : group) {
        // Releases first, then grants: a task released and granted again in one change set
        // (re-queued and granted at once) holds the new grant.
        for (const TaskId id : set->releasedLeases)
            held.remove(id);
        for (const ResourceLease &l : set->leases) {
            Held &h = held[l.taskId];
            (l.kind == QLatin1StringView("device") ? h.devices : h.positions).append(l.name);
        }
    }
    const std::vector<const TaskState *> rows =
        lastVersions(group, &ChangeSet::tasks, &TaskState::id);
    *rowCount += qint64(rows.size());
    return columnsOf<TaskState, 17>(rows, [&held, &json](auto &c, const TaskState &t) {
        c[0].add(t.id);
        c[1].add(t.workflowId);
        c[2].add(t.name);
        c[3].add(t.deviceType);
        c[4].add(t.deviceId);
        c[5].add(toString(t.status));
        c[6].add(t.priority);
        c[7].add(t.attempts);
        c[8].add(listElement(t.samples));
        c[9].add(json.parameters(t.parameters));
        c[10].add(t.message);
        c[11].add(t.createdUs);
        c[12].add(t.startedUs);
        c[13].add(t.finishedUs);
        c[14].add(t.queueRank);
        const auto h = held.constFind(t.id);
        const bool holds = t.status == TaskStatus::Running && h != held.cend();
        c[15].add(holds ? listElement(h->devices) : std::string("{}"));
        c[16].add(holds ? listElement(h->positions) : std::string("{}"));
    });
}

std::array<std::string, 6> workflowColumns(const std::vector<const WorkflowState *> &rows)
{
    return columnsOf<WorkflowState, 6>(rows, [](auto &c, const WorkflowState &w) {
        c[0].add(w.id);
        c[1].add(w.templateName);
        c[2].add(w.status);
        c[3].add(listElement(w.samples));
        c[4].add(w.createdUs);
        c[5].add(w.finishedUs);
    });
}

std::array<std::string, 6> sampleColumns(const std::vector<const SampleState *> &rows)
{
    return columnsOf<SampleState, 6>(rows, [](auto &c, const SampleState &s) {
        c[0].add(s.id);
        c[1].add(s.barcode);
        c[2].add(s.position);
        c[3].add(s.workflowId);
        c[4].add(storableJson(QJsonValue(s.metadata)));
        c[5].add(s.createdUs);
    });
}

std::array<std::string, 6> deviceColumns(const std::vector<const DeviceState *> &rows)
{
    return columnsOf<DeviceState, 6>(rows, [](auto &c, const DeviceState &d) {
        c[0].add(d.id);
        c[1].add(d.type);
        c[2].add(toString(d.status));
        c[3].add(d.currentTask);
        c[4].add(d.tasksCompleted);
        c[5].add(d.updatedUs);
    });
}

} // namespace

// Everything one group writes, encoded and ready to send: built on a helper thread while
// the previous group commits, so the writer thread only talks to the server.
struct StorageWriter::EncodedGroup
{
    std::array<std::string, 6> workflows, samples, devices; // arrays of columns, empty if none
    std::string edges, deviceTypes, deviceConfigs, prompts, positions, templates;
    bool hasTasks = false;
    std::array<std::string, 17> tasks;
    std::string events; // binary COPY, in order: ids follow the group's order
    qint64 eventRows = 0;
    std::string commandAudits;           // jsonb array: the audit rows of the group's commands
    bool hasLogPart() const
    {
        return !events.empty() || !commandAudits.empty() || !devices[0].empty() ||
               !deviceConfigs.empty();
    }
    qint64 taskRows = 0, deviceRows = 0; // rows sent (for totals())
};

StorageWriter::EncodedGroup StorageWriter::encode(const QList<const ChangeSet *> &group)
{
    EncodedGroup e;
    RowJson json;
    e.workflows = workflowColumns(allVersions(group, &ChangeSet::workflows));
    e.edges = groupRows(group, &ChangeSet::edges, [](const TaskEdge &edge) {
        return QJsonObject{{QStringLiteral("workflow_id"), edge.workflowId},
                           {QStringLiteral("from_task"), edge.from},
                           {QStringLiteral("to_task"), edge.to}};
    });
    e.samples = sampleColumns(allVersions(group, &ChangeSet::samples));
    // A device's row never says busy: a running task holding it does (the view device_states,
    // migration 0018), so a grant writes no device row, and a device released and granted again
    // in one group (the usual case while tasks wait for it) is its released version.
    const std::vector<const DeviceState *> devices = lastVersions(
        group, &ChangeSet::devices, &DeviceState::id,
        +[](const DeviceState &d) { return d.status != DeviceStatus::Busy; });
    e.deviceRows = qint64(devices.size());
    e.devices = deviceColumns(devices);
    if (!devices.empty()) {
        QSet<QString> types;
        ArrayLiteral typeArray;
        for (const DeviceState *d : devices)
            if (!types.contains(d->type)) {
                types.insert(d->type);
                typeArray.add(d->type);
            }
        e.deviceTypes = typeArray.take();
    }
    e.deviceConfigs = groupRows(group, &ChangeSet::deviceConfigs, [](const DeviceConfig &d) {
        return QJsonObject{{QStringLiteral("id"), d.id}, {QStringLiteral("config"), d.config}};
    });
    e.prompts =
        groupRows(group, &ChangeSet::prompts, [](const PromptState &p) { return p.toJson(); });
    e.positions =
        groupRows(group, &ChangeSet::positions, [](const PositionState &p) { return p.toJson(); });
    e.templates = groupRows(group, &ChangeSet::templates,
                            [](const WorkflowTemplateRecord &t) { return t.toJson(); });
    qsizetype events = 0;
    for (const ChangeSet *c : group) {
        e.hasTasks = e.hasTasks || !c->tasks.isEmpty();
        events += c->events.size();
    }
    if (e.hasTasks) e.tasks = taskColumns(group, json, &e.taskRows);
    if (events > 0) {
        // Encoded here, on the helper thread, so the writer's thread only sends bytes.
        e.events.reserve(size_t(events) * 512);
        binarycopy::appendHeader(e.events);
        for (const ChangeSet *c : group)
            for (qsizetype i = 0; i < c->events.size(); ++i) {
                const Event &ev = c->events.at(i);
                binarycopy::appendRowStart(e.events, 5);
                binarycopy::appendText(e.events, ev.entityType);
                binarycopy::appendText(e.events, ev.entityId);
                binarycopy::appendText(e.events, ev.kind);
                binarycopy::appendTextWith(e.events, [&json, c, i](std::string &out) {
                    json.appendEventPayload(out, *c, i);
                });
                binarycopy::appendTimestamp(e.events, ev.timeUs);
            }
        binarycopy::appendTrailer(e.events);
        e.eventRows = events;
    }
    // A command's outcome goes to the audit trail in the same transaction as what it did;
    // events are dropped by retention, audit_log never.
    QJsonArray audits;
    for (const ChangeSet *c : group)
        for (const Event &ev : c->events)
            if (ev.entityType == QLatin1StringView(entity::Command))
                audits.append(auditRow(
                    ev.payload.value(QLatin1StringView("user")).toString(),
                    ev.payload.value(QLatin1StringView("host")).toString(),
                    ev.kind == eventkind::kCommandAccepted ? QStringLiteral("command")
                                                           : QStringLiteral("command_refused"),
                    QStringLiteral("command"),
                    ev.payload.value(QLatin1StringView("kind")).toString(), ev.payload));
    if (!audits.isEmpty()) e.commandAudits = storableJson(QJsonValue(audits));
    return e;
}

// One statement per table for the whole group, however many change sets it has: the
// per-statement cost (and the rollup triggers, which run once per statement) is paid once.
StorageWriter::EncodedGroup StorageWriter::timedEncode(const QList<const ChangeSet *> &group)
{
    const auto started = std::chrono::steady_clock::now();
    EncodedGroup e = encode(group);
    m_encodeUs += std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
    return e;
}

const std::array<const char *, StorageWriter::kSteps> &StorageWriter::stepNames()
{
    static const std::array<const char *, kSteps> names{"begin",   "workflows", "tasks", "samples",
                                                        "devices", "events",    "other", "commit"};
    return names;
}

namespace {
enum Step
{
    kStepBegin,
    kStepWorkflows,
    kStepTasks,
    kStepSamples,
    kStepDevices,
    kStepEvents,
    kStepOther,
    kStepCommit
};
static_assert(kStepCommit + 1 == StorageWriter::kSteps);

// Adds the time from here to the end of the scope to one step's total, if there are totals.
class StepClock
{
public:
    StepClock(StorageWriter::StepTotals *totals, Step step)
        : m_total(totals ? &(*totals)[step] : nullptr), m_started(std::chrono::steady_clock::now())
    {
    }
    ~StepClock()
    {
        if (m_total)
            *m_total += std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - m_started)
                            .count();
    }

private:
    std::atomic<qint64> *m_total;
    std::chrono::steady_clock::time_point m_started;
};
} // namespace

namespace {
// Runs one statement with one array parameter, timed as `step`; nothing when there are no rows.
void runRows(pqxx::transaction_base &tx, StorageWriter::StepTotals *steps, Step step,
             const char *sql, const std::string &rows)
{
    if (rows.empty()) return;
    StepClock clock(steps, step);
    tx.exec_params0(sql, rows);
}
void runColumns(pqxx::transaction_base &tx, StorageWriter::StepTotals *steps, Step step,
                const char *sql, const std::array<std::string, 6> &c)
{
    if (c[0].empty()) return;
    StepClock clock(steps, step);
    tx.exec_params0(sql, c[0], c[1], c[2], c[3], c[4], c[5]);
}
} // namespace

void StorageWriter::execute(pqxx::dbtransaction &tx, const EncodedGroup &e, StepTotals *steps)
{
    executeState(tx, e, steps);
    executeLog(tx, binarycopy::handleOf(tx), e, steps);
}

void StorageWriter::executeState(pqxx::transaction_base &tx, const EncodedGroup &e,
                                 StepTotals *steps)
{
    auto run = [&tx, steps](Step step, const char *sql, const std::string &rows) {
        runRows(tx, steps, step, sql, rows);
    };
    runColumns(tx, steps, kStepWorkflows, kUpsertWorkflows, e.workflows);
    if (e.hasTasks) {
        StepClock clock(steps, kStepTasks);
        const auto &c = e.tasks;
        tx.exec_params0(kUpsertTasks, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9],
                        c[10], c[11], c[12], c[13], c[14], c[15], c[16]);
    }
    run(kStepSamples, kInsertEdges, e.edges);
    runColumns(tx, steps, kStepSamples, kUpsertSamples, e.samples);
    run(kStepOther, kUpsertPrompts, e.prompts);
    run(kStepOther, kUpsertPositions, e.positions);
    run(kStepOther, kDeletePositions, e.positions);
    run(kStepOther, kUpsertTemplates, e.templates);
}

// Devices refer to nothing the state part writes (a device's busy state is read from the task
// that holds it), and events and audit rows to nothing at all.
void StorageWriter::executeLog(pqxx::transaction_base &tx, pg_conn *libpq, const EncodedGroup &e,
                               StepTotals *steps)
{
    auto run = [&tx, steps](Step step, const char *sql, const std::string &rows) {
        runRows(tx, steps, step, sql, rows);
    };
    run(kStepDevices, kInsertDeviceTypes, e.deviceTypes);
    runColumns(tx, steps, kStepDevices, kUpsertDevices, e.devices);
    run(kStepDevices, kUpdateDeviceConfigs, e.deviceConfigs);
    if (!e.events.empty()) {
        StepClock clock(steps, kStepEvents);
        // Binary COPY: the cheapest way in for rows that are only ever inserted.
        binarycopy::copy(tx, libpq,
                         "COPY events (entity_type, entity_id, kind, payload, created_at) "
                         "FROM STDIN (FORMAT binary)",
                         e.events);
    }
    run(kStepOther, kInsertAuditRows, e.commandAudits);
}

void StorageWriter::commitInTwoParts(const EncodedGroup &e)
{
    using preparedgroups::Part;
    if (!m_logConnection)
        m_logConnection =
            std::make_unique<binarycopy::LibpqConnection>(m_connectionString.toStdString());
    if (m_runRecorded != m_run) {
        // The run's row exists before its first state part: settle() locks it to know whether
        // a state part is still open.
        pqxx::nontransaction tx(*m_connection);
        tx.exec_params0("INSERT INTO writer_progress (run, last_group) VALUES ($1::uuid, $2) "
                        "ON CONFLICT (run) DO NOTHING",
                        m_run.toStdString(), m_group);
        m_runRecorded = m_run;
    }
    m_twoPartsGroup = m_group + 1;
    // Quoted while the connection is known to be up: a failure later names what failed.
    const std::string stateId =
        m_connection->quote(preparedgroups::transactionId(m_run, m_twoPartsGroup, Part::State));
    const std::string logId =
        m_connection->quote(preparedgroups::transactionId(m_run, m_twoPartsGroup, Part::Log));
    auto state = std::make_optional<pqxx::nontransaction>(*m_connection);
    try {
        StepClock clock(&m_stepUs, kStepBegin);
        state->exec0("BEGIN");
        state->exec0(kPartLockTimeout);
        beginGroup(*state, true); // holds the run's row until the state part ends
    } catch (const std::exception &e) {
        // Fenced off or refused before any part began: nothing is in doubt, and the connection
        // must leave its failed transaction for whatever comes next.
        if (!isConnectionProblem(e) && m_connection->is_open()) {
            m_twoPartsGroup = 0;
            try {
                state->exec0("ROLLBACK");
            } catch (const std::exception &) {
                // The next transaction finds out.
            }
        }
        throw;
    }
    std::future<void> log = std::async(std::launch::async, [this, &e, &logId] {
        pqxx::nontransaction tx(*m_logConnection);
        tx.exec0("BEGIN");
        tx.exec0(kPartLockTimeout);
        executeLog(tx, m_logConnection->handle(), e, &m_stepUs);
        tx.exec0("PREPARE TRANSACTION " + logId);
    });
    std::exception_ptr failure;
    try {
        executeState(*state, e, &m_stepUs);
        state->exec0("PREPARE TRANSACTION " + stateId);
    } catch (...) {
        failure = std::current_exception();
    }
    try {
        log.get();
    } catch (...) {
        if (!failure) failure = std::current_exception();
    }
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception &e) {
            // A lost connection leaves the group in doubt, settled after the reconnect; a
            // refusal is rolled back now, and the group is retried one change set at a time.
            if (!isConnectionProblem(e)) {
                state.reset();
                abandonTwoParts();
            }
            throw;
        }
    }
    StepClock clock(&m_stepUs, kStepCommit);
    try {
        state->exec0("COMMIT PREPARED " + stateId);
    } catch (const pqxx::broken_connection &) {
        throw pqxx::in_doubt_error("the connection was lost while committing a group; whether it "
                                   "went in is settled after the reconnect");
    }
    try {
        state->exec0("COMMIT PREPARED " + logId);
    } catch (const std::exception &e) {
        // The group's number is committed: the log part is too, now or when settled, never
        // written again.
        throw pqxx::in_doubt_error(e.what());
    }
    m_twoPartsGroup = 0;
}

void StorageWriter::abandonTwoParts()
{
    m_twoPartsGroup = 0;
    if (!m_connection->is_open() || !m_logConnection->is_open())
        return; // settled after the reconnect
    try {
        // Whichever part was refused is still an open, failed transaction.
        pqxx::nontransaction(*m_connection).exec0("ROLLBACK");
        pqxx::nontransaction(*m_logConnection).exec0("ROLLBACK");
        settlePreparedParts();
    } catch (const std::exception &e) {
        qCWarning(lcStorage).noquote() << "cannot roll back a group's prepared parts yet:"
                                       << QString::fromUtf8(e.what()).trimmed();
    }
}

bool StorageWriter::settlePreparedParts()
{
    if (!m_logConnection || !m_logConnection->is_open())
        m_logConnection =
            std::make_unique<binarycopy::LibpqConnection>(m_connectionString.toStdString());
    const preparedgroups::Outcome outcome =
        preparedgroups::settle(*m_connection, *m_logConnection, m_run);
    if (outcome.finished > 0)
        qCInfo(lcStorage) << "settled" << outcome.finished << "prepared part(s) of this writer";
    return outcome.left == 0;
}

void StorageWriter::writeChangeSet(pqxx::work &tx, const ChangeSet &changes)
{
    execute(tx, encode(QList<const ChangeSet *>{&changes}));
}

void StorageWriter::flush()
{
    m_flushScheduled = false;
    auto groupAt = [this](qsizetype from, qsizetype count) {
        QList<const ChangeSet *> group;
        group.reserve(count);
        for (qsizetype i = from; i < from + count; ++i)
            group.append(&m_pending[i].second);
        return group;
    };
    // The next group, encoded during this commit, and how many change sets it holds (a slot
    // connected directly to committed may submit more meanwhile; those wait for a later group).
    std::optional<EncodedGroup> encodedAhead;
    qsizetype encodedAheadCount = 0;
    if (m_fenced) return;
    while (!m_pending.isEmpty()) {
        if (!ensureConnected()) return; // the retry timer calls flush again
        if (!settleInDoubt()) return;
        if (m_pending.isEmpty()) break;
        const qsizetype count =
            encodedAhead ? encodedAheadCount : qMin<qsizetype>(m_pending.size(), m_maxGroup);
        const EncodedGroup current =
            encodedAhead ? std::move(*encodedAhead) : timedEncode(groupAt(0, count));
        encodedAhead.reset();
        // Encoding is CPU work of this process, the commit mostly the server's: overlap them.
        // m_pending stays untouched until the helper is done.
        const qsizetype nextCount = qMin<qsizetype>(m_pending.size() - count, m_maxGroup);
        std::future<EncodedGroup> next;
        if (nextCount > 0)
            next = std::async(std::launch::async, [this, group = groupAt(count, nextCount)] {
                return timedEncode(group);
            });
        struct Waiting
        {
            std::atomic<qint64> &since;
            explicit Waiting(std::atomic<qint64> &s) : since(s) { since = steadyMs(); }
            ~Waiting() { since = 0; }
        };
        try {
            Waiting waiting(m_transactionSinceMs);
            const auto started = std::chrono::steady_clock::now();
            if (m_twoParts && count >= m_twoPartsFrom && current.hasLogPart()) {
                commitInTwoParts(current);
            } else {
                pqxx::work tx(*m_connection);
                {
                    StepClock clock(&m_stepUs, kStepBegin);
                    beginGroup(tx);
                }
                execute(tx, current, &m_stepUs);
                StepClock clock(&m_stepUs, kStepCommit);
                tx.commit();
            }
            const auto took = std::chrono::steady_clock::now() - started;
            m_commitSeconds->observe(std::chrono::duration<double>(took).count());
            m_commitUs += std::chrono::duration_cast<std::chrono::microseconds>(took).count();
            ++m_groupsCommitted;
            m_changeSetsCommitted += count;
            m_taskRows += current.taskRows;
            m_deviceRows += current.deviceRows;
            m_eventRows += current.eventRows;
            m_groupSizes->observe(double(count));
        } catch (const FencedOff &e) {
            if (next.valid()) next.wait();
            fence(QString::fromUtf8(e.what()));
            return;
        } catch (const std::exception &e) {
            if (next.valid()) next.wait();
            if (isConnectionProblem(e) || !m_connection->is_open()) {
                markInDoubt(e, count);
                dropConnection(describeOutage(e));
                return;
            }
            if (count > 1) {
                // Isolate the change set the database refuses: commit the group one by one.
                qCWarning(lcStorage).noquote()
                    << "group commit refused, retrying its" << count
                    << "change sets alone:" << QString::fromUtf8(e.what()).trimmed();
                QList<quint64> done;
                for (qsizetype i = 0; i < count; ++i) {
                    const auto &[ticket, changes] = m_pending[i];
                    try {
                        pqxx::work single(*m_connection);
                        beginGroup(single);
                        writeChangeSet(single, changes);
                        single.commit();
                        done.append(ticket);
                    } catch (const FencedOff &inner) {
                        m_pending.remove(0, i);
                        if (!done.isEmpty()) Q_EMIT committed(done);
                        fence(QString::fromUtf8(inner.what()));
                        return;
                    } catch (const std::exception &inner) {
                        if (isConnectionProblem(inner) || !m_connection->is_open()) {
                            m_pending.remove(0, i);
                            if (!done.isEmpty()) Q_EMIT committed(done);
                            markInDoubt(inner, 1);
                            dropConnection(describeOutage(inner));
                            return;
                        }
                        Q_EMIT rejected(ticket, QString::fromUtf8(inner.what()).trimmed());
                    }
                }
                m_pending.remove(0, count);
                if (!done.isEmpty()) {
                    markWorking();
                    Q_EMIT committed(done);
                }
                continue;
            }
            const quint64 ticket = m_pending.first().first;
            m_pending.removeFirst();
            qCWarning(lcStorage).noquote()
                << "change set refused:" << QString::fromUtf8(e.what()).trimmed();
            Q_EMIT rejected(ticket, QString::fromUtf8(e.what()).trimmed());
            continue;
        }
        if (next.valid()) {
            encodedAhead = next.get();
            encodedAheadCount = nextCount;
        }
        markWorking();
        QList<quint64> tickets;
        tickets.reserve(count);
        for (qsizetype i = 0; i < count; ++i)
            tickets.append(m_pending[i].first);
        m_pending.remove(0, count);
        Q_EMIT committed(tickets);
    }
}

} // namespace alabos
