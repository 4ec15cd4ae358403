#include "core/bus/brokerwindow.h"

#include "core/domain/types.h"

#include <algorithm>

namespace alabos {

namespace {
// Kafka's record framing (lengths, deltas, attributes) on top of key and value, and a share
// of the batch header; near enough for a 40 % trigger.
constexpr qint64 kRecordOverheadBytes = 12;
// Deliveries come a hundred thousand a second: the gaps are recomputed every so many.
constexpr qint64 kEvaluateEvery = 256;
} // namespace

BrokerWindowGuard::BrokerWindowGuard(qint64 windowBytes, int triggerPercent, int releasePercent,
                                     int stallMs)
    : m_windowBytes(windowBytes), m_triggerPercent(triggerPercent),
      m_releasePercent(std::min(releasePercent, triggerPercent)), m_stallNs(stallMs * 1000000LL)
{
}

qint64 BrokerWindowGuard::messageBytes(qint64 bytes) const
{
    return bytes + kRecordOverheadBytes;
}

void BrokerWindowGuard::published(qint64 bytes)
{
    m_pendingBytes.fetch_add(messageBytes(bytes), std::memory_order_relaxed);
}

void BrokerWindowGuard::delivered(const Delivery &report)
{
    m_pendingBytes.fetch_sub(messageBytes(report.bytes), std::memory_order_relaxed);
    if (!report.ok || report.partition < 0) return;
    std::lock_guard lock(m_mutex);
    if (size_t(report.partition) >= m_partitions.size())
        m_partitions.resize(size_t(report.partition) + 1);
    Partition &p = m_partitions[size_t(report.partition)];
    p.end = std::max(p.end, report.offset + 1);
    const double size = double(messageBytes(report.bytes));
    m_meanMessageBytes = m_meanMessageBytes == 0 ? size : m_meanMessageBytes * 0.999 + size * 0.001;
    if (++m_deliveriesSinceEvaluation >= kEvaluateEvery) evaluate();
}

void BrokerWindowGuard::committed(int partition, qint64 nextOffset)
{
    if (partition < 0) return;
    std::lock_guard lock(m_mutex);
    if (size_t(partition) >= m_partitions.size()) m_partitions.resize(size_t(partition) + 1);
    Partition &p = m_partitions[size_t(partition)];
    p.committed = std::max(p.committed, nextOffset);
    m_waitingSinceNs.store(steadyNs(), std::memory_order_relaxed); // progress
    evaluate();
}

void BrokerWindowGuard::reset()
{
    std::lock_guard lock(m_mutex);
    m_partitions.clear();
    m_waitingSinceNs.store(0, std::memory_order_relaxed);
    evaluate();
}

void BrokerWindowGuard::released(int partition)
{
    std::lock_guard lock(m_mutex);
    if (partition < 0 || size_t(partition) >= m_partitions.size()) return;
    m_partitions[size_t(partition)].committed = -1;
    evaluate();
}

qint64 BrokerWindowGuard::gapBytes(const Partition &p) const
{
    if (p.committed < 0 || p.end <= p.committed) return 0;
    // Readings are alike in size: the running mean of the delivered ones stands for the gap's.
    return qint64(double(p.end - p.committed) * m_meanMessageBytes);
}

void BrokerWindowGuard::evaluate()
{
    m_deliveriesSinceEvaluation = 0;
    qint64 largest = 0;
    for (const Partition &p : m_partitions)
        largest = std::max(largest, gapBytes(p));
    m_largestGapBytes.store(largest, std::memory_order_relaxed);
    if (largest == 0)
        m_waitingSinceNs.store(0, std::memory_order_relaxed); // nothing waits
    else if (m_waitingSinceNs.load(std::memory_order_relaxed) == 0)
        m_waitingSinceNs.store(steadyNs(), std::memory_order_relaxed); // the wait starts now
}

qint64 BrokerWindowGuard::behindBytes() const
{
    return m_largestGapBytes.load(std::memory_order_relaxed) +
           std::max<qint64>(0, m_pendingBytes.load(std::memory_order_relaxed));
}

bool BrokerWindowGuard::behind() const
{
    const qint64 waitingSince = m_waitingSinceNs.load(std::memory_order_relaxed);
    if (waitingSince != 0 && steadyNs() - waitingSince > m_stallNs) return false; // stalled
    const qint64 bytes = behindBytes();
    const bool was = m_behind.load(std::memory_order_relaxed);
    const bool now = was ? bytes > m_windowBytes * m_releasePercent / 100
                         : bytes >= m_windowBytes * m_triggerPercent / 100;
    if (now != was) m_behind.store(now, std::memory_order_relaxed);
    return now;
}

} // namespace alabos
