#pragma once
// A token bucket per key (an API token, or a client address before it showed one), shared by
// the server's threads. Sharded so two threads rarely wait for each other; bounded in keys, so
// a stream of made-up tokens cannot grow it without limit.
#include <QByteArray>
#include <QHash>
#include <array>
#include <mutex>
#include <optional>

namespace alabos {

class RateLimiter
{
public:
    // `perSecond` sustained, `burst` at once; at most `maxKeys` keys remembered (the least
    // recently refilled are forgotten first when full: a forgotten key starts with a full
    // bucket, which only ever helps a client that was idle).
    RateLimiter(double perSecond, int burst, int maxKeys = 100000);

    // nullopt: allowed (one request taken). Else the seconds until one request is allowed.
    std::optional<double> take(const QByteArray &key, qint64 nowUs);

    double perSecond() const { return m_perSecond; }
    int burst() const { return m_burst; }

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedUs = 0;
    };
    struct Shard
    {
        std::mutex mutex;
        QHash<QByteArray, Bucket> buckets;
    };
    static constexpr int kShards = 16;

    double m_perSecond;
    int m_burst;
    int m_maxKeysPerShard;
    std::array<Shard, kShards> m_shards;
};

} // namespace alabos
