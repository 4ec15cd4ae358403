#include "ui/workfloweditor.h"

#include "core/domain/commands.h"
#include "core/domain/logging.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/devicetablemodel.h"
#include "ui/labmodels.h"
#include "ui/schemaform.h"
#include "ui/workflowcanvas.h"
#include "ui/workflowspanel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGraphicsScene>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

namespace alabos {

using namespace canvas;

namespace {
const QColor kRed(0xc6, 0x28, 0x28), kGreen(0x2e, 0x7d, 0x32);
const QString kName = QStringLiteral("name");
const QString kTasks = QStringLiteral("tasks");
const QString kDependsOn = QStringLiteral("depends_on");
const QString kSchema = QStringLiteral("parameter_schema");
const QString kFixedParameters = QStringLiteral("parameters");
const QString kCommand = QStringLiteral("command");
const QString kPrompt = QStringLiteral("prompt");
const QString kResources = QStringLiteral("resources");
const QString kTimeout = QStringLiteral("timeout_s");
const QString kOptions = QStringLiteral("options");
const QString kPositionsUnder = QStringLiteral("positions_under");
// The resource table's kinds: the key of a "devices" entry, or a "positions" entry.
const QString kKindPosition = QStringLiteral("position");
// The kind cell keeps the "devices" entry it came from, so keys the table does not show stay.
constexpr int kEntryRole = Qt::UserRole + 1;
// Timeouts the engine honours: it caps them at a day. Negative values are accepted by the
// spin boxes so that checkTemplate() says why they are wrong, as for out-of-range defaults.
constexpr double kMaxTimeoutS = 24 * 3600;

bool isPromptStep(const QJsonObject &step)
{
    return step.value(kCommand).toString() == kPrompt;
}

// Item editors bounded like the fields they stand for.
class BoundedTextDelegate : public QStyledItemDelegate
{
public:
    BoundedTextDelegate(int maxLength, QObject *parent)
        : QStyledItemDelegate(parent), m_maxLength(maxLength)
    {
    }
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *line = qobject_cast<QLineEdit *>(editor)) line->setMaxLength(m_maxLength);
        return editor;
    }

private:
    int m_maxLength;
};

// A row just added, ready to be typed into.
void editAdded(QAbstractItemView *view, const QModelIndex &index)
{
    if (!index.isValid()) return;
    view->setCurrentIndex(index);
    view->setFocus();
    view->edit(index);
}

QString resourceKindLabel(const QString &kind)
{
    if (kind == QLatin1StringView("type")) return QObject::tr("Device of type");
    if (kind == QLatin1StringView("name")) return QObject::tr("Device");
    return QObject::tr("Position");
}
} // namespace

// The template being edited: its steps in order (a step's index is its place in "tasks"),
// each with where it sits on the canvas. Other top-level members are kept as they came.
struct EditorStep
{
    QJsonObject json;
    QPointF pos;
    bool operator==(const EditorStep &) const = default;
};

struct EditorDocument
{
    QJsonObject rest; // every top-level member but "tasks"
    QList<EditorStep> steps;
    bool operator==(const EditorDocument &) const = default;

    QJsonObject toJson() const
    {
        QJsonObject out = rest;
        QJsonArray tasks;
        for (const EditorStep &s : steps)
            tasks.append(s.json);
        out.insert(kTasks, tasks);
        return out;
    }
    QStringList dependencies(int step) const
    {
        QStringList out;
        for (const QJsonValue &v : steps[step].json.value(kDependsOn).toArray())
            out << v.toString();
        return out;
    }
    void setDependencies(int step, const QStringList &deps)
    {
        steps[step].json.insert(kDependsOn, QJsonArray::fromStringList(deps));
    }
    QString name(int step) const { return steps[step].json.value(kName).toString(); }
};

// One undoable edit: the document before and after. Typing into one field merges into one
// edit, so Ctrl+Z takes back the word, not each letter.
struct EditorCommand : QUndoCommand
{
    WorkflowEditor *editor;
    EditorDocument before, after;
    QString tag;
    EditorCommand(WorkflowEditor *e, EditorDocument b, EditorDocument a, const QString &text,
                  QString mergeTag)
        : editor(e), before(std::move(b)), after(std::move(a)), tag(std::move(mergeTag))
    {
        setText(text);
    }
    int id() const override { return tag.isEmpty() ? -1 : 1; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *o = static_cast<const EditorCommand *>(other);
        if (o->tag != tag) return false;
        after = o->after;
        return true;
    }
    void redo() override { editor->apply(after); }
    void undo() override { editor->apply(before); }
};

struct EditorWidgets
{
    QListWidget *palette = nullptr;
    QGraphicsView *view = nullptr;
    QLineEdit *templateName = nullptr;
    QGroupBox *stepBox = nullptr;
    QLineEdit *stepName = nullptr;
    QComboBox *deviceType = nullptr;
    QComboBox *device = nullptr; // an exact device the step is pinned to; empty: any of the type
    QStringList deviceChoices;   // what `device` offers now
    QLineEdit *command = nullptr;
    QDoubleSpinBox *duration = nullptr;
    QListWidget *dependsOn = nullptr;
    QFormLayout *stepForm = nullptr;
    QLineEdit *promptMessage = nullptr;
    QLabel *promptOptionsLabel = nullptr;
    QWidget *promptOptionsHost = nullptr;
    QListWidget *promptOptions = nullptr;
    QDoubleSpinBox *promptTimeout = nullptr;
    QWidget *resourcesHost = nullptr;
    QTableWidget *resources = nullptr;
    QComboBox *resourceKind = nullptr;
    QWidget *positionsUnderHost = nullptr;
    QLineEdit *positionsParent = nullptr;
    QSpinBox *positionsCount = nullptr;
    QDoubleSpinBox *timeout = nullptr;
    QLineEdit *cleanup = nullptr;
    QCheckBox *rerunSafe = nullptr;
    QPlainTextEdit *schema = nullptr;
    QPushButton *applySchema = nullptr;
    QPlainTextEdit *fixedParameters = nullptr;
    QPushButton *applyFixedParameters = nullptr;
    QWidget *formHost = nullptr;
    QVBoxLayout *formLayout = nullptr;
    SchemaForm *form = nullptr;
    QJsonObject formSchema; // what the form was built from
    int formStep = -1;
    QHash<QString, QJsonObject> presets; // device type -> a step using it in a known template
};

namespace {

// Depth = longest chain of dependencies before a step (steps on a cycle count as depth 0).
QList<QPointF> layeredPositions(const EditorDocument &doc)
{
    const int n = int(doc.steps.size());
    QHash<QString, int> index;
    for (int i = 0; i < n; ++i)
        index.insert(doc.name(i), i);
    QList<int> depth(n, 0);
    for (int round = 0; round < std::min(n, 200); ++round) {
        bool changed = false;
        for (int i = 0; i < n; ++i)
            for (const QString &dep : doc.dependencies(i)) {
                const int from = index.value(dep, -1);
                if (from >= 0 && from != i && depth[from] + 1 > depth[i] && depth[from] < n) {
                    depth[i] = depth[from] + 1;
                    changed = true;
                }
            }
        if (!changed) break;
    }
    QHash<int, int> used;
    QList<QPointF> out;
    for (int i = 0; i < n; ++i) {
        const int row = used[depth[i]]++;
        out.append(QPointF(depth[i] * (kNodeWidth + 60), row * (kNodeHeight + 28)));
    }
    return out;
}

// A schema without its defaults: what the parameter form is built from. Typing a value
// changes a default, and must not rebuild the form under the cursor.
QJsonObject schemaShape(const QJsonObject &schema)
{
    QJsonObject out;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        QJsonObject spec = it.value().toObject();
        spec.remove(QStringLiteral("default"));
        out.insert(it.key(), spec);
    }
    return out;
}

// A schema with its limits moved to the tooltip: the form accepts any value of the right
// type, and checkTemplate() says what is out of range, in the engine's words.
FormDefinition lenientForm(const QJsonObject &schema)
{
    FormDefinition form = FormDefinition::fromTaskParameters(schema);
    for (FieldDefinition &f : form.fields) {
        if (f.min || f.max)
            f.description = QObject::tr("%1 to %2 %3")
                                .arg(f.min ? QString::number(*f.min) : QStringLiteral("-∞"),
                                     f.max ? QString::number(*f.max) : QStringLiteral("∞"), f.unit)
                                .trimmed();
        f.min.reset();
        f.max.reset();
        f.required = false;
        f.defaultValue = schema.value(f.name).toObject().value(QLatin1StringView("default"));
    }
    return form;
}

} // namespace

WorkflowEditor::WorkflowEditor(LabModels *models, ConsoleSession *session,
                               ConsoleServices *services, QWidget *parent)
    : QMainWindow(parent, Qt::Window), m_models(models), m_session(session), m_services(services),
      m_doc(std::make_unique<EditorDocument>()), m_ui(std::make_unique<EditorWidgets>()),
      m_scene(new QGraphicsScene(this)), m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("workflowEditor"));
    setWindowTitle(tr("Workflow editor"));
    resize(1400, 860);
    m_doc->rest.insert(kName, tr("new-workflow"));
    buildUi();
    connect(m_session, &ConsoleSession::identityChanged, this, &WorkflowEditor::updateActions);
    // The fleet decides which device types are known; its rows come and go in bursts.
    auto *fleetChanged = new QTimer(this);
    fleetChanged->setSingleShot(true);
    fleetChanged->setInterval(300);
    connect(fleetChanged, &QTimer::timeout, this, [this] {
        refreshPalette();
        refresh();
    });
    QAbstractItemModel *fleet = m_models->devices();
    connect(fleet, &QAbstractItemModel::modelReset, fleetChanged, qOverload<>(&QTimer::start));
    connect(fleet, &QAbstractItemModel::rowsInserted, fleetChanged, qOverload<>(&QTimer::start));
    connect(fleet, &QAbstractItemModel::rowsRemoved, fleetChanged, qOverload<>(&QTimer::start));
    refreshPalette();
    refresh();
}

