#include "ui/mainwindow.h"

#include "core/domain/logging.h"
#include "core/storage/pgutil.h"
#include "ui/apisettingsdialog.h"
#include "ui/apitokensdialog.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/devicesetupdialog.h"
#include "ui/devicespanel.h"
#include "ui/devicetablemodel.h"
#include "ui/labmodels.h"
#include "ui/panels.h"
#include "ui/positiondialog.h"
#include "ui/signaturedialog.h"
#include "ui/signindialog.h"
#include "ui/taskspanel.h"
#include "ui/theme.h"
#include "ui/workfloweditor.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QGuiApplication>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

namespace alabos {

namespace {
QString dot(const QColor &color)
{
    return QStringLiteral("<span style='color:%1'>&#9679;</span>").arg(color.name());
}
const QColor kGood(0x2e, 0x7d, 0x32);
const QColor kBad(0xc6, 0x28, 0x28);
} // namespace

MainWindow::MainWindow(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                       QWidget *parent)
    : QMainWindow(parent), m_models(models), m_session(session), m_services(services),
      m_userLabel(new QLabel(this)), m_databaseLabel(new QLabel(this)),
      m_brokerLabel(new QLabel(this)), m_lagLabel(new QLabel(this)),
      m_engineLabel(new QLabel(this)), m_schedulerLabel(new QLabel(this))
{
    setWindowTitle(tr("alabos — lab console"));
    setObjectName(QStringLiteral("mainWindow"));
    resize(1560, 960);
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks |
                   QMainWindow::AllowTabbedDocks);
    // Every command whose kind needs a signature asks for it over this window.
    if (services && services->signaturePolicy)
        session->setSignatures(services->signaturePolicy, SignatureDialog::signer(this));
    buildMenus();

    m_devicesPanel = new DevicesPanel(models, this);
    m_tasksPanel = new TasksPanel(models, session, this);
    connect(m_devicesPanel, &DevicesPanel::addDeviceRequested, this, &MainWindow::showAddDevice);
    connect(m_devicesPanel, &DevicesPanel::exportLabRequested, this, [this] { exportLabFile(); });
    // The fleet is the window's heart; everything else docks around it.
    addPanel(m_devicesPanel, tr("Devices"), QStringLiteral("devicesDock"), Qt::TopDockWidgetArea,
             QKeySequence(Qt::ALT | Qt::Key_1));
    addPanel(m_tasksPanel, tr("Task queue"), QStringLiteral("tasksDock"), Qt::BottomDockWidgetArea,
             QKeySequence(Qt::ALT | Qt::Key_2));
    installPanels(*this);
    setCentralWidget(nullptr);
    arrangeDefaultLayout();

    m_outageLabel = new QLabel(this);
    m_outageLabel->setObjectName(QStringLiteral("outageBanner"));
    m_outageLabel->setStyleSheet(
        QStringLiteral(
            "QLabel { background: %1; color: white; font-weight: bold; padding: 2px 8px; }")
            .arg(kBad.name()));
    menuBar()->setCornerWidget(m_outageLabel, Qt::TopRightCorner);
    m_outageLabel->hide();
    statusBar()->addWidget(m_engineLabel, 1);
    statusBar()->addPermanentWidget(m_schedulerLabel);
    statusBar()->addPermanentWidget(m_lagLabel);
    statusBar()->addPermanentWidget(m_databaseLabel);
    statusBar()->addPermanentWidget(m_brokerLabel);
    statusBar()->addPermanentWidget(m_userLabel);
    setDatabaseState(true, tr("Database connected"));
    setBrokerState(true, tr("Kafka reachable"));
    m_lagLabel->setText(tr("Consumer lag: —"));
    m_engineLabel->setText(tr("Engine starting…"));
    // The engine line is long; it must never make the window wider than the screen.
    m_engineLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    connect(models, &LabModels::feedStatsChanged, this, &MainWindow::setFeedStats);
    connect(session, &ConsoleSession::identityChanged, this, &MainWindow::updateIdentity);
    connect(session, &ConsoleSession::replied, this, [this](const CommandReply &reply) {
        if (!reply.ok)
            showMessage(tr("Refused: %1").arg(reply.message));
        else if (!reply.message.isEmpty())
            showMessage(reply.message);
    });
    updateIdentity();
}

