#include "ui/scheduleview.h"

#include "ui/devicetablemodel.h"

#include <QCollator>
#include <QDateTime>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace alabos {

namespace {
const QColor kQueued(0x5c, 0x8f, 0xd6);
const QColor kRunning(0x2e, 0x7d, 0x32);
const QColor kWorkflow(0xf3, 0x9c, 0x12);
const QColor kCritical(0xc0, 0x39, 0x2b);
const QColor kNow(0xd3, 0x2f, 0x2f);
const QColor kHeaderRow(0xe8, 0xe8, 0xe8);
// Text longer than this is cut before it is laid out.
constexpr qsizetype kMaxLabel = 200;

QString clock(qint64 us, qint64 nowUs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(us / 1000);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowUs / 1000);
    return t.date() == now.date() ? t.toString(QStringLiteral("HH:mm:ss"))
                                  : t.toString(QStringLiteral("ddd HH:mm"));
}
} // namespace

QString formatDuration(double seconds)
{
    const qint64 s = qint64(std::llround(std::max(0.0, seconds)));
    if (s < 60) return ScheduleView::tr("%1 s").arg(s);
    if (s < 3600)
        return ScheduleView::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return ScheduleView::tr("%1 h %2 min")
            .arg(s / 3600)
            .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return ScheduleView::tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

ScheduleView::ScheduleView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setObjectName(QStringLiteral("scheduleView"));
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    horizontalScrollBar()->setSingleStep(60);
    verticalScrollBar()->setSingleStep(kRowHeight);
    // The now line moves; redrawing what is in sight once a second is cheap.
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, viewport(), qOverload<>(&QWidget::update));
    tick->start(1000);
    m_leftUs = nowMicros() - qint64(m_spanS * 1e6 / 8);
    m_originUs = m_leftUs;
}

void ScheduleView::setSchedule(std::shared_ptr<const ScheduleSnapshot> snapshot,
                               std::shared_ptr<const SchedulePrediction> prediction)
{
    const bool first = !m_snapshot;
    m_snapshot = std::move(snapshot);
    m_prediction = std::move(prediction);
    const auto &devices = m_snapshot->devices;
    m_bars.assign(devices.size(), {});
    const auto &tasks = m_prediction->tasks;
    m_lastEndUs = 0;
    for (int i = 0; i < int(tasks.size()); ++i) {
        if (tasks[i].device >= 0 && tasks[i].device < int(devices.size()))
            m_bars[tasks[i].device].push_back(i);
        m_lastEndUs = std::max(m_lastEndUs, tasks[i].endUs);
    }
    for (auto &bars : m_bars)
        std::sort(bars.begin(), bars.end(), [&tasks](int a, int b) {
            return std::tie(tasks[a].startUs, tasks[a].endUs) <
                   std::tie(tasks[b].startUs, tasks[b].endUs);
        });
    rebuildRows();
    setSelectedTask(m_prediction->task(m_selected) ? m_selected : 0);
    if (first) scrollToNow();
    updateScrollBars();
    viewport()->update();
}

void ScheduleView::rebuildRows()
{
    m_rows.clear();
    m_types.clear();
    m_typeCounts.clear();
    m_rowOfDevice.assign(m_snapshot ? m_snapshot->devices.size() : 0, -1);
    if (!m_snapshot) return;
    const auto &devices = m_snapshot->devices;
    // The natural sort of 10,000 names costs more than a frame: done again only when the
    // fleet changed (the engine lists its devices in a stable order while none is added).
    bool same = m_sortedIds.size() == devices.size();
    for (qsizetype i = 0; same && i < devices.size(); ++i)
        same = m_sortedIds[i] == devices[i].id && m_sortedTypes[i] == devices[i].type;
    if (!same) {
        m_sortedIds.clear();
        m_sortedTypes.clear();
        for (const ScheduleDevice &d : devices) {
            m_sortedIds << d.id;
            m_sortedTypes << d.type;
        }
        QCollator natural;
        natural.setNumericMode(true);
        natural.setCaseSensitivity(Qt::CaseInsensitive);
        std::vector<QCollatorSortKey> keys;
        keys.reserve(devices.size());
        for (const ScheduleDevice &d : devices)
            keys.push_back(natural.sortKey(d.id));
        m_order.resize(devices.size());
        for (int i = 0; i < int(m_order.size()); ++i)
            m_order[i] = i;
        std::sort(m_order.begin(), m_order.end(), [&](int a, int b) {
            const int byType = QString::compare(devices[a].type, devices[b].type);
            if (byType != 0) return byType < 0;
            return keys[a].compare(keys[b]) < 0;
        });
    }
    const std::vector<int> &order = m_order;
    QString lastType;
    bool anyType = false;
    for (int d : order) {
        const ScheduleDevice &dev = devices[d];
        if (!m_filter.isEmpty() && !dev.id.contains(m_filter, Qt::CaseInsensitive) &&
            !dev.type.contains(m_filter, Qt::CaseInsensitive) &&
            !statusLabel(dev.status).contains(m_filter, Qt::CaseInsensitive))
            continue;
        if (!anyType || dev.type != lastType) {
            anyType = true;
            lastType = dev.type;
            m_types << dev.type;
            m_typeCounts.push_back(0);
            m_rows.push_back({-1, int(m_types.size() - 1)});
        }
        ++m_typeCounts.back();
        m_rowOfDevice[d] = int(m_rows.size());
        m_rows.push_back({d, int(m_types.size() - 1)});
    }
}

