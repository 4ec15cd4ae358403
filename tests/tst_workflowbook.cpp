// The workflow book alone: templates, the checks of a submission, the workflow and tasks it
// creates, and when a workflow is finished. No database, no drivers.
#include "core/engine/commitqueue.h"
#include "core/engine/resourcemanager.h"
#include "core/engine/templatecheck.h"
#include "core/engine/workflowbook.h"

#include <QJsonArray>
#include <QTest>

using namespace alabos;

namespace {

struct Lab
{
    QObject context;
    CommitQueue commits{&context, [](quint64, const ChangeSet &) {}};
    ResourceManager resources{commits, [](TaskId) { return nullptr; }, [](TaskEntry &, qint64) {}};
    EngineStats stats;
    WorkflowBook book{commits, resources, stats};

    Lab()
    {
        LabSnapshot snapshot;
        snapshot.maxSampleId = 100;
        snapshot.maxWorkflowId = 7;
        resources.restore(snapshot,
                          {{QStringLiteral("xrd-1"), QStringLiteral("xrd"), {}},
                           {QStringLiteral("furnace-1"), QStringLiteral("box_furnace"), {}}});
        book.restore(snapshot);
        QString error;
        // fire -> measure, and a prompt that needs nothing before it.
        const auto t = WorkflowTemplate::fromJson(
            {{QStringLiteral("name"), QStringLiteral("fire-and-measure")},
             {QStringLiteral("tasks"),
              QJsonArray{
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("measure")},
                              {QStringLiteral("device_type"), QStringLiteral("xrd")},
                              {QStringLiteral("command"), QStringLiteral("measure")},
                              {QStringLiteral("duration_s"), 60},
                              {QStringLiteral("depends_on"), QJsonArray{QStringLiteral("fire")}}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("fire")},
                              {QStringLiteral("device_type"), QStringLiteral("box_furnace")},
                              {QStringLiteral("command"), QStringLiteral("heat")},
                              {QStringLiteral("duration_s"), 60}}}}},
            &error);
        if (!t) qFatal("template: %s", qPrintable(error));
        book.addTemplate(*t);
    }
    // fire-and-measure on one sample, its tasks numbered from 1.
    WorkflowBook::Created submitOneSample()
    {
        const QString name = QStringLiteral("fire-and-measure");
        QList<QJsonObject> resolved;
        if (!book.check(name, {QStringLiteral("S-1")}, 50, {}, {}, &resolved).isEmpty())
            qFatal("fire-and-measure was refused");
        return book.create(name, {QStringLiteral("S-1")}, 50, resolved, {}, 1);
    }
};

} // namespace