WorkflowEditor::~WorkflowEditor()
{
    // The scene outlives this body (a child QObject) and reports its items' removal; the
    // side panel those reports would refresh is gone by then.
    disconnect(m_scene, nullptr, this, nullptr);
}

WorkflowEditor *WorkflowEditor::showFor(QWidget *anchor, LabModels *models, ConsoleSession *session,
                                        ConsoleServices *services)
{
    QWidget *window = anchor->window();
    auto *editor = window->findChild<WorkflowEditor *>(QStringLiteral("workflowEditor"),
                                                       Qt::FindDirectChildrenOnly);
    if (!editor) editor = new WorkflowEditor(models, session, services, window);
    editor->show();
    editor->raise();
    editor->activateWindow();
    return editor;
}

void WorkflowEditor::buildUi()
{
    // --- palette ---
    auto *palette = new PaletteList(this);
    m_ui->palette = palette;
    palette->setObjectName(QStringLiteral("editorPalette"));
    palette->setAccessibleName(tr("Step types"));
    palette->setDragEnabled(true);
    palette->setDragDropMode(QAbstractItemView::DragOnly);
    palette->setToolTip(tr("Drag a device type or the operator prompt onto the canvas, or press "
                           "Enter to add a step"));
    connect(palette, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QRectF used = m_scene->itemsBoundingRect();
        const QPointF at =
            m_doc->steps.isEmpty() ? QPointF(0, 0) : QPointF(used.right() + 60, used.top());
        selectStep(item->data(kPromptRole).toBool()
                       ? addPromptStep(at)
                       : addStep(item->data(Qt::UserRole).toString(), at));
    });

    // --- canvas ---
    auto *view = new CanvasView(m_scene, this);
    m_ui->view = view;
    view->setObjectName(QStringLiteral("editorCanvas"));
    view->setAccessibleName(tr("Workflow canvas"));
    view->setAcceptDrops(true);
    view->setRenderHint(QPainter::Antialiasing);
    view->setDragMode(QGraphicsView::RubberBandDrag);
    view->setFocusPolicy(Qt::StrongFocus);
    view->onDrop = [this](const QString &type, const QPointF &pos) {
        selectStep(addStep(type, pos));
    };
    view->onDropPrompt = [this](const QPointF &pos) { selectStep(addPromptStep(pos)); };
    view->onNudge = [this](const QPointF &d) {
        const QList<int> steps = selectedSteps();
        edit(tr("Move steps"), QStringLiteral("nudge"), [&](EditorDocument &doc) {
            for (int s : steps)
                doc.steps[s].pos += d;
        });
    };
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        if (m_syncing) return;
        const QList<int> steps = selectedSteps();
        const int step = steps.size() == 1 ? steps.first() : -1;
        if (step != m_selected) {
            m_selected = step;
            refreshSidePanel(true);
        }
    });

    // --- side panel: template and step ---
    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    auto *templateForm = new QFormLayout;
    m_ui->templateName = new QLineEdit(side);
    m_ui->templateName->setObjectName(QStringLiteral("editorTemplateName"));
    m_ui->templateName->setMaxLength(100); // the run-time template name rule
    m_ui->templateName->setAccessibleName(tr("Template name"));
    templateForm->addRow(tr("&Template name:"), m_ui->templateName);
    sideLayout->addLayout(templateForm);
    connect(m_ui->templateName, &QLineEdit::textEdited, this,
            [this](const QString &text) { setTemplateName(text); });

    m_ui->stepBox = new QGroupBox(tr("Step"), side);
    auto *stepForm = new QFormLayout(m_ui->stepBox);
    m_ui->stepName = new QLineEdit(m_ui->stepBox);
    m_ui->stepName->setObjectName(QStringLiteral("editorStepName"));
    m_ui->stepName->setMaxLength(WorkflowTemplate::kMaxNameLength);
    m_ui->stepName->setAccessibleName(tr("Step name"));
    m_ui->deviceType = new QComboBox(m_ui->stepBox);
    m_ui->deviceType->setObjectName(QStringLiteral("editorDeviceType"));
    m_ui->deviceType->setEditable(true);
    m_ui->deviceType->lineEdit()->setMaxLength(WorkflowTemplate::kMaxNameLength);
    m_ui->deviceType->setAccessibleName(tr("Device type"));
    m_ui->device = new QComboBox(m_ui->stepBox);
    m_ui->device->setObjectName(QStringLiteral("editorDevice"));
    m_ui->device->setEditable(true);
    m_ui->device->lineEdit()->setMaxLength(WorkflowTemplate::kMaxNameLength);
    m_ui->device->lineEdit()->setPlaceholderText(tr("any of the type"));
    m_ui->device->setAccessibleName(tr("Device"));
    m_ui->device->setToolTip(tr("Pins the step to one device by its name (at most %1 "
                                "characters); empty: whichever device of the type is free first")
                                 .arg(WorkflowTemplate::kMaxNameLength));
    m_ui->command = new QLineEdit(m_ui->stepBox);
    m_ui->command->setObjectName(QStringLiteral("editorCommand"));
    m_ui->command->setMaxLength(WorkflowTemplate::kMaxNameLength);
    m_ui->command->setAccessibleName(tr("Command"));
    m_ui->duration = new QDoubleSpinBox(m_ui->stepBox);
    m_ui->duration->setObjectName(QStringLiteral("editorDuration"));
    m_ui->duration->setRange(0, 7 * 24 * 3600);
    m_ui->duration->setDecimals(1);
    m_ui->duration->setSuffix(tr(" s"));
    m_ui->duration->setAccessibleName(tr("Expected duration"));
    m_ui->dependsOn = new QListWidget(m_ui->stepBox);
    m_ui->dependsOn->setObjectName(QStringLiteral("editorDependsOn"));
    m_ui->dependsOn->setAccessibleName(tr("Runs after"));
    m_ui->dependsOn->setToolTip(tr("Tick the steps this step waits for (Space toggles)"));
    m_ui->dependsOn->setMaximumHeight(110);
    // --- an operator prompt's fields (a prompt step only) ---
    m_ui->promptMessage = new QLineEdit(m_ui->stepBox);
    m_ui->promptMessage->setObjectName(QStringLiteral("editorPromptMessage"));
    m_ui->promptMessage->setMaxLength(OperatorCommand::kMaxTextLength);
    m_ui->promptMessage->setAccessibleName(tr("Prompt message"));
    m_ui->promptMessage->setToolTip(
        tr("What the operator is asked; required, at most %1 characters")
            .arg(OperatorCommand::kMaxTextLength));
    m_ui->promptOptionsHost = new QWidget(m_ui->stepBox);
    m_ui->promptOptionsHost->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *optionsLayout = new QGridLayout(m_ui->promptOptionsHost);
    optionsLayout->setContentsMargins(0, 0, 0, 0);
    m_ui->promptOptions = new QListWidget(m_ui->promptOptionsHost);
    m_ui->promptOptions->setObjectName(QStringLiteral("editorPromptOptions"));
    m_ui->promptOptions->setAccessibleName(tr("Prompt answers"));
    m_ui->promptOptions->setToolTip(
        tr("The answers the operator chooses from; at least one, each 1 to %1 characters (F2 "
           "edits one)")
            .arg(OperatorCommand::kMaxTextLength));
    m_ui->promptOptions->setItemDelegate(
        new BoundedTextDelegate(OperatorCommand::kMaxTextLength, m_ui->promptOptions));
    m_ui->promptOptions->setEditTriggers(QAbstractItemView::DoubleClicked |
                                         QAbstractItemView::EditKeyPressed |
                                         QAbstractItemView::AnyKeyPressed);
    m_ui->promptOptions->setMaximumHeight(90);
    auto *addOption = new QPushButton(tr("Add ans&wer"), m_ui->promptOptionsHost);
    addOption->setObjectName(QStringLiteral("editorAddOption"));
    auto *removeOption = new QPushButton(tr("Remove answer"), m_ui->promptOptionsHost);
    removeOption->setObjectName(QStringLiteral("editorRemoveOption"));
    optionsLayout->addWidget(m_ui->promptOptions, 0, 0, 1, 2);
    optionsLayout->addWidget(addOption, 1, 0);
    optionsLayout->addWidget(removeOption, 1, 1);
    m_ui->promptTimeout = new QDoubleSpinBox(m_ui->stepBox);
    m_ui->promptTimeout->setObjectName(QStringLiteral("editorPromptTimeout"));
    m_ui->promptTimeout->setRange(-kMaxTimeoutS, kMaxTimeoutS);
    m_ui->promptTimeout->setDecimals(1);
    m_ui->promptTimeout->setSuffix(tr(" s"));
    m_ui->promptTimeout->setAccessibleName(tr("Prompt timeout"));
    m_ui->promptTimeout->setToolTip(
        tr("Unanswered for this long, the step fails; 0 waits for ever; at most %1 s (a day)")
            .arg(kMaxTimeoutS));

    // --- what the step holds besides its own device ---
    m_ui->resourcesHost = new QWidget(m_ui->stepBox);
    m_ui->resourcesHost->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *resourcesLayout = new QGridLayout(m_ui->resourcesHost);
    resourcesLayout->setContentsMargins(0, 0, 0, 0);
    m_ui->resources = new QTableWidget(0, 2, m_ui->resourcesHost);
    m_ui->resources->setObjectName(QStringLiteral("editorResources"));
    m_ui->resources->setAccessibleName(tr("Resources"));
    m_ui->resources->setToolTip(
        tr("Further devices (by type or by name) and exact sample positions the step holds "
           "while it runs, all granted together; each name at most %1 characters (F2 edits one)")
            .arg(WorkflowTemplate::kMaxNameLength));
    m_ui->resources->setHorizontalHeaderLabels({tr("Kind"), tr("Name")});
    m_ui->resources->verticalHeader()->hide();
    m_ui->resources->horizontalHeader()->setStretchLastSection(true);
    m_ui->resources->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_ui->resources->setSelectionMode(QAbstractItemView::SingleSelection);
    m_ui->resources->setTabKeyNavigation(false);
    m_ui->resources->setItemDelegate(
        new BoundedTextDelegate(WorkflowTemplate::kMaxNameLength, m_ui->resources));
    m_ui->resources->setMaximumHeight(110);
    m_ui->resourceKind = new QComboBox(m_ui->resourcesHost);
    m_ui->resourceKind->setObjectName(QStringLiteral("editorResourceKind"));
    m_ui->resourceKind->setAccessibleName(tr("Kind of resource to add"));
    for (const QString &kind : {QStringLiteral("type"), QStringLiteral("name"), kKindPosition})
        m_ui->resourceKind->addItem(resourceKindLabel(kind), kind);
    auto *addResource = new QPushButton(tr("Add res&ource"), m_ui->resourcesHost);
    addResource->setObjectName(QStringLiteral("editorAddResource"));
    auto *removeResource = new QPushButton(tr("Remove resource"), m_ui->resourcesHost);
    removeResource->setObjectName(QStringLiteral("editorRemoveResource"));
    resourcesLayout->addWidget(m_ui->resources, 0, 0, 1, 3);
    resourcesLayout->addWidget(m_ui->resourceKind, 1, 0);
    resourcesLayout->addWidget(addResource, 1, 1);
    resourcesLayout->addWidget(removeResource, 1, 2);
    m_ui->positionsUnderHost = new QWidget(m_ui->stepBox);
    auto *underLayout = new QHBoxLayout(m_ui->positionsUnderHost);
    underLayout->setContentsMargins(0, 0, 0, 0);
    m_ui->positionsParent = new QLineEdit(m_ui->positionsUnderHost);
    m_ui->positionsParent->setObjectName(QStringLiteral("editorPositionsParent"));
    m_ui->positionsParent->setMaxLength(WorkflowTemplate::kMaxNameLength);
    m_ui->positionsParent->setAccessibleName(tr("Positions under"));
    m_ui->positionsParent->setPlaceholderText(tr("parent, e.g. rack"));
    m_ui->positionsParent->setToolTip(
        tr("Any free positions under this parent (at most %1 characters); empty: none")
            .arg(WorkflowTemplate::kMaxNameLength));
    m_ui->positionsCount = new QSpinBox(m_ui->positionsUnderHost);
    m_ui->positionsCount->setObjectName(QStringLiteral("editorPositionsCount"));
    m_ui->positionsCount->setRange(0, 9999);
    m_ui->positionsCount->setValue(1);
    m_ui->positionsCount->setPrefix(tr("× "));
    m_ui->positionsCount->setAccessibleName(tr("Number of positions"));
    m_ui->positionsCount->setToolTip(tr("How many positions under the parent; at least 1"));
    underLayout->addWidget(m_ui->positionsParent, 1);
    underLayout->addWidget(m_ui->positionsCount);

    // --- a device step's command settings ---
    m_ui->timeout = new QDoubleSpinBox(m_ui->stepBox);
    m_ui->timeout->setObjectName(QStringLiteral("editorTimeout"));
    m_ui->timeout->setRange(-kMaxTimeoutS, kMaxTimeoutS);
    m_ui->timeout->setDecimals(1);
    m_ui->timeout->setSuffix(tr(" s"));
    m_ui->timeout->setAccessibleName(tr("Timeout"));
    m_ui->timeout->setToolTip(tr("How long the device may take before the step fails; 0: three "
                                 "times the expected duration plus 30 s; at most %1 s (a day)")
                                  .arg(kMaxTimeoutS));
    m_ui->cleanup = new QLineEdit(m_ui->stepBox);
    m_ui->cleanup->setObjectName(QStringLiteral("editorCleanup"));
    m_ui->cleanup->setMaxLength(WorkflowTemplate::kMaxNameLength);
    m_ui->cleanup->setAccessibleName(tr("Cleanup command"));
    m_ui->cleanup->setToolTip(tr("The command sent to the same device after the step is "
                                 "cancelled while running; empty: none; at most %1 characters")
                                  .arg(WorkflowTemplate::kMaxNameLength));
    m_ui->rerunSafe = new QCheckBox(tr("Re-run a&fter a restart"), m_ui->stepBox);
    m_ui->rerunSafe->setObjectName(QStringLiteral("editorRerunSafe"));
    m_ui->rerunSafe->setAccessibleName(tr("Re-run safe"));
    m_ui->rerunSafe->setToolTip(
        tr("Ticked: a step interrupted by a restart runs again. Unticked: an operator decides"));

    m_ui->schema = new QPlainTextEdit(m_ui->stepBox);
    m_ui->schema->setObjectName(QStringLiteral("editorSchema"));
    m_ui->schema->setAccessibleName(tr("Parameter schema (JSON)"));
    m_ui->schema->setMaximumHeight(90);
    m_ui->schema->setPlaceholderText(
        tr("{\"temperature_c\": {\"type\": \"number\", \"unit\": \"C\", \"min\": 100, \"max\": "
           "1500, \"default\": 900}}"));
    m_ui->applySchema = new QPushButton(tr("A&pply schema"), m_ui->stepBox);
    m_ui->applySchema->setObjectName(QStringLiteral("editorApplySchema"));
    m_ui->fixedParameters = new QPlainTextEdit(m_ui->stepBox);
    m_ui->fixedParameters->setObjectName(QStringLiteral("editorFixedParameters"));
    m_ui->fixedParameters->setAccessibleName(tr("Fixed parameters (JSON)"));
    m_ui->fixedParameters->setToolTip(
        tr("Parameters sent with every run of the step, whatever the submission says (a JSON "
           "object, at most %1 characters); submitted values come from the schema above")
            .arg(kMaxSchemaLength));
    m_ui->fixedParameters->setMaximumHeight(90);
    m_ui->fixedParameters->setPlaceholderText(tr("{\"mode\": \"scan\"}"));
    m_ui->applyFixedParameters = new QPushButton(tr("Apply fi&xed parameters"), m_ui->stepBox);
    m_ui->applyFixedParameters->setObjectName(QStringLiteral("editorApplyFixedParameters"));
    m_ui->formHost = new QWidget(m_ui->stepBox);
    m_ui->formLayout = new QVBoxLayout(m_ui->formHost);
    m_ui->formLayout->setContentsMargins(0, 0, 0, 0);
    m_ui->stepForm = stepForm;
    stepForm->addRow(tr("&Name:"), m_ui->stepName);
    stepForm->addRow(tr("&Device type:"), m_ui->deviceType);
    stepForm->addRow(tr("De&vice:"), m_ui->device);
    stepForm->addRow(tr("&Command:"), m_ui->command);
    stepForm->addRow(tr("D&uration:"), m_ui->duration);
    stepForm->addRow(tr("Runs &after:"), m_ui->dependsOn);
    stepForm->addRow(tr("&Message:"), m_ui->promptMessage);
    // The answers and the resources take the panel's whole width, their label above: beside
    // a label, their buttons would push the panel wider than it is.
    m_ui->promptOptionsLabel = new QLabel(tr("Answers:"), m_ui->stepBox);
    m_ui->promptOptionsLabel->setBuddy(m_ui->promptOptions);
    stepForm->addRow(m_ui->promptOptionsLabel);
    stepForm->addRow(m_ui->promptOptionsHost);
    stepForm->addRow(tr("Answer wit&hin:"), m_ui->promptTimeout);
    auto *resourcesLabel = new QLabel(tr("Resources:"), m_ui->stepBox);
    resourcesLabel->setBuddy(m_ui->resources);
    stepForm->addRow(resourcesLabel);
    stepForm->addRow(m_ui->resourcesHost);
    stepForm->addRow(tr("Positions und&er:"), m_ui->positionsUnderHost);
    stepForm->addRow(tr("T&imeout:"), m_ui->timeout);
    stepForm->addRow(tr("C&leanup:"), m_ui->cleanup);
    stepForm->addRow(QString(), m_ui->rerunSafe);
    stepForm->addRow(tr("Parameter &schema:"), m_ui->schema);
    stepForm->addRow(QString(), m_ui->applySchema);
    stepForm->addRow(tr("Fixed parameters:"), m_ui->fixedParameters);
    stepForm->addRow(QString(), m_ui->applyFixedParameters);
    stepForm->addRow(tr("Parameters:"), m_ui->formHost);
    // Tab follows the form from top to bottom, whatever order the fields were made in.
    const QList<QWidget *> order{
        m_ui->stepName,        m_ui->deviceType,      m_ui->device,
        m_ui->command,         m_ui->duration,        m_ui->dependsOn,
        m_ui->promptMessage,   m_ui->promptOptions,   addOption,
        removeOption,          m_ui->promptTimeout,   m_ui->resources,
        m_ui->resourceKind,    addResource,           removeResource,
        m_ui->positionsParent, m_ui->positionsCount,  m_ui->timeout,
        m_ui->cleanup,         m_ui->rerunSafe,       m_ui->schema,
        m_ui->applySchema,     m_ui->fixedParameters, m_ui->applyFixedParameters};
    for (int i = 1; i < order.size(); ++i)
        QWidget::setTabOrder(order[i - 1], order[i]);
    auto *stepScroll = new QScrollArea(side);
    stepScroll->setWidget(m_ui->stepBox);
    stepScroll->setWidgetResizable(true);
    stepScroll->setFrameShape(QFrame::NoFrame);
    sideLayout->addWidget(stepScroll, 1);

    connect(m_ui->stepName, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_selected >= 0) setStepField(m_selected, kName, text);
    });
    connect(m_ui->deviceType, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (!m_syncing && m_selected >= 0)
            setStepField(m_selected, QStringLiteral("device_type"), text);
    });
    connect(m_ui->device, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (!m_syncing && m_selected >= 0)
            setStepField(m_selected, QStringLiteral("device"),
                         text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : text);
    });
    connect(m_ui->command, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_selected >= 0) setStepField(m_selected, QStringLiteral("command"), text);
    });
    connect(m_ui->duration, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!m_syncing && m_selected >= 0)
            setStepField(m_selected, QStringLiteral("duration_s"), v);
    });
    connect(m_ui->dependsOn, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (m_syncing || m_selected < 0) return;
        const int from = item->data(Qt::UserRole).toInt();
        const bool checked = item->checkState() == Qt::Checked;
        // Later: the edit refills this list, which must not happen inside its own signal.
        QTimer::singleShot(0, this, [this, from, checked, to = m_selected] {
            if (checked)
                connectSteps(from, to);
            else
                disconnectSteps(from, to);
        });
    });
    // A JSON object typed into `edit`, or why not (in the status line); empty text is {}.
    const auto typedObject = [this](QPlainTextEdit *edit, const QString &what) {
        const QString text = edit->toPlainText();
        if (text.size() > kMaxSchemaLength) {
            setStatus(tr("%1: %2 characters; at most %3")
                          .arg(what)
                          .arg(text.size())
                          .arg(kMaxSchemaLength),
                      true);
            return std::optional<QJsonObject>();
        }
        QJsonParseError parse{};
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parse);
        if (!text.trimmed().isEmpty() && !doc.isObject()) {
            setStatus(tr("%1: not a JSON object (%2)")
                          .arg(what, parse.error ? parse.errorString() : tr("not an object")),
                      true);
            return std::optional<QJsonObject>();
        }
        return std::optional<QJsonObject>(doc.object());
    };
    connect(m_ui->applySchema, &QPushButton::clicked, this, [this, typedObject] {
        if (m_selected < 0) return;
        if (const auto schema = typedObject(m_ui->schema, tr("Parameter schema")))
            setStepField(m_selected, kSchema, *schema);
    });
    connect(m_ui->applyFixedParameters, &QPushButton::clicked, this, [this, typedObject] {
        if (m_selected < 0) return;
        if (const auto fixed = typedObject(m_ui->fixedParameters, tr("Fixed parameters")))
            setStepField(m_selected, kFixedParameters,
                         fixed->isEmpty() ? QJsonValue(QJsonValue::Undefined) : *fixed);
    });

    // The new fields: each keystroke is an edit, merged per field like the others. Zero
    // timeouts, an empty cleanup and a ticked re-run are the engine's defaults and leave the
    // key out, as the engine writes a template.
    connect(m_ui->timeout, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!m_syncing && m_selected >= 0)
            setStepField(m_selected, kTimeout, v == 0 ? QJsonValue(QJsonValue::Undefined) : v);
    });
    connect(m_ui->cleanup, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_selected >= 0) setStepField(m_selected, QStringLiteral("cleanup"), text);
    });
    connect(m_ui->rerunSafe, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_syncing && m_selected >= 0)
            setStepField(m_selected, QStringLiteral("rerun_safe"),
                         on ? QJsonValue(QJsonValue::Undefined) : false);
    });
    connect(m_ui->promptMessage, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_selected >= 0) setPromptField(m_selected, QStringLiteral("message"), text);
    });
    connect(m_ui->promptTimeout, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!m_syncing && m_selected >= 0)
            setPromptField(m_selected, kTimeout, v == 0 ? QJsonValue(QJsonValue::Undefined) : v);
    });
    connect(m_ui->promptOptions, &QListWidget::itemChanged, this, [this] {
        if (!m_syncing && m_selected >= 0) setPromptField(m_selected, kOptions, optionsFromList());
    });
    connect(addOption, &QPushButton::clicked, this, [this] {
        if (m_selected < 0) return;
        QJsonArray options = optionsFromList();
        options.append(tr("answer %1").arg(options.size() + 1));
        QJsonObject prompt = m_doc->steps[m_selected].json.value(kPrompt).toObject();
        prompt.insert(kOptions, options);
        changeStep(m_selected, kPrompt, prompt, {});
        editAdded(m_ui->promptOptions,
                  m_ui->promptOptions->model()->index(m_ui->promptOptions->count() - 1, 0));
    });
    connect(removeOption, &QPushButton::clicked, this, [this] {
        const int row = m_ui->promptOptions->currentRow();
        if (m_selected < 0 || row < 0) return;
        QJsonObject prompt = m_doc->steps[m_selected].json.value(kPrompt).toObject();
        prompt.insert(kOptions, optionsFromList(row));
        changeStep(m_selected, kPrompt, prompt, {});
    });
    connect(m_ui->resources, &QTableWidget::itemChanged, this, [this] {
        if (m_syncing || m_selected < 0) return;
        const QJsonObject now =
            resourcesFromTable(m_doc->steps[m_selected].json.value(kResources).toObject());
        setStepField(m_selected, kResources,
                     now.isEmpty() ? QJsonValue(QJsonValue::Undefined) : now);
    });
    connect(addResource, &QPushButton::clicked, this, [this] {
        if (m_selected < 0) return;
        const QString kind = m_ui->resourceKind->currentData().toString();
        QJsonObject resources = m_doc->steps[m_selected].json.value(kResources).toObject();
        const QString list =
            kind == kKindPosition ? QStringLiteral("positions") : QStringLiteral("devices");
        QJsonArray entries = resources.value(list).toArray();
        if (kind == kKindPosition)
            entries.append(QString());
        else
            entries.append(QJsonObject{{kind, QString()}});
        resources.insert(list, entries);
        changeStep(m_selected, kResources, resources, {});
        // The new row's name is ready to be typed. The table lists devices, then positions.
        const int row = kind == kKindPosition
                            ? int(resources.value(QStringLiteral("devices")).toArray().size() +
                                  entries.size() - 1)
                            : int(entries.size() - 1);
        editAdded(m_ui->resources, m_ui->resources->model()->index(row, 1));
    });
    connect(removeResource, &QPushButton::clicked, this, [this] {
        const int row = m_ui->resources->currentRow();
        if (m_selected < 0 || row < 0) return;
        const QJsonObject now =
            resourcesFromTable(m_doc->steps[m_selected].json.value(kResources).toObject(), row);
        changeStep(m_selected, kResources, now.isEmpty() ? QJsonValue(QJsonValue::Undefined) : now,
                   {});
    });
    auto positionsUnderEdited = [this](const QString &field) {
        if (m_syncing || m_selected < 0) return;
        QJsonObject resources = m_doc->steps[m_selected].json.value(kResources).toObject();
        const QString parent = m_ui->positionsParent->text();
        const int count = m_ui->positionsCount->value();
        // An empty parent with the count at rest asks for no positions at all.
        if (parent.isEmpty() && count == 1) {
            resources.remove(kPositionsUnder);
        } else {
            QJsonObject under = resources.value(kPositionsUnder).toObject();
            under.insert(QStringLiteral("parent"), parent);
            under.insert(QStringLiteral("count"), count);
            resources.insert(kPositionsUnder, under);
        }
        // The parent and the count are two fields, each its own edit.
        changeStep(m_selected, kResources,
                   resources.isEmpty() ? QJsonValue(QJsonValue::Undefined) : resources,
                   QStringLiteral("%1/resources.%2").arg(m_selected).arg(field));
    };
    connect(m_ui->positionsParent, &QLineEdit::textEdited, this,
            [positionsUnderEdited] { positionsUnderEdited(QStringLiteral("parent")); });
    connect(m_ui->positionsCount, &QSpinBox::valueChanged, this,
            [positionsUnderEdited] { positionsUnderEdited(QStringLiteral("count")); });

    // --- problems ---
    m_problemList = new QListWidget(this);
    m_problemList->setObjectName(QStringLiteral("editorProblems"));
    m_problemList->setAccessibleName(tr("Problems"));
    m_problemList->setWordWrap(true);
    connect(m_problemList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const int step = item->data(Qt::UserRole).toInt();
        if (step >= 0) selectStep(step);
    });
    connect(m_problemList, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item && item->data(Qt::UserRole).toInt() >= 0)
            m_ui->view->ensureVisible(
                m_scene->itemsBoundingRect().intersected(m_scene->sceneRect()), 0, 0);
    });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("editorStatus"));
    m_status->setWordWrap(true);

    auto *paletteBox = new QWidget(this);
    auto *paletteLayout = new QVBoxLayout(paletteBox);
    paletteLayout->setContentsMargins(0, 0, 0, 0);
    auto *paletteLabel = new QLabel(tr("Step t&ypes"), paletteBox);
    paletteLabel->setBuddy(palette);
    paletteLayout->addWidget(paletteLabel);
    paletteLayout->addWidget(palette);
    auto *problemsBox = new QWidget(this);
    auto *problemsLayout = new QVBoxLayout(problemsBox);
    problemsLayout->setContentsMargins(0, 0, 0, 0);
    auto *problemsLabel = new QLabel(tr("P&roblems"), problemsBox);
    problemsLabel->setBuddy(m_problemList);
    problemsLayout->addWidget(problemsLabel);
    problemsLayout->addWidget(m_problemList, 1);
    problemsLayout->addWidget(m_status);

    auto *centre = new QSplitter(Qt::Vertical, this);
    centre->addWidget(view);
    centre->addWidget(problemsBox);
    centre->setStretchFactor(0, 4);
    centre->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(paletteBox);
    split->addWidget(centre);
    split->addWidget(side);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 5);
    split->setStretchFactor(2, 2);
    split->setSizes({170, 800, 430});
    setCentralWidget(split);

    // --- actions ---
    QToolBar *bar = addToolBar(tr("Workflow editor"));
    bar->setObjectName(QStringLiteral("editorToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction *newAction = bar->addAction(tr("&New"), this, [this] {
        setDefinition({{kName, tr("new-workflow")}, {kTasks, QJsonArray{}}});
    });
    newAction->setShortcut(QKeySequence::New);
    QAction *open = bar->addAction(tr("&Open JSON…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open workflow template"), {},
                                         tr("Workflow templates (*.json);;All files (*)"));
        if (!path.isEmpty()) openJsonFile(path);
    });
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("editorOpen"));
    QAction *exportJson = bar->addAction(tr("&Export JSON…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export workflow template"),
                                                          m_doc->rest.value(kName).toString() +
                                                              QStringLiteral(".json"),
                                                          tr("Workflow templates (*.json)"));
        if (!path.isEmpty()) exportJsonFile(path);
    });
    exportJson->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    exportJson->setObjectName(QStringLiteral("editorExport"));
    m_save = bar->addAction(tr("&Save as template"), this, &WorkflowEditor::saveTemplate);
    m_save->setShortcut(QKeySequence::Save);
    m_save->setObjectName(QStringLiteral("editorSave"));
    bar->addSeparator();
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    undo->setObjectName(QStringLiteral("editorUndo"));
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setObjectName(QStringLiteral("editorRedo"));
    bar->addAction(undo);
    bar->addAction(redo);
    QAction *remove = bar->addAction(tr("&Delete"), this, [this] {
        // Selected arrows first (their indices stay valid), then the selected steps.
        QList<std::pair<int, int>> edges;
        for (QGraphicsItem *item : m_scene->selectedItems())
            if (auto *edge = dynamic_cast<EdgeItem *>(item)) edges.append({edge->from, edge->to});
        const QList<int> steps = selectedSteps();
        if (edges.isEmpty() && steps.isEmpty()) return;
        m_undo->beginMacro(tr("Delete"));
        for (const auto &[from, to] : std::as_const(edges))
            disconnectSteps(from, to);
        if (!steps.isEmpty()) removeSteps(steps);
        m_undo->endMacro();
    });
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    view->addAction(remove);
    remove->setObjectName(QStringLiteral("editorDelete"));
    QAction *layout = bar->addAction(tr("&Arrange"), this, [this] {
        edit(tr("Arrange"), {}, [](EditorDocument &doc) {
            const QList<QPointF> at = layeredPositions(doc);
            for (int i = 0; i < doc.steps.size(); ++i)
                doc.steps[i].pos = at[i];
        });
        fitCanvas();
    });
    layout->setObjectName(QStringLiteral("editorArrange"));
    layout->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    for (QAction *a : {newAction, open, exportJson, m_save, undo, redo, remove, layout})
        if (!a->shortcut().isEmpty())
            a->setToolTip(
                QStringLiteral("%1 (%2)").arg(a->text().remove(QLatin1Char('&')),
                                              a->shortcut().toString(QKeySequence::NativeText)));
    addAction(undo);
    addAction(redo);
    connect(m_undo, &QUndoStack::cleanChanged, this, &WorkflowEditor::updateActions);
    updateActions();
}

