#pragma once
// What every run of the real binary through a fault must show afterwards: its summary agrees
// with the database, nothing finished or started twice, every committed event relayed, every
// reading persisted.
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QRegularExpression>
#include <QTest>

namespace alabos::test {

// The last "tasks completed N" of the progress lines printed so far.
inline qint64 tasksCompletedSoFar(const QString &out)
{
    qint64 last = -1;
    static const QRegularExpression re(QStringLiteral("\\] tasks completed (\\d+)"));
    for (auto it = re.globalMatch(out); it.hasNext();)
        last = it.next().captured(1).toLongLong();
    return last;
}

// Waits for the run's summary and its exit (code 0, no leadership lost, nothing left
// uncommitted); the summary's numbers. The wait covers a drain of tasks that a fault
// delayed: the run ends with the running tasks, not at its --run-for.
inline QRegularExpressionMatch finishedRun(Alabos &lab, int timeoutMs = 240000)
{
    const auto summary = lab.waitFor(
        QStringLiteral(
            "alabos summary: .*tasks completed (\\d+), failed (\\d+).*telemetry produced (\\d+), "
            "persisted (\\d+), lost (\\d+)"),
        0, timeoutMs);
    lab.process.waitForFinished(60000);
    lab.stderrText = lab.errors();
    if (!summary.hasMatch()) qWarning().noquote() << lab.text() << lab.stderrText.right(6000);
    return summary;
}

// After the run: its summary agrees with the database, no task finished twice, every
// committed event was relayed, and all telemetry produced was persisted.
inline void verifyExact(const Alabos &lab, const QRegularExpressionMatch &summary,
                        const QString &connection)
{
    QVERIFY(summary.hasMatch());
    qInfo("tasks completed %s, failed %s; telemetry produced %s, persisted %s, lost %s",
          qPrintable(summary.captured(1)), qPrintable(summary.captured(2)),
          qPrintable(summary.captured(3)), qPrintable(summary.captured(4)),
          qPrintable(summary.captured(5)));
    QCOMPARE(lab.process.exitCode(), 0);
    QVERIFY2(!lab.stderrText.contains(QStringLiteral("leadership lost")),
             qPrintable(lab.stderrText));
    QVERIFY2(!lab.stderrText.contains(QStringLiteral("could not be committed before exit")),
             qPrintable(lab.stderrText));
    QCOMPARE(
        queryValue(connection,
                   QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.completed'")),
        summary.captured(1));
    QCOMPARE(
        queryValue(connection, QStringLiteral("SELECT count(*) FROM (SELECT entity_id FROM events "
                                              "WHERE kind = 'task.completed' GROUP BY entity_id "
                                              "HAVING count(*) > 1) twice")),
        QStringLiteral("0"));
    QCOMPARE(
        queryValue(connection, QStringLiteral("SELECT count(*) FROM (SELECT entity_id, "
                                              "payload->>'attempts' FROM events WHERE kind = "
                                              "'task.started' GROUP BY 1, 2 HAVING count(*) > 1) "
                                              "twice")),
        QStringLiteral("0"));
    QCOMPARE(queryValue(connection, QStringLiteral("SELECT max(last_event_id) FROM relay_cursor")),
             queryValue(connection, QStringLiteral("SELECT max(id) FROM events")));
    QCOMPARE(summary.captured(3), summary.captured(4));
    QCOMPARE(summary.captured(5), QStringLiteral("0"));
    QCOMPARE(queryValue(connection, QStringLiteral("SELECT count(*) FROM telemetry")),
             summary.captured(4));
}

} // namespace alabos::test
