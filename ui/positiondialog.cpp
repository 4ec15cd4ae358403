#include "ui/positiondialog.h"

#include "ui/consolesession.h"
#include "ui/theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

namespace alabos {

namespace {
constexpr int kMaxNameLength = 200;
constexpr int kMaxSlots = 1000;
const QString kNamePattern = QStringLiteral("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
} // namespace

PositionDialog::PositionDialog(ConsoleSession *session, const QStringList &devices, QWidget *parent)
    : QDialog(parent), m_session(session), m_name(new QLineEdit(this)),
      m_device(new QComboBox(this)), m_slots(new QSpinBox(this)),
      m_add(new QPushButton(tr("&Add position"), this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("positionDialog"));
    setWindowTitle(tr("Add position"));
    m_name->setMaxLength(kMaxNameLength);
    m_name->setValidator(new QRegularExpressionValidator(QRegularExpression(kNamePattern), m_name));
    m_name->setPlaceholderText(tr("furnace-2/tray"));
    m_name->setAccessibleName(tr("Position name"));
    m_name->setToolTip(tr("Parts of letters, digits, '.', '_', '-' joined by '/': the part "
                          "before the last '/' is its parent"));
    m_device->addItem(tr("(no device)"), QString());
    for (const QString &d : devices)
        m_device->addItem(d, d);
    m_device->setAccessibleName(tr("Device that holds it"));
    m_slots->setRange(0, kMaxSlots);
    m_slots->setAccessibleName(tr("Slots"));
    m_slots->setToolTip(tr("0: one position; N: also NAME/1 to NAME/N, one sample each"));
    m_status->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Device"), m_device);
    form->addRow(tr("&Slots"), m_slots);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_add, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_add, &QPushButton::clicked, this, &PositionDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

void PositionDialog::submit()
{
    const QString name = m_name->text().trimmed();
    if (!QRegularExpression(QRegularExpression::anchoredPattern(kNamePattern))
             .match(name)
             .hasMatch()) {
        setStatus(tr("Name: parts of letters, digits, '.', '_' or '-' joined by '/'"), true);
        return;
    }
    QStringList names{name};
    for (int i = 1; i <= m_slots->value(); ++i)
        names << QStringLiteral("%1/%2").arg(name).arg(i);
    QJsonObject args;
    if (!m_device->currentData().toString().isEmpty())
        args.insert(QStringLiteral("device"), m_device->currentData().toString());
    m_add->setEnabled(false);
    m_waiting = int(names.size());
    m_firstRefusal.clear();
    setStatus(tr("Sending…"), false);
    for (const QString &n : std::as_const(names))
        m_session->send(QStringLiteral("position.add"), n, args,
                        [dialog = QPointer<PositionDialog>(this),
                         count = names.size()](const CommandReply &reply) {
                            if (!dialog) return;
                            if (!reply.ok && dialog->m_firstRefusal.isEmpty())
                                dialog->m_firstRefusal = reply.message;
                            if (--dialog->m_waiting > 0) return;
                            dialog->m_add->setEnabled(true);
                            if (dialog->m_firstRefusal.isEmpty()) {
                                dialog->setStatus(tr("%n position(s) added", nullptr, int(count)),
                                                  false);
                                dialog->accept();
                            } else {
                                dialog->setStatus(dialog->m_firstRefusal, true);
                            }
                        });
}

void PositionDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? toneStyle(Tone::Bad) : QString());
}

} // namespace alabos