void ScheduleView::setFilter(const QString &text)
{
    m_filter = text.trimmed().left(kMaxLabel);
    rebuildRows();
    updateScrollBars();
    viewport()->update();
}

void ScheduleView::setSpanSeconds(double seconds)
{
    seconds = std::clamp(seconds, kMinSpanS, kMaxSpanS);
    if (seconds == m_spanS) return;
    m_spanS = seconds;
    updateScrollBars();
    viewport()->update();
    Q_EMIT spanChanged(seconds);
}

void ScheduleView::scrollToNow()
{
    // A little of the past in sight, most of the width for what comes.
    m_leftUs = nowMicros() - qint64(m_spanS * 1e6 / 8);
    updateScrollBars();
    viewport()->update();
}

void ScheduleView::setDragAllowed(bool allowed, const QString &why)
{
    m_dragAllowed = allowed;
    m_dragRefusal = why;
}

void ScheduleView::setSelectedTask(TaskId id)
{
    m_selected = id;
    m_selectedWorkflow = 0;
    m_criticalPath.clear();
    if (const PredictedTask *p = m_prediction ? m_prediction->task(id) : nullptr) {
        m_selectedWorkflow = p->workflowId;
        const QList<TaskId> path = m_prediction->criticalPath(p->workflowId);
        m_criticalPath.assign(path.cbegin(), path.cend());
    }
    viewport()->update();
}

double ScheduleView::usPerPixel() const
{
    const int width = std::max(50, viewport()->width() - kGutterWidth);
    return m_spanS * 1e6 / width;
}

int ScheduleView::xOf(qint64 us) const
{
    const double x = kGutterWidth + double(us - m_leftUs) / usPerPixel();
    return int(std::clamp(x, -1e6, 1e6));
}

qint64 ScheduleView::timeAt(int x) const
{
    return m_leftUs + qint64((x - kGutterWidth) * usPerPixel());
}

int ScheduleView::rowTop(int row) const
{
    return kHeaderHeight + row * kRowHeight - verticalScrollBar()->value();
}

int ScheduleView::rowAt(int y) const
{
    if (y < kHeaderHeight) return -1;
    const int row = (y - kHeaderHeight + verticalScrollBar()->value()) / kRowHeight;
    return row < int(m_rows.size()) ? row : -1;
}

void ScheduleView::updateScrollBars()
{
    QScrollBar *v = verticalScrollBar();
    const int visible = std::max(0, viewport()->height() - kHeaderHeight);
    v->setPageStep(visible);
    v->setRange(0, std::max(0, int(m_rows.size()) * kRowHeight - visible));
    // Horizontally in seconds from a day before now to the last predicted end.
    const qint64 now = nowMicros();
    const qint64 lastEnd = std::max(now, m_lastEndUs);
    m_originUs = std::min(m_leftUs, now - qint64(86400) * 1000000);
    const qint64 maxLeft = std::max(m_leftUs, lastEnd - qint64(m_spanS * 1e6 / 2));
    QScrollBar *h = horizontalScrollBar();
    const QSignalBlocker block(h);
    h->setRange(0, int((maxLeft - m_originUs) / 1000000));
    h->setPageStep(int(m_spanS));
    h->setSingleStep(std::max(1, int(m_spanS / 20)));
    h->setValue(int((m_leftUs - m_originUs) / 1000000));
}

void ScheduleView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void ScheduleView::scrollContentsBy(int, int)
{
    m_leftUs = m_originUs + qint64(horizontalScrollBar()->value()) * 1000000;
    viewport()->update();
}

