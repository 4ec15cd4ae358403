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
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <algorithm>
#include <optional>

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

QJsonObject stepJson(const WorkflowEditor &editor, const QString &name)
{
    return editor.definition()
        .value(QLatin1StringView("tasks"))
        .toArray()[editor.stepIndex(name)]
        .toObject();
}

template <typename T> T *widget(const WorkflowEditor &editor, const char *name)
{
    auto *w = editor.findChild<T *>(QLatin1StringView(name));
    if (!w) qWarning() << "no widget" << name;
    return w;
}

// Typed into a field as a person types: the old text selected and typed over.
void typeInto(QWidget *field, const QString &text)
{
    if (auto *line = qobject_cast<QLineEdit *>(field)) line->selectAll();
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(field)) spin->selectAll();
    QTest::keyClicks(field, text);
}

// The line edit an item view opened on its current item, typed into and committed.
bool typeIntoOpenItem(QAbstractItemView *view, const QString &text, int *maxLength = nullptr)
{
    // Editors closed earlier wait for their deletion, hidden.
    QLineEdit *editor = nullptr;
    for (QLineEdit *open : view->viewport()->findChildren<QLineEdit *>())
        if (open->isVisible()) editor = open;
    if (!editor) return false;
    if (maxLength) *maxLength = editor->maxLength();
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits what was typed on its next turn of the event loop.
    QCoreApplication::processEvents();
    return !editor->isVisible();
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

// The chain, with one of its steps selected: the side panel shows that step.
int buildChainSelecting(WorkflowEditor &editor, const QString &step)
{
    buildChain(editor);
    const int index = editor.stepIndex(step);
    editor.selectStep(index);
    return index;
}

// An engine on kLab and an editor on the weigh -> fire -> measure chain, *fire* selected.
struct ChainOnEngine
{
    test::EngineLab lab{test::TestDatabase::instance().createDatabase(), kLab};
    std::optional<EngineEditor> h;
    WorkflowEditor *editor = nullptr;
    int fire = -1;

    bool open()
    {
        if (!lab.start()) return false;
        h.emplace(lab);
        editor = h->editor.get();
        fire = buildChainSelecting(*editor, QStringLiteral("fire"));
        return true;
    }
};

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

    void theNewFieldsAreEditedInTheSidePanelWithUndoAndRedo()
    {
        ChainOnEngine chain;
        QVERIFY(chain.open());
        WorkflowEditor &editor = *chain.editor;
        const QString fire = QStringLiteral("fire");
        auto *timeout = widget<QDoubleSpinBox>(editor, "editorTimeout");
        auto *cleanup = widget<QLineEdit>(editor, "editorCleanup");
        auto *rerun = widget<QCheckBox>(editor, "editorRerunSafe");
        auto *resources = widget<QTableWidget>(editor, "editorResources");
        auto *kind = widget<QComboBox>(editor, "editorResourceKind");
        auto *addResource = widget<QPushButton>(editor, "editorAddResource");
        auto *parent = widget<QLineEdit>(editor, "editorPositionsParent");
        auto *count = widget<QSpinBox>(editor, "editorPositionsCount");
        QVERIFY(timeout && cleanup && rerun && resources && kind && addResource && parent && count);
        QCOMPARE(cleanup->maxLength(), WorkflowTemplate::kMaxNameLength);
        QCOMPARE(parent->maxLength(), WorkflowTemplate::kMaxNameLength);
        QVERIFY(rerun->isChecked());

        // Each field: typed, then undone and redone as one edit.
        auto undoRedo = [&](const QJsonObject &before, int undos) {
            const QJsonObject after = editor.definition();
            for (int i = 0; i < undos; ++i)
                editor.undoStack()->undo();
            QCOMPARE(editor.definition(), before);
            for (int i = 0; i < undos; ++i)
                editor.undoStack()->redo();
            QCOMPARE(editor.definition(), after);
        };
        QJsonObject before = editor.definition();
        typeInto(timeout, QStringLiteral("90"));
        QCOMPARE(stepJson(editor, fire).value(QLatin1StringView("timeout_s")), QJsonValue(90));
        undoRedo(before, 1);
        QVERIFY(!stepJson(editor, fire).contains(QLatin1StringView("cleanup")));
        before = editor.definition();
        typeInto(cleanup, QStringLiteral("status"));
        QCOMPARE(stepJson(editor, fire).value(QLatin1StringView("cleanup")).toString(),
                 QStringLiteral("status"));
        undoRedo(before, 1);
        QCOMPARE(cleanup->text(), QStringLiteral("status"));
        before = editor.definition();
        rerun->click();
        QCOMPARE(stepJson(editor, fire).value(QLatin1StringView("rerun_safe")), QJsonValue(false));
        editor.undoStack()->undo();
        QVERIFY(rerun->isChecked());
        QVERIFY(!stepJson(editor, fire).contains(QLatin1StringView("rerun_safe")));
        editor.undoStack()->redo();
        QVERIFY(!rerun->isChecked());

        // Resources: a row added, its name typed in the table's own editor.
        before = editor.definition();
        kind->setCurrentIndex(kind->findData(QStringLiteral("type")));
        addResource->click();
        int maxLength = 0;
        QVERIFY(typeIntoOpenItem(resources, QStringLiteral("balance"), &maxLength));
        QCOMPARE(maxLength, WorkflowTemplate::kMaxNameLength);
        kind->setCurrentIndex(kind->findData(QStringLiteral("position")));
        addResource->click();
        QVERIFY(typeIntoOpenItem(resources, QStringLiteral("rack/1")));
        typeInto(parent, QStringLiteral("tray"));
        typeInto(count, QStringLiteral("3"));
        QCOMPARE(
            stepJson(editor, fire).value(QLatin1StringView("resources")).toObject(),
            QJsonObject(
                {{QStringLiteral("devices"),
                  QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("balance")}}}},
                 {QStringLiteral("positions"), QJsonArray{QStringLiteral("rack/1")}},
                 {QStringLiteral("positions_under"),
                  QJsonObject{{QStringLiteral("parent"), QStringLiteral("tray")},
                              {QStringLiteral("count"), 3}}}}));
        QCOMPARE(resources->rowCount(), 2);
        QCOMPARE(resources->item(0, 0)->text(), QStringLiteral("Device of type"));
        QCOMPARE(resources->item(1, 1)->text(), QStringLiteral("rack/1"));
        QVERIFY2(editor.problems().isEmpty(), qPrintable(messages(editor).join('\n')));
        // Added row, its name, added row, its name, the parent, the count: six edits.
        undoRedo(before, 6);
        editor.undoStack()->undo(); // the count back to 1
        QCOMPARE(count->value(), 1);
        editor.undoStack()->undo(); // no positions under a parent
        QCOMPARE(parent->text(), QString());
        QVERIFY(!stepJson(editor, fire)
                     .value(QLatin1StringView("resources"))
                     .toObject()
                     .contains(QLatin1StringView("positions_under")));
        // A row removed.
        resources->setCurrentCell(0, 1);
        widget<QPushButton>(editor, "editorRemoveResource")->click();
        QCOMPARE(
            stepJson(editor, fire).value(QLatin1StringView("resources")).toObject(),
            QJsonObject({{QStringLiteral("positions"), QJsonArray{QStringLiteral("rack/1")}}}));
        QCOMPARE(resources->rowCount(), 1);
        editor.undoStack()->undo();
        QCOMPARE(resources->rowCount(), 2);

        // An operator prompt from the palette, with the keyboard.
        auto *palette = widget<QListWidget>(editor, "editorPalette");
        QCOMPARE(palette->item(0)->text(), QStringLiteral("Operator prompt"));
        palette->setCurrentRow(0);
        QTest::keyClick(palette, Qt::Key_Return);
        const int ask = editor.stepIndex(QStringLiteral("prompt"));
        QVERIFY(ask >= 0);
        QCOMPARE(editor.selectedStep(), ask);
        QCOMPARE(stepJson(editor, QStringLiteral("prompt")).value(QLatin1StringView("command")),
                 QJsonValue(QStringLiteral("prompt")));
        // Its side panel: the prompt's fields; a device command's are not offered.
        auto *message = widget<QLineEdit>(editor, "editorPromptMessage");
        auto *options = widget<QListWidget>(editor, "editorPromptOptions");
        auto *promptTimeout = widget<QDoubleSpinBox>(editor, "editorPromptTimeout");
        QVERIFY(message && options && promptTimeout);
        QVERIFY(message->isVisibleTo(&editor));
        QVERIFY(options->isVisibleTo(&editor));
        QVERIFY(!timeout->isVisibleTo(&editor));
        QVERIFY(!cleanup->isVisibleTo(&editor));
        QVERIFY(!rerun->isVisibleTo(&editor));
        QVERIFY(resources->isVisibleTo(&editor)); // a prompt may hold a device or a position
        QCOMPARE(message->maxLength(), OperatorCommand::kMaxTextLength);
        // Named for a screen reader and reached with Tab, the prompt's fields included.
        for (QWidget *w : QList<QWidget *>{message, options, promptTimeout, resources, kind, parent,
                                           count, timeout, cleanup, rerun})
            QVERIFY2(!w->accessibleName().isEmpty() && (w->focusPolicy() & Qt::TabFocus),
                     qPrintable(w->objectName()));
        QCOMPARE(options->count(), 1);
        before = editor.definition();
        typeInto(message, QStringLiteral("Load tray 3 into the furnace"));
        widget<QPushButton>(editor, "editorAddOption")->click();
        QVERIFY(typeIntoOpenItem(options, QStringLiteral("abort"), &maxLength));
        QCOMPARE(maxLength, OperatorCommand::kMaxTextLength);
        typeInto(promptTimeout, QStringLiteral("600"));
        QCOMPARE(stepJson(editor, QStringLiteral("prompt")).value(QLatin1StringView("prompt")),
                 QJsonObject(
                     {{QStringLiteral("message"), QStringLiteral("Load tray 3 into the furnace")},
                      {QStringLiteral("options"),
                       QJsonArray{QStringLiteral("done"), QStringLiteral("abort")}},
                      {QStringLiteral("timeout_s"), 600}}));
        // The message, the added answer, its text, the timeout.
        undoRedo(before, 4);
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        QCOMPARE(options->count(), 2);
        QCOMPARE(options->item(1)->text(), QStringLiteral("answer 2"));
        editor.undoStack()->undo();
        QCOMPARE(options->count(), 1);
        // Selecting a device step brings its fields back.
        editor.selectStep(editor.stepIndex(fire));
        QVERIFY(timeout->isVisibleTo(&editor));
        QVERIFY(!message->isVisibleTo(&editor));
        QCOMPARE(timeout->value(), 90.0);
    }

    // A step pinned to one device, chosen from the devices of its type, and parameters sent
    // with every run: edited, undone, checked in the engine's words, and accepted by it.
    void theDevicePinAndFixedParametersAreEditedAndCheckedAsTheEngineDoes()
    {
        ChainOnEngine chain;
        QVERIFY(chain.open());
        test::EngineLab &lab = chain.lab;
        EngineEditor &h = *chain.h;
        WorkflowEditor &editor = *chain.editor;
        const QString fire = QStringLiteral("fire");
        auto *device = widget<QComboBox>(editor, "editorDevice");
        auto *fixed = widget<QPlainTextEdit>(editor, "editorFixedParameters");
        auto *apply = widget<QPushButton>(editor, "editorApplyFixedParameters");
        QVERIFY(device && fixed && apply);
        QCOMPARE(device->lineEdit()->maxLength(), WorkflowTemplate::kMaxNameLength);
        // Only the devices of the step's type, after "any".
        QStringList offered;
        for (int i = 0; i < device->count(); ++i)
            offered << device->itemText(i);
        QCOMPARE(offered, (QStringList{QString(), QStringLiteral("furnace-1")}));

        QJsonObject before = editor.definition();
        device->setCurrentIndex(1);
        QCOMPARE(stepJson(editor, fire).value(QLatin1StringView("device")).toString(),
                 QStringLiteral("furnace-1"));
        const QJsonObject pinned = editor.definition();
        editor.undoStack()->undo();
        QCOMPARE(editor.definition(), before);
        QCOMPARE(device->currentText(), QString());
        editor.undoStack()->redo();
        QCOMPARE(editor.definition(), pinned);

        // A name the lab does not have: the engine's words, and the engine refuses it too.
        device->setCurrentText(QStringLiteral("furnace-9"));
        const QString unknown = QStringLiteral(
            "workflow template weigh-fire-measure, task fire: field \"device\" names "
            "\"furnace-9\", which is not configured");
        QCOMPARE(firstBlocking(editor.problems()), unknown);
        QCOMPARE(lab.command(QStringLiteral("workflow.template.save"), {},
                             {{QStringLiteral("definition"), editor.definition()}},
                             Role::Supervisor)
                     .message,
                 unknown);
        QVERIFY(!editor.saveTemplate());
        device->setCurrentIndex(1);
        QVERIFY(editor.problems().isEmpty());

        // Fixed parameters: a JSON object or nothing; anything else is refused with why.
        before = editor.definition();
        fixed->setPlainText(QStringLiteral("[1, 2]"));
        apply->click();
        QCOMPARE(editor.definition(), before);
        QVERIFY2(editor.status()->text().startsWith(
                     QStringLiteral("Fixed parameters: not a JSON object")),
                 qPrintable(editor.status()->text()));
        fixed->setPlainText(QStringLiteral("{\"mode\": \"scan\", \"passes\": 2}"));
        apply->click();
        const QJsonObject parameters{{QStringLiteral("mode"), QStringLiteral("scan")},
                                     {QStringLiteral("passes"), 2}};
        QCOMPARE(stepJson(editor, fire).value(QLatin1StringView("parameters")).toObject(),
                 parameters);
        const QJsonObject withParameters = editor.definition();
        editor.undoStack()->undo();
        QCOMPARE(editor.definition(), before);
        QCOMPARE(fixed->toPlainText(), QString());
        editor.undoStack()->redo();
        QCOMPARE(editor.definition(), withParameters);

        // Prompt steps hold no device and send no parameters: the rows are not offered.
        const int ask = editor.addPromptStep({0, 200});
        editor.selectStep(ask);
        QVERIFY(!device->isVisibleTo(&editor));
        QVERIFY(!fixed->isVisibleTo(&editor));
        editor.removeSteps({ask});

        // The engine stores what the editor has.
        QVERIFY(editor.saveTemplate());
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(h.templates.cbegin(), h.templates.cend(),
                                             [](const WorkflowTemplate &t) {
                                                 return t.name ==
                                                        QStringLiteral("weigh-fire-measure");
                                             }),
                                 10000);
        const WorkflowTemplate &stored =
            *std::find_if(h.templates.cbegin(), h.templates.cend(), [](const WorkflowTemplate &t) {
                return t.name == QStringLiteral("weigh-fire-measure");
            });
        QJsonObject storedFire;
        for (const QJsonValue &task : stored.toJson().value(QLatin1StringView("tasks")).toArray())
            if (task.toObject().value(QLatin1StringView("name")).toString() == fire)
                storedFire = task.toObject();
        QCOMPARE(storedFire.value(QLatin1StringView("device")).toString(),
                 QStringLiteral("furnace-1"));
        QCOMPARE(storedFire.value(QLatin1StringView("parameters")).toObject(), parameters);
    }

    void badValuesOfTheNewFieldsAreMarkedWithTheEnginesMessages()
    {
        ChainOnEngine chain;
        QVERIFY(chain.open());
        test::EngineLab &lab = chain.lab;
        WorkflowEditor &editor = *chain.editor;
        const int fire = chain.fire;
        const QString where = QStringLiteral("workflow template weigh-fire-measure, task ");
        // Each: the first blocking problem, the step marked, the engine refusing the same
        // JSON with the same words, and the editor not sending it.
        auto refused = [&](const QString &expected) {
            QCOMPARE(firstBlocking(editor.problems()), expected);
            QCOMPARE(editor.problemList()->item(0)->text(), expected);
            const CommandReply direct = lab.command(
                QStringLiteral("workflow.template.save"), {},
                {{QStringLiteral("definition"), editor.definition()}}, Role::Supervisor);
            QVERIFY(!direct.ok);
            QCOMPARE(direct.message, expected);
            QVERIFY(!editor.saveTemplate());
            QVERIFY2(editor.status()->text().startsWith(QStringLiteral("Not saved")),
                     qPrintable(editor.status()->text()));
        };

        typeInto(widget<QDoubleSpinBox>(editor, "editorTimeout"), QStringLiteral("-5"));
        refused(where + QStringLiteral("fire: field \"timeout_s\" must be >= 0"));
        QCOMPARE(editor.stepMark(fire), 2);
        editor.undoStack()->undo();
        QVERIFY(editor.problems().isEmpty());

        // The field stops at the engine's limit; a longer cleanup (from a file) is marked.
        auto *cleanup = widget<QLineEdit>(editor, "editorCleanup");
        typeInto(cleanup, QString(WorkflowTemplate::kMaxNameLength + 5, u'c'));
        QCOMPARE(cleanup->text().size(), WorkflowTemplate::kMaxNameLength);
        QVERIFY(editor.problems().isEmpty());
        editor.setStepField(fire, QStringLiteral("cleanup"),
                            QString(WorkflowTemplate::kMaxNameLength + 1, u'c'));
        refused(where + QStringLiteral("fire: field \"cleanup\" is longer than 200 characters"));
        editor.undoStack()->undo(); // typing and the longer text: one edit of one field
        QVERIFY(editor.problems().isEmpty());
        QVERIFY(!stepJson(editor, QStringLiteral("fire")).contains(QLatin1StringView("cleanup")));

        // Resources: a device row without a name, then a type the lab does not have, then
        // positions under a parent with no count.
        auto *kind = widget<QComboBox>(editor, "editorResourceKind");
        auto *resources = widget<QTableWidget>(editor, "editorResources");
        kind->setCurrentIndex(kind->findData(QStringLiteral("type")));
        widget<QPushButton>(editor, "editorAddResource")->click();
        refused(where + QStringLiteral("fire: field \"resources.devices\" entries need a \"type\" "
                                       "or a \"name\""));
        QVERIFY(typeIntoOpenItem(resources, QStringLiteral("plasma_etcher")));
        refused(where + QStringLiteral("fire: no device of type \"plasma_etcher\" is configured"));
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        kind->setCurrentIndex(kind->findData(QStringLiteral("position")));
        widget<QPushButton>(editor, "editorAddResource")->click();
        refused(where + QStringLiteral("fire: field \"resources.positions\" must list position "
                                       "names"));
        editor.undoStack()->undo();
        typeInto(widget<QLineEdit>(editor, "editorPositionsParent"), QStringLiteral("rack"));
        typeInto(widget<QSpinBox>(editor, "editorPositionsCount"), QStringLiteral("0"));
        refused(where + QStringLiteral("fire: field \"resources.positions_under\" needs a "
                                       "\"parent\" and a \"count\" >= 1"));
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        QVERIFY2(editor.problems().isEmpty(), qPrintable(messages(editor).join('\n')));

        // A new prompt has no message yet; without answers it is refused for those too.
        const int ask = editor.addPromptStep({0, 200});
        editor.selectStep(ask);
        editor.connectSteps(ask, editor.stepIndex(QStringLiteral("weigh")));
        refused(where + QStringLiteral("prompt: field \"prompt.message\" is missing"));
        auto *options = widget<QListWidget>(editor, "editorPromptOptions");
        options->setCurrentRow(0);
        widget<QPushButton>(editor, "editorRemoveOption")->click();
        QCOMPARE(options->count(), 0);
        QVERIFY(messages(editor).contains(
            where + QStringLiteral("prompt: field \"prompt.options\" must list the answers")));
        typeInto(widget<QLineEdit>(editor, "editorPromptMessage"), QStringLiteral("Load tray 3"));
        refused(where + QStringLiteral("prompt: field \"prompt.options\" must list the answers"));
        typeInto(widget<QDoubleSpinBox>(editor, "editorPromptTimeout"), QStringLiteral("-1"));
        QVERIFY(messages(editor).contains(
            where + QStringLiteral("prompt: field \"prompt.timeout_s\" must be >= 0")));
        editor.undoStack()->undo(); // the timeout
        editor.undoStack()->undo(); // the message
        editor.undoStack()->undo(); // the removed answer
        refused(where + QStringLiteral("prompt: field \"prompt.message\" is missing"));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflow_templates")),
                 QStringLiteral("0"));
    }

    void aTemplateWithAPromptAndResourcesSavedFromTheEditorRuns()
    {
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(), kLab);
        QVERIFY(lab.start());
        for (const QString &position : {QStringLiteral("rack/1"), QStringLiteral("rack/2")}) {
            const CommandReply r = lab.command(QStringLiteral("position.add"), position);
            QVERIFY2(r.ok, qPrintable(r.message));
        }
        EngineEditor h(lab);
        WorkflowEditor &editor = *h.editor;
        // fire holds the balance too and two rack positions; it may take 120 s at most.
        buildChainSelecting(editor, QStringLiteral("fire"));
        auto *kind = widget<QComboBox>(editor, "editorResourceKind");
        kind->setCurrentIndex(kind->findData(QStringLiteral("type")));
        widget<QPushButton>(editor, "editorAddResource")->click();
        QVERIFY(typeIntoOpenItem(widget<QTableWidget>(editor, "editorResources"),
                                 QStringLiteral("balance")));
        typeInto(widget<QLineEdit>(editor, "editorPositionsParent"), QStringLiteral("rack"));
        typeInto(widget<QSpinBox>(editor, "editorPositionsCount"), QStringLiteral("2"));
        typeInto(widget<QDoubleSpinBox>(editor, "editorTimeout"), QStringLiteral("120"));
        typeInto(widget<QLineEdit>(editor, "editorCleanup"), QStringLiteral("status"));
        widget<QCheckBox>(editor, "editorRerunSafe")->click();
        // An operator confirms the samples are loaded before anything runs.
        const int ask = editor.addPromptStep({-220, 0});
        editor.selectStep(ask);
        typeInto(widget<QLineEdit>(editor, "editorPromptMessage"),
                 QStringLiteral("Load the crucibles"));
        typeInto(widget<QDoubleSpinBox>(editor, "editorPromptTimeout"), QStringLiteral("600"));
        QVERIFY(editor.connectSteps(ask, editor.stepIndex(QStringLiteral("weigh"))));
        QVERIFY2(editor.problems().isEmpty(), qPrintable(messages(editor).join('\n')));

        editor.saveAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            editor.status()->text().contains(QStringLiteral("saved (4 task(s))")), 20000);
        // Stored exactly as the editor has it.
        const QJsonObject stored =
            QJsonDocument::fromJson(lab.q(QStringLiteral("SELECT definition::text FROM "
                                                         "workflow_templates WHERE name = "
                                                         "'weigh-fire-measure'"))
                                        .toUtf8())
                .object();
        QCOMPARE(stored, editor.definition());
        const QJsonObject fireJson = stepJson(editor, QStringLiteral("fire"));
        QCOMPARE(
            fireJson.value(QLatin1StringView("resources")).toObject(),
            QJsonObject(
                {{QStringLiteral("devices"),
                  QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("balance")}}}},
                 {QStringLiteral("positions_under"),
                  QJsonObject{{QStringLiteral("parent"), QStringLiteral("rack")},
                              {QStringLiteral("count"), 2}}}}));
        QCOMPARE(fireJson.value(QLatin1StringView("timeout_s")), QJsonValue(120));
        QCOMPARE(fireJson.value(QLatin1StringView("rerun_safe")), QJsonValue(false));

        const CommandReply r =
            lab.command(QStringLiteral("workflow.submit"), {},
                        {{QStringLiteral("template"), QStringLiteral("weigh-fire-measure")},
                         {QStringLiteral("barcodes"), QJsonArray{QStringLiteral("ED-1")}},
                         {QStringLiteral("priority"), QStringLiteral("normal")}},
                        Role::Technician);
        QVERIFY2(r.ok, qPrintable(r.message));
        // The prompt waits for an operator, with the editor's message and answers.
        QTRY_COMPARE_WITH_TIMEOUT(lab.engine.openPrompts().size(), qsizetype(1), 10000);
        const PromptState prompt = lab.engine.openPrompts().first();
        QCOMPARE(prompt.message, QStringLiteral("Load the crucibles"));
        QCOMPARE(prompt.options, QStringList{QStringLiteral("done")});
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
                 QStringLiteral("0"));
        const CommandReply answered =
            lab.command(QStringLiteral("prompt.answer"), QString::number(prompt.id),
                        {{QStringLiteral("option"), QStringLiteral("done")}}, Role::Operator);
        QVERIFY2(answered.ok, qPrintable(answered.message));
        QTRY_COMPARE_WITH_TIMEOUT(
            lab.q(QStringLiteral("SELECT string_agg(DISTINCT status, ',') FROM workflows")),
            QStringLiteral("completed"), 60000);
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
                 QStringLiteral("4"));
        // The fire task carried its settings to the engine.
        QCOMPARE(lab.q(QStringLiteral("SELECT parameters->>'timeout_s' || ' ' || "
                                      "(parameters->>'rerun_safe') || ' ' || "
                                      "(parameters->>'cleanup') FROM tasks WHERE name = 'fire'")),
                 QStringLiteral("120 false status"));
    }

    void outOfRangeAndUnknownTypesAreMarkedWithTheEnginesMessages()
    {
        ChainOnEngine chain;
        QVERIFY(chain.open());
        test::EngineLab &lab = chain.lab;
        WorkflowEditor &editor = *chain.editor;
        const int fire = chain.fire;
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
        // Every field a step can have, a prompt step's included, survives the file.
        const int fire = editor.stepIndex(QStringLiteral("fire"));
        editor.setStepField(
            fire, QStringLiteral("resources"),
            QJsonObject{
                {QStringLiteral("devices"),
                 QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("balance")}},
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("xrd-1")}}}},
                {QStringLiteral("positions"), QJsonArray{QStringLiteral("rack/1")}},
                {QStringLiteral("positions_under"),
                 QJsonObject{{QStringLiteral("parent"), QStringLiteral("tray")},
                             {QStringLiteral("count"), 2}}}});
        editor.setStepField(fire, QStringLiteral("timeout_s"), 90);
        editor.setStepField(fire, QStringLiteral("cleanup"), QStringLiteral("status"));
        editor.setStepField(fire, QStringLiteral("rerun_safe"), false);
        const int ask = editor.addPromptStep({0, 200});
        editor.setPromptField(ask, QStringLiteral("message"), QStringLiteral("Load tray 3"));
        editor.setPromptField(ask, QStringLiteral("options"),
                              QJsonArray{QStringLiteral("done"), QStringLiteral("abort")});
        editor.setPromptField(ask, QStringLiteral("timeout_s"), 3600);
        QVERIFY(editor.connectSteps(ask, editor.stepIndex(QStringLiteral("weigh"))));
        QVERIFY2(editor.problems().isEmpty(), qPrintable(messages(editor).join('\n')));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chain.json"));
        QVERIFY(editor.exportJsonFile(path));
        WorkflowEditor other(&h.models, &h.session, &h.services);
        QVERIFY(other.openJsonFile(path));
        QCOMPARE(other.definition(), editor.definition());
        QCOMPARE(other.stepCount(), 4);
        QCOMPARE(edgesOnCanvas(other), 3);
        QCOMPARE(stepJson(other, QStringLiteral("prompt")).value(QLatin1StringView("prompt")),
                 QJsonObject({{QStringLiteral("message"), QStringLiteral("Load tray 3")},
                              {QStringLiteral("options"),
                               QJsonArray{QStringLiteral("done"), QStringLiteral("abort")}},
                              {QStringLiteral("timeout_s"), 3600}}));
        // Looking at each step in the side panel changes nothing in it.
        for (int s = 0; s < other.stepCount(); ++s)
            other.selectStep(s);
        QCOMPARE(other.definition(), editor.definition());
        QVERIFY(other.exportJsonFile(dir.filePath(QStringLiteral("again.json"))));
        QFile exported(path), again(dir.filePath(QStringLiteral("again.json")));
        QVERIFY(exported.open(QIODevice::ReadOnly) && again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), exported.readAll());
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
        QCOMPARE(other.stepCount(), 4);

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
                 (QStringList{QStringLiteral("Operator prompt"), QStringLiteral("balance (1)"),
                              QStringLiteral("box_furnace (1)"), QStringLiteral("xrd (2)")}));
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
