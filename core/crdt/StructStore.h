#pragma once
// Every integrated struct, per client, ordered by clock and contiguous (each
// struct starts where the previous one ends). The store owns its items.
//
// Per client a sorted array of (clock, item): lookups are a binary search in
// contiguous memory (a tree's pointer chasing cost three times as much when
// decoding a large update), appends are O(1), and a split in the middle moves
// pointers only, which stays cheap because edits mostly touch recent clocks.

#include "core/crdt/Id.h"

#include <iterator>
#include <unordered_map>
#include <vector>

namespace tandem::crdt {

struct Item;

/// One client's structs, sorted by clock, as a two-level array: chunks of at
/// most kMaxChunk entries. Lookups are two binary searches in contiguous
/// memory; a split or merge in the middle moves at most one chunk.
class ClientStructs {
public:
    using Entry = std::pair<Clock, Item *>;

    class const_iterator {
    public:
        using iterator_category = std::bidirectional_iterator_tag;
        using value_type = Entry;
        using difference_type = std::ptrdiff_t;
        using pointer = const Entry *;
        using reference = const Entry &;

        const_iterator() = default;
        const_iterator(const ClientStructs *owner, std::size_t chunk, std::size_t index)
            : m_owner(owner)
            , m_chunk(chunk)
            , m_index(index)
        {}
        reference operator*() const { return m_owner->m_chunks[m_chunk][m_index]; }
        pointer operator->() const { return &**this; }
        const_iterator &operator++();
        const_iterator &operator--();
        const_iterator operator++(int)
        {
            const_iterator copy = *this;
            ++*this;
            return copy;
        }
        const_iterator operator--(int)
        {
            const_iterator copy = *this;
            --*this;
            return copy;
        }
        friend bool operator==(const const_iterator &a, const const_iterator &b)
        {
            return a.m_chunk == b.m_chunk && a.m_index == b.m_index;
        }

    private:
        friend class ClientStructs;
        const ClientStructs *m_owner = nullptr;
        std::size_t m_chunk = 0; // == chunk count for end()
        std::size_t m_index = 0;
    };

    bool empty() const { return m_chunks.empty(); }
    const_iterator begin() const { return const_iterator(this, 0, 0); }
    const_iterator end() const { return const_iterator(this, m_chunks.size(), 0); }
    const Entry &back() const { return m_chunks.back().back(); }
    /// First struct starting after / at or after `clock`.
    const_iterator upper_bound(Clock clock) const;
    const_iterator lower_bound(Clock clock) const;
    /// The struct starting exactly at `clock`, or end().
    const_iterator find(Clock clock) const;

    void append(Item *item);
    void insert(Item *item);
    void erase(Clock clock);

private:
    static constexpr std::size_t kMaxChunk = 512;
    std::size_t chunkFor(Clock clock) const; // the last chunk starting at or before clock
    const_iterator normalized(std::size_t chunk, std::size_t index) const;

    std::vector<std::vector<Entry>> m_chunks;
};

class StructStore {
public:
    using ClientStructs = tandem::crdt::ClientStructs;

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
    const ClientStructs *lookup(ClientId client) const;

    std::unordered_map<ClientId, ClientStructs> m_clients;
    // The last client looked up: updates and edits mostly touch one client.
    mutable ClientId m_cachedClient = 0;
    mutable const ClientStructs *m_cachedStructs = nullptr;
};

} // namespace tandem::crdt