// ---------------------------------------------------------------------------------------
// The document and its edits

QJsonObject WorkflowEditor::definition() const
{
    return m_doc->toJson();
}

int WorkflowEditor::stepCount() const
{
    return int(m_doc->steps.size());
}

int WorkflowEditor::stepIndex(const QString &name) const
{
    for (int i = 0; i < m_doc->steps.size(); ++i)
        if (m_doc->name(i) == name) return i;
    return -1;
}

void WorkflowEditor::edit(const QString &text, const QString &mergeTag,
                          const std::function<void(EditorDocument &)> &change)
{
    EditorDocument after = *m_doc;
    change(after);
    if (after == *m_doc) return;
    m_undo->push(new EditorCommand(this, *m_doc, std::move(after), text, mergeTag));
}

void WorkflowEditor::apply(const EditorDocument &document)
{
    const bool sameSchema =
        m_ui->formStep == m_selected && m_selected >= 0 && m_selected < document.steps.size() &&
        schemaShape(document.steps[m_selected].json.value(kSchema).toObject()) == m_ui->formSchema;
    *m_doc = document;
    if (m_selected >= m_doc->steps.size()) m_selected = -1;
    refresh();
    refreshSidePanel(!sameSchema);
}

void WorkflowEditor::setDefinition(const QJsonObject &definition)
{
    edit(tr("Open template"), {}, [&](EditorDocument &doc) {
        doc = {};
        doc.rest = definition;
        doc.rest.remove(kTasks);
        for (const QJsonValue &v : definition.value(kTasks).toArray())
            doc.steps.append({v.toObject(), {}});
        const QList<QPointF> at = layeredPositions(doc);
        for (int i = 0; i < doc.steps.size(); ++i)
            doc.steps[i].pos = at[i];
    });
    m_selected = -1;
    refreshSidePanel(true);
    // After the window's layout has given the canvas its size.
    QTimer::singleShot(0, this, &WorkflowEditor::fitCanvas);
}

