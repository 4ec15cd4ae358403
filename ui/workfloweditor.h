#pragma once
// The graphical workflow template editor: steps dragged from a palette of the lab's device
// types (and an operator prompt) onto a canvas, dependencies drawn from a step's output port to
// another's input, each step's fields and parameters in a side panel. Every change is one undoable
// edit. Problems come from checkTemplate() (core/engine/templatecheck.h), the engine's own
// validation, and are marked on the steps and arrows they concern as the template is edited. Saving
// sends workflow.template.save like the Workflows panel's import (role check, signature).
#include "core/engine/templatecheck.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QJsonArray;
class QLabel;
class QListWidget;
class QGraphicsScene;
class QUndoStack;

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class LabModels;
class SchemaForm;
struct EditorDocument;
struct EditorWidgets;

class WorkflowEditor : public QMainWindow
{
    Q_OBJECT
public:
    // Longest parameter schema typed as JSON, and longest file opened.
    static constexpr int kMaxSchemaLength = 20000;
    static constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

    WorkflowEditor(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                   QWidget *parent = nullptr);
    ~WorkflowEditor() override;
    // The one editor of `anchor`'s window, made on first use, shown and raised.
    static WorkflowEditor *showFor(QWidget *anchor, LabModels *models, ConsoleSession *session,
                                   ConsoleServices *services);

    // The template in the format of resources/workflows and of Import template….
    QJsonObject definition() const;
    // Replaces what is on the canvas (undoable), laid out by dependency depth.
    void setDefinition(const QJsonObject &definition);
    bool openJsonFile(const QString &path);
    bool exportJsonFile(const QString &path);

    // Edits, each one undoable; steps are indices into definition()'s "tasks".
    int addStep(const QString &deviceType, const QPointF &position);
    // An operator step (command "prompt"): it asks and waits for one of its answers.
    int addPromptStep(const QPointF &position);
    void removeSteps(const QList<int> &steps);
    bool connectSteps(int from, int to); // `to` depends on `from`
    void disconnectSteps(int from, int to);
    void moveStep(int step, const QPointF &position);
    // A field of the step ("name" renames it in its dependents too, "device_type", …).
    void setStepField(int step, const QString &key, const QJsonValue &value);
    // A field of the step's "prompt" ("message", "options", "timeout_s"); undefined removes it.
    void setPromptField(int step, const QString &key, const QJsonValue &value);
    void setParameterDefault(int step, const QString &parameter, const QJsonValue &value);
    void setTemplateName(const QString &name);
    void selectStep(int step);
    int selectedStep() const { return m_selected; }
    int stepCount() const;
    int stepIndex(const QString &name) const;

    const QList<TemplateProblem> &problems() const { return m_problems; }
    // What is marked on a step or arrow: 2 blocking problem (red), 1 warning, 0 none.
    int stepMark(int step) const;
    int edgeMark(int from, int to) const;
    QUndoStack *undoStack() const { return m_undo; }
    QAction *saveAction() const { return m_save; }
    QLabel *status() const { return m_status; }
    QListWidget *problemList() const { return m_problemList; }
    SchemaForm *parameterForm() const;
    QGraphicsScene *scene() const { return m_scene; }

public Q_SLOTS:
    // Sends the template to the engine; false (and why in the status line) when a problem
    // blocks it, the role may not, or a save is on its way.
    bool saveTemplate();

Q_SIGNALS:
    void saved(const QString &name);

private:
    friend struct EditorCommand;
    void buildUi();
    void edit(const QString &text, const QString &mergeTag,
              const std::function<void(EditorDocument &)> &change);
    void apply(const EditorDocument &document);
    void refresh();
    void rebuildScene();
    void fitCanvas();
    void refreshSidePanel(bool rebuildForm);
    void refreshResources(const QJsonObject &step);
    void refreshPrompt(const QJsonObject &step);
    // `mergeTag` empty: an edit of its own; otherwise edits with the same tag merge.
    void changeStep(int step, const QString &key, const QJsonValue &value, const QString &mergeTag);
    QJsonObject resourcesFromTable(QJsonObject resources, int skipRow = -1) const;
    QJsonArray optionsFromList(int skipRow = -1) const;
    void refreshPalette();
    void updateActions();
    void setStatus(const QString &text, bool error);
    TemplateCheckContext checkContext() const;
    QList<int> selectedSteps() const;

    LabModels *m_models;
    ConsoleSession *m_session;
    ConsoleServices *m_services;
    std::unique_ptr<EditorDocument> m_doc;
    std::unique_ptr<EditorWidgets> m_ui;
    QList<TemplateProblem> m_problems;
    QGraphicsScene *m_scene;
    QUndoStack *m_undo;
    QAction *m_save = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_problemList = nullptr;
    int m_selected = -1;
    bool m_saving = false;
    bool m_syncing = false; // the side panel is being filled from the document
};

} // namespace alabos
