#pragma once
// Every integrated struct, per client, ordered by clock and contiguous (each
// struct starts where the previous one ends). A balanced tree per client keeps
// lookups and splits logarithmic however long the history grows. The store
// owns its items.

#include "core/crdt/Id.h"

#include <map>
#include <unordered_map>
#include <vector>

namespace tandem::crdt {

struct Item;

class StructStore {
public:
    using ClientStructs = std::map<Clock, Item *>;

    StructStore() = default;
    StructStore(const StructStore &) = delete;
    StructStore &operator=(const StructStore &) = delete;
    ~StructStore();

    /// The next clock expected from `client` (0 when unknown).
    Clock state(ClientId client) const;
    /// Client -> next expected clock, for every known client.
    std::vector<std::pair<ClientId, Clock>> stateVector() const;

    /// The struct containing `id`, or null.
    Item *find(Id id) const;
    /// Like find(), splitting so that `id` is the first unit of the result.
    Item *findCleanStart(Id id, std::vector<Id> *splits);
    /// Like find(), splitting so that `id` is the last unit of the result.
    Item *findCleanEnd(Id id, std::vector<Id> *splits);

    /// Appends a struct; its clock must equal state(client).
    void add(Item *item);
    /// Registers the right half of a split (already linked by splitItem).
    void addSplit(Item *rightHalf);
    /// Removes (and frees) `item`, which has just been merged into its left.
    void removeMerged(Item *item);

    const std::unordered_map<ClientId, ClientStructs> &clients() const { return m_clients; }
    const ClientStructs *structsOf(ClientId client) const;

private:
    std::unordered_map<ClientId, ClientStructs> m_clients;
};

} // namespace tandem::crdt
