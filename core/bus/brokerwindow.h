#pragma once
#include "core/bus/kafka.h"

#include <QString>
#include <atomic>
#include <mutex>
#include <vector>

namespace alabos {

// The embedded broker keeps about 5 MB of each partition and drops the oldest messages
// beyond that, whether or not anyone has read them. This guard keeps telemetry inside that
// window. Its measure of how far the persister is behind: the largest gap, over the
// partitions, between the end the publisher's deliveries reached and the offset the persister
// has committed, plus everything published and not yet delivered (counted as if it all went
// to that partition: the partitioner is librdkafka's). Once that holds `triggerPercent` of
// the window, the publisher asks the drivers to slow down, until it is down to
// `releasePercent`: a persister that cannot keep up slows the lab's telemetry instead of
// losing it. A persister that commits nothing for `stallMs` while readings wait (its database
// is down) is not waited for: the consoles and the alarm rules keep their live telemetry, and
// what the broker drops meanwhile is counted as lost when the persister is back. A real
// cluster keeps days of telemetry and needs no guard. Thread-safe: publishing on the drivers'
// threads, deliveries on the producer's, commits on the persister's writers.
class BrokerWindowGuard
{
public:
    explicit BrokerWindowGuard(qint64 windowBytes, int triggerPercent = 40, int releasePercent = 20,
                               int stallMs = 2000);

    // A message of `bytes` (key and value) handed to the producer.
    void published(qint64 bytes);
    // The broker's report on one of them.
    void delivered(const Delivery &report);
    // The persister holds everything of `partition` before `nextOffset`.
    void committed(int partition, qint64 nextOffset);
    // The persister gave the partition up (another member owns it now): no gap to watch.
    void released(int partition);
    // The broker's partitions were re-created (offsets start at 0 again): forgets every end
    // and commit seen (what waits in the producer is still pending: it goes to the new one).
    void reset();

    // Cheap (a few atomics and a clock read): drivers ask before every reading.
    bool behind() const;
    // The measure above, in bytes.
    qint64 behindBytes() const;
    qint64 windowBytes() const { return m_windowBytes; }

private:
    struct Partition
    {
        qint64 end = -1;       // next offset after the last delivery seen; -1: none yet
        qint64 committed = -1; // persister's next offset; -1: not watched
    };
    void evaluate(); // m_mutex held
    qint64 gapBytes(const Partition &p) const;
    qint64 messageBytes(qint64 bytes) const;

    const qint64 m_windowBytes;
    const int m_triggerPercent;
    const int m_releasePercent;
    const qint64 m_stallNs;
    mutable std::mutex m_mutex;
    std::vector<Partition> m_partitions;
    qint64 m_deliveriesSinceEvaluation = 0;
    double m_meanMessageBytes = 0; // running mean of the delivered messages, framing included
    std::atomic<qint64> m_pendingBytes{0};    // published, not yet reported
    std::atomic<qint64> m_largestGapBytes{0}; // at the last evaluation
    std::atomic<qint64> m_waitingSinceNs{
        0}; // steady clock: last commit while a gap is open; 0: none
    mutable std::atomic<bool> m_behind{false};
};

} // namespace alabos
