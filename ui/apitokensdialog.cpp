#include "ui/apitokensdialog.h"

#include "core/security/apitokens.h"
#include "ui/consolesession.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace alabos {

namespace {
QString when(qint64 us)
{
    return us > 0 ? QDateTime::fromMSecsSinceEpoch(us / 1000).toString(
                        QStringLiteral("yyyy-MM-dd HH:mm"))
                  : QString();
}

QString stateText(const QString &state)
{
    if (state == QLatin1StringView("active")) return ApiTokensDialog::tr("active");
    if (state == QLatin1StringView("expired")) return ApiTokensDialog::tr("expired");
    return ApiTokensDialog::tr("revoked");
}
} // namespace

ApiTokensDialog::ApiTokensDialog(ConsoleSession *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_table(new QTableWidget(0, 7, this)),
      m_status(new QLabel(this)), m_revoke(new QPushButton(tr("&Revoke…"), this))
{
    setWindowTitle(tr("API tokens"));
    m_table->setObjectName(QStringLiteral("tokensTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("User"), tr("Created"), tr("Expires"),
                                        tr("Last used"), tr("State"), tr("Id")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    auto *explain = new QLabel(
        tr("A program calling the REST API with a token acts as its user, with the user's "
           "current role. Tokens of a disabled user stop working."),
        this);
    explain->setWordWrap(true);
    auto *create = new QPushButton(tr("&New token…"), this);
    create->setObjectName(QStringLiteral("newTokenButton"));
    m_revoke->setObjectName(QStringLiteral("revokeButton"));
    m_revoke->setEnabled(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(create, QDialogButtonBox::ActionRole);
    buttons->addButton(m_revoke, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(create, &QPushButton::clicked, this, &ApiTokensDialog::showNewToken);
    connect(m_revoke, &QPushButton::clicked, this, &ApiTokensDialog::revokeSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const int row = m_table->currentRow();
        m_revoke->setEnabled(row >= 0 && m_table->item(row, 5) &&
                             m_table->item(row, 5)->data(Qt::UserRole).toString() ==
                                 QLatin1StringView("active"));
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explain);
    layout->addWidget(m_table);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(820, 360);
    reload();
}

void ApiTokensDialog::reload()
{
    m_status->setText(tr("Loading…"));
    m_session->send(QStringLiteral("token.list"), {}, {}, [this](const CommandReply &reply) {
        if (!reply.ok) {
            m_status->setText(reply.message);
            return;
        }
        showTokens(reply.data.value(QLatin1StringView("tokens")).toArray());
    });
}

void ApiTokensDialog::showTokens(const QJsonArray &tokens)
{
    m_table->setRowCount(0);
    for (const QJsonValue &v : tokens) {
        const QJsonObject t = v.toObject();
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QString state = t.value(QLatin1StringView("state")).toString();
        const QStringList cells{t.value(QLatin1StringView("name")).toString(),
                                t.value(QLatin1StringView("user")).toString(),
                                when(t.value(QLatin1StringView("created_us")).toInteger()),
                                when(t.value(QLatin1StringView("expires_us")).toInteger()),
                                t.value(QLatin1StringView("last_used_us")).toInteger() > 0
                                    ? when(t.value(QLatin1StringView("last_used_us")).toInteger())
                                    : tr("never"),
                                stateText(state),
                                t.value(QLatin1StringView("id")).toString()};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
        m_table->item(row, 5)->setData(Qt::UserRole, state);
    }
    m_table->resizeColumnsToContents();
    m_status->setText(tr("%n token(s)", nullptr, int(tokens.size())));
    Q_EMIT loaded(int(tokens.size()));
}

void ApiTokensDialog::showNewToken()
{
    auto *dialog = new NewApiTokenDialog(m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewApiTokenDialog::created, this, [this](const QString &id) {
        reload();
        Q_EMIT created(id);
    });
    dialog->open();
}

void ApiTokensDialog::revokeSelected()
{
    const int row = m_table->currentRow();
    if (row < 0) return;
    const QString id = m_table->item(row, 6)->text();
    const QString name = m_table->item(row, 0)->text();
    if (QMessageBox::question(this, tr("Revoke API token"),
                              tr("Revoke the token \"%1\" (%2)? Programs using it are refused "
                                 "from then on; this cannot be undone.")
                                  .arg(name, id)) != QMessageBox::Yes)
        return;
    m_session->send(QStringLiteral("token.revoke"), {}, {{QStringLiteral("tokenId"), id}},
                    [this, id](const CommandReply &reply) {
                        m_status->setText(reply.message);
                        if (!reply.ok) return;
                        reload();
                        Q_EMIT revoked(id);
                    });
}

NewApiTokenDialog::NewApiTokenDialog(ConsoleSession *session, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("New API token"));
    auto *name = new QLineEdit(this);
    name->setObjectName(QStringLiteral("tokenName"));
    name->setMaxLength(kMaxApiTokenNameLength);
    name->setPlaceholderText(tr("what the token is for, e.g. LIMS import"));
    auto *days = new QSpinBox(this);
    days->setObjectName(QStringLiteral("tokenDays"));
    days->setRange(1, kMaxApiTokenDays);
    days->setValue(kDefaultApiTokenDays);
    days->setSuffix(tr(" days"));
    auto *token = new QLineEdit(this);
    token->setObjectName(QStringLiteral("tokenText"));
    token->setReadOnly(true);
    token->setMinimumWidth(560);
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copyButton"));
    auto *warning = new QLabel(this);
    warning->setObjectName(QStringLiteral("tokenWarning"));
    warning->setWordWrap(true);
    auto *status = new QLabel(this);
    status->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), name);
    form->addRow(tr("&Expires in:"), days);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(token);
    tokenRow->addWidget(copy);
    form->addRow(tr("Token:"), tokenRow);
    token->setVisible(false);
    copy->setVisible(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *create = buttons->addButton(tr("C&reate"), QDialogButtonBox::AcceptRole);
    create->setObjectName(QStringLiteral("createButton"));
    create->setEnabled(false);
    connect(name, &QLineEdit::textChanged, create,
            [create](const QString &text) { create->setEnabled(!text.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this,
            [token] { QApplication::clipboard()->setText(token->text()); });
    connect(create, &QPushButton::clicked, this, [=, this] {
        create->setEnabled(false);
        status->setText(tr("Creating…"));
        session->send(QStringLiteral("token.create"), {},
                      {{QStringLiteral("name"), name->text().trimmed()},
                       {QStringLiteral("expiresInDays"), days->value()}},
                      [=, this](const CommandReply &reply) {
                          if (!reply.ok) {
                              status->setText(reply.message);
                              create->setEnabled(true);
                              return;
                          }
                          token->setText(reply.data.value(QLatin1StringView("token")).toString());
                          token->setVisible(true);
                          copy->setVisible(true);
                          name->setEnabled(false);
                          days->setEnabled(false);
                          buttons->setStandardButtons(QDialogButtonBox::Close);
                          buttons->removeButton(create);
                          create->hide();
                          status->clear();
                          warning->setText(tr("<b>Copy this token now: it will not be shown "
                                              "again.</b> alabos keeps only a hash of it. Anyone "
                                              "holding it acts as you until it expires or you "
                                              "revoke it."));
                          token->selectAll();
                          Q_EMIT created(reply.data.value(QLatin1StringView("id")).toString());
                      });
    });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(warning);
    layout->addWidget(status);
    layout->addWidget(buttons);
}

} // namespace alabos
