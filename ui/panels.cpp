#include "ui/panels.h"

#include "ui/chartspanel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"

namespace alabos {

void installPanels(MainWindow &window)
{
    window.addPanel(new ChartsPanel(window.models(), window.services(), &window),
                    QObject::tr("Charts"), QStringLiteral("chartsDock"), Qt::RightDockWidgetArea,
                    QKeySequence(Qt::ALT | Qt::Key_5));
    window.addPanel(new EventLogPanel(window.models(), window.services(), &window),
                    QObject::tr("Event log"), QStringLiteral("eventLogDock"),
                    Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_6));
}

} // namespace alabos
