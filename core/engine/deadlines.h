#pragma once
// Many pending timeouts behind one QTimer.
#include <QObject>
#include <QTimer>
#include <functional>
#include <map>
#include <unordered_map>

namespace alabos {

// Actions due after a delay, any number of them, behind one QTimer armed for the earliest.
// Qt keeps its timers in a list sorted by due time and searches it linearly to stop one, so a
// single-shot timer per command in flight (tens of thousands when devices answer at once and a
// command may take 30 s) cost the engine thread most of its time. Here scheduling and
// cancelling are O(log n). Owner thread only.
class Deadlines
{
public:
    using Handle = quint64;
    explicit Deadlines(QObject *context);

    // Runs `action` in `ms` (at least 0) on the context's thread, unless cancelled first.
    Handle schedule(qint64 ms, std::function<void()> action);
    // Forgets the action of `handle`; false when it already ran or was cancelled.
    bool cancel(Handle handle);
    // Actions waiting.
    size_t size() const { return m_dueOf.size(); }
    // Forgets every waiting action without running it.
    void clear();

private:
    void runDue();
    void arm();

    using Key = std::pair<qint64, Handle>; // due (steady ms), then the order of scheduling
    std::map<Key, std::function<void()>> m_queue;
    std::unordered_map<Handle, qint64> m_dueOf;
    QTimer m_timer;
    qint64 m_armedFor = -1; // due time the timer is running for; -1: stopped
    Handle m_next = 0;
};

} // namespace alabos
