#include "ui/eventlogpanel.h"

#include "core/storage/databasereader.h"
#include "core/storage/history.h"
#include "ui/consoleservices.h"
#include "ui/labmodels.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace alabos {

namespace {
QString payloadSummary(const Event &e)
{
    const QJsonObject &p = e.payload;
    if (p.isEmpty()) return {};
    const QString status = p.value(QLatin1StringView("status")).toString();
    if (e.entityType == QLatin1StringView(entity::Device)) {
        const qint64 task = p.value(QLatin1StringView("current_task")).toInteger();
        return task ? QObject::tr("%1, task %2").arg(status).arg(task) : status;
    }
    if (e.entityType == QLatin1StringView(entity::Task)) {
        QStringList parts{p.value(QLatin1StringView("name")).toString(), status};
        const QString device = p.value(QLatin1StringView("device_id")).toString();
        if (!device.isEmpty()) parts << device;
        const QString message = p.value(QLatin1StringView("message")).toString();
        if (!message.isEmpty()) parts << message;
        return parts.join(QLatin1StringView(", "));
    }
    if (e.entityType == QLatin1StringView(entity::Sample))
        return p.value(QLatin1StringView("position")).toString();
    if (e.entityType == QLatin1StringView(entity::Workflow))
        return QObject::tr("%1, %2").arg(p.value(QLatin1StringView("template")).toString(), status);
    return {};
}

QTableView *makeLogView(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(22);
    // Fixed section sizes: measuring 20,000 rows' contents per batch would stall the UI.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->setColumnWidth(EventLogModel::Time, 100);
    view->setColumnWidth(EventLogModel::Id, 80);
    view->setColumnWidth(EventLogModel::EntityType, 80);
    view->setColumnWidth(EventLogModel::Entity, 150);
    view->setColumnWidth(EventLogModel::Kind, 150);
    return view;
}
} // namespace

EventLogModel::EventLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(qMax(1, capacity))
{
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

EventLogRow EventLogModel::toRow(const Event &e)
{
    return {e.id, e.timeUs, e.entityType, e.entityId, e.kind, payloadSummary(e)};
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const EventLogRow &r = m_rows[index.row()];
    if (role == Qt::TextAlignmentRole && index.column() == Id)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Time)
        return QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000).toString(Qt::ISODateWithMs);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000)
            .toString(QStringLiteral("hh:mm:ss.zzz"));
    case Id:
        return r.id;
    case EntityType:
        return r.entityType;
    case Entity:
        return r.entityId;
    case Kind:
        return r.kind;
    case Detail:
        return r.detail;
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Id:
        return tr("Event");
    case EntityType:
        return tr("Type");
    case Entity:
        return tr("Entity");
    case Kind:
        return tr("Kind");
    case Detail:
        return tr("Detail");
    }
    return {};
}

void EventLogModel::append(const QList<Event> &events)
{
    if (events.isEmpty()) return;
    ++m_insertions;
    // Only the newest `capacity` of the batch can stay.
    const qsizetype skip = qMax<qsizetype>(0, events.size() - m_capacity);
    const qsizetype incoming = events.size() - skip;
    const qsizetype overflow = qMax<qsizetype>(0, m_rows.size() + incoming - m_capacity);
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow - 1));
        m_rows.remove(0, overflow); // QList drops front elements without moving the rest
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + incoming - 1));
    for (qsizetype i = skip; i < events.size(); ++i) {
        const Event &e = events[i];
        m_rows.append(toRow(e));
        if (!m_kinds.contains(e.kind)) {
            m_kinds.insert(e.kind);
            Q_EMIT kindSeen(e.kind);
        }
    }
    endInsertRows();
}

void EventLogModel::replaceAll(const QList<Event> &events)
{
    beginResetModel();
    m_rows.clear();
    for (qsizetype i = qMax<qsizetype>(0, events.size() - m_capacity); i < events.size(); ++i)
        m_rows.append(toRow(events[i]));
    endResetModel();
}

void EventLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void EventLogFilter::setEntityType(const QString &type)
{
    m_type = type;
    invalidateFilter();
}

void EventLogFilter::setKind(const QString &kind)
{
    m_kind = kind;
    invalidateFilter();
}

void EventLogFilter::setEntityText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool EventLogFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const auto *model = static_cast<const EventLogModel *>(sourceModel());
    if (parent.isValid() || row >= model->rowCount()) return false;
    const EventLogRow &r = model->row(row);
    return (m_type.isEmpty() || r.entityType == m_type) && (m_kind.isEmpty() || r.kind == m_kind) &&
           (m_text.isEmpty() || r.entityId.contains(m_text, Qt::CaseInsensitive));
}

