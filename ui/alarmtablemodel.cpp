#include "ui/alarmtablemodel.h"

#include <QColor>
#include <QDateTime>
#include <QFont>

namespace alabos {

QColor severityColor(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Warning:
        return QColor(0xf9, 0xa8, 0x25);
    case AlarmSeverity::Alarm:
        return QColor(0xe5, 0x39, 0x35);
    case AlarmSeverity::Critical:
        return QColor(0x8e, 0x24, 0xaa);
    }
    return {};
}

QString severityLabel(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Warning:
        return QObject::tr("Warning");
    case AlarmSeverity::Alarm:
        return QObject::tr("Alarm");
    case AlarmSeverity::Critical:
        return QObject::tr("Critical");
    }
    return {};
}

namespace {
QString stateLabel(const Alarm &a)
{
    switch (a.state) {
    case AlarmState::Active:
        return a.conditionActive ? QObject::tr("Active, unacknowledged")
                                 : QObject::tr("Returned to normal, unacknowledged");
    case AlarmState::Acknowledged:
        return QObject::tr("Acknowledged");
    case AlarmState::Shelved:
        return QObject::tr("Shelved until %1")
            .arg(QDateTime::fromMSecsSinceEpoch(a.shelvedUntilUs / 1000)
                     .toString(QStringLiteral("MM-dd hh:mm")));
    case AlarmState::Cleared:
        return QObject::tr("Cleared");
    }
    return {};
}
} // namespace

int AlarmTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlarmTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Alarm &a = at(index.row());
    if (role == SeverityRole) return int(a.severity);
    if (role == Qt::DecorationRole && index.column() == Severity) return severityColor(a.severity);
    if (role == Qt::FontRole && a.state == AlarmState::Active) {
        QFont f;
        f.setBold(true); // unacknowledged alarms stand out
        return f;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Severity:
        return severityLabel(a.severity);
    case State:
        return stateLabel(a);
    case Source:
        return a.source;
    case Device:
        return a.deviceId;
    case Message:
        return a.message;
    case Raised:
        return QDateTime::fromMSecsSinceEpoch(a.raisedUs / 1000)
            .toString(QStringLiteral("MM-dd hh:mm:ss"));
    case AcknowledgedBy:
        return a.acknowledgedBy;
    }
    return {};
}

QVariant AlarmTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Severity:
        return tr("Severity");
    case State:
        return tr("State");
    case Source:
        return tr("Source");
    case Device:
        return tr("Device");
    case Message:
        return tr("Message");
    case Raised:
        return tr("Raised");
    case AcknowledgedBy:
        return tr("Acknowledged by");
    }
    return {};
}

void AlarmTableModel::remove(const QList<qint64> &ids)
{
    const QSet<qint64> gone(ids.cbegin(), ids.cend());
    dropOldest(qsizetype(gone.size()), [&gone](const Alarm &a) { return gone.contains(a.id); });
}

int AlarmTableModel::unacknowledged() const
{
    int n = 0;
    for (const Alarm &a : rows())
        n += a.state == AlarmState::Active ? 1 : 0;
    return n;
}

const Alarm *AlarmTableModel::find(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &at(row);
}

ConsoleAlarms::ConsoleAlarms(QObject *parent)
    : QObject(parent), m_open(new AlarmTableModel(this)), m_history(new AlarmTableModel(this))
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(100);
    connect(&m_flush, &QTimer::timeout, this, &ConsoleAlarms::flushLocal);
}

bool ConsoleAlarms::isStale(const Alarm &alarm) const
{
    // A cleared alarm never opens again: a copy that says otherwise is old.
    if (const Alarm *cleared = m_history->find(alarm.id))
        return alarm.state != AlarmState::Cleared || cleared->revision >= alarm.revision;
    const Alarm *shown = m_open->find(alarm.id);
    return shown && shown->revision > alarm.revision;
}

void ConsoleAlarms::applyFeed(const QList<Alarm> &alarms, bool reset)
{
    if (alarms.isEmpty() && !reset) return;
    QList<Alarm> fresh;
    fresh.reserve(alarms.size());
    for (const Alarm &a : alarms) {
        const auto local = m_local.constFind(a.id);
        if (local != m_local.cend() && local->revision > a.revision) continue;
        m_local.remove(a.id); // the feed has caught up with it
        if (reset || !isStale(a)) fresh.append(a);
    }
    if (reset) {
        // What the snapshot does not have yet (the broker or the database is away) stays.
        for (const Alarm &a : std::as_const(m_local))
            fresh.append(a);
    }
    show(fresh, reset);
}

void ConsoleAlarms::applyLocal(const Alarm &alarm)
{
    if (alarm.state == AlarmState::Cleared)
        m_local.remove(alarm.id);
    else
        m_local.insert(alarm.id, alarm);
    m_localBatch.append(alarm);
    if (!m_flush.isActive()) m_flush.start();
}

void ConsoleAlarms::flushLocal()
{
    QList<Alarm> batch;
    batch.swap(m_localBatch);
    // The newest copy of each alarm in the batch, in the order they came.
    QHash<qint64, qsizetype> newest;
    for (qsizetype i = 0; i < batch.size(); ++i)
        newest.insert(batch[i].id, i);
    QList<Alarm> fresh;
    for (qsizetype i = 0; i < batch.size(); ++i)
        if (newest.value(batch[i].id) == i && !isStale(batch[i])) fresh.append(batch[i]);
    show(fresh, false);
}

void ConsoleAlarms::show(const QList<Alarm> &alarms, bool reset)
{
    QList<Alarm> open;
    QList<Alarm> cleared;
    QList<qint64> leaving;
    for (const Alarm &a : alarms) {
        if (a.state == AlarmState::Cleared) {
            cleared.append(a);
            leaving.append(a.id);
        } else {
            open.append(a);
        }
    }
    if (reset)
        m_open->replaceAll(open);
    else
        m_open->merge(open);
    if (!leaving.isEmpty()) m_open->remove(leaving);
    m_history->merge(cleared);
    if (m_history->rowCount() > kHistoryCapacity + kHistoryCapacity / 10) {
        // The oldest cleared ones go first.
        QList<qint64> clearedAt;
        for (const Alarm &a : m_history->rows())
            clearedAt.append(a.clearedUs);
        std::nth_element(clearedAt.begin(),
                         clearedAt.begin() + (clearedAt.size() - kHistoryCapacity),
                         clearedAt.end());
        const qint64 cutoff = clearedAt[clearedAt.size() - kHistoryCapacity];
        QList<qint64> old;
        for (const Alarm &a : m_history->rows())
            if (a.clearedUs < cutoff) old.append(a.id);
        m_history->remove(old);
    }
    const int unacknowledged = m_open->unacknowledged();
    if (unacknowledged != m_lastUnacknowledged) {
        m_lastUnacknowledged = unacknowledged;
        Q_EMIT unacknowledgedChanged(unacknowledged);
    }
}

} // namespace alabos
