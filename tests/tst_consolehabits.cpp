// A person's habits at the console: every control named for a screen reader and reachable by
// keyboard, the themes (dark, high contrast) switched live, the window's layout kept per screen.
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"
#include "ui/alarmspanel.h"
#include "ui/apisettingsdialog.h"
#include "ui/chartspanel.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QToolButton>

using namespace alabos;

namespace {
// A console with a realistic fleet and some alarms, as a person sees it.
struct Console
{
    LabModels models;
    ConsoleSession session;
    ConsoleServices services;
    std::unique_ptr<MainWindow> window;

    Console()
    {
        FeedUpdate u;
        u.reset = true;
        for (int i = 0; i < 2000; ++i)
            u.devices.append({QStringLiteral("furnace-%1").arg(i, 5, 10, QLatin1Char('0')),
                              QStringLiteral("box_furnace"), DeviceStatus::Idle, 0, 0,
                              nowMicros()});
        Alarm a;
        a.id = 1;
        a.key = QStringLiteral("device:furnace-00001");
        a.source = QStringLiteral("device");
        a.severity = AlarmSeverity::Alarm;
        a.message = QStringLiteral("door open");
        u.alarms.append(a);
        models.apply(u);
        window = std::make_unique<MainWindow>(&models, &session, &services);
        window->resize(1600, 1000);
        window->show();
    }

    // Lab > Workflow editor...: the editor window it opened; nullptr when none.
    QWidget *openWorkflowEditor()
    {
        window->findChild<QAction *>(QStringLiteral("workflowEditorAction"))->trigger();
        for (QWidget *w : QApplication::topLevelWidgets())
            if (w->inherits("alabos::WorkflowEditor") && w->isVisible()) return w;
        return nullptr;
    }
};

QString describe(const QWidget *w)
{
    QStringList chain;
    for (const QObject *o = w; o && chain.size() < 4; o = o->parent())
        chain << QStringLiteral("%1(%2)").arg(QString::fromLatin1(o->metaObject()->className()),
                                              o->objectName());
    return chain.join(QStringLiteral(" < "));
}

bool isControl(const QWidget *w)
{
    return qobject_cast<const QAbstractButton *>(w) || qobject_cast<const QLineEdit *>(w) ||
           qobject_cast<const QComboBox *>(w) || qobject_cast<const QAbstractSpinBox *>(w) ||
           (qobject_cast<const QAbstractItemView *>(w) && !w->inherits("QHeaderView")) ||
           qobject_cast<const QPlainTextEdit *>(w) || qobject_cast<const QTextEdit *>(w);
}

// Controls a person can reach: shown in the window or in a dock (tabbed docks included),
// not the internals of a composite control (a combo box's list, a spin box's editor).
QList<QWidget *> controls(QWidget *root)
{
    QList<QWidget *> found;
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!isControl(w) || w->isHidden()) continue;
        bool inner = false;
        for (QWidget *p = w->parentWidget(); p && p != root; p = p->parentWidget())
            if (qobject_cast<QComboBox *>(p) || qobject_cast<QAbstractSpinBox *>(p) ||
                p->isHidden() || p->inherits("QTabBar") || p->inherits("QDockWidgetTitleButton") ||
                (p->isWindow() && p != root))
                inner = true;
        // Dock title buttons and tab-bar scrollers belong to Qt and carry their own names.
        if (!inner && !w->inherits("QDockWidgetTitleButton") && !w->inherits("QToolBarExtension") &&
            w->objectName() != QLatin1StringView("ScrollLeftButton") &&
            w->objectName() != QLatin1StringView("ScrollRightButton") &&
            !w->objectName().startsWith(QLatin1StringView("qt_")))
            found << w;
    }
    return found;
}

