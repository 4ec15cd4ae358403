#include "ui/panels.h"

#include "ui/mainwindow.h"

namespace alabos {

void installPanels(MainWindow &window)
{
    Q_UNUSED(window);
}

} // namespace alabos
