#pragma once
#include "core/bus/eventcodec.h"
#include "core/domain/commands.h"

#include <QByteArray>
#include <optional>

namespace alabos {

// A reading is small; anything much larger is not a reading and goes to the dead letter.
inline constexpr qsizetype kMaxReadingBytes = 4096;
// A device id or metric name: at most this many characters, so that every reading the decoder
// accepts encodes back within kMaxReadingBytes (an escaped character takes six bytes).
inline constexpr qsizetype kMaxTelemetryNameLength = 200;

// Compact JSON, one object per Kafka message, keyed by device id (docs/events.md):
// {"v":1,"device_id":"furnace-2","metric":"temperature_c","value":812.5,"time_us":1700000000000000}
// Empty when the reading cannot be represented (non-finite value, device or metric empty or
// longer than kMaxTelemetryNameLength).
QByteArray encodeReading(const TelemetryReading &reading, QString *error = nullptr);
std::optional<TelemetryReading> decodeReading(const QByteArray &bytes, DecodeProblem *problem,
                                              QString *error = nullptr);

} // namespace alabos