// Controls Tab cannot reach, and toolbar buttons whose action has neither a shortcut nor a
// menu entry.
QStringList keyboardUnreachable(const QList<QWidget *> &all)
{
    QStringList unreachable;
    for (QWidget *w : all) {
        if (w->focusPolicy() & Qt::TabFocus) continue;
        // A toolbar's buttons take no focus: their action needs a shortcut or a menu entry.
        if (auto *tool = qobject_cast<QToolButton *>(w); tool && tool->defaultAction()) {
            QAction *a = tool->defaultAction();
            bool inMenu = false;
            for (QObject *o : a->associatedObjects())
                inMenu = inMenu || qobject_cast<QMenu *>(o);
            if (!a->shortcut().isEmpty() || inMenu) continue;
            unreachable << describe(w) + QStringLiteral(" [") + a->text() + u']';
            continue;
        }
        unreachable << describe(w);
    }
    return unreachable;
}

QString hex(QPalette::ColorGroup group, QPalette::ColorRole role)
{
    return QApplication::palette().color(group, role).name();
}
} // namespace

class TstConsoleHabits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("alabos-test-habits"));
        QSettings().clear();
    }

    void everyControlHasAnAccessibleName()
    {
        Console c;
        QStringList unnamed;
        // The window, and the workflow editor it opens (a window of its own).
        QWidget *editor = c.openWorkflowEditor();
        QVERIFY(editor);
        QList<QWidget *> all = controls(c.window.get()) + controls(editor);
        QVERIFY2(all.size() > 40, qPrintable(QString::number(all.size())));
        for (QWidget *w : all) {
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
            const QString name = iface ? iface->text(QAccessible::Name).trimmed() : QString();
            if (name.isEmpty()) {
                unnamed << describe(w);
                qWarning().noquote() << "no accessible name:" << describe(w);
            }
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(QStringLiteral("%1 controls without an accessible "
                                                              "name:\n")
                                                   .arg(unnamed.size()) +
                                               unnamed.join(u'\n')));
    }

    void everyControlIsReachableByKeyboard()
    {
        Console c;
        QStringList unreachable = keyboardUnreachable(controls(c.window.get()));
        QVERIFY2(unreachable.isEmpty(),
                 qPrintable(QStringLiteral("not reachable with Tab:\n") + unreachable.join(u'\n')));
        // Every menu and every menu entry has a letter (Alt+letter) or a shortcut.
        QStringList unlettered;
        for (QAction *top : c.window->menuBar()->actions()) {
            if (!top->text().contains(u'&')) unlettered << top->text();
            if (!top->menu()) continue;
            QList<QAction *> entries = top->menu()->actions();
            for (int i = 0; i < entries.size(); ++i) {
                QAction *a = entries[i];
                if (a->isSeparator()) continue;
                if (a->menu()) entries += a->menu()->actions();
                // Panel entries carry their Alt+digit after a tab.
                if (!a->text().contains(u'&') && a->shortcut().isEmpty() &&
                    !a->text().contains(u'\t'))
                    unlettered << top->text() + QStringLiteral(" → ") + a->text();
            }
        }
        QVERIFY2(unlettered.isEmpty(), qPrintable(QStringLiteral("menu entries without a key:\n") +
                                                  unlettered.join(u'\n')));
        // Each panel's Alt+digit shows it and puts the keyboard in it.
        QApplication::setActiveWindow(c.window.get());
        QVERIFY(QTest::qWaitForWindowActive(c.window.get()));
        QDockWidget *alarms = c.window->panelDock(QStringLiteral("alarmsDock"));
        QVERIFY(alarms);
        alarms->hide();
        QTest::keyClick(c.window.get(), Qt::Key_7, Qt::AltModifier);
        QTRY_VERIFY2(
            alarms->isVisible(),
            qPrintable(QStringLiteral("active window: %1, focus: %2")
                           .arg(QApplication::activeWindow()
                                    ? describe(QApplication::activeWindow())
                                    : QStringLiteral("none"),
                                QApplication::focusWidget() ? describe(QApplication::focusWidget())
                                                            : QStringLiteral("none"))));
        QWidget *focus = QApplication::focusWidget();
        QVERIFY2(focus && alarms->isAncestorOf(focus),
                 qPrintable(focus ? describe(focus) : QStringLiteral("(no focus)")));
    }

    void theWorkflowEditorIsReachableByKeyboard()
    {
        Console c;
        QWidget *editor = c.openWorkflowEditor();
        QVERIFY(editor);
        const QStringList unreachable = keyboardUnreachable(controls(editor));
        QVERIFY2(unreachable.isEmpty(),
                 qPrintable(QStringLiteral("not reachable with Tab:\n") + unreachable.join(u'\n')));
    }

    void themesSwitchLiveAndHighContrastMeetsWcagAaa()
    {
        Console c;
        const QString platformStyle = QApplication::style()->name();
        auto *table = c.window->findChild<QAbstractItemView *>();
        QVERIFY(table);
        auto *card = c.window->findChild<ChartCard *>();
        QVERIFY(card);

        applyTheme(Theme::Dark);
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
        QVERIFY(paletteIsDark());
        // The window that is open follows, without being built again.
        QTRY_VERIFY2(table->palette().color(QPalette::Base).lightnessF() < 0.2,
                     qPrintable(describe(table) + QStringLiteral(" ") +
                                table->palette().color(QPalette::Base).name()));
        QTRY_COMPARE(card->chart()->theme(), QChart::ChartThemeDark);
        QVERIFY(contrastRatio(hex(QPalette::Active, QPalette::Text),
                              hex(QPalette::Active, QPalette::Base)) >= 7);

        applyTheme(Theme::HighContrast);
        QTRY_COMPARE(card->chart()->theme(), QChart::ChartThemeHighContrast);
        for (auto [fg, bg] : {std::pair{QPalette::Text, QPalette::Base},
                              std::pair{QPalette::WindowText, QPalette::Window},
                              std::pair{QPalette::ButtonText, QPalette::Button},
                              std::pair{QPalette::HighlightedText, QPalette::Highlight},
                              std::pair{QPalette::ToolTipText, QPalette::ToolTipBase}}) {
            const double ratio =
                contrastRatio(hex(QPalette::Active, fg), hex(QPalette::Active, bg));
            QVERIFY2(
                ratio >= 7,
                qPrintable(
                    QStringLiteral("role %1 on %2: %3:1").arg(int(fg)).arg(int(bg)).arg(ratio)));
        }
        QVERIFY(contrastRatio(hex(QPalette::Disabled, QPalette::Text),
                              hex(QPalette::Disabled, QPalette::Base)) >= 4.5);
        // Meaningful colours stay readable on every theme's tables.
        for (Theme theme : {Theme::Light, Theme::Dark, Theme::HighContrast}) {
            applyTheme(theme);
            for (Tone tone : {Tone::Good, Tone::Bad, Tone::Info}) {
                const QString base = hex(QPalette::Active, QPalette::Base);
                QVERIFY2(contrastRatio(toneColor(tone).name(), base) >= 4.5,
                         qPrintable(toString(theme) + QStringLiteral(": ") +
                                    toneColor(tone).name() + QStringLiteral(" on ") + base));
                QVERIFY(contrastRatio(hex(QPalette::Active, QPalette::Text),
                                      toneBackground(tone, true).name()) >= 4.5);
            }
        }
        QVERIFY(qAbs(contrastRatio(QStringLiteral("#000000"), QStringLiteral("#ffffff")) - 21) <
                0.01);

        // The View menu's entries are the same switch.
        auto *light = c.window->findChild<QAction *>(QStringLiteral("theme-light"));
        QVERIFY(light);
        light->trigger();
        QVERIFY(!paletteIsDark());
        QTRY_COMPARE(card->chart()->theme(), QChart::ChartThemeLight);
        QVERIFY(savedTheme() == Theme::Light);
        c.window->findChild<QAction *>(QStringLiteral("theme-system"))->trigger();
        QCOMPARE(QApplication::style()->name(), platformStyle);
        QVERIFY(!themeFromString(u"night"));
    }

    void theLayoutIsKeptPerScreen()
    {
        QSettings().clear();
        QScreen *screen = QGuiApplication::primaryScreen();
        const QString key = MainWindow::layoutKey(screen);
        QVERIFY(key.startsWith(QLatin1StringView("window/screen-")));
        QSize savedSize;
        {
            // On this screen the alarms were closed.
            Console c;
            c.window->panelDock(QStringLiteral("alarmsDock"))->hide();
            savedSize = c.window->size();
            c.window->saveLayout();
        }
        QVERIFY(QSettings().contains(key + QStringLiteral("/geometry")));
        QVERIFY(QSettings().contains(key + QStringLiteral("/state")));
        QCOMPARE(QSettings().value(QStringLiteral("window/lastScreen")).toString(), key);
        // On another screen (a monitor not connected now) they were open, and the window was
        // small: that layout stays its own.
        const QString other = QStringLiteral("window/screen-DP_2-3840x2160");
        {
            Console c;
            c.window->setGeometry(QRect(QPoint(10, 10), QSize(500, 400)));
            QSettings().setValue(other + QStringLiteral("/geometry"), c.window->saveGeometry());
            QSettings().setValue(other + QStringLiteral("/state"),
                                 c.window->saveState(MainWindow::kLayoutVersion));
        }
        QSettings().setValue(QStringLiteral("window/lastScreen"), other);
        {
            Console again;
            again.window->hide();
            again.window->restoreLayout();
            again.window->show();
            QTRY_VERIFY(!again.window->panelDock(QStringLiteral("alarmsDock"))->isVisible());
            QCOMPARE(again.window->size(), savedSize);
        }
        // A layout saved before layouts were kept per screen is used once, then moved.
        QByteArray legacyGeometry, legacyState;
        {
            Console c;
            c.window->panelDock(QStringLiteral("promptsDock"))->hide();
            legacyGeometry = c.window->saveGeometry();
            legacyState = c.window->saveState(MainWindow::kLayoutVersion);
        }
        QSettings().clear();
        QSettings().setValue(QStringLiteral("window/geometry"), legacyGeometry);
        QSettings().setValue(QStringLiteral("window/state"), legacyState);
        {
            Console legacy;
            legacy.window->restoreLayout();
            QTRY_VERIFY(!legacy.window->panelDock(QStringLiteral("promptsDock"))->isVisible());
            QVERIFY(legacy.window->panelDock(QStringLiteral("alarmsDock"))->isVisible());
            legacy.window->saveLayout();
        }
        QVERIFY(!QSettings().contains(QStringLiteral("window/geometry")));
        QVERIFY(QSettings().contains(key + QStringLiteral("/state")));
    }

    void theApiSettingIsAnAdminsAndCheckedBeforeItIsSaved()
    {
        QSettings().clear();
        ConsoleSession session;
        ApiSettingsDialog dialog(&session, {});
        auto *enabled = dialog.findChild<QCheckBox *>(QStringLiteral("apiEnabled"));
        auto *listen = dialog.findChild<QLineEdit *>(QStringLiteral("apiListen"));
        auto *status = dialog.findChild<QLabel *>(QStringLiteral("apiSettingsStatus"));
        QVERIFY(enabled && listen && status);
        QVERIFY(!enabled->isEnabled()); // nobody signed in
        enabled->setChecked(true);
        QVERIFY(!dialog.apply());
        QVERIFY2(status->text().contains(QLatin1StringView("lab_config")),
                 qPrintable(status->text()));
        session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
        QVERIFY(!dialog.apply());
        QVERIFY(!ConsoleApiSetting::load().enabled);
        session.setIdentity(QStringLiteral("ada"), Role::Admin, {});
        QVERIFY(enabled->isEnabled());
        listen->setText(QStringLiteral("999.1.1.1:80"));
        QVERIFY(!dialog.apply());
        QVERIFY2(status->text().contains(QLatin1StringView("HOST:PORT")),
                 qPrintable(status->text()));
        listen->setText(QStringLiteral("0.0.0.0:8471"));
        QVERIFY(dialog.apply());
        QVERIFY2(status->text().contains(QLatin1StringView("TLS")), qPrintable(status->text()));
        QCOMPARE(ConsoleApiSetting::load().listen, QStringLiteral("0.0.0.0:8471"));
        QVERIFY(ConsoleApiSetting::load().enabled);
        QCOMPARE(listen->maxLength(), ConsoleApiSetting::kMaxListenLength);
    }

    void aConsoleWithTheSettingServesTheApi()
    {
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        // The real binary with a window (offscreen) and this workstation's setting on.
        QTemporaryDir config;
        QDir(config.path()).mkpath(QStringLiteral("alabos"));
        QFile conf(config.path() + QStringLiteral("/alabos/alabos.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[api]\nenabled=true\nlisten=127.0.0.1:0\n");
        conf.close();
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-habits-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        test::Alabos console;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        console.process.setProcessEnvironment(env);
        console.process.setStandardErrorFile(dataDir + QStringLiteral("/console.log"));
        console.start(bin, QStringList{QStringLiteral("--simulate"), QStringLiteral("demo"),
                                       QStringLiteral("--devices"), QStringLiteral("20"),
                                       QStringLiteral("--data-dir"), dataDir,
                                       QStringLiteral("--no-fsync"), QStringLiteral("--run-for"),
                                       QStringLiteral("60")} +
                               test::adminPasswordArgs(dataDir));
        const auto served =
            console.waitFor(QStringLiteral("alabos: API http://127\\.0\\.0\\.1:(\\d+)"));
        QVERIFY2(served.hasMatch(), qPrintable(console.text()));
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(served.captured(1).toUInt()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QByteArray reply;
        while (socket.waitForReadyRead(5000))
            reply += socket.readAll();
        QVERIFY2(reply.startsWith("HTTP/1.1 200"), reply.constData());
        // A flag decides over the setting.
        test::Alabos without;
        without.process.setProcessEnvironment(env);
        without.process.setStandardErrorFile(dataDir + QStringLiteral("/without.log"));
        QTemporaryDir tmp2(QStringLiteral("/tmp/alabos-habits-XXXXXX"));
        const QString dataDir2 = test::makeSharedTempDir(tmp2);
        without.start(bin, QStringList{QStringLiteral("--no-api"), QStringLiteral("--simulate"),
                                       QStringLiteral("demo"), QStringLiteral("--devices"),
                                       QStringLiteral("5"), QStringLiteral("--data-dir"), dataDir2,
                                       QStringLiteral("--no-fsync"), QStringLiteral("--run-for"),
                                       QStringLiteral("5")} +
                               test::adminPasswordArgs(dataDir2));
        QVERIFY(without.process.waitForFinished(120000));
        without.out += without.process.readAllStandardOutput();
        QVERIFY2(without.text().contains(QLatin1StringView("alabos: PostgreSQL")),
                 qPrintable(without.text()));
        QVERIFY2(!without.text().contains(QLatin1StringView("alabos: API")),
                 qPrintable(without.text()));
    }

    void panelsFitBesideTheAlarmsOnA1600PixelScreen()
    {
        // The right column takes at most 460 px of a 1600 px screen: every panel on the left
        // fits in what is left, so no button is cut.
        Console c;
        QStringList tooWide;
        for (QDockWidget *dock : c.window->findChildren<QDockWidget *>()) {
            const int need = dock->widget()->minimumSizeHint().width();
            if (need > 1600 - 460 - 20)
                tooWide << QStringLiteral("%1 needs %2 px").arg(dock->objectName()).arg(need);
        }
        QVERIFY2(tooWide.isEmpty(), qPrintable(tooWide.join(u'\n')));
    }
};

QTEST_MAIN(TstConsoleHabits)
#include "tst_consolehabits.moc"
