#pragma once
// A struct's identity: the client that created it and that client's clock,
// counted in UTF-16 units for text. Both fit in 53 bits on the wire.

#include <cstdint>
#include <functional>

namespace tandem::crdt {

using ClientId = std::uint64_t;
using Clock = std::uint64_t;

struct Id {
    ClientId client = 0;
    Clock clock = 0;

    friend bool operator==(const Id &, const Id &) = default;
};

} // namespace tandem::crdt
