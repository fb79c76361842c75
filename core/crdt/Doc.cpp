#include "core/crdt/Doc.h"

#include "core/crdt/Integration.h"
#include "core/crdt/Item.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/Map.h"
#include "core/crdt/SharedType.h"
#include "core/crdt/Text.h"
#include "core/crdt/UpdateCodec.h"

#include <QMetaMethod>
#include <QRandomGenerator>

#include <algorithm>
#include <unordered_map>

namespace tandem::crdt {

namespace {

ClientId randomClientId()
{
    return QRandomGenerator::global()->generate();
}

TypeKind kindOf(TypeRef ref)
{
    switch (ref) {
    case TypeRef::Array:
        return TypeKind::Array;
    case TypeRef::Map:
        return TypeKind::Map;
    case TypeRef::Text:
        return TypeKind::Text;
    case TypeRef::XmlElement:
        return TypeKind::XmlElement;
    case TypeRef::XmlFragment:
        return TypeKind::XmlFragment;
    case TypeRef::XmlHook:
        return TypeKind::XmlHook;
    case TypeRef::XmlText:
        return TypeKind::XmlText;
    }
    return TypeKind::Unknown;
}

// One entry of a client block: a struct from `offset`, or a Skip over a gap.
struct BlockEntry {
    const Item *item = nullptr;
    Clock offset = 0;
    Clock skipLength = 0;
};

// Structs of one client from `fromClock` on, then (after a Skip if there is a
// gap) pending structs of that client that are not known to the receiver.
std::vector<BlockEntry> collectBlock(const StructStore &store, ClientId client, Clock fromClock,
                                     const std::vector<std::unique_ptr<Item>> *pending, Clock *firstClock)
{
    std::vector<BlockEntry> entries;
    Clock next = fromClock;
    if (const StructStore::ClientStructs *structs = store.structsOf(client)) {
        auto it = structs->upper_bound(fromClock);
        if (it != structs->begin())
            --it;
        for (; it != structs->end(); ++it) {
            const Item *item = it->second;
            if (item->id.clock + item->length <= fromClock)
                continue;
            const Clock offset = fromClock > item->id.clock ? fromClock - item->id.clock : 0;
            if (entries.empty())
                *firstClock = item->id.clock + offset;
            entries.push_back(BlockEntry{item, offset, 0});
            next = item->id.clock + item->length;
        }
    }
    if (pending) {
        for (const auto &item : *pending) {
            if (item->id.clock + item->length <= std::max(fromClock, next))
                continue;
            if (entries.empty()) {
                *firstClock = item->id.clock;
            } else if (item->id.clock > next) {
                entries.push_back(BlockEntry{nullptr, 0, item->id.clock - next});
            } else if (item->id.clock < next) {
                continue; // overlaps what is already written
            }
            entries.push_back(BlockEntry{item.get(), 0, 0});
            next = item->id.clock + item->length;
        }
    }
    return entries;
}

void writeBlock(Lib0Encoder &encoder, ClientId client, Clock firstClock,
                const std::vector<BlockEntry> &entries)
{
    encoder.writeVarUint(entries.size());
    encoder.writeVarUint(client);
    encoder.writeVarUint(firstClock);
    for (const BlockEntry &entry : entries) {
        if (entry.item)
            writeStruct(encoder, *entry.item, entry.offset);
        else
            writeSkip(encoder, entry.skipLength);
    }
}

// Whether `right` lies after `left` in one list, as the origins of a real
// insert always do. Walks only the items between them: the same span the
// conflict loop scans, so valid updates pay nothing extra in order.
bool neighboursAgree(const Item &item, const Item *left, const Item *right)
{
    if (!left || !right)
        return true;
    // Splitting for the right origin cut the left neighbour: the right origin
    // was at or before the origin.
    if (left->lastId() != *item.origin)
        return false;
    if (left->parent != right->parent || left->parentSub != right->parentSub)
        return false;
    for (const Item *o = left->right; o; o = o->right) {
        if (o == right)
            return true;
    }
    return false;
}

} // namespace

Doc::Doc(QObject *parent)
    : Doc(randomClientId(), parent)
{}

Doc::Doc(ClientId clientId, QObject *parent)
    : QObject(parent)
    , m_clientId(clientId)
{}

Doc::~Doc() = default;

Text Doc::getText(const QString &name)
{
    SharedType *type = rootType(name);
    if (type->kind == TypeKind::Unknown)
        type->kind = TypeKind::Text;
    return Text(this, type);
}

Map Doc::getMap(const QString &name)
{
    SharedType *type = rootType(name);
    if (type->kind == TypeKind::Unknown)
        type->kind = TypeKind::Map;
    return Map(this, type);
}

QStringList Doc::rootNames() const
{
    QStringList names;
    for (const auto &[name, type] : m_roots)
        names.append(name);
    return names;
}

SharedType *Doc::rootType(const QString &name)
{
    auto it = m_roots.find(name);
    if (it != m_roots.end())
        return it->second;
    m_types.push_back(std::make_unique<SharedType>(this, TypeKind::Unknown));
    SharedType *type = m_types.back().get();
    type->rootName = name;
    m_roots.emplace(name, type);
    return type;
}

SharedType *Doc::createNestedType(Item *item)
{
    ContentPayload &payload = item->content.ensurePayload();
    m_types.push_back(std::make_unique<SharedType>(this, kindOf(payload.typeRef)));
    SharedType *type = m_types.back().get();
    type->typeItem = item;
    type->nodeName = payload.nodeName;
    payload.type = type;
    return type;
}

int Doc::addAfterTransactionHook(std::function<void(Transaction &)> hook)
{
    m_afterTransactionHooks.emplace_back(m_nextHookId, std::move(hook));
    return m_nextHookId++;
}

void Doc::removeAfterTransactionHook(int id)
{
    std::erase_if(m_afterTransactionHooks, [id](const auto &entry) { return entry.first == id; });
}

void Doc::transact(const std::function<void(Transaction &)> &body, Origin origin)
{
    runTransaction(body, origin, true);
}

void Doc::runTransaction(const std::function<void(Transaction &)> &body, Origin origin, bool local)
{
    if (m_transaction) {
        body(*m_transaction);
        return;
    }
    Transaction transaction(*this, origin, local);
    m_transaction = &transaction;
    body(transaction);
    finishTransaction(transaction);
}

void Doc::finishTransaction(Transaction &transaction)
{
    transaction.mutableDeleteSet().sortAndMerge();
    // Observers and hooks see the transaction before content is collected;
    // they may not start transactions of their own until it is over.
    for (const auto &[type, change] : transaction.changedTypes()) {
        if (type->typeItem && type->typeItem->deleted)
            continue;
        if (!type->textObservers.empty() && change.listChanged) {
            const TextEvent event = makeTextEvent(*type, transaction);
            const auto observers = type->textObservers;
            for (const auto &[id, observer] : observers)
                observer(event);
        }
        if (!type->mapObservers.empty() && !change.keysChanged.isEmpty()) {
            const MapEvent event = makeMapEvent(*type, transaction, change.keysChanged);
            const auto observers = type->mapObservers;
            for (const auto &[id, observer] : observers)
                observer(event);
        }
    }
    const auto hooks = m_afterTransactionHooks;
    for (const auto &[id, hook] : hooks)
        hook(transaction);
    if (m_gc)
        collectGarbage(transaction);
    mergeTouchedStructs(transaction);

    // Another peer wrote with our client id: take a new one, as Yjs does,
    // so our future structs cannot collide with theirs.
    if (!transaction.isLocal() && transaction.beforeState().count(m_clientId))
        m_clientId = randomClientId();

    m_transaction = nullptr;
    static const QMetaMethod updatedSignal = QMetaMethod::fromSignal(&Doc::updated);
    if (isSignalConnected(updatedSignal)) {
        const QByteArray update = encodeTransactionUpdate(transaction);
        if (!update.isEmpty())
            emit updated(update, transaction.origin(), transaction.isLocal());
    }
}

QByteArray Doc::encodeTransactionUpdate(const Transaction &transaction) const
{
    std::vector<std::pair<ClientId, Clock>> changed;
    for (const auto &[client, before] : transaction.beforeState()) {
        if (m_store.state(client) > before)
            changed.emplace_back(client, before);
    }
    if (changed.empty() && transaction.deleteSet().empty())
        return {};
    std::sort(changed.begin(), changed.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    Lib0Encoder encoder;
    encoder.reserve(64); // a typical keystroke's update is about 25 bytes
    encoder.writeVarUint(changed.size());
    for (const auto &[client, before] : changed) {
        Clock firstClock = before;
        writeBlock(encoder, client, firstClock, collectBlock(m_store, client, before, nullptr, &firstClock));
    }
    transaction.deleteSet().encode(encoder);
    return encoder.takeData();
}

Expected<void, DecodeError> Doc::applyUpdate(const QByteArray &update, Origin origin)
{
    Expected<DecodedUpdate, DecodeError> decoded = decodeUpdate(update);
    if (!decoded)
        return unexpected(decoded.error());
    runTransaction(
        [this, &decoded](Transaction &transaction) {
            auto &queues = decoded->structs;
            // Retry what waited for dependencies together with the new structs.
            for (auto &[client, pending] : m_pendingStructs) {
                auto &queue = queues[client];
                std::move(pending.begin(), pending.end(), std::back_inserter(queue));
                std::stable_sort(queue.begin(), queue.end(),
                                 [](const auto &a, const auto &b) { return a->id.clock < b->id.clock; });
            }
            m_pendingStructs.clear();
            integrateStructs(transaction, queues);
            for (auto &[client, queue] : queues) {
                std::vector<std::unique_ptr<Item>> left;
                for (auto &item : queue) {
                    if (item && !item->isSkip && item->id.clock + item->length > m_store.state(client))
                        left.push_back(std::move(item));
                }
                if (!left.empty())
                    m_pendingStructs[client] = std::move(left);
            }
            DeleteSet deletes = std::move(decoded->deletes);
            deletes.add(m_pendingDeletes);
            deletes.sortAndMerge();
            m_pendingDeletes.clear();
            applyDeleteSet(transaction, deletes);
        },
        origin, false);
    return {};
}

void Doc::integrateStructs(Transaction &transaction,
                           std::map<ClientId, std::vector<std::unique_ptr<Item>>> &queues)
{
    std::unordered_map<ClientId, std::size_t> nextIndex;
    std::unordered_map<ClientId, std::vector<ClientId>> waiters; // dependency -> waiting clients
    std::vector<ClientId> ready;
    for (const auto &[client, queue] : queues)
        ready.push_back(client); // popped from the back: highest client first, as Yjs does

    auto missingDependency = [this](const Item &item) -> std::optional<ClientId> {
        for (const std::optional<Id> &id :
             {item.origin, item.rightOrigin,
              item.wireParent && item.wireParent->kind == WireParent::Kind::Nested
                  ? std::optional<Id>(item.wireParent->typeId)
                  : std::nullopt}) {
            if (id && id->client != item.id.client && id->clock >= m_store.state(id->client))
                return id->client;
        }
        return std::nullopt;
    };

    while (!ready.empty()) {
        const ClientId client = ready.back();
        ready.pop_back();
        auto &queue = queues[client];
        std::size_t &next = nextIndex[client];
        while (next < queue.size()) {
            Item *candidate = queue[next].get();
            const Clock state = m_store.state(client);
            if (candidate->isSkip || candidate->id.clock + candidate->length <= state) {
                ++next; // a gap marker, or already known: updates are idempotent
                continue;
            }
            if (candidate->id.clock > state)
                break; // the structs before it are in an update we have not seen
            if (std::optional<ClientId> dependency = missingDependency(*candidate)) {
                waiters[*dependency].push_back(client);
                break;
            }
            Item *item = queue[next].release();
            ++next;
            const Clock offset = state - item->id.clock;
            if (offset > 0) {
                item->id.clock += offset;
                item->length -= offset;
                if (!item->isGc) {
                    trimContentFront(item->content, offset);
                    item->origin = Id{client, item->id.clock - 1};
                }
            }
            if (item->isGc) {
                transaction.noteStateBeforeAdd(client, state);
                m_store.add(item);
            } else {
                Item *left =
                    item->origin ? m_store.findCleanEnd(*item->origin, &transaction.splits()) : nullptr;
                Item *right = item->rightOrigin
                                  ? m_store.findCleanStart(*item->rightOrigin, &transaction.splits())
                                  : nullptr;
                SharedType *parent = nullptr;
                if ((left && left->isGc) || (right && right->isGc)) {
                    parent = nullptr;
                } else if (!item->wireParent) {
                    const Item *neighbour = left ? left : right;
                    if (neighbour) {
                        parent = neighbour->parent;
                        item->parentSub = neighbour->parentSub;
                    }
                } else if (item->wireParent->kind == WireParent::Kind::Root) {
                    parent = rootType(item->wireParent->rootName);
                } else {
                    const Item *typeItem = m_store.find(item->wireParent->typeId);
                    if (typeItem && !typeItem->isGc && typeItem->content.kind == ContentKind::Type)
                        parent = typeItem->content.payload->type;
                }
                item->wireParent.reset();
                if (parent && !neighboursAgree(*item, left, right)) {
                    // Only a hostile peer sends this (found by fuzzing); peers
                    // whose structs are split differently would place it
                    // differently, so it is kept as an ID range only.
                    parent = nullptr;
                }
                if (!parent) {
                    // No parent to live in (it was collected): keep only the ID range.
                    item->isGc = true;
                    item->content = Content();
                    item->origin.reset();
                    item->rightOrigin.reset();
                    item->parentSub.reset();
                    transaction.noteStateBeforeAdd(client, state);
                    m_store.add(item);
                } else {
                    item->left = left;
                    item->right = right;
                    item->parent = parent;
                    integrateItem(transaction, item);
                }
            }
            if (auto waiting = waiters.find(client); waiting != waiters.end()) {
                for (ClientId waiter : waiting->second)
                    ready.push_back(waiter);
                waiters.erase(waiting);
            }
        }
    }
}

void Doc::applyDeleteSet(Transaction &transaction, const DeleteSet &deletes)
{
    for (const auto &[client, ranges] : deletes.clients()) {
        const Clock state = m_store.state(client);
        for (const DeleteRange &range : ranges) {
            Clock end = range.clock + range.length;
            if (end > state) {
                // Deletions of structs we have not received yet wait for them.
                const Clock from = std::max(range.clock, state);
                m_pendingDeletes.add(client, from, end - from);
                end = state;
            }
            if (range.clock >= end)
                continue;
            if (Item *first = m_store.find(Id{client, range.clock}); first && !first->deleted && !first->isGc)
                m_store.findCleanStart(Id{client, range.clock}, &transaction.splits());
            if (Item *last = m_store.find(Id{client, end - 1}); last && !last->deleted && !last->isGc)
                m_store.findCleanEnd(Id{client, end - 1}, &transaction.splits());
            const StructStore::ClientStructs &structs = *m_store.structsOf(client);
            for (auto it = structs.lower_bound(range.clock); it != structs.end() && it->first < end; ++it)
                deleteItem(transaction, it->second);
        }
    }
    m_pendingDeletes.sortAndMerge();
}

QByteArray Doc::encodeStateVector() const
{
    return crdt::encodeStateVector(m_store.stateVector());
}

Expected<QByteArray, DecodeError> Doc::encodeStateAsUpdate(const QByteArray &encodedStateVector) const
{
    Expected<StateVector, DecodeError> target = decodeStateVector(encodedStateVector);
    if (!target)
        return unexpected(target.error());
    std::vector<ClientId> clients;
    for (const auto &[client, structs] : m_store.clients())
        clients.push_back(client);
    for (const auto &[client, pending] : m_pendingStructs) {
        if (!m_store.structsOf(client))
            clients.push_back(client);
    }
    std::sort(clients.begin(), clients.end(), std::greater<>());

    std::vector<std::tuple<ClientId, Clock, std::vector<BlockEntry>>> blocks;
    for (ClientId client : clients) {
        const Clock known = target->count(client) ? target->at(client) : 0;
        auto pending = m_pendingStructs.find(client);
        Clock firstClock = known;
        std::vector<BlockEntry> entries =
            collectBlock(m_store, client, known,
                         pending == m_pendingStructs.end() ? nullptr : &pending->second, &firstClock);
        if (!entries.empty())
            blocks.emplace_back(client, firstClock, std::move(entries));
    }
    Lib0Encoder encoder;
    encoder.writeVarUint(blocks.size());
    for (const auto &[client, firstClock, entries] : blocks)
        writeBlock(encoder, client, firstClock, entries);
    DeleteSet deletes = DeleteSet::fromStore(m_store);
    deletes.add(m_pendingDeletes);
    deletes.sortAndMerge();
    deletes.encode(encoder);
    return encoder.takeData();
}

} // namespace tandem::crdt
