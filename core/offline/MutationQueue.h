#pragma once
// The durable queue of the user's changes (DESIGN.md "offline"). A change is
// committed to the local store before anyone is told it exists, so what the
// UI shows as pending survives a crash. The queue decides what may be sent:
// changes to one entity go in order, and one that failed or conflicted holds
// back only the later changes to that same entity.

#include "core/offline/HybridLogicalClock.h"
#include "core/offline/LocalStore.h"
#include "core/offline/Mutation.h"

#include <QList>
#include <QObject>

#include <optional>

namespace tandem::offline {

class MutationQueue : public QObject {
    Q_OBJECT

public:
    /// `store` must be open and outlive the queue; the queue loads what it holds.
    MutationQueue(LocalStore &store, HybridLogicalClock &clock, QObject *parent = nullptr);
    /// Deletes the rows of changes settled since the last event-loop turn.
    ~MutationQueue() override;

    /// Loads the stored mutations (after a restart every one is Queued, Failed or Conflicted).
    Result<void> load();

    /// Stamps, stores and commits new mutations in one transaction; only then
    /// emits mutationAdded for each. Returns them with their localId and cid.
    Result<QList<Mutation>> enqueue(QList<Mutation> mutations);
    Result<Mutation> enqueue(Mutation mutation);

    /// Everything not settled, in causal order.
    const QList<Mutation> &pending() const { return m_pending; }
    int pendingCount() const { return static_cast<int>(m_pending.size()); }
    std::optional<Mutation> find(const QString &cid) const;
    /// Unsettled mutations of one entity, in order.
    QList<Mutation> pendingFor(const QString &roomId, const QString &entity) const;

    /// What may be sent now, in causal order: for a chat list, every queued
    /// message up to the first failed one (they pipeline over the one ordered
    /// connection); for a versioned entity, its oldest change only, and only
    /// when nothing of it is in flight (the next one's base is the result).
    QList<Mutation> sendable(int maxCount) const;

    void markInFlight(const QString &cid);
    /// After a dropped connection: whatever was in flight is queued again,
    /// to be re-sent with the same cid.
    void requeueInFlight();

    /// The server stored it (ack). `version` is the entity's new version, when
    /// it has one; the next change of the entity that was based on this one is
    /// rebased onto it. Gone from pending() at once; its row is deleted from
    /// the store at the end of the event-loop turn, with the turn's other acks.
    Result<void> settle(const QString &cid, std::optional<qint64> version = std::nullopt);
    /// Transient trouble (server busy, storage hiccup): back to the queue, counted.
    Result<void> retryLater(const QString &cid);
    /// Refused for good: kept as Failed with the server's reason.
    Result<void> fail(const QString &cid, const QString &reason);
    /// Based on an old version: kept as Conflicted with the server's current state.
    Result<void> conflict(const QString &cid, const QJsonObject &current, const QString &reason);
    /// Send again on top of `baseVersion` (client wins, a chosen merge, a retry).
    Result<void> reapply(const QString &cid, qint64 baseVersion, const QJsonObject &payload);
    /// The user's "Retry" on a failed change: queued again as it was.
    Result<void> retry(const QString &cid);
    /// Drops a change that has not settled ("Discard", or "keep theirs").
    Result<void> discard(const QString &cid);

Q_SIGNALS:
    void mutationAdded(const tandem::offline::Mutation &mutation);
    /// State, payload or base changed (not for settle or discard).
    void mutationChanged(const tandem::offline::Mutation &mutation);
    /// `version` as given to settle().
    void mutationSettled(const tandem::offline::Mutation &mutation, std::optional<qint64> version);
    void mutationDiscarded(const tandem::offline::Mutation &mutation);
    void pendingCountChanged(int count);

private:
    qsizetype indexOf(const QString &cid) const;
    Result<void> update(qsizetype index, const std::function<void(Mutation &)> &change);
    void flushSettled();

    LocalStore &m_store;
    HybridLogicalClock &m_clock;
    QList<Mutation> m_pending;   ///< causal order
    QList<qint64> m_settledRows; ///< localIds settled but still in the store until flushSettled()
};

} // namespace tandem::offline