void WorkflowEditor::fitCanvas()
{
    // The whole template when it fits, never magnified and never so small that names
    // cannot be read: then it scrolls.
    const QRectF r = m_scene->itemsBoundingRect().adjusted(-20, -20, 20, 20);
    const QSize port = m_ui->view->viewport()->size();
    if (r.isEmpty() || port.width() < 10) return;
    const qreal scale =
        std::clamp(std::min(port.width() / r.width(), port.height() / r.height()), 0.5, 1.0);
    m_ui->view->setTransform(QTransform::fromScale(scale, scale));
    m_ui->view->centerOn(r.center());
}

int WorkflowEditor::addStep(const QString &deviceType, const QPointF &position)
{
    const QString type = deviceType.left(WorkflowTemplate::kMaxNameLength);
    const int index = int(m_doc->steps.size());
    edit(tr("Add step %1").arg(type), {}, [&](EditorDocument &doc) {
        // What a known template does with this device type is the best first guess.
        QJsonObject json = m_ui->presets.value(type);
        json.remove(kDependsOn);
        QString base = json.value(kName).toString(type);
        if (base.isEmpty()) base = QStringLiteral("step");
        QString name = base;
        for (int n = 2; stepIndex(name) >= 0; ++n)
            name = QStringLiteral("%1-%2").arg(base).arg(n);
        json.insert(kName, name);
        json.insert(QStringLiteral("device_type"), type);
        if (!json.contains(QStringLiteral("command")))
            json.insert(QStringLiteral("command"), QStringLiteral("run"));
        if (!json.contains(QStringLiteral("duration_s")))
            json.insert(QStringLiteral("duration_s"), 60);
        json.insert(kDependsOn, QJsonArray{});
        doc.steps.append({json, position});
    });
    return index;
}