MainWindow::~MainWindow() = default;

void MainWindow::showAddDevice()
{
    if (!m_session->can(permission::LabConfig)) {
        showMessage(tr("Adding a device needs the permission \"%1\"; sign in as an admin")
                        .arg(QLatin1StringView(permission::LabConfig)));
        return;
    }
    auto *dialog = new DeviceSetupDialog(m_session, {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAddPosition()
{
    if (!m_session->can(permission::LabConfig)) {
        showMessage(tr("Adding a position needs the permission \"%1\"; sign in as an admin")
                        .arg(QLatin1StringView(permission::LabConfig)));
        return;
    }
    QStringList devices;
    for (const DeviceState &d : m_models->devices()->rows())
        if (d.status != DeviceStatus::Offline || !d.message.isEmpty()) devices << d.id;
    devices.sort();
    auto *dialog = new PositionDialog(m_session, devices, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::exportLabFile(const QString &chosen)
{
    if (!m_services->exportLab) {
        showMessage(tr("This console cannot export the lab"));
        return;
    }
    const QString path =
        chosen.isEmpty()
            ? QFileDialog::getSaveFileName(this, tr("Export lab file"), QStringLiteral("lab.json"),
                                           tr("Lab files (*.json)"))
            : chosen;
    if (path.isEmpty()) return;
    showMessage(tr("Exporting the lab to %1…").arg(path));
    m_services->exportLab(path, this, [this, path](const QString &error) {
        if (error.isEmpty())
            showMessage(tr("Lab exported to %1").arg(path));
        else
            showMessage(tr("Export failed: %1").arg(error));
        Q_EMIT labExported(path, error);
    });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *signIn = file->addAction(tr("&Sign in…"), this, &MainWindow::showSignIn);
    signIn->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    file->addAction(tr("Sign &out"), m_session, &ConsoleSession::logout);
    QAction *tokens = file->addAction(tr("API &tokens…"), this, [this] {
        auto *dialog = new ApiTokensDialog(m_session, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    tokens->setObjectName(QStringLiteral("apiTokensAction"));
    tokens->setEnabled(m_session->isLoggedIn());
    connect(m_session, &ConsoleSession::identityChanged, tokens,
            [this, tokens] { tokens->setEnabled(m_session->isLoggedIn()); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *lab = menuBar()->addMenu(tr("&Lab"));
    QAction *addDevice = lab->addAction(tr("&Add device…"), this, &MainWindow::showAddDevice);
    addDevice->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    addDevice->setObjectName(QStringLiteral("addDeviceAction"));
    QAction *addPosition = lab->addAction(tr("Add &position…"), this, &MainWindow::showAddPosition);
    addPosition->setObjectName(QStringLiteral("addPositionAction"));
    QAction *exportLab = lab->addAction(tr("&Export lab file…"), this, [this] { exportLabFile(); });
    exportLab->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportLab->setObjectName(QStringLiteral("exportLabAction"));
    QAction *editor = lab->addAction(tr("&Workflow editor…"), this, [this] {
        WorkflowEditor::showFor(this, m_models, m_session, m_services);
    });
    editor->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    editor->setObjectName(QStringLiteral("workflowEditorAction"));
    QAction *api = lab->addAction(tr("&REST API…"), this, [this] {
        auto *dialog = new ApiSettingsDialog(
            m_session, m_services && m_services->apiAddress ? m_services->apiAddress() : QString(),
            this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    api->setObjectName(QStringLiteral("apiSettingsAction"));
    lab->addSeparator();
    QAction *signatures = lab->addAction(tr("Electronic &signatures…"), this, [this] {
        auto *dialog = new SignaturePolicyDialog(m_session, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    signatures->setObjectName(QStringLiteral("signaturePolicyAction"));
    signatures->setEnabled(m_session->can(permission::UserAdmin));
    signatures->setToolTip(
        tr("Needs the permission \"%1\"").arg(QLatin1StringView(permission::UserAdmin)));
    connect(m_session, &ConsoleSession::identityChanged, signatures,
            [this, signatures] { signatures->setEnabled(m_session->can(permission::UserAdmin)); });
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *reset = m_viewMenu->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    QMenu *language = m_viewMenu->addMenu(tr("&Language"));
    const QString current = QSettings().value(QStringLiteral("ui/language")).toString();
    for (const auto &[code, name] : {std::pair{QStringLiteral("en"), QStringLiteral("&English")},
                                     std::pair{QStringLiteral("de"), QStringLiteral("&Deutsch")}}) {
        QAction *a = language->addAction(name, this, [this, code] {
            QSettings().setValue(QStringLiteral("ui/language"), code);
            Q_EMIT languageChangeRequested(code);
        });
        a->setCheckable(true);
        a->setChecked(current == code || (current.isEmpty() && QLocale().name().startsWith(code)));
    }
    QMenu *themes = m_viewMenu->addMenu(tr("&Theme"));
    themes->setObjectName(QStringLiteral("themeMenu"));
    auto *themeGroup = new QActionGroup(themes);
    for (Theme theme : allThemes()) {
        QAction *a = themes->addAction(themeLabel(theme), this, [theme] { applyTheme(theme); });
        a->setObjectName(QStringLiteral("theme-%1").arg(toString(theme)));
        a->setCheckable(true);
        a->setChecked(theme == currentTheme());
        themeGroup->addAction(a);
    }
    m_viewMenu->addSeparator();
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About alabos"), this, [this] {
        QMessageBox::about(this, tr("About alabos"),
                           tr("<b>alabos %1</b><p>The laboratory automation console.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName,
                                  Qt::DockWidgetArea area, const QKeySequence &shortcut)
{
    // A status line inside a panel must wrap rather than make the window wider than the
    // screen (a long unwrapped label sets the whole window's minimum width).
    for (QLabel *label : panel->findChildren<QLabel *>())
        label->setWordWrap(true);
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    QAction *toggle = dock->toggleViewAction();
    if (!shortcut.isEmpty()) {
        toggle->setShortcut(shortcut);
        // The shortcut shows and focuses the panel rather than hiding it.
        auto *focus = new QAction(this);
        focus->setShortcut(shortcut);
        addAction(focus);
        connect(focus, &QAction::triggered, this, [dock] {
            dock->show();
            dock->raise();
            if (dock->widget()) dock->widget()->setFocus();
        });
        toggle->setShortcut({});
        toggle->setText(
            QStringLiteral("%1\t%2").arg(title, shortcut.toString(QKeySequence::NativeText)));
    }
    m_viewMenu->addAction(toggle);
    return dock;
}

QDockWidget *MainWindow::panelDock(const QString &objectName) const
{
    return findChild<QDockWidget *>(objectName);
}

void MainWindow::arrangeDefaultLayout()
{
    // The right column (alarms, prompts) spans the window's height, so it never moves
    // when the panels on the left change.
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    auto tabs = [this](const QString &first, const QStringList &others) {
        QDockWidget *anchor = panelDock(first);
        for (const QString &name : others)
            if (QDockWidget *d = panelDock(name); d && anchor) tabifyDockWidget(anchor, d);
        if (anchor) anchor->raise();
    };
    // Wide tables and charts need the full width: they share places as tabs.
    tabs(QStringLiteral("devicesDock"), {QStringLiteral("chartsDock"), QStringLiteral("deviceDock"),
                                         QStringLiteral("scheduleDock")});
    tabs(QStringLiteral("tasksDock"),
         {QStringLiteral("samplesDock"), QStringLiteral("workflowsDock"),
          QStringLiteral("eventLogDock"), QStringLiteral("auditDock")});
    QList<QDockWidget *> right;
    for (const QString &name : {QStringLiteral("alarmsDock"), QStringLiteral("promptsDock")})
        if (QDockWidget *d = panelDock(name)) right << d;
    for (int i = 1; i < right.size(); ++i)
        splitDockWidget(right[i - 1], right[i], Qt::Vertical);
    m_defaultState = saveState(kLayoutVersion);
}

void MainWindow::fitToScreen()
{
    // Shown without a window manager, Qt may size the window to its docks' size hints, or
    // a saved geometry may come from a larger screen: fit it back.
    if (const QScreen *s = screen())
        if (!s->availableGeometry().contains(frameGeometry())) setGeometry(s->availableGeometry());
}

void MainWindow::applyDefaultSizes()
{
    fitToScreen();
    // Sizes only mean something once the window has its size: called after it is shown.
    if (QDockWidget *alarms = panelDock(QStringLiteral("alarmsDock")))
        resizeDocks({alarms}, {qMin(460, width() / 3)}, Qt::Horizontal);
    if (QDockWidget *devices = panelDock(QStringLiteral("devicesDock")))
        if (QDockWidget *tasks = panelDock(QStringLiteral("tasksDock")))
            resizeDocks({devices, tasks}, {55, 45}, Qt::Vertical);
    m_defaultState = saveState(kLayoutVersion);
}

QString MainWindow::layoutKey(const QScreen *screen)
{
    QString name = screen ? screen->name() : QString();
    for (QChar &c : name)
        if (!c.isLetterOrNumber()) c = u'_';
    const QSize size = screen ? screen->size() : QSize();
    return QStringLiteral("window/screen-%1-%2x%3")
        .arg(name.left(64))
        .arg(size.width())
        .arg(size.height());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    // The screen it was last on, if it is still there; else the primary one.
    const QString last = settings.value(QStringLiteral("window/lastScreen")).toString();
    QScreen *screen = QGuiApplication::primaryScreen();
    for (QScreen *s : QGuiApplication::screens())
        if (layoutKey(s) == last) screen = s;
    const QString key = layoutKey(screen);
    QByteArray geometry = settings.value(key + QStringLiteral("/geometry")).toByteArray();
    QByteArray state = settings.value(key + QStringLiteral("/state")).toByteArray();
    if (geometry.isEmpty() && settings.contains(QStringLiteral("window/geometry"))) {
        // Saved before layouts were kept per screen: the one layout there is.
        geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
        state = settings.value(QStringLiteral("window/state")).toByteArray();
    }
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // First start on this screen: all of it (without a window manager, maximizing does
        // nothing).
        if (screen) setGeometry(screen->availableGeometry());
    }
    if (!restoreState(state, kLayoutVersion))
        QTimer::singleShot(0, this, &MainWindow::applyDefaultSizes);
    else
        QTimer::singleShot(0, this, &MainWindow::fitToScreen);
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState, kLayoutVersion);
    applyDefaultSizes();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        dock->show();
}

void MainWindow::saveLayout()
{
    QSettings settings;
    const QString key = layoutKey(screen());
    settings.setValue(key + QStringLiteral("/geometry"), saveGeometry());
    settings.setValue(key + QStringLiteral("/state"), saveState(kLayoutVersion));
    settings.setValue(QStringLiteral("window/lastScreen"), key);
    settings.remove(QStringLiteral("window/geometry"));
    settings.remove(QStringLiteral("window/state"));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

void MainWindow::updateIdentity()
{
    m_userLabel->setText(m_session->isLoggedIn()
                             ? tr("%1 (%2)").arg(m_session->user(), toString(m_session->role()))
                             : tr("Not logged in"));
}

void MainWindow::showSignIn()
{
    auto *dialog = new SignInDialog(m_services, m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showMessage(const QString &message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
}

void MainWindow::setFeedStats(const FeedStats &stats)
{
    m_lagLabel->setText(tr("Consumer lag: %1").arg(stats.lag));
}

void MainWindow::setEngineStats(const EngineStats &s)
{
    m_engineLabel->setText(tr("Engine running — %1 tasks running, %2 waiting for a device, %3 "
                              "completed, %4 failed, %5 workflows completed")
                               .arg(s.runningTasks)
                               .arg(s.waitingForDevice)
                               .arg(s.tasksCompleted)
                               .arg(s.tasksFailed)
                               .arg(s.workflowsCompleted));
}

void MainWindow::setDatabaseState(bool connected, const QString &message)
{
    m_databaseLabel->setText(QStringLiteral("%1 %2").arg(
        dot(connected ? kGood : kBad), connected ? tr("Database") : tr("Database unreachable")));
    m_databaseLabel->setToolTip(message);
    // An outage is announced where the eye goes first, with what it means for the lab; its
    // end is said once in the status bar.
    if (!connected) {
        if (!m_databaseDownSince.isValid()) m_databaseDownSince = QDateTime::currentDateTime();
        m_outageLabel->setText(
            tr("Database unreachable since %1: running tasks go on, new tasks wait, nothing "
               "is lost")
                .arg(QLocale().toString(m_databaseDownSince.time(), QLocale::ShortFormat)));
        m_outageLabel->setToolTip(message);
        m_outageLabel->show();
    } else {
        if (m_databaseDownSince.isValid()) {
            const qint64 seconds = m_databaseDownSince.secsTo(QDateTime::currentDateTime());
            showMessage(tr("Database back after %n s", nullptr, int(seconds)), 15000);
        }
        m_databaseDownSince = {};
        m_outageLabel->hide();
    }
}

void MainWindow::setBrokerState(bool healthy, const QString &message)
{
    m_brokerLabel->setText(QStringLiteral("%1 %2").arg(
        dot(healthy ? kGood : kBad), healthy ? tr("Kafka") : tr("Kafka unreachable")));
    m_brokerLabel->setToolTip(message);
}

void MainWindow::setScheduler(const SchedulerInfo &info, bool thisProcess)
{
    if (!info.known) {
        m_schedulerLabel->setText(QStringLiteral("%1 %2").arg(dot(kBad), tr("No scheduler")));
        m_schedulerLabel->setToolTip(tr("No scheduler has ever run on this database"));
    } else {
        m_schedulerLabel->setText(QStringLiteral("%1 %2").arg(
            dot(info.running ? kGood : kBad),
            info.running
                ? tr("Scheduler: host %1, pid %2").arg(info.host).arg(info.pid)
                : tr("Scheduler unreachable (host %1, pid %2)").arg(info.host).arg(info.pid)));
        m_schedulerLabel->setToolTip(
            thisProcess ? tr("This process runs the scheduler since %1")
                              .arg(QLocale().toString(info.since, QLocale::ShortFormat))
                        : tr("Scheduler since %1; this console sends its commands there "
                             "through Kafka")
                              .arg(QLocale().toString(info.since, QLocale::ShortFormat)));
    }
    if (!thisProcess)
        m_engineLabel->setText(info.running
                                   ? tr("Console only — the lab runs on the scheduler")
                                   : tr("Console only — the scheduler is stopped or unreachable: "
                                        "commands cannot run"));
}

void MainWindow::setConnectionInfo(const QString &database, const QString &kafka)
{
    m_databaseLabel->setToolTip(redactedConnectionString(database));
    m_brokerLabel->setToolTip(tr("Kafka bootstrap %1").arg(kafka));
}

} // namespace alabos
