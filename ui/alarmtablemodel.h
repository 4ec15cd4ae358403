#pragma once
// The console's alarms: the open ones and those that cleared, as two table models, fed by the
// state feed and, in the scheduler's own console, by the alarm service directly, so that an
// operator sees them while the broker or the database is away.
#include "core/domain/alarms.h"
#include "ui/keyedtablemodel.h"

#include <QHash>
#include <QTimer>

namespace alabos {

class AlarmTableModel : public KeyedTableModel<Alarm, qint64>
{
    Q_OBJECT
public:
    enum Column
    {
        Severity,
        State,
        Source,
        Device,
        Message,
        Raised,
        AcknowledgedBy,
        ColumnCount
    };
    static constexpr int SeverityRole = Qt::UserRole + 1;
    using KeyedTableModel::KeyedTableModel;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void remove(const QList<qint64> &ids);
    int unacknowledged() const;
    // The copy this model holds of an alarm; nullptr when it holds none.
    const Alarm *find(qint64 id) const;

protected:
    qint64 keyOf(const Alarm &a) const override { return a.id; }
};

class ConsoleAlarms : public QObject
{
    Q_OBJECT
public:
    // Cleared alarms kept for the history tab; the record of older ones is in PostgreSQL.
    static constexpr qsizetype kHistoryCapacity = 5000;

    explicit ConsoleAlarms(QObject *parent = nullptr);
    AlarmTableModel *open() const { return m_open; }
    AlarmTableModel *history() const { return m_history; }
    int unacknowledged() const { return m_lastUnacknowledged < 0 ? 0 : m_lastUnacknowledged; }
    // Alarms from this process's own alarm service, not yet in the feed.
    qsizetype localPending() const { return m_local.size(); }

public Q_SLOTS:
    // What the state feed carries; a reset replaces the open alarms, but keeps the local
    // ones the snapshot has not caught up with.
    void applyFeed(const QList<alabos::Alarm> &alarms, bool reset);
    // One change straight from the alarm service; shown within 100 ms, many coalesced.
    void applyLocal(const alabos::Alarm &alarm);

Q_SIGNALS:
    void unacknowledgedChanged(int count);

private:
    // The copy of `alarm` this console shows already is as new or newer.
    bool isStale(const Alarm &alarm) const;
    void show(const QList<Alarm> &alarms, bool reset);
    void flushLocal();

    AlarmTableModel *m_open;
    AlarmTableModel *m_history;
    QHash<qint64, Alarm> m_local; // open alarms from the alarm service, by id
    QList<Alarm> m_localBatch;
    QTimer m_flush;
    int m_lastUnacknowledged = -1;
};

QColor severityColor(AlarmSeverity severity);
QString severityLabel(AlarmSeverity severity);

} // namespace alabos