int WorkflowEditor::addPromptStep(const QPointF &position)
{
    const int index = int(m_doc->steps.size());
    edit(tr("Add operator prompt"), {}, [&](EditorDocument &doc) {
        QString name = kPrompt;
        for (int n = 2; stepIndex(name) >= 0; ++n)
            name = QStringLiteral("%1-%2").arg(kPrompt).arg(n);
        // No message yet: the problem list asks for one, as the engine would.
        const QJsonObject json{{kName, name},
                               {kCommand, kPrompt},
                               {kPrompt, QJsonObject{{kOptions, QJsonArray{tr("done")}}}},
                               {kDependsOn, QJsonArray{}}};
        doc.steps.append({json, position});
    });
    return index;
}

void WorkflowEditor::removeSteps(const QList<int> &steps)
{
    edit(tr("Delete %n step(s)", nullptr, int(steps.size())), {}, [&](EditorDocument &doc) {
        QStringList names;
        for (int s : steps)
            if (s >= 0 && s < doc.steps.size()) names << doc.name(s);
        QList<int> sorted = steps;
        std::sort(sorted.begin(), sorted.end(), std::greater<int>());
        for (int s : std::as_const(sorted))
            if (s >= 0 && s < doc.steps.size()) doc.steps.removeAt(s);
        for (int i = 0; i < doc.steps.size(); ++i) {
            QStringList deps = doc.dependencies(i);
            deps.removeIf([&](const QString &d) { return names.contains(d); });
            doc.setDependencies(i, deps);
        }
    });
    m_selected = -1;
    refreshSidePanel(true);
}

