#include "ui/schedulepanel.h"

#include "core/domain/logging.h"
#include "core/storage/databasereader.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/schedulehistory.h"
#include "ui/scheduleview.h"

#include <QComboBox>
#include <QDate>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QThreadPool>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <pqxx/pqxx>

namespace alabos {

namespace {
// The recent runs a step's duration is estimated from, per device type.
constexpr int kRunsPerStep = 50;
// Finished tasks looked at for them: the newest, so the query stays cheap on a long history.
constexpr int kHistoryTasks = 20000;
constexpr int kRefreshMs = 5000;
constexpr qint64 kDurationsMaxAgeMs = 60000;
// Sooner while some step of the queue has no run in the history yet (a new lab, a new
// template): its first runs replace the template's guess.
constexpr qint64 kDurationsIncompleteMaxAgeMs = 10000;
constexpr qint64 kGiveUpMs = 30000;
// The samples listed for one workflow; the rest are counted.
constexpr int kMaxSamplesListed = 200;
constexpr qsizetype kMaxText = 200;

QString when(qint64 us)
{
    if (us <= 0) return SchedulePanel::tr("not predictable");
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(us / 1000);
    return t.date() == QDate::currentDate() ? t.toString(QStringLiteral("HH:mm:ss"))
                                            : t.toString(QStringLiteral("ddd dd.MM. HH:mm"));
}
} // namespace

DurationTable readDurationHistory(pqxx::connection &c)
{
    DurationTable table;
    pqxx::read_transaction tx(c);
    // The newest finished runs of each step per device type (newest by when they finished,
    // which the finished-tasks index serves); their median and the 10th and 90th percentiles.
    const pqxx::result r = tx.exec_params(
        "WITH recent AS ("
        "  SELECT t.workflow_id, t.name, t.device_type,"
        "         extract(epoch FROM t.finished_at - t.started_at) AS s"
        "  FROM tasks t WHERE t.status = 'completed' AND t.started_at IS NOT NULL"
        "  ORDER BY t.finished_at DESC NULLS LAST LIMIT $1),"
        " ranked AS ("
        "  SELECT w.template, r.name, r.device_type, r.s, row_number() OVER"
        "    (PARTITION BY w.template, r.name, r.device_type ORDER BY r.workflow_id DESC) "
        "AS n"
        "  FROM recent r JOIN workflows w ON w.id = r.workflow_id)"
        " SELECT template, name, device_type,"
        "  percentile_cont(0.5) WITHIN GROUP (ORDER BY s),"
        "  percentile_cont(0.1) WITHIN GROUP (ORDER BY s),"
        "  percentile_cont(0.9) WITHIN GROUP (ORDER BY s), count(*), avg(s)"
        " FROM ranked WHERE n <= $2 GROUP BY 1, 2, 3",
        kHistoryTasks, kRunsPerStep);
    for (const auto &row : r)
        table.insert(durationKey(QString::fromUtf8(row[0].c_str()),
                                 QString::fromUtf8(row[1].c_str()),
                                 QString::fromUtf8(row[2].c_str())),
                     {row[3].as<double>(), row[4].as<double>(), row[5].as<double>(),
                      row[6].as<int>(), row[7].as<double>()});
    return table;
}

SchedulePanel::SchedulePanel(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                             QWidget *parent)
    : QWidget(parent), m_models(models), m_session(session), m_services(services),
      m_filter(new QLineEdit(this)), m_zoom(new QComboBox(this)),
      m_now(new QPushButton(tr("Now"), this)), m_refresh(new QPushButton(tr("Refresh"), this)),
      m_status(new QLabel(this)), m_view(new ScheduleView(this)), m_details(new QTreeWidget(this)),
      m_timer(new QTimer(this)), m_durations(std::make_shared<DurationTable>())
{
    m_filter->setObjectName(QStringLiteral("scheduleFilter"));
    m_filter->setAccessibleName(tr("Filter devices"));
    m_filter->setPlaceholderText(tr("Filter devices by name, type or status…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaxLength(int(kMaxText));
    m_zoom->setObjectName(QStringLiteral("scheduleZoom"));
    const QList<std::pair<QString, double>> spans{{tr("10 minutes"), 600}, {tr("30 minutes"), 1800},
                                                  {tr("1 hour"), 3600},    {tr("3 hours"), 10800},
                                                  {tr("12 hours"), 43200}, {tr("1 day"), 86400},
                                                  {tr("1 week"), 604800}};
    for (const auto &[label, seconds] : spans)
        m_zoom->addItem(label, seconds);
    m_zoom->setCurrentIndex(3);
    m_zoom->setToolTip(tr("How much time the width shows (Ctrl+wheel zooms around the pointer)"));
    m_now->setToolTip(tr("Scroll to now"));
    m_refresh->setToolTip(tr("Predict again from the scheduler's queue now"));
    m_status->setObjectName(QStringLiteral("scheduleStatus"));
    m_details->setObjectName(QStringLiteral("scheduleDetails"));
    m_details->setAccessibleName(tr("Selected workflow"));
    m_details->setHeaderLabels({tr("Selected workflow"), tr("Predicted")});
    m_details->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setAccessibleName(tr("Predicted schedule"));
    m_view->setSpanSeconds(10800);

    connect(m_filter, &QLineEdit::textChanged, m_view, &ScheduleView::setFilter);
    connect(m_zoom, &QComboBox::currentIndexChanged, this,
            [this] { m_view->setSpanSeconds(m_zoom->currentData().toDouble()); });
    connect(m_view, &ScheduleView::spanChanged, this, [this](double seconds) {
        // The nearest listed span, without zooming back to it.
        int best = 0;
        for (int i = 1; i < m_zoom->count(); ++i)
            if (std::abs(std::log(m_zoom->itemData(i).toDouble() / seconds)) <
                std::abs(std::log(m_zoom->itemData(best).toDouble() / seconds)))
                best = i;
        const QSignalBlocker block(m_zoom);
        m_zoom->setCurrentIndex(best);
    });
    connect(m_now, &QPushButton::clicked, m_view, &ScheduleView::scrollToNow);
    connect(m_refresh, &QPushButton::clicked, this, [this] {
        m_durationsLoadedMs = 0; // the history too
        refresh();
    });
    connect(m_view, &ScheduleView::taskSelected, this, &SchedulePanel::showDetails);
    connect(m_view, &ScheduleView::taskDropped, this, &SchedulePanel::dropTask);
    connect(m_view, &ScheduleView::dragRefused, m_status, &QLabel::setText);
    auto updateDrag = [this] {
        const bool allowed = m_session && m_session->can(permission::TaskControl);
        m_view->setDragAllowed(allowed,
                               m_session && m_session->isLoggedIn()
                                   ? tr("Your role may not change tasks (it needs permission %1)")
                                         .arg(QString::fromLatin1(permission::TaskControl))
                                   : tr("Sign in to change tasks"));
    };
    if (m_session) connect(m_session, &ConsoleSession::identityChanged, this, updateDrag);
    updateDrag();
    // Refreshed while someone looks at it.
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible()) refresh();
    });
    m_timer->start(kRefreshMs);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 2);
    bar->addWidget(new QLabel(tr("Zoom:"), this));
    bar->addWidget(m_zoom);
    bar->addWidget(m_now);
    bar->addWidget(m_refresh);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    // The details' times must be readable without scrolling: about a third of the width.
    split->setSizes({700, 320});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
    if (!m_services || !m_services->scheduleSnapshot)
        m_status->setText(tr("The schedule is predicted at the scheduler's own console; this "
                             "console runs no scheduler."));
}

