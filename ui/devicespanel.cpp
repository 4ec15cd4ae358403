#include "ui/devicespanel.h"

#include "ui/devicetablemodel.h"
#include "ui/labmodels.h"
#include "ui/tableview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QPainter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace alabos {

namespace {
// A tile: the device's name on its status colour; drawn, not widgets, so 10,000 are cheap.
class TileDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const override { return {112, 46}; }
    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const auto status = DeviceStatus(index.data(DeviceTableModel::StatusRole).toInt());
        const QRect r = option.rect.adjusted(2, 2, -2, -2);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        QColor fill = statusColor(status);
        if (status == DeviceStatus::Idle)
            fill = fill.lighter(150);
        p->setBrush(fill);
        p->setPen(option.state & QStyle::State_Selected ? QPen(option.palette.highlight(), 3)
                                                        : QPen(fill.darker(130), 1));
        p->drawRoundedRect(r, 5, 5);
        const bool dark = status == DeviceStatus::Busy || status == DeviceStatus::Error ||
                          status == DeviceStatus::Maintenance || status == DeviceStatus::Offline;
        p->setPen(dark ? Qt::white : Qt::black);
        QFont f = option.font;
        f.setBold(true);
        p->setFont(f);
        const QString id = index.sibling(index.row(), DeviceTableModel::Id).data().toString();
        p->drawText(r.adjusted(6, 3, -4, -r.height() / 2), Qt::AlignLeft | Qt::AlignVCenter,
                    option.fontMetrics.elidedText(id, Qt::ElideRight, r.width() - 10));
        f.setBold(false);
        f.setPointSizeF(f.pointSizeF() * 0.85);
        p->setFont(f);
        p->drawText(r.adjusted(6, r.height() / 2, -4, -3), Qt::AlignLeft | Qt::AlignVCenter,
                    statusLabel(status));
        p->restore();
    }
};
} // namespace

DeviceFilterProxy::DeviceFilterProxy(QObject *parent) : NaturalSortProxy(parent) {}

void DeviceFilterProxy::setType(const QString &type)
{
    m_type = type;
    invalidateFilter();
}

void DeviceFilterProxy::setStatus(int status)
{
    m_status = status;
    invalidateFilter();
}

void DeviceFilterProxy::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool DeviceFilterProxy::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const auto *model = static_cast<const DeviceTableModel *>(sourceModel());
    if (row >= model->rowCount(parent))
        return false;
    const DeviceState &d = model->device(row);
    if (!m_type.isEmpty() && d.type != m_type)
        return false;
    if (m_status >= 0 && int(d.status) != m_status)
        return false;
    return m_text.isEmpty() || d.id.contains(m_text, Qt::CaseInsensitive) ||
           d.type.contains(m_text, Qt::CaseInsensitive);
}

