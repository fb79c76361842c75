#pragma once
// Update format v1 on the wire (see docs/CRDT.md and the Yjs brief, 2.1-2.2):
// decoding validates a whole update before anything is applied; encoding
// writes structs exactly as Yjs does, so the same ops give the same bytes.

#include "core/common/Expected.h"
#include "core/crdt/CrdtError.h"
#include "core/crdt/DeleteSet.h"
#include "core/crdt/Id.h"

#include <QByteArray>

#include <map>
#include <memory>
#include <vector>

namespace tandem::crdt {

class Lib0Encoder;
struct Item;

struct DecodedUpdate {
    /// Per client, sorted by clock; items are not yet integrated.
    std::map<ClientId, std::vector<std::unique_ptr<Item>>> structs;
    DeleteSet deletes;
};

Expected<DecodedUpdate, DecodeError> decodeUpdate(const QByteArray &update);

/// Writes one struct, skipping its first `offset` units (then its origin is
/// the unit before the written part, as Yjs writes a partly known struct).
void writeStruct(Lib0Encoder &encoder, const Item &item, Clock offset);
/// A Skip struct covering a gap in a client block.
void writeSkip(Lib0Encoder &encoder, Clock length);
void writeId(Lib0Encoder &encoder, Id id);

using StateVector = std::map<ClientId, Clock>;
QByteArray encodeStateVector(const std::vector<std::pair<ClientId, Clock>> &state);
Expected<StateVector, DecodeError> decodeStateVector(const QByteArray &encoded);

} // namespace tandem::crdt
