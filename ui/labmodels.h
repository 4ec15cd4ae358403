#pragma once
// The console's shared models, fed by the state feed. Every panel shows views of these;
// none keeps a copy of its own.
#include "core/bus/statefeed.h"
#include "ui/alarmtablemodel.h"
#include "ui/devicetablemodel.h"
#include "ui/keyedtablemodel.h"
#include "ui/tasktablemodel.h"

#include <QObject>

namespace alabos {

class SampleTableModel : public KeyedTableModel<SampleState, SampleId>
{
    Q_OBJECT
public:
    enum Column
    {
        Id,
        Barcode,
        Workflow,
        Position,
        Metadata,
        Registered,
        ColumnCount
    };
    // The live view keeps the newest samples; older ones are found by a search of the
    // registry. A console open for weeks must not hold every sample the lab ever saw.
    static constexpr qsizetype kCapacity = 20000;
    using KeyedTableModel::KeyedTableModel;
    // Takes the feed's samples (all of them when `reset`); a deleted sample leaves the view.
    void apply(const QList<SampleState> &samples, bool reset);
    // Drops the oldest rows once there are 10% more than kCapacity.
    void trim();
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    SampleId keyOf(const SampleState &s) const override { return s.id; }
};

class WorkflowTableModel : public KeyedTableModel<WorkflowState, WorkflowId>
{
    Q_OBJECT
public:
    enum Column
    {
        Id,
        Template,
        Status,
        Samples,
        Progress,
        Created,
        Finished,
        ColumnCount
    };
    static constexpr int ProgressRole = Qt::UserRole + 1; // 0..100
    // Finished workflows kept in the live view (running ones always are); the
    // lab record of older ones is in PostgreSQL.
    static constexpr qsizetype kFinishedCapacity = 5000;
    using KeyedTableModel::KeyedTableModel;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void applyTasks(const QList<TaskState> &tasks, bool reset);
    // Drops the oldest finished workflows, and their tasks' progress, once there are 10%
    // more than kFinishedCapacity.
    void trimFinished();
    // Workflows whose tasks' progress is held (for tests: it shrinks with the rows).
    qsizetype progressHeld() const { return m_taskStatus.size(); }
    // Completed and total tasks of a workflow as far as this console has seen them.
    std::pair<int, int> progress(WorkflowId id) const;

protected:
    WorkflowId keyOf(const WorkflowState &w) const override { return w.id; }

private:
    QHash<WorkflowId, QHash<TaskId, TaskStatus>> m_taskStatus;
};

class LabModels : public QObject
{
    Q_OBJECT
public:
    explicit LabModels(QObject *parent = nullptr);

    DeviceTableModel *devices() const { return m_devices; }
    TaskTableModel *tasks() const { return m_tasks; }
    SampleTableModel *samples() const { return m_samples; }
    WorkflowTableModel *workflows() const { return m_workflows; }
    ConsoleAlarms *alarms() const { return m_alarms; }
    FeedStats feedStats() const { return m_stats; }

public Q_SLOTS:
    void apply(const alabos::FeedUpdate &update);
    void setFeedStats(const alabos::FeedStats &stats);

Q_SIGNALS:
    void applied(const alabos::FeedUpdate &update);
    void feedStatsChanged(const alabos::FeedStats &stats);

private:
    DeviceTableModel *m_devices;
    TaskTableModel *m_tasks;
    SampleTableModel *m_samples;
    WorkflowTableModel *m_workflows;
    ConsoleAlarms *m_alarms;
    FeedStats m_stats;
};

} // namespace alabos