DevicesPanel::DevicesPanel(LabModels *models, QWidget *parent)
    : QWidget(parent), m_models(models), m_filter(new DeviceFilterProxy(this)),
      m_type(new QComboBox(this)), m_status(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_tilesButton(new QToolButton(this)), m_summary(new QLabel(this)),
      m_stack(new QStackedWidget(this)), m_tiles(new QListView(this)),
      m_table(makeTableView(m_filter, this)), m_setup(new QWidget(this))
{
    m_filter->setSourceModel(models->devices());
    m_filter->sort(DeviceTableModel::Id, Qt::AscendingOrder);

    m_type->setObjectName(QStringLiteral("deviceTypeFilter"));
    m_type->addItem(tr("All types"), QString());
    m_status->setObjectName(QStringLiteral("deviceStatusFilter"));
    m_status->addItem(tr("All statuses"), -1);
    for (DeviceStatus s : {DeviceStatus::Idle, DeviceStatus::Busy, DeviceStatus::Paused,
                           DeviceStatus::Maintenance, DeviceStatus::Error, DeviceStatus::Offline})
        m_status->addItem(statusLabel(s), int(s));
    m_text->setObjectName(QStringLiteral("deviceFilter"));
    m_text->setAccessibleName(tr("Filter devices"));
    m_type->setAccessibleName(tr("Device type"));
    m_status->setAccessibleName(tr("Device status"));
    m_text->setPlaceholderText(tr("Filter by name or type…"));
    m_text->setClearButtonEnabled(true);
    m_tilesButton->setText(tr("Tiles"));
    m_tilesButton->setCheckable(true);
    m_tilesButton->setToolTip(tr("Switch between the tile grid and the table"));
    m_summary->setTextFormat(Qt::RichText);

    connect(m_type, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setType(m_type->currentData().toString()); });
    connect(m_status, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setStatus(m_status->currentData().toInt()); });
    connect(m_text, &QLineEdit::textChanged, m_filter, &DeviceFilterProxy::setText);
    connect(m_tilesButton, &QToolButton::toggled, this, &DevicesPanel::showTiles);

    m_tiles->setObjectName(QStringLiteral("deviceTiles"));
    m_tiles->setModel(m_filter);
    m_tiles->setViewMode(QListView::IconMode);
    m_tiles->setResizeMode(QListView::Adjust);
    m_tiles->setUniformItemSizes(true);
    m_tiles->setMovement(QListView::Static);
    m_tiles->setSpacing(1);
    m_tiles->setLayoutMode(QListView::Batched);
    m_tiles->setBatchSize(500);
    m_tiles->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tiles->setItemDelegate(new TileDelegate(m_tiles));
    m_table->setObjectName(QStringLiteral("deviceTable"));
    m_table->setAccessibleName(tr("Devices"));
    m_table->sortByColumn(DeviceTableModel::Id, Qt::AscendingOrder);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_tiles);
    m_setup->setObjectName(QStringLiteral("labSetup"));
    {
        auto *text = new QLabel(
            tr("<h3>This lab has no devices yet</h3>"
               "<p>Add the lab's instruments one by one: a name, the type workflows ask for, the "
               "driver (Modbus TCP, SCPI, a driver program of your own, or a simulated device) "
               "and its connection settings. <b>Test connection</b> in the form shows the "
               "instrument's answer before anything is saved. <b>Lab → Add position…</b> "
               "declares the racks and trays samples sit in.</p>"
               "<p>Then export the lab file and keep it in version control: started with "
               "<tt>alabos --lab FILE</tt>, alabos makes the lab match the file. "
               "<tt>alabos --check-lab FILE</tt> checks a file without starting anything.</p>"),
            m_setup);
        text->setWordWrap(true);
        text->setTextFormat(Qt::RichText);
        auto *add = new QPushButton(tr("&Add device…"), m_setup);
        add->setObjectName(QStringLiteral("labSetupAddDevice"));
        auto *exportButton = new QPushButton(tr("&Export lab file…"), m_setup);
        exportButton->setObjectName(QStringLiteral("labSetupExport"));
        connect(add, &QPushButton::clicked, this, &DevicesPanel::addDeviceRequested);
        connect(exportButton, &QPushButton::clicked, this, &DevicesPanel::exportLabRequested);
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(add);
        buttons->addWidget(exportButton);
        buttons->addStretch(1);
        auto *setupLayout = new QVBoxLayout(m_setup);
        setupLayout->addWidget(text);
        setupLayout->addLayout(buttons);
        setupLayout->addStretch(1);
    }
    m_stack->addWidget(m_setup);

    auto activate = [this](const QModelIndex &index) {
        Q_EMIT deviceActivated(index.sibling(index.row(), DeviceTableModel::Id).data().toString());
    };
    connect(m_tiles, &QListView::activated, this, activate);
    connect(m_table, &QTableView::activated, this, activate);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 2);
    bar->addWidget(m_type, 1);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_tilesButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_stack, 1);

    connect(models, &LabModels::applied, this, [this](const FeedUpdate &u) {
        if (u.reset || !u.devices.isEmpty()) {
            refreshSummary();
            const bool newType = std::any_of(u.devices.cbegin(), u.devices.cend(),
                                             [this](const DeviceState &d) { return m_type->findData(d.type) < 0; });
            if (u.reset || newType)
                refreshTypes();
            if (u.reset)
                fitHeaders();
        }
    });
    refreshSummary();
}

void DevicesPanel::showTiles(bool tiles)
{
    m_tilesButton->setChecked(tiles);
    if (m_models->devices()->rowCount() == 0)
        m_stack->setCurrentWidget(m_setup);
    else
        m_stack->setCurrentWidget(tiles ? static_cast<QWidget *>(m_tiles) : m_table);
}

void DevicesPanel::fitHeaders()
{
    // Every header readable in every language; never narrower than the default, which fits
    // device names like "dosing-station-1000".
    QHeaderView *header = m_table->horizontalHeader();
    const QFontMetrics metrics(header->font());
    for (int column = 0; column < header->count(); ++column) {
        const QString title = m_table->model()->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, std::max(header->defaultSectionSize(),
                                               metrics.horizontalAdvance(title) + 28));
    }
    // The status says why a device is offline ("Offline: connection refused (10.0.0.5:502)").
    header->resizeSection(DeviceTableModel::Status,
                          std::max(header->sectionSize(DeviceTableModel::Status),
                                   metrics.horizontalAdvance(QLatin1Char('x')) * 48));
}

void DevicesPanel::refreshTypes()
{
    QStringList types;
    for (const DeviceState &d : m_models->devices()->rows())
        if (!types.contains(d.type))
            types << d.type;
    types.sort();
    const QString current = m_type->currentData().toString();
    m_type->blockSignals(true);
    while (m_type->count() > 1)
        m_type->removeItem(1);
    for (const QString &t : types)
        m_type->addItem(t, t);
    m_type->setCurrentIndex(qMax(0, m_type->findData(current)));
    m_type->blockSignals(false);
}

void DevicesPanel::refreshSummary()
{
    const auto counts = m_models->devices()->countsByStatus();
    QStringList parts;
    for (DeviceStatus s : {DeviceStatus::Idle, DeviceStatus::Busy, DeviceStatus::Paused,
                           DeviceStatus::Maintenance, DeviceStatus::Error, DeviceStatus::Offline}) {
        if (counts.value(s) > 0)
            parts << QStringLiteral("<span style='color:%1'>&#9632;</span> %2 %3")
                         .arg(statusColor(s).name())
                         .arg(counts.value(s))
                         .arg(statusLabel(s));
    }
    m_summary->setText(tr("<b>%1 devices</b> &nbsp; %2")
                           .arg(m_models->devices()->rowCount())
                           .arg(parts.join(QStringLiteral(" &nbsp; "))));
    const bool empty = m_models->devices()->rowCount() == 0;
    if (empty != (m_stack->currentWidget() == m_setup)) showTiles(m_tilesButton->isChecked());
}

} // namespace alabos
