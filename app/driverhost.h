#pragma once
// alabos --headless --drivers-only --lab FILE --host NAME: the process on an instrument PC
// that runs the drivers of the devices the lab file assigns to NAME (docs/driver-hosts.md).
// No engine, no relay, no console: commands come from the scheduler over Kafka, results,
// state and telemetry go back the same way.
#include "app/options.h"
#include "core/remote/driverhostserver.h"

#include <QObject>
#include <memory>

class QThread;

namespace alabos {

class DriverPool;
class KafkaProducer;
class TelemetryPublisher;
class TrustedKeys;

class DriverHostProcess : public QObject
{
    Q_OBJECT
public:
    explicit DriverHostProcess(Options options, QObject *parent = nullptr);
    ~DriverHostProcess() override;

    // Blocking, for start-up only. False with a message a person can act on.
    bool start(QString *error);
    void stop();
    int deviceCount() const { return m_deviceCount; }
    QString kafkaBootstrap() const { return m_kafka.bootstrap; }
    DriverHostStats stats() const;

Q_SIGNALS:
    void fatalError(const QString &message);

private:
    Options m_options;
    KafkaSettings m_kafka;
    int m_deviceCount = 0;
    std::unique_ptr<KafkaProducer> m_producer;
    std::unique_ptr<TelemetryPublisher> m_telemetry;
    std::unique_ptr<DriverPool> m_pool;
    std::shared_ptr<TrustedKeys> m_schedulerKeys;
    QThread *m_thread = nullptr;
    DriverHostServer *m_server = nullptr;
};

} // namespace alabos
