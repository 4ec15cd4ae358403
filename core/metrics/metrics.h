#pragma once
// Prometheus metrics (docs/metrics.md). A Histogram is fed from any thread without a lock and
// read by whoever renders; PrometheusText writes the text exposition format 0.0.4. The owners
// of state keep their own counters; the API renders them all when /metrics is asked.
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace alabos {

class Histogram
{
public:
    // `upperBounds` ascending; a +Inf bucket is implied.
    explicit Histogram(std::vector<double> upperBounds);
    void observe(double value);

    struct Snapshot
    {
        std::vector<double> upperBounds;
        std::vector<quint64> cumulative; // one per bound, then +Inf
        double sum = 0;
        quint64 count = 0;
    };
    Snapshot snapshot() const;

    // Seconds, 100 us to 10 s: grants, commits, HTTP requests.
    static std::vector<double> latencyBuckets();
    // Rows or change sets per group commit: 1 to 4,096.
    static std::vector<double> sizeBuckets();

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<quint64>[]> m_counts; // bounds + 1
    std::atomic<quint64> m_count{0};
    std::atomic<double> m_sum{0};
};

// Counters by one label value (a topic, "route status"), shared between the thread that
// counts and the one that renders. Bounded: past kMaxLabels, new values count under "other",
// so a caller that makes up values cannot grow it without end.
class LabelledCounters
{
public:
    static constexpr int kMaxLabels = 1000;
    void add(const QString &label, qint64 n = 1);
    QList<QPair<QString, qint64>> snapshot() const; // sorted by label

private:
    mutable std::mutex m_mutex;
    QHash<QString, qint64> m_counts;
};

// One label: name and value (the value escaped when written).
using MetricLabels = QList<QPair<QByteArray, QString>>;

class PrometheusText
{
public:
    // HELP and TYPE lines of a family ("counter", "gauge" or "histogram").
    void family(const QByteArray &name, const char *type, const QString &help);
    void sample(const QByteArray &name, double value, const MetricLabels &labels = {});
    void histogram(const QByteArray &name, const Histogram::Snapshot &snapshot,
                   const MetricLabels &labels = {});
    const QByteArray &text() const { return m_text; }
    // Every family written, for the check that docs/metrics.md names them all.
    const QList<QByteArray> &families() const { return m_families; }

    static QByteArray escaped(const QString &labelValue);

private:
    void labels(const MetricLabels &labels, const QByteArray &extra = {});
    QByteArray m_text;
    QList<QByteArray> m_families;
};

} // namespace alabos
