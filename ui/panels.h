#pragma once

namespace alabos {

class MainWindow;

// Creates the console's panels (besides devices and tasks) and docks them. One line per
// panel, in ui/panels.cpp.
void installPanels(MainWindow &window);

} // namespace alabos
