#pragma once
#include "core/bus/statefeed.h"
#include "core/engine/labengine.h"

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QComboBox;
class QSortFilterProxyModel;
class QTableView;

namespace alabos {

class DeviceTableModel;
class TaskTableModel;

// The console's main window: the device fleet and the task queue, fed by the Kafka state
// feed, with the connection state and consumer lag in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    DeviceTableModel *deviceModel() const { return m_devices; }
    TaskTableModel *taskModel() const { return m_tasks; }

public Q_SLOTS:
    void applyFeed(const alabos::FeedUpdate &update);
    void setFeedStats(const alabos::FeedStats &stats);
    void setEngineStats(const alabos::EngineStats &stats);
    void setDatabaseState(bool connected, const QString &message);
    void setBrokerState(bool healthy, const QString &message);
    void setConnectionInfo(const QString &database, const QString &kafka);

private:
    void updateDeviceSummary();
    QWidget *buildDevicePanel();
    QWidget *buildTaskPanel();

    DeviceTableModel *m_devices;
    TaskTableModel *m_tasks;
    QSortFilterProxyModel *m_deviceFilter;
    QSortFilterProxyModel *m_taskFilter;
    QTableView *m_deviceView = nullptr;
    QTableView *m_taskView = nullptr;
    QLabel *m_deviceSummary = nullptr;
    QLabel *m_taskSummary = nullptr;
    QLabel *m_databaseLabel;
    QLabel *m_brokerLabel;
    QLabel *m_lagLabel;
    QLabel *m_engineLabel;
};

} // namespace alabos
