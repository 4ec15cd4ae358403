#pragma once
#include "core/engine/schedulepredictor.h"

#include <pqxx/connection>

namespace alabos {

// The newest finished runs of each template step per device type (at most 50 each, among
// the newest 20,000 finished tasks): their median and 10th and 90th percentile durations.
// Blocking: call it on a reader thread.
DurationTable readDurationHistory(pqxx::connection &connection);

} // namespace alabos
