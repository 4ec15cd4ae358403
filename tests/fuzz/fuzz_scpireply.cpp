// The SCPI reply parsers on any line an instrument might send: a reading is finite and
// below SCPI's overload value, a text result is within its limit.
#include "core/drivers/scpidriver.h"
#include "tests/fuzz/fuzzsupport.h"

#include <cmath>

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    // As the driver reads it: one line, UTF-8, trimmed.
    const QString line = QString::fromUtf8(fuzz::bytes(data, size)).trimmed();
    if (const auto reading = parseScpiReading(line))
        if (!std::isfinite(*reading) || std::abs(*reading) >= 9.9e37) abort();
    if (const auto number = parseScpiResult(line, true))
        if (!number->isDouble() || !std::isfinite(number->toDouble())) abort();
    if (const auto text = parseScpiResult(line, false))
        if (text->toString() != line || line.size() > kMaxScpiTextResult) abort();
    if (isScpiIdentity(line) && line.isEmpty()) abort();
    parseScpiError(line);
    return 0;
}
