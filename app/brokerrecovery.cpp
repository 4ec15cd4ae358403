// The embedded broker's death and restart, as the rest of the lab sees it. EmbeddedBroker
// notices the death at once and starts the helper again on the same port with the same
// topics (core/bus/embeddedbroker.h); every client reconnects by itself. What this adds:
// - events: nothing to do. PostgreSQL holds them all; the relay's cursor moves only after the
//   broker acknowledged a batch, and what was in flight is sent again to the new broker. The
//   events the dead broker had acknowledged are gone from the state topics, so every console
//   takes a fresh snapshot from PostgreSQL (the state feed notices the re-created topics;
//   ours is told) and follows the stream from there: the topics need hold nothing older.
// - telemetry: readings the dead broker acknowledged and the persister had not read are
//   lost. The persister writes what it holds and is replaced by one with a consumer name of
//   its own (the new topics' offsets start at 0 again); the loss is counted as what the
//   publisher had delivered to that broker minus what the persister wrote of it.
// - commands and driver-host reports: their tails read the new broker from its start by
//   themselves (AssignedConsumer::tail), in every process.
// - an alarm (broker:restarted) saying so, and the broker's state for the status bar.
#include "app/labruntime.h"
#include "core/bus/brokerwindow.h"
#include "core/bus/embeddedbroker.h"
#include "core/domain/logging.h"
#include "core/storage/eventrelay.h"

namespace alabos {

void LabRuntime::watchEmbeddedBroker()
{
    if (!m_broker) return;
    connect(m_broker.get(), &EmbeddedBroker::died, this, &LabRuntime::onBrokerDied);
    connect(m_broker.get(), &EmbeddedBroker::restarted, this, &LabRuntime::onBrokerBack);
    // Why it is not back yet (say, who holds its port) goes to the alarm and the status bar.
    connect(m_broker.get(), &EmbeddedBroker::restartFailed, this, [this](const QString &why) {
        if (m_started) Q_EMIT brokerStateChanged(false, why);
    });
}

void LabRuntime::onBrokerDied(const QString &why)
{
    if (!m_started) return;
    // Reports that arrive from now on are the new broker's.
    if (m_deliveredAtBrokerDeath < 0)
        m_deliveredAtBrokerDeath = m_telemetry ? m_telemetry->counters().delivered : 0;
    m_brokerHealthy = false;
    Q_EMIT brokerStateChanged(false, tr("%1; starting it again").arg(why));
}

void LabRuntime::onBrokerBack(int restarts)
{
    if (!m_started) return;
    const qint64 deliveredAtDeath = m_deliveredAtBrokerDeath < 0
                                        ? (m_telemetry ? m_telemetry->counters().delivered : 0)
                                        : m_deliveredAtBrokerDeath;
    qint64 lost = 0;
    if (m_persister) {
        // Writes what it read of the dead broker, then leaves.
        m_persister->stop();
        const PersisterStats old = m_persister->stats();
        lost = qMax<qint64>(0, deliveredAtDeath - m_deliveredAtBrokerStart - old.persisted -
                                   old.lost - old.deadLettered);
        m_retiredPersisterStats.persisted += old.persisted;
        m_retiredPersisterStats.batches += old.batches;
        m_retiredPersisterStats.lost += old.lost + lost;
        m_retiredPersisterStats.deadLettered += old.deadLettered;
        m_retiredPersisterStats.rewinds += old.rewinds;
        m_retiredPersisterStats.writeSeconds += old.writeSeconds;
        m_persister.reset();
    }
    m_deliveredAtBrokerStart = deliveredAtDeath;
    m_deliveredAtBrokerDeath = -1;
    if (m_windowGuard) m_windowGuard->reset();
    QString error;
    if (!startPersister(&error))
        qCCritical(lcBus).noquote() << "telemetry persister could not start again:" << error;
    if (m_feed)
        QMetaObject::invokeMethod(
            m_feed, [feed = m_feed] { feed->resync(tr("the embedded broker was started again")); });
    if (m_relay) QMetaObject::invokeMethod(m_relay, &EventRelay::wake);
    const QString message =
        tr("The embedded Kafka broker died and was started again on %1 (restart %2): %3 "
           "telemetry readings it held were not yet persisted and are lost; no event is lost "
           "(PostgreSQL holds them all) and every console reloads the lab from PostgreSQL")
            .arg(m_broker->bootstrap())
            .arg(restarts)
            .arg(lost);
    qCWarning(lcBus).noquote() << message;
    m_brokerHealthy = true;
    Q_EMIT brokerStateChanged(true, tr("Kafka reachable: the embedded broker was started again"));
    Q_EMIT brokerRestarted(lost, message);
}

} // namespace alabos
