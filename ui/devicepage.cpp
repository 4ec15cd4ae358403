#include "ui/devicepage.h"

#include "core/domain/formdefinition.h"
#include "core/storage/databasereader.h"
#include "core/storage/history.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/devicesetupdialog.h"
#include "ui/devicetablemodel.h"
#include "ui/labmodels.h"
#include "ui/schemaform.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <pqxx/pqxx>

namespace alabos {

DevicePage::DevicePage(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                       QWidget *parent)
    : QWidget(parent), m_models(models), m_session(session), m_services(services),
      m_title(new QLabel(this)), m_state(new QLabel(this)), m_task(new QLabel(this)),
      m_samples(new QListWidget(this)), m_pause(new QPushButton(tr("Pause"), this)),
      m_resume(new QPushButton(tr("Resume"), this)),
      m_maintenance(new QPushButton(tr("Maintenance"), this)),
      m_reconnect(new QPushButton(tr("Reconnect"), this)),
      m_settings(new QPushButton(tr("Settings…"), this)),
      m_remove(new QPushButton(tr("Remove…"), this)), m_command(new QComboBox(this)),
      m_parameters(new SchemaForm(this)), m_run(new QPushButton(tr("Run command"), this)),
      m_metric(new QComboBox(this)), m_range(new QComboBox(this)), m_chart(new QChartView(this)),
      m_series(new QLineSeries(this)), m_refresh(new QTimer(this))
{
    setObjectName(QStringLiteral("devicePage"));
    m_samples->setAccessibleName(tr("Samples on this device"));
    m_command->setAccessibleName(tr("Device command"));
    m_metric->setAccessibleName(tr("Metric to chart"));
    m_range->setAccessibleName(tr("Chart time range"));
    m_title->setTextFormat(Qt::RichText);
    m_state->setTextFormat(Qt::RichText);
    m_pause->setToolTip(tr("Pause at once when idle, after the current task when busy"));
    m_maintenance->setToolTip(tr("Take the device out of service; it gets no tasks"));
    for (auto [button, kind] :
         {std::pair{m_pause, "device.pause"}, std::pair{m_resume, "device.resume"},
          std::pair{m_maintenance, "device.maintenance"},
          std::pair{m_reconnect, "device.reconnect"}}) {
        const QString k = QLatin1StringView(kind);
        connect(button, &QPushButton::clicked, this, [this, k] { m_session->send(k, m_deviceId); });
    }
    connect(m_command, &QComboBox::currentIndexChanged, this, &DevicePage::refreshCommands);
    connect(m_run, &QPushButton::clicked, this, &DevicePage::sendDriverCommand);
    m_settings->setObjectName(QStringLiteral("deviceSettings"));
    m_settings->setToolTip(tr("Show and change the driver and its connection settings"));
    m_remove->setObjectName(QStringLiteral("deviceRemove"));
    m_remove->setToolTip(tr("Take the device out of the lab; a busy device leaves after its task"));
    connect(m_settings, &QPushButton::clicked, this, &DevicePage::editSettings);
    connect(m_remove, &QPushButton::clicked, this, &DevicePage::removeDevice);
    connect(session, &ConsoleSession::identityChanged, this, &DevicePage::updateActions);

    auto *chart = new QChart;
    chart->legend()->hide();
    chart->addSeries(m_series);
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("hh:mm"));
    auto *y = new QValueAxis;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    m_series->attachAxis(x);
    m_series->attachAxis(y);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setChart(chart);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(180);
    m_range->addItem(tr("Last 15 minutes"), 15 * 60);
    m_range->addItem(tr("Last hour"), 3600);
    m_range->addItem(tr("Last day"), 24 * 3600);
    m_range->addItem(tr("Last week"), 7 * 24 * 3600);
    m_range->setCurrentIndex(1);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &DevicePage::loadHistory);
    connect(m_range, &QComboBox::currentIndexChanged, this, &DevicePage::loadHistory);
    connect(m_refresh, &QTimer::timeout, this, &DevicePage::loadHistory);
    m_refresh->start(5000);

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_pause, m_resume, m_maintenance, m_reconnect})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_settings);
    buttons->addWidget(m_remove);
    auto *commandBox = new QGroupBox(tr("Driver commands"), this);
    auto *commandLayout = new QVBoxLayout(commandBox);
    commandLayout->addWidget(m_command);
    commandLayout->addWidget(m_parameters);
    commandLayout->addWidget(m_run, 0, Qt::AlignRight);
    auto *samplesBox = new QGroupBox(tr("Samples in its positions"), this);
    auto *samplesLayout = new QVBoxLayout(samplesBox);
    samplesLayout->addWidget(m_samples);
    m_samples->setMaximumHeight(110);
    auto *chartBar = new QHBoxLayout;
    chartBar->addWidget(new QLabel(tr("Telemetry:"), this));
    chartBar->addWidget(m_metric, 1);
    chartBar->addWidget(m_range);

    auto *left = new QVBoxLayout;
    left->addWidget(m_title);
    left->addWidget(m_state);
    left->addWidget(m_task);
    left->addLayout(buttons);
    left->addWidget(samplesBox);
    left->addWidget(commandBox, 1);
    auto *right = new QVBoxLayout;
    right->addLayout(chartBar);
    right->addWidget(m_chart, 1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(left, 2);
    layout->addLayout(right, 3);

    connect(models, &LabModels::applied, this, [this](const FeedUpdate &u) {
        const bool mine =
            u.reset || std::any_of(u.devices.cbegin(), u.devices.cend(),
                                   [this](const DeviceState &d) { return d.id == m_deviceId; });
        if (mine) refreshState();
    });
    m_title->setText(tr("<h3>No device selected</h3>Double-click a device in the fleet."));
    updateActions();
}

