#include "core/drivers/simulatedbehaviours.h"

#include <QRandomGenerator>
#include <cmath>

namespace alabos {

namespace {

double noise(double amplitude)
{
    return amplitude * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
}

ParameterDescription number(const char *name, const char *unit, double min, double max, double def,
                            const char *description)
{
    return {QLatin1StringView(name),
            QStringLiteral("number"),
            QString::fromUtf8(unit),
            min,
            max,
            def,
            QLatin1StringView(description)};
}

ParameterDescription durationParameter(double def)
{
    return number("duration_s", "s", 0, 7 * 86400, def, "How long the step takes");
}

double param(const QJsonObject &p, const char *name)
{
    return p.value(QLatin1StringView(name)).toDouble();
}

// Dispenses precursor powder; telemetry: the mass dispensed so far.
class Dosing : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        return {QStringLiteral("dose"),
                QObject::tr("Dispense precursor powder into a crucible"),
                {number("mass_mg", "mg", 1, 50000, 500, "Target mass"), durationParameter(40)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    void start(const QJsonObject &p) override
    {
        SimulatedBehaviour::start(p);
        m_dispensed = 0;
    }
    void sample(double progress, const Emit &emit) override
    {
        if (progress >= 0) m_dispensed = progress * param(m_parameters, "mass_mg");
        emit(QStringLiteral("dispensed_mg"), m_dispensed);
    }
    QJsonObject result(const QString &, int) override
    {
        // A real doser lands within about 0.5 % of its target.
        m_dispensed = param(m_parameters, "mass_mg") * (1.0 + noise(0.005));
        return {{QStringLiteral("dispensed_mg"), m_dispensed}};
    }

private:
    double m_dispensed = 0;
};

// A balance: an empty pan reads about zero; weigh reports a crucible with its sample.
class Balance : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        return {
            QStringLiteral("weigh"), QObject::tr("Weigh the crucible"), {durationParameter(15)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    void start(const QJsonObject &p) override
    {
        SimulatedBehaviour::start(p);
        m_load = 20.0 + 10.0 * QRandomGenerator::global()->generateDouble();
    }
    void sample(double progress, const Emit &emit) override
    {
        // The reading settles over the first fifth of the weighing.
        const double load = progress < 0 ? 0.0 : m_load * qMin(1.0, progress * 5.0);
        emit(QStringLiteral("mass_g"), load + noise(0.0005));
    }
    QJsonObject result(const QString &, int) override
    {
        return {{QStringLiteral("mass_g"), std::round((m_load + noise(0.0002)) * 1e4) / 1e4}};
    }

private:
    double m_load = 0;
};

class RobotArm : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        ParameterDescription from{
            QStringLiteral("from"),  QStringLiteral("string"),      {}, {}, {},
            QStringLiteral("input"), QObject::tr("Source position")};
        ParameterDescription to{QStringLiteral("to"),     QStringLiteral("string"),      {}, {}, {},
                                QStringLiteral("output"), QObject::tr("Target position")};
        return {QStringLiteral("transfer"),
                QObject::tr("Move a sample between positions"),
                {from, to, durationParameter(20)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    QString check(const QJsonObject &p) const override
    {
        if (p.value(QLatin1StringView("from")) == p.value(QLatin1StringView("to")))
            return QObject::tr("\"from\" and \"to\" are the same position");
        return {};
    }
    void sample(double progress, const Emit &emit) override
    {
        emit(QStringLiteral("position_pct"), progress < 0 ? 0.0 : 100.0 * progress);
    }
    QJsonObject result(const QString &, int) override
    {
        return {{QStringLiteral("from"), m_parameters.value(QLatin1StringView("from"))},
                {QStringLiteral("to"), m_parameters.value(QLatin1StringView("to"))}};
    }
};

// A box furnace: ramp to the set point, hold, cool naturally; telemetry follows the profile.
class Furnace : public SimulatedBehaviour
{
public:
    static constexpr double kAmbientC = 25;
    static constexpr double kCoolCPerMin = 10; // natural cooling down to the unload temperature
    static constexpr double kUnloadC = 100;

    CommandDescription command() const override
    {
        // "duration_s" is undescribed here: when the engine passes it, the profile is
        // compressed into it; otherwise the profile decides.
        return {QStringLiteral("heat"),
                QObject::tr("Run a temperature profile"),
                {number("temperature_c", "°C", 100, 1200, 1000, "Set point"),
                 number("ramp_c_per_min", "°C/min", 0.5, 30, 10, "Heating rate"),
                 number("hold_min", "min", 0, 1440, 60, "Time at the set point"),
                 ParameterDescription{QStringLiteral("atmosphere"), QStringLiteral("string"), {},
                                      std::nullopt, std::nullopt, QStringLiteral("air"),
                                      QStringLiteral("Gas in the chamber: air, argon or nitrogen")}}};
    }
    double profileS(const QJsonObject &p) const
    {
        const double t = param(p, "temperature_c");
        return 60.0 * ((t - kAmbientC) / param(p, "ramp_c_per_min") + param(p, "hold_min") +
                       qMax(0.0, t - kUnloadC) / kCoolCPerMin);
    }
    double durationS(const QJsonObject &p) const override
    {
        const QJsonValue d = p.value(QLatin1StringView("duration_s"));
        return d.isDouble() ? d.toDouble() : profileS(p);
    }
    // The furnace temperature at a fraction of the (possibly compressed) profile.
    double temperatureAt(double progress) const
    {
        const double t = param(m_parameters, "temperature_c");
        const double ramp = (t - kAmbientC) / param(m_parameters, "ramp_c_per_min");
        const double hold = param(m_parameters, "hold_min");
        const double cool = qMax(0.0, t - kUnloadC) / kCoolCPerMin;
        const double minute = progress * (ramp + hold + cool);
        if (minute < ramp) return kAmbientC + (t - kAmbientC) * minute / ramp;
        if (minute < ramp + hold) return t;
        return t - kCoolCPerMin * (minute - ramp - hold);
    }
    void sample(double progress, const Emit &emit) override
    {
        if (progress >= 0)
            m_temperature = temperatureAt(progress);
        else // idle: cools towards ambient between ticks
            m_temperature = kAmbientC + (m_temperature - kAmbientC) * 0.9;
        emit(QStringLiteral("temperature_c"), m_temperature + noise(0.2));
    }
    QJsonObject result(const QString &, int) override
    {
        return {{QStringLiteral("peak_c"), param(m_parameters, "temperature_c")},
                {QStringLiteral("profile_min"), profileS(m_parameters) / 60.0}};
    }

private:
    double m_temperature = kAmbientC;
};

class Grinder : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        return {QStringLiteral("grind"),
                QObject::tr("Grind the fired sample"),
                {number("speed_rpm", "rpm", 50, 1000, 300, "Bowl speed"), durationParameter(60)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    void sample(double progress, const Emit &emit) override
    {
        emit(QStringLiteral("speed_rpm"), progress < 0 ? 0.0 : param(m_parameters, "speed_rpm"));
    }
    QJsonObject result(const QString &, int) override { return {}; }
};

class Xrd : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        return {QStringLiteral("measure"),
                QObject::tr("Record an X-ray diffraction pattern"),
                {number("two_theta_start", "°", 5, 150, 10, "Scan start"),
                 number("two_theta_end", "°", 5, 150, 80, "Scan end"),
                 number("step_deg", "°", 0.005, 1, 0.02, "Step width"),
                 ParameterDescription{QStringLiteral("scans"), QStringLiteral("integer"), {}, 1.0, 20.0,
                                      1, QStringLiteral("Repeated scans, averaged")},
                 durationParameter(120)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    QString check(const QJsonObject &p) const override
    {
        if (param(p, "two_theta_start") >= param(p, "two_theta_end"))
            return QObject::tr("\"two_theta_start\" must be below \"two_theta_end\"");
        return {};
    }
    void sample(double progress, const Emit &emit) override
    {
        if (progress >= 0)
            m_angle = param(m_parameters, "two_theta_start") +
                      progress * (param(m_parameters, "two_theta_end") -
                                  param(m_parameters, "two_theta_start"));
        emit(QStringLiteral("two_theta_deg"), m_angle);
    }
    QJsonObject result(const QString &deviceId, int n) override
    {
        const int points =
            int((param(m_parameters, "two_theta_end") - param(m_parameters, "two_theta_start")) /
                param(m_parameters, "step_deg")) +
            1;
        return {{QStringLiteral("pattern_id"),
                 QStringLiteral("%1-%2").arg(deviceId).arg(n, 6, 10, QLatin1Char('0'))},
                {QStringLiteral("points"), points}};
    }

private:
    double m_angle = 10;
};

class LiquidHandler : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        return {QStringLiteral("pipette"),
                QObject::tr("Aspirate and dispense liquid"),
                {number("volume_ul", "µL", 1, 1000, 100, "Volume"), durationParameter(30)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    void sample(double progress, const Emit &emit) override
    {
        if (progress >= 0) m_volume = progress * param(m_parameters, "volume_ul");
        emit(QStringLiteral("dispensed_ul"), m_volume);
    }
    QJsonObject result(const QString &, int) override
    {
        return {{QStringLiteral("dispensed_ul"), param(m_parameters, "volume_ul")}};
    }

private:
    double m_volume = 0;
};

// A device type the lab does not model in detail: one "run" command of a given duration.
class Generic : public SimulatedBehaviour
{
public:
    CommandDescription command() const override
    {
        return {QStringLiteral("run"), QObject::tr("Run a step"), {durationParameter(10)}};
    }
    double durationS(const QJsonObject &p) const override { return param(p, "duration_s"); }
    void sample(double progress, const Emit &emit) override
    {
        emit(QStringLiteral("progress_pct"), progress < 0 ? 0.0 : 100 * progress);
    }
    QJsonObject result(const QString &, int) override { return {}; }
};

struct TypeEntry
{
    const char *type;
    double durationS; // what the demo workflow expects
    std::unique_ptr<SimulatedBehaviour> (*make)();
};

template <class T> std::unique_ptr<SimulatedBehaviour> make()
{
    return std::make_unique<T>();
}

const TypeEntry kTypes[] = {
    {"dosing_station", 40, make<Dosing>},
    {"balance", 15, make<Balance>},
    {"robot_arm", 20, make<RobotArm>},
    {"box_furnace", 240, make<Furnace>},
    {"grinder", 60, make<Grinder>},
    {"xrd", 120, make<Xrd>},
    {"liquid_handler", 30, make<LiquidHandler>},
};

} // namespace

std::unique_ptr<SimulatedBehaviour> SimulatedBehaviour::create(const QString &type)
{
    for (const TypeEntry &e : kTypes)
        if (type == QLatin1StringView(e.type)) return e.make();
    return std::make_unique<Generic>();
}

double SimulatedBehaviour::defaultDurationS(const QString &type)
{
    for (const TypeEntry &e : kTypes)
        if (type == QLatin1StringView(e.type)) return e.durationS;
    return 10;
}

QStringList SimulatedBehaviour::types()
{
    QStringList out;
    for (const TypeEntry &e : kTypes)
        out << QLatin1StringView(e.type);
    return out;
}

} // namespace alabos
