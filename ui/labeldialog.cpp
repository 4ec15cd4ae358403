#include "ui/labeldialog.h"

#include "ui/theme.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace alabos {

namespace {
const QString kCustomFormat = QStringLiteral("roll-custom");
} // namespace

// ---------------------------------------------------------------- preview

void LabelPreview::setSheet(const LabelSheet *sheet)
{
    m_page = {};
    m_scaled = {};
    if (sheet && sheet->problem().isEmpty()) {
        const QSizeF page = sheet->format().page;
        // Drawn fine enough for whole-dot modules, then scaled down smoothly to the widget.
        const double dotsPerMm =
            std::clamp(2400 / std::max(page.width(), page.height()), 4.0, 24.0);
        m_page = QImage((page * dotsPerMm).toSize(), QImage::Format_RGB32);
        m_page.setDotsPerMeterX(qRound(dotsPerMm * 1000));
        m_page.setDotsPerMeterY(qRound(dotsPerMm * 1000));
        m_page.fill(Qt::white);
        QPainter painter(&m_page);
        sheet->paintPage(painter, 0, dotsPerMm, true);
    }
    update();
}

void LabelPreview::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().dark());
    if (m_page.isNull()) {
        painter.setPen(palette().brightText().color());
        painter.drawText(rect(), Qt::AlignCenter, tr("No preview"));
        return;
    }
    const QSize size =
        m_page.size().scaled(rect().adjusted(8, 8, -8, -8).size(), Qt::KeepAspectRatio);
    const qreal ratio = devicePixelRatioF();
    // Averaged down once per size: thin lines and modules stay visible, which drawing the
    // large image scaled (sampled, not averaged) loses.
    if (m_scaled.size() != size * ratio) {
        m_scaled = m_page.scaled(size * ratio, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        m_scaled.setDevicePixelRatio(ratio);
    }
    painter.drawImage(rect().center() - QPoint(size.width() / 2, size.height() / 2), m_scaled);
}

// ---------------------------------------------------------------- dialog

LabelDialog::LabelDialog(QList<SampleLabel> samples, QWidget *parent)
    : QDialog(parent), m_samples(std::move(samples)), m_format(new QComboBox(this)),
      m_width(new QDoubleSpinBox(this)), m_height(new QDoubleSpinBox(this)),
      m_symbology(new QComboBox(this)), m_copies(new QSpinBox(this)),
      m_firstLabel(new QSpinBox(this)), m_preview(new LabelPreview(this)),
      m_status(new QLabel(this)), m_print(new QPushButton(tr("Print…"), this)),
      m_pdf(new QPushButton(tr("Export PDF…"), this))
{
    setObjectName(QStringLiteral("labelDialog"));
    setWindowTitle(tr("Print sample labels"));

    m_format->setObjectName(QStringLiteral("labelFormat"));
    for (const LabelFormat &f : LabelFormat::standard())
        m_format->addItem(f.name, f.id);
    m_format->addItem(tr("Custom roll label…"), kCustomFormat);
    m_format->setToolTip(tr("The label stock: a roll for a label printer, or a sheet of "
                            "labels for an office printer"));
    for (QDoubleSpinBox *side : {m_width, m_height}) {
        side->setRange(LabelFormat::kMinCustomMm, LabelFormat::kMaxCustomMm);
        side->setDecimals(1);
        side->setSuffix(tr(" mm"));
    }
    m_width->setObjectName(QStringLiteral("labelWidth"));
    m_height->setObjectName(QStringLiteral("labelHeight"));
    m_width->setValue(50.8);
    m_height->setValue(25.4);
    m_width->setAccessibleName(tr("Label width"));
    m_height->setAccessibleName(tr("Label height"));
    m_symbology->setObjectName(QStringLiteral("labelSymbology"));
    m_symbology->addItem(symbologyName(Symbology::DataMatrix), int(Symbology::DataMatrix));
    m_symbology->addItem(symbologyName(Symbology::Code128), int(Symbology::Code128));
    m_symbology->setToolTip(tr("DataMatrix fits small labels and needs a 2D (camera) scanner; "
                               "Code 128 is read by every scanner but needs a wide label"));
    m_copies->setObjectName(QStringLiteral("labelCopies"));
    m_copies->setRange(1, LabelSheet::kMaxCopies);
    m_copies->setToolTip(tr("Labels per sample, one for each vial"));
    m_firstLabel->setObjectName(QStringLiteral("labelFirst"));
    m_firstLabel->setToolTip(tr("On a sheet already partly used: the first free label, "
                                "counted row by row from the top left"));
    m_preview->setObjectName(QStringLiteral("labelPreview"));
    m_preview->setMinimumSize(360, 240);
    m_status->setObjectName(QStringLiteral("labelStatus"));
    m_status->setWordWrap(true);
    m_print->setObjectName(QStringLiteral("printLabelsNow"));
    m_pdf->setObjectName(QStringLiteral("exportLabelsPdf"));
    m_print->setDefault(true);

    auto *size = new QHBoxLayout;
    size->addWidget(m_width);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(m_height);
    auto *form = new QFormLayout;
    form->addRow(tr("&Labels:"), m_format);
    auto *sizeLabel = new QLabel(tr("Custom &size:"), this);
    sizeLabel->setBuddy(m_width);
    form->addRow(sizeLabel, size);
    form->addRow(tr("&Barcode:"), m_symbology);
    form->addRow(tr("&Copies per sample:"), m_copies);
    form->addRow(tr("&Start at label:"), m_firstLabel);
    auto *what = new QLabel(this);
    what->setWordWrap(true);
    QStringList barcodes;
    for (const SampleLabel &s : std::as_const(m_samples).mid(0, 5))
        barcodes << s.barcode;
    what->setText(m_samples.isEmpty()
                      ? tr("No samples chosen.")
                      : tr("%n sample(s): %1", nullptr, int(m_samples.size()))
                            .arg(barcodes.join(QStringLiteral(", ")) +
                                 (m_samples.size() > 5 ? QStringLiteral(", …") : QString())));
    auto *close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_print, &QPushButton::clicked, this, &LabelDialog::print);
    connect(m_pdf, &QPushButton::clicked, this, &LabelDialog::choosePdf);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_pdf);
    buttons->addWidget(m_print);
    buttons->addWidget(close);
    auto *left = new QVBoxLayout;
    left->addWidget(what);
    left->addLayout(form);
    left->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addLayout(left);
    top->addWidget(m_preview, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addLayout(buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &LabelDialog::formatChosen);
    for (QDoubleSpinBox *side : {m_width, m_height})
        connect(side, &QDoubleSpinBox::valueChanged, this, &LabelDialog::rebuild);
    connect(m_symbology, &QComboBox::currentIndexChanged, this, &LabelDialog::rebuild);
    connect(m_copies, &QSpinBox::valueChanged, this, &LabelDialog::rebuild);
    connect(m_firstLabel, &QSpinBox::valueChanged, this, &LabelDialog::rebuild);
    formatChosen();
    resize(900, 480);
}

