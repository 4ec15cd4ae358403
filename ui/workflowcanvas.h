#pragma once
// The workflow editor's canvas: steps, arrows, the view that takes device types dropped from
// the palette, and the palette. They draw and report gestures; the editor (workfloweditor.h)
// turns each gesture into an undoable edit and rebuilds them from its document.
#include <QGraphicsObject>
#include <QGraphicsPathItem>
#include <QGraphicsView>
#include <QListWidget>
#include <functional>

namespace alabos::canvas {

inline constexpr qreal kNodeWidth = 150;
inline constexpr qreal kNodeHeight = 58;
inline constexpr qreal kPort = 6;
inline constexpr auto kTypeMime = "application/x-alabos-device-type";
inline constexpr auto kPromptMime = "application/x-alabos-prompt-step";
// A palette item that makes an operator prompt step rather than a device step.
inline constexpr int kPromptRole = Qt::UserRole + 1;
// What is marked on a step or arrow.
enum Mark
{
    Clean = 0,
    Warning = 1,
    Error = 2
};

// A step: name, device type and command, an input port on the left and an output port on
// the right; a drag from the output port ends in onConnect with where it was let go.
class StepItem : public QGraphicsObject
{
public:
    explicit StepItem(int index);
    int index;
    QString name, type, command;
    int mark = Clean;
    std::function<void(int from, const QPointF &scenePos)> onConnect;
    std::function<void()> onMoved; // a drag moved it (and the other selected steps)

    static QPointF inPort();
    static QPointF outPort();
    QRectF boundingRect() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *) override;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;

private:
    QGraphicsLineItem *m_line = nullptr; // the arrow being drawn
    QPointF m_pressPos;
};

// An arrow from a dependency's output port to its dependent's input port.
class EdgeItem : public QGraphicsPathItem
{
public:
    EdgeItem(int from, int to, const QPointF &a, const QPointF &b, int mark);
    int from, to;
    QPainterPath shape() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *) override;
};

// Takes device types and the prompt dropped from the palette; arrow keys move the selection.
class CanvasView : public QGraphicsView
{
public:
    using QGraphicsView::QGraphicsView;
    std::function<void(const QString &type, const QPointF &scenePos)> onDrop;
    std::function<void(const QPointF &scenePos)> onDropPrompt;
    std::function<void(const QPointF &delta)> onNudge;

protected:
    void dragEnterEvent(QDragEnterEvent *e) override;
    void dragMoveEvent(QDragMoveEvent *e) override;
    void dropEvent(QDropEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
};

// Device types (Qt::UserRole of each item), dragged out as kTypeMime; the prompt item
// (kPromptRole) as kPromptMime.
class PaletteList : public QListWidget
{
public:
    using QListWidget::QListWidget;

protected:
    QMimeData *mimeData(const QList<QListWidgetItem *> &items) const override;
    QStringList mimeTypes() const override;
};

} // namespace alabos::canvas
