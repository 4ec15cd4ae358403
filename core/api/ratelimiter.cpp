#include "core/api/ratelimiter.h"

#include <algorithm>

namespace alabos {

RateLimiter::RateLimiter(double perSecond, int burst, int maxKeys)
    : m_perSecond(std::max(perSecond, 0.001)), m_burst(std::max(burst, 1)),
      m_maxKeysPerShard(std::max(maxKeys / kShards, 1))
{
}

std::optional<double> RateLimiter::take(const QByteArray &key, qint64 nowUs)
{
    Shard &shard = m_shards[qHash(key) % kShards];
    std::lock_guard lock(shard.mutex);
    auto it = shard.buckets.find(key);
    if (it == shard.buckets.end()) {
        if (shard.buckets.size() >= m_maxKeysPerShard) {
            // Forget the quarter refilled longest ago: O(n) once per n/4 new keys.
            QList<qint64> times;
            times.reserve(shard.buckets.size());
            for (const Bucket &b : std::as_const(shard.buckets))
                times << b.updatedUs;
            const qsizetype cut = times.size() / 4;
            std::nth_element(times.begin(), times.begin() + cut, times.end());
            const qint64 threshold = times.at(cut);
            for (auto b = shard.buckets.begin(); b != shard.buckets.end();)
                b = b->updatedUs <= threshold ? shard.buckets.erase(b) : std::next(b);
        }
        it = shard.buckets.insert(key, Bucket{double(m_burst), nowUs});
    }
    Bucket &b = *it;
    const double elapsed = std::max<qint64>(nowUs - b.updatedUs, 0) / 1e6;
    b.tokens = std::min(double(m_burst), b.tokens + elapsed * m_perSecond);
    b.updatedUs = nowUs;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return std::nullopt;
    }
    return (1.0 - b.tokens) / m_perSecond;
}

} // namespace alabos