QRect ScheduleView::holdZone() const
{
    return QRect(kGutterWidth, 0, viewport()->width() - kGutterWidth, kHeaderHeight);
}

QRect ScheduleView::taskRect(TaskId id) const
{
    const PredictedTask *p = m_prediction ? m_prediction->task(id) : nullptr;
    if (!p || p->device < 0 || m_rowOfDevice[p->device] < 0) return {};
    const int top = rowTop(m_rowOfDevice[p->device]);
    const int x0 = std::max(kGutterWidth, xOf(p->startUs));
    const int x1 = std::min(viewport()->width(), std::max(xOf(p->endUs), xOf(p->startUs) + 2));
    const QRect r(x0, top + 2, x1 - x0, kRowHeight - 4);
    if (x1 <= x0 || top + kRowHeight <= kHeaderHeight || top >= viewport()->height()) return {};
    return r;
}

TaskId ScheduleView::taskAt(const QPoint &pos) const
{
    const int row = rowAt(pos.y());
    if (row < 0 || pos.x() < kGutterWidth || m_rows[row].device < 0 || !m_prediction) return 0;
    const auto &bars = m_bars[m_rows[row].device];
    const qint64 us = timeAt(pos.x());
    const qint64 slack = qint64(2 * usPerPixel()); // a bar of a pixel can still be hit
    const auto &tasks = m_prediction->tasks;
    auto it = std::lower_bound(bars.begin(), bars.end(), us - slack,
                               [&tasks](int i, qint64 t) { return tasks[i].endUs < t; });
    for (; it != bars.end() && tasks[*it].startUs <= us + slack; ++it)
        return tasks[*it].id;
    return 0;
}

void ScheduleView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    paintInto(p);
}

