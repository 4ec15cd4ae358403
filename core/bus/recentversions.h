#pragma once
// The newest event applied per entity, so a redelivered older event is dropped, in bounded
// memory. A feed that follows a lab for days sees millions of tasks, each finished long ago;
// keeping every one grew a console by about 100 MiB an hour. Two generations of at most
// `generationSize` keys are kept: a key not updated while that many others were is
// forgotten. Redelivery (a relay republishing from its cursor, a partition read again) is a
// few thousand events behind, far inside that window.
#include "core/domain/types.h"

#include <QHash>
#include <QString>
#include <optional>

namespace alabos {

class RecentVersions
{
public:
    explicit RecentVersions(qsizetype generationSize) : m_generationSize(generationSize) {}

    std::optional<EventId> find(const QString &key) const
    {
        if (const auto it = m_current.constFind(key); it != m_current.cend()) return *it;
        if (const auto it = m_previous.constFind(key); it != m_previous.cend()) return *it;
        return std::nullopt;
    }
    void insert(const QString &key, EventId id)
    {
        m_current.insert(key, id);
        if (m_current.size() < m_generationSize) return;
        m_previous = std::move(m_current);
        m_current = {};
    }
    void clear()
    {
        m_current.clear();
        m_previous.clear();
    }
    // Keys held: at most twice the generation size.
    qsizetype size() const { return m_current.size() + m_previous.size(); }

private:
    qsizetype m_generationSize;
    QHash<QString, EventId> m_current;
    QHash<QString, EventId> m_previous; // entries also in m_current are newer there
};

} // namespace alabos
