#pragma once
#include "core/bus/statefeed.h"

#include <QAbstractTableModel>
#include <QHash>

namespace alabos {

// The device fleet. A feed batch becomes at most one dataChanged range and one row
// insertion, however many devices it touches.
class DeviceTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Type, Status, CurrentTask, TasksCompleted, Updated, ColumnCount };
    static constexpr int StatusRole = Qt::UserRole + 1;

    explicit DeviceTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void apply(const FeedUpdate &update);
    QHash<DeviceStatus, int> countsByStatus() const;
    const DeviceState &device(int row) const { return m_rows[row]; }
    qint64 refreshes() const { return m_refreshes; }

private:
    QList<DeviceState> m_rows;
    QHash<QString, int> m_rowById;
    qint64 m_refreshes = 0;
};

QColor statusColor(DeviceStatus status);
QString statusLabel(DeviceStatus status);

} // namespace alabos