bool WorkflowEditor::connectSteps(int from, int to)
{
    if (from < 0 || to < 0 || from >= stepCount() || to >= stepCount() || from == to) return false;
    const QString name = m_doc->name(from);
    if (m_doc->dependencies(to).contains(name)) return false;
    // A cycle is drawn like any arrow and then marked: the person sees what they did.
    edit(tr("Connect %1 → %2").arg(name, m_doc->name(to)), {},
         [&](EditorDocument &doc) { doc.setDependencies(to, doc.dependencies(to) << name); });
    return true;
}

void WorkflowEditor::disconnectSteps(int from, int to)
{
    if (from < 0 || to < 0 || from >= stepCount() || to >= stepCount()) return;
    const QString name = m_doc->name(from);
    edit(tr("Disconnect %1 → %2").arg(name, m_doc->name(to)), {}, [&](EditorDocument &doc) {
        QStringList deps = doc.dependencies(to);
        deps.removeAll(name);
        doc.setDependencies(to, deps);
    });
}

void WorkflowEditor::moveStep(int step, const QPointF &position)
{
    if (step < 0 || step >= stepCount()) return;
    edit(tr("Move %1").arg(m_doc->name(step)), {},
         [&](EditorDocument &doc) { doc.steps[step].pos = position; });
}

void WorkflowEditor::setStepField(int step, const QString &key, const QJsonValue &value)
{
    changeStep(step, key, value, QStringLiteral("%1/%2").arg(step).arg(key));
}

void WorkflowEditor::setPromptField(int step, const QString &key, const QJsonValue &value)
{
    if (step < 0 || step >= stepCount()) return;
    QJsonObject prompt = m_doc->steps[step].json.value(kPrompt).toObject();
    if (value.isUndefined())
        prompt.remove(key);
    else
        prompt.insert(key, value);
    changeStep(step, kPrompt, prompt.isEmpty() ? QJsonValue(QJsonValue::Undefined) : prompt,
               QStringLiteral("%1/prompt.%2").arg(step).arg(key));
}

void WorkflowEditor::changeStep(int step, const QString &key, const QJsonValue &value,
                                const QString &mergeTag)
{
    if (step < 0 || step >= stepCount()) return;
    const QString old = m_doc->name(step);
    edit(tr("Change %1 of %2").arg(key, old), mergeTag,
         [&](EditorDocument &doc) {
             QJsonObject &json = doc.steps[step].json;
             if (value.isUndefined() || (value.isString() && value.toString().isEmpty() &&
                                         key != kName && key != QStringLiteral("command")))
                 json.remove(key);
             else
                 json.insert(key, value);
             // A renamed step keeps its arrows: its dependents name it anew.
             if (key == kName)
                 for (int i = 0; i < doc.steps.size(); ++i) {
                     QStringList deps = doc.dependencies(i);
                     if (!deps.contains(old)) continue;
                     for (QString &d : deps)
                         if (d == old) d = value.toString();
                     doc.setDependencies(i, deps);
                 }
         });
}

void WorkflowEditor::setParameterDefault(int step, const QString &parameter,
                                         const QJsonValue &value)
{
    if (step < 0 || step >= stepCount()) return;
    edit(tr("Change %1 of %2").arg(parameter, m_doc->name(step)),
         QStringLiteral("%1/param/%2").arg(step).arg(parameter), [&](EditorDocument &doc) {
             QJsonObject schema = doc.steps[step].json.value(kSchema).toObject();
             QJsonObject spec = schema.value(parameter).toObject();
             if (value.isNull() || value.isUndefined())
                 spec.remove(QStringLiteral("default"));
             else
                 spec.insert(QStringLiteral("default"), value);
             schema.insert(parameter, spec);
             doc.steps[step].json.insert(kSchema, schema);
         });
}

void WorkflowEditor::setTemplateName(const QString &name)
{
    edit(tr("Rename template"), QStringLiteral("template/name"),
         [&](EditorDocument &doc) { doc.rest.insert(kName, name.left(100)); });
}

void WorkflowEditor::selectStep(int step)
{
    m_syncing = true;
    m_scene->clearSelection();
    for (QGraphicsItem *item : m_scene->items())
        if (auto *node = dynamic_cast<StepItem *>(item); node && node->index == step) {
            node->setSelected(true);
            m_ui->view->ensureVisible(node);
        }
    m_syncing = false;
    m_selected = step >= 0 && step < stepCount() ? step : -1;
    refreshSidePanel(true);
}

QList<int> WorkflowEditor::selectedSteps() const
{
    QList<int> out;
    for (QGraphicsItem *item : m_scene->selectedItems())
        if (auto *node = dynamic_cast<StepItem *>(item)) out << node->index;
    std::sort(out.begin(), out.end());
    return out;
}

// ---------------------------------------------------------------------------------------
// Checking and drawing

TemplateCheckContext WorkflowEditor::checkContext() const
{
    // The lab as this console sees it; the engine checks again against its own when saving.
    QSet<QString> types, names;
    for (const DeviceState &d : m_models->devices()->rows())
        if (d.status != DeviceStatus::Offline || !d.message.isEmpty()) {
            types.insert(d.type);
            names.insert(d.id);
        }
    // The names the engine reserves: what ships with alabos, read once.
    static const QSet<QString> shipped = [] {
        QSet<QString> names;
        for (const WorkflowTemplate &t : shippedTemplates())
            names.insert(t.name);
        return names;
    }();
    TemplateCheckContext context;
    context.runTime = true;
    context.isShipped = [](const QString &name) { return shipped.contains(name); };
    context.hasDeviceType = [types](const QString &type) { return types.contains(type); };
    context.hasDevice = [names](const QString &id) { return names.contains(id); };
    return context;
}

int WorkflowEditor::stepMark(int step) const
{
    int mark = 0;
    for (const TemplateProblem &p : m_problems)
        if (p.tasks.contains(step)) mark = std::max(mark, p.blocking ? 2 : 1);
    return mark;
}

int WorkflowEditor::edgeMark(int from, int to) const
{
    for (const TemplateProblem &p : m_problems)
        if (p.edges.contains(std::pair{from, to})) return p.blocking ? 2 : 1;
    return 0;
}

void WorkflowEditor::refresh()
{
    m_problems = checkTemplate(definition(), checkContext());
    rebuildScene();
    m_problemList->clear();
    const QIcon error = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    int blocking = 0;
    for (const TemplateProblem &p : std::as_const(m_problems)) {
        auto *item = new QListWidgetItem(p.blocking ? error : warning, p.message, m_problemList);
        item->setData(Qt::UserRole, p.task);
        item->setToolTip(p.message);
        blocking += p.blocking ? 1 : 0;
    }
    if (m_problems.isEmpty())
        new QListWidgetItem(tr("No problems: the template can be saved"), m_problemList);
    const QString name = m_doc->rest.value(kName).toString();
    setWindowTitle(tr("Workflow editor — %1 (%n step(s))", nullptr, stepCount()).arg(name) +
                   (m_undo->isClean() ? QString() : QStringLiteral(" *")));
    if (m_ui->templateName->text() != name) m_ui->templateName->setText(name);
    m_save->setToolTip(blocking > 0
                           ? tr("%n problem(s) must be fixed before saving", nullptr, blocking)
                           : tr("Save as a run-time template the lab can run (Ctrl+S)"));
}

