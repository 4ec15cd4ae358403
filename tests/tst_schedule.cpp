// The schedule view against a real engine and PostgreSQL: the prediction for a known queue,
// drags that change a priority or hold a task, and a role that may not.
#include "core/engine/schedulepredictor.h"
#include "core/storage/databasereader.h"
#include "tests/support/enginelab.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/schedulepanel.h"
#include "ui/scheduleview.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTest>
#include <QTreeWidget>

using namespace alabos;

namespace {

constexpr qint64 kS = 1000000;

// heat (box_furnace, 100 s) -> weigh (balance, 30 s).
WorkflowTemplate heatThenWeigh()
{
    const QJsonObject heat{{QStringLiteral("name"), QStringLiteral("heat")},
                           {QStringLiteral("device_type"), QStringLiteral("box_furnace")},
                           {QStringLiteral("command"), QStringLiteral("heat")},
                           {QStringLiteral("duration_s"), 100}};
    const QJsonObject weigh{{QStringLiteral("name"), QStringLiteral("weigh")},
                            {QStringLiteral("device_type"), QStringLiteral("balance")},
                            {QStringLiteral("command"), QStringLiteral("weigh")},
                            {QStringLiteral("duration_s"), 30},
                            {QStringLiteral("depends_on"), QJsonArray{QStringLiteral("heat")}}};
    QString error;
    const auto t =
        WorkflowTemplate::fromJson({{QStringLiteral("name"), QStringLiteral("heat-weigh")},
                                    {QStringLiteral("tasks"), QJsonArray{heat, weigh}}},
                                   &error);
    if (!t) qFatal("template: %s", qPrintable(error));
    return *t;
}

// A lab whose devices take hours for what the template says takes seconds, so the queue
// stands still while the test looks at it; and a schedule panel whose session talks to it.
struct ScheduleLab
{
    test::EngineLab lab;
    LabModels models;
    ConsoleSession session;
    ConsoleServices services;
    std::unique_ptr<SchedulePanel> panel;
    // Each workflow's tasks: heat, weigh.
    QHash<QString, std::pair<qint64, qint64>> tasks;

    ScheduleLab()
        : lab(test::TestDatabase::instance().createDatabase(),
              {{QStringLiteral("furnace-1"), QStringLiteral("box_furnace")},
               {QStringLiteral("balance-1"), QStringLiteral("balance")}},
              {}, 0.0001)
    {
        lab.engine.addTemplate(heatThenWeigh());
        QObject::connect(&session, &ConsoleSession::commandIssued, &lab.engine,
                         &LabEngine::handleCommand);
        QObject::connect(&lab.engine, &LabEngine::commandReplied, &session,
                         &ConsoleSession::onReply);
        // As the console's wiring does: a queued call to the engine, the answer queued back.
        services.scheduleSnapshot = [this](QObject *,
                                           std::function<void(const ScheduleSnapshot &)> done) {
            QMetaObject::invokeMethod(
                &lab.engine, [this, done] { done(lab.engine.scheduleSnapshot()); },
                Qt::QueuedConnection);
        };
    }

    bool submit(const QString &name, const QString &priority)
    {
        const CommandReply r =
            lab.command(QStringLiteral("workflow.submit"), {},
                        {{QStringLiteral("template"), QStringLiteral("heat-weigh")},
                         {QStringLiteral("barcodes"), QJsonArray{name}},
                         {QStringLiteral("priority"), priority}});
        if (!r.ok) {
            qWarning() << r.message;
            return false;
        }
        const QJsonArray ids = r.data.value(QLatin1StringView("task_ids")).toArray();
        tasks.insert(name, {ids.at(0).toInteger(), ids.at(1).toInteger()});
        return true;
    }

    // A runs on the furnace, B then C wait for it with these priorities; the panel shows it.
    bool standingQueue(const QString &bPriority, const QString &cPriority)
    {
        if (!lab.start() || !submit(QStringLiteral("A"), QStringLiteral("normal"))) return false;
        QDeadlineTimer deadline(20000);
        while (lab.taskStatus(tasks[QStringLiteral("A")].first) != QLatin1StringView("running") &&
               !deadline.hasExpired())
            QTest::qWait(20);
        if (!submit(QStringLiteral("B"), bPriority) || !submit(QStringLiteral("C"), cPriority))
            return false;
        while (lab.taskStatus(tasks[QStringLiteral("C")].first) != QLatin1StringView("ready") &&
               !deadline.hasExpired())
            QTest::qWait(20);
        openPanel();
        return !deadline.hasExpired() && predictAgain();
    }

