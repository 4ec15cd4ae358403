#pragma once
#include "core/domain/types.h"

#include <QWidget>

#include <memory>

class QChartView;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTimer;
class QLineSeries;

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class HistoryQueries;
class SchemaForm;
class LabModels;
struct FeedUpdate;

// One device: its state, current task, the samples in its positions, a telemetry chart
// with history, and its commands (pause, resume, maintenance, reconnect, and every command
// its driver describes, through a generated parameter form), each gated by role.
class DevicePage : public QWidget
{
    Q_OBJECT
public:
    DevicePage(LabModels *models, ConsoleSession *session, ConsoleServices *services,
               QWidget *parent = nullptr);
    ~DevicePage() override;
    QString deviceId() const { return m_deviceId; }

public Q_SLOTS:
    void showDevice(const QString &deviceId);

private:
    void refreshState();
    void refreshCommands();
    void loadMetrics();
    void loadHistory();
    void updateActions();
    void sendDriverCommand();
    // The device's driver settings (read from the database), in the generated form.
    void editSettings();
    void removeDevice();

    LabModels *m_models;
    ConsoleSession *m_session;
    ConsoleServices *m_services;
    QString m_deviceId;
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_task;
    QListWidget *m_samples;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_maintenance;
    QPushButton *m_reconnect;
    QPushButton *m_settings;
    QPushButton *m_remove;
    QComboBox *m_command;
    SchemaForm *m_parameters;
    QPushButton *m_run;
    QComboBox *m_metric;
    QComboBox *m_range;
    QChartView *m_chart;
    QLineSeries *m_series;
    QTimer *m_refresh;
    std::shared_ptr<HistoryQueries> m_history; // used on the reader thread only
};

} // namespace alabos
