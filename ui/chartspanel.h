#pragma once
// Supervisor charts: throughput, utilisation, queue depth, event rate, consumer lag and
// task durations; a live window sampled once a second, and history from the rollups.
#include "core/bus/statefeed.h"

#include <QFrame>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QSet>
#include <QTimer>
#include <QWidget>
#include <memory>

class QAbstractAxis;
class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace alabos {

class ConsoleServices;
class HistoryQueries;
class LabModels;

// One chart with its export: PNG (the view as drawn) and CSV (the series' points).
class ChartCard : public QFrame
{
    Q_OBJECT
public:
    ChartCard(QChart *chart, const QString &fileStem, QWidget *parent = nullptr);

    QChart *chart() const { return m_chart; }
    QChartView *view() const { return m_view; }
    // CSV: "series,time,value" for line charts; "category,<set>..." for bar charts.
    QString csv() const;
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    bool exportPng(const QString &path, QString *error = nullptr) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void exportWithDialog(bool png);
    // The chart's colours follow the console's theme.
    void followTheme();

    QChart *m_chart;
    QChartView *m_view;
    QString m_fileStem;
};

class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    enum Range
    {
        Live,
        Hour,
        Day,
        Week
    };
    static constexpr int LivePoints = 600; // ten minutes, one point a second

    ChartsPanel(LabModels *models, ConsoleServices *services, QWidget *parent = nullptr);
    ~ChartsPanel() override;

    QList<ChartCard *> cards() const { return m_cards; }
    ChartCard *card(const QString &fileStem) const;
    Range range() const { return m_range; }
    qint64 samplesTaken() const { return m_samplesTaken; }

public Q_SLOTS:
    void setRange(alabos::ChartsPanel::Range range);
    // Takes one live sample now (the timer does it once a second) and redraws.
    void sampleNow();
    void refreshHistory();

Q_SIGNALS:
    void historyRefreshed(const QString &error);

private:
    struct Series
    {
        QList<QPointF> points; // x: ms since the epoch
        void add(qint64 ms, double value)
        {
            if (points.size() >= LivePoints) points.removeFirst();
            points.append(QPointF(double(ms), value));
        }
    };
    void onApplied(const FeedUpdate &update);
    void drawLive();
    void drawDurations(const QList<std::pair<QString, double>> &bins);
    void drawUtilisation(const QList<std::pair<QString, double>> &byType);
    void setTimeRange(qint64 fromMs, qint64 toMs);
    QList<std::pair<QString, double>> liveDurationBins() const;

    LabModels *m_models;
    ConsoleServices *m_services;
    std::shared_ptr<HistoryQueries> m_history;
    Range m_range = Live;
    QTimer m_sampleTimer;
    QTimer m_historyTimer;
    QComboBox *m_rangeBox;
    QComboBox *m_taskName;
    QLabel *m_status;
    QList<ChartCard *> m_cards;

    QLineSeries *m_throughput;
    QLineSeries *m_queued;
    QLineSeries *m_running;
    QLineSeries *m_eventRate;
    QLineSeries *m_lag;
    QBarSet *m_utilisation;
    QBarCategoryAxis *m_utilisationAxis;
    QBarSet *m_durations;
    QBarCategoryAxis *m_durationAxis;
    QValueAxis *m_durationCount;
    QList<QDateTimeAxis *> m_timeAxes;
    QHash<QLineSeries *, QValueAxis *> m_valueAxes;

    // Live state, sampled once a second: no work per event.
    Series m_throughputLive, m_queuedLive, m_runningLive, m_eventRateLive, m_lagLive;
    QList<std::pair<qint64, qint64>> m_samplesDone; // (ms, samples completed so far)
    qint64 m_samplesCompleted = 0;
    QSet<WorkflowId> m_completedWorkflows;               // recent, so a repeated state counts once
    QList<std::pair<QString, double>> m_recentDurations; // (task name, seconds), newest last
    QSet<QString> m_taskNames;
    QHash<QString, QList<double>> m_busyFraction; // per type, last 60 samples
    qint64 m_lastEventsApplied = -1;
    qint64 m_lastSampleMs = 0;
    qint64 m_samplesTaken = 0;
    quint64 m_historyRequest = 0;
};

} // namespace alabos
