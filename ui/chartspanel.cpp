#include "ui/chartspanel.h"

#include "core/domain/csv.h"
#include "core/storage/databasereader.h"
#include "core/storage/history.h"
#include "ui/consoleservices.h"
#include "ui/labmodels.h"
#include "ui/theme.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace alabos {

namespace {
constexpr int kDurationBins = 20;
constexpr int kRecentDurations = 10000;
constexpr qint64 kHourMs = 3600 * 1000;

QChart *makeChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation); // redrawn every second
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    return chart;
}

// A bound a person reads easily: 1, 2 or 5 times a power of ten, at least `value`.
double niceCeiling(double value)
{
    if (value <= 0) return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0})
        if (step * magnitude >= value) return step * magnitude;
    return 10 * magnitude;
}

QString secondsText(double s)
{
    return s < 10 ? QString::number(s, 'g', 2)
                  : QString::number(qRound(s)); // short: bins are narrow
}
} // namespace

void ChartCard::followTheme()
{
    const QChart::ChartTheme theme = currentTheme() == Theme::HighContrast
                                         ? QChart::ChartThemeHighContrast
                                     : paletteIsDark() ? QChart::ChartThemeDark
                                                       : QChart::ChartThemeLight;
    if (m_chart->theme() != theme) m_chart->setTheme(theme);
}

void ChartCard::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) followTheme();
}

ChartCard::ChartCard(QChart *chart, const QString &fileStem, QWidget *parent)
    : QFrame(parent), m_chart(chart), m_view(new QChartView(chart, this)), m_fileStem(fileStem)
{
    setObjectName(fileStem);
    setFrameShape(QFrame::StyledPanel);
    m_view->setRenderHint(QPainter::Antialiasing);
    followTheme();
    m_view->setMinimumSize(240, 150); // six fit beside the right column on a 1600x1000 screen
    auto *png = new QToolButton(this);
    png->setText(tr("PNG…"));
    png->setToolTip(tr("Save this chart as an image"));
    png->setAutoRaise(true);
    auto *csvButton = new QToolButton(this);
    csvButton->setText(tr("CSV…"));
    csvButton->setToolTip(tr("Save this chart's points as CSV"));
    csvButton->setAutoRaise(true);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addStretch(1);
    buttons->addWidget(png);
    buttons->addWidget(csvButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(0);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);
    connect(png, &QToolButton::clicked, this, [this] { exportWithDialog(true); });
    connect(csvButton, &QToolButton::clicked, this, [this] { exportWithDialog(false); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(tr("Save as PNG…"), this, [this] { exportWithDialog(true); });
        menu.addAction(tr("Save as CSV…"), this, [this] { exportWithDialog(false); });
        menu.exec(m_view->mapToGlobal(pos));
    });
}

QString ChartCard::csv() const
{
    QStringList lines;
    const QList<QAbstractSeries *> all = m_chart->series();
    if (auto *bars = all.isEmpty() ? nullptr : qobject_cast<QAbstractBarSeries *>(all.first())) {
        QStringList categories;
        for (QAbstractAxis *axis : m_chart->axes(Qt::Horizontal) + m_chart->axes(Qt::Vertical))
            if (auto *c = qobject_cast<QBarCategoryAxis *>(axis)) categories = c->categories();
        QStringList header{tr("category")};
        for (QBarSet *set : bars->barSets())
            header << csvCell(set->label());
        lines << header.join(u',');
        for (int i = 0; i < categories.size(); ++i) {
            QStringList row{csvCell(categories[i])};
            for (QBarSet *set : bars->barSets())
                row << (i < set->count() ? QString::number(set->at(i), 'g', 10) : QString());
            lines << row.join(u',');
        }
    } else {
        lines << tr("series,time,value");
        for (QAbstractSeries *series : all) {
            auto *xy = qobject_cast<QXYSeries *>(series);
            if (!xy) continue;
            for (const QPointF &p : xy->points())
                lines << QStringLiteral("%1,%2,%3")
                             .arg(csvCell(xy->name()),
                                  QDateTime::fromMSecsSinceEpoch(qint64(p.x()))
                                      .toString(Qt::ISODateWithMs),
                                  QString::number(p.y(), 'g', 10));
        }
    }
    return lines.join(u'\n') + u'\n';
}

