#pragma once
// The lab's events as server-sent events, for scripts that do not speak Kafka. One thread
// follows the events table in commit order (as the relay does) and fans each new event out
// to every subscriber; a subscriber that names the last event it saw (Last-Event-ID) gets
// everything after it first, from a ring of recent events or else page by page from
// PostgreSQL, so a dropped connection loses nothing the retention window still holds.
#include "core/api/http.h"

#include <QByteArray>
#include <QSet>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace alabos {

class ApiEventStream
{
public:
    static constexpr int kMaxSubscribers = 1000;
    static constexpr int kRingSize = 20000;     // recent events kept encoded
    static constexpr int kPollIntervalMs = 100; // how far behind the table a stream may be
    static constexpr int kHeartbeatMs = 15000;  // a comment, so dead clients are noticed

    explicit ApiEventStream(QString connectionString);
    ~ApiEventStream();

    // The exchange becomes a stream of the events after `afterId` (-1: from now on) whose
    // entity type is in `types` (empty: all). False when there are too many subscribers.
    bool subscribe(std::shared_ptr<HttpExchange> exchange, qint64 afterId, QSet<QString> types);
    void stop();
    int subscribers() const;

private:
    struct Subscriber;
    struct Frame
    {
        qint64 id = 0;
        QString entityType;
        QByteArray bytes;
    };
    void run();
    bool deliver(Subscriber &s, const Frame &frame);

    QString m_connectionString;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::vector<std::shared_ptr<Subscriber>> m_joining; // handed over to the thread
    std::atomic<int> m_live{0};                         // subscribers the thread serves
    std::thread m_thread;
};

} // namespace alabos
