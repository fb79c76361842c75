#include "core/client/DedupWindow.h"

#include <algorithm>

namespace tandem::client {

DedupWindow::DedupWindow(int capacity)
    : m_capacity(std::max(1, capacity))
{
    m_ids.reserve(m_capacity);
}

bool DedupWindow::markApplied(const QString &id)
{
    if (m_ids.contains(id))
        return false;
    m_ids.insert(id);
    m_order.push_back(id);
    if (static_cast<int>(m_order.size()) > m_capacity) {
        m_ids.remove(m_order.front());
        m_order.pop_front();
    }
    return true;
}

void DedupWindow::clear()
{
    m_ids.clear();
    m_order.clear();
}

} // namespace tandem::client
