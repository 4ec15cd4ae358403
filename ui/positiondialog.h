#pragma once
// Adding a sample position (a rack, a tray, a shelf) to the running lab: its name, the device
// that holds it, and how many slots it has (each slot a position of its own, NAME/1..NAME/N).
// Sends position.add for each; the engine checks each again.
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace alabos {

class ConsoleSession;

class PositionDialog : public QDialog
{
    Q_OBJECT
public:
    PositionDialog(ConsoleSession *session, const QStringList &devices, QWidget *parent = nullptr);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *deviceBox() const { return m_device; }
    QSpinBox *slotsBox() const { return m_slots; }
    QPushButton *addButton() const { return m_add; }
    QLabel *status() const { return m_status; }

public Q_SLOTS:
    void submit();

private:
    void setStatus(const QString &text, bool error);

    ConsoleSession *m_session;
    QLineEdit *m_name;
    QComboBox *m_device;
    QSpinBox *m_slots;
    QPushButton *m_add;
    QLabel *m_status;
    int m_waiting = 0;
    QString m_firstRefusal;
};

} // namespace alabos
