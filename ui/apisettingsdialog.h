#pragma once
// Lab → REST API…: whether the console that runs the lab also serves the REST API, metrics
// and health, and where. A setting of this workstation (QSettings), read when alabos starts;
// a flag, ALABOS_API or the configuration file decide over it (docs/api.md).
#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace alabos {

class ConsoleSession;

struct ConsoleApiSetting
{
    static constexpr int kMaxListenLength = 260;
    bool enabled = false;
    QString listen; // HOST:PORT; empty: the default (127.0.0.1:8470)

    static ConsoleApiSetting load();
    void save() const;
};

class ApiSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // `serving`: the address this process serves the API at now; empty when it does not.
    ApiSettingsDialog(ConsoleSession *session, const QString &serving, QWidget *parent = nullptr);

    // Saves when the values are valid and the user may change them; else says why.
    bool apply();

private:
    void updateActions();

    ConsoleSession *m_session;
    QCheckBox *m_enabled;
    QLineEdit *m_listen;
    QLabel *m_status;
    QPushButton *m_save;
};

} // namespace alabos
