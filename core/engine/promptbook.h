#pragma once
// Operator prompts: the questions a task asks a person ("load tray 3 into furnace 2") and
// the questions recovery asks after a restart.
#include "core/domain/types.h"
#include "core/engine/awaitslot.h"

#include <QHash>
#include <QStringList>
#include <unordered_map>

class QObject;

namespace alabos {

class CommitQueue;

// Sole owner of the open prompts and of the coroutines waiting for their answers; engine
// thread only. Opening and closing a prompt writes it to the commit queue's change set; a
// prompt with a timeout expires by itself.
class PromptBook
{
public:
    // `context` (the engine) owns the expiry timers.
    PromptBook(QObject *context, CommitQueue &commits);

    // Ids go on from the highest one the database has.
    void setNextId(qint64 id) { m_nextId = id; }
    // A prompt of an operator step that was open when the previous process stopped.
    void reopen(const PromptState &prompt) { m_open.insert(prompt.id, prompt); }
    // Opens a prompt for `taskId` on `deviceId`; timeoutS 0: it never expires.
    qint64 open(TaskId taskId, const QString &deviceId, const QString &message,
                const QStringList &options, double timeoutS);
    // Closes an open prompt ("answered", "expired", "cancelled") and wakes its waiter.
    void close(qint64 id, const QString &status, const QString &answer, const QString &note,
               const QString &by);
    // The closed prompt, once `id` is answered, expires or is cancelled.
    SlotAwaiter<PromptState> await(qint64 id);

    bool isOpen(qint64 id) const { return m_open.contains(id); }
    const PromptState *find(qint64 id) const;
    qint64 openCount() const { return m_open.size(); }
    QList<PromptState> openPrompts() const; // by id
    // Wakes every waiter with an empty prompt: the engine is going away.
    void abandon();

private:
    QObject *m_context;
    CommitQueue &m_commits;
    QHash<qint64, PromptState> m_open;
    std::unordered_map<qint64, std::shared_ptr<Slot<PromptState>>> m_waits;
    qint64 m_nextId = 1;
};

} // namespace alabos
