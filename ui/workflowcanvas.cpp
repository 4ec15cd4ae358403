#include "ui/workflowcanvas.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QMimeData>
#include <QPainter>
#include <cmath>

namespace alabos::canvas {

namespace {
const QColor kRed(0xc6, 0x28, 0x28), kAmber(0xef, 0x8f, 0x00), kSlate(0x45, 0x5a, 0x64),
    kArrow(0x60, 0x7d, 0x8b);
} // namespace

StepItem::StepItem(int i) : index(i)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemIsFocusable);
    setCursor(Qt::OpenHandCursor);
}

QPointF StepItem::inPort()
{
    return {0, kNodeHeight / 2};
}

QPointF StepItem::outPort()
{
    return {kNodeWidth, kNodeHeight / 2};
}

QRectF StepItem::boundingRect() const
{
    return QRectF(-kPort - 2, -2, kNodeWidth + 2 * kPort + 4, kNodeHeight + 4);
}

void StepItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QRectF r(0, 0, kNodeWidth, kNodeHeight);
    QPen pen(mark == Error ? kRed : mark == Warning ? kAmber : kSlate, mark ? 2.6 : 1.2);
    if (isSelected()) pen.setStyle(Qt::DashLine);
    p->setPen(pen);
    p->setBrush(mark == Error ? QColor(0xff, 0xeb, 0xee) : QColor(0xe3, 0xf2, 0xfd));
    p->drawRoundedRect(r, 6, 6);
    const int width = int(kNodeWidth - 12);
    QFont bold = QApplication::font();
    bold.setBold(true);
    p->setFont(bold);
    p->setPen(QApplication::palette().color(QPalette::Text));
    p->drawText(QRectF(6, 4, width, 18), Qt::AlignCenter,
                QFontMetrics(bold).elidedText(name, Qt::ElideRight, width));
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p->setFont(small);
    p->setPen(QColor(0x55, 0x65, 0x6d));
    const QFontMetrics sm(small);
    p->drawText(QRectF(6, 22, width, 16), Qt::AlignCenter,
                sm.elidedText(type.isEmpty() ? QObject::tr("(no device type)") : type,
                              Qt::ElideRight, width));
    p->drawText(QRectF(6, 38, width, 16), Qt::AlignCenter,
                sm.elidedText(command, Qt::ElideRight, width));
    p->setPen(QPen(kSlate, 1));
    p->setBrush(Qt::white);
    p->drawEllipse(inPort(), kPort, kPort);
    p->setBrush(kArrow);
    p->drawEllipse(outPort(), kPort, kPort);
}

void StepItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::LeftButton &&
        QLineF(event->pos(), outPort()).length() <= kPort + 3) {
        m_line = new QGraphicsLineItem(QLineF(mapToScene(outPort()), event->scenePos()));
        m_line->setPen(QPen(kArrow, 1.4, Qt::DashLine));
        scene()->addItem(m_line);
        event->accept();
        return;
    }
    m_pressPos = pos();
    QGraphicsObject::mousePressEvent(event);
}

void StepItem::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_line) {
        m_line->setLine(QLineF(mapToScene(outPort()), event->scenePos()));
        return;
    }
    QGraphicsObject::mouseMoveEvent(event);
}

void StepItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_line) {
        delete m_line;
        m_line = nullptr;
        if (onConnect) onConnect(index, event->scenePos());
        return;
    }
    QGraphicsObject::mouseReleaseEvent(event);
    if (pos() != m_pressPos && onMoved) onMoved();
}

EdgeItem::EdgeItem(int f, int t, const QPointF &a, const QPointF &b, int mark) : from(f), to(t)
{
    QPainterPath path(a);
    const qreal dx = std::max<qreal>(40, std::abs(b.x() - a.x()) / 2);
    path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
    // The curve arrives horizontally at the input port; the head points right.
    QPolygonF head;
    head << b << b - QPointF(std::cos(0.45) * 10, -std::sin(0.45) * 10)
         << b - QPointF(std::cos(0.45) * 10, std::sin(0.45) * 10) << b;
    path.addPolygon(head);
    setPath(path);
    setPen(QPen(mark == Error ? kRed : kArrow, mark == Error ? 2.4 : 1.4));
    setFlags(ItemIsSelectable);
    setZValue(-1);
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker s;
    s.setWidth(8);
    return s.createStroke(path());
}

void EdgeItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    QPen pen = this->pen();
    if (isSelected()) pen.setStyle(Qt::DashLine);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
}

namespace {
bool isStep(const QMimeData *data)
{
    return data->hasFormat(QLatin1StringView(kTypeMime)) ||
           data->hasFormat(QLatin1StringView(kPromptMime));
}
} // namespace

void CanvasView::dragEnterEvent(QDragEnterEvent *e)
{
    if (isStep(e->mimeData())) e->acceptProposedAction();
}

void CanvasView::dragMoveEvent(QDragMoveEvent *e)
{
    if (isStep(e->mimeData())) e->acceptProposedAction();
}

void CanvasView::dropEvent(QDropEvent *e)
{
    const QPointF at =
        mapToScene(e->position().toPoint()) - QPointF(kNodeWidth / 2, kNodeHeight / 2);
    if (e->mimeData()->hasFormat(QLatin1StringView(kPromptMime))) {
        if (onDropPrompt) onDropPrompt(at);
        return e->acceptProposedAction();
    }
    // The same bound as a step's device type (WorkflowTemplate::kMaxNameLength).
    const QString type =
        QString::fromUtf8(e->mimeData()->data(QLatin1StringView(kTypeMime))).left(200);
    if (type.isEmpty() || !onDrop) return;
    onDrop(type, at);
    e->acceptProposedAction();
}

void CanvasView::keyPressEvent(QKeyEvent *e)
{
    const qreal step = e->modifiers() & Qt::ShiftModifier ? 50 : 10;
    QPointF d;
    switch (e->key()) {
    case Qt::Key_Left:
        d = {-step, 0};
        break;
    case Qt::Key_Right:
        d = {step, 0};
        break;
    case Qt::Key_Up:
        d = {0, -step};
        break;
    case Qt::Key_Down:
        d = {0, step};
        break;
    default:
        QGraphicsView::keyPressEvent(e);
        return;
    }
    if (onNudge && !scene()->selectedItems().isEmpty()) onNudge(d);
}

QMimeData *PaletteList::mimeData(const QList<QListWidgetItem *> &items) const
{
    auto *data = new QMimeData;
    if (!items.isEmpty() && items.first()->data(kPromptRole).toBool())
        data->setData(QLatin1StringView(kPromptMime), QByteArrayLiteral("prompt"));
    else if (!items.isEmpty())
        data->setData(QLatin1StringView(kTypeMime),
                      items.first()->data(Qt::UserRole).toString().toUtf8());
    return data;
}

QStringList PaletteList::mimeTypes() const
{
    return {QLatin1StringView(kTypeMime), QLatin1StringView(kPromptMime)};
}

} // namespace alabos::canvas
