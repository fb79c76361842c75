#pragma once
// server/docs: the collaborative document of every room (docs/PROTOCOL.md,
// "Documents (Yjs)"). The host keeps one crdt::Doc in memory per room that a
// peer has open, rebuilt from storage (snapshot + update log) on first open.
//
// The in-memory document is never ahead of storage: an update is validated,
// appended to the log in a group commit (one transaction per event-loop
// turn), and only then applied and sent to every peer with the document open,
// the sender included. A refused or unstored update changes nothing and is
// never relayed. So a document can always be unloaded when its last peer
// leaves, even when storing a snapshot fails: its log already holds it.
// With several instances (setShared) the host also applies what the others
// stored (applyRemoteUpdate, catchUp) and says what it stored itself
// (updateStored, awarenessChanged); the hub carries both over the bus.
// Depends on core/crdt, core/protocol and server/storage only.

#include "core/common/Clock.h"
#include "core/crdt/Awareness.h"
#include "core/crdt/Doc.h"
#include "server/config/ServerConfig.h"
#include "server/docs/DocumentPeer.h"
#include "server/storage/Storage.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

namespace tandem::server {

class DocumentHost : public QObject {
    Q_OBJECT

public:
    DocumentHost(Storage &storage, const DocumentSettings &settings, const Clock &clock = Clock::system(),
                 QObject *parent = nullptr);
    ~DocumentHost() override;

    /// Opens the room's document for `peer` (loading it if needed) and sends the peer the server's
    /// sync step 1 and every known awareness state. Membership is the caller's business.
    protocol::Result<void> open(const QString &roomId, DocumentPeer *peer);
    /// The peer's awareness states are removed (a null entry to the others); the document is
    /// unloaded when this was its last peer.
    void close(const QString &roomId, DocumentPeer *peer);
    /// close() for every document the peer has open (a dropped connection).
    void closeAll(DocumentPeer *peer);
    bool isOpen(const QString &roomId, const DocumentPeer *peer) const;

    /// One y-websocket message from a peer that has the document open.
    void receive(const QString &roomId, DocumentPeer *peer, const QByteArray &message);

    /// Stores the pending updates now instead of at the end of this event-loop turn.
    void flush();
    /// Snapshots every open document that changed since its last snapshot.
    void compactAll();

    int openDocumentCount() const { return static_cast<int>(m_documents.size()); }
    /// The text of a loaded document's `content`, for tests and diagnostics; empty when not loaded.
    QString contentText(const QString &roomId);
    bool isLoaded(const QString &roomId) const { return m_documents.count(roomId) > 0; }

    // Several instances on one store (docs/ARCHITECTURE.md, "Several instances").
    /// Decides when a compaction may run: calls `proceed` (now or later) or never.
    using CompactionGate = std::function<void(const QString &roomId, std::function<void()> proceed)>;
    /// Other instances write to the store too: a compaction first folds in what they stored, and
    /// runs only when `gate` lets it, so two instances never compact one document at once (the
    /// older snapshot could be written last and lose what the newer one had covered). On unload
    /// and shutdown nothing is compacted then: the log holds everything, another instance will.
    void setShared(CompactionGate gate)
    {
        m_shared = true;
        m_compactionGate = std::move(gate);
    }
    /// An update another instance stored (as `updateId`): applied to the loaded document, if any,
    /// and relayed to its peers. Applying twice changes nothing.
    void applyRemoteUpdate(const QString &roomId, qint64 updateId, const QByteArray &update);
    /// An awareness update from another instance's peers, relayed to the peers here.
    void applyRemoteAwareness(const QString &roomId, const QByteArray &update);
    /// Folds in every update the store holds for the loaded document (after missing some).
    void catchUp(const QString &roomId);

Q_SIGNALS:
    void loadedChanged(const QString &roomId);
    /// An update of a peer here is stored and applied.
    void updateStored(const QString &roomId, qint64 updateId, const QByteArray &update);
    /// A peer here changed its awareness state; `update` is the encoded awareness update.
    void awarenessChanged(const QString &roomId, const QByteArray &update);
    /// A limit refused a peer's message (just before documentMessageRefused()): "document_update_size"
    /// ([documents] max_update_bytes, awareness included) or "document_size" (max_document_bytes).
    void limitExceeded(const QString &limit);

private:
    struct OpenDocument {
        std::unique_ptr<crdt::Doc> doc;
        std::unique_ptr<crdt::Awareness> awareness;
        QHash<DocumentPeer *, QSet<crdt::ClientId>> peers; ///< each peer's awareness client ids
        qint64 storedBytes = 0;        ///< snapshot plus logged updates: what the limit measures
        qint64 pendingBytes = 0;       ///< accepted, waiting for the group commit
        qint64 lastStoredUpdateId = 0; ///< the newest update of this document in storage
        qint64 snapshotThroughId = 0;  ///< what the stored snapshot covers
        int updatesSinceSnapshot = 0;
        qint64 lastCompactionMs = 0; ///< on the injected clock
    };
    struct PendingUpdate {
        QString roomId;
        DocumentPeer *sender; ///< null once the sender has gone
        QByteArray update;
        /// A sync step 2 repeats the sender's whole state: only what it changes is relayed.
        bool isStepTwo = false;
    };

    protocol::Result<OpenDocument *> load(const QString &roomId);
    void receiveSync(const QString &roomId, OpenDocument &document, DocumentPeer *peer,
                     const QByteArray &body);
    void receiveAwareness(const QString &roomId, OpenDocument &document, DocumentPeer *peer,
                          const QByteArray &body);
    /// Checks size and syntax; queues the update for the next group commit.
    void acceptUpdate(const QString &roomId, OpenDocument &document, DocumentPeer *peer,
                      const QByteArray &update, bool isStepTwo);
    void sendTo(DocumentPeer *peer, const QString &roomId, const QByteArray &message);
    void broadcast(const QString &roomId, const QByteArray &message);
    /// Compacts now, or asks the gate first when shared.
    void compact(const QString &roomId, OpenDocument &document);
    void compactNow(const QString &roomId, OpenDocument &document);
    void unloadIfUnused(const QString &roomId);

    Storage &m_storage;
    const DocumentSettings &m_settings;
    const Clock &m_clock;
    std::map<QString, std::unique_ptr<OpenDocument>> m_documents;
    QList<PendingUpdate> m_pendingUpdates;
    QTimer m_flushTimer;
    QTimer m_compactTimer;
    int m_sendDepth = 0; ///< sends in progress; unloading waits for them
    bool m_shared = false;
    CompactionGate m_compactionGate;
};

} // namespace tandem::server
