#pragma once
#include "core/domain/types.h"
#include "core/metrics/metrics.h"

#include <QObject>
#include <QTimer>
#include <array>
#include <atomic>
#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction>

struct pg_conn;

namespace alabos {
namespace binarycopy {
class LibpqConnection;
}

// Lives on the storage thread and owns its connection. Change sets that arrive while a
// transaction is running are group-committed in the next one; each is acknowledged
// (committed) only after its transaction committed. Connection loss keeps the pending
// work and retries with backoff; a change set the database refuses is isolated and
// rejected alone, so one bad command never sinks the others of its group.
//
// A group of at least twoPartsFrom() change sets is written on two connections at once (the
// entities' rows on one, events, audit rows and devices on the other: two server processes
// share the work) and committed as one by two-phase commit (preparedgroups.h), when the server
// allows prepared transactions; a smaller group, or a server that does not, takes one
// transaction.
//
// A scheduler's writer is fenced (setLeaderEpoch): each transaction holds the leader row and
// checks the epoch this process took the lock with, so once another scheduler took over
// nothing more of this one is committed; and each records its group number, so a commit
// whose outcome the lost connection hid is looked up, not repeated.
class StorageWriter : public QObject
{
    Q_OBJECT
public:
    explicit StorageWriter(QString connectionString, QObject *parent = nullptr);
    ~StorageWriter() override;

    static constexpr int kMaxGroup = 2000;
    // Change sets per group commit at most (before the thread starts).
    void setMaxGroup(int changeSets) { m_maxGroup = qMax(1, changeSets); }
    // Writes one change set (state rows and their events) in `tx`: the same statements the
    // group commit uses, for writers that need their own transaction (sample registration).
    static void writeChangeSet(pqxx::work &tx, const ChangeSet &changes);
    // Change sets a group needs for two connections (before the thread starts). Even a group
    // of one gains: its two parts take their server round trips side by side.
    static constexpr int kTwoPartsFrom = 1;
    void setTwoPartsFrom(int changeSets) { m_twoPartsFrom = qMax(1, changeSets); }
    // Before the writer's thread starts: commit only while scheduler_leader.epoch is `epoch`.
    void setLeaderEpoch(qint64 epoch);
    // From any thread: how long the transaction in progress has waited (0: none), so that a
    // database that stopped answering is noticed while this thread waits for it.
    qint64 waitingForDatabaseMs() const;
    // Change sets per group commit and each commit's seconds, for /metrics (any thread).
    std::shared_ptr<const Histogram> groupSizes() const { return m_groupSizes; }
    std::shared_ptr<const Histogram> commitSeconds() const { return m_commitSeconds; }
    // Cumulative since start, from any thread: time encoding groups (on the helper thread,
    // overlapping the previous commit), time in transactions, groups and change sets
    // committed, and the most change sets ever waiting at once.
    static constexpr size_t kSteps = 8;
    struct Totals
    {
        qint64 encodeUs = 0;
        qint64 commitUs = 0;
        qint64 groups = 0;
        qint64 changeSets = 0;
        qint64 maxBacklog = 0;
        // Rows sent in committed groups: task and device versions (the server keeps one per
        // entity and group) and events.
        qint64 taskRows = 0;
        qint64 deviceRows = 0;
        qint64 eventRows = 0;
        // Time in each step of the groups' transactions (us), by stepNames() order.
        std::array<qint64, kSteps> stepUs{};
    };
    Totals totals() const;
    using StepTotals = std::array<std::atomic<qint64>, kSteps>;
    // The steps of a group's transaction: the leader check, each table's statement, COMMIT.
    static const std::array<const char *, kSteps> &stepNames();

public Q_SLOTS:
    void submit(quint64 ticket, const alabos::ChangeSet &changes);
    // Commits everything pending now (shutdown); returns how many change sets remain.
    int flushNow();

Q_SIGNALS:
    void committed(const QList<quint64> &tickets);
    void rejected(quint64 ticket, const QString &error);
    void connectionChanged(bool connected, const QString &message);
    // Another scheduler took over: nothing more is committed by this writer.
    void fenced(const QString &message);

private:
    struct EncodedGroup;
    static EncodedGroup encode(const QList<const ChangeSet *> &group);
    EncodedGroup timedEncode(const QList<const ChangeSet *> &group); // thread-safe
    // `steps`, when given, gets the time of each statement.
    static void execute(pqxx::dbtransaction &tx, const EncodedGroup &encoded,
                        StepTotals *steps = nullptr);
    // The two parts of a group: the entities' rows, and what refers to nothing in them.
    static void executeState(pqxx::transaction_base &tx, const EncodedGroup &encoded,
                             StepTotals *steps);
    // `libpq` is the handle of tx's connection, for the binary COPY of the events.
    static void executeLog(pqxx::transaction_base &tx, pg_conn *libpq, const EncodedGroup &encoded,
                           StepTotals *steps);
    // Commits a group on two connections (see the class comment); throws like a transaction.
    void commitInTwoParts(const EncodedGroup &encoded);
    // After a failed commitInTwoParts: rolls back what it prepared, if the connections allow.
    void abandonTwoParts();
    // Finishes this run's prepared parts; false while some are still a live transaction's.
    bool settlePreparedParts();
    void scheduleFlush();
    void flush();
    bool ensureConnected();
    void dropConnection(const QString &why);
    void markWorking();
    // In `tx`, first: the fence and this group's number (the number always when `record`);
    // throws when another leader took over.
    void beginGroup(pqxx::transaction_base &tx, bool record = false);
    // After a reconnect: were the first `m_inDoubtCount` pending change sets committed by the
    // transaction whose COMMIT lost its connection? Acknowledges them if so.
    bool settleInDoubt();
    void fence(const QString &message);
    void markInDoubt(const std::exception &e, qsizetype count);

