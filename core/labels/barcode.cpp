#include "core/labels/barcode.h"

#include <QPainter>
#include <cmath>
#include <memory>
#include <zint.h>

namespace alabos {

std::optional<Barcode> Barcode::encode(Symbology symbology, const QString &text, QString *error)
{
    const std::unique_ptr<zint_symbol, decltype(&ZBarcode_Delete)> symbol(ZBarcode_Create(),
                                                                          &ZBarcode_Delete);
    if (!symbol) {
        if (error) *error = tr("Out of memory for a barcode");
        return std::nullopt;
    }
    symbol->symbology = symbology == Symbology::DataMatrix ? BARCODE_DATAMATRIX : BARCODE_CODE128;
    symbol->input_mode = UNICODE_MODE;
    symbol->show_hrt = 0; // the label prints its own text, sized to fit
    symbol->whitespace_width = 0;
    symbol->border_width = 0;
    // Square symbols only: a rectangular one would need a second layout.
    if (symbology == Symbology::DataMatrix) symbol->option_3 = DM_SQUARE;
    const QByteArray utf8 = text.toUtf8();
    const int result = ZBarcode_Encode_and_Buffer_Vector(
        symbol.get(), reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size()),
        0);
    if (result >= ZINT_ERROR || !symbol->vector || symbol->width <= 0) {
        if (error)
            *error = tr("\"%1\" cannot be encoded as %2: %3")
                         .arg(text, symbologyName(symbology), QString::fromLatin1(symbol->errtxt));
        return std::nullopt;
    }
    Barcode barcode;
    barcode.m_symbology = symbology;
    const zint_vector *vector = symbol->vector;
    // zint's vector units are a multiple of the module; the symbol's width in modules says
    // which. A linear code's bars are all as tall as the symbol: height 1.
    const double unit = double(vector->width) / symbol->width;
    const double height = barcode.isLinear() ? double(vector->height) : unit;
    barcode.m_modules = {double(symbol->width), barcode.isLinear() ? 1.0 : double(symbol->rows)};
    for (const zint_vector_rect *r = vector->rectangles; r; r = r->next)
        if (r->colour == -1 || r->colour == 7) // the foreground, or explicit black
            barcode.m_bars.append(
                {r->x / unit, r->y / height, r->width / unit, r->height / height});
    return barcode;
}

QSizeF Barcode::modulesWithQuietZone() const
{
    return {m_modules.width() + 2 * quietZone(),
            isLinear() ? 0.0 : m_modules.height() + 2 * quietZone()};
}

double Barcode::moduleFor(QSizeF space) const
{
    const QSizeF need = modulesWithQuietZone();
    double module = space.width() / need.width();
    if (!isLinear()) module = std::min(module, space.height() / need.height());
    return module >= 1 ? std::floor(module) : module;
}

void Barcode::paint(QPainter &painter, const QRectF &area, double module) const
{
    const QSizeF size(m_modules.width() * module,
                      isLinear() ? area.height() : m_modules.height() * module);
    // Whole device units for the corner too, so every edge falls on a dot boundary.
    QPointF corner(area.center().x() - size.width() / 2, area.center().y() - size.height() / 2);
    if (module >= 1) corner = {std::round(corner.x()), std::round(corner.y())};
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::black);
    for (const QRectF &bar : m_bars)
        painter.drawRect(QRectF(corner.x() + bar.x() * module,
                                corner.y() + bar.y() * (isLinear() ? size.height() : module),
                                bar.width() * module,
                                bar.height() * (isLinear() ? size.height() : module)));
    painter.restore();
}

} // namespace alabos
