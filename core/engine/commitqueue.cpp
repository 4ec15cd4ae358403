#include "core/engine/commitqueue.h"

#include <QElapsedTimer>

namespace alabos {

CommitQueue::CommitQueue(QObject *context, std::function<void(quint64, const ChangeSet &)> send)
    : m_context(context), m_send(std::move(send))
{
    m_batch.deferPayloads = true;
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
        m_context,
        [this] {
            QElapsedTimer clock;
            clock.start();
            flush();
            m_scheduledFlushUs += clock.nsecsElapsed() / 1000;
        },
        Qt::QueuedConnection);
}

QList<CommitQueue::Key> CommitQueue::keysOf(const ChangeSet &c)
{
    QList<Key> keys;
    for (const TaskState &t : c.tasks)
        keys.append({Tasks, t.id, {}});
    for (const WorkflowState &w : c.workflows)
        keys.append({Workflows, w.id, {}});
    for (const SampleState &s : c.samples)
        keys.append({Samples, s.id, {}});
    for (const TaskEdge &e : c.edges)
        keys.append({Workflows, e.workflowId, {}});
    for (const PromptState &p : c.prompts)
        keys.append({Prompts, p.id, {}});
    for (const DeviceState &d : c.devices)
        keys.append({Devices, 0, d.id});
    for (const PositionState &p : c.positions)
        keys.append({Positions, 0, p.name});
    for (const ResourceLease &l : c.leases) {
        keys.append({Tasks, l.taskId, {}});
        keys.append({l.kind == QLatin1StringView("device") ? Devices : Positions, 0, l.name});
    }
    for (const TaskId id : c.releasedLeases)
        keys.append({Tasks, id, {}});
    if (!c.templates.isEmpty() || !c.deviceConfigs.isEmpty()) keys.append({Everything, 0, {}});
    return keys;
}

bool CommitQueue::independent(const ChangeSet &c) const
{
    if (!m_heldIds[Everything].isEmpty()) return false;
    for (const Key &k : keysOf(c)) {
        if (k.space == Everything) return false;
        if (k.space == Devices || k.space == Positions) {
            if (m_heldNames[k.space].contains(k.name)) return false;
        } else if (m_heldIds[k.space].contains(k.id)) {
            return false;
        }
    }
    return true;
}

void CommitQueue::countKeys(const ChangeSet &c, int delta)
{
    for (const Key &k : keysOf(c)) {
        if (k.space == Devices || k.space == Positions) {
            auto it = m_heldNames[k.space].find(k.name);
            if (it == m_heldNames[k.space].end()) it = m_heldNames[k.space].insert(k.name, 0);
            if ((*it += delta) <= 0) m_heldNames[k.space].erase(it);
        } else {
            auto it = m_heldIds[k.space].find(k.id);
            if (it == m_heldIds[k.space].end()) it = m_heldIds[k.space].insert(k.id, 0);
            if ((*it += delta) <= 0) m_heldIds[k.space].erase(it);
        }
    }
}

void CommitQueue::send(Sealed &sealed)
{
    m_awaitingCommit[sealed.ticket].sent = true;
    ++m_inFlight;
    // Moved out, not copied: once storage has it, the engine keeps no reference to the rows,
    // so they leave memory when the writer is done with them.
    const ChangeSet changes = std::exchange(sealed.changes, ChangeSet());
    m_send(sealed.ticket, changes);
}

void CommitQueue::pump(bool everything)
{
    while (!m_heldAhead.empty() && (everything || hasRoom())) {
        send(m_heldAhead.front());
        m_heldAhead.pop_front();
    }
    while (!m_heldInOrder.empty() && (everything || hasRoom())) {
        countKeys(m_heldInOrder.front().changes, -1);
        send(m_heldInOrder.front());
        m_heldInOrder.pop_front();
    }
}

void CommitQueue::seal(bool everything, bool submission)
{
    m_flushScheduled = false;
    if (m_beforeFlush) m_beforeFlush();
    pump(everything);
    if (m_batch.isEmpty() && m_batchActions.isEmpty()) return;
    Sealed sealed{m_nextTicket++, std::exchange(m_batch, ChangeSet())};
    m_batch.deferPayloads = true;
    m_awaitingCommit[sealed.ticket] = {std::exchange(m_batchActions, {}), steadyNs(), false};
    if (m_heldAhead.empty() && m_heldInOrder.empty() && (everything || hasRoom())) {
        send(sealed);
        return;
    }
    if (!submission && independent(sealed.changes)) {
        m_heldAhead.push_back(std::move(sealed));
    } else {
        countKeys(sealed.changes, +1);
        m_heldInOrder.push_back(std::move(sealed));
    }
    pump(everything);
}

bool CommitQueue::take(quint64 ticket, QList<Action> *actions, qint64 *waitedUs)
{
    auto it = m_awaitingCommit.find(ticket);
    if (it == m_awaitingCommit.end()) return false;
    *actions = std::move(it->second.actions);
    if (waitedUs) *waitedUs = (steadyNs() - it->second.sealedNs) / 1000;
    if (it->second.sent) --m_inFlight;
    m_awaitingCommit.erase(it);
    return true;
}

void CommitQueue::abandon()
{
    m_heldAhead.clear();
    m_heldInOrder.clear();
    for (auto &ids : m_heldIds)
        ids.clear();
    for (auto &names : m_heldNames)
        names.clear();
    auto awaiting = std::move(m_awaitingCommit);
    for (auto &[ticket, waiting] : awaiting)
        for (auto &a : waiting.actions)
            a(false);
    for (auto &a : std::exchange(m_batchActions, {}))
        a(false);
}

} // namespace alabos
