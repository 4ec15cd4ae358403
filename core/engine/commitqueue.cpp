#include "core/engine/commitqueue.h"

namespace alabos {

CommitQueue::CommitQueue(QObject *context, std::function<void(quint64, const ChangeSet &)> send)
    : m_context(context), m_send(std::move(send))
{
}

void CommitQueue::afterCommit(Action action)
{
    m_batchActions.append(std::move(action));
    scheduleFlush();
}

void CommitQueue::scheduleFlush()
{
    if (m_flushScheduled) return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(
        m_context, [this] { flush(); }, Qt::QueuedConnection);
}

void CommitQueue::flush()
{
    m_flushScheduled = false;
    if (m_beforeFlush) m_beforeFlush();
    if (m_batch.isEmpty() && m_batchActions.isEmpty()) return;
    const quint64 ticket = m_nextTicket++;
    m_awaitingCommit[ticket] = std::exchange(m_batchActions, {});
    m_send(ticket, m_batch);
    m_batch = ChangeSet();
}

bool CommitQueue::take(quint64 ticket, QList<Action> *actions)
{
    auto it = m_awaitingCommit.find(ticket);
    if (it == m_awaitingCommit.end()) return false;
    *actions = std::move(it->second);
    m_awaitingCommit.erase(it);
    return true;
}

void CommitQueue::abandon()
{
    auto awaiting = std::move(m_awaitingCommit);
    for (auto &[ticket, actions] : awaiting)
        for (auto &a : actions)
            a(false);
    for (auto &a : std::exchange(m_batchActions, {}))
        a(false);
}

} // namespace alabos
