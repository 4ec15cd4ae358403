#pragma once
#include "core/domain/commands.h"

#include <QHash>
#include <QObject>
#include <QTextStream>
#include <memory>
#include <pqxx/connection>

class QSocketNotifier;

namespace alabos {

class LabRuntime;

// Headless mode's hands: operator commands as JSON lines on standard input
// ({"user":..,"password":..,"kind":..,"entity_id":..,"args":{..}}; docs/console.md), signed
// in like the console's dialog, sent like the console's clicks, each reply printed. The
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
    std::unique_ptr<pqxx::connection> m_users;
    QString m_host;
    qint64 m_nextId = 1;
    QHash<qint64, QString> m_pending; // command id -> "kind entity" for the reply line
    QTextStream m_out;
};

} // namespace alabos