void ScheduleView::paintInto(QPainter &p)
{
    const int w = viewport()->width();
    const int h = viewport()->height();
    const QPalette &pal = palette();
    p.fillRect(0, 0, w, h, pal.base());
    const QFontMetrics fm(font());
    const qint64 now = nowMicros();
    const qint64 rightUs = timeAt(w);
    if (m_snapshot && !m_rows.empty()) {
        const int first = std::max(0, verticalScrollBar()->value() / kRowHeight);
        const int last = std::min(int(m_rows.size()) - 1,
                                  (verticalScrollBar()->value() + h - kHeaderHeight) / kRowHeight);
        const auto &tasks = m_prediction->tasks;
        const auto &snapTasks = m_snapshot->tasks;
        const QSet<TaskId> critical(m_criticalPath.cbegin(), m_criticalPath.cend());
        for (int row = first; row <= last; ++row) {
            const int top = rowTop(row);
            const Row &r = m_rows[row];
            if (r.device < 0) {
                p.fillRect(0, top, w, kRowHeight, kHeaderRow);
                p.setPen(pal.color(QPalette::Text));
                QFont bold = font();
                bold.setBold(true);
                p.setFont(bold);
                p.drawText(QRect(4, top, w - 8, kRowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                           tr("%1 (%n device(s))", nullptr, m_typeCounts[r.typeIndex])
                               .arg(m_types[r.typeIndex].left(kMaxLabel)));
                p.setFont(font());
                continue;
            }
            const ScheduleDevice &dev = m_snapshot->devices[r.device];
            if (row % 2)
                p.fillRect(kGutterWidth, top, w - kGutterWidth, kRowHeight, pal.alternateBase());
            p.fillRect(2, top + 5, 8, 8, statusColor(dev.status));
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QRect(14, top, kGutterWidth - 18, kRowHeight),
                       Qt::AlignVCenter | Qt::AlignLeft,
                       fm.elidedText(dev.id.left(kMaxLabel), Qt::ElideRight, kGutterWidth - 18));
            const auto &bars = m_bars[r.device];
            auto it = std::lower_bound(bars.begin(), bars.end(), m_leftUs,
                                       [&tasks](int i, qint64 t) { return tasks[i].endUs < t; });
            int lastX = -1;
            for (; it != bars.end() && tasks[*it].startUs <= rightUs; ++it) {
                const PredictedTask &t = tasks[*it];
                const int x0 = std::max(kGutterWidth, xOf(t.startUs));
                const int x1 = std::max(x0 + 1, std::min(w, xOf(t.endUs)));
                // Many tasks inside one pixel are drawn once.
                if (x1 <= lastX) continue;
                lastX = x1;
                const bool inWorkflow = m_selectedWorkflow && t.workflowId == m_selectedWorkflow;
                QColor fill = t.running ? kRunning : kQueued;
                if (inWorkflow) fill = kWorkflow;
                const QRect bar(x0, top + 3, x1 - x0, kRowHeight - 6);
                p.fillRect(bar, fill);
                if (critical.contains(t.id)) {
                    p.setPen(QPen(kCritical, 2));
                    p.drawRect(bar.adjusted(0, 0, -1, -1));
                } else if (bar.width() > 3) {
                    p.setPen(fill.darker(140));
                    p.drawRect(bar.adjusted(0, 0, -1, -1));
                }
                if (t.id == m_selected) {
                    p.setPen(QPen(pal.color(QPalette::Highlight), 2));
                    p.drawRect(bar.adjusted(-1, -2, 0, 1));
                }
                // The spread of the duration: a whisker from the 10th to the 90th percentile end.
                if (t.duration.runs > 0 && t.duration.highS > t.duration.lowS) {
                    const int lo = xOf(t.startUs + qint64(t.duration.lowS * 1e6));
                    const int hi = xOf(t.startUs + qint64(t.duration.highS * 1e6));
                    if (hi - lo >= 3) {
                        const int y = top + kRowHeight - 3;
                        p.setPen(fill.darker(170));
                        p.drawLine(lo, y, hi, y);
                        p.drawLine(lo, y - 2, lo, y);
                        p.drawLine(hi, y - 2, hi, y);
                    }
                }
                if (bar.width() > 40) {
                    const ScheduleTask &st = snapTasks[*it];
                    p.setPen(Qt::white);
                    p.drawText(bar.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                               fm.elidedText(
                                   QStringLiteral("%1 #%2").arg(st.step.left(kMaxLabel)).arg(t.id),
                                   Qt::ElideRight, bar.width() - 5));
                }
            }
        }
    } else {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(kGutterWidth, kHeaderHeight, w - kGutterWidth, h - kHeaderHeight),
                   Qt::AlignCenter,
                   m_snapshot ? tr("No device matches the filter") : tr("No schedule yet"));
    }
    // The time axis, with ticks at a round step for the zoom.
    p.fillRect(0, 0, w, kHeaderHeight, pal.button());
    static const qint64 steps[] = {60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400};
    qint64 stepS = 86400;
    for (qint64 s : steps)
        if (s * 1e6 / usPerPixel() >= 90) {
            stepS = s;
            break;
        }
    const qint64 localOffsetUs =
        qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000000; // ticks on local time
    const qint64 stepUs = stepS * 1000000;
    qint64 tick = ((m_leftUs + localOffsetUs) / stepUs) * stepUs - localOffsetUs;
    p.setPen(pal.color(QPalette::ButtonText));
    for (; tick <= rightUs; tick += stepUs) {
        const int x = xOf(tick);
        if (x < kGutterWidth) continue;
        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(x, kHeaderHeight, x, h);
        p.setPen(pal.color(QPalette::ButtonText));
        p.drawLine(x, kHeaderHeight - 6, x, kHeaderHeight);
        p.drawText(x + 3, kHeaderHeight - 8, clock(tick, now));
    }
    p.fillRect(0, 0, kGutterWidth, kHeaderHeight, pal.button());
    p.drawText(QRect(4, 0, kGutterWidth - 8, kHeaderHeight), Qt::AlignVCenter | Qt::AlignLeft,
               tr("Device"));
    if (m_dragging) {
        const QRect zone = holdZone();
        const bool over = zone.contains(m_dragPos);
        p.fillRect(zone, over ? QColor(0xff, 0xd5, 0x4f) : QColor(0xff, 0xec, 0xb3));
        p.setPen(Qt::black);
        p.drawText(zone, Qt::AlignCenter, tr("Drop here to hold the task"));
    }
    // Now.
    const int nowX = xOf(now);
    if (nowX >= kGutterWidth && nowX < w) {
        p.setPen(QPen(kNow, 2));
        p.drawLine(nowX, 0, nowX, h);
    }
    if (m_dragging) {
        const QRect from = taskRect(m_pressTask);
        if (!from.isEmpty()) {
            const QRect ghost = from.translated(m_dragPos.x() - m_pressPos.x(), 0);
            p.setPen(QPen(Qt::black, 1, Qt::DashLine));
            p.setBrush(QColor(0, 0, 0, 40));
            p.drawRect(ghost);
            p.setBrush(Qt::NoBrush);
        }
    }
}

