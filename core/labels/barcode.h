#pragma once
// A barcode as dark rectangles in module units, from libzint's vector output, painted with
// every module the same whole number of device dots: a printer then draws every bar and
// square alike, which is what makes a small code scan.
#include "core/labels/labelformat.h"

#include <QCoreApplication>
#include <QList>
#include <QRectF>
#include <optional>

class QPainter;

namespace alabos {

class Barcode
{
    Q_DECLARE_TR_FUNCTIONS(Barcode)
public:
    // The narrowest module a hand scanner reads reliably off a thermal print (10 mil).
    static constexpr double kMinModuleMm = 0.25;

    // Encodes `text`; empty with `*error` saying why when zint refuses it.
    static std::optional<Barcode> encode(Symbology symbology, const QString &text,
                                         QString *error = nullptr);

    Symbology symbology() const { return m_symbology; }
    bool isLinear() const { return m_symbology == Symbology::Code128; }
    // The symbol's size in modules, without the quiet zone (a linear code's height is 1).
    QSizeF modules() const { return m_modules; }
    // The blank margin a scanner needs around the symbol, in modules on each side.
    int quietZone() const { return isLinear() ? 10 : 2; }
    // Width and height in modules with the quiet zone (a linear code's height is 0: any).
    QSizeF modulesWithQuietZone() const;
    const QList<QRectF> &bars() const { return m_bars; }

    // The largest module (in device units) at which the symbol and its quiet zone fit in
    // `space`: whole dots where a dot is at least one unit, so every module prints alike.
    double moduleFor(QSizeF space) const;
    // Paints the symbol centred in `area` (its quiet zone included) with modules of
    // `module` device units; a linear code's bars span the area's height.
    void paint(QPainter &painter, const QRectF &area, double module) const;

private:
    Symbology m_symbology = Symbology::DataMatrix;
    QSizeF m_modules;
    QList<QRectF> m_bars; // module units; a linear code's bars span y 0..1
};

} // namespace alabos
