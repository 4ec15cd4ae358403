#pragma once
// The engine's decisions on their way to PostgreSQL: the change set being gathered, and what
// must happen only once a change set is committed.
#include "core/domain/types.h"

#include <QList>
#include <QObject>
#include <functional>
#include <unordered_map>

namespace alabos {

// Gathers every decision of one pass of the engine's event loop into one change set and hands
// it to storage with a ticket; the actions registered meanwhile run when storage answers for
// that ticket (true: committed, false: refused). Engine thread only; sole writer of the
// pending change set and of the actions awaiting commit.
class CommitQueue
{
public:
    using Action = std::function<void(bool committed)>;
    // `send` hands a change set to storage; `context` (the engine) runs the deferred flush.
    CommitQueue(QObject *context, std::function<void(quint64, const ChangeSet &)> send);

    // Where decisions write their rows and events.
    ChangeSet &batch() { return m_batch; }
    // Runs `action` once the current change set is committed or refused.
    void afterCommit(Action action);
    // Flushes when the engine's event loop is next idle; many calls, one flush.
    void scheduleFlush();
    // Hands the pending change set to storage now (a submission wants one of its own).
    void flush();
    // Runs just before each flush (finished work leaves memory there).
    void setBeforeFlush(std::function<void()> hook) { m_beforeFlush = std::move(hook); }
    // The actions of `ticket`, taken out; false when no change set has that ticket.
    bool take(quint64 ticket, QList<Action> *actions);
    // Every action still waiting, with false: the engine is going away.
    void abandon();

private:
    QObject *m_context;
    std::function<void(quint64, const ChangeSet &)> m_send;
    std::function<void()> m_beforeFlush;
    ChangeSet m_batch;
    QList<Action> m_batchActions;
    std::unordered_map<quint64, QList<Action>> m_awaitingCommit;
    quint64 m_nextTicket = 1;
    bool m_flushScheduled = false;
};

} // namespace alabos
