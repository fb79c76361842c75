#pragma once
// One struct of the document: a run of `length` consecutive clocks of one
// client. Items form a doubly linked list per parent type (document order)
// and are indexed by ID in the StructStore. A GC struct is an Item with
// `isGc` set: its content is gone and it belongs to no list.

#include "core/crdt/Content.h"
#include "core/crdt/Id.h"

#include <QString>

#include <memory>
#include <optional>

namespace tandem::crdt {

class SharedType;

/// Where a decoded item says its parent is, before integration resolves it.
struct WireParent {
    enum class Kind : quint8 { Root, Nested };
    Kind kind = Kind::Root;
    QString rootName;
    Id typeId;
};

struct Item {
    Id id;
    Clock length = 0;
    std::optional<Id> origin;      // left neighbour at creation (its last unit)
    std::optional<Id> rightOrigin; // right neighbour at creation
    Item *left = nullptr;
    Item *right = nullptr;
    SharedType *parent = nullptr;
    std::unique_ptr<WireParent> wireParent; // only between decoding and integration
    std::optional<QString> parentSub;       // the map key, for map entries
    std::optional<Id> redone;               // set by the UndoManager's redo
    Content content;
    bool isGc = false;
    bool isSkip = false; // a gap marker in a diff update; never integrated
    bool deleted = false;
    bool keep = false; // the UndoManager still needs the content: no GC

    bool countable() const { return !isGc && content.countable(); }
    /// Contributes to its parent's index space right now.
    bool visible() const { return !deleted && countable(); }
    Id lastId() const { return Id{id.client, id.clock + length - 1}; }
    bool contains(Clock clock) const { return clock >= id.clock && clock < id.clock + length; }
};

/// Cuts `item` at `offset` (0 < offset < length) and returns the new right
/// half, linked after it. Splitting a string between the halves of a
/// surrogate pair replaces both halves with U+FFFD, as Yjs does (yjs#248).
Item *splitItem(Item *item, Clock offset);

/// Drops the first `offset` units of an item's content (used when a struct is
/// partly known already, and by splitItem for the right half).
void trimContentFront(Content &content, Clock offset);

/// Whether `right` may be folded into `left` (adjacent in list and clocks,
/// same origins, same state and a mergeable content kind).
bool canMerge(const Item &left, const Item &right);
/// Folds `right` into `left`; the caller unlinks and frees `right`.
void mergeInto(Item &left, Item &right);

} // namespace tandem::crdt
