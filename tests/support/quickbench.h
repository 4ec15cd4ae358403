#pragma once
// Runs `alabos-bench SUBCOMMAND --quick` and returns the JSON object of its last line, for
// the suites that keep each benchmark working (they check keys, never speed).
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace alabos::test {

// Empty with *problem set when the bench could not run or printed no JSON.
inline QJsonObject runQuickBench(const QString &subcommand, int timeoutMs, QString *problem,
                                 const QStringList &extra = {})
{
    const QString bench = qEnvironmentVariable("ALABOS_BENCH");
    if (bench.isEmpty()) {
        *problem = QStringLiteral("ALABOS_BENCH is not set");
        return {};
    }
    QProcess p;
    p.start(bench, QStringList{subcommand, QStringLiteral("--quick")} + extra);
    if (!p.waitForFinished(timeoutMs) || p.exitCode() != 0) {
        *problem =
            QStringLiteral("alabos-bench %1 --quick failed: %2")
                .arg(subcommand, QString::fromLocal8Bit(p.readAllStandardError().right(2000)));
        return {};
    }
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    QJsonParseError error{};
    const QJsonObject o = QJsonDocument::fromJson(lines.last(), &error).object();
    if (o.isEmpty()) *problem = error.errorString();
    return o;
}

} // namespace alabos::test
