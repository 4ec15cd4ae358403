#pragma once
// The engine's decisions on their way to PostgreSQL: the change set being gathered, and what
// must happen only once a change set is committed.
#include "core/domain/types.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <deque>
#include <functional>
#include <unordered_map>

namespace alabos {

// Gathers every decision of one pass of the engine's event loop into one change set and hands
// it to storage with a ticket; the actions registered meanwhile run when storage answers for
// that ticket (true: committed, false: refused). Engine thread only; sole writer of the
// pending change set and of the actions awaiting commit.
//
// At most maxInFlight() change sets are with storage at once. Beyond that they wait here, and
// a change set that touches no entity (task, workflow, sample, prompt, device, position) of
// those waiting in order goes ahead of them: a grant then waits for its own commit, not for a
// backlog of submissions (whose rows are all new) sealed before it. Change sets that share an
// entity keep their order, so every row still ends in its last state.
class CommitQueue
{
public:
    using Action = std::function<void(bool committed)>;
    // Two of the writer's groups (2,000 each): one committing while the next is encoded.
    // More only lengthens the line a grant waits in.
    static constexpr qsizetype kDefaultMaxInFlight = 4000;
    // `send` hands a change set to storage; `context` (the engine) runs the deferred flush.
    CommitQueue(QObject *context, std::function<void(quint64, const ChangeSet &)> send);

    // Where decisions write their rows and events.
    ChangeSet &batch() { return m_batch; }
    // Runs `action` once the current change set is committed or refused.
    void afterCommit(Action action);
    // Flushes when the engine's event loop is next idle; many calls, one flush.
    void scheduleFlush();
    // Seals the pending change set and hands it to storage (a submission wants one of its
    // own), with what waits as far as storage has room; `everything`: all of it (shutdown).
    void flush(bool everything = false) { seal(everything, false); }
    // Seals the pending change set as a submission: it makes only new entities, waits in
    // order when storage has no room, and never goes ahead of anything.
    void flushSubmission() { seal(false, true); }
    // How many change sets storage may have at once; 0: no limit (everything goes at once, in
    // the order it was sealed).
    void setMaxInFlight(qsizetype n) { m_maxInFlight = n; }
    qsizetype maxInFlight() const { return m_maxInFlight; }
    // Runs just before each flush (finished work leaves memory there).
    void setBeforeFlush(std::function<void()> hook) { m_beforeFlush = std::move(hook); }
    // The actions of `ticket`, taken out, and how long ago (us) its change set was sealed;
    // false when no change set has that ticket.
    bool take(quint64 ticket, QList<Action> *actions, qint64 *waitedUs = nullptr);
    // Engine-thread time (us) spent in flushes the event loop ran (not those called from a
    // slot, which that slot's own clock counts).
    qint64 scheduledFlushUs() const { return m_scheduledFlushUs; }
    // Change sets sealed and not yet answered (with storage or waiting here).
    qsizetype awaiting() const { return qsizetype(m_awaitingCommit.size()); }
    // Sealed change sets waiting here for room at storage.
    qsizetype held() const { return qsizetype(m_heldAhead.size() + m_heldInOrder.size()); }
    // Every action still waiting, with false: the engine is going away.
    void abandon();

private:
    struct Awaiting
    {
        QList<Action> actions;
        qint64 sealedNs = 0; // steady clock
        bool sent = false;
    };
    struct Sealed
    {
        quint64 ticket = 0;
        ChangeSet changes;
    };
    // What a change set touches: task, workflow, sample and prompt ids, device and position
    // names (a template or a device config counts as touching everything).
    enum Space
    {
        Tasks,
        Workflows,
        Samples,
        Prompts,
        Devices,
        Positions,
        Everything,
        Spaces
    };
    struct Key
    {
        Space space;
        qint64 id = 0;
        QString name;
    };
    static QList<Key> keysOf(const ChangeSet &c);
    // Whether `c` touches nothing the change sets held in order touch.
    bool independent(const ChangeSet &c) const;
    void countKeys(const ChangeSet &c, int delta);
    void seal(bool everything, bool submission);
    void send(Sealed &sealed);
    void pump(bool everything);
    bool hasRoom() const { return m_maxInFlight <= 0 || m_inFlight < m_maxInFlight; }

    QObject *m_context;
    std::function<void(quint64, const ChangeSet &)> m_send;
    std::function<void()> m_beforeFlush;
    ChangeSet m_batch;
    QList<Action> m_batchActions;
    std::unordered_map<quint64, Awaiting> m_awaitingCommit;
    // Held: those that may go before the in-order ones (they share no entity with them),
    // and the rest, in the order they were sealed.
    std::deque<Sealed> m_heldAhead;
    std::deque<Sealed> m_heldInOrder;
    // How many in-order held change sets touch each key, per space.
    QHash<qint64, int> m_heldIds[Spaces];
    QHash<QString, int> m_heldNames[Spaces];
    qsizetype m_inFlight = 0;
    qsizetype m_maxInFlight = kDefaultMaxInFlight;
    quint64 m_nextTicket = 1;
    qint64 m_scheduledFlushUs = 0;
    bool m_flushScheduled = false;
};

} // namespace alabos