    void openPanel()
    {
        panel = std::make_unique<SchedulePanel>(&models, &session, &services);
        // Durations as a history would give them: the furnace 100 s, the balance 30 s.
        panel->setDurations({{durationKey(QStringLiteral("heat-weigh"), QStringLiteral("heat"),
                                          QStringLiteral("box_furnace")),
                              {100, 90, 120, 7}},
                             {durationKey(QStringLiteral("heat-weigh"), QStringLiteral("weigh"),
                                          QStringLiteral("balance")),
                              {30, 25, 40, 7}}});
        panel->resize(1300, 500);
        panel->zoom()->setCurrentIndex(1); // 30 minutes across
        panel->show();
    }

    bool predictAgain()
    {
        const int before = panel->predictions();
        panel->refresh();
        QDeadlineTimer deadline(20000);
        while (panel->predictions() == before && !deadline.hasExpired())
            QTest::qWait(10);
        return panel->predictions() > before;
    }

    const PredictedTask &predicted(qint64 id) const
    {
        static const PredictedTask none;
        const PredictedTask *t = panel->prediction().task(id);
        return t ? *t : none;
    }
};

// A drag on the view's viewport, as a mouse makes it: press, moves with the button held,
// release.
void drag(QWidget *viewport, QPoint from, QPoint to)
{
    auto send = [viewport](QEvent::Type type, QPoint at, Qt::MouseButtons buttons) {
        QMouseEvent e(type, at, viewport->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
        QApplication::sendEvent(viewport, &e);
    };
    send(QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int i = 1; i <= 4; ++i)
        send(QEvent::MouseMove, from + (to - from) * i / 4, Qt::LeftButton);
    send(QEvent::MouseButtonRelease, to, Qt::NoButton);
}

} // namespace

class TstSchedule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void predictsAKnownQueueAsTheEngineWillRunIt()
    {
        ScheduleLab s;
        // A runs on the furnace; B (normal) and C (high, submitted later) wait for it.
        QVERIFY(s.standingQueue(QStringLiteral("normal"), QStringLiteral("high")));
        QVERIFY(s.predictAgain());

        const auto [aHeat, aWeigh] = s.tasks[QStringLiteral("A")];
        const auto [bHeat, bWeigh] = s.tasks[QStringLiteral("B")];
        const auto [cHeat, cWeigh] = s.tasks[QStringLiteral("C")];
        const ScheduleSnapshot &snap = s.panel->snapshot();
        qint64 started = 0;
        for (const ScheduleTask &t : snap.tasks)
            if (t.id == aHeat) started = t.startedUs;
        QVERIFY(started > 0);
        // The engine's own start of A, then exactly the durations, in the engine's order:
        // the higher priority first, each weigh on the balance as its heat ends.
        QVERIFY(s.predicted(aHeat).running);
        QCOMPARE(s.predicted(aHeat).startUs, started);
        QCOMPARE(s.predicted(aHeat).endUs, started + 100 * kS);
        QCOMPARE(s.predicted(aWeigh).startUs, started + 100 * kS);
        QCOMPARE(s.predicted(aWeigh).endUs, started + 130 * kS);
        QCOMPARE(s.predicted(cHeat).startUs, started + 100 * kS);
        QCOMPARE(s.predicted(cHeat).endUs, started + 200 * kS);
        QCOMPARE(s.predicted(cWeigh).startUs, started + 200 * kS);
        QCOMPARE(s.predicted(bHeat).startUs, started + 200 * kS);
        QCOMPARE(s.predicted(bHeat).endUs, started + 300 * kS);
        QCOMPARE(s.predicted(bWeigh).endUs, started + 330 * kS);
        const SchedulePrediction &p = s.panel->prediction();
        const QString furnace = snap.devices[s.predicted(bHeat).device].id;
        QCOMPARE(furnace, QStringLiteral("furnace-1"));
        QCOMPARE(snap.devices[s.predicted(bWeigh).device].id, QStringLiteral("balance-1"));
        // Workflows, samples and the critical path.
        const WorkflowId b = s.predicted(bHeat).workflowId;
        QCOMPARE(p.workflowFinishUs.value(b), started + 330 * kS);
        const qint64 sampleB =
            s.lab.q(QStringLiteral("SELECT id FROM samples WHERE barcode = 'B'")).toLongLong();
        QCOMPARE(p.sampleFinishUs.value(sampleB), started + 330 * kS);
        QCOMPARE(p.criticalPath(b), (QList<TaskId>{bHeat, bWeigh}));
        QCOMPARE(s.predicted(bWeigh).via, bHeat);
        QCOMPARE(s.predicted(bHeat).duration.lowS, 90.0);
        QCOMPARE(s.predicted(bHeat).duration.highS, 120.0);