bool ChartCard::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(csv().toUtf8()) < 0 ||
        !file.commit()) {
        if (error) *error = file.errorString();
        return false;
    }
    return true;
}

bool ChartCard::exportPng(const QString &path, QString *error) const
{
    const QPixmap image = m_view->grab();
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error) *error = tr("could not write %1").arg(path);
        return false;
    }
    return true;
}

void ChartCard::exportWithDialog(bool png)
{
    const QString stem =
        m_fileStem + QDateTime::currentDateTime().toString(QStringLiteral("-yyyyMMdd-hhmmss"));
    const QString path = QFileDialog::getSaveFileName(
        this, png ? tr("Save chart as PNG") : tr("Save chart points as CSV"),
        stem + (png ? QStringLiteral(".png") : QStringLiteral(".csv")),
        png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!(png ? exportPng(path, &error) : exportCsv(path, &error)))
        QMessageBox::warning(this, tr("Export failed"),
                             tr("Could not save %1: %2").arg(path, error));
}

ChartsPanel::ChartsPanel(LabModels *models, ConsoleServices *services, QWidget *parent)
    : QWidget(parent), m_models(models), m_services(services), m_rangeBox(new QComboBox(this)),
      m_taskName(new QComboBox(this)), m_status(new QLabel(this))
{
    m_rangeBox->setObjectName(QStringLiteral("chartRange"));
    m_rangeBox->addItem(tr("Live (last 10 minutes)"), Live);
    m_rangeBox->addItem(tr("Last hour"), Hour);
    m_rangeBox->addItem(tr("Last day"), Day);
    m_rangeBox->addItem(tr("Last week"), Week);
    m_taskName->setObjectName(QStringLiteral("chartTaskName"));
    m_taskName->addItem(tr("All tasks"), QString());
    m_taskName->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_taskName->setToolTip(tr("Which tasks the durations histogram counts"));
    m_status->setObjectName(QStringLiteral("chartStatus"));
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setToolTip(tr("Query the history again"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_rangeBox);
    bar->addWidget(refresh);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Durations of:"), this));
    bar->addWidget(m_taskName);
    bar->addStretch(1);
    bar->addWidget(m_status);

    auto timeChart = [this](const QString &title, const QString &unit,
                            const QList<std::pair<QLineSeries **, QString>> &series) {
        QChart *chart = makeChart(title);
        auto *x = new QDateTimeAxis;
        x->setFormat(QStringLiteral("hh:mm"));
        x->setTickCount(6);
        auto *y = new QValueAxis;
        y->setTitleText(unit);
        y->setLabelFormat(QStringLiteral("%.0f"));
        y->setRange(0, 1);
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        for (const auto &[slot, name] : series) {
            auto *s = new QLineSeries;
            s->setName(name);
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
            *slot = s;
            m_valueAxes.insert(s, y);
        }
        chart->legend()->setVisible(series.size() > 1);
        m_timeAxes.append(x);
        return chart;
    };
    auto barChart = [](const QString &title, const QString &unit, QBarSet **set,
                       QBarCategoryAxis **categories, QValueAxis **values, bool horizontal) {
        QChart *chart = makeChart(title);
        *set = new QBarSet(unit);
        QAbstractBarSeries *series =
            horizontal ? static_cast<QAbstractBarSeries *>(new QHorizontalBarSeries)
                       : new QBarSeries;
        series->append(*set);
        chart->addSeries(series);
        *categories = new QBarCategoryAxis;
        auto *y = new QValueAxis;
        y->setTitleText(unit);
        y->setLabelFormat(QStringLiteral("%.0f"));
        // Long type names read better down the side than squeezed under the bars.
        // Small charts elide category names to "…": a smaller font, and bins' labels slanted.
        QFont small = (*categories)->labelsFont();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        (*categories)->setLabelsFont(small);
        (*categories)->setTruncateLabels(false); // a device type must be readable whole
        if (!horizontal) (*categories)->setLabelsAngle(-45);
        chart->addAxis(*categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
        chart->addAxis(y, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
        series->attachAxis(*categories);
        series->attachAxis(y);
        chart->legend()->setVisible(false);
        if (values) *values = y;
        return std::pair{chart, series};
    };

    QValueAxis *utilisationAxis = nullptr;
    auto [utilChart, utilSeries] =
        barChart(tr("Utilisation by device type"), tr("% busy"), &m_utilisation, &m_utilisationAxis,
                 &utilisationAxis, true);
    utilisationAxis->setRange(0, 100);
    auto [durChart, durSeries] = barChart(tr("Task durations"), tr("tasks"), &m_durations,
                                          &m_durationAxis, &m_durationCount, false);
    durSeries->setBarWidth(0.95); // a histogram: bins touch
    m_durationAxis->setTitleText(tr("seconds (start of each bin)"));

    m_cards = {
        new ChartCard(timeChart(tr("Samples completed per hour"), tr("samples / h"),
                                {{&m_throughput, tr("samples / h")}}),
                      QStringLiteral("samples-per-hour"), this),
        new ChartCard(utilChart, QStringLiteral("utilisation"), this),
        new ChartCard(
            timeChart(tr("Queue depth"), tr("tasks"),
                      {{&m_queued, tr("waiting for a device")}, {&m_running, tr("running")}}),
            QStringLiteral("queue-depth"), this),
        new ChartCard(
            timeChart(tr("Event rate"), tr("events / s"), {{&m_eventRate, tr("events / s")}}),
            QStringLiteral("event-rate"), this),
        new ChartCard(timeChart(tr("Consumer lag"), tr("messages"), {{&m_lag, tr("messages")}}),
                      QStringLiteral("consumer-lag"), this),
        new ChartCard(durChart, QStringLiteral("task-durations"), this),
    };
    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    for (int i = 0; i < m_cards.size(); ++i)
        grid->addWidget(m_cards[i], i / 3, i % 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    if (m_services && m_services->reader)
        m_history = std::make_shared<HistoryQueries>(m_services->reader->connectionStrings());
    else
        for (int i = 1; i < m_rangeBox->count(); ++i)
            m_rangeBox->setItemData(i, false, Qt::UserRole - 1); // disabled: no database

    connect(m_rangeBox, &QComboBox::currentIndexChanged, this,
            [this] { setRange(Range(m_rangeBox->currentData().toInt())); });
    connect(refresh, &QPushButton::clicked, this, &ChartsPanel::refreshHistory);
    connect(m_taskName, &QComboBox::currentIndexChanged, this, [this] {
        if (m_range == Live)
            drawDurations(liveDurationBins());
        else
            refreshHistory();
    });
    connect(models, &LabModels::applied, this, &ChartsPanel::onApplied);
    m_sampleTimer.setInterval(1000);
    connect(&m_sampleTimer, &QTimer::timeout, this, &ChartsPanel::sampleNow);
    m_sampleTimer.start();
    m_historyTimer.setInterval(60000);
    connect(&m_historyTimer, &QTimer::timeout, this, [this] {
        if (isVisible()) refreshHistory();
    });
    sampleNow();
}

ChartsPanel::~ChartsPanel() = default;

ChartCard *ChartsPanel::card(const QString &fileStem) const
{
    for (ChartCard *c : m_cards)
        if (c->objectName() == fileStem) return c;
    return nullptr;
}

void ChartsPanel::onApplied(const FeedUpdate &update)
{
    // Per batch, only what a sample cannot recover later: completions and durations.
    if (update.reset) return; // a snapshot holds no news
    for (const WorkflowState &w : update.workflows) {
        if (w.status != QLatin1StringView("completed") || m_completedWorkflows.contains(w.id))
            continue;
        if (m_completedWorkflows.size() > 100000) m_completedWorkflows.clear();
        m_completedWorkflows.insert(w.id);
        m_samplesCompleted += w.samples.size();
    }
    for (const TaskState &t : update.tasks) {
        if (t.status != TaskStatus::Completed || !t.startedUs || t.finishedUs < t.startedUs)
            continue;
        if (m_recentDurations.size() >= kRecentDurations) m_recentDurations.removeFirst();
        m_recentDurations.append({t.name, (t.finishedUs - t.startedUs) / 1e6});
        if (!m_taskNames.contains(t.name)) {
            m_taskNames.insert(t.name);
            int i = 1;
            while (i < m_taskName->count() && m_taskName->itemText(i) < t.name)
                ++i;
            m_taskName->insertItem(i, t.name, t.name);
        }
    }
}

namespace {
void fitValueAxis(QValueAxis *axis, const QList<QLineSeries *> &series)
{
    double top = 0;
    for (QLineSeries *s : series)
        for (const QPointF &p : s->points())
            top = std::max(top, p.y());
    // At least 0..5, so small integer counts get whole-number ticks.
    axis->setRange(0, std::max(5.0, niceCeiling(top * 1.1)));
}
} // namespace

void ChartsPanel::sampleNow()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const FeedStats stats = m_models->feedStats();
    ++m_samplesTaken;

    // Samples per hour, over the last minute (or what there is of it).
    m_samplesDone.append({now, m_samplesCompleted});
    while (m_samplesDone.size() > 1 && now - m_samplesDone.first().first > 60000)
        m_samplesDone.removeFirst();
    const auto &[firstMs, firstCount] = m_samplesDone.first();
    const double spanH = (now - firstMs) / double(kHourMs);
    if (spanH > 0) m_throughputLive.add(now, (m_samplesCompleted - firstCount) / spanH);

    // Queue depth and utilisation: one pass over the models' rows, once a second.
    int queued = 0, running = 0;
    for (const TaskState &t : m_models->tasks()->rows()) {
        if (t.status == TaskStatus::Waiting || t.status == TaskStatus::Ready)
            ++queued;
        else if (t.status == TaskStatus::Running)
            ++running;
    }
    m_queuedLive.add(now, queued);
    m_runningLive.add(now, running);
    QHash<QString, std::pair<int, int>> busy; // type -> (busy, total)
    for (const DeviceState &d : m_models->devices()->rows()) {
        auto &[b, total] = busy[d.type];
        b += d.status == DeviceStatus::Busy ? 1 : 0;
        ++total;
    }
    for (auto it = busy.cbegin(); it != busy.cend(); ++it) {
        QList<double> &window = m_busyFraction[it.key()];
        if (window.size() >= 60) window.removeFirst();
        window.append(it->second ? double(it->first) / it->second : 0);
    }

    if (m_lastEventsApplied >= 0 && now > m_lastSampleMs)
        m_eventRateLive.add(now, qMax<qint64>(0, stats.eventsApplied - m_lastEventsApplied) *
                                     1000.0 / (now - m_lastSampleMs));
    m_lastEventsApplied = stats.eventsApplied;
    m_lastSampleMs = now;
    m_lagLive.add(now, stats.lag);

    // Drawing costs more than sampling: only when someone can see it.
    if (m_range == Live && isVisible()) drawLive();
    if (m_range != Live && isVisible()) {
        // Event rate and lag have no history: they stay live.
        m_eventRate->replace(m_eventRateLive.points);
        m_lag->replace(m_lagLive.points);
        for (QDateTimeAxis *axis : {m_timeAxes[2], m_timeAxes[3]})
            axis->setRange(QDateTime::fromMSecsSinceEpoch(now - LivePoints * 1000),
                           QDateTime::fromMSecsSinceEpoch(now));
        fitValueAxis(m_valueAxes.value(m_eventRate), {m_eventRate});
        fitValueAxis(m_valueAxes.value(m_lag), {m_lag});
    }
}

void ChartsPanel::setTimeRange(qint64 fromMs, qint64 toMs)
{
    const bool shortRange = toMs - fromMs <= 2 * kHourMs;
    // Only throughput and queue depth have history; event rate and lag stay live.
    for (QDateTimeAxis *axis : {m_timeAxes[0], m_timeAxes[1]}) {
        axis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs),
                       QDateTime::fromMSecsSinceEpoch(toMs));
        axis->setFormat(shortRange                      ? QStringLiteral("hh:mm")
                        : toMs - fromMs <= 26 * kHourMs ? QStringLiteral("hh:mm")
                                                        : QStringLiteral("dd.MM. hh:mm"));
    }
}

void ChartsPanel::drawLive()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_throughput->replace(m_throughputLive.points);
    m_queued->replace(m_queuedLive.points);
    m_running->replace(m_runningLive.points);
    m_eventRate->replace(m_eventRateLive.points);
    m_lag->replace(m_lagLive.points);
    // The live window always spans ten minutes, so the picture scrolls steadily.
    for (QDateTimeAxis *axis : std::as_const(m_timeAxes))
        axis->setRange(QDateTime::fromMSecsSinceEpoch(now - LivePoints * 1000),
                       QDateTime::fromMSecsSinceEpoch(now));
    fitValueAxis(m_valueAxes.value(m_throughput), {m_throughput});
    fitValueAxis(m_valueAxes.value(m_queued), {m_queued, m_running});
    fitValueAxis(m_valueAxes.value(m_eventRate), {m_eventRate});
    fitValueAxis(m_valueAxes.value(m_lag), {m_lag});

    QList<std::pair<QString, double>> byType;
    for (auto it = m_busyFraction.cbegin(); it != m_busyFraction.cend(); ++it) {
        double sum = 0;
        for (double f : *it)
            sum += f;
        byType.append({it.key(), it->isEmpty() ? 0 : 100.0 * sum / it->size()});
    }
    std::sort(byType.begin(), byType.end());
    drawUtilisation(byType);
    drawDurations(liveDurationBins());
}

