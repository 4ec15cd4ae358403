#include "ui/alarmspanel.h"

#include "core/bus/statefeed.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/tableview.h"

#include <QColor>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace alabos {

QColor severityColor(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Warning:
        return QColor(0xf9, 0xa8, 0x25);
    case AlarmSeverity::Alarm:
        return QColor(0xe5, 0x39, 0x35);
    case AlarmSeverity::Critical:
        return QColor(0x8e, 0x24, 0xaa);
    }
    return {};
}

QString severityLabel(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Warning:
        return QObject::tr("Warning");
    case AlarmSeverity::Alarm:
        return QObject::tr("Alarm");
    case AlarmSeverity::Critical:
        return QObject::tr("Critical");
    }
    return {};
}

namespace {
QString stateLabel(const Alarm &a)
{
    switch (a.state) {
    case AlarmState::Active:
        return a.conditionActive ? QObject::tr("Active, unacknowledged")
                                 : QObject::tr("Returned to normal, unacknowledged");
    case AlarmState::Acknowledged:
        return QObject::tr("Acknowledged");
    case AlarmState::Shelved:
        return QObject::tr("Shelved until %1")
            .arg(QDateTime::fromMSecsSinceEpoch(a.shelvedUntilUs / 1000).toString(QStringLiteral("MM-dd hh:mm")));
    case AlarmState::Cleared:
        return QObject::tr("Cleared");
    }
    return {};
}
} // namespace

int AlarmTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlarmTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Alarm &a = at(index.row());
    if (role == SeverityRole)
        return int(a.severity);
    if (role == Qt::DecorationRole && index.column() == Severity)
        return severityColor(a.severity);
    if (role == Qt::FontRole && a.state == AlarmState::Active) {
        QFont f;
        f.setBold(true); // unacknowledged alarms stand out
        return f;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Severity:
        return severityLabel(a.severity);
    case State:
        return stateLabel(a);
    case Source:
        return a.source;
    case Device:
        return a.deviceId;
    case Message:
        return a.message;
    case Raised:
        return QDateTime::fromMSecsSinceEpoch(a.raisedUs / 1000).toString(QStringLiteral("MM-dd hh:mm:ss"));
    case AcknowledgedBy:
        return a.acknowledgedBy;
    }
    return {};
}

QVariant AlarmTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Severity:
        return tr("Severity");
    case State:
        return tr("State");
    case Source:
        return tr("Source");
    case Device:
        return tr("Device");
    case Message:
        return tr("Message");
    case Raised:
        return tr("Raised");
    case AcknowledgedBy:
        return tr("Acknowledged by");
    }
    return {};
}

void AlarmTableModel::remove(const QList<qint64> &ids)
{
    const QSet<qint64> gone(ids.cbegin(), ids.cend());
    dropOldest(qsizetype(gone.size()), [&gone](const Alarm &a) { return gone.contains(a.id); });
}

int AlarmTableModel::unacknowledged() const
{
    int n = 0;
    for (const Alarm &a : rows())
        n += a.state == AlarmState::Active ? 1 : 0;
    return n;
}

