#pragma once
// Per-type behaviour of simulated devices: internal to core/drivers.
#include "core/drivers/devicedriver.h"

#include <functional>
#include <memory>

namespace alabos {

class SimulatedBehaviour
{
public:
    using Emit = std::function<void(const QString &metric, double value)>;
    virtual ~SimulatedBehaviour() = default;
    virtual CommandDescription command() const = 0;
    // Simulated seconds the command takes with these (validated) parameters.
    virtual double durationS(const QJsonObject &parameters) const = 0;
    // A cross-parameter check the schema cannot express; empty when fine.
    virtual QString check(const QJsonObject &) const { return {}; }
    virtual void start(const QJsonObject &parameters) { m_parameters = parameters; }
    // progress in [0, 1] while busy, < 0 when idle.
    virtual void sample(double progress, const Emit &emit) = 0;
    virtual QJsonObject result(const QString &deviceId, int n) = 0;

    static std::unique_ptr<SimulatedBehaviour> create(const QString &type);
    static double defaultDurationS(const QString &type);
    static QStringList types();

protected:
    QJsonObject m_parameters;
};

} // namespace alabos