QList<std::pair<QString, double>> ChartsPanel::liveDurationBins() const
{
    const QString name = m_taskName->currentData().toString();
    double longest = 0;
    for (const auto &[task, seconds] : m_recentDurations)
        if (name.isEmpty() || task == name) longest = std::max(longest, seconds);
    if (longest <= 0) return {};
    const double width = niceCeiling(longest / kDurationBins);
    const int bins = std::min(kDurationBins, int(std::floor(longest / width)) + 1);
    QList<double> counts(bins, 0);
    for (const auto &[task, seconds] : m_recentDurations)
        if (name.isEmpty() || task == name) counts[std::min(bins - 1, int(seconds / width))] += 1;
    QList<std::pair<QString, double>> out;
    for (int i = 0; i < bins; ++i)
        out.append(
            {QStringLiteral("%1–%2").arg(secondsText(i * width), secondsText((i + 1) * width)),
             counts[i]});
    return out;
}

void ChartsPanel::drawDurations(const QList<std::pair<QString, double>> &bins)
{
    QStringList categories;
    QList<qreal> values;
    double top = 0;
    for (const auto &[label, count] : bins) {
        categories << label;
        values << count;
        top = std::max(top, count);
    }
    if (m_durationAxis->categories() != categories) {
        m_durations->remove(0, m_durations->count());
        m_durationAxis->setCategories(categories);
        m_durations->append(values);
    } else {
        for (int i = 0; i < values.size(); ++i)
            if (m_durations->at(i) != values[i]) m_durations->replace(i, values[i]);
    }
    m_durationCount->setRange(0, std::max(5.0, niceCeiling(top * 1.1)));
}

