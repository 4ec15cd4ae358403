#pragma once
// The one coalescing mechanism of the console's table models: a batch of entity states
// becomes one dataChanged range (rows changed in place) and one insertion (new rows at the
// end), however many entities it touches.
#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <algorithm>
#include <climits>

namespace alabos {

template <typename T, typename Key> class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    const T &at(int row) const { return m_rows[row]; }
    const QList<T> &rows() const { return m_rows; }
    int rowOf(const Key &key) const { return m_rowByKey.value(key, -1); }
    qint64 refreshes() const { return m_refreshes; }

    void replaceAll(QList<T> items)
    {
        ++m_refreshes;
        beginResetModel();
        m_rows = std::move(items);
        std::sort(m_rows.begin(), m_rows.end(),
                  [this](const T &a, const T &b) { return keyOf(a) < keyOf(b); });
        rebuildIndex();
        endResetModel();
    }

    void merge(const QList<T> &items)
    {
        if (items.isEmpty())
            return;
        ++m_refreshes;
        int first = INT_MAX, last = -1;
        QList<T> added;
        for (const T &item : items) {
            const auto it = m_rowByKey.constFind(keyOf(item));
            if (it == m_rowByKey.cend()) {
                added.append(item);
                continue;
            }
            m_rows[*it] = item;
            first = std::min(first, *it);
            last = std::max(last, *it);
        }
        // Column 0 is the key, which never changes in place: leaving it out spares sorting
        // proxies (sorted by it by default) a re-sort of every row in the range.
        if (last >= 0)
            Q_EMIT this->dataChanged(this->index(first, columnCount() > 1 ? 1 : 0),
                                     this->index(last, columnCount() - 1));
        if (!added.isEmpty()) {
            std::sort(added.begin(), added.end(),
                      [this](const T &a, const T &b) { return keyOf(a) < keyOf(b); });
            this->beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
            for (const T &item : added) {
                m_rowByKey.insert(keyOf(item), int(m_rows.size()));
                m_rows.append(item);
            }
            this->endInsertRows();
        }
    }

    // Drops rows matching `drop` (oldest first, at most `count`) as row removals of
    // contiguous runs, not a reset: views and sorting proxies keep their state and do not
    // re-sort everything (a reset at every batch stalled the UI at 100,000 events/s).
    template <typename Pred> void dropOldest(qsizetype count, Pred drop)
    {
        if (count <= 0)
            return;
        QList<int> doomed;
        for (int i = 0; i < m_rows.size() && doomed.size() < count; ++i)
            if (drop(m_rows[i]))
                doomed.append(i);
        if (doomed.isEmpty())
            return;
        // From the back, so earlier indices stay valid while later runs go.
        int runEnd = doomed.size() - 1;
        while (runEnd >= 0) {
            int runStart = runEnd;
            while (runStart > 0 && doomed[runStart - 1] == doomed[runStart] - 1)
                --runStart;
            const int first = doomed[runStart], last = doomed[runEnd];
            this->beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            this->endRemoveRows();
            runEnd = runStart - 1;
        }
        rebuildIndex();
    }

protected:
    virtual Key keyOf(const T &item) const = 0;

private:
    void rebuildIndex()
    {
        m_rowByKey.clear();
        m_rowByKey.reserve(m_rows.size());
        for (int i = 0; i < m_rows.size(); ++i)
            m_rowByKey.insert(keyOf(m_rows[i]), i);
    }

    QList<T> m_rows;
    QHash<Key, int> m_rowByKey;
    qint64 m_refreshes = 0;
};

} // namespace alabos