        // Clicking B's heat selects its workflow: the details list its critical path and
        // its sample's predicted finish.
        QTRY_VERIFY_WITH_TIMEOUT(!s.panel->view()->taskRect(bHeat).isEmpty(), 5000);
        QTest::mouseClick(s.panel->view()->viewport(), Qt::LeftButton, {},
                          s.panel->view()->taskRect(bHeat).center());
        QCOMPARE(s.panel->view()->selectedTask(), bHeat);
        QTreeWidget *details = s.panel->details();
        QCOMPARE(details->topLevelItemCount(), 1);
        QVERIFY2(details->topLevelItem(0)->text(0).contains(QStringLiteral("heat-weigh")),
                 qPrintable(details->topLevelItem(0)->text(0)));
        QTreeWidgetItem *path = details->topLevelItem(0)->child(0);
        QCOMPARE(path->childCount(), 2);
        QVERIFY(path->child(0)->text(0).startsWith(QStringLiteral("heat #%1").arg(bHeat)));
        QTreeWidgetItem *samples = details->topLevelItem(0)->child(1);
        QCOMPARE(samples->childCount(), 1);
        QCOMPARE(samples->child(0)->text(0), QStringLiteral("sample %1").arg(sampleB));
        const QDateTime finish = QDateTime::fromMSecsSinceEpoch((started + 330 * kS) / 1000);
        if (finish.date() == QDate::currentDate())
            QCOMPARE(samples->child(0)->text(1), finish.toString(QStringLiteral("HH:mm:ss")));

        // The filter keeps the fleet's words: by type.
        QCOMPARE(s.panel->view()->rowCount(), 4); // two types, one device each
        s.panel->filter()->setText(QStringLiteral("balance"));
        QCOMPARE(s.panel->view()->rowCount(), 2);
        QVERIFY(s.panel->view()->taskRect(bHeat).isEmpty());
        s.panel->filter()->clear();

        // Zoom from ten minutes to a week.
        s.panel->zoom()->setCurrentIndex(0);
        QCOMPARE(s.panel->view()->spanSeconds(), 600.0);
        s.panel->zoom()->setCurrentIndex(s.panel->zoom()->count() - 1);
        QCOMPARE(s.panel->view()->spanSeconds(), 7 * 86400.0);
        s.panel->view()->setSpanSeconds(1); // clamped
        QCOMPARE(s.panel->view()->spanSeconds(), ScheduleView::kMinSpanS);
    }

