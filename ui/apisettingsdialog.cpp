#include "ui/apisettingsdialog.h"

#include "core/api/listenaddress.h"
#include "core/domain/types.h"
#include "ui/consolesession.h"
#include "ui/theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace alabos {

namespace {
const QString kEnabledKey = QStringLiteral("api/enabled");
const QString kListenKey = QStringLiteral("api/listen");

bool isLoopback(const QString &listen)
{
    const QString host = listen.section(u':', 0, -2);
    return host == QLatin1StringView("127.0.0.1") || host == QLatin1StringView("[::1]") ||
           host == QLatin1StringView("localhost");
}
} // namespace

ConsoleApiSetting ConsoleApiSetting::load()
{
    QSettings settings;
    ConsoleApiSetting s;
    s.enabled = settings.value(kEnabledKey, false).toBool();
    s.listen = settings.value(kListenKey).toString().trimmed().left(kMaxListenLength);
    return s;
}

void ConsoleApiSetting::save() const
{
    QSettings settings;
    settings.setValue(kEnabledKey, enabled);
    if (listen.isEmpty())
        settings.remove(kListenKey);
    else
        settings.setValue(kListenKey, listen);
}

ApiSettingsDialog::ApiSettingsDialog(ConsoleSession *session, const QString &serving,
                                     QWidget *parent)
    : QDialog(parent), m_session(session),
      m_enabled(new QCheckBox(tr("&Serve the REST API while this console runs the lab"), this)),
      m_listen(new QLineEdit(this)), m_status(new QLabel(this)),
      m_save(new QPushButton(tr("&Save"), this))
{
    setWindowTitle(tr("REST API"));
    setObjectName(QStringLiteral("apiSettingsDialog"));
    const ConsoleApiSetting current = ConsoleApiSetting::load();
    m_enabled->setObjectName(QStringLiteral("apiEnabled"));
    m_enabled->setChecked(current.enabled);
    m_listen->setObjectName(QStringLiteral("apiListen"));
    m_listen->setAccessibleName(tr("Listen address"));
    m_listen->setMaxLength(ConsoleApiSetting::kMaxListenLength);
    m_listen->setPlaceholderText(QStringLiteral("127.0.0.1:8470"));
    m_listen->setText(current.listen);
    m_status->setObjectName(QStringLiteral("apiSettingsStatus"));
    m_status->setWordWrap(true);
    m_save->setObjectName(QStringLiteral("apiSettingsSave"));

    auto *now =
        new QLabel(serving.isEmpty() ? tr("This console does not serve the API now.")
                                     : tr("This console serves the API at %1 now (metrics at "
                                          "%1/metrics).")
                                           .arg(serving),
                   this);
    now->setObjectName(QStringLiteral("apiServing"));
    now->setWordWrap(true);
    now->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *note = new QLabel(
        tr("Takes effect the next time alabos starts. A headless lab server serves the API "
           "unless told not to; --api, --no-api, ALABOS_API and the configuration file decide "
           "over this setting. Tokens: File → API tokens…"),
        this);
    note->setWordWrap(true);

    auto *form = new QFormLayout;
    auto *listenLabel = new QLabel(tr("&Listen on:"), this);
    listenLabel->setBuddy(m_listen);
    form->addRow(listenLabel, m_listen);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (apply()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_session, &ConsoleSession::identityChanged, this, &ApiSettingsDialog::updateActions);
    connect(m_listen, &QLineEdit::textChanged, this, [this] { m_status->clear(); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(now);
    layout->addWidget(m_enabled);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    updateActions();
}

bool ApiSettingsDialog::apply()
{
    auto refuse = [this](const QString &why) {
        m_status->setStyleSheet(toneStyle(Tone::Bad));
        m_status->setText(why);
        return false;
    };
    if (!m_session->can(permission::LabConfig))
        return refuse(tr("Changing the API needs the permission \"%1\"; sign in as an admin")
                          .arg(QLatin1StringView(permission::LabConfig)));
    ConsoleApiSetting s;
    s.enabled = m_enabled->isChecked();
    s.listen = m_listen->text().trimmed();
    if (!s.listen.isEmpty() && !validListenAddress(s.listen))
        return refuse(tr("%1 is not HOST:PORT (an IPv4 address, a [IPv6] address or a host "
                         "name; a port from 0 to 65535)")
                          .arg(s.listen));
    s.save();
    m_status->setStyleSheet(toneStyle(Tone::Good));
    m_status->setText(
        s.enabled && !s.listen.isEmpty() && !isLoopback(s.listen)
            ? tr("Saved. Other machines will reach the API: configure TLS (docs/api.md).")
            : tr("Saved; alabos uses it the next time it starts."));
    return true;
}

void ApiSettingsDialog::updateActions()
{
    const bool may = m_session->can(permission::LabConfig);
    m_enabled->setEnabled(may);
    m_listen->setEnabled(may);
    m_save->setEnabled(may);
    m_save->setToolTip(
        may ? QString()
            : tr("Needs the permission \"%1\"").arg(QLatin1StringView(permission::LabConfig)));
}

} // namespace alabos
