#pragma once
// Label stock: the size of one label and how labels sit on a page. A roll (the stock of a
// thermal label printer) is one label per page; a sheet (an office printer) holds a grid of
// them. All lengths are millimetres.
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QRectF>
#include <QString>

namespace alabos {

struct SampleState;

enum class Symbology
{
    DataMatrix, // 2D, square: fits the smallest labels, read by camera scanners
    Code128,    // 1D: read by every scanner, laser ones too, but needs width
};

QString symbologyName(Symbology symbology);

struct LabelFormat
{
    Q_DECLARE_TR_FUNCTIONS(LabelFormat)
public:
    QString id;   // stable key ("roll-50.8x25.4"), for settings
    QString name; // translated, for people
    QSizeF label;
    QSizeF page;
    int columns = 1;
    int rows = 1;
    QPointF origin; // the first label's top-left corner on the page
    QSizeF pitch;   // from one label's corner to the next one's, across and down
    Symbology symbology = Symbology::DataMatrix; // what suits this size best

    int perPage() const { return columns * rows; }
    bool isSheet() const { return perPage() > 1; }
    // The `index`th label of a page (row by row), on the page.
    QRectF labelRect(int index) const;

    // Roll labels of a thermal printer, then A4 sheets, each a size sold by label makers.
    static QList<LabelFormat> standard();
    static LabelFormat byId(const QString &id); // the first standard one when unknown
    // A roll of labels of any size (its fit is checked when labels are laid out).
    static LabelFormat customRoll(QSizeF label);
    static constexpr double kMinCustomMm = 5;
    static constexpr double kMaxCustomMm = 300;
};

// What one label says: the barcode it encodes and the text beside it.
struct SampleLabel
{
    // Longer text is cut here before it is laid out (and elided to the label's width).
    static constexpr int kMaxTextLength = 200;
    // A barcode longer than the registry's limit is refused, not cut: it would not match.
    static constexpr int kMaxBarcodeLength = 64;

    QString barcode;
    QString name;
    QString project;

    static SampleLabel fromSample(const SampleState &sample);
    // From a registration request's sample ({barcode, name, metadata: {project, …}}).
    static SampleLabel fromRegistration(const QJsonObject &sample);
    bool operator==(const SampleLabel &) const = default;
};

} // namespace alabos
