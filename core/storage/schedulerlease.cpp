#include "core/storage/schedulerlease.h"

#include "core/domain/logging.h"
#include "core/storage/pgutil.h"
#include "core/storage/preparedgroups.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <pqxx/pqxx>

namespace alabos {

namespace {
// The two-key form shows up in pg_locks as classid/objid with objsubid 2.
constexpr int kLockClass = 0x616c6162; // "alab"
constexpr int kLockObject = 0x5343;    // "SC": the scheduler
constexpr auto kApplicationName = "alabos-scheduler-lease";
} // namespace

std::optional<SchedulerInfo> readSchedulerInfo(pqxx::connection &connection, QString *error)
{
    try {
        pqxx::nontransaction tx(connection);
        const pqxx::result lock = tx.exec_params(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 "
            "AND objid = $2 AND objsubid = 2 AND granted",
            kLockClass, kLockObject);
        const pqxx::result r =
            tx.exec("SELECT host, pid, extract(epoch FROM since)::float8, kafka_bootstrap, "
                    "signing_key FROM scheduler_leader");
        SchedulerInfo info;
        info.running = lock[0][0].as<qint64>() > 0;
        if (!r.empty()) {
            info.known = true;
            info.host = QString::fromStdString(r[0][0].as<std::string>());
            info.pid = r[0][1].as<qint64>();
            info.since = QDateTime::fromMSecsSinceEpoch(qint64(r[0][2].as<double>() * 1000));
            info.kafkaBootstrap = QString::fromStdString(r[0][3].as<std::string>());
            if (!r[0][4].is_null()) {
                const pqxx::binarystring key(r[0][4]);
                info.signingKey =
                    QByteArray(reinterpret_cast<const char *>(key.data()), qsizetype(key.size()));
            }
        }
        return info;
    } catch (const std::exception &e) {
        if (error)
            *error = QObject::tr("cannot read who runs the scheduler: %1")
                         .arg(QString::fromUtf8(e.what()).trimmed());
        return std::nullopt;
    }
}

namespace {
// Takes the lock on `connection`; whether it was free.
bool takeLock(pqxx::connection &connection)
{
    pqxx::nontransaction tx(connection);
    tx.exec0(std::string("SET application_name = '") + kApplicationName + "'");
    return tx.exec_params1("SELECT pg_try_advisory_lock($1, $2)", kLockClass, kLockObject)[0]
        .as<bool>();
}
} // namespace

SchedulerLease::SchedulerLease(std::unique_ptr<pqxx::connection> connection,
                               QString connectionString)
    : m_connection(std::move(connection)), m_connectionString(std::move(connectionString))
{
    qRegisterMetaType<SchedulerInfo>();
}

SchedulerLease::~SchedulerLease()
{
    // Closing the session releases the lock; the row stays and says who led last.
    m_connection.reset();
}

std::unique_ptr<SchedulerLease> SchedulerLease::tryAcquire(const QString &connectionString,
                                                           QString *error)
{
    try {
        auto connection = std::make_unique<pqxx::connection>(connectionString.toStdString());
        if (!takeLock(*connection)) return nullptr;
        return std::unique_ptr<SchedulerLease>(
            new SchedulerLease(std::move(connection), connectionString));
    } catch (const std::exception &e) {
        if (error)
            *error = QObject::tr("Cannot take the scheduler lock in PostgreSQL: %1")
                         .arg(QString::fromUtf8(e.what()).trimmed());
        return nullptr;
    }
}

bool SchedulerLease::announce(const QString &kafkaBootstrap, const QByteArray &signingKey,
                              QString *error)
{
    try {
        {
            // A group a previous leader's writer left prepared when it died holds the row
            // below for good: decide it first.
            pqxx::connection finish(m_connectionString.toStdString());
            const preparedgroups::Outcome settled = preparedgroups::settle(*m_connection, finish);
            if (settled.finished > 0)
                qCInfo(lcStorage) << "settled" << settled.finished
                                  << "prepared part(s) of a previous scheduler's writer";
        }
        pqxx::work tx(*m_connection);
        const pqxx::binarystring key(signingKey.constData(), size_t(signingKey.size()));
        // Waits for a previous leader's writer transaction that still holds the row.
        m_epoch =
            tx.exec_params1(
                  "INSERT INTO scheduler_leader (singleton, host, pid, since, kafka_bootstrap, "
                  "signing_key, epoch) VALUES (true, $1, $2, now(), $3, $4, 1) "
                  "ON CONFLICT (singleton) DO UPDATE SET "
                  "host = EXCLUDED.host, pid = EXCLUDED.pid, since = EXCLUDED.since, "
                  "kafka_bootstrap = EXCLUDED.kafka_bootstrap, signing_key = EXCLUDED.signing_key, "
                  "epoch = scheduler_leader.epoch + 1 RETURNING epoch",
                  QHostInfo::localHostName().toStdString(), QCoreApplication::applicationPid(),
                  kafkaBootstrap.toStdString(), key)[0]
                .as<qint64>();
        tx.exec_params0("INSERT INTO scheduler_keys (public_key, host) VALUES ($1, $2) "
                        "ON CONFLICT DO NOTHING",
                        key, QHostInfo::localHostName().toStdString());
        tx.commit();
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = QObject::tr("Cannot record the scheduler in PostgreSQL: %1")
                         .arg(QString::fromUtf8(e.what()).trimmed());
        return false;
    }
}

void SchedulerLease::startChecking(int intervalMs)
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this] { m_connection ? check() : reconnect(); });
    }
    m_intervalMs = intervalMs;
    m_timer->start(intervalMs);
}

