#pragma once
#include "core/domain/types.h"

#include <QObject>
#include <QTimer>
#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction>

namespace alabos {

// Lives on the storage thread and owns its connection. Change sets that arrive while a
// transaction is running are group-committed in the next one; each is acknowledged
// (committed) only after its transaction committed. Connection loss keeps the pending
// work and retries with backoff; a change set the database refuses is isolated and
// rejected alone, so one bad command never sinks the others of its group.
class StorageWriter : public QObject
{
    Q_OBJECT
public:
    explicit StorageWriter(QString connectionString, QObject *parent = nullptr);
    ~StorageWriter() override;

    static constexpr int kMaxGroup = 2000;
    // Writes one change set (state rows and their events) in `tx`: the same statements the
    // group commit uses, for writers that need their own transaction (sample registration).
    static void writeChangeSet(pqxx::work &tx, const ChangeSet &changes);

public Q_SLOTS:
    void submit(quint64 ticket, const alabos::ChangeSet &changes);
    // Commits everything pending now (shutdown); returns how many change sets remain.
    int flushNow();

Q_SIGNALS:
    void committed(const QList<quint64> &tickets);
    void rejected(quint64 ticket, const QString &error);
    void connectionChanged(bool connected, const QString &message);

private:
    struct EncodedGroup;
    static EncodedGroup encode(const QList<const ChangeSet *> &group);
    static void execute(pqxx::work &tx, const EncodedGroup &encoded);
    void scheduleFlush();
    void flush();
    bool ensureConnected();
    void dropConnection(const QString &why);

    QString m_connectionString;
    std::unique_ptr<pqxx::connection> m_connection;
    QList<std::pair<quint64, ChangeSet>> m_pending;
    bool m_flushScheduled = false;
    bool m_connected = false;
    int m_retryDelayMs = 100;
    QTimer m_retryTimer;
};

} // namespace alabos