    void aDragEarlierRaisesThePriorityAndOntoTheHeaderHolds()
    {
        ScheduleLab s;
        QVERIFY(s.standingQueue(QStringLiteral("high"), QStringLiteral("normal")));
        const qint64 aHeat = s.tasks[QStringLiteral("A")].first;
        const qint64 bHeat = s.tasks[QStringLiteral("B")].first;
        const qint64 cHeat = s.tasks[QStringLiteral("C")].first;
        QVERIFY(s.predicted(bHeat).startUs < s.predicted(cHeat).startUs);
        ScheduleView *view = s.panel->view();
        QWidget *viewport = view->viewport();
        const QString priorityOfC =
            QStringLiteral("SELECT priority FROM tasks WHERE id = %1").arg(cHeat);

        // A technician may not: nothing is sent, the panel says why.
        s.session.setIdentity(QStringLiteral("tom"), Role::Technician, {});
        QRect c = view->taskRect(cHeat);
        QVERIFY(!c.isEmpty());
        drag(viewport, c.center(), c.center() - QPoint(200, 0));
        QVERIFY2(s.panel->status()->text().contains(QStringLiteral("task_control")),
                 qPrintable(s.panel->status()->text()));
        QTest::qWait(300);
        QCOMPARE(s.lab.q(priorityOfC), QStringLiteral("50"));
        QCOMPARE(s.lab.q(QStringLiteral("SELECT count(*) FROM events WHERE kind LIKE 'command.%' "
                                        "AND payload->>'kind' = 'task.priority'")),
                 QStringLiteral("0"));

        // Nor may anyone move a running task.
        s.session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
        const QRect a = view->taskRect(aHeat);
        QVERIFY(!a.isEmpty());
        drag(viewport, a.center(), a.center() + QPoint(100, 0));
        QVERIFY2(s.panel->status()->text().contains(QStringLiteral("running")),
                 qPrintable(s.panel->status()->text()));

        // An operator drags C earlier by 200 px: the seconds that stands for, one priority
        // point per second of aging, through task.priority; the engine re-queues it ahead of B.
        const double secondsPerPixel =
            view->spanSeconds() / (viewport->width() - ScheduleView::kGutterWidth);
        const int expected = std::min(1000, 50 + int(std::lround(200 * secondsPerPixel)));
        QVERIFY(expected > 75);
        c = view->taskRect(cHeat);
        drag(viewport, c.center(), c.center() - QPoint(200, 0));
        QTRY_COMPARE_WITH_TIMEOUT(s.lab.q(priorityOfC), QString::number(expected), 20000);
        QCOMPARE(
            s.lab.q(QStringLiteral("SELECT payload->>'user' FROM events WHERE kind = "
                                   "'command.accepted' AND payload->>'kind' = 'task.priority'")),
            QStringLiteral("olga"));
        QTRY_VERIFY_WITH_TIMEOUT(s.predicted(cHeat).startUs < s.predicted(bHeat).startUs &&
                                     s.panel->snapshot().nowUs > 0,
                                 20000);
        QCOMPARE(s.predicted(cHeat).startUs, s.predicted(aHeat).endUs);

        // Onto the header: C is held; the prediction leaves it and its workflow out.
        c = view->taskRect(cHeat);
        QVERIFY(!c.isEmpty());
        drag(viewport, c.center(), QPoint(c.center().x(), view->holdZone().center().y()));
        QTRY_COMPARE_WITH_TIMEOUT(s.lab.taskStatus(cHeat), QStringLiteral("paused"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(s.predicted(cHeat).why == PredictedTask::Why::Held, 20000);
        QCOMPARE(s.panel->prediction().workflowFinishUs.value(s.predicted(cHeat).workflowId), 0);
        QCOMPARE(s.predicted(s.tasks[QStringLiteral("C")].second).why,
                 PredictedTask::Why::AfterUnpredicted);
        QCOMPARE(s.predicted(bHeat).startUs, s.predicted(aHeat).endUs);
    }

    void durationsComeFromTheHistoryOfEachStep()
    {
        // Finished runs in PostgreSQL, read as the console reads them: median and spread of
        // each step per device type.
        ScheduleLab s;
        QVERIFY(s.lab.start());
        const QString conn = s.lab.conn;
        QVERIFY(s.submit(QStringLiteral("H"), QStringLiteral("normal")));
        const QString owner = test::TestDatabase::instance().ownerConnection(conn);
        // Ten finished heats of 10..100 s, made by hand in the tables the engine writes.
        test::queryValue(
            owner,
            QStringLiteral("INSERT INTO workflows (id, template, status, created_at) SELECT "
                           "1000 + g, 'heat-weigh', 'completed', now() FROM generate_series(1, "
                           "10) g; INSERT INTO tasks (id, workflow_id, name, device_type, status, "
                           "created_at, started_at, finished_at) SELECT 100000 + g, 1000 + g, "
                           "'heat', 'box_furnace', 'completed', now() - interval '1 hour', now() "
                           "- interval '1 hour', now() - interval '1 hour' + g * interval '10 "
                           "s' FROM generate_series(1, 10) g"));
        DatabaseReader reader({conn});
        s.services.reader = &reader;
        s.panel = std::make_unique<SchedulePanel>(&s.models, &s.session, &s.services);
        s.panel->show();
        QTRY_VERIFY_WITH_TIMEOUT(s.panel->predictions() > 0, 20000);
        // The first prediction may have been made before the history arrived.
        QTRY_VERIFY_WITH_TIMEOUT(
            s.predictAgain() && s.predicted(s.tasks[QStringLiteral("H")].first).duration.runs == 10,
            20000);
        const DurationStats d = s.predicted(s.tasks[QStringLiteral("H")].first).duration;
        QCOMPARE(d.medianS, 55.0);
        QCOMPARE(d.lowS, 19.0);
        QCOMPARE(d.highS, 91.0);
        // A step without history takes the template's duration.
        const PredictedTask &weigh = s.predicted(s.tasks[QStringLiteral("H")].second);
        QCOMPARE(weigh.duration.runs, 0);
        QCOMPARE(weigh.duration.medianS, 30.0);
    }
};

QTEST_MAIN(TstSchedule)
#include "tst_schedule.moc"
