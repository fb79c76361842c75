#pragma once
// A returning user's local store, as bench_desktop_start's cached start opens
// it: written through offline::LocalStore (the app's own schema), in one
// transaction. Rooms of chat history with varied texts (20–400 characters),
// several authors taking turns and timestamps spread over months; a room topic
// per room and a few message edits; a handful of queued mutations (chat
// messages and a topic change written offline, one of them failed).

#include "core/protocol/ErrorCode.h"

#include <QString>

namespace tandem::bench {

struct CachedStoreShape {
    QString userId; ///< the account the store belongs to; also writes some of the messages
    int rooms = 20; ///< at most 20
    int messagesPerRoom = 10000;
    int chatMutations = 5; ///< queued chat messages, spread over the first rooms
};

struct CachedStoreSummary {
    qint64 bytes = 0;  ///< the database file after its WAL was checkpointed
    int messages = 0;  ///< stored history, all rooms
    int entities = 0;  ///< topics and edits
    int mutations = 0; ///< queued changes
};

/// Writes a new store at `path` (which must not exist yet) and closes it.
protocol::Result<CachedStoreSummary> buildCachedStore(const QString &path, const CachedStoreShape &shape);

} // namespace tandem::bench
