// parseCsv on any bytes (the sample import): refuses with a message naming where, or gives
// a table whose records each know their line, within the parser's limits.
#include "core/domain/csv.h"
#include "tests/fuzz/fuzzsupport.h"

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    QString error;
    const auto table = parseCsv(fuzz::bytes(data, size), &error);
    if (!table) {
        if (error.isEmpty()) abort();
        return 0;
    }
    if (table->header.isEmpty() || table->records.size() != table->lines.size()) abort();
    if (table->records.size() + 1 > CsvTable::kMaxRecords) abort();
    int previous = 1;
    for (qsizetype i = 0; i < table->records.size(); ++i) {
        if (table->lines[i] <= previous) abort(); // records start on later and later lines
        previous = table->lines[i];
        if (table->records[i].size() > CsvTable::kMaxColumns) abort();
    }
    return 0;
}
