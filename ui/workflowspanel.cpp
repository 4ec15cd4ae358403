#include "ui/workflowspanel.h"

#include "core/domain/commands.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/schemaform.h"
#include "ui/tableview.h"
#include "ui/workfloweditor.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QStyleOptionProgressBar>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace alabos {

ProgressBarDelegate::ProgressBarDelegate(ValueFn value, QObject *parent)
    : QStyledItemDelegate(parent), m_value(std::move(value))
{
}

void ProgressBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    const int value = m_value(index);
    if (value < 0) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem base = option;
    initStyleOption(&base, index);
    base.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &base, painter, base.widget);
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = value;
    bar.text = index.data().toString();
    if (bar.text.isEmpty()) bar.text = QStringLiteral("%1%").arg(value);
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter, base.widget);
}

void drawWorkflowTemplate(QGraphicsScene *scene, const WorkflowTemplate &workflow)
{
    scene->clear();
    // Depth = longest chain of dependencies before a step; steps of one depth share a column.
    QHash<QString, int> depth;
    QHash<QString, int> indexOf;
    for (int i = 0; i < workflow.tasks.size(); ++i)
        indexOf.insert(workflow.tasks[i].name, i);
    for (int i : workflow.topologicalOrder()) {
        const TaskTemplate &t = workflow.tasks[i];
        int d = 0;
        for (const QString &dep : t.dependsOn)
            d = std::max(d, depth.value(dep) + 1);
        depth.insert(t.name, d);
    }
    QMap<int, QStringList> layers;
    for (const TaskTemplate &t : workflow.tasks)
        layers[depth.value(t.name)].append(t.name);
    constexpr qreal kWidth = 132, kHeight = 50, kGapX = 40, kGapY = 22;
    int tallest = 0;
    for (const QStringList &l : layers)
        tallest = std::max(tallest, int(l.size()));
    QFont bold = QApplication::font();
    bold.setBold(true);
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    QHash<QString, QRectF> boxes;
    for (auto it = layers.cbegin(); it != layers.cend(); ++it) {
        const qreal x = it.key() * (kWidth + kGapX);
        const qreal top = (tallest - it->size()) * (kHeight + kGapY) / 2;
        for (int j = 0; j < it->size(); ++j) {
            const TaskTemplate &t = workflow.tasks[indexOf.value(it->at(j))];
            const QRectF r(x, top + j * (kHeight + kGapY), kWidth, kHeight);
            boxes.insert(t.name, r);
            QPainterPath path;
            path.addRoundedRect(r, 6, 6);
            auto *box =
                scene->addPath(path, QPen(QColor(0x45, 0x5a, 0x64), 1.2), QColor(0xe3, 0xf2, 0xfd));
            box->setToolTip(
                QObject::tr("%1 on a %2, about %3 s").arg(t.name, t.deviceType).arg(t.durationS));
            auto *name = scene->addSimpleText(t.name, bold);
            name->setBrush(QColor(0x10, 0x20, 0x27)); // on the node's light fill, in every theme
            name->setPos(r.center().x() - name->boundingRect().width() / 2, r.top() + 7);
            auto *type = scene->addSimpleText(t.deviceType, small);
            type->setBrush(QColor(0x55, 0x65, 0x6d));
            type->setPos(r.center().x() - type->boundingRect().width() / 2, r.top() + 27);
        }
    }
    const QPen edgePen(QColor(0x60, 0x7d, 0x8b), 1.4);
    for (const TaskTemplate &t : workflow.tasks) {
        for (const QString &dep : t.dependsOn) {
            const QRectF from = boxes.value(dep), to = boxes.value(t.name);
            const QPointF a(from.right(), from.center().y()), b(to.left(), to.center().y());
            scene->addLine(QLineF(a, b), edgePen);
            const double angle = std::atan2(b.y() - a.y(), b.x() - a.x());
            QPolygonF head;
            head << b << b - QPointF(std::cos(angle - 0.4) * 9, std::sin(angle - 0.4) * 9)
                 << b - QPointF(std::cos(angle + 0.4) * 9, std::sin(angle + 0.4) * 9);
            scene->addPolygon(head, edgePen, edgePen.color());
        }
    }
    scene->setSceneRect(scene->itemsBoundingRect().adjusted(-12, -12, 12, 12));
}

