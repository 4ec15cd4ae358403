#pragma once
// Electronic signatures in the console (SECURITY.md, "Electronic signatures").
// SignatureDialog asks for a signature when a command's kind needs one: the person's password
// again, the meaning of the signature (one of the configured reasons) and an optional
// comment. The console never checks the password: the scheduler does, for this command only.
// SignaturePolicyDialog (Lab → Electronic signatures…, administrators) chooses which command
// kinds need a signature and edits the reasons; it sends signature.policy, audited.
#include "ui/consolesession.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace alabos {

class SignatureDialog : public QDialog
{
    Q_OBJECT
public:
    SignatureDialog(const OperatorCommand &command, const SignaturePolicy &policy,
                    QWidget *parent = nullptr);
    SignatureRequest request() const;
    // For ConsoleSession::setSignatures: a modal SignatureDialog over `parent`.
    static ConsoleSession::Signer signer(QWidget *parent);

private:
    void check();
    QLineEdit *m_password;
    QComboBox *m_reason;
    QPlainTextEdit *m_comment;
    QLabel *m_problem;
    QPushButton *m_sign;
};

class SignaturePolicyDialog : public QDialog
{
    Q_OBJECT
public:
    SignaturePolicyDialog(ConsoleSession *session, QWidget *parent = nullptr);
    // What the dialog would send.
    SignaturePolicy policy() const;

public Q_SLOTS:
    void save();

Q_SIGNALS:
    void saved(const alabos::SignaturePolicy &policy);

private:
    void addReason();
    void removeReason();
    // Moves the selected reason up (-1) or down (+1): the signer sees them in this order.
    void moveReason(int step);
    ConsoleSession *m_session;
    QListWidget *m_kinds;
    QListWidget *m_reasons;
    QLineEdit *m_newReason;
    QLabel *m_status;
    QPushButton *m_save;
};

} // namespace alabos
