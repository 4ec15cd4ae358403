#pragma once
// Adding a device to the running lab, or changing one's driver settings: the name, the type,
// the driver kind, and the kind's settings through a form generated from the kind's own
// settings definition (DriverRegistry::settingsForm), with a JSON box for what a flat form
// cannot hold (an inline register map, an SCPI command table). "Test connection" builds the
// driver on this workstation and shows the instrument's identity or why it failed; saving
// sends device.add or device.edit, which the engine checks again.
#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QThread;

namespace alabos {

class ConsoleSession;
class SchemaForm;

class DeviceSetupDialog : public QDialog
{
    Q_OBJECT
public:
    // `config` empty: a new device; otherwise the device's current driver config (edit).
    DeviceSetupDialog(ConsoleSession *session, const QJsonObject &config = {},
                      QWidget *parent = nullptr);
    ~DeviceSetupDialog() override;

    QLineEdit *idEdit() const { return m_id; }
    QLineEdit *typeEdit() const { return m_type; }
    QComboBox *kindBox() const { return m_kind; }
    SchemaForm *settingsForm() const { return m_form; }
    QPlainTextEdit *extraEdit() const { return m_extra; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *saveButton() const { return m_save; }
    QLabel *status() const { return m_status; }

    // The driver config the dialog holds now, or an empty object with *error saying which
    // field is wrong.
    QJsonObject config(QString *error);

public Q_SLOTS:
    void testConnection();
    void save();

private:
    void showKind();
    void setStatus(const QString &text, bool error);
    void endProbe();

    ConsoleSession *m_session;
    bool m_editing;
    QJsonObject m_original;
    QLineEdit *m_id;
    QLineEdit *m_type;
    QComboBox *m_kind;
    SchemaForm *m_form;
    QPlainTextEdit *m_extra;
    QPushButton *m_test;
    QPushButton *m_save;
    QLabel *m_status;
    QThread *m_probeThread = nullptr;
    QObject *m_probe = nullptr; // the driver under test, on m_probeThread
    int m_probeGeneration = 0;
};

} // namespace alabos
