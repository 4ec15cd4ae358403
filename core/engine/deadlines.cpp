#include "core/engine/deadlines.h"

#include "core/domain/types.h"

#include <limits>

namespace alabos {

namespace {
qint64 steadyMs()
{
    return steadyNs() / 1'000'000;
}
} // namespace

Deadlines::Deadlines(QObject *context) : m_timer(context)
{
    m_timer.setSingleShot(true);
    // Coarse timers may fire 5 % late; with one timer a precise one costs nothing.
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, context, [this] { runDue(); });
}

Deadlines::Handle Deadlines::schedule(qint64 ms, std::function<void()> action)
{
    const Handle handle = ++m_next;
    const qint64 due = steadyMs() + qMax<qint64>(ms, 0);
    m_queue.emplace(Key{due, handle}, std::move(action));
    m_dueOf.emplace(handle, due);
    // Actions scheduled with one delay come due in order, so the timer rarely moves.
    if (m_armedFor < 0 || due < m_armedFor) arm();
    return handle;
}

bool Deadlines::cancel(Handle handle)
{
    const auto at = m_dueOf.find(handle);
    if (at == m_dueOf.end()) return false;
    m_queue.erase(Key{at->second, handle});
    m_dueOf.erase(at);
    // The timer stays armed for a cancelled first action: it then finds nothing due and arms
    // for the next, which is cheaper than moving it on every answer.
    if (m_queue.empty()) {
        m_timer.stop();
        m_armedFor = -1;
    }
    return true;
}

void Deadlines::clear()
{
    m_queue.clear();
    m_dueOf.clear();
    m_timer.stop();
    m_armedFor = -1;
}

void Deadlines::runDue()
{
    m_armedFor = -1;
    const qint64 now = steadyMs();
    // One at a time: an action may schedule or cancel others.
    while (!m_queue.empty() && m_queue.begin()->first.first <= now) {
        auto node = m_queue.extract(m_queue.begin());
        m_dueOf.erase(node.key().second);
        node.mapped()();
    }
    if (!m_queue.empty() && m_armedFor < 0) arm();
}

void Deadlines::arm()
{
    if (m_queue.empty()) return;
    const qint64 due = m_queue.begin()->first.first;
    m_armedFor = due;
    m_timer.start(
        int(qBound<qint64>(0, due - steadyMs(), qint64(std::numeric_limits<int>::max()))));
}

} // namespace alabos
