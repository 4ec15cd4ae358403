#include "ui/panels.h"

#include "ui/alarmspanel.h"
#include "ui/auditpanel.h"
#include "ui/consoleservices.h"
#include "ui/devicepage.h"
#include "ui/devicespanel.h"
#include "ui/chartspanel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"
#include "ui/promptspanel.h"
#include "ui/samplespanel.h"
#include "ui/schedulepanel.h"
#include "ui/workflowspanel.h"

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
    // The right column is narrow by design: the fleet and the queue need the width.
    alarms->setMaximumWidth(560);
    QDockWidget *alarmsDock = window.addPanel(alarms, QObject::tr("Alarms"), QStringLiteral("alarmsDock"),
                                              Qt::RightDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_7));
    // Unacknowledged alarms show in the dock's title and reach an operator whose window is
    // in the background.
    QObject::connect(alarms, &AlarmsPanel::unacknowledgedChanged, alarmsDock, [alarmsDock, &window](int n) {
        alarmsDock->setWindowTitle(n > 0 ? QObject::tr("Alarms (%1 unacknowledged)").arg(n) : QObject::tr("Alarms"));
        if (n > 0)
            QApplication::alert(&window);
    });
    auto *prompts = new PromptsPanel(window.models(), window.session(), &window);
    prompts->setMaximumWidth(560);
    QDockWidget *promptsDock = window.addPanel(prompts, QObject::tr("Prompts"), QStringLiteral("promptsDock"),
                                               Qt::RightDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_9));
    // A task waits on a person: the dock comes forward and the window asks for attention.
    QObject::connect(prompts, &PromptsPanel::openPromptsChanged, promptsDock,
                     [promptsDock, &window](int n, bool newOne) {
                         promptsDock->setWindowTitle(n > 0 ? QObject::tr("Prompts (%1 open)").arg(n) : QObject::tr("Prompts"));
                         if (newOne) {
                             promptsDock->show();
                             promptsDock->raise();
                             QApplication::alert(&window);
                         }
                     });
    auto *samples = new SamplesPanel(window.models(), window.session(), window.services(), &window);
    QDockWidget *samplesDock =
        window.addPanel(samples, MainWindow::tr("Samples"), QStringLiteral("samplesDock"),
                        Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_3));
    auto *workflows =
        new WorkflowsPanel(window.models(), window.session(), window.services(), &window);
    workflows->setSelectedSamplesProvider([samples] { return samples->selectedBarcodes(); });
    QDockWidget *workflowsDock =
        window.addPanel(workflows, MainWindow::tr("Workflows"), QStringLiteral("workflowsDock"),
                        Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_4));
    Q_UNUSED(samplesDock);
    Q_UNUSED(workflowsDock);
    window.addPanel(
        new ChartsPanel(window.models(), window.services(), &window), QObject::tr("Charts"),
        QStringLiteral("chartsDock"), Qt::TopDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_5));
    window.addPanel(new EventLogPanel(window.models(), window.services(), &window),
                        QObject::tr("Event log"), QStringLiteral("eventLogDock"),
                        Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_6));
    window.addPanel(
        new SchedulePanel(window.models(), window.session(), window.services(), &window),
        QObject::tr("Schedule"), QStringLiteral("scheduleDock"), Qt::TopDockWidgetArea,
        QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key_S));
    auto *audit = new AuditPanel(window.services() ? window.services()->reader : nullptr, &window);
    QDockWidget *auditDock =
        window.addPanel(audit, QObject::tr("Audit trail"), QStringLiteral("auditDock"),
                        Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_0));
    // Read when a person looks at it, not at every start.
    QObject::connect(auditDock, &QDockWidget::visibilityChanged, audit, [audit](bool visible) {
        if (visible) audit->refresh();
    });
}

} // namespace alabos
