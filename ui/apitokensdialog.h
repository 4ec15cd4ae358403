#pragma once
// File → API tokens…: the signed-in user's API tokens (an administrator sees everyone's),
// a new one shown exactly once with a Copy button, and revocation with a confirmation. Every
// action is a token.* command through the console's session, checked and audited by the
// scheduler like any other click.
#include <QDialog>
#include <QJsonArray>

class QPushButton;
class QTableWidget;
class QLabel;

namespace alabos {

class ConsoleSession;

class ApiTokensDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ApiTokensDialog(ConsoleSession *session, QWidget *parent = nullptr);

public Q_SLOTS:
    void reload();
    void showNewToken();
    void revokeSelected();

Q_SIGNALS:
    void loaded(int count);
    void created(const QString &tokenId);
    void revoked(const QString &tokenId);

private:
    void showTokens(const QJsonArray &tokens);
    ConsoleSession *m_session;
    QTableWidget *m_table;
    QLabel *m_status;
    QPushButton *m_revoke;
};

// Asks for a name and an expiry, sends token.create and shows the token once.
class NewApiTokenDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewApiTokenDialog(ConsoleSession *session, QWidget *parent = nullptr);

Q_SIGNALS:
    void created(const QString &tokenId);
};

} // namespace alabos
