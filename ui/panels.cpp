#include "ui/panels.h"

#include "ui/mainwindow.h"
#include "ui/samplespanel.h"
#include "ui/workflowspanel.h"

namespace alabos {

void installPanels(MainWindow &window)
{
    auto *samples = new SamplesPanel(window.models(), window.session(), window.services(), &window);
    window.addPanel(samples, MainWindow::tr("Samples"), QStringLiteral("samplesDock"),
                    Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_3));
    auto *workflows =
        new WorkflowsPanel(window.models(), window.session(), window.services(), &window);
    workflows->setSelectedSamplesProvider([samples] { return samples->selectedBarcodes(); });
    window.addPanel(workflows, MainWindow::tr("Workflows"), QStringLiteral("workflowsDock"),
                    Qt::BottomDockWidgetArea, QKeySequence(Qt::ALT | Qt::Key_4));
}

} // namespace alabos
