#pragma once
// The optimistic view of versioned entities (room topic, document title,
// edited messages). It keeps the confirmed server state of each entity and
// shows the user that state with their unsettled changes applied on top, in
// order. Remote state for an entity with an unsettled local change is held
// back until the change settles, then applied: a remote event never lands
// under a local change.

#include "core/offline/LocalStore.h"
#include "core/offline/MutationQueue.h"

#include <QHash>
#include <QObject>

namespace tandem::offline {

class EntityCache : public QObject {
    Q_OBJECT

public:
    EntityCache(LocalStore &store, MutationQueue &queue, QObject *parent = nullptr);

    /// Loads the confirmed states the store holds.
    Result<void> load();

    /// The last state the server confirmed: version 0 and no value when unknown.
    EntityState confirmed(const QString &roomId, const QString &entity) const;
    /// What the user sees: the confirmed value with every queued or in-flight
    /// change applied in order. Failed and conflicted changes are rolled back.
    QJsonObject displayed(const QString &roomId, const QString &entity) const;
    /// True while a local change of the entity is queued or in flight (failed
    /// and conflicted ones are rolled back and hold nothing back).
    bool hasPending(const QString &roomId, const QString &entity) const;
    /// The base version for a new change: the confirmed version plus one per
    /// change still ahead of it, each of which will add one when it settles.
    qint64 nextBaseVersion(const QString &roomId, const QString &entity) const;

    /// A state from the server (entity:changed, room:joined, a conflict's
    /// current): applied at once, or held while a local change is unsettled.
    /// Older versions than the confirmed one are ignored.
    void applyRemote(const EntityState &state);
    int heldCount() const;

Q_SIGNALS:
    /// displayed() of the entity may have changed.
    void entityChanged(const QString &roomId, const QString &entity);

private:
    static QString keyOf(const QString &roomId, const QString &entity);
    /// The entity's queued and in-flight changes, in order.
    QList<Mutation> activeFor(const QString &roomId, const QString &entity) const;
    void confirm(const EntityState &state);
    void onSettled(const Mutation &mutation, std::optional<qint64> version);
    /// Applies held states of the entity once nothing local is unsettled.
    void releaseHeld(const QString &roomId, const QString &entity);

    LocalStore &m_store;
    MutationQueue &m_queue;
    QHash<QString, EntityState> m_confirmed;
    QHash<QString, QList<EntityState>> m_held;
};

} // namespace tandem::offline
