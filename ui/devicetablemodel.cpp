#include "ui/devicetablemodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace alabos {

QColor statusColor(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Offline:
        return QColor(0x9e, 0x9e, 0x9e);
    case DeviceStatus::Idle:
        return QColor(0x4c, 0xaf, 0x50);
    case DeviceStatus::Busy:
        return QColor(0x21, 0x96, 0xf3);
    case DeviceStatus::Paused:
        return QColor(0xff, 0xc1, 0x07);
    case DeviceStatus::Maintenance:
        return QColor(0x9c, 0x27, 0xb0);
    case DeviceStatus::Error:
        return QColor(0xf4, 0x43, 0x36);
    }
    return {};
}

QString statusLabel(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Offline:
        return QObject::tr("Offline");
    case DeviceStatus::Idle:
        return QObject::tr("Idle");
    case DeviceStatus::Busy:
        return QObject::tr("Busy");
    case DeviceStatus::Paused:
        return QObject::tr("Paused");
    case DeviceStatus::Maintenance:
        return QObject::tr("Maintenance");
    case DeviceStatus::Error:
        return QObject::tr("Error");
    }
    return {};
}

DeviceTableModel::DeviceTableModel(QObject *parent) : KeyedTableModel(parent) {}

int DeviceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DeviceState &d = at(index.row());
    if (role == StatusRole)
        return int(d.status);
    if (role == Qt::DecorationRole && index.column() == Status)
        return statusColor(d.status);
    if (role == Qt::TextAlignmentRole &&
        (index.column() == CurrentTask || index.column() == TasksCompleted))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Id:
        return d.id;
    case Type:
        return d.type;
    case Status:
        return d.message.isEmpty() ? statusLabel(d.status)
                                   : tr("%1: %2").arg(statusLabel(d.status), d.message);
    case CurrentTask:
        return d.currentTask ? QVariant(d.currentTask) : QVariant();
    case TasksCompleted:
        return d.tasksCompleted;
    case Updated:
        return d.updatedUs ? QDateTime::fromMSecsSinceEpoch(d.updatedUs / 1000)
                                 .toString(QStringLiteral("hh:mm:ss"))
                           : QString();
    }
    return {};
}

QVariant DeviceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Device");
    case Type:
        return tr("Type");
    case Status:
        return tr("Status");
    case CurrentTask:
        return tr("Current task");
    case TasksCompleted:
        return tr("Tasks done");
    case Updated:
        return tr("Changed");
    }
    return {};
}

void DeviceTableModel::apply(const FeedUpdate &update)
{
    if (update.reset)
        replaceAll(update.devices);
    else
        merge(update.devices);
}

QHash<DeviceStatus, int> DeviceTableModel::countsByStatus() const
{
    QHash<DeviceStatus, int> counts;
    for (const DeviceState &d : rows())
        ++counts[d.status];
    return counts;
}

} // namespace alabos
