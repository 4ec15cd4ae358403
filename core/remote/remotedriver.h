#pragma once
// A device whose driver runs on a driver host (the lab file's "driver_host"): to the engine
// it is a driver like any other. Commands travel to the host through the DriverHostLink;
// results, state and the instrument's link come back from it. Lives on a driver-pool thread.
#include "core/drivers/devicedriver.h"

#include <QMutex>

namespace alabos {

class DriverHostLink;
struct HostReport;

class RemoteDriver : public DeviceDriver
{
    Q_OBJECT
public:
    // `commands`: what the device's kind describes without connecting (the host's own
    // description replaces it when the host answers).
    RemoteDriver(QString id, QString type, QString host, QList<CommandDescription> commands,
                 DriverHostLink *link, QObject *parent = nullptr);
    ~RemoteDriver() override;

    QString host() const { return m_host; }
    QList<CommandDescription> describe() const override;
    void queryState() override;

    // From the link, queued onto this driver's thread.
    void onReport(const HostReport &report);
    void onHostChanged(bool alive, const QString &message);

protected:
    void openConnection() override;
    void closeConnection() override {}
    void startCommand(const DeviceCommand &command) override;
    void abortCommand(qint64 commandId) override;

private:
    void askHost();
    void reconcile(const DeviceStateReport &state);

    const QString m_host;
    DriverHostLink *const m_link;
    mutable QMutex m_describedLock; // describe() is read from other threads
    QList<CommandDescription> m_commands;
    qint64 m_queryToken = 0;    // the last question asked; only its answer settles a command
    bool m_engineAsked = false; // queryState() waits for the answer to m_queryToken
    bool m_hostAlive = false;
};

} // namespace alabos
