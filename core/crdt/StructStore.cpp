#include "core/crdt/StructStore.h"

#include "core/crdt/Item.h"

#include <algorithm>

namespace tandem::crdt {

namespace {

bool clockBefore(const ClientStructs::Entry &entry, Clock clock)
{
    return entry.first < clock;
}
bool clockAfter(Clock clock, const ClientStructs::Entry &entry)
{
    return clock < entry.first;
}

} // namespace

ClientStructs::const_iterator &ClientStructs::const_iterator::operator++()
{
    if (++m_index == m_owner->m_chunks[m_chunk].size()) {
        ++m_chunk;
        m_index = 0;
    }
    return *this;
}

ClientStructs::const_iterator &ClientStructs::const_iterator::operator--()
{
    if (m_index == 0) {
        --m_chunk;
        m_index = m_owner->m_chunks[m_chunk].size();
    }
    --m_index;
    return *this;
}

std::size_t ClientStructs::chunkFor(Clock clock) const
{
    auto it =
        std::upper_bound(m_chunks.begin(), m_chunks.end(), clock,
                         [](Clock c, const std::vector<Entry> &chunk) { return c < chunk.front().first; });
    return it == m_chunks.begin() ? 0 : std::size_t(it - m_chunks.begin()) - 1;
}

ClientStructs::const_iterator ClientStructs::normalized(std::size_t chunk, std::size_t index) const
{
    if (chunk < m_chunks.size() && index == m_chunks[chunk].size())
        return const_iterator(this, chunk + 1, 0);
    return const_iterator(this, chunk, index);
}

ClientStructs::const_iterator ClientStructs::upper_bound(Clock clock) const
{
    if (m_chunks.empty())
        return end();
    const std::size_t chunk = chunkFor(clock);
    const auto &entries = m_chunks[chunk];
    const auto it = std::upper_bound(entries.begin(), entries.end(), clock, clockAfter);
    return normalized(chunk, std::size_t(it - entries.begin()));
}

ClientStructs::const_iterator ClientStructs::lower_bound(Clock clock) const
{
    if (m_chunks.empty())
        return end();
    const std::size_t chunk = chunkFor(clock);
    const auto &entries = m_chunks[chunk];
    const auto it = std::lower_bound(entries.begin(), entries.end(), clock, clockBefore);
    return normalized(chunk, std::size_t(it - entries.begin()));
}

ClientStructs::const_iterator ClientStructs::find(Clock clock) const
{
    auto it = lower_bound(clock);
    return it != end() && it->first == clock ? it : end();
}

void ClientStructs::append(Item *item)
{
    if (m_chunks.empty() || m_chunks.back().size() >= kMaxChunk) {
        m_chunks.emplace_back();
        m_chunks.back().reserve(kMaxChunk);
    }
    m_chunks.back().emplace_back(item->id.clock, item);
}

void ClientStructs::insert(Item *item)
{
    if (m_chunks.empty() || item->id.clock > back().first) {
        append(item);
        return;
    }
    const std::size_t chunk = chunkFor(item->id.clock);
    auto &entries = m_chunks[chunk];
    const auto at = std::upper_bound(entries.begin(), entries.end(), item->id.clock, clockAfter);
    entries.emplace(at, item->id.clock, item);
    if (entries.size() > 2 * kMaxChunk) {
        std::vector<Entry> upper(entries.begin() + std::ptrdiff_t(kMaxChunk), entries.end());
        entries.resize(kMaxChunk);
        m_chunks.insert(m_chunks.begin() + std::ptrdiff_t(chunk) + 1, std::move(upper));
    }
}

void ClientStructs::erase(Clock clock)
{
    if (m_chunks.empty())
        return;
    const std::size_t chunk = chunkFor(clock);
    auto &entries = m_chunks[chunk];
    auto it = std::lower_bound(entries.begin(), entries.end(), clock, clockBefore);
    if (it == entries.end() || it->first != clock)
        return;
    entries.erase(it);
    if (entries.empty())
        m_chunks.erase(m_chunks.begin() + std::ptrdiff_t(chunk));
}

StructStore::~StructStore()
{
    for (auto &[client, structs] : m_clients) {
        for (auto &[clock, item] : structs)
            delete item;
    }
}

const ClientStructs *StructStore::lookup(ClientId client) const
{
    if (m_cachedStructs && m_cachedClient == client)
        return m_cachedStructs;
    auto it = m_clients.find(client);
    if (it == m_clients.end())
        return nullptr;
    m_cachedClient = client;
    m_cachedStructs = &it->second; // unordered_map nodes never move
    return m_cachedStructs;
}

Clock StructStore::state(ClientId client) const
{
    const ClientStructs *structs = lookup(client);
    if (!structs || structs->empty())
        return 0;
    const Item *last = structs->back().second;
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
    const ClientStructs *found = lookup(id.client);
    if (!found)
        return nullptr;
    const ClientStructs &structs = *found;
    if (structs.empty())
        return nullptr;
    // Most lookups (origins of fresh structs) hit the newest struct.
    if (Item *last = structs.back().second; last->id.clock <= id.clock)
        return last->contains(id.clock) ? last : nullptr;
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
    m_clients[item->id.client].append(item);
}

void StructStore::addSplit(Item *rightHalf)
{
    m_clients[rightHalf->id.client].insert(rightHalf);
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
    return lookup(client);
}

} // namespace tandem::crdt
