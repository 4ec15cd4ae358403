#include "core/labels/labelsheet.h"

#include "core/domain/logging.h"

#include <QFile>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPagedPaintDevice>
#include <QPainter>
#include <QPdfWriter>
#include <algorithm>
#include <cmath>

namespace alabos {

namespace {
constexpr double kGapMm = 1.0;       // between the barcode and the text
constexpr double kFontPerLine = 0.8; // a font's pixel size to its line's height

QFont labelFont(double pixels, bool bold)
{
    QFont font;
    // A condensed face puts more of a long name on a small label.
    font.setFamilies({QStringLiteral("DejaVu Sans Condensed"), QStringLiteral("DejaVu Sans"),
                      QStringLiteral("Liberation Sans Narrow")});
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(std::max(1, int(std::lround(pixels))));
    font.setBold(bold);
    return font;
}

// The font, at most `pixels` and at least `minPixels` high, at which `text` fits `width`.
QFont fittingFont(const QString &text, bool bold, double pixels, double minPixels, double width,
                  QPaintDevice *device)
{
    QFont font = labelFont(pixels, bold);
    const double advance = QFontMetricsF(font, device).horizontalAdvance(text);
    if (advance <= width) return font;
    return labelFont(std::max(minPixels, pixels * width / advance * 0.98), bold);
}

// `text` in at most two lines of `width`, broken at the last space that fits; the second
// line elided.
QStringList wrapInTwo(const QString &text, const QFontMetricsF &metrics, double width)
{
    if (metrics.horizontalAdvance(text) <= width) return {text};
    qsizetype cut = -1;
    for (qsizetype i = text.indexOf(u' '); i > 0; i = text.indexOf(u' ', i + 1)) {
        if (metrics.horizontalAdvance(text.left(i)) > width) break;
        cut = i;
    }
    if (cut < 0) return {metrics.elidedText(text, Qt::ElideRight, width)};
    return {text.left(cut), metrics.elidedText(text.mid(cut + 1).trimmed(), Qt::ElideRight, width)};
}
} // namespace

LabelSheet::LabelSheet(LabelFormat format, Symbology symbology, QList<SampleLabel> samples,
                       int copies, int skip)
    : m_format(std::move(format)), m_symbology(symbology), m_samples(std::move(samples)),
      m_copies(copies), m_skip(skip)
{
    m_problem = check();
    if (!m_problem.isEmpty()) qCDebug(lcLabels) << "labels refused:" << m_problem;
}

int LabelSheet::pageCount() const
{
    if (!m_problem.isEmpty()) return 0;
    const int perPage = m_format.perPage();
    return (m_skip + labelCount() + perPage - 1) / perPage;
}

std::optional<LabelSheet::Layout> LabelSheet::layout() const
{
    const QSizeF size = m_format.label;
    const double padding = std::clamp(std::min(size.width(), size.height()) * 0.06, 0.8, 2.0);
    const QRectF inner(padding, padding, size.width() - 2 * padding, size.height() - 2 * padding);
    if (inner.width() <= 0 || inner.height() <= 0) return std::nullopt;
    Layout layout;
    if (m_symbology == Symbology::Code128) {
        // Bars across the label, the three lines of text under them.
        layout.lineHeight = std::clamp(inner.height() * 0.16, kMinLineMm, kMaxLineMm);
        const double textHeight = 3 * layout.lineHeight;
        layout.barcode = QRectF(inner.left(), inner.top(), inner.width(),
                                inner.height() - textHeight - kGapMm / 2);
        layout.text = QRectF(inner.left(), inner.bottom() - textHeight, inner.width(), textHeight);
        if (layout.barcode.height() < kMinBarHeightMm) return std::nullopt;
    } else if (inner.width() >= inner.height()) {
        // A wide label: the square beside the text.
        const double side = std::min(inner.height(), inner.width() / 2);
        layout.barcode = QRectF(inner.left(), inner.center().y() - side / 2, side, side);
        layout.text = QRectF(inner.left() + side + kGapMm, inner.top(),
                             inner.width() - side - kGapMm, inner.height());
        layout.lineHeight = std::min(kMaxLineMm, inner.height() / 3);
    } else {
        // A tall label: the square above the text.
        layout.lineHeight = std::clamp(inner.height() * 0.12, kMinLineMm, kMaxLineMm);
        const double textHeight = 3 * layout.lineHeight;
        const double side = std::min(inner.width(), inner.height() - textHeight - kGapMm);
        layout.barcode = QRectF(inner.center().x() - side / 2, inner.top(), side, side);
        layout.text = QRectF(inner.left(), inner.top() + side + kGapMm, inner.width(), textHeight);
    }
    if (layout.lineHeight < kMinLineMm || layout.text.width() < kMinTextWidthMm ||
        layout.barcode.width() <= 0 || layout.barcode.height() <= 0)
        return std::nullopt;
    return layout;
}

QString LabelSheet::check()
{
    if (m_samples.isEmpty())
        return tr("No samples to label: choose at least one registered sample.");
    if (m_copies < 1 || m_copies > kMaxCopies)
        return tr("%1 copies of each label; between 1 and %2.").arg(m_copies).arg(kMaxCopies);
    if (qint64(m_samples.size()) * m_copies > kMaxLabels)
        return tr("%1 labels are too many for one print run; at most %2.")
            .arg(qint64(m_samples.size()) * m_copies)
            .arg(kMaxLabels);
    if (m_format.perPage() < 1 || m_skip < 0 || m_skip >= m_format.perPage())
        return tr("The first label must be one of the sheet's %1.").arg(m_format.perPage());
    const QSizeF size = m_format.label;
    if (size.width() < LabelFormat::kMinCustomMm || size.height() < LabelFormat::kMinCustomMm ||
        size.width() > LabelFormat::kMaxCustomMm || size.height() > LabelFormat::kMaxCustomMm)
        return tr("A label of %1 × %2 mm cannot be printed; each side between %3 and %4 mm.")
            .arg(size.width())
            .arg(size.height())
            .arg(LabelFormat::kMinCustomMm)
            .arg(LabelFormat::kMaxCustomMm);
    const auto layout = this->layout();
    if (!layout)
        return (m_symbology == Symbology::Code128
                    ? tr("A %1 × %2 mm label is too small for a Code 128 barcode and readable "
                         "text; choose a larger label or DataMatrix.")
                    : tr("A %1 × %2 mm label is too small for a DataMatrix barcode and readable "
                         "text; choose a larger label."))
            .arg(size.width())
            .arg(size.height());
    m_layout = *layout;

    QStringList tooBig;
    QString first;
    for (const SampleLabel &sample : std::as_const(m_samples)) {
        if (sample.barcode.isEmpty()) return tr("A sample without a barcode cannot be labelled.");
        if (sample.barcode.size() > SampleLabel::kMaxBarcodeLength)
            return tr("The barcode \"%1…\" has %2 characters; a label takes at most %3.")
                .arg(sample.barcode.left(20))
                .arg(sample.barcode.size())
                .arg(SampleLabel::kMaxBarcodeLength);
        if (m_barcodes.contains(sample.barcode)) continue;
        QString error;
        const auto barcode = Barcode::encode(m_symbology, sample.barcode, &error);
        if (!barcode) return error;
        m_barcodes.insert(sample.barcode, *barcode);
        const QSizeF need = barcode->modulesWithQuietZone() * Barcode::kMinModuleMm;
        if (need.width() > m_layout.barcode.width() + 1e-9 ||
            need.height() > m_layout.barcode.height() + 1e-9) {
            if (tooBig.isEmpty())
                first =
                    barcode->isLinear()
                        ? tr("\"%1\" as Code 128 needs %2 mm of width; the label has room "
                             "for %3 mm.")
                              .arg(sample.barcode)
                              .arg(need.width(), 0, 'f', 1)
                              .arg(m_layout.barcode.width(), 0, 'f', 1)
                        : tr("\"%1\" as DataMatrix needs a square of %2 mm; the label has "
                             "room for %3 mm.")
                              .arg(sample.barcode)
                              .arg(need.width(), 0, 'f', 1)
                              .arg(std::min(m_layout.barcode.width(), m_layout.barcode.height()), 0,
                                   'f', 1);
            tooBig << sample.barcode;
        }
    }
    if (tooBig.isEmpty()) return {};
    QStringList message{first};
    if (tooBig.size() > 1)
        message << tr("%n other sample(s) do not fit either.", nullptr, int(tooBig.size() - 1));
    message << (m_symbology == Symbology::Code128 ? tr("Choose DataMatrix or a larger label.")
                                                  : tr("Choose a larger label."));
    return message.join(u' ');
}

void LabelSheet::paintLabel(QPainter &painter, const QRectF &rect, double dotsPerMm,
                            const SampleLabel &sample) const
{
    auto toDevice = [&](const QRectF &mm) {
        return QRectF(rect.topLeft() + mm.topLeft() * dotsPerMm, mm.size() * dotsPerMm);
    };
    painter.save();
    painter.setClipRect(rect); // whatever happens below, nothing leaves the label
    const Barcode &barcode = *m_barcodes.constFind(sample.barcode); // every one checked
    const QRectF barcodeArea = toDevice(m_layout.barcode);
    barcode.paint(painter, barcodeArea, barcode.moduleFor(barcodeArea.size()));

    const QRectF text = toDevice(m_layout.text);
    const double line = m_layout.lineHeight * dotsPerMm;
    const double pixels = line * kFontPerLine;
    const double minPixels = kMinLineMm * kFontPerLine * dotsPerMm;
    struct Line
    {
        QString text;
        QFont font;
    };
    QList<Line> lines;
    // The barcode's own text shrinks to fit rather than lose characters someone may type.
    QFont font =
        fittingFont(sample.barcode, true, pixels, minPixels, text.width(), painter.device());
    lines.append({QFontMetricsF(font, painter.device())
                      .elidedText(sample.barcode, Qt::ElideMiddle, text.width()),
                  font});
    if (!sample.name.isEmpty()) {
        font =
            fittingFont(sample.name, false, pixels, pixels * 0.85, text.width(), painter.device());
        const QFontMetricsF metrics(font, painter.device());
        // A long name takes the project's line when there is no project.
        const QStringList parts =
            sample.project.isEmpty()
                ? wrapInTwo(sample.name, metrics, text.width())
                : QStringList{metrics.elidedText(sample.name, Qt::ElideRight, text.width())};
        for (const QString &part : parts)
            lines.append({part, font});
    }
    if (!sample.project.isEmpty()) {
        font = labelFont(pixels * 0.9, false);
        lines.append({QFontMetricsF(font, painter.device())
                          .elidedText(sample.project, Qt::ElideRight, text.width()),
                      font});
    }
    const bool beside =
        m_symbology == Symbology::DataMatrix && m_layout.text.left() > m_layout.barcode.right();
    // Beside a square the block is centred on it; under bars it starts at the top.
    double y = beside ? text.center().y() - lines.size() * line / 2 : text.top();
    painter.setPen(Qt::black);
    for (const Line &l : std::as_const(lines)) {
        painter.setFont(l.font);
        painter.drawText(QRectF(text.left(), y, text.width(), line),
                         (beside ? Qt::AlignLeft : Qt::AlignHCenter) | Qt::AlignVCenter |
                             Qt::TextSingleLine,
                         l.text);
        y += line;
    }
    painter.restore();
}

void LabelSheet::paintPage(QPainter &painter, int page, double dotsPerMm, bool outlines) const
{
    if (!m_problem.isEmpty()) return;
    const int perPage = m_format.perPage();
    for (int i = 0; i < perPage; ++i) {
        const QRectF mm = m_format.labelRect(i);
        const QRectF rect(mm.topLeft() * dotsPerMm, mm.size() * dotsPerMm);
        const int index = page * perPage + i - m_skip;
        if (outlines) {
            painter.save();
            painter.setRenderHint(QPainter::Antialiasing, true);
            // A fifth of a millimetre: still a line when a preview is scaled down.
            painter.setPen(QPen(Qt::gray, 0.2 * dotsPerMm));
            painter.setBrush(index < 0 ? QBrush(QColor(0xe0, 0xe0, 0xe0)) : QBrush(Qt::NoBrush));
            painter.drawRoundedRect(rect, 1.5 * dotsPerMm, 1.5 * dotsPerMm);
            painter.restore();
        }
        if (index < 0 || index >= labelCount()) continue;
        paintLabel(painter, rect, dotsPerMm, m_samples[index / m_copies]);
    }
}

QString LabelSheet::print(QPagedPaintDevice *device) const
{
    if (!m_problem.isEmpty()) return m_problem;
    const QPageSize pageSize(m_format.page, QPageSize::Millimeter, m_format.name,
                             QPageSize::ExactMatch);
    if (!device->setPageLayout(
            QPageLayout(pageSize, QPageLayout::Portrait, QMarginsF(), QPageLayout::Millimeter)))
        return tr("The printer does not take pages of %1 × %2 mm (%3).")
            .arg(m_format.page.width())
            .arg(m_format.page.height())
            .arg(m_format.name);
    QPainter painter;
    if (!painter.begin(device)) return tr("The printer could not be started.");
    const double dotsPerMm = device->logicalDpiX() / 25.4;
    const int pages = pageCount();
    for (int page = 0; page < pages; ++page) {
        if (page > 0 && !device->newPage()) return tr("The printer refused page %1.").arg(page + 1);
        paintPage(painter, page, dotsPerMm);
    }
    if (!painter.end()) return tr("The printer could not finish.");
    qCInfo(lcLabels) << labelCount() << "labels on" << pages << "pages of" << m_format.id;
    return {};
}

QString LabelSheet::writePdf(const QString &path) const
{
    if (!m_problem.isEmpty()) return m_problem;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    QString error;
    {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("alabos"));
        writer.setTitle(tr("Sample labels"));
        // Modules snap to whole 1/1200 inch: even widths, and no visible change of size.
        writer.setResolution(1200);
        error = print(&writer);
    }
    file.close();
    if (error.isEmpty() && file.error() != QFileDevice::NoError)
        error = tr("Cannot write %1: %2").arg(path, file.errorString());
    if (!error.isEmpty()) file.remove();
    return error;
}

} // namespace alabos