void SchedulerLease::giveUp(const QString &why)
{
    m_lost = true;
    m_timer->stop();
    Q_EMIT lost(QObject::tr("Scheduler leadership lost (%1); stopping, so that no two "
                            "schedulers run the lab at once")
                    .arg(why));
}

void SchedulerLease::check()
{
    if (m_lost) return;
    try {
        pqxx::nontransaction tx(*m_connection);
        const pqxx::result r = tx.exec_params(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 "
            "AND objid = $2 AND objsubid = 2 AND granted AND pid = pg_backend_pid()",
            kLockClass, kLockObject);
        if (r[0][0].as<qint64>() == 0) {
            giveUp(QObject::tr("the advisory lock is no longer held"));
            return;
        }
        m_timer->start(m_intervalMs);
    } catch (const std::exception &e) {
        // The session, and the lock with it, is gone; the database may be restarting.
        m_connection.reset();
        m_retryDelayMs = 500;
        const QString why = QString::fromUtf8(e.what()).trimmed();
        qCWarning(lcStorage).noquote() << "scheduler lock connection lost:" << why;
        Q_EMIT connectionLost(QObject::tr("The scheduler's lock connection to PostgreSQL was lost "
                                          "(%1); no new tasks start until it is back")
                                  .arg(why));
        m_timer->start(m_retryDelayMs);
    }
}

void SchedulerLease::reconnect()
{
    if (m_lost) return;
    try {
        auto connection = std::make_unique<pqxx::connection>(m_connectionString.toStdString());
        if (!takeLock(*connection)) {
            giveUp(QObject::tr("another process took the scheduler lock while this one was "
                               "cut off from PostgreSQL"));
            return;
        }
        const pqxx::result r =
            pqxx::nontransaction(*connection).exec("SELECT epoch FROM scheduler_leader");
        if (r.empty() || r[0][0].as<qint64>() != m_epoch) {
            giveUp(QObject::tr("another scheduler led this lab while this one was cut off from "
                               "PostgreSQL"));
            return;
        }
        m_connection = std::move(connection);
        qCInfo(lcStorage) << "scheduler lock taken again after the connection was lost";
        Q_EMIT regained();
        m_timer->start(m_intervalMs);
    } catch (const std::exception &e) {
        qCDebug(lcStorage).noquote()
            << "scheduler lock: reconnecting failed:" << QString::fromUtf8(e.what()).trimmed();
        m_retryDelayMs = qMin(m_retryDelayMs * 2, 5000);
        m_timer->start(m_retryDelayMs);
    }
}

SchedulerWatch::SchedulerWatch(QString connectionString, int intervalMs, QObject *parent)
    : QObject(parent), m_connectionString(std::move(connectionString)), m_timer(new QTimer(this))
{
    qRegisterMetaType<SchedulerInfo>();
    m_timer->setInterval(intervalMs);
    connect(m_timer, &QTimer::timeout, this, &SchedulerWatch::check);
}

SchedulerWatch::~SchedulerWatch() = default;

void SchedulerWatch::start()
{
    check();
    m_timer->start();
}

void SchedulerWatch::check()
{
    QString error;
    std::optional<SchedulerInfo> info;
    if (connectIfNeeded(m_connection, m_connectionString, "scheduler watch", &error))
        info = readSchedulerInfo(*m_connection, &error);
    if (!info) {
        m_connection.reset(); // reconnect next time
        qCDebug(lcStorage).noquote() << error;
        info = SchedulerInfo{}; // not known to be running: shown as unreachable
        info->host = m_last.host;
        info->pid = m_last.pid;
        info->known = m_last.known;
        info->answered = false;
    }
    if (m_reported && *info == m_last) return;
    m_reported = true;
    m_last = *info;
    Q_EMIT changed(*info);
}

} // namespace alabos
