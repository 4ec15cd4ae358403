#include "core/engine/promptbook.h"

#include "core/domain/eventkinds.h"
#include "core/engine/commitqueue.h"

#include <QTimer>
#include <algorithm>

namespace alabos {

using namespace eventkind;

PromptBook::PromptBook(QObject *context, CommitQueue &commits)
    : m_context(context), m_commits(commits)
{
}

qint64 PromptBook::open(TaskId taskId, const QString &deviceId, const QString &message,
                        const QStringList &options, double timeoutS)
{
    PromptState p;
    p.id = m_nextId++;
    p.taskId = taskId;
    p.deviceId = deviceId;
    p.message = message;
    p.options = options;
    p.createdUs = nowMicros();
    p.expiresUs = timeoutS > 0 ? p.createdUs + qint64(timeoutS * 1e6) : 0;
    m_open.insert(p.id, p);
    m_commits.batch().prompt(p, kPromptOpened);
    if (timeoutS > 0) {
        const qint64 id = p.id;
        QTimer::singleShot(int(qMin(timeoutS * 1000.0, 24.0 * 3600 * 1000)), m_context, [this, id] {
            if (m_open.contains(id)) close(id, QStringLiteral("expired"), {}, {}, {});
        });
    }
    m_commits.scheduleFlush();
    return p.id;
}

void PromptBook::close(qint64 id, const QString &status, const QString &answer, const QString &note,
                       const QString &by)
{
    auto it = m_open.find(id);
    if (it == m_open.end()) return;
    PromptState p = *it;
    m_open.erase(it);
    p.status = status;
    p.answer = answer;
    p.note = note;
    p.answeredBy = by;
    p.answeredUs = nowMicros();
    m_commits.batch().prompt(p, kPromptClosed);
    m_commits.scheduleFlush();
    auto wait = m_waits.find(id);
    if (wait != m_waits.end()) {
        auto slot = std::move(wait->second);
        m_waits.erase(wait);
        fulfil(slot, p);
    }
}

SlotAwaiter<PromptState> PromptBook::await(qint64 id)
{
    auto slot = std::make_shared<Slot<PromptState>>();
    m_waits[id] = slot;
    return {slot};
}

const PromptState *PromptBook::find(qint64 id) const
{
    auto it = m_open.constFind(id);
    return it == m_open.cend() ? nullptr : &*it;
}

QList<PromptState> PromptBook::openPrompts() const
{
    QList<PromptState> out = m_open.values();
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return out;
}

void PromptBook::abandon()
{
    auto waits = std::move(m_waits);
    for (auto &[id, slot] : waits)
        fulfil(slot, PromptState{});
}

} // namespace alabos
