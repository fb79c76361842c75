#pragma once
// One atomic change of a Doc: what it inserted (clients whose state moved, and
// from where), what it deleted, which types changed. At its end the Doc runs
// observers, garbage-collects deleted content, merges adjacent structs and
// emits the change as one v1 update.

#include "core/crdt/DeleteSet.h"
#include "core/crdt/Id.h"

#include <QSet>
#include <QString>
#include <QtGlobal>

#include <map>
#include <optional>
#include <vector>

namespace tandem::crdt {

class Doc;
class SharedType;
struct Item;

/// Who made a change. 0 is "this application, no particular origin".
using Origin = quintptr;

class Transaction {
public:
    Transaction(Doc &doc, Origin origin, bool local)
        : m_doc(doc)
        , m_origin(origin)
        , m_local(local)
    {}

    Doc &doc() const { return m_doc; }
    Origin origin() const { return m_origin; }
    /// False for transactions that apply remote updates.
    bool isLocal() const { return m_local; }

    /// Items created by this transaction start at or after these clocks;
    /// only clients whose state moved are present.
    const std::map<ClientId, Clock> &beforeState() const { return m_beforeState; }
    bool insertedHere(const Item &item) const;
    const DeleteSet &deleteSet() const { return m_deleteSet; }

    struct TypeChange {
        bool listChanged = false;
        QSet<QString> keysChanged;
    };
    const std::map<SharedType *, TypeChange> &changedTypes() const { return m_changed; }

    // Used by the integration code of this library.
    void noteStateBeforeAdd(ClientId client, Clock state) { m_beforeState.try_emplace(client, state); }
    void noteDeleted(const Item &item);
    void noteChanged(SharedType *type, const std::optional<QString> &key);
    void forgetChanged(SharedType *type) { m_changed.erase(type); }
    std::vector<Id> &splits() { return m_splits; }
    DeleteSet &mutableDeleteSet() { return m_deleteSet; }

private:
    Doc &m_doc;
    Origin m_origin;
    bool m_local;
    // Ordered maps: a transaction usually touches one client and one type,
    // and a tree node is cheaper to make than a hash table's bucket array.
    std::map<ClientId, Clock> m_beforeState;
    DeleteSet m_deleteSet;
    std::vector<Id> m_splits; // right halves, merged back at the end if possible
    std::map<SharedType *, TypeChange> m_changed;
};

} // namespace tandem::crdt