DevicePage::~DevicePage() = default;

void DevicePage::showDevice(const QString &deviceId)
{
    m_deviceId = deviceId;
    refreshState();
    m_command->blockSignals(true);
    m_command->clear();
    if (m_services && m_services->describeDevice)
        for (const CommandDescription &c : m_services->describeDevice(deviceId))
            m_command->addItem(c.name, QVariant::fromValue(c.parametersJson()));
    m_command->blockSignals(false);
    refreshCommands();
    loadMetrics();
    updateActions();
}

void DevicePage::refreshState()
{
    const int row = m_models->devices()->rowOf(m_deviceId);
    if (m_deviceId.isEmpty() || row < 0) return;
    const DeviceState &d = m_models->devices()->device(row);
    m_title->setText(QStringLiteral("<h3>%1</h3>").arg(d.id.toHtmlEscaped()));
    const QString status = d.message.isEmpty()
                               ? statusLabel(d.status)
                               : tr("%1: %2").arg(statusLabel(d.status), d.message.toHtmlEscaped());
    m_state->setText(tr("%1 · <span style='color:%2'>&#9632; %3</span> · %4 tasks done")
                         .arg(d.type.toHtmlEscaped(), statusColor(d.status).name(), status)
                         .arg(d.tasksCompleted));
    QString task = tr("No current task");
    if (d.currentTask) {
        const int taskRow = m_models->tasks()->rowOf(d.currentTask);
        task = taskRow >= 0 ? tr("Current task %1: %2 (workflow %3)")
                                  .arg(d.currentTask)
                                  .arg(m_models->tasks()->task(taskRow).name)
                                  .arg(m_models->tasks()->task(taskRow).workflowId)
                            : tr("Current task %1").arg(d.currentTask);
    }
    m_task->setText(task);
    // Positions are exact hierarchical names under the device ("furnace-2/tray/3").
    m_samples->clear();
    const QString prefix = m_deviceId + QLatin1Char('/');
    for (const SampleState &s : m_models->samples()->rows())
        if (s.position.startsWith(prefix))
            m_samples->addItem(QStringLiteral("%1  %2").arg(s.position, s.barcode));
    if (m_samples->count() == 0) m_samples->addItem(tr("(no samples)"));
}

void DevicePage::refreshCommands()
{
    m_parameters->setDefinition(
        FormDefinition::fromCommandParameters(m_command->currentData().value<QJsonArray>()));
    updateActions();
}

void DevicePage::sendDriverCommand()
{
    if (!m_parameters->validate().isEmpty())
        return; // the form shows what is wrong under each field
    m_session->send(QStringLiteral("device.command"), m_deviceId,
                    {{QStringLiteral("command"), m_command->currentText()},
                     {QStringLiteral("parameters"), m_parameters->values()}});
}

void DevicePage::updateActions()
{
    const bool allowed = m_session->can(permission::DeviceControl) && !m_deviceId.isEmpty();
    for (QPushButton *b : {m_pause, m_resume, m_maintenance, m_reconnect, m_run})
        b->setEnabled(allowed);
    m_run->setEnabled(allowed && m_command->count() > 0);
    if (!m_session->can(permission::DeviceControl))
        for (QPushButton *b : {m_pause, m_resume, m_maintenance, m_reconnect, m_run})
            b->setToolTip(tr("Your role may not control devices (device_control)"));
    const bool configure = m_session->can(permission::LabConfig) && !m_deviceId.isEmpty();
    m_settings->setEnabled(configure && m_services && m_services->reader);
    m_remove->setEnabled(configure);
}

