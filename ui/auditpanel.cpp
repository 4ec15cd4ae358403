#include "ui/auditpanel.h"

#include "core/domain/csv.h"
#include "core/storage/databasereader.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>
#include <pqxx/pqxx>

namespace alabos {

namespace {
// The actions alabos writes (docs/storage.md, audit_log).
const QStringList kActions{
    QStringLiteral("command"),          QStringLiteral("command_refused"),
    QStringLiteral("sign_in"),          QStringLiteral("sign_in_refused"),
    QStringLiteral("sign_out"),         QStringLiteral("account_locked"),
    QStringLiteral("password_set"),     QStringLiteral("user_added"),
    QStringLiteral("user_edited"),      QStringLiteral("sample.register_batch"),
    QStringLiteral("signature_policy"), QStringLiteral("signature_refused"),
    QStringLiteral("api_read")};
constexpr int kMaxFilterLength = 200;

// An electronic signature stored with its action (SECURITY.md): who, when, what it means.
QString signatureText(const QJsonObject &signature)
{
    if (signature.isEmpty()) return {};
    const auto field = [&](const char *name) {
        return signature.value(QLatin1StringView(name)).toString();
    };
    const QString text = AuditPanel::tr("%1 (%2), %3: %4")
                             .arg(field("name"), field("user"), field("time"), field("reason"));
    const QString comment = field("comment");
    return comment.isEmpty() ? text : AuditPanel::tr("%1 (%2)").arg(text, comment);
}
} // namespace

AuditPanel::AuditPanel(DatabaseReader *reader, QWidget *parent)
    : QWidget(parent), m_reader(reader), m_user(new QLineEdit(this)), m_action(new QComboBox(this)),
      m_text(new QLineEdit(this)), m_days(new QSpinBox(this)),
      m_refresh(new QPushButton(tr("Refresh"), this)),
      m_export(new QPushButton(tr("Export CSV…"), this)), m_status(new QLabel(this)),
      m_view(new QTableView(this)), m_model(new QStandardItemModel(0, 7, this))
{
    m_user->setPlaceholderText(tr("User"));
    m_user->setAccessibleName(tr("User"));
    m_action->setAccessibleName(tr("Action"));
    m_days->setAccessibleName(tr("Days back"));
    m_view->setAccessibleName(tr("Audit trail"));
    m_user->setMaxLength(kMaxFilterLength);
    m_text->setPlaceholderText(tr("Text in entity or detail"));
    m_text->setAccessibleName(tr("Text in entity or detail"));
    m_text->setMaxLength(kMaxFilterLength);
    m_action->addItem(tr("All actions"), QString());
    for (const QString &a : kActions)
        m_action->addItem(a, a);
    m_days->setRange(1, 3650);
    m_days->setValue(7);
    m_days->setSuffix(tr(" days"));
    m_days->setToolTip(tr("How far back"));
    m_model->setHorizontalHeaderLabels({tr("Time"), tr("User"), tr("Host"), tr("Action"),
                                        tr("Entity type"), tr("Entity"), tr("Signature"),
                                        tr("Detail")});
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // Short columns fit what they show (Qt measures the rows in view only); detail takes the rest.
    for (int c = 0; c < m_model->columnCount() - 1; ++c)
        m_view->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_user, 1);
    filters->addWidget(m_action);
    filters->addWidget(m_text, 2);
    filters->addWidget(m_days);
    filters->addWidget(m_refresh);
    filters->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(filters);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    connect(m_refresh, &QPushButton::clicked, this, &AuditPanel::refresh);
    connect(m_user, &QLineEdit::returnPressed, this, &AuditPanel::refresh);
    connect(m_text, &QLineEdit::returnPressed, this, &AuditPanel::refresh);
    connect(m_action, &QComboBox::currentIndexChanged, this, &AuditPanel::refresh);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export the audit trail"),
                                         QStringLiteral("audit.csv"), tr("CSV files (*.csv)"));
        if (path.isEmpty()) return;
        const QString error = exportCsv(path);
        m_status->setText(error.isEmpty()
                              ? tr("%1 rows written to %2").arg(m_model->rowCount()).arg(path)
                              : error);
    });
    if (!m_reader) {
        m_status->setText(tr("No database: the audit trail cannot be shown here."));
        m_refresh->setEnabled(false);
    }
}

void AuditPanel::refresh()
{
    if (!m_reader) return;
    using Row = std::array<QString, 8>;
    auto rows = std::make_shared<QList<Row>>();
    const std::string user = m_user->text().trimmed().toLower().toStdString();
    const std::string action = m_action->currentData().toString().toStdString();
    const std::string text = m_text->text().trimmed().toStdString();
    const int days = m_days->value();
    m_status->setText(tr("Reading the audit trail…"));
    m_refresh->setEnabled(false);
    m_reader->run(
        [=](pqxx::connection &c) {
            pqxx::read_transaction tx(c);
            // The text filter matches literally: its % and _ are escaped for LIKE.
            const pqxx::result r = tx.exec_params(
                "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), user_name, host, action, "
                "entity_type, "
                "entity_id, coalesce(detail->'signature', '{}'::jsonb)::text, detail::text "
                "FROM audit_log "
                "WHERE at > now() - make_interval(days => $1) "
                "AND ($2 = '' OR user_name = $2) AND ($3 = '' OR action = $3) "
                "AND ($4 = '' OR strpos(lower(entity_id || ' ' || detail::text), lower($4)) > 0) "
                "ORDER BY id DESC LIMIT $5",
                days, user, action, text, kMaxRows + 1);
            for (const pqxx::row &row : r) {
                Row out;
                for (int i = 0; i < 8; ++i)
                    out[i] = QString::fromUtf8(row[i].c_str());
                out[6] = signatureText(QJsonDocument::fromJson(out[6].toUtf8()).object());
                rows->append(out);
            }
        },
        this,
        [this, rows](const QString &error) {
            m_refresh->setEnabled(true);
            if (!error.isEmpty()) {
                m_status->setText(tr("The audit trail cannot be read: %1").arg(error));
                return;
            }
            const bool more = rows->size() > kMaxRows;
            if (more) rows->removeLast();
            m_model->removeRows(0, m_model->rowCount());
            for (const Row &row : *rows) {
                QList<QStandardItem *> items;
                for (const QString &cell : row) {
                    auto *item = new QStandardItem(cell);
                    item->setToolTip(cell.left(2000));
                    items << item;
                }
                m_model->appendRow(items);
            }
            m_status->setText(
                more ? tr("The newest %1 entries; narrow the filters to see older ones.")
                           .arg(kMaxRows)
                     : tr("%1 entries").arg(rows->size()));
            Q_EMIT refreshed(int(rows->size()));
        });
}

QString AuditPanel::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write %1: %2").arg(path, file.errorString());
    QStringList header;
    for (int c = 0; c < m_model->columnCount(); ++c)
        header << csvCell(m_model->headerData(c, Qt::Horizontal).toString());
    file.write(header.join(u',').toUtf8() + "\r\n");
    for (int r = 0; r < m_model->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < m_model->columnCount(); ++c)
            cells << csvCell(m_model->item(r, c)->text());
        file.write(cells.join(u',').toUtf8() + "\r\n");
    }
    if (!file.commit()) return tr("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace alabos
