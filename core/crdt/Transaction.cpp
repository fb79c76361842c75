#include "core/crdt/Transaction.h"

#include "core/crdt/Item.h"

namespace tandem::crdt {

bool Transaction::insertedHere(const Item &item) const
{
    auto it = m_beforeState.find(item.id.client);
    return it != m_beforeState.end() && item.id.clock >= it->second;
}

void Transaction::noteDeleted(const Item &item)
{
    m_deleteSet.add(item.id.client, item.id.clock, item.length);
}

void Transaction::noteChanged(SharedType *type, const std::optional<QString> &key)
{
    TypeChange &change = m_changed[type];
    if (key)
        change.keysChanged.insert(*key);
    else
        change.listChanged = true;
}

} // namespace tandem::crdt
