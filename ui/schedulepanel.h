#pragma once
#include "core/engine/schedulepredictor.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class LabModels;
class ScheduleView;

// The schedule (Gantt): one row per device grouped by type, its running task and the
// predicted queue (core/engine/schedulepredictor.h). The queue is taken from the engine on
// its thread, the durations from the database's history, the prediction is made off the UI
// thread. Dragging a queued task earlier or later changes its priority, onto the header it
// holds it: the same operator commands as the task queue, gated by the same permission.
class SchedulePanel : public QWidget
{
    Q_OBJECT
public:
    SchedulePanel(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                  QWidget *parent = nullptr);
    ~SchedulePanel() override;

    // Asks the engine for its queue and predicts again (does nothing while one is under way).
    void refresh();
    // The durations to predict with, instead of the database's (tests, the benchmark).
    void setDurations(const DurationTable &durations);
    // Shows a prediction made elsewhere (the benchmark).
    void showPrediction(const ScheduleSnapshot &snapshot, const SchedulePrediction &prediction);
    const SchedulePrediction &prediction() const;
    const ScheduleSnapshot &snapshot() const;
    // Predictions shown so far; each refresh that completes adds one.
    int predictions() const { return m_predictions; }
    void selectTask(TaskId id);
    ScheduleView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    QComboBox *zoom() const { return m_zoom; }
    QLabel *status() const { return m_status; }
    QTreeWidget *details() const { return m_details; }

Q_SIGNALS:
    void predicted();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void loadDurations();
    void predict(const ScheduleSnapshot &snapshot);
    void showDetails(TaskId id);
    void dropTask(TaskId id, double shiftS, bool hold);

    LabModels *m_models;
    ConsoleSession *m_session;
    ConsoleServices *m_services;
    QLineEdit *m_filter;
    QComboBox *m_zoom;
    QPushButton *m_now;
    QPushButton *m_refresh;
    QLabel *m_status;
    ScheduleView *m_view;
    QTreeWidget *m_details;
    QTimer *m_timer;
    std::shared_ptr<const DurationTable> m_durations;
    bool m_durationsFixed = false;
    bool m_busy = false;
    qint64 m_requestedMs = 0;
    qint64 m_durationsLoadedMs = 0;
    bool m_durationsIncomplete = false; // a step of the last prediction had no history
    int m_predictions = 0;
};

} // namespace alabos
