#pragma once
// What every fuzz target shares: a QCoreApplication (drivers are QObjects, some parsers
// translate), Qt's warnings silenced (a parser warns about bad input by design, millions of
// times in a run) and the input as Qt types.
#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <cstdint>
#include <cstdlib>

namespace alabos::fuzz {

inline void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        fprintf(stderr, "qFatal: %s\n", qPrintable(message));
        abort();
    }
}

inline void initialize()
{
    static int argc = 1;
    static char name[] = "alabos-fuzz";
    static char *argv[] = {name, nullptr};
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietMessages);
    static QCoreApplication app(argc, argv);
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace alabos::fuzz

#define ALABOS_FUZZ_INITIALIZE                                                                     \
    extern "C" int LLVMFuzzerInitialize(int *, char ***)                                           \
    {                                                                                              \
        alabos::fuzz::initialize();                                                                \
        return 0;                                                                                  \
    }
