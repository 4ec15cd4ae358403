#include "ui/alarmspanel.h"

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

AlarmsPanel::AlarmsPanel(LabModels *models, ConsoleSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_alarms(models->alarms()), m_tabs(new QTabWidget(this)),
      m_ack(new QPushButton(tr("Acknowledge"), this)), m_shelve(new QToolButton(this))
{
    auto *openProxy = new NaturalSortProxy(this);
    openProxy->setSourceModel(m_alarms->open());
    auto *historyProxy = new NaturalSortProxy(this);
    historyProxy->setSourceModel(m_alarms->history());
    m_openView = makeTableView(openProxy, this);
    m_openView->setObjectName(QStringLiteral("openAlarms"));
    m_openView->setAccessibleName(tr("Open alarms"));
    m_openView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_openView->sortByColumn(AlarmTableModel::Raised, Qt::DescendingOrder);
    m_historyView = makeTableView(historyProxy, this);
    m_historyView->sortByColumn(AlarmTableModel::Raised, Qt::DescendingOrder);
    m_historyView->setAccessibleName(tr("Cleared alarms"));
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
    connect(m_alarms, &ConsoleAlarms::unacknowledgedChanged, this,
            &AlarmsPanel::unacknowledgedChanged);
    // A window built again (a language switch) shows the count the alarms have now.
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT unacknowledgedChanged(m_alarms->unacknowledged()); },
        Qt::QueuedConnection);

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

QList<qint64> AlarmsPanel::selected() const
{
    QList<qint64> ids;
    for (const QModelIndex &row : m_openView->selectionModel()->selectedRows()) {
        const QModelIndex source = static_cast<QSortFilterProxyModel *>(m_openView->model())->mapToSource(row);
        ids << m_alarms->open()->at(source.row()).id;
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
