#include "core/offline/MutationQueue.h"

#include <QLoggingCategory>
#include <QSet>
#include <QUuid>

namespace tandem::offline {

namespace {
Q_LOGGING_CATEGORY(lcQueue, "tandem.offline.queue")
}

using protocol::ErrorCode;

QString mutationStateName(MutationState state)
{
    switch (state) {
    case MutationState::Queued:
        return QStringLiteral("queued");
    case MutationState::InFlight:
        return QStringLiteral("in flight");
    case MutationState::Settled:
        return QStringLiteral("settled");
    case MutationState::Failed:
        return QStringLiteral("failed");
    case MutationState::Conflicted:
        return QStringLiteral("conflicted");
    }
    return {};
}

QString chatEntity()
{
    return QStringLiteral("chat");
}

QString canvasEntity()
{
    return QStringLiteral("canvas");
}

MutationQueue::MutationQueue(LocalStore &store, HybridLogicalClock &clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
{}

MutationQueue::~MutationQueue()
{
    flushSettled();
}

Result<void> MutationQueue::load()
{
    flushSettled(); // or the store would still hold them
    Result<QList<Mutation>> stored = m_store.mutations();
    if (!stored)
        return unexpected(stored.error());
    m_pending = std::move(*stored);
    // Stamps issued before the restart must stay in the past of new ones.
    for (const Mutation &mutation : std::as_const(m_pending))
        m_clock.restore(mutation.createdAt);
    Q_EMIT pendingCountChanged(pendingCount());
    return {};
}

Result<QList<Mutation>> MutationQueue::enqueue(QList<Mutation> mutations)
{
    for (Mutation &mutation : mutations) {
        if (mutation.cid.isEmpty())
            mutation.cid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        mutation.createdAt = m_clock.now();
        mutation.state = MutationState::Queued;
    }
    // Committed before anyone hears of it: what the UI shows is on disk.
    if (Result<void> stored = m_store.insertMutations(mutations); !stored)
        return unexpected(stored.error());
    m_pending.append(mutations);
    for (const Mutation &mutation : std::as_const(mutations))
        Q_EMIT mutationAdded(mutation);
    Q_EMIT pendingCountChanged(pendingCount());
    return mutations;
}

Result<Mutation> MutationQueue::enqueue(Mutation mutation)
{
    Result<QList<Mutation>> added = enqueue(QList<Mutation>{std::move(mutation)});
    if (!added)
        return unexpected(added.error());
    return added->first();
}

std::optional<Mutation> MutationQueue::find(const QString &cid) const
{
    const qsizetype index = indexOf(cid);
    return index < 0 ? std::nullopt : std::optional<Mutation>(m_pending.at(index));
}

QList<Mutation> MutationQueue::pendingFor(const QString &roomId, const QString &entity) const
{
    QList<Mutation> result;
    for (const Mutation &mutation : m_pending) {
        if (mutation.roomId == roomId && mutation.entity == entity)
            result.append(mutation);
    }
    return result;
}

QList<Mutation> MutationQueue::sendable(int maxCount) const
{
    QList<Mutation> result;
    // Entities (room + entity) that something earlier holds back.
    QSet<QString> blocked;
    for (const Mutation &mutation : m_pending) {
        if (result.size() >= maxCount)
            break;
        const QString key = mutation.roomId + QLatin1Char('\n') + mutation.entity;
        if (blocked.contains(key))
            continue;
        switch (mutation.state) {
        case MutationState::Queued:
            result.append(mutation);
            if (mutation.isVersioned())
                blocked.insert(key);
            break;
        case MutationState::InFlight:
            if (mutation.isVersioned())
                blocked.insert(key);
            break;
        case MutationState::Failed:
        case MutationState::Conflicted:
            blocked.insert(key);
            break;
        case MutationState::Settled:
            break;
        }
    }
    return result;
}

qsizetype MutationQueue::indexOf(const QString &cid) const
{
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).cid == cid)
            return i;
    }
    return -1;
}

void MutationQueue::markInFlight(const QString &cid)
{
    // In flight lives in memory only: after a crash it is simply queued again.
    if (const qsizetype index = indexOf(cid); index >= 0 && m_pending[index].state == MutationState::Queued) {
        m_pending[index].state = MutationState::InFlight;
        Q_EMIT mutationChanged(m_pending.at(index));
    }
}

void MutationQueue::requeueInFlight()
{
    for (Mutation &mutation : m_pending) {
        if (mutation.state == MutationState::InFlight) {
            mutation.state = MutationState::Queued;
            Q_EMIT mutationChanged(mutation);
        }
    }
}

Result<void> MutationQueue::update(qsizetype index, const std::function<void(Mutation &)> &change)
{
    Mutation changed = m_pending.at(index);
    change(changed);
    if (Result<void> stored = m_store.updateMutation(changed); !stored)
        return stored;
    m_pending[index] = changed;
    Q_EMIT mutationChanged(changed);
    return {};
}

