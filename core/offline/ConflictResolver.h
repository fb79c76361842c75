#pragma once
// What happens when a change was made on an old version of an entity
// (docs/OFFLINE.md "Conflicts"). One policy per entity kind:
//
//   ServerWins     keep theirs; my change is dropped
//   ClientWins     reapply my change on top of the new version
//   LastWriteWins  the change stamped later by the hybrid logical clock stays
//   AskUser        show theirs, mine and the base; the user picks or merges
//   CustomMerge    a function computes the patch to reapply
//
// Defaults: the room topic asks the user; the document title is
// last-write-wins; a message edit reapplies when the other edit was the
// author's own (another device) and asks when someone else (the room's owner,
// moderating) changed it; deleting a message reapplies (a delete is deliberate).

#include "core/offline/Mutation.h"
#include "core/protocol/Entity.h"

#include <QHash>
#include <QJsonObject>

#include <functional>
#include <optional>

namespace tandem::offline {

enum class ConflictPolicy { ServerWins, ClientWins, LastWriteWins, AskUser, CustomMerge };

struct ConflictDecision {
    enum class Action { DropMine, Reapply, AskUser };
    Action action = Action::AskUser;
    QJsonObject patch; ///< for Reapply: the patch to send on the current version
};

class ConflictResolver {
public:
    /// Returns the patch to reapply on `theirs`, given the value both sides
    /// started from and my patch.
    using MergeFunction = std::function<QJsonObject(const QJsonObject &base, const QJsonObject &minePatch,
                                                    const QJsonObject &theirs)>;

    /// `me` is the signed-in user: a message changed by someone else is a moderator's edit.
    explicit ConflictResolver(QString me = {});
    void setUser(const QString &me) { m_me = me; }

    /// Overrides the default policy for one kind; CustomMerge needs a merge function.
    void setPolicy(protocol::EntityKind kind, ConflictPolicy policy, MergeFunction merge = {});
    /// The policy that applies to this change against this current state.
    ConflictPolicy policyFor(const Mutation &mine, const protocol::EntityState &theirs) const;
    ConflictDecision decide(const Mutation &mine, const protocol::EntityState &theirs) const;

private:
    QString m_me;
    QHash<int, std::pair<ConflictPolicy, MergeFunction>> m_overrides;
};

} // namespace tandem::offline
