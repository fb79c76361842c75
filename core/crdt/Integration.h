#pragma once
// YATA as Yjs implements it (Item.integrate): placing an item among
// concurrent inserts, deleting, garbage-collecting and re-merging structs.

#include "core/crdt/Id.h"

namespace tandem::crdt {

class Transaction;
struct Item;

/// Links `item` (left/right already resolved from its origins, parent set)
/// into its parent, resolving concurrent inserts between its origins, and
/// adds it to the store. `localEdit` keeps the parent's search markers, which
/// the local edit then shifts itself; anything else forgets them.
void integrateItem(Transaction &transaction, Item *item, bool localEdit = false);

/// Marks `item` deleted (nested types recursively) and records it.
void deleteItem(Transaction &transaction, Item *item, bool localEdit = false);

/// Replaces the content of deleted items in the transaction's delete set by
/// ContentDeleted (children of deleted types become GC structs).
void collectGarbage(Transaction &transaction);

/// Merges the structs the transaction touched with their left neighbours.
void mergeTouchedStructs(Transaction &transaction);

} // namespace tandem::crdt
