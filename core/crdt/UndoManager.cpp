#include "core/crdt/UndoManager.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Integration.h"
#include "core/crdt/Item.h"
#include "core/crdt/SharedType.h"

#include <algorithm>

namespace tandem::crdt {

namespace {

// Calls `visit` for every struct in `deletes`, split at the range edges.
template <typename Visitor>
void forEachStructIn(Transaction &transaction, const DeleteSet &ranges, Visitor &&visit)
{
    StructStore &store = transaction.doc().store();
    for (const auto &[client, clientRanges] : ranges.clients()) {
        for (const DeleteRange &range : clientRanges) {
            const Clock end = std::min(range.clock + range.length, store.state(client));
            if (range.clock >= end)
                continue;
            store.findCleanStart(Id{client, range.clock}, &transaction.splits());
            if (end < store.state(client))
                store.findCleanStart(Id{client, end}, &transaction.splits());
            std::vector<Item *> items;
            const StructStore::ClientStructs &structs = *store.structsOf(client);
            for (auto it = structs.lower_bound(range.clock); it != structs.end() && it->first < end; ++it)
                items.push_back(it->second);
            for (Item *item : items)
                visit(item);
        }
    }
}

bool isInside(const SharedType *scope, const Item &item)
{
    for (const SharedType *parent = item.parent; parent;) {
        if (parent == scope)
            return true;
        parent = parent->typeItem ? parent->typeItem->parent : nullptr;
    }
    return false;
}

} // namespace

std::pair<Item *, Clock> followRedone(StructStore &store, Id id)
{
    Item *item = store.find(id);
    Clock offset = item ? id.clock - item->id.clock : 0;
    while (item && item->redone) {
        const Id next{item->redone->client, item->redone->clock + offset};
        item = store.find(next);
        offset = item ? next.clock - item->id.clock : 0;
    }
    return {item, offset};
}

UndoManager::UndoManager(Doc *doc, std::vector<SharedType *> scope, const tandem::Clock &clock,
                         QObject *parent)
    : QObject(parent)
    , m_doc(doc)
    , m_scope(std::move(scope))
    , m_clock(clock)
{
    m_hookId =
        m_doc->addAfterTransactionHook([this](Transaction &transaction) { onTransaction(transaction); });
}

UndoManager::~UndoManager()
{
    m_doc->removeAfterTransactionHook(m_hookId);
}

bool UndoManager::inScope(const Item &item) const
{
    return std::any_of(m_scope.begin(), m_scope.end(),
                       [&item](const SharedType *type) { return isInside(type, item); });
}

void UndoManager::onTransaction(Transaction &transaction)
{
    const bool touchesScope = std::any_of(
        transaction.changedTypes().begin(), transaction.changedTypes().end(), [this](const auto &change) {
            const SharedType *type = change.first;
            return std::any_of(m_scope.begin(), m_scope.end(), [type](const SharedType *scope) {
                for (const SharedType *t = type; t; t = t->typeItem ? t->typeItem->parent : nullptr) {
                    if (t == scope)
                        return true;
                }
                return false;
            });
        });
    if (!touchesScope)
        return;
    const bool ownStep = transaction.origin() == origin() && (m_undoing || m_redoing);
    if (!ownStep && (!transaction.isLocal() || !m_trackedOrigins.contains(transaction.origin())))
        return; // only this user's changes are undone
    if (!ownStep)
        m_redoStack.clear(); // a new change invalidates what could be redone

    StackItem step;
    StructStore &store = m_doc->store();
    for (const auto &[client, before] : transaction.beforeState()) {
        const Clock after = store.state(client);
        if (after > before)
            step.insertions.add(client, before, after - before);
    }
    step.deletions = transaction.deleteSet();
    // Keep what this step deleted: undoing it needs the content back.
    forEachStructIn(transaction, step.deletions, [this](Item *item) {
        if (!item->isGc && inScope(*item))
            item->keep = true;
    });

    std::vector<StackItem> &stack = m_undoing ? m_redoStack : m_undoStack;
    const qint64 now = m_clock.monotonicMs();
    if (!ownStep && !stack.empty() && m_lastChangeMs && now - *m_lastChangeMs < m_captureTimeoutMs) {
        stack.back().insertions.add(step.insertions);
        stack.back().insertions.sortAndMerge();
        stack.back().deletions.add(step.deletions);
        stack.back().deletions.sortAndMerge();
    } else {
        step.insertions.sortAndMerge();
        stack.push_back(std::move(step));
    }
    if (!ownStep)
        m_lastChangeMs = now;
    emit stacksChanged();
}

bool UndoManager::undo()
{
    m_undoing = true;
    const bool done = popStackItem(m_undoStack);
    m_undoing = false;
    return done;
}

bool UndoManager::redo()
{
    m_redoing = true;
    const bool done = popStackItem(m_redoStack);
    m_redoing = false;
    return done;
}

void UndoManager::clear()
{
    m_undoStack.clear();
    m_redoStack.clear();
    emit stacksChanged();
}

bool UndoManager::popStackItem(std::vector<StackItem> &stack)
{
    bool performed = false;
    m_doc->transact(
        [&](Transaction &transaction) {
            while (!stack.empty() && !performed) {
                const StackItem step = std::move(stack.back());
                stack.pop_back();
                std::vector<Item *> toDelete;
                forEachStructIn(transaction, step.insertions, [&](Item *item) {
                    if (item->redone) {
                        auto [current, offset] = followRedone(m_doc->store(), item->id);
                        if (current && offset > 0)
                            current = m_doc->store().findCleanStart(
                                Id{current->id.client, current->id.clock + offset}, &transaction.splits());
                        item = current;
                    }
                    if (item && !item->isGc && !item->deleted && inScope(*item))
                        toDelete.push_back(item);
                });
                std::vector<Item *> toRedo;
                forEachStructIn(transaction, step.deletions, [&](Item *item) {
                    if (!item->isGc && inScope(*item) && !step.insertions.contains(item->id))
                        toRedo.push_back(item);
                });
                for (Item *item : toRedo)
                    performed = redoItem(transaction, item) != nullptr || performed;
                for (auto it = toDelete.rbegin(); it != toDelete.rend(); ++it) {
                    deleteItem(transaction, *it);
                    performed = true;
                }
            }
        },
        origin());
    emit stacksChanged();
    return performed;
}

Item *UndoManager::redoItem(Transaction &transaction, Item *item)
{
    StructStore &store = m_doc->store();
    if (item->redone)
        return store.findCleanStart(*item->redone, &transaction.splits());
    SharedType *parent = item->parent;
    // Content that was collected, and nested types, cannot be re-created here.
    if (!parent || (parent->typeItem && parent->typeItem->deleted) ||
        item->content.kind == ContentKind::Deleted || item->content.kind == ContentKind::Type)
        return nullptr;
    auto *redone = new Item;
    redone->id = Id{m_doc->clientId(), store.state(m_doc->clientId())};
    redone->length = item->length;
    redone->parent = parent;
    redone->parentSub = item->parentSub;
    redone->content = item->content.clone();
    if (item->parentSub) {
        // A map entry comes back as the key's newest value.
        redone->left = parent->map.value(*item->parentSub, nullptr);
    } else {
        // Back between its old left neighbour and its own tombstone.
        redone->left = item->left;
        redone->right = item;
        redone->rightOrigin = item->id;
    }
    if (redone->left)
        redone->origin = redone->left->lastId();
    redone->keep = true;
    item->redone = redone->id;
    integrateItem(transaction, redone);
    return redone;
}

} // namespace tandem::crdt
