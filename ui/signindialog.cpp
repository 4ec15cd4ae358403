#include "ui/signindialog.h"

#include "core/security/passwords.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace alabos {

SignInDialog::SignInDialog(ConsoleServices *services, ConsoleSession *session, QWidget *parent)
    : QDialog(parent), m_services(services), m_session(session), m_user(new QLineEdit(this)),
      m_password(new QLineEdit(this)), m_passwordLabel(new QLabel(tr("Password:"), this)),
      m_change(new QCheckBox(tr("Change my password"), this)), m_newPassword(new QLineEdit(this)),
      m_repeat(new QLineEdit(this)), m_newPasswordLabel(new QLabel(tr("New password:"), this)),
      m_repeatLabel(new QLabel(tr("Repeat it:"), this)), m_intro(new QLabel(this)),
      m_message(new QLabel(this)), m_signIn(new QPushButton(tr("Sign in"), this))
{
    setWindowTitle(tr("Sign in to alabos"));
    setObjectName(QStringLiteral("signInDialog"));
    m_user->setObjectName(QStringLiteral("userName"));
    m_password->setObjectName(QStringLiteral("password"));
    m_newPassword->setObjectName(QStringLiteral("newPassword"));
    m_repeat->setObjectName(QStringLiteral("repeatPassword"));
    m_change->setObjectName(QStringLiteral("changePassword"));
    for (QLineEdit *edit : {m_password, m_newPassword, m_repeat}) {
        edit->setEchoMode(QLineEdit::Password);
        edit->setMaxLength(kMaxPasswordLength);
    }
    m_user->setMaxLength(63);
    m_user->setText(session->user());
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("signInMessage"));
    m_intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("User name:"), m_user);
    form->addRow(m_passwordLabel, m_password);
    form->addRow(QString(), m_change);
    form->addRow(m_newPasswordLabel, m_newPassword);
    form->addRow(m_repeatLabel, m_repeat);
    showNewPassword(false);
    connect(m_change, &QCheckBox::toggled, this, &SignInDialog::showNewPassword);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_signIn, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_signIn->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_firstAdmin)
            submitFirstAdminPassword();
        else
            submit();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(440);

    m_firstAdmin = services && services->adminPasswordMissing && services->adminPasswordMissing() &&
                   services->setFirstAdminPassword;
    if (m_firstAdmin) {
        setWindowTitle(tr("Set up alabos"));
        m_intro->setText(tr("This lab's database is new: choose the password of the administrator "
                            "account \"admin\" (at least %1 characters). Keep it safe: it manages "
                            "the users of this lab.")
                             .arg(kMinPasswordLength));
        m_user->setText(QStringLiteral("admin"));
        m_user->setReadOnly(true);
        m_passwordLabel->hide();
        m_password->hide();
        m_change->hide();
        showNewPassword(true);
        m_signIn->setText(tr("Set password and sign in"));
        // Someone else at this console (a demo account of a simulated lab, a technician)
        // may sign in meanwhile; admin stays locked until its password is chosen.
        auto *other = new QPushButton(tr("Sign in with another account"), this);
        other->setObjectName(QStringLiteral("otherAccount"));
        buttons->addButton(other, QDialogButtonBox::ActionRole);
        connect(other, &QPushButton::clicked, this, [this, other] {
            m_firstAdmin = false;
            other->hide();
            setWindowTitle(tr("Sign in to alabos"));
            m_intro->setText(tr("Sign in to control the lab. The administrator \"admin\" has no "
                                "password yet and cannot sign in until one is chosen."));
            m_user->setReadOnly(false);
            m_user->clear();
            m_passwordLabel->show();
            m_password->show();
            m_change->show();
            showNewPassword(false);
            m_signIn->setText(tr("Sign in"));
            setBusy(false);
            m_user->setFocus();
        });
    } else {
        m_intro->setText(
            tr("Sign in to control the lab. Without signing in, the console only shows."));
    }
}

void SignInDialog::showNewPassword(bool shown)
{
    for (QWidget *w :
         {static_cast<QWidget *>(m_newPasswordLabel), static_cast<QWidget *>(m_newPassword),
          static_cast<QWidget *>(m_repeatLabel), static_cast<QWidget *>(m_repeat)})
        w->setVisible(shown);
}

void SignInDialog::setBusy(bool busy, const QString &message)
{
    m_signIn->setEnabled(!busy);
    m_message->setStyleSheet(busy ? QString() : QStringLiteral("color: #c62828"));
    m_message->setText(message);
}

void SignInDialog::submitFirstAdminPassword()
{
    if (m_newPassword->text() != m_repeat->text()) {
        setBusy(false, tr("The two passwords differ."));
        return;
    }
    const QString password = m_newPassword->text();
    if (const QString problem = passwordProblem(password); !problem.isEmpty()) {
        setBusy(false, problem);
        return;
    }
    setBusy(true, tr("Saving the administrator's password…"));
    m_services->setFirstAdminPassword(password, this, [this, password](const QString &error) {
        if (!error.isEmpty()) {
            setBusy(false, error);
            return;
        }
        m_firstAdmin = false;
        m_password->setText(password);
        m_newPassword->clear();
        m_repeat->clear();
        submit();
    });
}

void SignInDialog::submit()
{
    if (!m_services || !m_services->signIn) {
        setBusy(false, tr("Signing in is not possible here."));
        return;
    }
    const QString user = m_user->text().trimmed();
    if (user.isEmpty()) {
        setBusy(false, tr("Enter your user name."));
        return;
    }
    QString newPassword;
    if (m_change->isChecked()) {
        if (m_newPassword->text() != m_repeat->text()) {
            setBusy(false, tr("The two new passwords differ."));
            return;
        }
        newPassword = m_newPassword->text();
        if (const QString problem = passwordProblem(newPassword); !problem.isEmpty()) {
            setBusy(false, problem);
            return;
        }
    }
    setBusy(true, tr("Checking…"));
    const SignInRequest request{user, m_password->text(), newPassword, m_session->host(), {}};
    m_services->signIn(request, this, [this](const SignInResult &result) {
        if (!result.ok) {
            setBusy(false, result.message);
            m_password->selectAll();
            m_password->setFocus();
            return;
        }
        m_session->setIdentity(result.session.user, result.session.role, result.session.id);
        accept();
    });
}

} // namespace alabos
