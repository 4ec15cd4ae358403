#include "ui/signindialog.h"

#include "core/storage/databasereader.h"
#include "core/storage/userdirectory.h"
#include "ui/consolesession.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <memory>

namespace alabos {

SignInDialog::SignInDialog(DatabaseReader *reader, ConsoleSession *session, QWidget *parent)
    : QDialog(parent), m_reader(reader), m_session(session), m_user(new QLineEdit(this)),
      m_password(new QLineEdit(this)), m_newPassword(new QLineEdit(this)), m_repeat(new QLineEdit(this)),
      m_newPasswordLabel(new QLabel(tr("New password:"), this)),
      m_repeatLabel(new QLabel(tr("Repeat it:"), this)), m_message(new QLabel(this)),
      m_signIn(new QPushButton(tr("Sign in"), this))
{
    setWindowTitle(tr("Sign in to alabos"));
    setObjectName(QStringLiteral("signInDialog"));
    m_user->setObjectName(QStringLiteral("userName"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_repeat->setEchoMode(QLineEdit::Password);
    m_user->setText(session->user());
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("signInMessage"));
    auto *form = new QFormLayout;
    form->addRow(tr("User name:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(m_newPasswordLabel, m_newPassword);
    form->addRow(m_repeatLabel, m_repeat);
    for (QWidget *w : {static_cast<QWidget *>(m_newPasswordLabel), static_cast<QWidget *>(m_newPassword),
                       static_cast<QWidget *>(m_repeatLabel), static_cast<QWidget *>(m_repeat)})
        w->hide();
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_signIn, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_signIn->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &SignInDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Sign in to control the lab. Without signing in, the console only shows."), this));
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

void SignInDialog::setBusy(bool busy, const QString &message)
{
    m_signIn->setEnabled(!busy);
    m_message->setStyleSheet(busy ? QString() : QStringLiteral("color: #c62828"));
    m_message->setText(message);
}

void SignInDialog::submit()
{
    if (!m_reader) {
        setBusy(false, tr("No database: signing in is not possible here."));
        return;
    }
    const QString user = m_user->text().trimmed();
    if (user.isEmpty()) {
        setBusy(false, tr("Enter your user name."));
        return;
    }
    const QString host = m_session->host();
    if (m_choosingPassword) {
        if (m_newPassword->text() != m_repeat->text()) {
            setBusy(false, tr("The two passwords differ."));
            return;
        }
        const QString password = m_newPassword->text();
        auto why = std::make_shared<QString>();
        auto ok = std::make_shared<bool>(false);
        setBusy(true, tr("Saving your password…"));
        m_reader->run([=](pqxx::connection &c) { *ok = setPassword(c, user, password, host, why.get()); }, this,
                      [=, this](const QString &error) {
                          if (!error.isEmpty() || !*ok) {
                              setBusy(false, error.isEmpty() ? *why : error);
                              return;
                          }
                          m_choosingPassword = false;
                          m_password->setText(password);
                          submit();
                      });
        return;
    }
    const QString password = m_password->text();
    auto account = std::make_shared<std::optional<UserAccount>>();
    auto why = std::make_shared<QString>();
    setBusy(true, tr("Checking…"));
    m_reader->run([=](pqxx::connection &c) { *account = authenticate(c, user, password, host, why.get()); },
                  this, [=, this](const QString &error) {
                      if (!error.isEmpty()) {
                          setBusy(false, tr("The database cannot be reached: %1").arg(error));
                          return;
                      }
                      if (!*account) {
                          setBusy(false, *why);
                          m_password->selectAll();
                          m_password->setFocus();
                          return;
                      }
                      if ((*account)->needsPassword) {
                          m_choosingPassword = true;
                          for (QWidget *w : {static_cast<QWidget *>(m_newPasswordLabel),
                                             static_cast<QWidget *>(m_newPassword),
                                             static_cast<QWidget *>(m_repeatLabel), static_cast<QWidget *>(m_repeat)})
                              w->show();
                          m_newPassword->setFocus();
                          setBusy(false, tr("First sign-in: choose a password of at least %1 characters.")
                                             .arg(kMinPasswordLength));
                          return;
                      }
                      m_session->setIdentity((*account)->name, (*account)->role);
                      accept();
                  });
}

} // namespace alabos
