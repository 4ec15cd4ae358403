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

// Drivers by kind ("simulated", "modbus", "scpi", "process"), built from a JSON device
// config: {"id": "...", "type": "...", "driver": "<kind>", ...kind-specific fields}.
//
// A factory refuses a bad config with *error of the form `field "PATH" REASON`, PATH being
// the JSON path inside the device object ("port", "register_map.registers[2].scale"), so
// that the lab file can name `devices[3].register_map.registers[2].scale`. It never
// connects to anything: building a driver is also how a config is checked.
class DriverRegistry
{
public:
    using Factory = std::function<std::unique_ptr<DeviceDriver>(
        const QJsonObject &config, const DriverContext &context, QString *error)>;

    static DriverRegistry &instance(); // holds the built-in kinds
    // settingsForm: the kind's settings as a form definition ({"title", "fields": [...]},
    // core/domain/formdefinition.h) that the console's "Add device" form is generated from.
    void add(const QString &kind, Factory factory, QJsonObject settingsForm = {});
    QStringList kinds() const;
    QJsonObject settingsForm(const QString &kind) const; // empty for an unknown kind
    // Refuses a bad config with `device ID: field "PATH" REASON`.
    std::unique_ptr<DeviceDriver> create(const QJsonObject &config, const DriverContext &context,
                                         QString *error) const;
    // create() without keeping the driver: the config's problem, or empty when it is good.
    QString check(const QJsonObject &config, const DriverContext &context) const;

private:
    DriverRegistry();
    struct Kind
    {
        QString name;
        Factory factory;
        QJsonObject settingsForm;
    };
    QList<Kind> m_kinds;
};

} // namespace alabos
