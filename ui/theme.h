#pragma once
// The console's colour themes: the platform's own, light, dark for night shifts, and high
// contrast. Applied to the whole application at once (palette and style), so every window,
// dialog and chart follows without being built again.
#include <QList>
#include <QString>
#include <optional>

class QColor;
class QPalette;

namespace alabos {

enum class Theme
{
    System,
    Light,
    Dark,
    HighContrast
};

QList<Theme> allThemes();
QString toString(Theme theme); // the settings value: system, light, dark, high-contrast
std::optional<Theme> themeFromString(QStringView text);
QString themeLabel(Theme theme); // for menus, translated

// The palette a theme stands for; the platform's for System.
QPalette themePalette(Theme theme);
// Sets the application's style and palette; remembered in the settings (ui/theme).
void applyTheme(Theme theme);
// The theme last applied; System before any.
Theme currentTheme();
// The theme the settings name; System when none or an unknown one.
Theme savedTheme();
// Whether the application's palette is a dark one (light text on a dark window).
bool paletteIsDark();
// Colours that carry meaning (a refusal, a success, a running task), readable on the current
// theme's window and table backgrounds.
enum class Tone
{
    Good,
    Bad,
    Info
};
QColor toneColor(Tone tone);
QString toneStyle(Tone tone); // a style sheet: "color: #rrggbb;"
// A cell's or row's background that marks it (strong: the cell at fault; else its row),
// under which the theme's text stays readable.
QColor toneBackground(Tone tone, bool strong);

// WCAG 2 contrast ratio of two colours given as #rrggbb: 1 (none) to 21 (black on white).
double contrastRatio(const QString &foreground, const QString &background);

} // namespace alabos
