#include "ui/theme.h"

#include <QApplication>
#include <QColor>
#include <QLoggingCategory>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <cmath>

namespace alabos {

namespace {
Q_LOGGING_CATEGORY(lcTheme, "alabos.ui.theme")

const QString kSettingsKey = QStringLiteral("ui/theme");
Theme g_current = Theme::System;
QString g_platformStyle; // the style the application started with

void setBoth(QPalette &p, QPalette::ColorRole role, const QColor &active, const QColor &disabled)
{
    p.setColor(QPalette::Active, role, active);
    p.setColor(QPalette::Inactive, role, active);
    p.setColor(QPalette::Disabled, role, disabled);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor text(0xe8, 0xe8, 0xe8);
    const QColor disabledText(0x80, 0x80, 0x80);
    setBoth(p, QPalette::Window, QColor(0x2b, 0x2d, 0x30), QColor(0x2b, 0x2d, 0x30));
    setBoth(p, QPalette::WindowText, text, disabledText);
    setBoth(p, QPalette::Base, QColor(0x1e, 0x1f, 0x22), QColor(0x26, 0x27, 0x2a));
    setBoth(p, QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b), QColor(0x26, 0x28, 0x2b));
    setBoth(p, QPalette::Text, text, disabledText);
    setBoth(p, QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a), disabledText);
    setBoth(p, QPalette::Button, QColor(0x3a, 0x3c, 0x40), QColor(0x32, 0x34, 0x37));
    setBoth(p, QPalette::ButtonText, text, disabledText);
    setBoth(p, QPalette::BrightText, QColor(0xff, 0x6b, 0x6b), QColor(0xff, 0x6b, 0x6b));
    setBoth(p, QPalette::Highlight, QColor(0x35, 0x74, 0xf0), QColor(0x4a, 0x4c, 0x50));
    setBoth(p, QPalette::HighlightedText, Qt::white, disabledText);
    setBoth(p, QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41), QColor(0x3c, 0x3f, 0x41));
    setBoth(p, QPalette::ToolTipText, text, disabledText);
    setBoth(p, QPalette::Link, QColor(0x7a, 0xb7, 0xff), QColor(0x7a, 0xb7, 0xff));
    setBoth(p, QPalette::LinkVisited, QColor(0xc0, 0x9b, 0xff), QColor(0xc0, 0x9b, 0xff));
    setBoth(p, QPalette::Light, QColor(0x4a, 0x4d, 0x51), QColor(0x4a, 0x4d, 0x51));
    setBoth(p, QPalette::Midlight, QColor(0x40, 0x43, 0x46), QColor(0x40, 0x43, 0x46));
    setBoth(p, QPalette::Mid, QColor(0x30, 0x32, 0x35), QColor(0x30, 0x32, 0x35));
    setBoth(p, QPalette::Dark, QColor(0x18, 0x19, 0x1b), QColor(0x18, 0x19, 0x1b));
    setBoth(p, QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d), QColor(0x0c, 0x0c, 0x0d));
    return p;
}

// Black and white with yellow selection, every edge drawn: WCAG AAA (7:1) and more for text.
QPalette highContrastPalette()
{
    QPalette p;
    const QColor disabledText(0xb0, 0xb0, 0xb0);
    for (QPalette::ColorRole role : {QPalette::Window, QPalette::Base, QPalette::AlternateBase,
                                     QPalette::Button, QPalette::ToolTipBase})
        setBoth(p, role, Qt::black, Qt::black);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText,
                                     QPalette::ToolTipText, QPalette::BrightText})
        setBoth(p, role, Qt::white, disabledText);
    setBoth(p, QPalette::PlaceholderText, QColor(0xd0, 0xd0, 0xd0), disabledText);
    setBoth(p, QPalette::Highlight, QColor(0xff, 0xff, 0x00), QColor(0x60, 0x60, 0x60));
    setBoth(p, QPalette::HighlightedText, Qt::black, Qt::white);
    setBoth(p, QPalette::Link, QColor(0x00, 0xff, 0xff), QColor(0x00, 0xff, 0xff));
    setBoth(p, QPalette::LinkVisited, QColor(0xff, 0x80, 0xff), QColor(0xff, 0x80, 0xff));
    for (QPalette::ColorRole role :
         {QPalette::Light, QPalette::Midlight, QPalette::Mid, QPalette::Dark, QPalette::Shadow})
        setBoth(p, role, Qt::white, disabledText);
    return p;
}

// Black on black hides every edge Fusion draws from the window colour: in high contrast each
// field, button and view gets a white border, and the one with the keyboard a yellow one.
constexpr auto kHighContrastSheet =
    "QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QAbstractItemView,"
    " QPushButton, QToolButton, QGroupBox, QTabWidget::pane { border: 1px solid white; }"
    " QPushButton, QToolButton { padding: 3px 8px; }"
    " QLineEdit:focus, QComboBox:focus, QAbstractSpinBox:focus, QPlainTextEdit:focus,"
    " QTextEdit:focus, QAbstractItemView:focus, QPushButton:focus, QToolButton:focus"
    " { border: 2px solid #ffff00; }"
    " QPushButton:disabled, QToolButton:disabled { border: 1px dashed #b0b0b0; }"
    " QHeaderView::section { border: 1px solid white; background: black; color: white;"
    " padding: 2px 4px; }";