void ChartsPanel::drawUtilisation(const QList<std::pair<QString, double>> &byType)
{
    QStringList categories;
    QList<qreal> values;
    for (const auto &[type, percent] : byType) {
        categories << type;
        values << percent;
    }
    if (m_utilisationAxis->categories() != categories) {
        m_utilisation->remove(0, m_utilisation->count());
        m_utilisationAxis->setCategories(categories);
        m_utilisation->append(values);
    } else {
        for (int i = 0; i < values.size(); ++i)
            if (m_utilisation->at(i) != values[i]) m_utilisation->replace(i, values[i]);
    }
}

void ChartsPanel::setRange(Range range)
{
    if (m_rangeBox->currentData().toInt() != range)
        m_rangeBox->setCurrentIndex(m_rangeBox->findData(range)); // re-enters
    if (m_range == range && sender() != m_rangeBox) return;
    m_range = range;
    m_cards[0]->chart()->setTitle(range == Live
                                      ? tr("Samples completed per hour (last minute's rate)")
                                      : tr("Samples completed per hour"));
    m_cards[3]->chart()->setTitle(range == Live ? tr("Event rate") : tr("Event rate (live only)"));
    m_cards[4]->chart()->setTitle(range == Live ? tr("Consumer lag")
                                                : tr("Consumer lag (live only)"));
    m_throughput->setPointsVisible(range != Live);
    if (range == Live) {
        m_historyTimer.stop();
        m_status->clear();
        drawLive();
    } else {
        m_historyTimer.start();
        refreshHistory();
    }
}