QString ScheduleView::tooltipFor(const PredictedTask &t) const
{
    const ScheduleTask &st = m_snapshot->tasks[m_prediction->indexOf.value(t.id)];
    const qint64 now = m_snapshot->nowUs;
    QStringList lines;
    lines << tr("<b>%1</b> #%2, workflow %3 (%4)")
                 .arg(st.step.left(kMaxLabel).toHtmlEscaped())
                 .arg(t.id)
                 .arg(t.workflowId)
                 .arg(st.templateName.left(kMaxLabel).toHtmlEscaped());
    if (t.device >= 0)
        lines << tr("Device: %1")
                     .arg(m_snapshot->devices[t.device].id.left(kMaxLabel).toHtmlEscaped());
    lines
        << (t.running
                ? tr("Running since %1, predicted end %2")
                      .arg(clock(t.startUs, now), clock(t.endUs, now))
                : tr("Predicted start %1, end %2").arg(clock(t.startUs, now), clock(t.endUs, now)));
    if (t.duration.runs > 0)
        lines << tr("Duration: median %1 (10–90%: %2 – %3) of the last %n run(s)", nullptr,
                    t.duration.runs)
                     .arg(formatDuration(t.duration.medianS), formatDuration(t.duration.lowS),
                          formatDuration(t.duration.highS));
    else
        lines << tr("Duration: %1, from the template (no run in the history)")
                     .arg(formatDuration(t.duration.medianS));
    if (!t.running) {
        lines << tr("Priority %1").arg(st.priority);
        if (t.startUs > t.readyUs + 1000000)
            lines << tr("Waits %1 for a device").arg(formatDuration((t.startUs - t.readyUs) / 1e6));
    }
    const qint64 finish = m_prediction->workflowFinishUs.value(t.workflowId);
    lines << (finish > 0
                  ? tr("Workflow and its %n sample(s) done at %1", nullptr, int(st.samples.size()))
                        .arg(clock(finish, now))
                  : tr("Workflow finish cannot be predicted (a task is held or has no device)"));
    return lines.join(QStringLiteral("<br>"));
}

bool ScheduleView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_prediction) {
        auto *help = static_cast<QHelpEvent *>(event);
        const TaskId id = taskAt(help->pos());
        if (const PredictedTask *t = id ? m_prediction->task(id) : nullptr)
            QToolTip::showText(help->globalPos(), tooltipFor(*t), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ScheduleView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) return;
    m_pressTask = taskAt(event->position().toPoint());
    m_pressPos = m_dragPos = event->position().toPoint();
    m_dragging = false;
}

void ScheduleView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_pressTask || !(event->buttons() & Qt::LeftButton)) return;
    m_dragPos = event->position().toPoint();
    if (m_dragging) {
        viewport()->update();
        return;
    }
    if ((m_dragPos - m_pressPos).manhattanLength() < 6) return;
    const PredictedTask *t = m_prediction ? m_prediction->task(m_pressTask) : nullptr;
    if (!t || t->running) {
        Q_EMIT dragRefused(
            tr("Task %1 is running; only queued tasks can be moved").arg(m_pressTask));
        m_pressTask = 0;
        return;
    }
    if (!m_dragAllowed) {
        Q_EMIT dragRefused(m_dragRefusal);
        m_pressTask = 0;
        return;
    }
    m_dragging = true;
    viewport()->setCursor(Qt::ClosedHandCursor);
    viewport()->update();
}

void ScheduleView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) return;
    const TaskId task = std::exchange(m_pressTask, 0);
    const QPoint pos = event->position().toPoint();
    if (m_dragging) {
        m_dragging = false;
        viewport()->unsetCursor();
        viewport()->update();
        const bool hold = holdZone().contains(pos);
        const double shiftS = (pos.x() - m_pressPos.x()) * usPerPixel() / 1e6;
        Q_EMIT taskDropped(task, shiftS, hold);
        return;
    }
    const TaskId clicked = taskAt(pos);
    setSelectedTask(clicked);
    Q_EMIT taskSelected(clicked);
}

void ScheduleView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        // Zoom around the pointer: the time under it stays under it.
        const int x = int(event->position().x());
        const qint64 anchor = timeAt(x);
        const double factor = event->angleDelta().y() > 0 ? 1 / 1.25 : 1.25;
        setSpanSeconds(m_spanS * factor);
        m_leftUs = anchor - qint64((x - kGutterWidth) * usPerPixel());
        updateScrollBars();
        viewport()->update();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

} // namespace alabos
