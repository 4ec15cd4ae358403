#include "ui/panels.h"

#include "ui/chartspanel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"

#include <QDockWidget>

namespace alabos {

void installPanels(MainWindow &window)
{
    // Charts share the fleet's place and the log the queue's, as tabs: each needs room.
    QDockWidget *charts = window.addPanel(
        new ChartsPanel(window.models(), window.services(), &window), QObject::tr("Charts"),
        QStringLiteral("chartsDock"), Qt::TopDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_5));
    if (QDockWidget *devices = window.panelDock(QStringLiteral("devicesDock")))
        window.tabifyDockWidget(devices, charts);
    QDockWidget *log =
        window.addPanel(new EventLogPanel(window.models(), window.services(), &window),
                        QObject::tr("Event log"), QStringLiteral("eventLogDock"),
                        Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_6));
    if (QDockWidget *tasks = window.panelDock(QStringLiteral("tasksDock")))
        window.tabifyDockWidget(tasks, log);
}

} // namespace alabos
