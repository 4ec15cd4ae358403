#include "core/labels/labelformat.h"

#include "core/domain/types.h"

namespace alabos {

QString symbologyName(Symbology symbology)
{
    switch (symbology) {
    case Symbology::DataMatrix:
        return LabelFormat::tr("DataMatrix");
    case Symbology::Code128:
        return LabelFormat::tr("Code 128");
    }
    return {};
}

QRectF LabelFormat::labelRect(int index) const
{
    const int column = index % columns;
    const int row = index / columns;
    return {origin + QPointF(column * pitch.width(), row * pitch.height()), label};
}

QList<LabelFormat> LabelFormat::standard()
{
    auto roll = [](QString id, QString name, QSizeF size, Symbology symbology) {
        LabelFormat f = customRoll(size);
        f.id = std::move(id);
        f.name = std::move(name);
        f.symbology = symbology;
        return f;
    };
    auto a4 = [](QString id, QString name, QSizeF label, int columns, int rows, QPointF origin,
                 QSizeF pitch, Symbology symbology) {
        LabelFormat f;
        f.id = std::move(id);
        f.name = std::move(name);
        f.label = label;
        f.page = {210, 297};
        f.columns = columns;
        f.rows = rows;
        f.origin = origin;
        f.pitch = pitch;
        f.symbology = symbology;
        return f;
    };
    return {
        roll(QStringLiteral("roll-50.8x25.4"), tr("Roll label 50.8 × 25.4 mm (2″ × 1″)"),
             {50.8, 25.4}, Symbology::Code128),
        roll(QStringLiteral("roll-38x13"), tr("Cryo-tube label 38 × 13 mm"), {38, 13},
             Symbology::DataMatrix),
        roll(QStringLiteral("roll-25.4x12.7"), tr("Roll label 25.4 × 12.7 mm (1″ × ½″)"),
             {25.4, 12.7}, Symbology::DataMatrix),
        // The sheets' margins and pitches are the label makers' published templates.
        a4(QStringLiteral("a4-3x8-70x37"), tr("A4 sheet, 3 × 8 labels of 70 × 37 mm"), {70, 37}, 3,
           8, {0, 0.5}, {70, 37}, Symbology::Code128),
        a4(QStringLiteral("a4-5x13-38.1x21.2"), tr("A4 sheet, 5 × 13 labels of 38.1 × 21.2 mm"),
           {38.1, 21.2}, 5, 13, {4.75, 10.7}, {40.64, 21.2}, Symbology::DataMatrix),
    };
}

LabelFormat LabelFormat::byId(const QString &id)
{
    const QList<LabelFormat> all = standard();
    for (const LabelFormat &f : all)
        if (f.id == id) return f;
    return all.first();
}

LabelFormat LabelFormat::customRoll(QSizeF label)
{
    LabelFormat f;
    f.id = QStringLiteral("roll-custom");
    f.name = tr("Roll label %1 × %2 mm").arg(label.width()).arg(label.height());
    f.label = label;
    f.page = label;
    f.pitch = label;
    return f;
}

namespace {
QString clipped(const QString &text)
{
    return text.trimmed().left(SampleLabel::kMaxTextLength);
}
} // namespace

SampleLabel SampleLabel::fromSample(const SampleState &sample)
{
    return {sample.barcode.trimmed(),
            clipped(sample.metadata.value(QLatin1StringView("name")).toString()),
            clipped(sample.metadata.value(QLatin1StringView("project")).toString())};
}

SampleLabel SampleLabel::fromRegistration(const QJsonObject &sample)
{
    return {sample.value(QLatin1StringView("barcode")).toString().trimmed(),
            clipped(sample.value(QLatin1StringView("name")).toString()),
            clipped(sample.value(QLatin1StringView("metadata"))
                        .toObject()
                        .value(QLatin1StringView("project"))
                        .toString())};
}

} // namespace alabos
