// The workflow editor against a real engine and PostgreSQL: what it marks is what the engine
// says, what it saves the engine runs.
#include "core/engine/templatecheck.h"
#include "tests/support/enginelab.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"
#include "ui/schemaform.h"
#include "ui/workfloweditor.h"
#include "ui/workflowspanel.h"

#include <QAction>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace alabos;

namespace {

const QList<DeviceSpec> kLab{{QStringLiteral("balance-1"), QStringLiteral("balance")},
                             {QStringLiteral("furnace-1"), QStringLiteral("box_furnace")},
                             {QStringLiteral("xrd-1"), QStringLiteral("xrd")}};

// An editor whose session talks to a real engine (EngineLab), and whose fleet is the lab's.
struct EngineEditor
{
    LabModels models;
    ConsoleSession session;
    ConsoleServices services;
    QList<WorkflowTemplate> templates = shippedTemplates();
    std::unique_ptr<WorkflowEditor> editor;

    explicit EngineEditor(test::EngineLab &lab)
    {
        services.workflowTemplates = [this] { return templates; };
        QObject::connect(&session, &ConsoleSession::commandIssued, &lab.engine,
                         &LabEngine::handleCommand);
        QObject::connect(&lab.engine, &LabEngine::commandReplied, &session,
                         &ConsoleSession::onReply);
        QObject::connect(&lab.engine, &LabEngine::templateSaved, &lab.engine,
                         [this](const QJsonObject &definition) {
                             templates.append(*WorkflowTemplate::fromJson(definition, nullptr));
                         });
        FeedUpdate fleet;
        fleet.reset = true;
        for (const DeviceSpec &d : kLab)
            fleet.devices.append({d.id, d.type, DeviceStatus::Idle, 0, 0, nowMicros()});
        models.apply(fleet);
        editor = std::make_unique<WorkflowEditor>(&models, &session, &services);
        editor->show();
        session.setIdentity(QStringLiteral("sue"), Role::Supervisor, {});
    }
};

QStringList messages(const WorkflowEditor &editor)
{
    QStringList out;
    for (const TemplateProblem &p : editor.problems())
        out << p.message;
    return out;
}

int edgesOnCanvas(const WorkflowEditor &editor)
{
    int n = 0;
    for (QGraphicsItem *item : editor.scene()->items())
        if (item->type() == QGraphicsPathItem::Type) ++n;
    return n;
}

// weigh -> fire -> measure, built through the editor's own edits.
void buildChain(WorkflowEditor &editor)
{
    editor.setTemplateName(QStringLiteral("weigh-fire-measure"));
    const int weigh = editor.addStep(QStringLiteral("balance"), {0, 0});
    const int fire = editor.addStep(QStringLiteral("box_furnace"), {220, 0});
    const int measure = editor.addStep(QStringLiteral("xrd"), {440, 0});
    editor.setStepField(weigh, QStringLiteral("name"), QStringLiteral("weigh"));
    editor.setStepField(fire, QStringLiteral("name"), QStringLiteral("fire"));
    editor.setStepField(measure, QStringLiteral("name"), QStringLiteral("measure"));
    for (int s : {weigh, fire, measure})
        editor.setStepField(s, QStringLiteral("duration_s"), 5);
    editor.setStepField(fire, QStringLiteral("parameter_schema"),
                        QJsonObject{{QStringLiteral("temperature_c"),
                                     QJsonObject{{QStringLiteral("type"), QStringLiteral("number")},
                                                 {QStringLiteral("unit"), QStringLiteral("C")},
                                                 {QStringLiteral("min"), 100},
                                                 {QStringLiteral("max"), 1500},
                                                 {QStringLiteral("default"), 900}}}});
    QVERIFY(editor.connectSteps(weigh, fire));
    QVERIFY(editor.connectSteps(fire, measure));
}

} // namespace

class TstWorkflowEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerMetaTypes(); }

    void aCycleIsMarkedInTheEnginesWordsAndRefused()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        buildChain(editor);
        QVERIFY2(editor.problems().isEmpty(), qPrintable(messages(editor).join('\n')));
        QCOMPARE(edgesOnCanvas(editor), 2);
        const int weigh = editor.stepIndex(QStringLiteral("weigh"));
        const int measure = editor.stepIndex(QStringLiteral("measure"));

        // measure -> weigh closes the loop: every step on it and every arrow of it is red.
        QVERIFY(editor.connectSteps(measure, weigh));
        QCOMPARE(edgesOnCanvas(editor), 3);
        const QString blocking = firstBlocking(editor.problems());
        QCOMPARE(blocking, QStringLiteral("workflow template weigh-fire-measure, task weigh: field "
                                          "\"depends_on\" forms a cycle (weigh → fire → measure "
                                          "→ weigh)"));
        for (int s = 0; s < 3; ++s)
            QCOMPARE(editor.stepMark(s), 2);
        QCOMPARE(editor.edgeMark(measure, weigh), 2);
        QCOMPARE(editor.problemList()->item(0)->text(), blocking);
        // The engine, sent the same JSON, refuses it with the same words.
        const CommandReply direct =
            lab.command(QStringLiteral("workflow.template.save"), {},
                        {{QStringLiteral("definition"), editor.definition()}}, Role::Supervisor);
        QVERIFY(!direct.ok);
        QCOMPARE(direct.message, blocking);

        // The editor does not send it at all.
        QVERIFY(!editor.saveTemplate());
        QVERIFY2(editor.status()->text().contains(QStringLiteral("Not saved")),
                 qPrintable(editor.status()->text()));
        QTest::qWait(200);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflow_templates")),
                 QStringLiteral("0"));

        // Undo takes the arrow back, redo draws it again; undo once more for a valid graph.
        const QJsonObject withCycle = editor.definition();
        editor.findChild<QAction *>(QStringLiteral("editorUndo"))->trigger();
        QVERIFY(editor.problems().isEmpty());
        QCOMPARE(edgesOnCanvas(editor), 2);
        QCOMPARE(editor.stepMark(weigh), 0);
        editor.findChild<QAction *>(QStringLiteral("editorRedo"))->trigger();
        QCOMPARE(editor.definition(), withCycle);
        QCOMPARE(firstBlocking(editor.problems()), blocking);
        editor.undoStack()->undo();
        QVERIFY(firstBlocking(editor.problems()).isEmpty());
    }

    void undoAndRedoRestoreEachEdit()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        const QJsonObject empty = editor.definition();
        buildChain(editor);
        QVERIFY(editor.undoStack()->count() >= 8);
        // A rename of a step with arrows keeps them: its dependents name it anew.
        editor.setStepField(editor.stepIndex(QStringLiteral("fire")), QStringLiteral("name"),
                            QStringLiteral("calcine"));
        QCOMPARE(editor.definition()
                     .value(QLatin1StringView("tasks"))
                     .toArray()[2]
                     .toObject()
                     .value(QLatin1StringView("depends_on"))
                     .toArray(),
                 QJsonArray{QStringLiteral("calcine")});
        const QJsonObject renamed = editor.definition();
        editor.removeSteps({editor.stepIndex(QStringLiteral("calcine"))});
        const QJsonObject afterDelete = editor.definition();
        QCOMPARE(editor.stepCount(), 2);
        QCOMPARE(edgesOnCanvas(editor), 0);
        editor.undoStack()->undo();
        QCOMPARE(editor.definition(), renamed);
        QCOMPARE(edgesOnCanvas(editor), 2);
        editor.undoStack()->undo(); // the rename
        QCOMPARE(editor.stepIndex(QStringLiteral("calcine")), -1);
        QVERIFY(editor.stepIndex(QStringLiteral("fire")) >= 0);
        while (editor.undoStack()->canUndo())
            editor.undoStack()->undo();
        QCOMPARE(editor.definition(), empty);
        QCOMPARE(editor.stepCount(), 0);
        while (editor.undoStack()->canRedo())
            editor.undoStack()->redo();
        QCOMPARE(editor.definition(), afterDelete);
        QCOMPARE(editor.stepCount(), 2); // redone through the delete
    }

    void outOfRangeAndUnknownTypesAreMarkedWithTheEnginesMessages()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        buildChain(editor);
        const int fire = editor.stepIndex(QStringLiteral("fire"));
        editor.selectStep(fire);
        SchemaForm *form = editor.parameterForm();
        QVERIFY(form);
        auto *field = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("temperature_c")));
        QVERIFY(field);
        QCOMPARE(field->text(), QStringLiteral("900"));
        // Typed as a person types: each key is an edit, merged into one undo step.
        field->selectAll();
        QTest::keyClicks(field, QStringLiteral("2500"));
        const QString expected =
            QStringLiteral("workflow template weigh-fire-measure, task fire: parameter_schema "
                           "field \"temperature_c\": default 2500 C is outside 100..1500 C");
        QCOMPARE(firstBlocking(editor.problems()), expected);
        QCOMPARE(editor.parameterForm()->fieldMessage(QStringLiteral("temperature_c")), expected);
        QCOMPARE(editor.stepMark(fire), 2);
        const CommandReply direct =
            lab.command(QStringLiteral("workflow.template.save"), {},
                        {{QStringLiteral("definition"), editor.definition()}}, Role::Supervisor);
        QCOMPARE(direct.message, expected);
        editor.undoStack()->undo();
        QVERIFY(firstBlocking(editor.problems()).isEmpty());
        QCOMPARE(qobject_cast<QLineEdit *>(
                     editor.parameterForm()->editor(QStringLiteral("temperature_c")))
                     ->text(),
                 QStringLiteral("900"));

        // A device type the lab does not have, on a step connected to nothing.
        const int etch = editor.addStep(QStringLiteral("plasma_etcher"), {0, 200});
        QStringList all = messages(editor);
        QVERIFY2(all.contains(QStringLiteral("workflow template weigh-fire-measure, task "
                                             "plasma_etcher: no device of type \"plasma_etcher\" "
                                             "is configured")),
                 qPrintable(all.join('\n')));
        QVERIFY2(all.contains(QStringLiteral("workflow template weigh-fire-measure, task "
                                             "plasma_etcher: not connected to any other task; it "
                                             "runs alongside them")),
                 qPrintable(all.join('\n')));
        QCOMPARE(editor.stepMark(etch), 2);
        QVERIFY(!editor.saveTemplate());
        // Given a known type and an arrow, only then is it clean.
        editor.setStepField(etch, QStringLiteral("device_type"), QStringLiteral("xrd"));
        QCOMPARE(editor.stepMark(etch), 1); // still alone: a warning, not a refusal
        QVERIFY(firstBlocking(editor.problems()).isEmpty());
        editor.connectSteps(editor.stepIndex(QStringLiteral("measure")), etch);
        QCOMPARE(editor.stepMark(etch), 0);
        QVERIFY(editor.problems().isEmpty());
        // The run-time rules on the name: a shipped template's, and characters.
        editor.setTemplateName(QStringLiteral("demo-synthesis"));
        QCOMPARE(firstBlocking(editor.problems()),
                 QStringLiteral("workflow template demo-synthesis: field \"name\" is taken by a "
                                "template shipped with alabos; choose another name"));
        editor.setTemplateName(QStringLiteral("a/b"));
        QVERIFY(firstBlocking(editor.problems()).contains(QStringLiteral("must be 1 to 100")));
    }

    void aTemplateSavedFromTheEditorRunsToCompletion()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        // Operators may not save templates: the action says so and nothing is sent.
        h.session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
        QVERIFY(!editor.saveAction()->isEnabled());
        QVERIFY(!editor.saveTemplate());
        h.session.setIdentity(QStringLiteral("sue"), Role::Supervisor, {});
        QVERIFY(editor.saveAction()->isEnabled());

        buildChain(editor);
        editor.saveAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            editor.status()->text().contains(QStringLiteral("saved (3 task(s))")), 20000);
        QCOMPARE(editor.status()->text(),
                 QStringLiteral("workflow template weigh-fire-measure saved (3 task(s))"));
        QVERIFY(editor.undoStack()->isClean());
        QCOMPARE(lab.q(QStringLiteral("SELECT created_by || ' ' || jsonb_array_length("
                                      "definition->'tasks') FROM workflow_templates WHERE name = "
                                      "'weigh-fire-measure'")),
                 QStringLiteral("sue 3"));

        // The engine runs it on its simulated devices, in order, to the end.
        const CommandReply r =
            lab.command(QStringLiteral("workflow.submit"), {},
                        {{QStringLiteral("template"), QStringLiteral("weigh-fire-measure")},
                         {QStringLiteral("barcodes"),
                          QJsonArray{QStringLiteral("ED-1"), QStringLiteral("ED-2")}},
                         {QStringLiteral("priority"), QStringLiteral("normal")}},
                        Role::Technician);
        QVERIFY2(r.ok, qPrintable(r.message));
        // One workflow for both samples: three tasks, each on both.
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed' AND "
                                 "cardinality(samples) = 2")),
            QStringLiteral("3"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT string_agg(DISTINCT status, ',') FROM workflows")),
            QStringLiteral("completed"), 20000);
        QCOMPARE(lab.q(QStringLiteral("SELECT parameters->>'temperature_c' FROM tasks WHERE name "
                                      "= 'fire' LIMIT 1")),
                 QStringLiteral("900"));
        // Each step started after its dependency completed.
        QCOMPARE(lab.q(QStringLiteral(
                     "SELECT count(*) FROM tasks f JOIN tasks w ON w.workflow_id = f.workflow_id "
                     "AND w.name = 'weigh' WHERE f.name = 'fire' AND f.started_at < "
                     "w.finished_at")),
                 QStringLiteral("0"));
    }

    void exportThenOpenRoundTripsAndImportsOpenInTheEditor()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        buildChain(editor);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chain.json"));
        QVERIFY(editor.exportJsonFile(path));
        WorkflowEditor other(&h.models, &h.session, &h.services);
        QVERIFY(other.openJsonFile(path));
        QCOMPARE(other.definition(), editor.definition());
        QCOMPARE(other.stepCount(), 3);
        QCOMPARE(edgesOnCanvas(other), 2);
        // The file is the import's format: the engine parses it as it is.
        QString error;
        QVERIFY2(WorkflowTemplate::fromJson(other.definition(), &error), qPrintable(error));
        // A file that is not a template says so and leaves the canvas alone.
        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"name\": ");
        bad.close();
        QVERIFY(!other.openJsonFile(bad.fileName()));
        QVERIFY2(other.status()->text().contains(QStringLiteral("bad.json is not valid JSON")),
                 qPrintable(other.status()->text()));
        QCOMPARE(other.stepCount(), 3);

        // Import template… in the Workflows panel opens what it imported in the editor.
        WorkflowsPanel panel(&h.models, &h.session, &h.services);
        panel.show();
        QJsonObject cyclic = editor.definition();
        cyclic.insert(QStringLiteral("name"), QStringLiteral("loop"));
        QJsonArray tasks = cyclic.value(QLatin1StringView("tasks")).toArray();
        QJsonObject first = tasks[0].toObject();
        first.insert(QStringLiteral("depends_on"), QJsonArray{QStringLiteral("measure")});
        tasks[0] = first;
        cyclic.insert(QStringLiteral("tasks"), tasks);
        QFile loop(dir.filePath(QStringLiteral("loop.json")));
        QVERIFY(loop.open(QIODevice::WriteOnly));
        loop.write(QJsonDocument(cyclic).toJson());
        loop.close();
        panel.importTemplateFile(loop.fileName());
        WorkflowEditor *opened = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (opened = panel.findChild<WorkflowEditor *>(QStringLiteral("workflowEditor"))), 20000);
        QCOMPARE(opened->definition(), cyclic);
        QVERIFY(firstBlocking(opened->problems()).contains(QStringLiteral("forms a cycle")));
        // Edit… opens the selected template.
        panel.templateList()->setCurrentRow(0);
        panel.editButton()->click();
        QCOMPARE(opened->definition().value(QLatin1StringView("name")).toString(),
                 h.templates.first().name);
    }

    void theLabMenuOpensOneEditorWithTheFleetsDeviceTypes()
    {
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        FeedUpdate fleet;
        fleet.reset = true;
        for (const DeviceSpec &d : kLab)
            fleet.devices.append({d.id, d.type, DeviceStatus::Idle, 0, 0, nowMicros()});
        fleet.devices.append({QStringLiteral("xrd-2"), QStringLiteral("xrd"), DeviceStatus::Busy, 0,
                              0, nowMicros()});
        models.apply(fleet);
        MainWindow window(&models, &session, &services);
        window.show();
        auto *action = window.findChild<QAction *>(QStringLiteral("workflowEditorAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
        action->trigger();
        action->trigger();
        const auto editors = window.findChildren<WorkflowEditor *>();
        QCOMPARE(editors.size(), 1);
        QVERIFY(editors.first()->isVisible());
        auto *palette = editors.first()->findChild<QListWidget *>(QStringLiteral("editorPalette"));
        QStringList types;
        for (int i = 0; i < palette->count(); ++i)
            types << palette->item(i)->text();
        QCOMPARE(types,
                 (QStringList{QStringLiteral("balance (1)"), QStringLiteral("box_furnace (1)"),
                              QStringLiteral("xrd (2)")}));
        // Nobody signed in: the editor shows and checks, but does not save.
        QVERIFY(!editors.first()->saveAction()->isEnabled());
    }

    void anArrowDrawnWithTheMouseConnectsTwoSteps()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        const int a = editor.addStep(QStringLiteral("balance"), {0, 0});
        const int b = editor.addStep(QStringLiteral("xrd"), {300, 0});
        auto *view = editor.findChild<QGraphicsView *>(QStringLiteral("editorCanvas"));
        QVERIFY(view);
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        view->centerOn(225, 29);
        // From a's output port (its right edge, half way down) to the middle of b.
        const QPoint from = view->mapFromScene(QPointF(150, 29));
        const QPoint to = view->mapFromScene(QPointF(375, 29));
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view->viewport(), (from + to) / 2);
        QTest::mouseMove(view->viewport(), to);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
        QTRY_COMPARE(edgesOnCanvas(editor), 1);
        QCOMPARE(editor.definition()
                     .value(QLatin1StringView("tasks"))
                     .toArray()[b]
                     .toObject()
                     .value(QLatin1StringView("depends_on"))
                     .toArray(),
                 QJsonArray{editor.definition()
                                .value(QLatin1StringView("tasks"))
                                .toArray()[a]
                                .toObject()
                                .value(QLatin1StringView("name"))});
    }
};

QTEST_MAIN(TstWorkflowEditor)
#include "tst_workfloweditor.moc"
