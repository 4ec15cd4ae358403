#include "ui/signaturedialog.h"

#include "core/security/passwords.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace alabos {

SignatureDialog::SignatureDialog(const OperatorCommand &command, const SignaturePolicy &policy,
                                 QWidget *parent)
    : QDialog(parent), m_password(new QLineEdit(this)), m_reason(new QComboBox(this)),
      m_comment(new QPlainTextEdit(this)), m_problem(new QLabel(this)),
      m_sign(new QPushButton(tr("Sign"), this))
{
    setWindowTitle(tr("Electronic signature"));
    setObjectName(QStringLiteral("signatureDialog"));
    const QString what = (command.kind + u' ' + command.entityId.left(200)).trimmed();
    auto *intro = new QLabel(tr("<b>%1</b> needs your electronic signature. By signing you, "
                                "%2, confirm this action with the meaning you choose below; "
                                "your signature is stored with it in the audit trail.")
                                 .arg(what.toHtmlEscaped(), command.user.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    m_password->setObjectName(QStringLiteral("signaturePassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(kMaxPasswordLength);
    m_password->setAccessibleName(tr("Password"));
    m_reason->setObjectName(QStringLiteral("signatureReason"));
    m_reason->addItems(policy.reasons);
    m_reason->setAccessibleName(tr("Meaning of the signature"));
    m_comment->setObjectName(QStringLiteral("signatureComment"));
    m_comment->setAccessibleName(tr("Comment"));
    m_comment->setTabChangesFocus(true);
    m_comment->setPlaceholderText(
        tr("Optional, at most %1 characters").arg(SignaturePolicy::kMaxCommentLength));
    m_comment->setMaximumHeight(80);
    m_problem->setObjectName(QStringLiteral("signatureProblem"));
    m_problem->setWordWrap(true);
    m_sign->setObjectName(QStringLiteral("signButton"));
    m_sign->setDefault(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Signed by:"), new QLabel(command.user.toHtmlEscaped(), this));
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("&Meaning:"), m_reason);
    form->addRow(tr("&Comment:"), m_comment);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_sign, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(m_password, &QLineEdit::textChanged, this, &SignatureDialog::check);
    connect(m_comment, &QPlainTextEdit::textChanged, this, &SignatureDialog::check);
    m_password->setFocus();
    check();
}

void SignatureDialog::check()
{
    QString problem;
    if (m_reason->count() == 0)
        problem = tr("No reasons are configured: ask an administrator (Lab → Electronic "
                     "signatures…).");
    else if (m_comment->toPlainText().size() > SignaturePolicy::kMaxCommentLength)
        problem = tr("The comment has %1 characters; at most %2 are accepted.")
                      .arg(m_comment->toPlainText().size())
                      .arg(SignaturePolicy::kMaxCommentLength);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_sign->setEnabled(problem.isEmpty() && !m_password->text().isEmpty());
}

SignatureRequest SignatureDialog::request() const
{
    return {m_password->text(), m_reason->currentText(), m_comment->toPlainText()};
}

ConsoleSession::Signer SignatureDialog::signer(QWidget *parent)
{
    // The window may be rebuilt (a language change) while the session lives on.
    return [parent = QPointer<QWidget>(parent)](
               const OperatorCommand &command,
               const SignaturePolicy &policy) -> std::optional<SignatureRequest> {
        SignatureDialog dialog(command, policy, parent.data());
        if (dialog.exec() != QDialog::Accepted) return std::nullopt;
        return dialog.request();
    };
}

// ---------------------------------------------------------------------------------------

SignaturePolicyDialog::SignaturePolicyDialog(ConsoleSession *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_kinds(new QListWidget(this)),
      m_reasons(new QListWidget(this)), m_newReason(new QLineEdit(this)),
      m_status(new QLabel(this)), m_save(new QPushButton(tr("Save"), this))
{
    setWindowTitle(tr("Electronic signatures"));
    setObjectName(QStringLiteral("signaturePolicyDialog"));
    const SignaturePolicy current = session->signaturePolicy();
    m_kinds->setObjectName(QStringLiteral("signatureKinds"));
    m_kinds->setAccessibleName(tr("Commands that need a signature"));
    for (const QString &kind : OperatorCommand::kinds()) {
        if (!SignaturePolicy::signable(kind)) continue;
        auto *item = new QListWidgetItem(kind, m_kinds);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(current.needsSignature(kind) ? Qt::Checked : Qt::Unchecked);
    }
    m_reasons->setObjectName(QStringLiteral("signatureReasons"));
    m_reasons->setAccessibleName(tr("Reasons a signer chooses from"));
    m_reasons->addItems(current.reasons);
    m_newReason->setObjectName(QStringLiteral("newReason"));
    m_newReason->setAccessibleName(tr("New reason"));
    m_newReason->setMaxLength(SignaturePolicy::kMaxReasonLength);
    m_newReason->setPlaceholderText(
        tr("A new reason, at most %1 characters").arg(SignaturePolicy::kMaxReasonLength));
    auto *add = new QPushButton(tr("&Add reason"), this);
    add->setObjectName(QStringLiteral("addReason"));
    auto *remove = new QPushButton(tr("&Remove reason"), this);
    remove->setObjectName(QStringLiteral("removeReason"));
    connect(add, &QPushButton::clicked, this, &SignaturePolicyDialog::addReason);
    connect(m_newReason, &QLineEdit::returnPressed, this, &SignaturePolicyDialog::addReason);
    connect(remove, &QPushButton::clicked, this, &SignaturePolicyDialog::removeReason);
    auto *up = new QPushButton(tr("&Up"), this);
    up->setObjectName(QStringLiteral("reasonUp"));
    up->setAccessibleName(tr("Move the reason up"));
    auto *down = new QPushButton(tr("&Down"), this);
    down->setObjectName(QStringLiteral("reasonDown"));
    down->setAccessibleName(tr("Move the reason down"));
    connect(up, &QPushButton::clicked, this, [this] { moveReason(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveReason(1); });
    m_status->setObjectName(QStringLiteral("signaturePolicyStatus"));
    m_status->setWordWrap(true);
    m_save->setObjectName(QStringLiteral("saveSignaturePolicy"));
    auto *kindsLabel = new QLabel(tr("&Commands that need a signature:"), this);
    kindsLabel->setBuddy(m_kinds);
    auto *reasonsLabel = new QLabel(tr("R&easons (the meaning a signer chooses):"), this);
    reasonsLabel->setBuddy(m_reasons);
    auto *reasonRow = new QHBoxLayout;
    reasonRow->addWidget(m_newReason, 1);
    reasonRow->addWidget(add);
    auto *orderRow = new QHBoxLayout;
    orderRow->addWidget(remove);
    orderRow->addWidget(up);
    orderRow->addWidget(down);
    orderRow->addStretch(1);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::accepted, this, &SignaturePolicyDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(kindsLabel);
    layout->addWidget(m_kinds, 2);
    layout->addWidget(reasonsLabel);
    layout->addWidget(m_reasons, 1);
    layout->addLayout(orderRow);
    layout->addLayout(reasonRow);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    // Tab follows what the eye sees: the lists, the order buttons, the new reason, Save.
    QWidget *order[] = {m_kinds, m_reasons, remove, up, down, m_newReason, add, m_save};
    for (size_t i = 1; i < std::size(order); ++i)
        setTabOrder(order[i - 1], order[i]);
    m_save->setEnabled(session->can(permission::UserAdmin));
    if (!m_save->isEnabled())
        m_status->setText(tr("Only a user with the permission \"%1\" may change this.")
                              .arg(QLatin1StringView(permission::UserAdmin)));
    resize(460, 560);
}

void SignaturePolicyDialog::addReason()
{
    const QString reason = m_newReason->text().trimmed();
    if (reason.isEmpty()) return;
    if (!m_reasons->findItems(reason, Qt::MatchExactly).isEmpty()) {
        m_status->setText(tr("\"%1\" is listed already.").arg(reason));
        return;
    }
    if (m_reasons->count() >= SignaturePolicy::kMaxReasons) {
        m_status->setText(
            tr("At most %1 reasons may be configured.").arg(SignaturePolicy::kMaxReasons));
        return;
    }
    m_reasons->addItem(reason);
    m_newReason->clear();
    m_status->clear();
}

void SignaturePolicyDialog::removeReason()
{
    delete m_reasons->currentItem();
}

void SignaturePolicyDialog::moveReason(int step)
{
    const int row = m_reasons->currentRow();
    const int to = row + step;
    if (row < 0 || to < 0 || to >= m_reasons->count()) return;
    m_reasons->insertItem(to, m_reasons->takeItem(row));
    m_reasons->setCurrentRow(to);
}

SignaturePolicy SignaturePolicyDialog::policy() const
{
    SignaturePolicy policy;
    for (int i = 0; i < m_kinds->count(); ++i)
        if (m_kinds->item(i)->checkState() == Qt::Checked) policy.kinds << m_kinds->item(i)->text();
    for (int i = 0; i < m_reasons->count(); ++i)
        policy.reasons << m_reasons->item(i)->text();
    return policy;
}

void SignaturePolicyDialog::save()
{
    const QJsonObject args = policy().toJson();
    QString problem;
    if (!SignaturePolicy::fromJson(args, &problem)) {
        m_status->setText(problem);
        return;
    }
    m_save->setEnabled(false);
    m_status->setText(tr("Saving…"));
    m_session->send(QStringLiteral("signature.policy"), {}, args,
                    [self = QPointer<SignaturePolicyDialog>(this)](const CommandReply &reply) {
                        if (!self) return; // closed before the scheduler answered
                        self->m_save->setEnabled(true);
                        self->m_status->setText(reply.message);
                        if (!reply.ok) return;
                        if (const auto saved = SignaturePolicy::fromJson(reply.data, nullptr))
                            Q_EMIT self->saved(*saved);
                        self->accept();
                    });
}

} // namespace alabos
