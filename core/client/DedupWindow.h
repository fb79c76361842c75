#pragma once
// The ids of the last N applied server messages. Delivery is at-least-once
// across reconnects, so a replayed event may arrive twice; this window drops
// the second copy while keeping memory bounded (oldest ids are forgotten first).

#include <QSet>
#include <QString>

#include <deque>

namespace tandem::client {

class DedupWindow {
public:
    explicit DedupWindow(int capacity = 10000);

    /// Records `id`; returns false when it is already in the window (a duplicate).
    bool markApplied(const QString &id);
    bool contains(const QString &id) const { return m_ids.contains(id); }
    int size() const { return static_cast<int>(m_order.size()); }
    int capacity() const { return m_capacity; }
    void clear();

private:
    int m_capacity;
    QSet<QString> m_ids;
    std::deque<QString> m_order; ///< insertion order, for FIFO eviction
};

} // namespace tandem::client