void DevicePage::editSettings()
{
    if (!m_services || !m_services->reader || m_deviceId.isEmpty()) return;
    auto config = std::make_shared<QJsonObject>();
    const std::string device = m_deviceId.toStdString();
    m_services->reader->run(
        [config, device](pqxx::connection &c) {
            pqxx::read_transaction tx(c);
            const pqxx::result r =
                tx.exec_params("SELECT config::text FROM devices WHERE id = $1", device);
            if (!r.empty()) *config = QJsonDocument::fromJson(QByteArray(r[0][0].c_str())).object();
        },
        this,
        [this, config, id = m_deviceId](const QString &error) {
            if (!error.isEmpty() || config->isEmpty()) {
                QMessageBox::warning(
                    this, tr("Device settings"),
                    error.isEmpty()
                        ? tr("%1 has no stored driver settings").arg(id)
                        : tr("The settings of %1 could not be read: %2").arg(id, error));
                return;
            }
            auto *dialog = new DeviceSetupDialog(m_session, *config, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        });
}

void DevicePage::removeDevice()
{
    if (m_deviceId.isEmpty()) return;
    const auto answer = QMessageBox::question(
        this, tr("Remove device"),
        tr("Remove %1 from the lab? Its driver is stopped; a task running on it finishes "
           "first. Its history stays.")
            .arg(m_deviceId));
    if (answer == QMessageBox::Yes) m_session->send(QStringLiteral("device.remove"), m_deviceId);
}

void DevicePage::loadMetrics()
{
    if (!m_services || !m_services->reader || m_deviceId.isEmpty()) return;
    auto metrics = std::make_shared<QStringList>();
    const std::string device = m_deviceId.toStdString();
    m_services->reader->run(
        [metrics, device](pqxx::connection &c) {
            pqxx::read_transaction tx(c);
            for (const auto &row :
                 tx.exec_params("SELECT DISTINCT metric FROM telemetry_minute "
                                "WHERE device_id = $1 AND minute > now() - interval '7 days' "
                                "ORDER BY metric",
                                device))
                *metrics << QString::fromUtf8(row[0].c_str());
        },
        this,
        [this, metrics](const QString &) {
            const QString current = m_metric->currentText();
            m_metric->blockSignals(true);
            m_metric->clear();
            m_metric->addItems(*metrics);
            m_metric->setCurrentIndex(qMax(0, m_metric->findText(current)));
            m_metric->blockSignals(false);
            loadHistory();
        });
}

void DevicePage::loadHistory()
{
    if (!m_services || !m_services->reader || m_deviceId.isEmpty() ||
        m_metric->currentText().isEmpty() || !isVisible())
        return;
    if (!m_history)
        m_history = std::make_shared<HistoryQueries>(m_services->reader->connectionStrings());
    const qint64 to = nowMicros();
    const qint64 from = to - qint64(m_range->currentData().toInt()) * 1000000;
    const int points = qMax(60, m_chart->width() / 3);
    auto result = std::make_shared<QList<TelemetryPoint>>();
    auto history = m_history;
    const QString device = m_deviceId, metric = m_metric->currentText();
    m_services->reader->run(
        [=](pqxx::connection &) {
            QString error;
            if (auto r = history->telemetry(device, metric, from, to, points, &error)) *result = *r;
        },
        this,
        [this, result, from, to](const QString &) {
            QList<QPointF> points;
            double lo = 0, hi = 1;
            for (const TelemetryPoint &p : *result) {
                points.append(QPointF(double(p.timeUs / 1000), p.avg));
                lo = points.size() == 1 ? p.min : std::min(lo, p.min);
                hi = points.size() == 1 ? p.max : std::max(hi, p.max);
            }
            m_series->replace(points); // one replace, never point by point
            auto *chart = m_chart->chart();
            chart->axes(Qt::Horizontal)
                .first()
                ->setRange(QDateTime::fromMSecsSinceEpoch(from / 1000),
                           QDateTime::fromMSecsSinceEpoch(to / 1000));
            const double pad = std::max(1e-6, (hi - lo) * 0.05);
            chart->axes(Qt::Vertical).first()->setRange(lo - pad, hi + pad);
        });
}

} // namespace alabos