SchedulePanel::~SchedulePanel() = default;

const SchedulePrediction &SchedulePanel::prediction() const
{
    static const SchedulePrediction none;
    return m_view->prediction() ? *m_view->prediction() : none;
}

const ScheduleSnapshot &SchedulePanel::snapshot() const
{
    static const ScheduleSnapshot none;
    return m_view->snapshot() ? *m_view->snapshot() : none;
}

void SchedulePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void SchedulePanel::setDurations(const DurationTable &durations)
{
    m_durations = std::make_shared<DurationTable>(durations);
    m_durationsFixed = true;
}

void SchedulePanel::loadDurations()
{
    if (m_durationsFixed || !m_services || !m_services->reader) return;
    const qint64 maxAge = m_durationsIncomplete ? kDurationsIncompleteMaxAgeMs : kDurationsMaxAgeMs;
    if (m_durationsLoadedMs && QDateTime::currentMSecsSinceEpoch() - m_durationsLoadedMs < maxAge)
        return;
    m_durationsLoadedMs = QDateTime::currentMSecsSinceEpoch();
    auto table = std::make_shared<DurationTable>();
    m_services->reader->run([table](pqxx::connection &c) { *table = readDurationHistory(c); }, this,
                            [this, table](const QString &error) {
                                if (!error.isEmpty()) {
                                    qCWarning(lcUi).noquote()
                                        << "schedule: task durations not read:" << error;
                                    return;
                                }
                                if (!m_durationsFixed) m_durations = table;
                            });
}

