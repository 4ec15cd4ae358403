#pragma once
// Where persisted telemetry goes: the persister (core/bus) writes through this, the telemetry
// store (core/storage) implements it. In the domain so that neither layer needs the other.
#include "core/domain/commands.h"

#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace alabos {

// What the persister writes through, built on its own thread by a factory (a store owns a
// connection, so it must live there). write() stores readings and offsets in one
// transaction; loadOffsets() returns what it stored.
struct TelemetrySink
{
    std::function<bool(const QList<TelemetryReading> &, const QList<PartitionOffset> &,
                       QString *error)>
        write;
    std::function<std::optional<QList<PartitionOffset>>(QString *error)> loadOffsets;
    // Optional: moves the rollup increments the writes left into the rollups (see
    // TelemetryStore::foldMinutes); the persister calls it from a thread of its own.
    std::function<std::optional<qint64>(QString *error)> fold;
};
using TelemetrySinkFactory = std::function<TelemetrySink()>;

} // namespace alabos
