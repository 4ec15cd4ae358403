#pragma once
#include "core/bus/statefeed.h"
#include "core/engine/enginestats.h"
#include "core/storage/schedulerlease.h"

#include <QDateTime>
#include <QMainWindow>

class QLabel;
class QScreen;
class QDockWidget;
class QMenu;

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class DevicesPanel;
class LabModels;
class TasksPanel;

// The console's main window: dockable panels with a saved layout and shortcuts, and a
// status bar with the database and broker connection, consumer lag and engine state.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(LabModels *models, ConsoleSession *session, ConsoleServices *services,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    // Adds a panel as a dock, listed in the View menu with its shortcut.
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName,
                          Qt::DockWidgetArea area, const QKeySequence &shortcut = {});
    QDockWidget *panelDock(const QString &objectName) const;
    LabModels *models() const { return m_models; }
    ConsoleSession *session() const { return m_session; }
    ConsoleServices *services() const { return m_services; }
    DevicesPanel *devicesPanel() const { return m_devicesPanel; }
    TasksPanel *tasksPanel() const { return m_tasksPanel; }
    // Size and layout are kept per screen (its name and size): a laptop's own panel and the
    // monitor it is docked to keep one each. The window opens on the screen it was last on,
    // when that screen is there, with that screen's layout.
    void restoreLayout();
    static constexpr int kLayoutVersion = 2; // bump when the set of panels changes
    static QString layoutKey(const QScreen *screen);
    void arrangeDefaultLayout();
    void applyDefaultSizes();
    void fitToScreen();
    void saveLayout();
    void resetLayout();

public Q_SLOTS:
    void setFeedStats(const alabos::FeedStats &stats);
    void setEngineStats(const alabos::EngineStats &stats);
    void setDatabaseState(bool connected, const QString &message);
    void setBrokerState(bool healthy, const QString &message);
    void setConnectionInfo(const QString &database, const QString &kafka);
    // Who runs the scheduler: this process, or another one a console only sends commands to.
    void setScheduler(const alabos::SchedulerInfo &info, bool thisProcess);
    void showMessage(const QString &message, int timeoutMs = 8000);
    void showSignIn();
    // The lab's set-up: a new device through the generated settings form; the lab as it
    // runs written to a lab file.
    void showAddDevice();
    void showAddPosition();
    void exportLabFile(const QString &path = {});

Q_SIGNALS:
    // The user chose another language ("en", "de"); the application rebuilds the window.
    void languageChangeRequested(const QString &language);
    // An export of the lab file ended (error empty: written).
    void labExported(const QString &path, const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void updateIdentity();

    LabModels *m_models;
    ConsoleSession *m_session;
    ConsoleServices *m_services;
    DevicesPanel *m_devicesPanel = nullptr;
    TasksPanel *m_tasksPanel = nullptr;
    QMenu *m_viewMenu = nullptr;
    QByteArray m_defaultState;
    QLabel *m_userLabel;
    QLabel *m_databaseLabel;
    QLabel *m_outageLabel = nullptr; // in the menu bar's corner while the database is away
    QDateTime m_databaseDownSince;
    QLabel *m_brokerLabel;
    QLabel *m_lagLabel;
    QLabel *m_engineLabel;
    QLabel *m_schedulerLabel;
};

} // namespace alabos
