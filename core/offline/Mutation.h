#pragma once
// One user change on its way to the server (DESIGN.md "offline"): created
// and committed locally first, replayed until the server settles it. The cid
// makes every replay safe: the server answers a cid it has seen with the
// original result.

#include "core/offline/HybridLogicalClock.h"

#include <QJsonObject>
#include <QString>

namespace tandem::offline {

enum class MutationState {
    Queued,     ///< waiting to be sent (also after a restart or a dropped connection)
    InFlight,   ///< sent on the current connection, no answer yet (never stored as such)
    Settled,    ///< the server stored it; the row is gone from the queue
    Failed,     ///< refused for good; the user can retry, edit or discard it
    Conflicted, ///< based on an old version; waits for the user's choice
};

QString mutationStateName(MutationState state);

/// What a chat:send targets: the room's message list, kept in order.
QString chatEntity();
/// What a canvas:op targets: the room's canvas, whose ops merge by
/// last-write-wins (docs/CANVAS.md), so they carry no version either.
QString canvasEntity();

struct Mutation {
    qint64 localId = 0; ///< causal order, assigned when stored
    QString cid;        ///< idempotency key, sent with every replay
    QString roomId;
    QString entity;         ///< chatEntity(), canvasEntity(), or an EntityKey string ("room", "message/<id>")
    QString type;           ///< wire type: "chat:send", "canvas:op" or "entity:patch"
    qint64 baseVersion = 0; ///< the entity version the change was made on
    QJsonObject payload;    ///< chat:send {text}; canvas:op {ops}; entity:patch {patch}
    QJsonObject baseValue;  ///< the value the user saw, shown as "base" in a conflict
    HlcTimestamp createdAt;
    MutationState state = MutationState::Queued;
    QString reason;      ///< why it failed, for people
    QJsonObject current; ///< a conflict's current server state (EntityState JSON)
    int retries = 0;     ///< transient failures so far

    bool isChat() const { return entity == chatEntity(); }
    bool isCanvas() const { return entity == canvasEntity(); }
    /// Checked against a server version (entity:patch). The others are an
    /// ordered log (chat) or merge whatever the order (canvas): they pipeline.
    bool isVersioned() const { return !isChat() && !isCanvas(); }
    /// Waiting to sync: anything not settled.
    bool isPending() const { return state != MutationState::Settled; }
};

} // namespace tandem::offline
