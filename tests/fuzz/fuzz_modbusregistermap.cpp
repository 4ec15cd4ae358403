// ModbusRegisterMap::fromJson on any JSON: refuses with a message naming the field, or gives
// a map whose registers all encode and decode values and whose commands name known registers.
#include "core/drivers/modbusregistermap.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonDocument>
#include <cmath>
#include <limits>

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    const QJsonObject json = QJsonDocument::fromJson(fuzz::bytes(data, size)).object();
    QString error;
    const auto map = ModbusRegisterMap::fromJson(json, &error);
    if (!map) {
        if (error.isEmpty()) abort();
        return 0;
    }
    for (const ModbusRegister &r : map->registers) {
        if (map->find(r.name) == nullptr) abort();
        if (r.words() < 1 || r.words() > 2) abort();
        for (const double value : {0.0, 1.0, -1.0, 12.5, 65535.0, 1e12, -1e12, std::nan(""),
                                   std::numeric_limits<double>::infinity()}) {
            QString why;
            if (const auto words = r.encode(value, &why)) {
                if (words->size() != r.words()) abort();
                // What was written reads back as a number: never an infinity or NaN.
                if (!std::isfinite(r.decode(*words))) abort();
            } else if (why.isEmpty()) {
                abort();
            }
        }
        r.decode(QList<quint16>(r.words(), 0xFFFF));
        r.decode(QList<quint16>(r.words(), 0x8000));
    }
    for (const ModbusCommand &c : map->commands) {
        if (map->command(c.description.name) == nullptr) abort();
        for (const ModbusWrite &w : c.writes + c.onCancel) {
            if (map->find(w.registerName) == nullptr) abort();
            resolveValue(w.value, json);
        }
    }
    return 0;
}
