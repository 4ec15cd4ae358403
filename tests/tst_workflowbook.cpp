// The workflow book alone: templates, the checks of a submission, the workflow and tasks it
// creates, and when a workflow is finished. No database, no drivers.
#include "core/engine/commitqueue.h"
#include "core/engine/resourcemanager.h"
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
