#pragma once
// alabos-bench: one subcommand per subsystem. Each prints progress to stderr and one JSON
// object as the last line of stdout, and takes --quick to run small (the test suite runs
// that to keep the benchmarks working).
#include <QJsonObject>
#include <QStringList>

namespace alabos::bench {

struct BenchContext
{
    bool quick = false;
    QStringList args; // the subcommand's own arguments
};

// The integer after `name` in a subcommand's arguments ("--count 100"); `fallback` without one.
int intArgument(const QStringList &args, const QString &name, int fallback);
// Peak resident memory of this process in MB (VmHWM).
double peakRssMb();
// Resident memory of this process now in MB (VmRSS).
double rssMb();
// CPU seconds this process used (user + system).
double cpuSeconds();
// CPU seconds a PostgreSQL server used so far (user + system): its postmaster, the children
// it waited for (autovacuum workers, ended backends) and the children still running
// (backends, WAL writer, checkpointer). 0 for no postmaster.
double serverCpuSeconds(qint64 postmaster);
// Percentile (0..100) of unsorted samples.
double percentile(QList<double> samples, double p);
// A description of this machine for BENCHMARKS.md (cores, memory, CPU model).
QJsonObject machine();

} // namespace alabos::bench
