#include "core/offline/ConflictResolver.h"

namespace tandem::offline {

using protocol::EntityKey;
using protocol::EntityKind;

ConflictResolver::ConflictResolver(QString me)
    : m_me(std::move(me))
{}

void ConflictResolver::setPolicy(EntityKind kind, ConflictPolicy policy, MergeFunction merge)
{
    m_overrides.insert(static_cast<int>(kind), {policy, std::move(merge)});
}

ConflictPolicy ConflictResolver::policyFor(const Mutation &mine, const protocol::EntityState &theirs) const
{
    const std::optional<EntityKey> key = EntityKey::parse(mine.entity);
    if (!key)
        return ConflictPolicy::ServerWins;
    if (const auto it = m_overrides.constFind(static_cast<int>(key->kind)); it != m_overrides.cend())
        return it->first;
    switch (key->kind) {
    case EntityKind::Room:
        return ConflictPolicy::AskUser;
    case EntityKind::Document:
        return ConflictPolicy::LastWriteWins;
    case EntityKind::Message: {
        const QJsonObject patch = mine.payload.value(QLatin1String("patch")).toObject();
        if (patch.value(QLatin1String("deleted")).toBool())
            return ConflictPolicy::ClientWins;
        return theirs.updatedBy == m_me ? ConflictPolicy::ClientWins : ConflictPolicy::AskUser;
    }
    }
    return ConflictPolicy::ServerWins;
}

ConflictDecision ConflictResolver::decide(const Mutation &mine, const protocol::EntityState &theirs) const
{
    const QJsonObject minePatch = mine.payload.value(QLatin1String("patch")).toObject();
    using Action = ConflictDecision::Action;
    switch (policyFor(mine, theirs)) {
    case ConflictPolicy::ServerWins:
        return {Action::DropMine, {}};
    case ConflictPolicy::ClientWins:
        return {Action::Reapply, minePatch};
    case ConflictPolicy::LastWriteWins: {
        // An unstamped write (a REST client) counts as older than any stamped one.
        const std::optional<HlcTimestamp> theirStamp = HlcTimestamp::fromString(theirs.hlc);
        const bool mineIsLater = !theirStamp || *theirStamp < mine.createdAt;
        return mineIsLater ? ConflictDecision{Action::Reapply, minePatch}
                           : ConflictDecision{Action::DropMine, {}};
    }
    case ConflictPolicy::AskUser:
        return {Action::AskUser, {}};
    case ConflictPolicy::CustomMerge: {
        const std::optional<EntityKey> key = EntityKey::parse(mine.entity);
        const auto it = key ? m_overrides.constFind(static_cast<int>(key->kind)) : m_overrides.cend();
        if (it == m_overrides.cend() || !it->second)
            return {Action::AskUser, {}};
        return {Action::Reapply, it->second(mine.baseValue, minePatch, theirs.value)};
    }
    }
    return {Action::AskUser, {}};
}

} // namespace tandem::offline
