// LabFile::parse on any bytes: lists problems (each with a reason), or gives a lab that
// reads back equal from its own toJson() (the console exports a lab that way).
#include "core/drivers/labfile.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonDocument>

ALABOS_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace alabos;
    // Relative file names in driver settings resolve here: a directory that does not exist,
    // so a fuzzed lab never reads the machine's files.
    const QString directory = QStringLiteral("/nonexistent/alabos-fuzz");
    QList<LabProblem> problems;
    const auto lab = LabFile::parse(fuzz::bytes(data, size), directory, &problems);
    if (!lab) {
        if (problems.isEmpty()) abort();
        for (const LabProblem &p : problems)
            if (p.reason.isEmpty()) abort();
        return 0;
    }
    if (!problems.isEmpty()) abort();
    QList<LabProblem> again;
    const auto back = LabFile::parse(QJsonDocument(lab->toJson()).toJson(), directory, &again);
    if (!back || back->devices != lab->devices || back->positions != lab->positions ||
        back->name != lab->name)
        abort();
    return 0;
}
