#pragma once
#include "core/engine/schedulepredictor.h"

#include <QAbstractScrollArea>
#include <memory>
#include <vector>

namespace alabos {

// "45 s", "12 min 05 s", "3 h 20 min", "2 d 4 h".
QString formatDuration(double seconds);

// The schedule's timeline: a row per device grouped by type, bars for the running and the
// predicted tasks, a "now" line. Painted, not widgets: only the rows and bars in sight are
// drawn, so 10,000 devices and 100,000 tasks stay responsive. UI thread only.
class ScheduleView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    static constexpr double kMinSpanS = 600;             // 10 minutes
    static constexpr double kMaxSpanS = 7 * 24 * 3600.0; // a week
    static constexpr int kRowHeight = 18;
    static constexpr int kHeaderHeight = 26; // the time axis; a task dropped here is held
    static constexpr int kGutterWidth = 170; // device names

    explicit ScheduleView(QWidget *parent = nullptr);

    void setSchedule(std::shared_ptr<const ScheduleSnapshot> snapshot,
                     std::shared_ptr<const SchedulePrediction> prediction);
    const std::shared_ptr<const ScheduleSnapshot> &snapshot() const { return m_snapshot; }
    const std::shared_ptr<const SchedulePrediction> &prediction() const { return m_prediction; }
    // Devices whose name, type or status contains `text` (case-insensitive).
    void setFilter(const QString &text);
    // The time the width shows, kMinSpanS..kMaxSpanS.
    void setSpanSeconds(double seconds);
    double spanSeconds() const { return m_spanS; }
    void scrollToNow();
    // Whether queued tasks may be dragged; `why` is said when one is tried and may not.
    void setDragAllowed(bool allowed, const QString &why);
    void setSelectedTask(TaskId id);
    TaskId selectedTask() const { return m_selected; }
    // Rows after the filter, type headers included.
    int rowCount() const { return int(m_rows.size()); }
    // A task's bar in viewport coordinates; empty when it is not in sight.
    QRect taskRect(TaskId id) const;
    TaskId taskAt(const QPoint &viewportPos) const;
    QRect holdZone() const;
    // Draws what is in sight once (the benchmark's paint time).
    void paintInto(QPainter &painter);

Q_SIGNALS:
    void taskSelected(qint64 taskId);
    // A queued task was dragged: `shiftS` seconds later (negative: earlier), or onto the
    // header to hold it.
    void taskDropped(qint64 taskId, double shiftS, bool hold);
    void dragRefused(const QString &why);
    void spanChanged(double seconds);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Row
    {
        int device = -1; // index into the snapshot's devices; -1: a type's header
        int typeIndex = 0;
    };
    void rebuildRows();
    void updateScrollBars();
    double usPerPixel() const;
    int xOf(qint64 us) const;
    qint64 timeAt(int x) const;
    int rowAt(int y) const;
    int rowTop(int row) const;
    QString tooltipFor(const PredictedTask &p) const;

    std::shared_ptr<const ScheduleSnapshot> m_snapshot;
    std::shared_ptr<const SchedulePrediction> m_prediction;
    std::vector<std::vector<int>> m_bars; // per device: predicted tasks by start
    std::vector<int> m_rowOfDevice;
    QStringList m_sortedIds, m_sortedTypes; // the fleet m_order was sorted for
    std::vector<int> m_order;               // devices by type, then name (natural order)
    QStringList m_types;
    std::vector<int> m_typeCounts;
    std::vector<Row> m_rows;
    QString m_filter;
    double m_spanS = 3 * 3600.0;
    qint64 m_originUs = 0;  // the horizontal scroll bar's zero
    qint64 m_leftUs = 0;    // the time at the timeline's left edge
    qint64 m_lastEndUs = 0; // the last predicted end
    bool m_dragAllowed = false;
    QString m_dragRefusal;
    TaskId m_selected = 0;
    WorkflowId m_selectedWorkflow = 0;
    std::vector<TaskId> m_criticalPath;
    TaskId m_pressTask = 0;
    QPoint m_pressPos;
    QPoint m_dragPos;
    bool m_dragging = false;
};

} // namespace alabos
