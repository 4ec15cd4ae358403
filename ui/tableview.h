#pragma once
#include <QCollator>
#include <QSortFilterProxyModel>

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace alabos {

// Sorts "xrd-9" before "xrd-10", as a person reads names; filters on every column.
class NaturalSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit NaturalSortProxy(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QCollator m_collator;
};

class DeviceFilterProxy : public NaturalSortProxy
{
    Q_OBJECT
public:
    explicit DeviceFilterProxy(QObject *parent = nullptr);

public Q_SLOTS:
    void setType(const QString &type);  // empty: all
    void setStatus(int status);         // -1: all
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    QString m_type;
    int m_status = -1;
    QString m_text;
};

// The console's table look: sortable, whole-row selection, compact rows.
QTableView *makeTableView(QAbstractItemModel *model, QWidget *parent);

} // namespace alabos
