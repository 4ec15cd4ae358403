#pragma once
#include "core/engine/labengine.h"

#include <QObject>
#include <QTimer>

namespace alabos {

// A simulated lab: which devices exist, how fast simulated time runs, and how samples
// arrive. `demo` is about 24 devices of 6 types; deviceCount scales it.
struct LabProfile
{
    QString name;
    QList<DeviceSpec> devices;
    double acceleration = 60; // simulated seconds per real second
    int arrivalIntervalMs = 2000;
    int workflowsPerArrival = 1;
    int maxActiveWorkflows = 48; // arrivals pause while this many are in the lab
    QString workflowTemplate = QStringLiteral("demo-synthesis");

    static std::optional<LabProfile> named(const QString &name, int deviceCount, QString *error);
    static QStringList names();
};

// Registers new samples and submits the demo workflow for them every few seconds, on the
// engine thread, holding back while the lab is full.
class SampleArrivals : public QObject
{
    Q_OBJECT
public:
    SampleArrivals(LabEngine *engine, LabProfile profile, QObject *parent = nullptr);
    qint64 submitted() const { return m_submitted; }

public Q_SLOTS:
    void start();
    void stop();

private:
    void arrive();

    LabEngine *m_engine;
    LabProfile m_profile;
    QTimer m_timer;
    qint64 m_submitted = 0;
    QString m_runTag;
};

} // namespace alabos
