#pragma once
#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace alabos {

class ConsoleServices;
class ConsoleSession;

// Signs a user in: the scheduler checks the password and opens a session (on its own
// thread or over alabos.commands; the dialog never blocks). A user may change the password
// while signing in. On a new database the scheduler's console first asks for the
// administrator's password, which nobody has chosen yet.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    SignInDialog(ConsoleServices *services, ConsoleSession *session, QWidget *parent = nullptr);

private:
    void submit();
    void submitFirstAdminPassword();
    void setBusy(bool busy, const QString &message = {});
    void showNewPassword(bool shown);

    ConsoleServices *m_services;
    ConsoleSession *m_session;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_passwordLabel;
    QCheckBox *m_change;
    QLineEdit *m_newPassword;
    QLineEdit *m_repeat;
    QLabel *m_newPasswordLabel;
    QLabel *m_repeatLabel;
    QLabel *m_intro;
    QLabel *m_message;
    QPushButton *m_signIn;
    bool m_firstAdmin = false;
};

} // namespace alabos