namespace {
// Shows the whole DAG when it fits, never magnified past 1:1 (text stays crisp), and
// scrolls when the panel is too small for it to stay readable.
class DagView : public QGraphicsView
{
public:
    using QGraphicsView::QGraphicsView;
    void refit()
    {
        const QRectF r = sceneRect();
        if (r.isEmpty() || viewport()->width() < 10) return;
        const qreal scale = std::clamp(
            std::min(viewport()->width() / r.width(), viewport()->height() / r.height()), 0.6, 1.0);
        setTransform(QTransform::fromScale(scale, scale));
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QGraphicsView::resizeEvent(event);
        refit();
    }
};
} // namespace

WorkflowsPanel::WorkflowsPanel(LabModels *models, ConsoleSession *session,
                               ConsoleServices *services, QWidget *parent)
    : QWidget(parent), m_models(models), m_session(session), m_services(services),
      m_templates(new QListWidget(this)), m_scene(new QGraphicsScene(this)),
      m_dag(new DagView(m_scene, this)), m_barcodes(new QPlainTextEdit(this)),
      m_addSelected(new QPushButton(tr("Add selected samples"), this)),
      m_priority(new QComboBox(this)), m_formsHost(new QWidget(this)),
      m_formsLayout(new QVBoxLayout(m_formsHost)),
      m_submit(new QPushButton(tr("Submit workflow"), this)),
      m_import(new QPushButton(tr("Import template…"), this)),
      m_edit(new QPushButton(tr("Edit…"), this)), m_status(new QLabel(this)),
      m_workflows(makeTableView(new NaturalSortProxy(this), this))
{
    m_templates->setObjectName(QStringLiteral("workflowTemplates"));
    m_templates->setAccessibleName(tr("Workflow templates"));
    m_dag->setObjectName(QStringLiteral("workflowDag"));
    m_dag->setRenderHint(QPainter::Antialiasing);
    m_dag->setAlignment(Qt::AlignCenter);
    m_dag->setMinimumSize(320, 140);
    m_templates->setMinimumWidth(150);
    m_barcodes->setObjectName(QStringLiteral("workflowBarcodes"));
    m_barcodes->setAccessibleName(tr("Sample barcodes"));
    m_barcodes->setPlaceholderText(tr("Barcodes, one per line (or separated by commas)"));
    m_barcodes->setMaximumHeight(90);
    m_priority->setObjectName(QStringLiteral("workflowPriority"));
    m_priority->setAccessibleName(tr("Priority"));
    m_priority->addItem(tr("Low (25)"), 25);
    m_priority->addItem(tr("Normal (50)"), 50);
    m_priority->addItem(tr("High (75)"), 75);
    m_priority->addItem(tr("Urgent (100)"), 100);
    m_priority->setCurrentIndex(1);
    m_submit->setObjectName(QStringLiteral("submitWorkflow"));
    m_import->setObjectName(QStringLiteral("importTemplate"));
    m_edit->setObjectName(QStringLiteral("editTemplate"));
    m_edit->setToolTip(tr("Open the selected template in the workflow editor"));
    m_status->setObjectName(QStringLiteral("workflowStatus"));
    m_status->setWordWrap(true);
    m_formsLayout->setContentsMargins(0, 0, 0, 0);
    m_addSelected->setEnabled(false);

    auto *proxy = static_cast<NaturalSortProxy *>(m_workflows->model());
    proxy->setSourceModel(models->workflows());
    m_workflows->setObjectName(QStringLiteral("workflowTable"));
    m_workflows->setAccessibleName(tr("Workflows"));
    m_workflows->sortByColumn(WorkflowTableModel::Id, Qt::DescendingOrder);
    m_workflows->setColumnWidth(WorkflowTableModel::Progress, 200);
    m_workflows->setColumnWidth(WorkflowTableModel::Created, 150);
    m_workflows->setItemDelegateForColumn(
        WorkflowTableModel::Progress,
        new ProgressBarDelegate(
            [](const QModelIndex &index) {
                return index.data(WorkflowTableModel::ProgressRole).toInt();
            },
            m_workflows));

    connect(m_templates, &QListWidget::currentRowChanged, this, &WorkflowsPanel::selectTemplate);
    connect(m_addSelected, &QPushButton::clicked, this, [this] {
        QStringList have = barcodeList();
        for (const QString &b : m_selectedSamples())
            if (!have.contains(b)) have << b;
        m_barcodes->setPlainText(have.join(QLatin1Char('\n')));
    });
    connect(m_submit, &QPushButton::clicked, this, &WorkflowsPanel::submit);
    connect(m_import, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import workflow template"), {},
                                         tr("Workflow templates (*.json);;All files (*)"));
        if (!path.isEmpty()) importTemplateFile(path);
    });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        const int row = m_templates->currentRow();
        if (row >= 0 && row < m_list.size()) openInEditor(m_list[row].toJson());
    });
    connect(session, &ConsoleSession::identityChanged, this, &WorkflowsPanel::updateActions);
    // A template saved from anywhere in this console (the editor too) is listed at once.
    connect(session, &ConsoleSession::replied, this, [this](const CommandReply &reply) {
        if (!reply.ok || !reply.data.contains(QLatin1StringView("template")) ||
            reply.data.contains(QLatin1StringView("workflow_id")))
            return;
        const QString name = reply.data.value(QLatin1StringView("template")).toString();
        // The line below the list says what the last action did; a reload must not wipe it.
        const QString status = m_status->text(), style = m_status->styleSheet();
        reloadTemplates();
        for (int row = 0; row < m_list.size(); ++row)
            if (m_list[row].name == name) m_templates->setCurrentRow(row);
        m_status->setText(status);
        m_status->setStyleSheet(style);
    });

    auto *formsScroll = new QScrollArea(this);
    formsScroll->setWidget(m_formsHost);
    formsScroll->setWidgetResizable(true);
    formsScroll->setFrameShape(QFrame::NoFrame);

    auto *submission = new QWidget(this);
    auto *sub = new QVBoxLayout(submission);
    sub->setContentsMargins(0, 0, 0, 0);
    auto *samplesRow = new QHBoxLayout;
    samplesRow->addWidget(new QLabel(tr("Samples:"), this));
    samplesRow->addStretch(1);
    samplesRow->addWidget(m_addSelected);
    sub->addLayout(samplesRow);
    sub->addWidget(m_barcodes);
    auto *priorityRow = new QFormLayout;
    priorityRow->addRow(tr("Priority:"), m_priority);
    sub->addLayout(priorityRow);
    sub->addWidget(formsScroll, 1);
    auto *submitRow = new QHBoxLayout;
    submitRow->addWidget(m_status, 1);
    submitRow->addWidget(m_submit);
    sub->addLayout(submitRow);

    auto *templatesColumn = new QWidget(this);
    auto *templatesLayout = new QVBoxLayout(templatesColumn);
    templatesLayout->setContentsMargins(0, 0, 0, 0);
    templatesLayout->addWidget(m_templates, 1);
    auto *templateButtons = new QHBoxLayout;
    templateButtons->addWidget(m_import);
    templateButtons->addWidget(m_edit);
    templatesLayout->addLayout(templateButtons);
    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(templatesColumn);
    top->addWidget(m_dag);
    top->addWidget(submission);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 4);
    top->setStretchFactor(2, 2);
    top->setSizes({160, 700, 360});
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_workflows);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
    reloadTemplates();
    updateActions();
}

