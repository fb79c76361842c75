#pragma once
// Deletions as a set of ID ranges per client (no author, no time): what the
// v1 update's trailing section carries.

#include "core/crdt/Id.h"

#include <map>
#include <vector>

namespace tandem::crdt {

class Lib0Encoder;
class Lib0Decoder;
class StructStore;

struct DeleteRange {
    Clock clock = 0;
    Clock length = 0;
};

class DeleteSet {
public:
    void add(ClientId client, Clock clock, Clock length);
    void add(const DeleteSet &other);
    /// Sorts each client's ranges and coalesces overlapping or adjacent ones.
    void sortAndMerge();
    bool contains(Id id) const; // requires sortAndMerge()
    bool empty() const { return m_clients.empty(); }
    void clear() { m_clients.clear(); }

    const std::map<ClientId, std::vector<DeleteRange>> &clients() const { return m_clients; }

    /// Writes clients in descending order, as Yjs does.
    void encode(Lib0Encoder &encoder) const;
    /// Reads a delete set; validates ranges against 2^53. Check failed().
    static DeleteSet decode(Lib0Decoder &decoder);
    /// Every deleted struct in the store, GC structs included.
    static DeleteSet fromStore(const StructStore &store);

private:
    std::map<ClientId, std::vector<DeleteRange>> m_clients;
};

} // namespace tandem::crdt
