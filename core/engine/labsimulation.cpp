#include "core/engine/labsimulation.h"

#include "core/drivers/simulateddevice.h"

#include <QDateTime>

namespace alabos {

QStringList LabProfile::names()
{
    return {QStringLiteral("demo")};
}

std::optional<LabProfile> LabProfile::named(const QString &name, int deviceCount, QString *error)
{
    if (name != QLatin1StringView("demo")) {
        if (error)
            *error = QObject::tr("unknown simulation profile \"%1\" (known: %2)")
                         .arg(name, names().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (deviceCount <= 0) deviceCount = 24;
    LabProfile p;
    p.name = name;
    const QStringList types{QStringLiteral("dosing_station"), QStringLiteral("balance"),
                            QStringLiteral("robot_arm"),      QStringLiteral("box_furnace"),
                            QStringLiteral("grinder"),        QStringLiteral("xrd")};
    const QStringList prefixes{QStringLiteral("doser"),   QStringLiteral("balance"),
                               QStringLiteral("robot"),   QStringLiteral("furnace"),
                               QStringLiteral("grinder"), QStringLiteral("xrd")};
    QList<int> perType(types.size(), deviceCount / int(types.size()));
    for (int i = 0; i < deviceCount % int(types.size()); ++i)
        ++perType[i];
    for (int t = 0; t < types.size(); ++t)
        for (int i = 1; i <= perType[t]; ++i)
            p.devices.append({QStringLiteral("%1-%2").arg(prefixes[t]).arg(i), types[t]});
    // The furnaces are the bottleneck (240 s simulated each): feed about what they can do.
    const int furnaces = qMax(1, perType[3]);
    const double furnaceSecondsReal =
        SimulatedDevice::defaultDurationSeconds(types[3]) / p.acceleration;
    const double perSecond = furnaces / furnaceSecondsReal;
    p.arrivalIntervalMs = 1000;
    p.workflowsPerArrival = qMax(1, int(perSecond + 0.5));
    p.maxActiveWorkflows = qMax(12, furnaces * 3);
    return p;
}

SampleArrivals::SampleArrivals(LabEngine *engine, LabProfile profile, QObject *parent)
    : QObject(parent), m_engine(engine), m_profile(std::move(profile)), m_timer(this)
{
    m_timer.setInterval(m_profile.arrivalIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &SampleArrivals::arrive);
    m_runTag = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyMMddhhmmsszzz"));
}

void SampleArrivals::start()
{
    arrive();
    m_timer.start();
}

void SampleArrivals::stop()
{
    m_timer.stop();
}

void SampleArrivals::arrive()
{
    for (int i = 0; i < m_profile.workflowsPerArrival; ++i) {
        if (m_engine->activeWorkflows() >= m_profile.maxActiveWorkflows) return;
        ++m_submitted;
        const QString barcode =
            QStringLiteral("SIM-%1-%2").arg(m_runTag).arg(m_submitted, 6, 10, QLatin1Char('0'));
        m_engine->submitWorkflow(m_profile.workflowTemplate, {barcode}, 50);
    }
}

} // namespace alabos
