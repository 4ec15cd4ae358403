#pragma once
// A barcode scanner that acts as a keyboard (a "keyboard wedge") types its code as a burst of
// keys far faster than a person types, then Enter. This watches the keys going to a widget
// and its children: a burst of at least kMinLength characters, each within kMaxGapMs of the
// one before, ended by Enter, is a scan. Keys pass through as they come, so a person's
// typing is untouched; when a burst turns out to be a scan, the line edit it went into gets
// its text back and the Enter is swallowed. UI thread only.
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QLineEdit;
class QWidget;

namespace alabos {

class BarcodeScanDetector : public QObject
{
    Q_OBJECT
public:
    // A scanner sends a key every few milliseconds; people rarely manage three in a row
    // within this, even when they roll over keys.
    static constexpr int kMaxGapMs = 30;
    // The shortest barcode the sample form accepts.
    static constexpr int kMinLength = 3;
    // Longer than any barcode the registry takes: not a scan.
    static constexpr int kMaxLength = 64;

    explicit BarcodeScanDetector(QObject *parent = nullptr);
    // Watches the keys going to `root` and to every widget inside it now, the focused one
    // being `root` itself included.
    void watch(QWidget *root);

Q_SIGNALS:
    void scanned(const QString &code);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void watchOne(QWidget *widget);
    void reset();

    QString m_burst;
    QElapsedTimer m_sinceLastKey;
    // The key event seen last and where: the same event at a parent is that key passed on.
    const QEvent *m_lastEvent = nullptr;
    QPointer<QWidget> m_lastReceiver;
    // The line edit the burst is typed into, and its text before the burst began.
    QPointer<QLineEdit> m_edit;
    QString m_editText;
    int m_editCursor = 0;
};

} // namespace alabos
