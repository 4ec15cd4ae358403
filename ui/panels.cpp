#include "ui/panels.h"

#include "ui/mainwindow.h"
#include "ui/samplespanel.h"
#include "ui/workflowspanel.h"

#include <QDockWidget>

namespace alabos {

void installPanels(MainWindow &window)
{
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
    // Tabs beside the task queue: each needs the window's full width to be readable.
    window.tabifyDockWidget(window.panelDock(QStringLiteral("tasksDock")), samplesDock);
    window.tabifyDockWidget(samplesDock, workflowsDock);
    window.panelDock(QStringLiteral("tasksDock"))->raise();
}

} // namespace alabos