void WorkflowsPanel::setSelectedSamplesProvider(std::function<QStringList()> provider)
{
    m_selectedSamples = std::move(provider);
    m_addSelected->setEnabled(bool(m_selectedSamples));
}

void WorkflowsPanel::reloadTemplates()
{
    m_list = m_services && m_services->workflowTemplates ? m_services->workflowTemplates()
                                                         : QList<WorkflowTemplate>{};
    m_templates->clear();
    for (const WorkflowTemplate &t : std::as_const(m_list))
        m_templates->addItem(tr("%1 (%n step(s))", nullptr, int(t.tasks.size())).arg(t.name));
    if (m_list.isEmpty()) {
        m_scene->clear();
        m_status->setText(
            tr("No workflow templates: this console is not attached to a lab engine"));
    } else {
        m_templates->setCurrentRow(0);
        m_status->clear();
    }
    updateActions();
}

void WorkflowsPanel::selectTemplate(int row)
{
    qDeleteAll(m_forms);
    m_forms.clear();
    while (QLayoutItem *item = m_formsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (row < 0 || row >= m_list.size()) {
        m_scene->clear();
        return;
    }
    const WorkflowTemplate &t = m_list[row];
    drawWorkflowTemplate(m_scene, t);
    static_cast<DagView *>(m_dag)->refit();
    // One form per step whose parameter schema lets a submission set something, filled with
    // the schema's defaults; fixed parameters are the template's, not the submitter's.
    for (const TaskTemplate &task : t.tasks) {
        const FormDefinition definition = FormDefinition::fromTaskParameters(task.schemaJson());
        if (definition.fields.isEmpty()) continue;
        auto *box = new QGroupBox(tr("%1 — %2").arg(task.name, task.deviceType), m_formsHost);
        auto *boxLayout = new QVBoxLayout(box);
        auto *form = new SchemaForm(definition, box);
        form->setObjectName(task.name);
        boxLayout->addWidget(form);
        m_formsLayout->addWidget(box);
        m_forms.append(form);
    }
    if (m_forms.isEmpty())
        m_formsLayout->addWidget(
            new QLabel(tr("This template's steps take no parameters."), m_formsHost));
    m_formsLayout->addStretch(1);
    m_status->clear();
}

void WorkflowsPanel::updateActions()
{
    const bool allowed = m_session->can(permission::WorkflowSubmit);
    m_submit->setEnabled(allowed && !m_sending && !m_list.isEmpty());
    m_submit->setToolTip(
        allowed ? tr("Start the selected template for these samples")
        : m_session->isLoggedIn()
            ? tr("Your role (%1) may not submit workflows").arg(toString(m_session->role()))
            : tr("Log in to submit workflows"));
    const bool mayImport = m_session->can(permission::WorkflowTemplates);
    m_import->setEnabled(mayImport && !m_importing);
    m_edit->setEnabled(!m_list.isEmpty());
    m_import->setToolTip(
        mayImport ? tr("Add a workflow template from a JSON file; the lab can run it at once")
        : m_session->isLoggedIn()
            ? tr("Your role (%1) may not add workflow templates").arg(toString(m_session->role()))
            : tr("Log in to add workflow templates"));
}

void WorkflowsPanel::showImportError(const QString &message)
{
    // Not modal-blocking (open, not exec): the console keeps updating behind it.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Template not imported"), message,
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("templateImportError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void WorkflowsPanel::importTemplateFile(const QString &path)
{
    if (m_importing || !m_session->can(permission::WorkflowTemplates)) return;
    const QString file = QFileInfo(path).fileName();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return showImportError(tr("Cannot read %1: %2").arg(path, f.errorString()));
    // A template is a few kilobytes; anything far bigger is the wrong file.
    if (f.size() > 4 * 1024 * 1024)
        return showImportError(tr("%1 is %2 MB; a workflow template is a few kilobytes")
                                   .arg(file)
                                   .arg(f.size() / (1024 * 1024)));
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError)
        return showImportError(tr("%1 is not valid JSON: %2 at byte %3")
                                   .arg(file, parse.errorString())
                                   .arg(parse.offset));
    if (!doc.isObject())
        return showImportError(
            tr("%1: a workflow template is a JSON object with \"name\" and \"tasks\"").arg(file));
    // The engine validates (the same rules as the shipped templates, plus the lab's devices).
    const QString name = doc.object().value(QLatin1StringView("name")).toString();
    m_importing = true;
    updateActions();
    m_status->setText(tr("Importing %1…").arg(file));
    m_status->setStyleSheet({});
    const QJsonObject definition = doc.object();
    saveWorkflowTemplate(m_session, definition,
                         [this, file, name, definition](const CommandReply &reply) {
                             m_importing = false;
                             updateActions();
                             // An imported template opens in the editor: refused, it shows what to
                             // fix there.
                             openInEditor(definition);
                             if (!reply.ok) {
                                 m_status->clear();
                                 showImportError(tr("%1: %2").arg(file, reply.message));
                                 return;
                             }
                             reloadTemplates();
                             for (int row = 0; row < m_list.size(); ++row)
                                 if (m_list[row].name == name) m_templates->setCurrentRow(row);
                             m_status->setText(reply.message);
                             m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
                         });
}

void WorkflowsPanel::openInEditor(const QJsonObject &definition)
{
    WorkflowEditor::showFor(this, m_models, m_session, m_services)->setDefinition(definition);
}

qint64 saveWorkflowTemplate(ConsoleSession *session, const QJsonObject &definition,
                            std::function<void(const CommandReply &)> done)
{
    if (!session->can(permission::WorkflowTemplates)) return 0;
    return session->send(QStringLiteral("workflow.template.save"),
                         definition.value(QLatin1StringView("name")).toString(),
                         {{QStringLiteral("definition"), definition}}, std::move(done));
}

QStringList WorkflowsPanel::barcodeList() const
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    QStringList out = m_barcodes->toPlainText().split(separators, Qt::SkipEmptyParts);
    out.removeDuplicates();
    return out;
}

void WorkflowsPanel::submit()
{
    const int row = m_templates->currentRow();
    if (m_sending || row < 0 || row >= m_list.size() || !m_session->can(permission::WorkflowSubmit))
        return;
    const QStringList barcodes = barcodeList();
    if (barcodes.isEmpty()) {
        m_status->setText(tr("Add at least one sample barcode"));
        m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
        return;
    }
    int invalid = 0;
    QJsonObject parameters;
    for (SchemaForm *form : std::as_const(m_forms)) {
        invalid += int(form->validate().size());
        parameters.insert(form->objectName(), form->values());
    }
    if (invalid > 0) {
        m_status->setText(tr("Fix the %n marked parameter(s)", nullptr, invalid));
        m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
        return;
    }
    const WorkflowTemplate &t = m_list[row];
    m_sending = true;
    updateActions();
    m_status->setText(
        tr("Submitting %1 for %n sample(s)…", nullptr, int(barcodes.size())).arg(t.name));
    m_status->setStyleSheet({});
    m_session->send(QStringLiteral("workflow.submit"), t.name,
                    {{QStringLiteral("template"), t.name},
                     {QStringLiteral("barcodes"), QJsonArray::fromStringList(barcodes)},
                     {QStringLiteral("priority"), m_priority->currentData().toInt()},
                     {QStringLiteral("parameters"), parameters}},
                    [this](const CommandReply &reply) {
                        m_sending = false;
                        updateActions();
                        m_status->setText(
                            reply.ok ? (reply.message.isEmpty() ? tr("Submitted") : reply.message)
                                     : tr("Refused: %1").arg(reply.message));
                        m_status->setStyleSheet(reply.ok ? QStringLiteral("color: #2e7d32;")
                                                         : QStringLiteral("color: #c62828;"));
                        if (reply.ok) m_barcodes->clear();
                    });
}

} // namespace alabos