class TstWorkflowBook : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shippedTemplatesAreLoadedAndTheirNamesReserved()
    {
        Lab lab;
        QVERIFY(lab.book.hasTemplate(QStringLiteral("furnace-tray")));
        QVERIFY(lab.book.isShipped(QStringLiteral("furnace-tray")));
        QVERIFY(!lab.book.isShipped(QStringLiteral("fire-and-measure")));
    }

    void badSubmissionsAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QString>("templateName");
        QTest::addColumn<QStringList>("barcodes");
        QTest::addColumn<int>("priority");
        QTest::addColumn<QString>("reason");
        const QString ok = QStringLiteral("fire-and-measure");
        QTest::newRow("unknown template") << QStringLiteral("nope") << QStringList{"S-1"} << 50
                                          << QStringLiteral("unknown workflow template");
        QTest::newRow("priority") << ok << QStringList{"S-1"} << 1001
                                  << QStringLiteral("outside 0..1000");
        QTest::newRow("no samples") << ok << QStringList{} << 50 << QStringLiteral("no samples");
        QTest::newRow("empty barcode")
            << ok << QStringList{" "} << 50 << QStringLiteral("an empty barcode");
        QTest::newRow("twice") << ok << QStringList{"S-1", "S-1"} << 50
                               << QStringLiteral("listed twice");
        // furnace-tray needs a robot arm, which this lab lacks.
        QTest::newRow("devices") << QStringLiteral("furnace-tray") << QStringList{"S-1"} << 50
                                 << QStringLiteral("no device of type \"robot_arm\"");
    }
    void badSubmissionsAreRefusedWithTheReason()
    {
        QFETCH(QString, templateName);
        QFETCH(QStringList, barcodes);
        QFETCH(int, priority);
        QFETCH(QString, reason);
        Lab lab;
        QList<QJsonObject> resolved;
        const QString error = lab.book.check(templateName, barcodes, priority, {}, {}, &resolved);
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void aWorkflowsTasksFollowTheirDependencies()
    {
        Lab lab;
        const QString name = QStringLiteral("fire-and-measure");
        const QStringList barcodes{QStringLiteral("S-1"), QStringLiteral("S-2")};
        QList<QJsonObject> resolved;
        QCOMPARE(lab.book.check(name, barcodes, 50, {}, {}, &resolved), QString());
        const WorkflowBook::Created created = lab.book.create(name, barcodes, 50, resolved, {}, 40);
        QCOMPARE(created.id, WorkflowId(8));
        QCOMPARE(created.samples, (QList<SampleId>{101, 102}));
        QCOMPARE(created.tasks.size(), 2);
        const TaskEntry &fire = created.tasks[0];
        const TaskEntry &measure = created.tasks[1];
        QCOMPARE(fire.state.name, QStringLiteral("fire"));
        QCOMPARE(fire.state.id, TaskId(40));
        QCOMPARE(fire.successors, QList<TaskId>{41});
        QVERIFY(fire.startsWorkflow);
        QCOMPARE(measure.pendingDeps, 1);
        QCOMPARE(measure.request.types, QStringList{QStringLiteral("xrd")});
        QCOMPARE(lab.commits.batch().edges.size(), 1);
        QCOMPARE(lab.stats.workflowsSubmitted, 1);
        QCOMPARE(lab.book.activeCount(), 1);
    }

    void aWorkflowFinishesWithItsLastTask()
    {
        Lab lab;
        const WorkflowBook::Created created = lab.submitOneSample();
        lab.book.taskEnded(created.id);
        QVERIFY(lab.book.finishIfDone(created.id, [](TaskId) { return true; }).isEmpty());
        QCOMPARE(lab.book.activeCount(), 1);
        lab.book.taskEnded(created.id);
        QCOMPARE(lab.book.finishIfDone(created.id, [](TaskId) { return true; }),
                 (QList<TaskId>{1, 2}));
        QCOMPARE(lab.book.activeCount(), 0);
        QCOMPARE(lab.stats.workflowsCompleted, 1);
    }

    void checkTemplateListsEveryProblemWithTheStepsAndArrowsItConcerns()
    {
        // a -> b -> c -> a, a dependency on no step, a default out of range, an unknown type,
        // and e alone: each is listed, with the steps (and for the cycle the arrows) it marks.
        auto task = [](const char *name, const char *type, QStringList deps) {
            return QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                               {QStringLiteral("device_type"), QLatin1StringView(type)},
                               {QStringLiteral("command"), QStringLiteral("run")},
                               {QStringLiteral("duration_s"), 5},
                               {QStringLiteral("depends_on"), QJsonArray::fromStringList(deps)}};
        };
        QJsonObject hot = task("d", "box_furnace", {QStringLiteral("ghost")});
        hot.insert(QStringLiteral("parameter_schema"),
                   QJsonObject{{QStringLiteral("t"),
                                QJsonObject{{QStringLiteral("unit"), QStringLiteral("C")},
                                            {QStringLiteral("max"), 1500},
                                            {QStringLiteral("default"), 2500}}}});
        const QJsonObject json{
            {QStringLiteral("name"), QStringLiteral("knot")},
            {QStringLiteral("tasks"),
             QJsonArray{task("a", "xrd", {QStringLiteral("c")}),
                        task("b", "xrd", {QStringLiteral("a")}),
                        task("c", "xrd", {QStringLiteral("b")}), hot, task("e", "etcher", {})}}};
        Lab lab;
        WorkflowTemplate parsed;
        const QList<TemplateProblem> problems =
            checkTemplate(json, lab.resources.deviceCheckContext(), &parsed);
        QCOMPARE(parsed.tasks.size(), 5);
        QStringList kinds;
        for (const TemplateProblem &p : problems)
            kinds << QStringLiteral("%1:%2:%3").arg(int(p.kind)).arg(p.task).arg(p.blocking);
        using K = TemplateProblem::Kind;
        QCOMPARE(kinds, (QStringList{QStringLiteral("%1:3:1").arg(int(K::Parameter)),
                                     QStringLiteral("%1:3:1").arg(int(K::Dependency)),
                                     QStringLiteral("%1:0:1").arg(int(K::Cycle)),
                                     QStringLiteral("%1:4:1").arg(int(K::Device)),
                                     QStringLiteral("%1:3:0").arg(int(K::Unconnected)),
                                     QStringLiteral("%1:4:0").arg(int(K::Unconnected))}));
        const TemplateProblem &cycle = problems[2];
        QCOMPARE(cycle.message,
                 QStringLiteral("workflow template knot, task a: field \"depends_on\" "
                                "forms a cycle (a → b → c → a)"));
        QCOMPARE(cycle.tasks, (QList<int>{0, 1, 2}));
        QCOMPARE(cycle.edges.size(), 3);
        QVERIFY(cycle.edges.contains(std::pair{2, 0}));
        QCOMPARE(problems[0].detail, QStringLiteral("t"));
        QCOMPARE(problems[0].message,
                 QStringLiteral("workflow template knot, task d: parameter_schema field \"t\": "
                                "default 2500 C is outside -inf..1500 C"));
        QCOMPARE(problems[3].message, QStringLiteral("workflow template knot, task e: no device of "
                                                     "type \"etcher\" is configured"));
        // fromJson refuses with the first blocking one; the device check is not its business.
        QString error;
        QVERIFY(!WorkflowTemplate::fromJson(json, &error));
        QCOMPARE(error, problems[0].message);
        QCOMPARE(lab.resources.checkDevices(parsed), problems[3].message);
    }

    void aFailedWorkflowRunsAgainWhenATaskIsRetried()
    {
        Lab lab;
        const WorkflowBook::Created created = lab.submitOneSample();
        lab.book.taskEnded(created.id);
        lab.book.taskEnded(created.id);
        // Kept for a retry: its tasks stay in memory.
        QVERIFY(lab.book.finishIfDone(created.id, [](TaskId id) { return id != 1; }).isEmpty());
        QCOMPARE(lab.stats.workflowsFailed, 1);
        QCOMPARE(lab.book.activeCount(), 0);
        lab.book.reopen(created.id, 2);
        QCOMPARE(lab.book.activeCount(), 1);
        QCOMPARE(lab.stats.workflowsFailed, 0);
    }
};

QTEST_GUILESS_MAIN(TstWorkflowBook)
#include "tst_workflowbook.moc"