LabelFormat LabelDialog::currentFormat() const
{
    const QString id = m_format->currentData().toString();
    return id == kCustomFormat ? LabelFormat::customRoll({m_width->value(), m_height->value()})
                               : LabelFormat::byId(id);
}

void LabelDialog::selectFormat(const QString &id)
{
    const int index = m_format->findData(id);
    if (index >= 0) m_format->setCurrentIndex(index);
}

void LabelDialog::formatChosen()
{
    const LabelFormat format = currentFormat();
    const bool custom = m_format->currentData().toString() == kCustomFormat;
    m_width->setEnabled(custom);
    m_height->setEnabled(custom);
    // Each stock comes with the code that suits it; the person may still choose the other.
    {
        const QSignalBlocker blockSymbology(m_symbology);
        const QSignalBlocker blockFirst(m_firstLabel);
        if (!custom) m_symbology->setCurrentIndex(m_symbology->findData(int(format.symbology)));
        m_firstLabel->setRange(1, format.perPage());
        m_firstLabel->setEnabled(format.isSheet());
    }
    rebuild();
}

void LabelDialog::rebuild()
{
    m_sheet.emplace(currentFormat(), Symbology(m_symbology->currentData().toInt()), m_samples,
                    m_copies->value(), m_firstLabel->value() - 1);
    m_preview->setSheet(&*m_sheet);
    const bool ready = m_sheet->problem().isEmpty();
    m_print->setEnabled(ready);
    m_pdf->setEnabled(ready);
    if (!ready) {
        m_status->setText(m_sheet->problem());
        m_status->setStyleSheet(toneStyle(Tone::Bad));
        return;
    }
    m_status->setText(m_sheet->format().isSheet()
                          ? tr("%1 on %2.")
                                .arg(tr("%n label(s)", nullptr, m_sheet->labelCount()),
                                     tr("%n sheet(s)", nullptr, m_sheet->pageCount()))
                          : tr("%n label(s) on the roll.", nullptr, m_sheet->labelCount()));
    m_status->setStyleSheet({});
}

void LabelDialog::showOutcome(const QString &error, const QString &done)
{
    m_status->setText(error.isEmpty() ? done : error);
    m_status->setStyleSheet(toneStyle(error.isEmpty() ? Tone::Good : Tone::Bad));
}

QString LabelDialog::exportPdf(const QString &path)
{
    const QString error = m_sheet->writePdf(path);
    showOutcome(error, tr("%n label(s) written to %1", nullptr, m_sheet->labelCount())
                           .arg(QDir::toNativeSeparators(path)));
    return error;
}

QString LabelDialog::printTo(QPrinter *printer)
{
    // The label's corner is the paper's corner, not the printer's margin.
    printer->setFullPage(true);
    const QString error = m_sheet->print(printer);
    showOutcome(error, tr("%n label(s) sent to %1", nullptr, m_sheet->labelCount())
                           .arg(printer->outputFileName().isEmpty()
                                    ? printer->printerName()
                                    : QDir::toNativeSeparators(printer->outputFileName())));
    return error;
}

void LabelDialog::print()
{
    if (!m_sheet->problem().isEmpty()) return;
    QPrinter printer(QPrinter::HighResolution);
    printer.setDocName(tr("Sample labels"));
    printer.setFullPage(true);
    printer.setPageSize(QPageSize(m_sheet->format().page, QPageSize::Millimeter,
                                  m_sheet->format().name, QPageSize::ExactMatch));
    printer.setPageMargins({}, QPageLayout::Millimeter);
    QPrintDialog dialog(&printer, this);
    dialog.setWindowTitle(tr("Print %n label(s)", nullptr, m_sheet->labelCount()));
    if (dialog.exec() != QDialog::Accepted) return;
    printTo(&printer);
}

void LabelDialog::choosePdf()
{
    if (!m_sheet->problem().isEmpty()) return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export labels as PDF"), QDir::home().filePath(QStringLiteral("labels.pdf")),
        tr("PDF files (*.pdf)"));
    if (!path.isEmpty()) exportPdf(path);
}

LabelDialog *openLabelDialog(const QList<SampleLabel> &samples, QWidget *parent)
{
    auto *dialog = new LabelDialog(samples, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

} // namespace alabos
