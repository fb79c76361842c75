#include "core/crdt/DeleteSet.h"

#include "core/crdt/Item.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/StructStore.h"

#include <algorithm>

namespace tandem::crdt {

void DeleteSet::add(ClientId client, Clock clock, Clock length)
{
    if (length == 0)
        return;
    auto &ranges = m_clients[client];
    // Consecutive deletions (the common case) extend the last range in place.
    if (!ranges.empty() && ranges.back().clock + ranges.back().length == clock) {
        ranges.back().length += length;
        return;
    }
    ranges.push_back(DeleteRange{clock, length});
}

void DeleteSet::add(const DeleteSet &other)
{
    for (const auto &[client, ranges] : other.m_clients) {
        auto &mine = m_clients[client];
        mine.insert(mine.end(), ranges.begin(), ranges.end());
    }
}

void DeleteSet::sortAndMerge()
{
    for (auto &[client, ranges] : m_clients) {
        std::sort(ranges.begin(), ranges.end(),
                  [](const DeleteRange &a, const DeleteRange &b) { return a.clock < b.clock; });
        std::size_t kept = 0;
        for (std::size_t i = 1; i < ranges.size(); ++i) {
            DeleteRange &last = ranges[kept];
            if (last.clock + last.length >= ranges[i].clock) {
                last.length = std::max(last.length, ranges[i].clock + ranges[i].length - last.clock);
            } else {
                ranges[++kept] = ranges[i];
            }
        }
        if (!ranges.empty())
            ranges.resize(kept + 1);
    }
}

bool DeleteSet::contains(Id id) const
{
    auto it = m_clients.find(id.client);
    if (it == m_clients.end())
        return false;
    const auto &ranges = it->second;
    auto range = std::upper_bound(ranges.begin(), ranges.end(), id.clock,
                                  [](Clock clock, const DeleteRange &r) { return clock < r.clock; });
    if (range == ranges.begin())
        return false;
    --range;
    return id.clock < range->clock + range->length;
}

void DeleteSet::encode(Lib0Encoder &encoder) const
{
    encoder.writeVarUint(m_clients.size());
    for (auto it = m_clients.rbegin(); it != m_clients.rend(); ++it) {
        encoder.writeVarUint(it->first);
        encoder.writeVarUint(it->second.size());
        for (const DeleteRange &range : it->second) {
            encoder.writeVarUint(range.clock);
            encoder.writeVarUint(range.length);
        }
    }
}

DeleteSet DeleteSet::decode(Lib0Decoder &decoder)
{
    DeleteSet result;
    const std::uint64_t clientCount = decoder.readCount(2);
    for (std::uint64_t i = 0; i < clientCount && !decoder.failed(); ++i) {
        const ClientId client = decoder.readVarUint();
        const std::uint64_t rangeCount = decoder.readCount(2);
        for (std::uint64_t r = 0; r < rangeCount && !decoder.failed(); ++r) {
            const Clock clock = decoder.readVarUint();
            const Clock length = decoder.readVarUint();
            if (clock + length > kMaxSafeInteger + 1) {
                decoder.fail(DecodeErrorCode::IntegerOutOfRange, "delete range beyond 2^53");
                break;
            }
            result.add(client, clock, length);
        }
    }
    return result;
}

DeleteSet DeleteSet::fromStore(const StructStore &store)
{
    DeleteSet result;
    for (const auto &[client, structs] : store.clients()) {
        for (const auto &[clock, item] : structs) {
            if (item->deleted || item->isGc)
                result.add(client, clock, item->length);
        }
    }
    return result;
}

} // namespace tandem::crdt
