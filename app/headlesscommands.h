#pragma once
#include "core/domain/commands.h"

#include <QHash>
#include <QObject>
#include <QTextStream>
#include <memory>

class QSocketNotifier;

namespace alabos {

class LabRuntime;

// Headless mode's hands: operator commands as JSON lines on standard input
// ({"user":..,"password":..,"kind":..,"entity_id":..,"args":{..}}; docs/console.md): each
// line signs in through the scheduler like the console's dialog, is sent with that session
// like the console's clicks, its reply printed, and its session then ended. The
// same in a scheduler and in a console-only process, so scripts and tests drive both alike.
class HeadlessCommands : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessCommands(LabRuntime *runtime, QObject *parent = nullptr);
    ~HeadlessCommands() override;

private:
    void readInput();
    void handleLine(const QByteArray &line);
    void onReply(const CommandReply &reply);

    LabRuntime *m_runtime;
    QSocketNotifier *m_notifier;
    QByteArray m_buffer;
    bool m_skippingLine = false; // the rest of a line that was too long
    static constexpr qsizetype kMaxLineBytes = 1024 * 1024;
    QString m_host;
    qint64 m_nextId = 1;
    struct Pending
    {
        QString what;    // "kind entity", for the reply line
        QString session; // ended once the reply is printed
    };
    QHash<qint64, Pending> m_pending; // command id -> its line
    QTextStream m_out;
};

} // namespace alabos
