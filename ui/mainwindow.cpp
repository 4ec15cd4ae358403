#include "ui/mainwindow.h"

#include "ui/devicetablemodel.h"
#include "ui/tasktablemodel.h"

#include <QCollator>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace alabos {

namespace {
// Sorts "xrd-9" before "xrd-10", as a person reads device names.
class NaturalSortProxy : public QSortFilterProxyModel
{
public:
    explicit NaturalSortProxy(QObject *parent) : QSortFilterProxyModel(parent)
    {
        m_collator.setNumericMode(true);
        setFilterKeyColumn(-1);
        setFilterCaseSensitivity(Qt::CaseInsensitive);
    }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        const QVariant l = left.data(Qt::DisplayRole);
        const QVariant r = right.data(Qt::DisplayRole);
        if (l.userType() == QMetaType::QString || r.userType() == QMetaType::QString)
            return m_collator.compare(l.toString(), r.toString()) < 0;
        return QSortFilterProxyModel::lessThan(left, right);
    }

private:
    QCollator m_collator;
};

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(22);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->setWordWrap(false);
    return view;
}

QString dot(const QColor &color)
{
    return QStringLiteral("<span style='color:%1'>&#9679;</span>").arg(color.name());
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_devices(new DeviceTableModel(this)), m_tasks(new TaskTableModel(5000, this)),
      m_deviceFilter(new NaturalSortProxy(this)), m_taskFilter(new NaturalSortProxy(this)),
      m_databaseLabel(new QLabel(this)), m_brokerLabel(new QLabel(this)), m_lagLabel(new QLabel(this)),
      m_engineLabel(new QLabel(this))
{
    setWindowTitle(tr("alabos — lab console"));
    resize(1500, 950);
    m_deviceFilter->setSourceModel(m_devices);
    m_taskFilter->setSourceModel(m_tasks);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildDevicePanel());
    splitter->addWidget(buildTaskPanel());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    statusBar()->addWidget(m_engineLabel, 1);
    statusBar()->addPermanentWidget(m_lagLabel);
    statusBar()->addPermanentWidget(m_databaseLabel);
    statusBar()->addPermanentWidget(m_brokerLabel);
    setDatabaseState(true, tr("Database connected"));
    setBrokerState(true, tr("Kafka reachable"));
    m_lagLabel->setText(tr("Consumer lag: —"));
    m_engineLabel->setText(tr("Engine starting…"));

    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, m_tasks, &TaskTableModel::tick);
    tick->start(1000);
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::buildDevicePanel()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Devices</b>"), panel);
    auto *search = new QLineEdit(panel);
    search->setObjectName(QStringLiteral("deviceFilter"));
    search->setPlaceholderText(tr("Filter devices by name, type or status…"));
    search->setClearButtonEnabled(true);
    connect(search, &QLineEdit::textChanged, m_deviceFilter,
            &QSortFilterProxyModel::setFilterFixedString);
    m_deviceSummary = new QLabel(panel);
    m_deviceSummary->setTextFormat(Qt::RichText);
    header->addWidget(title);
    header->addWidget(search, 1);
    header->addWidget(m_deviceSummary);
    layout->addLayout(header);
    m_deviceView = makeTable(m_deviceFilter, panel);
    m_deviceView->setObjectName(QStringLiteral("deviceTable"));
    m_deviceView->sortByColumn(DeviceTableModel::Id, Qt::AscendingOrder);
    layout->addWidget(m_deviceView);
    return panel;
}

QWidget *MainWindow::buildTaskPanel()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Tasks</b>"), panel);
    auto *search = new QLineEdit(panel);
    search->setObjectName(QStringLiteral("taskFilter"));
    search->setPlaceholderText(tr("Filter tasks by step, device, status or message…"));
    search->setClearButtonEnabled(true);
    connect(search, &QLineEdit::textChanged, m_taskFilter,
            &QSortFilterProxyModel::setFilterFixedString);
    m_taskSummary = new QLabel(panel);
    header->addWidget(title);
    header->addWidget(search, 1);
    header->addWidget(m_taskSummary);
    layout->addLayout(header);
    m_taskView = makeTable(m_taskFilter, panel);
    m_taskView->setObjectName(QStringLiteral("taskTable"));
    m_taskView->sortByColumn(TaskTableModel::Id, Qt::DescendingOrder);
    layout->addWidget(m_taskView);
    return panel;
}

void MainWindow::applyFeed(const FeedUpdate &update)
{
    const bool firstDevices = m_devices->rowCount() == 0;
    m_devices->apply(update);
    m_tasks->apply(update);
    if (firstDevices && m_devices->rowCount() > 0)
        m_deviceView->resizeColumnsToContents();
    updateDeviceSummary();
}

void MainWindow::updateDeviceSummary()
{
    const auto counts = m_devices->countsByStatus();
    QStringList parts;
    for (DeviceStatus s : {DeviceStatus::Idle, DeviceStatus::Busy, DeviceStatus::Paused,
                           DeviceStatus::Maintenance, DeviceStatus::Error, DeviceStatus::Offline}) {
        if (counts.value(s) > 0)
            parts << QStringLiteral("%1 %2 %3").arg(dot(statusColor(s))).arg(counts.value(s)).arg(statusLabel(s));
    }
    m_deviceSummary->setText(tr("%1 devices: %2")
                                 .arg(m_devices->rowCount())
                                 .arg(parts.join(QStringLiteral(" &nbsp; "))));
}

void MainWindow::setFeedStats(const FeedStats &stats)
{
    m_lagLabel->setText(tr("Consumer lag: %1").arg(stats.lag));
}

void MainWindow::setEngineStats(const EngineStats &s)
{
    m_engineLabel->setText(tr("Engine running — %1 tasks running, %2 waiting for a device, %3 "
                              "completed, %4 failed, %5 workflows completed")
                               .arg(s.runningTasks)
                               .arg(s.waitingForDevice)
                               .arg(s.tasksCompleted)
                               .arg(s.tasksFailed)
                               .arg(s.workflowsCompleted));
    m_taskSummary->setText(tr("%1 active").arg(s.activeTasks));
}

void MainWindow::setDatabaseState(bool connected, const QString &message)
{
    m_databaseLabel->setText(QStringLiteral("%1 %2").arg(
        dot(connected ? QColor(0x4c, 0xaf, 0x50) : QColor(0xf4, 0x43, 0x36)),
        connected ? tr("Database") : tr("Database unreachable")));
    m_databaseLabel->setToolTip(message);
}

void MainWindow::setBrokerState(bool healthy, const QString &message)
{
    m_brokerLabel->setText(QStringLiteral("%1 %2").arg(
        dot(healthy ? QColor(0x4c, 0xaf, 0x50) : QColor(0xf4, 0x43, 0x36)),
        healthy ? tr("Kafka") : tr("Kafka unreachable")));
    m_brokerLabel->setToolTip(message);
}

void MainWindow::setConnectionInfo(const QString &database, const QString &kafka)
{
    m_databaseLabel->setToolTip(database);
    m_brokerLabel->setToolTip(tr("Kafka bootstrap %1").arg(kafka));
}

} // namespace alabos
