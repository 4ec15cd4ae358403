#pragma once
// Printing sample labels: the label stock, the barcode type, copies and where a part-used
// sheet starts, a preview of the first page, then a printer (the system's print dialog) or
// a PDF. What cannot be printed (no samples, a barcode too wide for the label) is said in
// the dialog and both outputs stay disabled.
#include "core/labels/labelsheet.h"

#include <QDialog>
#include <QImage>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPrinter;
class QPushButton;
class QSpinBox;

namespace alabos {

// The first page of a label sheet, scaled to the widget, every label's edge drawn.
class LabelPreview : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;
    void setSheet(const LabelSheet *sheet);
    QSize sizeHint() const override { return {420, 300}; }
    // The page as last drawn (null when there is nothing to show).
    const QImage &page() const { return m_page; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_page;
    QImage m_scaled; // m_page at the widget's size
};

class LabelDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LabelDialog(QList<SampleLabel> samples, QWidget *parent = nullptr);

    const QList<SampleLabel> &samples() const { return m_samples; }
    // The labels as the dialog is set up now (problem() says why not, when they cannot).
    const LabelSheet &sheet() const { return *m_sheet; }
    void selectFormat(const QString &id);
    // Writes the labels; the error, empty when written.
    QString exportPdf(const QString &path);
    QString printTo(QPrinter *printer);

    QComboBox *formatBox() const { return m_format; }
    QComboBox *symbologyBox() const { return m_symbology; }
    QDoubleSpinBox *customWidth() const { return m_width; }
    QDoubleSpinBox *customHeight() const { return m_height; }
    QSpinBox *copiesBox() const { return m_copies; }
    QSpinBox *firstLabelBox() const { return m_firstLabel; }
    QLabel *status() const { return m_status; }
    QPushButton *printButton() const { return m_print; }
    QPushButton *pdfButton() const { return m_pdf; }
    LabelPreview *preview() const { return m_preview; }

public Q_SLOTS:
    // The system's print dialog, then the printer.
    void print();
    // A file dialog, then the PDF.
    void choosePdf();

private:
    LabelFormat currentFormat() const;
    void formatChosen();
    void rebuild();
    void showOutcome(const QString &error, const QString &done);

    QList<SampleLabel> m_samples;
    std::optional<LabelSheet> m_sheet;
    QComboBox *m_format;
    QDoubleSpinBox *m_width;
    QDoubleSpinBox *m_height;
    QComboBox *m_symbology;
    QSpinBox *m_copies;
    QSpinBox *m_firstLabel;
    LabelPreview *m_preview;
    QLabel *m_status;
    QPushButton *m_print;
    QPushButton *m_pdf;
};

// Opens a label dialog for `samples`, deleted when closed.
LabelDialog *openLabelDialog(const QList<SampleLabel> &samples, QWidget *parent);

} // namespace alabos
