#pragma once
// Labels laid out on pages: each label a barcode (DataMatrix beside the text, Code 128 above
// it) with the sample's barcode, name and project as text, elided or wrapped to the label,
// never over its edge. Everything is checked when the sheet is made (problem()); painting
// then cannot fail on a label. Paints on any QPainter: a PDF (writePdf), a printer (print),
// a preview image. Runs on the thread that owns it; no I/O but writePdf's file.
#include "core/labels/barcode.h"
#include "core/labels/labelformat.h"

#include <QCoreApplication>
#include <QHash>
#include <optional>

class QPagedPaintDevice;
class QPainter;

namespace alabos {

class LabelSheet
{
    Q_DECLARE_TR_FUNCTIONS(LabelSheet)
public:
    // A print run this long is a mistake, not a batch (1,000 samples, a few copies each).
    static constexpr int kMaxLabels = 10000;
    static constexpr int kMaxCopies = 10;
    // Text smaller than this cannot be read on a label; a layout that needs it is refused.
    static constexpr double kMinLineMm = 1.6;
    static constexpr double kMaxLineMm = 4.0;
    static constexpr double kMinTextWidthMm = 8;
    // The shortest bars a hand scanner still reads without aiming.
    static constexpr double kMinBarHeightMm = 5;

    // `copies` labels per sample, side by side; `skip`: labels already used on the first
    // sheet (a sheet's labels are counted row by row).
    LabelSheet(LabelFormat format, Symbology symbology, QList<SampleLabel> samples, int copies = 1,
               int skip = 0);

    // Why these labels cannot be made (empty: they can): no samples, too many, a barcode
    // that cannot be encoded or does not fit the label, a label too small for any text.
    QString problem() const { return m_problem; }
    const LabelFormat &format() const { return m_format; }
    Symbology symbology() const { return m_symbology; }
    int labelCount() const { return int(m_samples.size()) * m_copies; }
    int pageCount() const;

    // Paints page `page` (from 0) with the painter's origin at the page's top-left corner and
    // `dotsPerMm` device units to the millimetre. `outlines` draws every label's edge (a
    // preview's), the skipped ones shaded.
    void paintPage(QPainter &painter, int page, double dotsPerMm, bool outlines = false) const;
    // Sets the device's page to the format's page without margins and paints every page;
    // the error (empty: done).
    QString print(QPagedPaintDevice *device) const;
    QString writePdf(const QString &path) const;

private:
    // Where things go on one label, in millimetres from its top-left corner.
    struct Layout
    {
        QRectF barcode; // the quiet zone included
        QRectF text;
        double lineHeight = 0;
    };
    QString check();
    std::optional<Layout> layout() const;
    void paintLabel(QPainter &painter, const QRectF &rect, double dotsPerMm,
                    const SampleLabel &sample) const;

    LabelFormat m_format;
    Symbology m_symbology;
    QList<SampleLabel> m_samples;
    int m_copies;
    int m_skip;
    Layout m_layout;
    QHash<QString, Barcode> m_barcodes; // by the text encoded
    QString m_problem;
};

} // namespace alabos
