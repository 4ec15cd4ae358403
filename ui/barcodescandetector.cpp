#include "ui/barcodescandetector.h"

#include "core/domain/logging.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QWidget>

namespace alabos {

BarcodeScanDetector::BarcodeScanDetector(QObject *parent) : QObject(parent) {}

void BarcodeScanDetector::watch(QWidget *root)
{
    watchOne(root);
    const QList<QWidget *> children = root->findChildren<QWidget *>();
    for (QWidget *child : children)
        watchOne(child);
}

void BarcodeScanDetector::watchOne(QWidget *widget)
{
    widget->removeEventFilter(this); // once, however often watch() runs
    widget->installEventFilter(this);
}

void BarcodeScanDetector::reset()
{
    m_burst.clear();
    m_edit = nullptr;
    m_editText.clear();
    m_editCursor = 0;
}

bool BarcodeScanDetector::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress) return false;
    auto *widget = qobject_cast<QWidget *>(watched);
    if (!widget) return false;
    // A key the focused widget ignores goes on to its parents: it must not count again.
    if (event == m_lastEvent && m_lastReceiver && widget != m_lastReceiver &&
        widget->isAncestorOf(m_lastReceiver))
        return false;
    m_lastEvent = event;
    m_lastReceiver = widget;

    auto *key = static_cast<QKeyEvent *>(event);
    // A scanner presses Shift for capitals, as a keyboard does: part of the burst.
    switch (key->key()) {
    case Qt::Key_Shift:
    case Qt::Key_Control:
    case Qt::Key_Alt:
    case Qt::Key_AltGr:
    case Qt::Key_Meta:
    case Qt::Key_CapsLock:
        return false;
    default:
        break;
    }
    const bool quick = m_sinceLastKey.isValid() && m_sinceLastKey.elapsed() <= kMaxGapMs;
    m_sinceLastKey.start();
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
        const bool scan = quick && m_burst.size() >= kMinLength && m_burst.size() <= kMaxLength;
        const QString code = m_burst;
        const QPointer<QLineEdit> edit = m_edit;
        const QString text = m_editText;
        const int cursor = m_editCursor;
        reset();
        if (!scan) return false;
        // The scanner typed into a field: it gets back what the person had typed.
        if (edit) {
            edit->setText(text);
            edit->setCursorPosition(cursor);
        }
        qCDebug(lcUi) << "barcode scanned:" << code;
        Q_EMIT scanned(code);
        return true;
    }
    const QString text = key->text();
    const bool printable =
        text.size() == 1 && text.front().isPrint() && !key->isAutoRepeat() &&
        !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    if (!printable) {
        reset();
        return false;
    }
    if (!quick) {
        // Perhaps the first key of a scan: remember the field as it is before it.
        reset();
        m_edit = qobject_cast<QLineEdit *>(widget);
        if (m_edit) {
            m_editText = m_edit->text();
            m_editCursor = m_edit->cursorPosition();
        }
    }
    if (m_burst.size() <= kMaxLength) m_burst += text; // one past the limit: not a scan
    return false;
}

} // namespace alabos
