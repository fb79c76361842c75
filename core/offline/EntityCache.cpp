#include "core/offline/EntityCache.h"

#include <QLoggingCategory>

namespace tandem::offline {

namespace {
Q_LOGGING_CATEGORY(lcEntities, "tandem.offline.entities")
}

EntityCache::EntityCache(LocalStore &store, MutationQueue &queue, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_queue(queue)
{
    connect(&m_queue, &MutationQueue::mutationSettled, this, &EntityCache::onSettled);
    const auto changed = [this](const Mutation &mutation) {
        if (!mutation.isVersioned())
            return;
        releaseHeld(mutation.roomId, mutation.entity);
        Q_EMIT entityChanged(mutation.roomId, mutation.entity);
    };
    connect(&m_queue, &MutationQueue::mutationAdded, this, changed);
    connect(&m_queue, &MutationQueue::mutationChanged, this, changed);
    connect(&m_queue, &MutationQueue::mutationDiscarded, this, changed);
}

QString EntityCache::keyOf(const QString &roomId, const QString &entity)
{
    return roomId + QLatin1Char('\n') + entity;
}

Result<void> EntityCache::load()
{
    Result<QList<EntityState>> states = m_store.entities();
    if (!states)
        return unexpected(states.error());
    for (const EntityState &state : std::as_const(*states))
        m_confirmed.insert(keyOf(state.roomId, state.entity), state);
    return {};
}

EntityState EntityCache::confirmed(const QString &roomId, const QString &entity) const
{
    const auto it = m_confirmed.constFind(keyOf(roomId, entity));
    if (it != m_confirmed.cend())
        return it.value();
    EntityState unknown;
    unknown.roomId = roomId;
    unknown.entity = entity;
    return unknown;
}

QJsonObject EntityCache::displayed(const QString &roomId, const QString &entity) const
{
    QJsonObject value = confirmed(roomId, entity).value;
    for (const Mutation &mutation : activeFor(roomId, entity))
        value = protocol::mergeEntityPatch(value, mutation.payload.value(QLatin1String("patch")).toObject());
    return value;
}

QList<Mutation> EntityCache::activeFor(const QString &roomId, const QString &entity) const
{
    QList<Mutation> active = m_queue.pendingFor(roomId, entity);
    active.removeIf([](const Mutation &mutation) {
        return mutation.state != MutationState::Queued && mutation.state != MutationState::InFlight;
    });
    return active;
}

bool EntityCache::hasPending(const QString &roomId, const QString &entity) const
{
    return !activeFor(roomId, entity).isEmpty();
}

qint64 EntityCache::nextBaseVersion(const QString &roomId, const QString &entity) const
{
    qint64 version = confirmed(roomId, entity).version;
    for (const Mutation &mutation : activeFor(roomId, entity))
        version = std::max(version, mutation.baseVersion + 1);
    return version;
}

void EntityCache::applyRemote(const EntityState &state)
{
    if (hasPending(state.roomId, state.entity)) {
        m_held[keyOf(state.roomId, state.entity)].append(state);
        return;
    }
    confirm(state);
}

int EntityCache::heldCount() const
{
    int count = 0;
    for (const QList<EntityState> &held : m_held)
        count += static_cast<int>(held.size());
    return count;
}

void EntityCache::confirm(const EntityState &state)
{
    const QString key = keyOf(state.roomId, state.entity);
    if (state.version <= m_confirmed.value(key).version)
        return; // a replay, or older than what we hold
    m_confirmed.insert(key, state);
    if (Result<void> stored = m_store.saveEntity(state); !stored)
        qCWarning(lcEntities) << "could not cache" << state.entity << ":" << stored.error().message;
    Q_EMIT entityChanged(state.roomId, state.entity);
}

void EntityCache::onSettled(const Mutation &mutation, std::optional<qint64> version)
{
    if (!mutation.isVersioned())
        return;
    const EntityState current = confirmed(mutation.roomId, mutation.entity);
    // We know exactly what the server did with our change: apply it now, so
    // the value does not flicker back until our own entity:changed arrives.
    if (version && *version == current.version + 1 && mutation.baseVersion == current.version) {
        EntityState next = current;
        next.version = *version;
        next.value = protocol::mergeEntityPatch(current.value,
                                                mutation.payload.value(QLatin1String("patch")).toObject());
        next.hlc = mutation.createdAt.toString();
        confirm(next);
    }
    releaseHeld(mutation.roomId, mutation.entity);
    Q_EMIT entityChanged(mutation.roomId, mutation.entity);
}

void EntityCache::releaseHeld(const QString &roomId, const QString &entity)
{
    if (hasPending(roomId, entity))
        return;
    const QList<EntityState> held = m_held.take(keyOf(roomId, entity));
    for (const EntityState &state : held)
        confirm(state);
}

} // namespace tandem::offline