Result<void> MutationQueue::settle(const QString &cid, std::optional<qint64> version)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return {}; // a duplicate ack, or one for a change already discarded
    Mutation settled = m_pending.at(index);
    const Result<void> stored = m_store.transaction([&]() -> Result<void> {
        if (!version || !settled.isVersioned())
            return {};
        // The next change of this entity was made on top of this one: it is
        // based on the version this one produced.
        for (qsizetype i = index + 1; i < m_pending.size(); ++i) {
            Mutation &next = m_pending[i];
            if (next.roomId != settled.roomId || next.entity != settled.entity)
                continue;
            if (next.baseVersion == settled.baseVersion + 1 && next.baseVersion != *version) {
                next.baseVersion = *version;
                return m_store.updateMutation(next);
            }
            break;
        }
        return {};
    });
    if (!stored)
        return stored;
    // Its row is deleted at the end of this event-loop turn, together with
    // those of every other ack of the turn: one commit (an fsync) per ack
    // capped a replay at a few hundred changes per second. A crash before
    // that commit only sends these changes again, with the same cid, and the
    // server answers a cid it has seen with the original ack.
    if (m_settledRows.isEmpty())
        QMetaObject::invokeMethod(this, &MutationQueue::flushSettled, Qt::QueuedConnection);
    m_settledRows.append(settled.localId);
    m_pending.removeAt(index);
    settled.state = MutationState::Settled;
    Q_EMIT mutationSettled(settled, version);
    Q_EMIT pendingCountChanged(pendingCount());
    return {};
}

void MutationQueue::flushSettled()
{
    const QList<qint64> rows = std::exchange(m_settledRows, {});
    if (rows.isEmpty())
        return;
    const Result<void> deleted = m_store.transaction([&]() -> Result<void> {
        for (const qint64 localId : rows) {
            if (Result<void> run = m_store.deleteMutation(localId); !run)
                return run;
        }
        return {};
    });
    // Not lost: the changes are sent again after a restart, and the server answers them again.
    if (!deleted)
        qCWarning(lcQueue) << "could not forget" << rows.size()
                           << "settled changes:" << deleted.error().message;
}

Result<void> MutationQueue::retryLater(const QString &cid)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return {};
    return update(index, [](Mutation &mutation) {
        mutation.state = MutationState::Queued;
        ++mutation.retries;
    });
}

Result<void> MutationQueue::fail(const QString &cid, const QString &reason)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return {};
    return update(index, [&](Mutation &mutation) {
        mutation.state = MutationState::Failed;
        mutation.reason = reason;
    });
}

Result<void> MutationQueue::conflict(const QString &cid, const QJsonObject &current, const QString &reason)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return {};
    return update(index, [&](Mutation &mutation) {
        mutation.state = MutationState::Conflicted;
        mutation.current = current;
        mutation.reason = reason;
    });
}

Result<void> MutationQueue::reapply(const QString &cid, qint64 baseVersion, const QJsonObject &payload)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return protocol::fail(ErrorCode::NotFound, QStringLiteral("no pending change %1").arg(cid));
    Mutation reapplied = m_pending.at(index);
    const qint64 oldBase = reapplied.baseVersion;
    const qint64 shift = baseVersion - oldBase;
    reapplied.state = MutationState::Queued;
    reapplied.baseVersion = baseVersion;
    reapplied.payload = payload;
    reapplied.reason.clear();
    reapplied.current = {};
    QList<std::pair<qsizetype, Mutation>> changed{{index, reapplied}};
    // The changes made on top of this one (each based on the version the one
    // before would produce) move with it; settle() only rebases a change based
    // on the settled one's base + 1, which a moved base no longer matches.
    if (shift != 0 && reapplied.isVersioned()) {
        qint64 chained = oldBase + 1;
        for (qsizetype i = index + 1; i < m_pending.size(); ++i) {
            const Mutation &next = m_pending.at(i);
            if (next.roomId != reapplied.roomId || next.entity != reapplied.entity)
                continue;
            if (next.baseVersion != chained)
                break;
            Mutation moved = next;
            moved.baseVersion += shift;
            changed.append({i, moved});
            ++chained;
        }
    }
    const Result<void> stored = m_store.transaction([&]() -> Result<void> {
        for (const auto &[i, mutation] : std::as_const(changed)) {
            if (Result<void> written = m_store.updateMutation(mutation); !written)
                return written;
        }
        return {};
    });
    if (!stored)
        return stored;
    for (const auto &[i, mutation] : std::as_const(changed))
        m_pending[i] = mutation;
    for (const auto &[i, mutation] : std::as_const(changed))
        Q_EMIT mutationChanged(mutation);
    return {};
}

Result<void> MutationQueue::retry(const QString &cid)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return protocol::fail(ErrorCode::NotFound, QStringLiteral("no pending change %1").arg(cid));
    return update(index, [](Mutation &mutation) {
        mutation.state = MutationState::Queued;
        mutation.reason.clear();
    });
}

Result<void> MutationQueue::discard(const QString &cid)
{
    const qsizetype index = indexOf(cid);
    if (index < 0)
        return {};
    const Mutation discarded = m_pending.at(index);
    if (Result<void> deleted = m_store.deleteMutation(discarded.localId); !deleted)
        return deleted;
    m_pending.removeAt(index);
    Q_EMIT mutationDiscarded(discarded);
    Q_EMIT pendingCountChanged(pendingCount());
    return {};
}

} // namespace tandem::offline
