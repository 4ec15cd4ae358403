#pragma once
#include "core/bus/statefeed.h"

#include "ui/keyedtablemodel.h"

#include <QHash>

namespace alabos {

// The device fleet. A feed batch becomes at most one dataChanged range and one row
// insertion, however many devices it touches.
class DeviceTableModel : public KeyedTableModel<DeviceState, QString>
{
    Q_OBJECT
public:
    enum Column { Id, Type, Status, CurrentTask, TasksCompleted, Updated, ColumnCount };
    static constexpr int StatusRole = Qt::UserRole + 1;

    explicit DeviceTableModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void apply(const FeedUpdate &update);
    QHash<DeviceStatus, int> countsByStatus() const;
    const DeviceState &device(int row) const { return at(row); }

protected:
    QString keyOf(const DeviceState &d) const override { return d.id; }
};

QColor statusColor(DeviceStatus status);
QString statusLabel(DeviceStatus status);

} // namespace alabos
