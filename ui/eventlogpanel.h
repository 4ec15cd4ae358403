#pragma once
// The event log: a live tail of the events the state feed applied, with filters, and the
// older events of one entity from the database on demand.
#include "core/bus/statefeed.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace alabos {

class ConsoleServices;
class HistoryQueries;
class LabModels;

struct EventLogRow
{
    EventId id = 0;
    qint64 timeUs = 0;
    QString entityType;
    QString entityId;
    QString kind;
    QString detail; // a short summary of the payload, made once on arrival
};

// The rows of a log, capped: a batch becomes one insertion at the end and at most one
// removal of the oldest rows at the front.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Time,
        Id,
        EntityType,
        Entity,
        Kind,
        Detail,
        ColumnCount
    };

    explicit EventLogModel(int capacity = 20000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void append(const QList<Event> &events);
    void replaceAll(const QList<Event> &events);
    void clear();
    const EventLogRow &row(int row) const { return m_rows[row]; }
    int capacity() const { return m_capacity; }
    qint64 insertions() const { return m_insertions; }

    static EventLogRow toRow(const Event &event);

Q_SIGNALS:
    void kindSeen(const QString &kind);

private:
    int m_capacity;
    QList<EventLogRow> m_rows;
    QSet<QString> m_kinds;
    qint64 m_insertions = 0;
};

class EventLogFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setEntityType(const QString &type); // empty: all
    void setKind(const QString &kind);       // empty: all
    void setEntityText(const QString &text); // part of the entity id, any case

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    QString m_type;
    QString m_kind;
    QString m_text;
};

class EventLogPanel : public QWidget
{
    Q_OBJECT
public:
    EventLogPanel(LabModels *models, ConsoleServices *services, QWidget *parent = nullptr);
    ~EventLogPanel() override;

    EventLogModel *model() const { return m_model; }
    EventLogModel *historyModel() const { return m_historyModel; }
    QSortFilterProxyModel *filter() const { return m_filter; }
    bool isPaused() const;

public Q_SLOTS:
    void setPaused(bool paused);
    // The last `limit` events of one entity, from the database.
    void loadHistory(const QString &entityType, const QString &entityId, int limit);

Q_SIGNALS:
    void historyLoaded(int rows, const QString &error);

private:
    void onApplied(const FeedUpdate &update);
    void loadSelectedHistory();
    void updateStatus();

    ConsoleServices *m_services;
    EventLogModel *m_model;
    EventLogFilter *m_filter;
    EventLogModel *m_historyModel;
    QComboBox *m_type;
    QComboBox *m_kind;
    QLineEdit *m_text;
    QPushButton *m_pause;
    QPushButton *m_older;
    QSpinBox *m_olderCount;
    QLabel *m_status;
    QTableView *m_view;
    QWidget *m_historyBox;
    QLabel *m_historyTitle;
    QTableView *m_historyView;
    QList<Event> m_pending; // arrived while paused, capped like the log
    qint64 m_pendingDropped = 0;
    qint64 m_omitted = 0; // the feed's per-batch cap dropped these
    std::shared_ptr<HistoryQueries> m_history;
    quint64 m_historyRequest = 0;
};

} // namespace alabos