void SchedulePanel::refresh()
{
    if (!m_services || !m_services->scheduleSnapshot) return;
    // One at a time; one whose answer never came (the engine stopped) is given up.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (m_busy && nowMs - m_requestedMs < kGiveUpMs) return;
    loadDurations();
    m_busy = true;
    m_requestedMs = nowMs;
    m_services->scheduleSnapshot(this,
                                 [this](const ScheduleSnapshot &snapshot) { predict(snapshot); });
}

void SchedulePanel::predict(const ScheduleSnapshot &snapshot)
{
    // Off the UI thread: 100,000 queued tasks take a while to play forward.
    auto snap = std::make_shared<const ScheduleSnapshot>(snapshot);
    std::shared_ptr<const DurationTable> durations = m_durations;
    QPointer<SchedulePanel> self(this);
    QThreadPool::globalInstance()->start([self, snap, durations] {
        QElapsedTimer clock;
        clock.start();
        auto prediction =
            std::make_shared<const SchedulePrediction>(predictSchedule(*snap, *durations));
        const qint64 ms = clock.elapsed();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, snap, prediction, ms] {
                if (!self) return;
                self->m_busy = false;
                // A big queue is predicted less often, so the engine and a core are not kept
                // busy by it.
                self->m_timer->setInterval(int(std::clamp<qint64>(ms * 20, kRefreshMs, 60000)));
                self->showPrediction(*snap, *prediction);
                int queued = 0, unpredicted = 0;
                self->m_durationsIncomplete = false;
                for (const PredictedTask &t : prediction->tasks) {
                    if (t.duration.runs == 0) self->m_durationsIncomplete = true;
                    if (!t.running) ++queued;
                    if (t.why != PredictedTask::Why::Predicted) ++unpredicted;
                }
                QString text =
                    tr("%n queued task(s) on %1 devices, predicted in %2 ms.", nullptr, queued)
                        .arg(snap->devices.size())
                        .arg(ms);
                if (unpredicted > 0)
                    text +=
                        u' ' + tr("%n task(s) cannot be predicted (held, after a held task, or no "
                                  "device of their type can take them).",
                                  nullptr, unpredicted);
                self->m_status->setText(text);
            },
            Qt::QueuedConnection);
    });
}

void SchedulePanel::showPrediction(const ScheduleSnapshot &snapshot,
                                   const SchedulePrediction &prediction)
{
    m_view->setSchedule(std::make_shared<const ScheduleSnapshot>(snapshot),
                        std::make_shared<const SchedulePrediction>(prediction));
    ++m_predictions;
    showDetails(m_view->selectedTask());
    Q_EMIT predicted();
}

