// decodeReading on any bytes (the fast path for the encoder's own output and the general
// JSON path): refuses with a problem and a message, or gives a reading that encodes and
// decodes back to itself.
#include "core/bus/telemetrycodec.h"
#include "tests/fuzz/fuzzsupport.h"

#include <cmath>

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    DecodeProblem problem = DecodeProblem::None;
    QString error;
    const auto reading = decodeReading(fuzz::bytes(data, size), &problem, &error);
    if (!reading) {
        if (problem == DecodeProblem::None || error.isEmpty()) abort();
        return 0;
    }
    if (reading->deviceId.isEmpty() || reading->metric.isEmpty() || !std::isfinite(reading->value))
        abort();
    const QByteArray encoded = encodeReading(*reading);
    if (encoded.isEmpty()) abort();
    const auto again = decodeReading(encoded, &problem);
    if (!again || !(*again == *reading)) abort();
    return 0;
}
