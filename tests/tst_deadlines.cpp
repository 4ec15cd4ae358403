// The engine's timeouts behind one timer: order, cancelling, actions that schedule or cancel
// others, and tens of thousands at once.
#include "core/engine/deadlines.h"

#include <QElapsedTimer>
#include <QTest>

using namespace alabos;

class TestDeadlines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void actionsRunInTheOrderTheyComeDue()
    {
        QObject context;
        Deadlines deadlines(&context);
        QStringList ran;
        QElapsedTimer clock;
        clock.start();
        qint64 lastAt = 0;
        for (const auto &[ms, name] : {std::pair{90, "c"}, {30, "a"}, {60, "b"}})
            deadlines.schedule(ms, [&, name = QString::fromLatin1(name), ms = ms] {
                ran.append(name);
                lastAt = clock.elapsed();
                QVERIFY2(clock.elapsed() >= ms - 1, qPrintable(name)); // ms rounding
            });
        QCOMPARE(deadlines.size(), size_t(3));
        QTRY_COMPARE(ran.size(), 3);
        QCOMPARE(ran, (QStringList{"a", "b", "c"}));
        QVERIFY(lastAt >= 90);
        QCOMPARE(deadlines.size(), size_t(0));
    }

    void aDueActionRunsFromTheEventLoopNotInsideSchedule()
    {
        QObject context;
        Deadlines deadlines(&context);
        bool ran = false;
        deadlines.schedule(0, [&] { ran = true; });
        deadlines.schedule(-5, [&] { ran = true; });
        QVERIFY(!ran);
        QTRY_VERIFY(ran);
    }

    void aCancelledActionNeverRuns()
    {
        QObject context;
        Deadlines deadlines(&context);
        QStringList ran;
        const auto first = deadlines.schedule(20, [&] { ran.append("first"); });
        deadlines.schedule(40, [&] { ran.append("second"); });
        const auto third = deadlines.schedule(60, [&] { ran.append("third"); });
        // The timer is armed for the first; cancelling it must not lose the second.
        QVERIFY(deadlines.cancel(first));
        QVERIFY(!deadlines.cancel(first));
        QTRY_COMPARE(ran, QStringList{"second"});
        QVERIFY(deadlines.cancel(third));
        QTest::qWait(100);
        QCOMPARE(ran, QStringList{"second"});
        QCOMPARE(deadlines.size(), size_t(0));
        QVERIFY(!deadlines.cancel(12345));
    }

    void anActionThatRanCannotBeCancelled()
    {
        QObject context;
        Deadlines deadlines(&context);
        int ran = 0;
        const auto handle = deadlines.schedule(1, [&] { ++ran; });
        QTRY_COMPARE(ran, 1);
        QVERIFY(!deadlines.cancel(handle));
    }

    void anActionMayScheduleAndCancelOthers()
    {
        QObject context;
        Deadlines deadlines(&context);
        QStringList ran;
        Deadlines::Handle doomed = 0;
        // Both due at once: the first cancels the second, and schedules a later one.
        deadlines.schedule(20, [&] {
            ran.append("first");
            QVERIFY(deadlines.cancel(doomed));
            deadlines.schedule(30, [&] { ran.append("later"); });
            deadlines.schedule(0, [&] { ran.append("at once"); });
        });
        doomed = deadlines.schedule(20, [&] { ran.append("doomed"); });
        QTRY_COMPARE(ran.size(), 3);
        QCOMPARE(ran, (QStringList{"first", "at once", "later"}));
    }

    void anEarlierActionMovesTheTimerForward()
    {
        QObject context;
        Deadlines deadlines(&context);
        QStringList ran;
        deadlines.schedule(5000, [&] { ran.append("late"); });
        deadlines.schedule(10, [&] { ran.append("early"); });
        QTRY_COMPARE_WITH_TIMEOUT(ran, QStringList{"early"}, 1000);
        QCOMPARE(deadlines.size(), size_t(1));
    }

    void clearForgetsEverything()
    {
        QObject context;
        Deadlines deadlines(&context);
        int ran = 0;
        for (int i = 0; i < 10; ++i)
            deadlines.schedule(i, [&] { ++ran; });
        deadlines.clear();
        QCOMPARE(deadlines.size(), size_t(0));
        QTest::qWait(50);
        QCOMPARE(ran, 0);
    }

    // Commands answered at once while 50,000 are in flight: only those never answered run.
    void fiftyThousandInFlightAndMostAnswered()
    {
        QObject context;
        Deadlines deadlines(&context);
        std::vector<Deadlines::Handle> handles;
        QList<int> timedOut;
        for (int i = 0; i < 50000; ++i)
            handles.push_back(
                deadlines.schedule(50 + i % 7, [&timedOut, i] { timedOut.append(i); }));
        for (int i = 0; i < 50000; ++i)
            if (i % 5000 != 0) QVERIFY(deadlines.cancel(handles[size_t(i)]));
        QCOMPARE(deadlines.size(), size_t(10));
        QTRY_COMPARE(timedOut.size(), 10);
        std::sort(timedOut.begin(), timedOut.end());
        QList<int> expected;
        for (int i = 0; i < 50000; i += 5000)
            expected.append(i);
        QCOMPARE(timedOut, expected);
        QCOMPARE(deadlines.size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestDeadlines)
#include "tst_deadlines.moc"
