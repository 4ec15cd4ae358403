#pragma once
#include "core/drivers/devicedriver.h"

#include <optional>

namespace alabos {

// One named register (or coil) of a Modbus device. Engineering value = raw * scale + offset.
struct ModbusRegister
{
    enum class Table
    {
        Coil,
        DiscreteInput,
        InputRegister,
        HoldingRegister
    };
    enum class Format
    {
        Bool,
        U16,
        S16,
        U32,
        S32,
        F32
    };
    QString name;
    Table table = Table::HoldingRegister;
    int address = 0;
    Format format = Format::U16;
    double scale = 1;
    double offset = 0;
    QString unit;
    bool telemetry = false;
    // Vendors differ: a 32-bit value may come low word first, and a device may put the low
    // byte of each word first.
    bool lowWordFirst = false; // "word_order": "low_first"
    bool swapBytes = false;    // "byte_order": "little"
    // One bit (0..15) of an input or holding register, read as 0 or 1; -1: the whole
    // register. Read-only: writing one bit would mean reading, changing and writing the
    // whole register, racing every other writer of the other bits.
    int bit = -1;

    int words() const;
    bool writable() const
    {
        return bit < 0 && (table == Table::Coil || table == Table::HoldingRegister);
    }
    // Engineering value -> register words in the device's order; nullopt with *error when it
    // does not fit.
    std::optional<QList<quint16>> encode(double value, QString *error) const;
    // Register words as read from the device -> engineering value.
    double decode(const QList<quint16> &words) const;

private:
    std::optional<QList<quint16>> encodeLogical(double value, QString *error) const;

public:
};

struct ModbusWrite
{
    QString registerName;
    QJsonValue value; // a number, or "$parameter"
};

// A command finishes when a register meets a condition, polled at the map's rate.
struct ModbusCompletion
{
    QString registerName;
    QString op;       // equals | at_least | at_most
    QJsonValue value; // a number, or "$parameter"
    int timeoutMs = 10000;
};

struct ModbusCommand
{
    CommandDescription description;
    QList<ModbusWrite> writes;
    std::optional<ModbusCompletion> completeWhen;
    QList<ModbusWrite> onCancel; // writes that stop the device when the command is cancelled
};

// The JSON register map that configures a Modbus device; see docs/drivers.md.
struct ModbusRegisterMap
{
    int unitId = 1;
    int pollMs = 1000; // telemetry poll period and completion poll period
    int timeoutMs = 1000;
    QList<ModbusRegister> registers;
    QList<ModbusCommand> commands;

    const ModbusRegister *find(const QString &name) const;
    const ModbusCommand *command(const QString &name) const;
    // Refuses a bad map with a message naming the field (e.g. "registers[2].table").
    static std::optional<ModbusRegisterMap> fromJson(const QJsonObject &json, QString *error);
};

// Resolves "$name" against the command's parameters, or takes a number as is.
std::optional<double> resolveValue(const QJsonValue &value, const QJsonObject &parameters);

} // namespace alabos
