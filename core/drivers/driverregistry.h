#pragma once
#include "core/drivers/devicedriver.h"

#include <functional>
#include <memory>

namespace alabos {

// What a factory may need beyond the device's own config.
struct DriverContext
{
    double acceleration = 1; // simulated drivers: time compression
    QString stateDirectory;  // simulated drivers: where they persist their state; empty: memory
    QString configDirectory; // where relative file names in configs (register maps) resolve
};

// Drivers by kind ("simulated", "modbus", "scpi"), built from a JSON device config:
// {"id": "...", "type": "...", "driver": "<kind>", ...kind-specific fields}.
class DriverRegistry
{
public:
    using Factory = std::function<std::unique_ptr<DeviceDriver>(
        const QJsonObject &config, const DriverContext &context, QString *error)>;

    static DriverRegistry &instance(); // holds the built-in kinds
    void add(const QString &kind, Factory factory);
    QStringList kinds() const;
    // Refuses a bad config with a message naming the device and the field.
    std::unique_ptr<DeviceDriver> create(const QJsonObject &config, const DriverContext &context,
                                         QString *error) const;

private:
    DriverRegistry();
    QList<QPair<QString, Factory>> m_factories;
};

} // namespace alabos
