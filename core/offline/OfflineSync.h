#pragma once
// The offline half of one signed-in account (docs/OFFLINE.md): its local
// store, hybrid logical clock, mutation queue, entity cache, conflict policies
// and the engine that replays the queue over the account's Session. The app
// opens it before it connects, so cached data shows at once.

#include "core/client/Session.h"
#include "core/client/TimerSource.h"
#include "core/common/Clock.h"
#include "core/offline/ConflictResolver.h"
#include "core/offline/EntityCache.h"
#include "core/offline/HybridLogicalClock.h"
#include "core/offline/LocalStore.h"
#include "core/offline/MutationQueue.h"
#include "core/offline/SyncEngine.h"

#include <memory>

namespace tandem::offline {

class OfflineSync {
public:
    /// Everything passed in must outlive this object.
    OfflineSync(client::Session &session, QString storePath, const Clock &clock, client::TimerSource &timers);
    ~OfflineSync();

    /// Opens the store, loads the queue and the cache. On failure nothing
    /// else may be used; the caller reports the error.
    Result<void> open();

    LocalStore &store() { return m_store; }
    HybridLogicalClock &clock() { return *m_clock; }
    MutationQueue &queue() { return *m_queue; }
    EntityCache &entities() { return *m_entities; }
    ConflictResolver &resolver() { return m_resolver; }
    SyncEngine &engine() { return *m_engine; }

private:
    /// This replica's HLC node id: random on first use, then kept in the store.
    Result<quint64> nodeId();

    client::Session &m_session;
    const Clock &m_physical;
    client::TimerSource &m_timers;
    LocalStore m_store;
    ConflictResolver m_resolver;
    std::unique_ptr<HybridLogicalClock> m_clock;
    std::unique_ptr<MutationQueue> m_queue;
    std::unique_ptr<EntityCache> m_entities;
    std::unique_ptr<SyncEngine> m_engine;
};

} // namespace tandem::offline