void ChartsPanel::refreshHistory()
{
    if (m_range == Live) {
        drawLive();
        return;
    }
    if (!m_history) {
        Q_EMIT historyRefreshed(tr("No database"));
        return;
    }
    const qint64 toUs = nowMicros();
    const qint64 spanUs = (m_range == Hour ? 1 : m_range == Day ? 24 : 24 * 7) * kHourMs * 1000;
    const qint64 fromUs = toUs - spanUs;
    const QString taskName = m_taskName->currentData().toString();
    m_status->setText(tr("Loading history…"));
    struct Result
    {
        QList<HourlyCount> hourly;
        QList<DeviceTypeUtilisation> utilisation;
        QList<QueueDepthPoint> queue;
        QList<DurationBucket> durations;
        QString error;
    };
    auto result = std::make_shared<Result>();
    std::shared_ptr<HistoryQueries> history = m_history;
    const quint64 request = ++m_historyRequest;
    m_services->reader->run(
        [=](pqxx::connection &) {
            QString *error = &result->error;
            if (auto r = history->completedPerHour(fromUs, toUs, error))
                result->hourly = *r;
            else
                return;
            if (auto r = history->utilisationByDeviceType(fromUs, toUs, error))
                result->utilisation = *r;
            else
                return;
            if (auto r = history->queueDepth(fromUs, toUs, 240, error))
                result->queue = *r;
            else
                return;
            if (auto r = history->taskDurations(fromUs, toUs, taskName, error))
                result->durations = *r;
        },
        this,
        [=, this](const QString &readerError) {
            if (request != m_historyRequest || m_range == Live) return; // superseded
            const QString error = readerError.isEmpty() ? result->error : readerError;
            if (!error.isEmpty()) {
                m_status->setText(tr("History unavailable: %1").arg(error));
                Q_EMIT historyRefreshed(error);
                return;
            }
            QList<QPointF> hourly;
            for (const HourlyCount &h : result->hourly)
                hourly.append(QPointF(double(h.hourUs / 1000), double(h.samplesCompleted)));
            m_throughput->replace(hourly);
            QList<QPointF> queued, running;
            for (const QueueDepthPoint &q : result->queue) {
                queued.append(QPointF(double(q.timeUs / 1000), q.queueDepth));
                running.append(QPointF(double(q.timeUs / 1000), q.tasksRunning));
            }
            m_queued->replace(queued);
            m_running->replace(running);
            setTimeRange(fromUs / 1000, toUs / 1000);
            // Event rate and lag keep the live window on their own axes' time.
            fitValueAxis(m_valueAxes.value(m_throughput), {m_throughput});
            fitValueAxis(m_valueAxes.value(m_queued), {m_queued, m_running});
            QList<std::pair<QString, double>> byType;
            for (const DeviceTypeUtilisation &u : result->utilisation)
                byType.append({u.deviceType, 100.0 * u.utilisation});
            drawUtilisation(byType);
            QList<std::pair<QString, double>> bins;
            for (const DurationBucket &b : result->durations)
                bins.append({secondsText(b.lowerSeconds), double(b.count)});
            drawDurations(bins);
            m_status->setText(
                tr("History as of %1")
                    .arg(QDateTime::currentDateTime().toString(QStringLiteral("hh:mm:ss"))));
            Q_EMIT historyRefreshed(QString());
        });
}

} // namespace alabos
