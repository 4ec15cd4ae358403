#pragma once
#include "core/bus/statefeed.h"

#include "ui/keyedtablemodel.h"

namespace alabos {

// The task queue and recent history: active tasks and at most `capacity` finished ones.
// Feed batches become one dataChanged range and one insertion each.
class TaskTableModel : public KeyedTableModel<TaskState, TaskId>
{
    Q_OBJECT
public:
    enum Column { Id, Workflow, Name, DeviceType, Device, Status, Attempts, Priority, Duration,
                  Message, ColumnCount };
    static constexpr int StatusRole = Qt::UserRole + 1;

    explicit TaskTableModel(int finishedCapacity = 5000, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void apply(const FeedUpdate &update);
    // Running tasks' durations move on: one dataChanged for the column.
    void tick();
    const TaskState &task(int row) const { return at(row); }

protected:
    TaskId keyOf(const TaskState &t) const override { return t.id; }

private:
    void trimFinished();

    int m_finishedCapacity;
};

QString taskStatusLabel(TaskStatus status);

} // namespace alabos
