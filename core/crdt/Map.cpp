#include "core/crdt/Map.h"

#include "core/crdt/Doc.h"
#include "core/crdt/Integration.h"
#include "core/crdt/Item.h"
#include "core/crdt/SharedType.h"

#include <QJsonObject>

namespace tandem::crdt {

namespace {

const Item *currentEntry(const SharedType *type, const QString &key)
{
    const Item *item = type->map.value(key, nullptr);
    return item && !item->deleted ? item : nullptr;
}

int nextObserverId()
{
    static int counter = 0;
    return ++counter;
}

} // namespace

void Map::set(const QString &key, const Any &value)
{
    m_doc->transact([&](Transaction &transaction) {
        Item *left = m_type->map.value(key, nullptr);
        auto *item = new Item;
        item->id = Id{m_doc->clientId(), m_doc->store().state(m_doc->clientId())};
        item->length = 1;
        if (left)
            item->origin = left->lastId();
        item->left = left;
        item->parent = m_type;
        item->parentSub = key;
        item->content.kind = ContentKind::Any;
        item->content.ensurePayload().anyValues.push_back(value);
        integrateItem(transaction, item);
    });
}

std::optional<Any> Map::get(const QString &key) const
{
    const Item *item = currentEntry(m_type, key);
    if (!item)
        return std::nullopt;
    if (item->content.kind == ContentKind::Any && item->content.payload &&
        !item->content.payload->anyValues.empty())
        return item->content.payload->anyValues.back();
    return std::nullopt;
}

bool Map::contains(const QString &key) const
{
    return currentEntry(m_type, key) != nullptr;
}

void Map::remove(const QString &key)
{
    Item *item = m_type->map.value(key, nullptr);
    if (!item || item->deleted)
        return;
    m_doc->transact([&](Transaction &transaction) { deleteItem(transaction, item); });
}

QStringList Map::keys() const
{
    QStringList result;
    for (auto it = m_type->map.cbegin(); it != m_type->map.cend(); ++it) {
        if (!it.value()->deleted)
            result.append(it.key());
    }
    result.sort();
    return result;
}

QJsonObject Map::toJson() const
{
    QJsonObject object;
    for (const QString &key : keys()) {
        if (std::optional<Any> value = get(key))
            object.insert(key, value->toJson());
    }
    return object;
}

int Map::observe(std::function<void(const MapEvent &)> observer)
{
    const int id = nextObserverId();
    m_type->mapObservers.emplace_back(id, std::move(observer));
    return id;
}

void Map::unobserve(int id)
{
    std::erase_if(m_type->mapObservers, [id](const auto &entry) { return entry.first == id; });
}

MapEvent makeMapEvent(const SharedType &type, const Transaction &transaction, const QSet<QString> &keys)
{
    Q_UNUSED(type);
    return MapEvent{keys, transaction.origin(), transaction.isLocal()};
}

} // namespace tandem::crdt
