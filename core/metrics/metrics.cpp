#include "core/metrics/metrics.h"

#include <algorithm>
#include <cmath>

namespace alabos {

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds)),
      m_counts(std::make_unique<std::atomic<quint64>[]>(m_bounds.size() + 1))
{
    std::sort(m_bounds.begin(), m_bounds.end());
}

void Histogram::observe(double value)
{
    if (!std::isfinite(value)) return;
    const size_t bucket =
        size_t(std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin());
    m_counts[bucket].fetch_add(1, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    double sum = m_sum.load(std::memory_order_relaxed);
    while (!m_sum.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
    }
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot s;
    s.upperBounds = m_bounds;
    quint64 running = 0;
    for (size_t i = 0; i <= m_bounds.size(); ++i) {
        running += m_counts[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(running);
    }
    // The total is the +Inf bucket, so that it never disagrees with the buckets.
    s.count = running;
    s.sum = m_sum.load(std::memory_order_relaxed);
    return s;
}

std::vector<double> Histogram::latencyBuckets()
{
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

std::vector<double> Histogram::sizeBuckets()
{
    return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
}

void LabelledCounters::add(const QString &label, qint64 n)
{
    std::lock_guard lock(m_mutex);
    auto it = m_counts.find(label);
    if (it == m_counts.end()) {
        if (m_counts.size() >= kMaxLabels)
            it = m_counts.insert(QStringLiteral("other"), 0);
        else
            it = m_counts.insert(label, 0);
    }
    *it += n;
}

QList<QPair<QString, qint64>> LabelledCounters::snapshot() const
{
    QList<QPair<QString, qint64>> out;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_counts.begin(); it != m_counts.end(); ++it)
            out.append({it.key(), it.value()});
    }
    std::sort(out.begin(), out.end());
    return out;
}

QByteArray PrometheusText::escaped(const QString &labelValue)
{
    QByteArray out;
    const QByteArray utf8 = labelValue.left(500).toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void PrometheusText::family(const QByteArray &name, const char *type, const QString &help)
{
    m_families << name;
    QString oneLine = help;
    oneLine.replace(u'\\', QStringLiteral("\\\\")).replace(u'\n', u' ');
    m_text += "# HELP " + name + ' ' + oneLine.toUtf8() + "\n# TYPE " + name + ' ' + type + '\n';
}

void PrometheusText::labels(const MetricLabels &labels, const QByteArray &extra)
{
    if (labels.isEmpty() && extra.isEmpty()) return;
    m_text += '{';
    bool first = true;
    for (const auto &[name, value] : labels) {
        if (!first) m_text += ',';
        first = false;
        m_text += name + "=\"" + escaped(value) + '"';
    }
    if (!extra.isEmpty()) m_text += (first ? "" : ",") + extra;
    m_text += '}';
}

void PrometheusText::sample(const QByteArray &name, double value, const MetricLabels &l)
{
    m_text += name;
    labels(l);
    m_text += ' ';
    if (std::isnan(value))
        m_text += "NaN";
    else if (std::isinf(value))
        m_text += value > 0 ? "+Inf" : "-Inf";
    else
        m_text += QByteArray::number(value, 'g', 15);
    m_text += '\n';
}

void PrometheusText::histogram(const QByteArray &name, const Histogram::Snapshot &s,
                               const MetricLabels &l)
{
    for (size_t i = 0; i < s.cumulative.size(); ++i) {
        m_text += name + "_bucket";
        const QByteArray le = i < s.upperBounds.size()
                                  ? QByteArray::number(s.upperBounds[i], 'g', 15)
                                  : QByteArray("+Inf");
        labels(l, "le=\"" + le + '"');
        m_text += ' ' + QByteArray::number(s.cumulative[i]) + '\n';
    }
    sample(name + "_sum", s.sum, l);
    sample(name + "_count", double(s.count), l);
}

} // namespace alabos