void WorkflowEditor::rebuildScene()
{
    // Rebuilt whole after every edit: a few hundred items at most, and no item can get out
    // of step with the document. Deleting items is deferred past the event that may be
    // running inside one of them (a mouse release ends a drag, then an edit).
    m_syncing = true;
    const QList<QGraphicsItem *> old = m_scene->items();
    for (QGraphicsItem *item : old) {
        m_scene->removeItem(item);
        if (auto *object = dynamic_cast<QGraphicsObject *>(item))
            object->deleteLater();
        else
            delete item;
    }
    QList<StepItem *> nodes;
    QHash<QString, int> index;
    for (int i = 0; i < m_doc->steps.size(); ++i) {
        const EditorStep &s = m_doc->steps[i];
        auto *node = new StepItem(i);
        node->name = s.json.value(kName).toString();
        node->type = s.json.value(QStringLiteral("device_type")).toString();
        if (node->type.isEmpty()) node->type = s.json.value(QStringLiteral("device")).toString();
        if (node->type.isEmpty() && isPromptStep(s.json)) node->type = tr("operator");
        node->command = s.json.value(QStringLiteral("command")).toString();
        node->mark = stepMark(i);
        QStringList tips;
        for (const TemplateProblem &p : std::as_const(m_problems))
            if (p.tasks.contains(i)) tips << p.message;
        if (!tips.isEmpty())
            node->setToolTip(tips.join(QLatin1Char('\n')));
        else if (isPromptStep(s.json))
            node->setToolTip(tr("%1 asks an operator: %2")
                                 .arg(node->name, s.json.value(kPrompt)
                                                      .toObject()
                                                      .value(QLatin1StringView("message"))
                                                      .toString()));
        else
            node->setToolTip(tr("%1 on a %2, about %3 s")
                                 .arg(node->name, node->type)
                                 .arg(s.json.value(QStringLiteral("duration_s")).toDouble()));
        node->setPos(s.pos);
        node->onConnect = [this](int from, const QPointF &at) {
            int to = -1;
            for (QGraphicsItem *item : m_scene->items(at))
                if (auto *n = dynamic_cast<StepItem *>(item)) to = n->index;
            if (to >= 0 && to != from)
                QTimer::singleShot(0, this, [this, from, to] { connectSteps(from, to); });
        };
        node->onMoved = [this] {
            // Every selected step moved with the dragged one.
            QHash<int, QPointF> moved;
            for (QGraphicsItem *item : m_scene->selectedItems())
                if (auto *n = dynamic_cast<StepItem *>(item)) moved.insert(n->index, n->pos());
            QTimer::singleShot(0, this, [this, moved] {
                edit(tr("Move steps"), {}, [&](EditorDocument &doc) {
                    for (auto it = moved.cbegin(); it != moved.cend(); ++it)
                        if (it.key() < doc.steps.size()) doc.steps[it.key()].pos = it.value();
                });
            });
        };
        m_scene->addItem(node);
        node->setSelected(i == m_selected);
        nodes.append(node);
        if (!node->name.isEmpty() && !index.contains(node->name)) index.insert(node->name, i);
    }
    for (int to = 0; to < m_doc->steps.size(); ++to)
        for (const QString &dep : m_doc->dependencies(to)) {
            const int from = index.value(dep, -1);
            if (from < 0 || from == to) continue;
            auto *edge =
                new EdgeItem(from, to, nodes[from]->mapToScene(StepItem::outPort()),
                             nodes[to]->mapToScene(StepItem::inPort()), edgeMark(from, to));
            QStringList tips;
            for (const TemplateProblem &p : std::as_const(m_problems))
                if (p.edges.contains(std::pair{from, to})) tips << p.message;
            edge->setToolTip(tips.isEmpty() ? tr("%1 runs after %2").arg(nodes[to]->name, dep)
                                            : tips.join(QLatin1Char('\n')));
            m_scene->addItem(edge);
        }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-200, -200, 400, 300));
    m_syncing = false;
}

SchemaForm *WorkflowEditor::parameterForm() const
{
    return m_ui->form;
}

void WorkflowEditor::refreshSidePanel(bool rebuildForm)
{
    const int s = m_selected;
    const bool has = s >= 0 && s < stepCount();
    m_ui->stepBox->setEnabled(has);
    m_ui->stepBox->setTitle(has ? tr("Step %1").arg(m_doc->name(s)) : tr("Step (select one)"));
    m_syncing = true;
    const QJsonObject json = has ? m_doc->steps[s].json : QJsonObject{};
    auto setText = [](QLineEdit *edit, const QString &text) {
        if (edit->text() != text) edit->setText(text);
    };
    setText(m_ui->stepName, json.value(kName).toString());
    const QString type = json.value(QStringLiteral("device_type")).toString();
    if (m_ui->deviceType->currentText() != type) m_ui->deviceType->setCurrentText(type);
    setText(m_ui->command, json.value(QStringLiteral("command")).toString());
    m_ui->duration->setValue(json.value(QStringLiteral("duration_s")).toDouble());
    // An operator step sends no command to a device: the engine uses no command timeout,
    // cleanup, re-run rule or parameters there, so they are not offered (a file's are kept).
    const bool prompt = has && isPromptStep(json);
    m_ui->deviceType->lineEdit()->setPlaceholderText(prompt ? tr("none: the prompt holds no device")
                                                            : QString());
    const QList<QWidget *> commandRows{
        m_ui->device,  m_ui->timeout,     m_ui->cleanup,         m_ui->rerunSafe,
        m_ui->schema,  m_ui->applySchema, m_ui->fixedParameters, m_ui->applyFixedParameters,
        m_ui->formHost};
    const QList<QWidget *> promptRows{m_ui->promptMessage, m_ui->promptOptionsLabel,
                                      m_ui->promptOptionsHost, m_ui->promptTimeout};
    for (QWidget *w : commandRows)
        m_ui->stepForm->setRowVisible(w, !prompt);
    for (QWidget *w : promptRows)
        m_ui->stepForm->setRowVisible(w, prompt);
    // The devices of the step's type to choose from; any other name may be typed.
    const QString device = json.value(QStringLiteral("device")).toString();
    QStringList devices{QString()};
    for (const DeviceState &d : m_models->devices()->rows())
        if (d.type == type && !type.isEmpty()) devices << d.id;
    std::sort(devices.begin() + 1, devices.end());
    if (m_ui->deviceChoices != devices) {
        m_ui->deviceChoices = devices;
        m_ui->device->clear();
        m_ui->device->addItems(devices);
    }
    if (m_ui->device->currentText() != device) m_ui->device->setCurrentText(device);
    m_ui->timeout->setValue(json.value(kTimeout).toDouble(0));
    setText(m_ui->cleanup, json.value(QStringLiteral("cleanup")).toString());
    m_ui->rerunSafe->setChecked(json.value(QStringLiteral("rerun_safe")).toBool(true));
    refreshPrompt(json);
    refreshResources(json);
    // Refilled, keeping the row a keyboard user is on.
    const int row = m_ui->dependsOn->currentRow();
    m_ui->dependsOn->clear();
    if (has) {
        const QStringList deps = m_doc->dependencies(s);
        for (int i = 0; i < stepCount(); ++i) {
            if (i == s) continue;
            auto *item = new QListWidgetItem(m_doc->name(i), m_ui->dependsOn);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
            item->setCheckState(deps.contains(m_doc->name(i)) ? Qt::Checked : Qt::Unchecked);
            item->setData(Qt::UserRole, i);
        }
        if (!rebuildForm && row >= 0 && row < m_ui->dependsOn->count())
            m_ui->dependsOn->setCurrentRow(row);
    }
    const QJsonObject schema = json.value(kSchema).toObject();
    if (rebuildForm) {
        delete m_ui->form;
        m_ui->form = nullptr;
        m_ui->formStep = s;
        m_ui->formSchema = schemaShape(schema);
        if (has && !schema.isEmpty()) {
            m_ui->form = new SchemaForm(lenientForm(schema), m_ui->formHost);
            m_ui->form->setObjectName(QStringLiteral("editorParameters"));
            m_ui->formLayout->addWidget(m_ui->form);
            connect(m_ui->form, &SchemaForm::edited, this, [this](const QString &name) {
                if (m_syncing || m_selected < 0) return;
                const FormDefinition &def = m_ui->form->definition();
                const int f = def.indexOf(name);
                if (f < 0) return;
                QJsonValue value;
                const QString why = def.fields[f].parse(m_ui->form->text(name), &value);
                if (!why.isEmpty()) return m_ui->form->setFieldError(name, why);
                setParameterDefault(m_selected, name, value);
            });
        }
    }
    // A JSON object's text, unless the person is typing there.
    const auto showObject = [](QPlainTextEdit *edit, const QJsonObject &object) {
        if (edit->hasFocus()) return;
        const QString text =
            object.isEmpty()
                ? QString()
                : QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
        if (edit->toPlainText() != text) edit->setPlainText(text);
    };
    showObject(m_ui->schema, schema);
    showObject(m_ui->fixedParameters, json.value(kFixedParameters).toObject());
    // The document's values (an undo brings one back), and the engine's words for each
    // parameter under its field.
    if (m_ui->form && has) {
        for (const FieldDefinition &f : m_ui->form->definition().fields) {
            const QJsonValue want =
                schema.value(f.name).toObject().value(QLatin1StringView("default"));
            QJsonValue shown;
            if (!f.parse(m_ui->form->text(f.name), &shown).isEmpty() ||
                shown != (want.isUndefined() ? QJsonValue(QJsonValue::Null) : want))
                m_ui->form->setValues({{f.name, want.isUndefined() ? QJsonValue() : want}});
        }
        for (const FieldDefinition &f : m_ui->form->definition().fields) {
            QString message;
            for (const TemplateProblem &p : std::as_const(m_problems))
                if (p.kind == TemplateProblem::Kind::Parameter && p.task == s && p.detail == f.name)
                    message = p.message;
            m_ui->form->setFieldError(f.name, message);
        }
    }
    m_syncing = false;
}

