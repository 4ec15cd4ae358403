#include "ui/devicesetupdialog.h"

#include "core/domain/formdefinition.h"
#include "core/drivers/driverregistry.h"
#include "ui/consolesession.h"
#include "ui/schemaform.h"
#include "ui/theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

namespace alabos {

namespace {
constexpr int kProbeTimeoutMs = 15000;
constexpr int kMaxExtraBytes = 256 * 1024;
const QString kIdPattern = QStringLiteral("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
const QString kTypePattern = QStringLiteral("[a-z][a-z0-9_]{0,63}");

bool matches(const QString &pattern, const QString &text)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(text).hasMatch();
}
} // namespace

DeviceSetupDialog::DeviceSetupDialog(ConsoleSession *session, const QJsonObject &config,
                                     QWidget *parent)
    : QDialog(parent), m_session(session), m_editing(!config.isEmpty()), m_original(config),
      m_id(new QLineEdit(this)), m_type(new QLineEdit(this)), m_kind(new QComboBox(this)),
      m_form(new SchemaForm(this)), m_extra(new QPlainTextEdit(this)),
      m_test(new QPushButton(tr("&Test connection"), this)),
      m_save(new QPushButton(m_editing ? tr("&Apply") : tr("&Add device"), this)),
      m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("deviceSetupDialog"));
    setWindowTitle(m_editing ? tr("Device settings") : tr("Add device"));
    m_id->setObjectName(QStringLiteral("deviceId"));
    m_id->setMaxLength(64);
    m_id->setValidator(new QRegularExpressionValidator(QRegularExpression(kIdPattern), m_id));
    m_id->setPlaceholderText(tr("furnace-2"));
    m_id->setToolTip(tr("The device's name in the lab: letters, digits, '.', '_', '-'"));
    m_id->setAccessibleName(tr("Device name"));
    m_type->setObjectName(QStringLiteral("deviceType"));
    m_type->setMaxLength(64);
    m_type->setValidator(new QRegularExpressionValidator(QRegularExpression(kTypePattern), m_type));
    m_type->setPlaceholderText(tr("box_furnace"));
    m_type->setToolTip(tr("What workflows ask for: lower case letters, digits and '_'"));
    m_type->setAccessibleName(tr("Device type"));
    m_kind->setObjectName(QStringLiteral("driverKind"));
    m_kind->setAccessibleName(tr("Driver kind"));
    m_kind->addItems(DriverRegistry::instance().kinds());
    m_extra->setObjectName(QStringLiteral("extraSettings"));
    m_extra->setAccessibleName(tr("More settings as JSON"));
    m_extra->setPlaceholderText(
        tr("{\"register_map\": {...}}  (settings the form does not show, as one JSON object)"));
    m_extra->setTabChangesFocus(true);
    m_status->setObjectName(QStringLiteral("deviceSetupStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QFormLayout;
    top->addRow(tr("&Name"), m_id);
    top->addRow(tr("T&ype"), m_type);
    top->addRow(tr("&Driver"), m_kind);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_test, QDialogButtonBox::ActionRole);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_form);
    layout->addWidget(new QLabel(tr("More settings (JSON object)"), this));
    layout->addWidget(m_extra);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &DeviceSetupDialog::showKind);
    connect(m_test, &QPushButton::clicked, this, &DeviceSetupDialog::testConnection);
    // Saving waits for the engine's answer: the dialog closes only once it accepted.
    connect(m_save, &QPushButton::clicked, this, &DeviceSetupDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (m_editing) {
        m_id->setText(config.value(QLatin1StringView("id")).toString());
        m_id->setReadOnly(true);
        m_type->setText(config.value(QLatin1StringView("type")).toString());
        const QString kind = config.value(QLatin1StringView("driver")).toString();
        if (m_kind->findText(kind) < 0) m_kind->addItem(kind);
        m_kind->setCurrentText(kind);
    }
    showKind();
    if (m_editing) {
        m_form->setValues(config);
        QJsonObject extra = config;
        for (const char *key : {"id", "type", "driver"})
            extra.remove(QLatin1StringView(key));
        for (const FieldDefinition &f : m_form->definition().fields)
            extra.remove(f.name);
        if (!extra.isEmpty())
            m_extra->setPlainText(QString::fromUtf8(QJsonDocument(extra).toJson()));
    }
    resize(520, 560);
}

DeviceSetupDialog::~DeviceSetupDialog()
{
    endProbe();
}

void DeviceSetupDialog::showKind()
{
    QString error;
    const QJsonObject form = DriverRegistry::instance().settingsForm(m_kind->currentText());
    const auto definition = form.isEmpty() ? std::optional<FormDefinition>(FormDefinition{})
                                           : FormDefinition::fromJson(form, &error);
    m_form->setDefinition(definition.value_or(FormDefinition{}));
    if (!definition)
        setStatus(tr("The settings form of driver kind %1 is broken: %2")
                      .arg(m_kind->currentText(), error),
                  true);
    else
        setStatus({}, false);
}