AlarmsPanel::AlarmsPanel(LabModels *models, ConsoleSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_open(new AlarmTableModel(this)),
      m_history(new AlarmTableModel(this)), m_tabs(new QTabWidget(this)),
      m_ack(new QPushButton(tr("Acknowledge"), this)), m_shelve(new QToolButton(this))
{
    auto *openProxy = new NaturalSortProxy(this);
    openProxy->setSourceModel(m_open);
    auto *historyProxy = new NaturalSortProxy(this);
    historyProxy->setSourceModel(m_history);
    m_openView = makeTableView(openProxy, this);
    m_openView->setObjectName(QStringLiteral("openAlarms"));
    m_openView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_openView->sortByColumn(AlarmTableModel::Raised, Qt::DescendingOrder);
    m_historyView = makeTableView(historyProxy, this);
    m_historyView->sortByColumn(AlarmTableModel::Raised, Qt::DescendingOrder);
    // A narrow column beside the fleet: compact columns, the message takes what is left.
    for (QTableView *view : {m_openView, m_historyView}) {
        view->horizontalHeader()->setDefaultSectionSize(80);
        view->horizontalHeader()->setSectionResizeMode(AlarmTableModel::Message, QHeaderView::Stretch);
        view->horizontalHeader()->setStretchLastSection(false);
    }
    m_tabs->addTab(m_openView, tr("Open"));
    m_tabs->addTab(m_historyView, tr("History"));

    m_ack->setObjectName(QStringLiteral("acknowledgeAlarm"));
    m_shelve->setObjectName(QStringLiteral("shelveAlarm"));
    m_shelve->setText(tr("Shelve"));
    m_shelve->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_shelve);
    for (const auto &[label, duration] : {std::pair{tr("For 1 hour"), QStringLiteral("1h")},
                                          std::pair{tr("For 8 hours"), QStringLiteral("8h")},
                                          std::pair{tr("For 7 days"), QStringLiteral("7d")}}) {
        menu->addAction(label, this, [this, duration] {
            for (qint64 id : selected())
                m_session->send(QStringLiteral("alarm.shelve"), QString::number(id),
                                {{QStringLiteral("duration"), duration}});
        });
    }
    m_shelve->setMenu(menu);
    connect(m_ack, &QPushButton::clicked, this, [this] {
        for (qint64 id : selected())
            m_session->send(QStringLiteral("alarm.ack"), QString::number(id));
    });
    connect(m_openView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlarmsPanel::updateActions);
    connect(session, &ConsoleSession::identityChanged, this, &AlarmsPanel::updateActions);
    connect(models, &LabModels::applied, this, &AlarmsPanel::apply);

    auto *bar = new QHBoxLayout;
    bar->addStretch(1);
    bar->addWidget(m_shelve);
    bar->addWidget(m_ack);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_tabs, 1);
    updateActions();
}

void AlarmsPanel::apply(const FeedUpdate &update)
{
    if (update.alarms.isEmpty() && !update.reset)
        return;
    QList<Alarm> open;
    QList<Alarm> cleared;
    QList<qint64> leaving;
    for (const Alarm &a : update.alarms) {
        if (a.state == AlarmState::Cleared) {
            cleared.append(a);
            leaving.append(a.id);
        } else {
            open.append(a);
        }
    }
    if (update.reset)
        m_open->replaceAll(open);
    else
        m_open->merge(open);
    if (!leaving.isEmpty())
        m_open->remove(leaving);
    m_history->merge(cleared);
    const int unacknowledged = m_open->unacknowledged();
    if (unacknowledged != m_lastUnacknowledged) {
        m_lastUnacknowledged = unacknowledged;
        Q_EMIT unacknowledgedChanged(unacknowledged);
    }
}

QList<qint64> AlarmsPanel::selected() const
{
    QList<qint64> ids;
    for (const QModelIndex &row : m_openView->selectionModel()->selectedRows()) {
        const QModelIndex source = static_cast<QSortFilterProxyModel *>(m_openView->model())->mapToSource(row);
        ids << m_open->at(source.row()).id;
    }
    return ids;
}

void AlarmsPanel::updateActions()
{
    const bool any = m_openView->selectionModel()->hasSelection();
    const bool canAck = m_session->can(permission::AlarmAck);
    const bool canShelve = m_session->can(permission::AlarmShelve);
    m_ack->setEnabled(any && canAck);
    m_shelve->setEnabled(any && canShelve);
    m_ack->setToolTip(canAck ? tr("Acknowledge the selected alarms")
                             : tr("Your role may not acknowledge alarms (alarm_ack)"));
    m_shelve->setToolTip(canShelve ? tr("Hide the selected alarms for a while")
                                   : tr("Your role may not shelve alarms (alarm_shelve)"));
}

} // namespace alabos
