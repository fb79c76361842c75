#include "core/offline/OfflineSync.h"

#include <QRandomGenerator>

namespace tandem::offline {

namespace {
const QString NodeIdKey = QStringLiteral("hlc.nodeId");
}

OfflineSync::OfflineSync(client::Session &session, QString storePath, const Clock &clock,
                         client::TimerSource &timers)
    : m_session(session)
    , m_physical(clock)
    , m_timers(timers)
    , m_store(std::move(storePath))
{}

OfflineSync::~OfflineSync()
{
    // The engine listens to the queue and the cache: it goes first.
    m_engine.reset();
    m_entities.reset();
    m_queue.reset();
}

Result<quint64> OfflineSync::nodeId()
{
    const Result<std::optional<QString>> stored = m_store.meta(NodeIdKey);
    if (!stored)
        return unexpected(stored.error());
    bool ok = false;
    const quint64 known = stored->value_or(QString()).toULongLong(&ok, 16);
    if (ok && known != 0)
        return known;
    quint64 fresh = 0;
    while (fresh == 0)
        fresh = QRandomGenerator::system()->generate64();
    if (Result<void> saved = m_store.setMeta(NodeIdKey, QString::number(fresh, 16)); !saved)
        return unexpected(saved.error());
    return fresh;
}

Result<void> OfflineSync::open()
{
    if (Result<void> opened = m_store.open(); !opened)
        return opened;
    const Result<quint64> node = nodeId();
    if (!node)
        return unexpected(node.error());
    m_clock = std::make_unique<HybridLogicalClock>(m_physical, *node);
    m_queue = std::make_unique<MutationQueue>(m_store, *m_clock);
    if (Result<void> loaded = m_queue->load(); !loaded)
        return loaded;
    m_entities = std::make_unique<EntityCache>(m_store, *m_queue);
    if (Result<void> loaded = m_entities->load(); !loaded)
        return loaded;
    m_engine =
        std::make_unique<SyncEngine>(m_session, *m_queue, *m_entities, m_resolver, m_timers, m_physical);
    return {};
}

} // namespace tandem::offline