QJsonObject DeviceSetupDialog::config(QString *error)
{
    const QString id = m_id->text().trimmed();
    const QString type = m_type->text().trimmed();
    if (!matches(kIdPattern, id)) {
        *error = tr("Name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or "
                    "digit");
        return {};
    }
    if (!matches(kTypePattern, type)) {
        *error = tr("Type: 1 to 64 lower case letters, digits or '_', starting with a letter");
        return {};
    }
    const QHash<QString, QString> problems = m_form->validate();
    if (!problems.isEmpty()) {
        for (const FieldDefinition &f : m_form->definition().fields)
            if (problems.contains(f.name)) {
                *error = tr("%1: %2").arg(f.displayLabel(), problems.value(f.name));
                return {};
            }
    }
    QJsonObject config = m_form->values();
    const QByteArray extraText = m_extra->toPlainText().trimmed().toUtf8();
    if (extraText.size() > kMaxExtraBytes) {
        *error = tr("More settings: at most %1 KiB").arg(kMaxExtraBytes / 1024);
        return {};
    }
    if (!extraText.isEmpty()) {
        QJsonParseError parse;
        const QJsonDocument doc = QJsonDocument::fromJson(extraText, &parse);
        if (!doc.isObject()) {
            *error = parse.error != QJsonParseError::NoError
                         ? tr("More settings: not JSON (%1 at character %2)")
                               .arg(parse.errorString())
                               .arg(parse.offset)
                         : tr("More settings: must be one JSON object {...}");
            return {};
        }
        const QJsonObject extra = doc.object();
        for (auto it = extra.begin(); it != extra.end(); ++it) {
            if (it.key() == QLatin1StringView("id") || it.key() == QLatin1StringView("type") ||
                it.key() == QLatin1StringView("driver") || config.contains(it.key())) {
                *error = tr("More settings: \"%1\" is set above; remove it here").arg(it.key());
                return {};
            }
            config.insert(it.key(), it.value());
        }
    }
    config.insert(QStringLiteral("id"), id);
    config.insert(QStringLiteral("type"), type);
    config.insert(QStringLiteral("driver"), m_kind->currentText());
    const QString problem = DriverRegistry::instance().check(config, DriverContext{});
    if (!problem.isEmpty()) {
        *error = problem;
        return {};
    }
    return config;
}

void DeviceSetupDialog::testConnection()
{
    QString error;
    const QJsonObject cfg = config(&error);
    if (cfg.isEmpty()) {
        setStatus(error, true);
        return;
    }
    endProbe();
    std::unique_ptr<DeviceDriver> driver =
        DriverRegistry::instance().create(cfg, DriverContext{}, &error);
    if (!driver) {
        setStatus(error, true);
        return;
    }
    const int generation = ++m_probeGeneration;
    m_probeThread = new QThread; // not a child: it may outlive the dialog by a moment
    m_probeThread->setObjectName(QStringLiteral("connection-test"));
    connect(m_probeThread, &QThread::finished, m_probeThread, &QObject::deleteLater);
    m_probeThread->start();
    DeviceDriver *probe = driver.release();
    probe->moveToThread(m_probeThread);
    m_probe = probe;
    m_test->setEnabled(false);
    setStatus(tr("Connecting to %1…").arg(cfg.value(QLatin1StringView("id")).toString()), false);
    connect(probe, &DeviceDriver::connectionChanged, this,
            [this, generation](const QString &, bool connected, const QString &message) {
                if (generation != m_probeGeneration) return;
                setStatus(connected ? tr("Connected: %1").arg(message)
                                    : tr("Connection failed: %1").arg(message),
                          !connected);
                endProbe();
            });
    QTimer::singleShot(kProbeTimeoutMs, this, [this, generation] {
        if (generation != m_probeGeneration || !m_probe) return;
        setStatus(tr("No answer within %1 s").arg(kProbeTimeoutMs / 1000), true);
        endProbe();
    });
    QMetaObject::invokeMethod(probe, "connectDevice", Qt::QueuedConnection);
}

void DeviceSetupDialog::endProbe()
{
    ++m_probeGeneration;
    if (m_probe) {
        QObject *probe = std::exchange(m_probe, nullptr);
        // On its own thread: stop retrying, close the link, delete.
        QMetaObject::invokeMethod(probe, [probe] {
            QMetaObject::invokeMethod(probe, "disconnectDevice", Qt::DirectConnection);
            delete probe;
        });
    }
    if (m_probeThread) {
        // The thread ends after the deletion queued above and deletes itself: the window
        // never waits for a driver to let go of its link.
        std::exchange(m_probeThread, nullptr)->quit();
    }
    m_test->setEnabled(true);
}

void DeviceSetupDialog::save()
{
    QString error;
    const QJsonObject cfg = config(&error);
    if (cfg.isEmpty()) {
        setStatus(error, true);
        return;
    }
    QJsonObject settings = cfg;
    for (const char *key : {"id", "type", "driver"})
        settings.remove(QLatin1StringView(key));
    const QJsonObject args{{QStringLiteral("type"), cfg.value(QLatin1StringView("type"))},
                           {QStringLiteral("driver"), cfg.value(QLatin1StringView("driver"))},
                           {QStringLiteral("settings"), settings}};
    m_save->setEnabled(false);
    setStatus(tr("Sending…"), false);
    m_session->send(m_editing ? QStringLiteral("device.edit") : QStringLiteral("device.add"),
                    cfg.value(QLatin1StringView("id")).toString(), args,
                    [dialog = QPointer<DeviceSetupDialog>(this)](const CommandReply &reply) {
                        if (!dialog) return;
                        dialog->m_save->setEnabled(true);
                        if (reply.ok) {
                            dialog->setStatus(reply.message, false);
                            dialog->accept();
                        } else {
                            dialog->setStatus(reply.message, true);
                        }
                    });
}

void DeviceSetupDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? toneStyle(Tone::Bad) : QString());
}

} // namespace alabos