void WorkflowEditor::refreshPrompt(const QJsonObject &step)
{
    const QJsonObject prompt = step.value(kPrompt).toObject();
    const QString message = prompt.value(QLatin1StringView("message")).toString();
    if (m_ui->promptMessage->text() != message) {
        m_ui->promptMessage->setText(message);
        m_ui->promptMessage->setCursorPosition(0); // a long message shown from its start
    }
    m_ui->promptTimeout->setValue(prompt.value(kTimeout).toDouble(0));
    // Refilled only when the document says otherwise, never under an answer being typed.
    const QJsonArray options = prompt.value(kOptions).toArray();
    if (optionsFromList() == options) return;
    const int row = m_ui->promptOptions->currentRow();
    m_ui->promptOptions->clear();
    for (const QJsonValue &v : options) {
        auto *item = new QListWidgetItem(v.toVariant().toString(), m_ui->promptOptions);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable);
    }
    if (row >= 0) m_ui->promptOptions->setCurrentRow(std::min(row, int(options.size()) - 1));
}

QJsonArray WorkflowEditor::optionsFromList(int skipRow) const
{
    QJsonArray out;
    for (int i = 0; i < m_ui->promptOptions->count(); ++i)
        if (i != skipRow) out.append(m_ui->promptOptions->item(i)->text());
    return out;
}

void WorkflowEditor::refreshResources(const QJsonObject &step)
{
    const QJsonObject resources = step.value(kResources).toObject();
    const QJsonObject under = resources.value(kPositionsUnder).toObject();
    const QString parent = under.value(QLatin1StringView("parent")).toString();
    if (m_ui->positionsParent->text() != parent) m_ui->positionsParent->setText(parent);
    m_ui->positionsCount->setValue(
        resources.contains(kPositionsUnder) ? under.value(QLatin1StringView("count")).toInt(0) : 1);
    // Refilled only when the document says otherwise, never under a name being typed.
    if (resourcesFromTable(resources) == resources) return;
    QTableWidget *table = m_ui->resources;
    const int row = table->currentRow();
    table->setRowCount(0);
    auto addRow = [table](const QString &kind, const QString &name, const QJsonObject &entry) {
        const int r = table->rowCount();
        table->insertRow(r);
        auto *kindItem = new QTableWidgetItem(resourceKindLabel(kind));
        kindItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        kindItem->setData(Qt::UserRole, kind);
        kindItem->setData(kEntryRole, entry);
        table->setItem(r, 0, kindItem);
        auto *nameItem = new QTableWidgetItem(name);
        nameItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable);
        table->setItem(r, 1, nameItem);
    };
    for (const QJsonValue &d : resources.value(QLatin1StringView("devices")).toArray()) {
        const QJsonObject entry = d.toObject();
        // The engine asks for the named device when a name is given, otherwise for a type.
        const QString name = entry.value(kName).toString();
        const QString kind =
            !name.isEmpty() || (entry.contains(kName) && !entry.contains(QStringLiteral("type")))
                ? kName
                : QStringLiteral("type");
        addRow(kind, entry.value(kind).toVariant().toString(), entry);
    }
    for (const QJsonValue &p : resources.value(QLatin1StringView("positions")).toArray())
        addRow(kKindPosition, p.toVariant().toString(), {});
    if (row >= 0 && row < table->rowCount()) table->setCurrentCell(row, 1);
}

QJsonObject WorkflowEditor::resourcesFromTable(QJsonObject resources, int skipRow) const
{
    QJsonArray devices, positions;
    for (int r = 0; r < m_ui->resources->rowCount(); ++r) {
        const QTableWidgetItem *kindItem = m_ui->resources->item(r, 0);
        const QTableWidgetItem *nameItem = m_ui->resources->item(r, 1);
        if (r == skipRow || !kindItem || !nameItem) continue;
        const QString kind = kindItem->data(Qt::UserRole).toString();
        if (kind == kKindPosition) {
            positions.append(nameItem->text());
            continue;
        }
        QJsonObject entry = kindItem->data(kEntryRole).toJsonObject();
        entry.insert(kind, nameItem->text());
        devices.append(entry);
    }
    for (const auto &[key, list] : {std::pair{QStringLiteral("devices"), devices},
                                    std::pair{QStringLiteral("positions"), positions}})
        if (list.isEmpty())
            resources.remove(key);
        else
            resources.insert(key, list);
    return resources;
}

void WorkflowEditor::refreshPalette()
{
    // The lab's device types, and those the known templates use with a step to copy from.
    QHash<QString, int> counts;
    for (const DeviceState &d : m_models->devices()->rows())
        if (d.status != DeviceStatus::Offline || !d.message.isEmpty()) ++counts[d.type];
    m_ui->presets.clear();
    const QList<WorkflowTemplate> templates = m_services && m_services->workflowTemplates
                                                  ? m_services->workflowTemplates()
                                                  : QList<WorkflowTemplate>{};
    for (const WorkflowTemplate &t : templates) {
        const QJsonArray tasks = t.toJson().value(kTasks).toArray();
        for (const QJsonValue &v : tasks) {
            const QString type = v.toObject().value(QStringLiteral("device_type")).toString();
            if (!type.isEmpty() && !m_ui->presets.contains(type))
                m_ui->presets.insert(type, v.toObject());
        }
    }
    QStringList types = counts.keys();
    for (auto it = m_ui->presets.cbegin(); it != m_ui->presets.cend(); ++it)
        if (!counts.contains(it.key())) types << it.key();
    types.sort();
    m_ui->palette->clear();
    auto *prompt = new QListWidgetItem(tr("Operator prompt"), m_ui->palette);
    prompt->setData(kPromptRole, true);
    prompt->setToolTip(tr("A step that asks an operator and waits for one of its answers"));
    const QString current = m_ui->deviceType->currentText();
    m_syncing = true;
    m_ui->deviceType->clear();
    for (const QString &type : std::as_const(types)) {
        const int n = counts.value(type);
        auto *item = new QListWidgetItem(n > 0 ? tr("%1 (%2)").arg(type).arg(n)
                                               : tr("%1 (none in this lab)").arg(type),
                                         m_ui->palette);
        item->setData(Qt::UserRole, type);
        item->setToolTip(n > 0 ? tr("%n device(s) of this type", nullptr, n)
                               : tr("No device of this type is configured; a step needing one "
                                    "cannot be saved"));
        if (n == 0) item->setForeground(QColor(0x9e, 0x9e, 0x9e));
        m_ui->deviceType->addItem(type);
    }
    m_ui->deviceType->setCurrentText(current);
    m_syncing = false;
}

void WorkflowEditor::updateActions()
{
    const bool allowed = m_session->can(permission::WorkflowTemplates);
    m_save->setEnabled(allowed && !m_saving);
    if (!allowed)
        m_save->setToolTip(m_session->isLoggedIn()
                               ? tr("Your role (%1) may not add workflow templates")
                                     .arg(toString(m_session->role()))
                               : tr("Log in to add workflow templates"));
}

void WorkflowEditor::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: %1;").arg(kRed.name())
                                  : QStringLiteral("color: %1;").arg(kGreen.name()));
}

// ---------------------------------------------------------------------------------------
// Files and saving

bool WorkflowEditor::openJsonFile(const QString &path)
{
    const QString file = QFileInfo(path).fileName();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        setStatus(tr("Cannot read %1: %2").arg(path, f.errorString()), true);
        return false;
    }
    if (f.size() > kMaxFileBytes) {
        setStatus(tr("%1 is %2 MB; a workflow template is a few kilobytes")
                      .arg(file)
                      .arg(f.size() / (1024 * 1024)),
                  true);
        return false;
    }
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError) {
        setStatus(tr("%1 is not valid JSON: %2 at byte %3")
                      .arg(file, parse.errorString())
                      .arg(parse.offset),
                  true);
        return false;
    }
    if (!doc.isObject()) {
        setStatus(
            tr("%1: a workflow template is a JSON object with \"name\" and \"tasks\"").arg(file),
            true);
        return false;
    }
    setDefinition(doc.object());
    setStatus(tr("Opened %1").arg(file), false);
    return true;
}

bool WorkflowEditor::exportJsonFile(const QString &path)
{
    QFile f(path);
    const QByteArray bytes = QJsonDocument(definition()).toJson(QJsonDocument::Indented);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        setStatus(tr("Cannot write %1: %2").arg(path, f.errorString()), true);
        return false;
    }
    setStatus(tr("Exported to %1").arg(path), false);
    return true;
}

bool WorkflowEditor::saveTemplate()
{
    if (m_saving) return false;
    int blocking = 0;
    for (const TemplateProblem &p : std::as_const(m_problems))
        blocking += p.blocking ? 1 : 0;
    if (blocking > 0) {
        setStatus(tr("Not saved: fix the %n problem(s) marked in red first", nullptr, blocking),
                  true);
        return false;
    }
    const QJsonObject json = definition();
    const QString name = json.value(kName).toString();
    m_saving = true;
    updateActions();
    setStatus(tr("Saving %1…").arg(name), false);
    const qint64 id = saveWorkflowTemplate(m_session, json, [this, name](const CommandReply &r) {
        m_saving = false;
        updateActions();
        if (!r.ok) {
            setStatus(tr("Refused: %1").arg(r.message), true);
            return;
        }
        m_undo->setClean();
        setStatus(r.message, false);
        qCInfo(lcUi) << "workflow editor saved template" << name;
        Q_EMIT saved(name);
    });
    if (id == 0) {
        m_saving = false;
        updateActions();
        setStatus(tr("Not saved: your role may not add workflow templates"), true);
        return false;
    }
    return true;
}

} // namespace alabos
