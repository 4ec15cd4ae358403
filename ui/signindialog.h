#pragma once
#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace alabos {

class ConsoleSession;
class DatabaseReader;

// Signs a user in against the users table; at a first sign-in the user chooses a
// password. The check runs on the database worker thread; the dialog never blocks.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    SignInDialog(DatabaseReader *reader, ConsoleSession *session, QWidget *parent = nullptr);

private:
    void submit();
    void setBusy(bool busy, const QString &message = {});

    DatabaseReader *m_reader;
    ConsoleSession *m_session;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_newPassword;
    QLineEdit *m_repeat;
    QLabel *m_newPasswordLabel;
    QLabel *m_repeatLabel;
    QLabel *m_message;
    QPushButton *m_signIn;
    bool m_choosingPassword = false;
};

} // namespace alabos
