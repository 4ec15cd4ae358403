// alabos-bench csv: the sample CSV import's check of a file just under the 16 MB limit
// (about 440,000 rows), on the worker thread the dialog uses, against the raw limit of just
// reading the file and splitting it into lines and cells in the same run.
//
// Phases, each with its own peak memory (VmHWM is reset between them through
// /proc/self/clear_refs):
//   raw      read the file and split it (no copies, no decoding)
//   dialog   the dialog's check: the 1,000-row limit, the file refused one row past it
//   full     the same worker with the limit lifted: every row parsed and checked
//   cancel   the full check cancelled midway: how long until the worker thread ended
// While the worker runs, a 10 ms timer on this (the UI) thread measures how late it fires.
#include "tests/benchmarks/bench.h"
#include "ui/csvimport.h"
#include "ui/sampleforms.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryFile>
#include <QTimer>
#include <cstdio>

namespace alabos::bench {

namespace {

double rssMb(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(qstrlen(key)).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

// Starts a new peak: VmHWM becomes the current VmRSS (Linux 4.0 and later).
bool resetPeak()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

QByteArray sampleList(int rows)
{
    QByteArray out = "barcode,name,project,mass_mg,form\n";
    out.reserve(qsizetype(rows) * 38 + 64);
    for (int i = 0; i < rows; ++i)
        out += "L-" + QByteArray::number(i).rightJustified(6, '0') + ",S" + QByteArray::number(i) +
               ",Cathodes,12.5,powder\n";
    return out;
}

struct Phase
{
    double ms = 0;
    double peakMb = 0;
    double startMb = 0;
    double stallMaxMs = 0; // the UI timer's worst lateness
    int ticks = 0;
    int rows = 0;
    double cancelMs = -1;
    QString outcome;
};

Phase runCheck(const FormDefinition &form, const QString &path, int maxRows, bool cancelMidway)
{
    Phase p;
    resetPeak();
    p.startMb = rssMb("VmRSS:");
    CsvCheckJob job(form, maxRows);
    QEventLoop loop;
    QObject::connect(&job, &CsvCheckJob::finished, &loop, &QEventLoop::quit);
    QElapsedTimer clock, sinceTick, sinceCancel;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        ++p.ticks;
        p.stallMaxMs = std::max(p.stallMaxMs, sinceTick.nsecsElapsed() / 1e6 - 10);
        sinceTick.restart();
        if (cancelMidway && !sinceCancel.isValid() && job.rowsDone() > 100000) {
            sinceCancel.start();
            job.cancel();
        }
    });
    clock.start();
    sinceTick.start();
    tick.start();
    job.startFile(path);
    loop.exec();
    p.ms = clock.nsecsElapsed() / 1e6;
    if (sinceCancel.isValid()) p.cancelMs = sinceCancel.nsecsElapsed() / 1e6;
    tick.stop();
    p.peakMb = rssMb("VmHWM:");
    const SampleBatch &b = job.batch();
    p.rows = b.rowCount();
    p.outcome = b.cancelled()               ? QStringLiteral("cancelled")
                : !b.fileErrors().isEmpty() ? b.fileErrors().first()
                : !b.readError().isEmpty()  ? b.readError()
                                            : QStringLiteral("%1 valid").arg(b.validCount());
    return p;
}

QJsonObject toJson(const Phase &p)
{
    QJsonObject o{{QStringLiteral("ms"), p.ms},
                  {QStringLiteral("peak_rss_mb"), p.peakMb},
                  {QStringLiteral("start_rss_mb"), p.startMb},
                  {QStringLiteral("ui_ticks"), p.ticks},
                  {QStringLiteral("ui_stall_max_ms"), p.stallMaxMs},
                  {QStringLiteral("rows"), p.rows},
                  {QStringLiteral("outcome"), p.outcome}};
    if (p.cancelMs >= 0) o.insert(QStringLiteral("cancel_to_end_ms"), p.cancelMs);
    return o;
}

} // namespace

QJsonObject runCsv(const BenchContext &context)
{
    int rows = context.quick ? 20000 : 440000;
    if (const qsizetype i = context.args.indexOf(QStringLiteral("--rows"));
        i >= 0 && i + 1 < context.args.size())
        rows = context.args[i + 1].toInt();
    QString error;
    const auto form = sampleFormDefinition(&error);
    if (!form) return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
    QTemporaryFile file;
    if (!file.open()) return {{QStringLiteral("ok"), false}};
    {
        const QByteArray bytes = sampleList(rows);
        file.write(bytes);
        file.flush();
    }
    const qint64 fileBytes = file.size();
    std::fprintf(stderr, "csv: %d rows, %.1f MB\n", rows, fileBytes / 1048576.0);
    const bool peakResets = resetPeak();

    // The raw limit: read, then find every line and cell boundary without copying.
    Phase raw;
    resetPeak();
    raw.startMb = rssMb("VmRSS:");
    QElapsedTimer clock;
    clock.start();
    qint64 cells = 0, lines = 0;
    {
        QFile in(file.fileName());
        in.open(QIODevice::ReadOnly);
        const QByteArray bytes = in.readAll();
        for (const char c : bytes) {
            cells += c == ',' || c == '\n';
            lines += c == '\n';
        }
    }
    raw.ms = clock.nsecsElapsed() / 1e6;
    raw.peakMb = rssMb("VmHWM:");
    raw.rows = int(lines - 1);
    std::fprintf(stderr, "raw: %.0f ms, %lld cells\n", raw.ms, cells);

    const Phase dialog = runCheck(*form, file.fileName(), SampleBatch::kMaxRows, false);
    std::fprintf(stderr, "dialog: %.0f ms, %s\n", dialog.ms, qPrintable(dialog.outcome));
    const Phase full = runCheck(*form, file.fileName(), rows + 1, false);
    std::fprintf(stderr, "full: %.0f ms, peak %.0f MB, %s\n", full.ms, full.peakMb,
                 qPrintable(full.outcome));
    const Phase cancel = runCheck(*form, file.fileName(), rows + 1, true);
    std::fprintf(stderr, "cancel: ended %.1f ms after the cancel\n", cancel.cancelMs);

    return {{QStringLiteral("rows"), rows},
            {QStringLiteral("file_mb"), fileBytes / 1048576.0},
            {QStringLiteral("peak_resets"), peakResets},
            {QStringLiteral("raw"), toJson(raw)},
            {QStringLiteral("dialog"), toJson(dialog)},
            {QStringLiteral("full"), toJson(full)},
            {QStringLiteral("cancel"), toJson(cancel)},
            {QStringLiteral("full_rows_per_s"), full.ms > 0 ? full.rows / (full.ms / 1000) : 0},
            {QStringLiteral("ok"), full.rows == rows && dialog.rows == SampleBatch::kMaxRows}};
}

} // namespace alabos::bench
