#pragma once
#include "core/engine/workflowtemplate.h"

#include <QStyledItemDelegate>
#include <QWidget>
#include <functional>

class QComboBox;
class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QVBoxLayout;

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class LabModels;
struct CommandReply;
class SchemaForm;

// Draws a progress bar from a 0..100 value the model gives under `role`; the display
// text is drawn on the bar.
class ProgressBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // `value` returns -1 for "no bar here" (just the text).
    using ValueFn = std::function<int(const QModelIndex &)>;
    ProgressBarDelegate(ValueFn value, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    ValueFn m_value;
};

// Lays a template's DAG out in layers by dependency depth: step name, device type under
// it, arrows from each dependency.
void drawWorkflowTemplate(QGraphicsScene *scene, const WorkflowTemplate &workflow);

// Sends `definition` as workflow.template.save: the console's one way to save a template,
// from a file or the editor (the session asks for an electronic signature when the policy
// wants one). Returns 0 without sending when the signed-in role may not.
qint64 saveWorkflowTemplate(ConsoleSession *session, const QJsonObject &definition,
                            std::function<void(const CommandReply &)> done);

// Workflow templates with a drawing of their DAG; submission for samples with the task
// parameters from their schemas and a priority (gated by workflow_submit); the lab's
// workflows with their progress; templates imported from JSON files (workflow_template).
class WorkflowsPanel : public QWidget
{
    Q_OBJECT
public:
    WorkflowsPanel(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                   QWidget *parent = nullptr);
    // Where "Add selected samples" takes barcodes from (the samples panel's selection).
    void setSelectedSamplesProvider(std::function<QStringList()> provider);
    void reloadTemplates();
    QPushButton *submitButton() const { return m_submit; }
    QPushButton *importButton() const { return m_import; }
    QPushButton *editButton() const { return m_edit; }
    QGraphicsScene *scene() const { return m_scene; }
    QListWidget *templateList() const { return m_templates; }
    QPlainTextEdit *barcodes() const { return m_barcodes; }
    QList<SchemaForm *> parameterForms() const { return m_forms; }
    QLabel *status() const { return m_status; }

public Q_SLOTS:
    void submit();
    // Reads a template (JSON, the format of resources/workflows) and asks the engine to save
    // it (workflow.template.save); a problem is shown in a dialog naming it.
    void importTemplateFile(const QString &path);
    // Shows `definition` in the workflow editor of this window.
    void openInEditor(const QJsonObject &definition);

private:
    void selectTemplate(int row);
    void updateActions();
    void showImportError(const QString &message);
    QStringList barcodeList() const;

    LabModels *m_models;
    ConsoleSession *m_session;
    ConsoleServices *m_services;
    QList<WorkflowTemplate> m_list;
    std::function<QStringList()> m_selectedSamples;
    QListWidget *m_templates;
    QGraphicsScene *m_scene;
    QGraphicsView *m_dag;
    QPlainTextEdit *m_barcodes;
    QPushButton *m_addSelected;
    QComboBox *m_priority;
    QWidget *m_formsHost;
    QVBoxLayout *m_formsLayout;
    QList<SchemaForm *> m_forms;
    QPushButton *m_submit;
    QPushButton *m_import;
    QPushButton *m_edit;
    QLabel *m_status;
    QTableView *m_workflows;
    bool m_sending = false;
    bool m_importing = false;
};

} // namespace alabos