double luminance(const QColor &c)
{
    auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
} // namespace

QList<Theme> allThemes()
{
    return {Theme::System, Theme::Light, Theme::Dark, Theme::HighContrast};
}

QString toString(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QStringLiteral("system");
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::HighContrast:
        return QStringLiteral("high-contrast");
    }
    return {};
}

std::optional<Theme> themeFromString(QStringView text)
{
    for (Theme t : allThemes())
        if (text == toString(t)) return t;
    return std::nullopt;
}

QString themeLabel(Theme theme)
{
    switch (theme) {
    case Theme::System:
        return QCoreApplication::translate("alabos::Theme", "&System");
    case Theme::Light:
        return QCoreApplication::translate("alabos::Theme", "&Light");
    case Theme::Dark:
        return QCoreApplication::translate("alabos::Theme", "&Dark");
    case Theme::HighContrast:
        return QCoreApplication::translate("alabos::Theme", "&High contrast");
    }
    return {};
}

QPalette themePalette(Theme theme)
{
    switch (theme) {
    case Theme::System:
        break;
    case Theme::Light:
        if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
            const QPalette p = fusion->standardPalette();
            delete fusion;
            return p;
        }
        break;
    case Theme::Dark:
        return darkPalette();
    case Theme::HighContrast:
        return highContrastPalette();
    }
    return QApplication::style()->standardPalette();
}

void applyTheme(Theme theme)
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    if (!app) return;
    if (g_platformStyle.isEmpty()) g_platformStyle = app->style()->name();
    // Fusion draws every control from the palette; the platform's style may not.
    const QString style = theme == Theme::System ? g_platformStyle : QStringLiteral("Fusion");
    if (app->style()->name().compare(style, Qt::CaseInsensitive) != 0) app->setStyle(style);
    g_current = theme; // before the widgets hear of the change: they ask for it
    app->setPalette(themePalette(theme));
    app->setStyleSheet(theme == Theme::HighContrast ? QLatin1StringView(kHighContrastSheet)
                                                    : QLatin1StringView());
    QSettings().setValue(kSettingsKey, toString(theme));
    qCInfo(lcTheme).noquote() << "theme:" << toString(theme);
}

Theme currentTheme()
{
    return g_current;
}

Theme savedTheme()
{
    return themeFromString(QSettings().value(kSettingsKey).toString()).value_or(Theme::System);
}

bool paletteIsDark()
{
    const QPalette p = QApplication::palette();
    return p.color(QPalette::Window).lightnessF() < p.color(QPalette::WindowText).lightnessF();
}

QColor toneColor(Tone tone)
{
    const bool high = currentTheme() == Theme::HighContrast;
    const bool dark = paletteIsDark();
    switch (tone) {
    case Tone::Good:
        return high   ? QColor(0x00, 0xff, 0x00)
               : dark ? QColor(0x81, 0xc7, 0x84)
                      : QColor(0x2e, 0x7d, 0x32);
    case Tone::Bad:
        return high   ? QColor(0xff, 0x70, 0x70)
               : dark ? QColor(0xff, 0x8a, 0x80)
                      : QColor(0xc6, 0x28, 0x28);
    case Tone::Info:
        return high   ? QColor(0x00, 0xff, 0xff)
               : dark ? QColor(0x82, 0xb1, 0xff)
                      : QColor(0x15, 0x65, 0xc0);
    }
    return {};
}

QString toneStyle(Tone tone)
{
    return QStringLiteral("color: %1;").arg(toneColor(tone).name());
}

QColor toneBackground(Tone tone, bool strong)
{
    const bool dark = paletteIsDark();
    QColor light, night;
    switch (tone) {
    case Tone::Good:
        light = strong ? QColor(0xc8, 0xe6, 0xc9) : QColor(0xf1, 0xf8, 0xf1);
        night = strong ? QColor(0x1b, 0x4d, 0x20) : QColor(0x1e, 0x33, 0x20);
        break;
    case Tone::Bad:
        light = strong ? QColor(0xff, 0xcd, 0xd2) : QColor(0xff, 0xf1, 0xf1);
        night = strong ? QColor(0x6b, 0x1a, 0x1a) : QColor(0x3a, 0x1e, 0x1e);
        break;
    case Tone::Info:
        light = strong ? QColor(0xbb, 0xde, 0xfb) : QColor(0xe3, 0xf2, 0xfd);
        night = strong ? QColor(0x0d, 0x3c, 0x6e) : QColor(0x1a, 0x2a, 0x3a);
        break;
    }
    return dark ? night : light;
}

double contrastRatio(const QString &foreground, const QString &background)
{
    const double a = luminance(QColor(foreground));
    const double b = luminance(QColor(background));
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

} // namespace alabos
