#pragma once
// A Yjs-compatible document (update format v1). Holds root types by name,
// the struct store, pending structs whose dependencies have not arrived, and
// runs transactions. Every transaction that changes something emits its v1
// update through `updated`, which is what a y-websocket peer sends.
//
//   Doc doc;
//   Text text = doc.getText("t");
//   text.insert(0, "hello");                      // one transaction, one update
//   doc.transact([&](Transaction &) { text.remove(0, 1); text.insert(0, "J"); });
//   if (auto applied = other.applyUpdate(bytes); !applied) qWarning() << applied.error().message;

#include "core/common/Expected.h"
#include "core/crdt/CrdtError.h"
#include "core/crdt/DeleteSet.h"
#include "core/crdt/Id.h"
#include "core/crdt/StructStore.h"
#include "core/crdt/Transaction.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace tandem::crdt {

class SharedType;
class Text;
class Map;
struct Item;

class Doc : public QObject {
    Q_OBJECT
public:
    /// A document with a random 32-bit client id (what Yjs 13 generates).
    explicit Doc(QObject *parent = nullptr);
    explicit Doc(ClientId clientId, QObject *parent = nullptr);
    ~Doc() override;

    ClientId clientId() const { return m_clientId; }
    /// Garbage collection of deleted content (on by default, as in Yjs).
    void setGarbageCollection(bool enabled) { m_gc = enabled; }
    bool garbageCollection() const { return m_gc; }

    Text getText(const QString &name);
    Map getMap(const QString &name);
    /// Names of the root types known so far (created locally or by updates).
    QStringList rootNames() const;

    /// Runs `body` in one transaction (or inside the current one when nested).
    void transact(const std::function<void(Transaction &)> &body, Origin origin = 0);

    /// Applies a v1 update. A malformed update is refused as a whole with the
    /// reason and changes nothing. Structs whose dependencies are missing are
    /// kept pending and integrated when the dependencies arrive.
    Expected<void, DecodeError> applyUpdate(const QByteArray &update, Origin origin = 0);

    /// The state vector (client -> next clock), clients in descending order.
    QByteArray encodeStateVector() const;
    /// Everything a peer with `encodedStateVector` lacks (everything when the
    /// vector is empty), with the complete delete set and any pending structs.
    Expected<QByteArray, DecodeError> encodeStateAsUpdate(const QByteArray &encodedStateVector = {}) const;

    /// Whether structs or deletions wait for missing dependencies.
    bool hasPending() const { return !m_pendingStructs.empty() || !m_pendingDeletes.empty(); }

    /// Called at the end of every transaction, before garbage collection
    /// (the UndoManager keeps deleted content it may restore).
    int addAfterTransactionHook(std::function<void(Transaction &)> hook);
    void removeAfterTransactionHook(int id);

    // For the types and tools of this library.
    StructStore &store() { return m_store; }
    const StructStore &store() const { return m_store; }
    Transaction *currentTransaction() const { return m_transaction; }
    SharedType *rootType(const QString &name);
    SharedType *createNestedType(Item *item);

signals:
    /// The v1 update of a finished transaction (local or remote).
    void updated(const QByteArray &update, tandem::crdt::Origin origin, bool local);

private:
    void runTransaction(const std::function<void(Transaction &)> &body, Origin origin, bool local);
    void finishTransaction(Transaction &transaction);
    void integrateStructs(Transaction &transaction,
                          std::map<ClientId, std::vector<std::unique_ptr<Item>>> &queues);
    void applyDeleteSet(Transaction &transaction, const DeleteSet &deletes);
    QByteArray encodeTransactionUpdate(const Transaction &transaction) const;

    ClientId m_clientId;
    bool m_gc = true;
    StructStore m_store;
    std::map<QString, SharedType *> m_roots;
    std::vector<std::unique_ptr<SharedType>> m_types;
    std::map<ClientId, std::vector<std::unique_ptr<Item>>> m_pendingStructs;
    DeleteSet m_pendingDeletes;
    Transaction *m_transaction = nullptr;
    std::vector<std::pair<int, std::function<void(Transaction &)>>> m_afterTransactionHooks;
    int m_nextHookId = 1;
};

} // namespace tandem::crdt
