// The prompt book alone: prompts opened, answered and expiring, each written to the change
// set, and the coroutine that waits for one woken with its answer.
#include "core/engine/commitqueue.h"
#include "core/engine/promptbook.h"

#include <QCoro/QCoroTask>
#include <QTest>

using namespace alabos;

namespace {

struct Book
{
    QObject context;
    CommitQueue commits{&context, [](quint64, const ChangeSet &) {}};
    PromptBook prompts{&context, commits};
};

QCoro::Task<void> waitFor(PromptBook &prompts, qint64 id, PromptState *answer)
{
    *answer = co_await prompts.await(id);
}

} // namespace

class TstPromptBook : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void anAnswerWakesItsWaiterAndClosesThePrompt()
    {
        Book book;
        book.prompts.setNextId(12);
        const qint64 id =
            book.prompts.open(5, QStringLiteral("furnace-1"), QStringLiteral("Load tray 3"),
                              {QStringLiteral("done"), QStringLiteral("abort")}, 0);
        QCOMPARE(id, qint64(12));
        QVERIFY(book.prompts.isOpen(id));
        QCOMPARE(book.prompts.find(id)->deviceId, QStringLiteral("furnace-1"));
        PromptState answer;
        waitFor(book.prompts, id, &answer);
        QCOMPARE(answer.id, qint64(0)); // still waiting
        book.prompts.close(id, QStringLiteral("answered"), QStringLiteral("done"), {},
                           QStringLiteral("ada"));
        QCOMPARE(answer.id, id);
        QCOMPARE(answer.answer, QStringLiteral("done"));
        QCOMPARE(answer.answeredBy, QStringLiteral("ada"));
        QVERIFY(!book.prompts.isOpen(id));
        const QList<PromptState> &rows = book.commits.batch().prompts;
        QCOMPARE(rows.size(), 2); // opened, closed
        QCOMPARE(rows.last().status, QStringLiteral("answered"));
    }

    void aPromptWithATimeoutExpiresByItself()
    {
        Book book;
        const qint64 id =
            book.prompts.open(1, {}, QStringLiteral("Anyone?"), {QStringLiteral("yes")}, 0.05);
        PromptState answer;
        waitFor(book.prompts, id, &answer);
        QTRY_COMPARE(answer.status, QStringLiteral("expired"));
        QCOMPARE(book.prompts.openCount(), qint64(0));
    }

    void openPromptsAreListedInOrder()
    {
        Book book;
        for (int i = 0; i < 3; ++i)
            book.prompts.open(i, {}, QStringLiteral("p%1").arg(i), {QStringLiteral("ok")}, 0);
        book.prompts.close(2, QStringLiteral("cancelled"), {}, {}, {});
        const QList<PromptState> open = book.prompts.openPrompts();
        QCOMPARE(open.size(), 2);
        QCOMPARE(open[0].id, qint64(1));
        QCOMPARE(open[1].id, qint64(3));
    }

    void abandonedWaitersWakeWithAnEmptyPrompt()
    {
        Book book;
        const qint64 id = book.prompts.open(1, {}, QStringLiteral("?"), {QStringLiteral("ok")}, 0);
        PromptState answer;
        answer.id = -1;
        waitFor(book.prompts, id, &answer);
        book.prompts.abandon();
        QCOMPARE(answer.id, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TstPromptBook)
#include "tst_promptbook.moc"
