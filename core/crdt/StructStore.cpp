#include "core/crdt/StructStore.h"

#include "core/crdt/Item.h"

namespace tandem::crdt {

StructStore::~StructStore()
{
    for (auto &[client, structs] : m_clients) {
        for (auto &[clock, item] : structs)
            delete item;
    }
}

Clock StructStore::state(ClientId client) const
{
    auto it = m_clients.find(client);
    if (it == m_clients.end() || it->second.empty())
        return 0;
    const Item *last = it->second.rbegin()->second;
    return last->id.clock + last->length;
}

std::vector<std::pair<ClientId, Clock>> StructStore::stateVector() const
{
    std::vector<std::pair<ClientId, Clock>> result;
    result.reserve(m_clients.size());
    for (const auto &[client, structs] : m_clients) {
        if (!structs.empty())
            result.emplace_back(client, state(client));
    }
    return result;
}

Item *StructStore::find(Id id) const
{
    auto clientIt = m_clients.find(id.client);
    if (clientIt == m_clients.end())
        return nullptr;
    const ClientStructs &structs = clientIt->second;
    auto it = structs.upper_bound(id.clock);
    if (it == structs.begin())
        return nullptr;
    --it;
    return it->second->contains(id.clock) ? it->second : nullptr;
}

Item *StructStore::findCleanStart(Id id, std::vector<Id> *splits)
{
    Item *item = find(id);
    if (!item || item->id.clock == id.clock || item->isGc)
        return item;
    Item *right = splitItem(item, id.clock - item->id.clock);
    addSplit(right);
    if (splits)
        splits->push_back(right->id);
    return right;
}

Item *StructStore::findCleanEnd(Id id, std::vector<Id> *splits)
{
    Item *item = find(id);
    if (!item || item->lastId().clock == id.clock || item->isGc)
        return item;
    Item *right = splitItem(item, id.clock - item->id.clock + 1);
    addSplit(right);
    if (splits)
        splits->push_back(right->id);
    return item;
}

void StructStore::add(Item *item)
{
    m_clients[item->id.client].emplace_hint(m_clients[item->id.client].end(), item->id.clock, item);
}

void StructStore::addSplit(Item *rightHalf)
{
    ClientStructs &structs = m_clients[rightHalf->id.client];
    structs.emplace(rightHalf->id.clock, rightHalf);
}

void StructStore::removeMerged(Item *item)
{
    auto clientIt = m_clients.find(item->id.client);
    if (clientIt != m_clients.end())
        clientIt->second.erase(item->id.clock);
    delete item;
}

const StructStore::ClientStructs *StructStore::structsOf(ClientId client) const
{
    auto it = m_clients.find(client);
    return it == m_clients.end() ? nullptr : &it->second;
}

} // namespace tandem::crdt
