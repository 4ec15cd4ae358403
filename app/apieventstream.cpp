#include "app/apieventstream.h"

#include "core/domain/logging.h"
#include "core/storage/pgutil.h"

#include <QDateTime>
#include <atomic>
#include <pqxx/pqxx>

namespace alabos {

namespace {
constexpr int kPage = 2000;
constexpr int kCatchUpPagesPerRound = 5; // one slow reader never holds up the others long

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

struct ApiEventStream::Subscriber
{
    std::shared_ptr<HttpExchange> exchange;
    qint64 cursor = -1; // the last event id delivered (or skipped)
    QSet<QString> types;
    std::atomic<bool> alive{true};
    qint64 lastWriteMs = 0;
};

ApiEventStream::ApiEventStream(QString connectionString)
    : m_connectionString(std::move(connectionString)), m_thread([this] { run(); })
{
}

ApiEventStream::~ApiEventStream()
{
    stop();
}

bool ApiEventStream::subscribe(std::shared_ptr<HttpExchange> exchange, qint64 afterId,
                               QSet<QString> types)
{
    auto s = std::make_shared<Subscriber>();
    s->exchange = exchange;
    s->cursor = afterId;
    s->types = std::move(types);
    s->lastWriteMs = nowMs();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || int(m_joining.size()) + m_live.load() >= kMaxSubscribers) return false;
        std::weak_ptr<Subscriber> weak = s;
        exchange->onClosed([weak] {
            if (auto alive = weak.lock()) alive->alive = false;
        });
        exchange->startStream({{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}},
                              "text/event-stream");
        exchange->write("retry: 2000\n\n");
        m_joining.push_back(std::move(s));
    }
    m_wake.notify_one();
    return true;
}

void ApiEventStream::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

int ApiEventStream::subscribers() const
{
    std::lock_guard lock(m_mutex);
    return int(m_joining.size()) + m_live.load();
}

bool ApiEventStream::deliver(Subscriber &s, const Frame &frame)
{
    if (frame.id <= s.cursor) return true;
    s.cursor = frame.id;
    if (!s.types.isEmpty() && !s.types.contains(frame.entityType)) return true;
    s.lastWriteMs = nowMs();
    if (!s.exchange->write(frame.bytes)) s.alive = false;
    return s.alive;
}

void ApiEventStream::run()
{
    std::unique_ptr<pqxx::connection> connection;
    std::deque<Frame> ring;
    std::vector<std::shared_ptr<Subscriber>> subscribers;
    qint64 tail = -1; // the newest event id read
    auto frameOf = [](const pqxx::row &row) {
        const qint64 id = row[0].as<qint64>();
        QByteArray bytes = "id: " + QByteArray::number(id) +
                           "\nevent: " + QByteArray(row[3].c_str()) +
                           "\ndata: " + encodedEventFromRow(row) + "\n\n";
        return Frame{id, QString::fromUtf8(row[1].c_str()), std::move(bytes)};
    };
    auto read = [&](qint64 after, int limit) {
        std::vector<Frame> frames;
        pqxx::read_transaction tx(*connection);
        const pqxx::result rows = tx.exec_params(std::string("SELECT ") + kEventColumns +
                                                     " FROM events WHERE id > $1 ORDER BY id "
                                                     "LIMIT $2",
                                                 after, limit);
        for (const auto &row : rows)
            frames.push_back(frameOf(row));
        return frames;
    };
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::milliseconds(kPollIntervalMs),
                            [this] { return m_stopping; });
            if (m_stopping) break;
            for (auto &s : m_joining)
                subscribers.push_back(std::move(s));
            m_joining.clear();
        }
        try {
            if (!connection || !connection->is_open()) {
                connection = std::make_unique<pqxx::connection>(m_connectionString.toStdString());
                if (tail < 0) {
                    pqxx::read_transaction tx(*connection);
                    tail = tx.exec1("SELECT coalesce(max(id), 0) FROM events")[0].as<qint64>();
                }
            }
            for (;;) {
                std::vector<Frame> fresh = read(tail, kPage);
                for (Frame &f : fresh) {
                    tail = f.id;
                    ring.push_back(std::move(f));
                }
                while (ring.size() > size_t(kRingSize))
                    ring.pop_front();
                if (fresh.size() < size_t(kPage)) break;
            }
            const qint64 oldestInRing = ring.empty() ? tail + 1 : ring.front().id;
            for (auto &s : subscribers) {
                if (s->cursor < 0) s->cursor = tail; // from now on
                // Older than the ring: pages from the table first.
                for (int page = 0;
                     s->alive && s->cursor + 1 < oldestInRing && page < kCatchUpPagesPerRound;
                     ++page) {
                    const std::vector<Frame> old = read(s->cursor, kPage);
                    if (old.empty()) {
                        s->cursor = oldestInRing - 1; // nothing older is kept any more
                        break;
                    }
                    for (const Frame &f : old)
                        if (f.id < oldestInRing && !deliver(*s, f)) break;
                }
                if (s->cursor + 1 >= oldestInRing)
                    for (const Frame &f : ring)
                        if (!s->alive || !deliver(*s, f)) break;
            }
        } catch (const std::exception &e) {
            qCWarning(lcApp) << "api: event stream cannot read events:" << e.what();
            connection.reset(); // subscribers wait; they resume where they were
        }
        const qint64 now = nowMs();
        for (auto &s : subscribers)
            if (s->alive && now - s->lastWriteMs > kHeartbeatMs) {
                s->lastWriteMs = now;
                if (!s->exchange->write(": keep-alive\n\n")) s->alive = false;
            }
        std::erase_if(subscribers, [](const std::shared_ptr<Subscriber> &s) { return !s->alive; });
        m_live = int(subscribers.size());
    }
    for (auto &s : subscribers)
        s->exchange->close();
    std::lock_guard lock(m_mutex);
    for (auto &s : m_joining)
        s->exchange->close();
    m_joining.clear();
}

} // namespace alabos