void SchedulePanel::selectTask(TaskId id)
{
    m_view->setSelectedTask(id);
    showDetails(id);
}

void SchedulePanel::showDetails(TaskId id)
{
    m_details->clear();
    const SchedulePrediction &p = prediction();
    const PredictedTask *task = p.task(id);
    if (!task) return;
    const ScheduleSnapshot &s = snapshot();
    const ScheduleTask &st = s.tasks[p.indexOf.value(id)];
    auto *wf = new QTreeWidgetItem(
        m_details,
        {tr("Workflow %1 (%2)").arg(task->workflowId).arg(st.templateName.left(kMaxText)),
         when(p.workflowFinishUs.value(task->workflowId))});
    auto *path = new QTreeWidgetItem(wf, {tr("Critical path"), QString()});
    for (TaskId c : p.criticalPath(task->workflowId)) {
        const PredictedTask *t = p.task(c);
        const ScheduleTask &ct = s.tasks[p.indexOf.value(c)];
        const QString device = t->device >= 0 ? s.devices[t->device].id.left(kMaxText) : QString();
        new QTreeWidgetItem(path,
                            {tr("%1 #%2 on %3").arg(ct.step.left(kMaxText)).arg(c).arg(device),
                             tr("%1 – %2").arg(when(t->startUs), when(t->endUs))});
    }
    auto *samples = new QTreeWidgetItem(wf, {tr("Samples (%1)").arg(st.samples.size()), QString()});
    int listed = 0;
    for (SampleId sample : st.samples) {
        if (++listed > kMaxSamplesListed) {
            new QTreeWidgetItem(
                samples,
                {tr("… %n more", nullptr, int(st.samples.size()) - kMaxSamplesListed), QString()});
            break;
        }
        const int row = m_models ? m_models->samples()->rowOf(sample) : -1;
        const QString name = row >= 0 ? m_models->samples()->at(row).barcode.left(kMaxText)
                                      : tr("sample %1").arg(sample);
        new QTreeWidgetItem(samples, {name, when(p.sampleFinishUs.value(sample))});
    }
    m_details->expandAll();
}

void SchedulePanel::dropTask(TaskId id, double shiftS, bool hold)
{
    const SchedulePrediction &p = prediction();
    if (!p.task(id) || !m_session) return;
    if (!m_session->can(permission::TaskControl)) {
        m_status->setText(tr("Your role may not change tasks"));
        return;
    }
    auto replied = [self = QPointer<SchedulePanel>(this)](const CommandReply &reply) {
        if (!self) return;
        self->m_status->setText(reply.ok ? reply.message : tr("Refused: %1").arg(reply.message));
        self->refresh();
    };
    if (hold) {
        m_session->send(QStringLiteral("task.hold"), QString::number(id), {}, replied);
        return;
    }
    // The engine's queue key is ready time minus priority points of aging time each, so a
    // task moved earlier by S seconds needs S / aging more points (limited to 0..1000).
    const ScheduleSnapshot &s = snapshot();
    const ScheduleTask &st = s.tasks[p.indexOf.value(id)];
    const double agingS = double(std::max<qint64>(1, s.agingUsPerPoint)) / 1e6;
    const int priority = std::clamp(st.priority + int(std::lround(-shiftS / agingS)), 0, 1000);
    if (priority == st.priority) {
        m_status->setText(tr("Task %1 keeps priority %2").arg(id).arg(priority));
        return;
    }
    m_status->setText(tr("Task %1: priority %2 → %3…").arg(id).arg(st.priority).arg(priority));
    m_session->send(QStringLiteral("task.priority"), QString::number(id),
                    {{QStringLiteral("priority"), priority}}, replied);
}

} // namespace alabos
