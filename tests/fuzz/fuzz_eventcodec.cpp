// decodeEvent on any bytes: refuses with a problem and a message, or gives an event that
// encodes and decodes back to itself.
#include "core/bus/eventcodec.h"
#include "tests/fuzz/fuzzsupport.h"

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    DecodeProblem problem = DecodeProblem::None;
    QString error;
    const auto event = decodeEvent(fuzz::bytes(data, size), &problem, &error);
    if (!event) {
        if (problem == DecodeProblem::None || error.isEmpty()) abort();
        return 0;
    }
    if (problem != DecodeProblem::None) abort();
    const auto again = decodeEvent(encodeEvent(*event), &problem);
    if (!again || !(*again == *event)) abort();
    return 0;
}