EventLogPanel::EventLogPanel(LabModels *models, ConsoleServices *services, QWidget *parent)
    : QWidget(parent), m_services(services), m_model(new EventLogModel(20000, this)),
      m_filter(new EventLogFilter(this)), m_historyModel(new EventLogModel(10000, this)),
      m_type(new QComboBox(this)), m_kind(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_pause(new QPushButton(tr("Pause"), this)),
      m_older(new QPushButton(tr("Older events"), this)), m_olderCount(new QSpinBox(this)),
      m_status(new QLabel(this))
{
    m_filter->setSourceModel(m_model);
    m_view = makeLogView(m_filter, this);
    m_view->setObjectName(QStringLiteral("eventLogTable"));
    m_view->setAccessibleName(tr("Events"));
    m_type->setObjectName(QStringLiteral("eventTypeFilter"));
    m_kind->setObjectName(QStringLiteral("eventKindFilter"));
    m_text->setObjectName(QStringLiteral("eventEntityFilter"));
    m_text->setAccessibleName(tr("Entity id filter"));
    m_type->setAccessibleName(tr("Entity type"));
    m_kind->setAccessibleName(tr("Event kind"));
    m_pause->setObjectName(QStringLiteral("eventPause"));
    m_older->setObjectName(QStringLiteral("eventOlder"));
    m_status->setObjectName(QStringLiteral("eventLogStatus"));

    m_type->addItem(tr("All entities"), QString());
    m_type->addItem(tr("Devices"), QString::fromLatin1(entity::Device));
    m_type->addItem(tr("Tasks"), QString::fromLatin1(entity::Task));
    m_type->addItem(tr("Samples"), QString::fromLatin1(entity::Sample));
    m_type->addItem(tr("Workflows"), QString::fromLatin1(entity::Workflow));
    m_kind->addItem(tr("All kinds"), QString());
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_text->setPlaceholderText(tr("Entity id contains…"));
    m_text->setClearButtonEnabled(true);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the tail to read it; events that arrive meanwhile are added "
                           "when you resume"));
    m_olderCount->setRange(10, 10000);
    m_olderCount->setAccessibleName(tr("Older events to load"));
    m_olderCount->setValue(200);
    m_olderCount->setSingleStep(100);
    m_olderCount->setToolTip(tr("How many of the selected entity's events to load"));
    m_older->setToolTip(tr("Load the selected entity's last events from the database"));
    m_older->setEnabled(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_type);
    bar->addWidget(m_kind);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_pause);
    bar->addSpacing(12);
    bar->addWidget(m_olderCount);
    bar->addWidget(m_older);

    m_historyBox = new QWidget(this);
    m_historyTitle = new QLabel(m_historyBox);
    m_historyTitle->setObjectName(QStringLiteral("eventHistoryTitle"));
    auto *closeHistory = new QToolButton(m_historyBox);
    closeHistory->setText(tr("Close"));
    closeHistory->setAutoRaise(true);
    m_historyView = makeLogView(m_historyModel, m_historyBox);
    m_historyView->setObjectName(QStringLiteral("eventHistoryTable"));
    m_historyView->setAccessibleName(tr("Events of the selected entity"));
    auto *historyHead = new QHBoxLayout;
    historyHead->addWidget(m_historyTitle, 1);
    historyHead->addWidget(closeHistory);
    auto *historyLayout = new QVBoxLayout(m_historyBox);
    historyLayout->setContentsMargins(0, 4, 0, 0);
    historyLayout->addLayout(historyHead);
    historyLayout->addWidget(m_historyView);
    m_historyBox->hide();

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_historyBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(m_type, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setEntityType(m_type->currentData().toString()); });
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setKind(m_kind->currentData().toString()); });
    connect(m_text, &QLineEdit::textChanged, m_filter, &EventLogFilter::setEntityText);
    connect(m_pause, &QPushButton::toggled, this, &EventLogPanel::setPaused);
    connect(m_older, &QPushButton::clicked, this, &EventLogPanel::loadSelectedHistory);
    connect(closeHistory, &QToolButton::clicked, m_historyBox, &QWidget::hide);
    connect(m_model, &EventLogModel::kindSeen, this, [this](const QString &kind) {
        // Kinds sorted after "All kinds", so the list reads the same however they arrived.
        int i = 1;
        while (i < m_kind->count() && m_kind->itemText(i) < kind)
            ++i;
        m_kind->insertItem(i, kind, kind);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_older->setEnabled(current.isValid() && m_services && m_services->reader);
            });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid()) return;
        const EventLogRow &r = m_model->row(m_filter->mapToSource(index).row());
        QMenu menu(this);
        QAction *older = menu.addAction(
            tr("Last %1 events of %2 %3").arg(m_olderCount->value()).arg(r.entityType, r.entityId));
        older->setEnabled(m_services && m_services->reader);
        menu.addAction(tr("Show only %1 %2").arg(r.entityType, r.entityId), this, [this, r] {
            m_type->setCurrentIndex(m_type->findData(r.entityType));
            m_text->setText(r.entityId);
        });
        if (menu.exec(m_view->viewport()->mapToGlobal(pos)) == older)
            loadHistory(r.entityType, r.entityId, m_olderCount->value());
    });

    if (m_services && m_services->reader)
        m_history = std::make_shared<HistoryQueries>(m_services->reader->connectionStrings());
    connect(models, &LabModels::applied, this, &EventLogPanel::onApplied);
    updateStatus();
}

