#include "ui/panels.h"

#include "ui/alarmspanel.h"
#include "ui/devicepage.h"
#include "ui/devicespanel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDockWidget>

namespace alabos {

void installPanels(MainWindow &window)
{
    auto *device = new DevicePage(window.models(), window.session(), window.services(), &window);
    QDockWidget *deviceDock = window.addPanel(device, QObject::tr("Device"), QStringLiteral("deviceDock"),
                                              Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_8));
    QObject::connect(window.devicesPanel(), &DevicesPanel::deviceActivated, device, [device, deviceDock](const QString &id) {
        deviceDock->show();
        deviceDock->raise();
        device->showDevice(id);
    });

    auto *alarms = new AlarmsPanel(window.models(), window.session(), &window);
    QDockWidget *alarmsDock = window.addPanel(alarms, QObject::tr("Alarms"), QStringLiteral("alarmsDock"),
                                              Qt::RightDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_7));
    // Unacknowledged alarms show in the dock's title and reach an operator whose window is
    // in the background.
    QObject::connect(alarms, &AlarmsPanel::unacknowledgedChanged, alarmsDock, [alarmsDock, &window](int n) {
        alarmsDock->setWindowTitle(n > 0 ? QObject::tr("Alarms (%1 unacknowledged)").arg(n) : QObject::tr("Alarms"));
        if (n > 0)
            QApplication::alert(&window);
    });
}

} // namespace alabos
