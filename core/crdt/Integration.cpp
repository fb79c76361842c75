#include "core/crdt/Integration.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Item.h"
#include "core/crdt/SharedType.h"
#include "core/crdt/Transaction.h"

#include <algorithm>
#include <unordered_set>

namespace tandem::crdt {

namespace {

Item *firstOfKeyChain(SharedType *parent, const QString &key)
{
    Item *item = parent->map.value(key, nullptr);
    while (item && item->left)
        item = item->left;
    return item;
}

// The conflict loop: concurrent inserts between the same origins are ordered
// by (origin position, client id) so that every peer picks the same order.
Item *resolveConcurrentLeft(Transaction &transaction, Item *item)
{
    StructStore &store = transaction.doc().store();
    SharedType *parent = item->parent;
    Item *left = item->left;
    Item *o = left              ? left->right
              : item->parentSub ? firstOfKeyChain(parent, *item->parentSub)
                                : parent->start;
    std::unordered_set<Item *> conflicting;
    std::unordered_set<Item *> beforeOrigin;
    while (o && o != item->right) {
        beforeOrigin.insert(o);
        conflicting.insert(o);
        if (item->origin == o->origin) {
            if (o->id.client < item->id.client) {
                left = o;
                conflicting.clear();
            } else if (item->rightOrigin == o->rightOrigin) {
                break;
            }
        } else if (o->origin && beforeOrigin.count(store.find(*o->origin))) {
            if (!conflicting.count(store.find(*o->origin))) {
                left = o;
                conflicting.clear();
            }
        } else {
            break;
        }
        o = o->right;
    }
    return left;
}

void gcItem(StructStore &store, Item *item, bool parentCollected);

void gcChildren(StructStore &store, SharedType *type)
{
    for (Item *child = type->start; child; child = child->right)
        gcItem(store, child, true);
    for (Item *entry : std::as_const(type->map)) {
        for (Item *older = entry; older; older = older->left)
            gcItem(store, older, true);
    }
    type->map.clear();
    type->start = nullptr;
}

void gcItem(StructStore &store, Item *item, bool parentCollected)
{
    if (item->isGc)
        return;
    if (item->content.kind == ContentKind::Type && item->content.payload && item->content.payload->type)
        gcChildren(store, item->content.payload->type);
    item->content.text.clear();
    item->content.payload.reset();
    item->content.kind = ContentKind::Deleted;
    if (parentCollected) {
        // A child of a collected type keeps nothing but its ID range.
        item->isGc = true;
        item->parent = nullptr;
        item->parentSub.reset();
        item->origin.reset();
        item->rightOrigin.reset();
    }
}

} // namespace

void integrateItem(Transaction &transaction, Item *item, bool localEdit)
{
    SharedType *parent = item->parent;
    Item *right = item->right;
    Item *left = item->left;
    if ((!left && (!right || right->left)) || (left && left->right != right))
        item->left = resolveConcurrentLeft(transaction, item);

    if (item->left) {
        item->right = item->left->right;
        item->left->right = item;
    } else if (item->parentSub) {
        item->right = firstOfKeyChain(parent, *item->parentSub);
    } else {
        item->right = parent->start;
        parent->start = item;
    }
    if (item->right) {
        item->right->left = item;
    } else if (item->parentSub) {
        parent->map.insert(*item->parentSub, item);
        if (item->left)
            deleteItem(transaction, item->left, localEdit);
    }
    if (!item->parentSub && item->countable() && !item->deleted)
        parent->length += item->length;
    if (!localEdit)
        parent->clearMarkers();

    StructStore &store = transaction.doc().store();
    transaction.noteStateBeforeAdd(item->id.client, store.state(item->id.client));
    store.add(item);

    switch (item->content.kind) {
    case ContentKind::Type:
        transaction.doc().createNestedType(item);
        break;
    case ContentKind::Deleted:
        item->deleted = true;
        transaction.noteDeleted(*item);
        break;
    default:
        break;
    }
    transaction.noteChanged(parent, item->parentSub);
    if ((parent->typeItem && parent->typeItem->deleted) || (item->parentSub && item->right))
        deleteItem(transaction, item, localEdit);
}

void deleteItem(Transaction &transaction, Item *item, bool localEdit)
{
    if (item->deleted || item->isGc)
        return;
    SharedType *parent = item->parent;
    if (!item->parentSub && item->countable())
        parent->length -= item->length;
    item->deleted = true;
    if (!localEdit)
        parent->clearMarkers();
    transaction.noteDeleted(*item);
    transaction.noteChanged(parent, item->parentSub);
    if (item->content.kind == ContentKind::Type && item->content.payload && item->content.payload->type) {
        SharedType *type = item->content.payload->type;
        for (Item *child = type->start; child; child = child->right)
            deleteItem(transaction, child);
        for (Item *entry : std::as_const(type->map))
            deleteItem(transaction, entry);
        transaction.forgetChanged(type);
    }
}

void collectGarbage(Transaction &transaction)
{
    StructStore &store = transaction.doc().store();
    for (const auto &[client, ranges] : transaction.deleteSet().clients()) {
        const StructStore::ClientStructs *structs = store.structsOf(client);
        if (!structs)
            continue;
        for (const DeleteRange &range : ranges) {
            auto it = structs->upper_bound(range.clock);
            if (it != structs->begin())
                --it;
            for (; it != structs->end() && it->first < range.clock + range.length; ++it) {
                Item *item = it->second;
                if (item->deleted && !item->keep)
                    gcItem(store, item, false);
            }
        }
    }
}

namespace {

// Merges every struct of `client` that starts in [from, to] with its left
// neighbour, right to left so a run of mergeable structs folds into its first.
void mergeClockRange(StructStore &store, ClientId client, Clock from, Clock to)
{
    const StructStore::ClientStructs *structs = store.structsOf(client);
    if (!structs || structs->empty())
        return;
    auto it = structs->upper_bound(to);
    while (it != structs->begin()) {
        --it;
        if (it->first < from || it == structs->begin())
            break;
        Item *right = it->second;
        Item *left = std::prev(it)->second;
        if (canMerge(*left, *right)) {
            mergeInto(*left, *right);
            store.removeMerged(right);
            it = structs->upper_bound(left->id.clock);
        }
    }
}

} // namespace

void mergeTouchedStructs(Transaction &transaction)
{
    StructStore &store = transaction.doc().store();
    for (const auto &[client, ranges] : transaction.deleteSet().clients()) {
        // One struct past each range too: it may be an earlier deletion.
        for (const DeleteRange &range : ranges)
            mergeClockRange(store, client, range.clock, range.clock + range.length);
    }
    for (const auto &[client, before] : transaction.beforeState())
        mergeClockRange(store, client, before, store.state(client));
    for (const Id &split : transaction.splits())
        mergeClockRange(store, split.client, split.clock, split.clock);
}

} // namespace tandem::crdt