EventLogPanel::~EventLogPanel() = default;

bool EventLogPanel::isPaused() const
{
    return m_pause->isChecked();
}

void EventLogPanel::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused) {
        m_pause->setChecked(paused); // re-enters through toggled
        return;
    }
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused && !m_pending.isEmpty()) {
        m_model->append(m_pending);
        m_pending.clear();
        m_view->scrollToBottom();
    }
    updateStatus();
}

void EventLogPanel::onApplied(const FeedUpdate &update)
{
    if (update.events.isEmpty() && update.eventsOmitted == 0) return;
    m_omitted += update.eventsOmitted;
    if (isPaused()) {
        m_pending += update.events;
        const qsizetype over = m_pending.size() - m_model->capacity();
        if (over > 0) {
            m_pendingDropped += over;
            m_pending.remove(0, over);
        }
    } else {
        QScrollBar *bar = m_view->verticalScrollBar();
        const bool following = bar->value() >= bar->maximum() - 2;
        m_model->append(update.events);
        if (following) m_view->scrollToBottom();
    }
    updateStatus();
}

void EventLogPanel::updateStatus()
{
    QString text = tr("%1 events shown (newest %2 kept)")
                       .arg(QLocale().toString(m_model->rowCount()))
                       .arg(QLocale().toString(m_model->capacity()));
    if (m_filter->rowCount() != m_model->rowCount())
        text += tr(", %1 match the filters").arg(QLocale().toString(m_filter->rowCount()));
    if (isPaused())
        text += tr(" — paused, %1 new events waiting").arg(QLocale().toString(m_pending.size()));
    if (m_omitted + m_pendingDropped > 0)
        text += tr(" — %1 events passed too fast to show")
                    .arg(QLocale().toString(m_omitted + m_pendingDropped));
    m_status->setText(text);
}

void EventLogPanel::loadSelectedHistory()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) return;
    const EventLogRow &r = m_model->row(m_filter->mapToSource(current).row());
    loadHistory(r.entityType, r.entityId, m_olderCount->value());
}

void EventLogPanel::loadHistory(const QString &entityType, const QString &entityId, int limit)
{
    if (!m_history || !m_services || !m_services->reader) {
        Q_EMIT historyLoaded(0, tr("No database"));
        return;
    }
    m_historyBox->show();
    m_historyTitle->setText(tr("Loading the last events of %1 %2…").arg(entityType, entityId));
    const quint64 request = ++m_historyRequest;
    struct Result
    {
        QList<Event> events;
        QString error;
    };
    auto result = std::make_shared<Result>();
    std::shared_ptr<HistoryQueries> history = m_history;
    m_services->reader->run(
        [history, result, entityType, entityId, limit](pqxx::connection &) {
            // Ids are unique per entity type only; ask for more and keep this type's.
            if (auto events = history->lastEvents(entityId, limit * 2, &result->error)) {
                for (const Event &e : *events)
                    if (e.entityType == entityType && result->events.size() < limit)
                        result->events.append(e);
            }
        },
        this,
        [this, request, result, entityType, entityId](const QString &error) {
            if (request != m_historyRequest) return; // a newer request replaced this one
            const QString why = error.isEmpty() ? result->error : error;
            if (!why.isEmpty()) {
                m_historyModel->clear();
                m_historyTitle->setText(
                    tr("Could not load the events of %1 %2: %3").arg(entityType, entityId, why));
                Q_EMIT historyLoaded(0, why);
                return;
            }
            // The database answers newest first; the log reads oldest first like the tail.
            QList<Event> events = result->events;
            std::reverse(events.begin(), events.end());
            m_historyModel->replaceAll(events);
            m_historyView->scrollToBottom();
            m_historyTitle->setText(tr("Last %1 events of %2 %3 (from the database)")
                                        .arg(events.size())
                                        .arg(entityType, entityId));
            Q_EMIT historyLoaded(int(events.size()), QString());
        });
}

} // namespace alabos