    QString m_connectionString;
    std::unique_ptr<binarycopy::LibpqConnection> m_connection;
    std::unique_ptr<binarycopy::LibpqConnection> m_logConnection; // a group's second part
    bool m_twoParts = false;                           // the server can prepare transactions
    int m_twoPartsFrom = kTwoPartsFrom;
    qint64 m_twoPartsGroup = 0; // the group being committed in two parts, 0: none
    QString m_runRecorded;      // the run whose writer_progress row exists
    QList<std::pair<quint64, ChangeSet>> m_pending;
    bool m_flushScheduled = false;
    bool m_connected = false;
    int m_retryDelayMs = 100;
    QTimer m_retryTimer;
    qint64 m_leaderEpoch = -1; // -1: not fenced (tests, tools)
    QString m_run;             // this writer's row in writer_progress
    qint64 m_group = 0;        // the number of the group transaction begun last
    qint64 m_inDoubtGroup = 0;
    qsizetype m_inDoubtCount = 0;
    bool m_fenced = false;
    std::shared_ptr<Histogram> m_groupSizes = std::make_shared<Histogram>(Histogram::sizeBuckets());
    std::shared_ptr<Histogram> m_commitSeconds =
        std::make_shared<Histogram>(Histogram::latencyBuckets());
    std::atomic<qint64> m_transactionSinceMs{0}; // steady clock; 0: no transaction running
    // Totals (written on the writer's and its helper's thread, read anywhere).
    std::atomic<qint64> m_encodeUs{0};
    std::atomic<qint64> m_commitUs{0};
    std::atomic<qint64> m_groupsCommitted{0};
    std::atomic<qint64> m_changeSetsCommitted{0};
    std::atomic<qint64> m_maxBacklog{0};
    std::atomic<qint64> m_taskRows{0};
    std::atomic<qint64> m_deviceRows{0};
    std::atomic<qint64> m_eventRows{0};
    StepTotals m_stepUs{};
    int m_maxGroup = kMaxGroup;
};

} // namespace alabos
