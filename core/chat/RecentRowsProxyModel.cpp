#include "core/chat/RecentRowsProxyModel.h"

#include <algorithm>

namespace tandem::chat {

RecentRowsProxyModel::RecentRowsProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Rows arriving later (live messages, pages) are filtered as they come; existing ones keep their verdict.
    setDynamicSortFilter(true);
}

void RecentRowsProxyModel::setSourceWindow(QAbstractItemModel *source, int window)
{
    m_hidden = source ? std::max(0, source->rowCount() - window) : 0;
    setSourceModel(source);
}

int RecentRowsProxyModel::revealOlder(int rows)
{
    const int revealed = std::min(rows, m_hidden);
    if (revealed <= 0)
        return 0;
    m_hidden -= revealed;
    invalidateFilter();
    return revealed;
}

bool RecentRowsProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    // Hidden rows are always the oldest ones: a page from the server is only
    // asked for once none are hidden, so nothing is ever inserted above them.
    return sourceRow >= m_hidden;
}

} // namespace tandem::chat
