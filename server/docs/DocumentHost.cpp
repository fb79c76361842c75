#include "server/docs/DocumentHost.h"

#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/SyncProtocol.h"
#include "core/crdt/Text.h"
#include "server/docs/DocumentsLog.h"

#include <algorithm>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;
using protocol::Result;
namespace websocket = crdt::websocket;

namespace {

crdt::Origin originOf(const DocumentPeer *peer)
{
    return reinterpret_cast<crdt::Origin>(peer);
}

/// What another instance stored or its peers said: not published again.
constexpr crdt::Origin RemoteOrigin = crdt::Origin(-2);

protocol::Error malformed(const QString &what, const crdt::DecodeError &error)
{
    return {ErrorCode::BadRequest, QStringLiteral("%1: %2").arg(what, error.message)};
}

} // namespace

DocumentHost::DocumentHost(Storage &storage, const DocumentSettings &settings, const Clock &clock,
                           QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_settings(settings)
    , m_clock(clock)
{
    // Zero-interval: every update that arrived in this event-loop turn shares one transaction.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &DocumentHost::flush);
    // A tenth of the interval, so a changed document is compacted at most 10% late.
    m_compactTimer.setInterval(std::max(1, settings.compactIntervalMs / 10));
    connect(&m_compactTimer, &QTimer::timeout, this, [this] {
        for (auto &[roomId, document] : m_documents) {
            if (m_clock.monotonicMs() - document->lastCompactionMs >= m_settings.compactIntervalMs)
                compact(roomId, *document);
        }
    });
    m_compactTimer.start();
}

// Storage may be closed by now: whoever stops the server calls compactAll() first. Updates still
// pending were never echoed, so their senders know they were not stored.
DocumentHost::~DocumentHost() = default;

Result<DocumentHost::OpenDocument *> DocumentHost::load(const QString &roomId)
{
    if (const auto it = m_documents.find(roomId); it != m_documents.end())
        return it->second.get();
    const Result<StoredDocument> stored = m_storage.loadDocument(roomId);
    if (!stored)
        return unexpected(stored.error());

    auto document = std::make_unique<OpenDocument>();
    document->doc = std::make_unique<crdt::Doc>();
    if (!stored->snapshot.isEmpty()) {
        if (auto applied = document->doc->applyUpdate(stored->snapshot); !applied)
            qCWarning(lcDocuments) << "the stored snapshot of" << roomId
                                   << "does not decode:" << applied.error().message;
        document->storedBytes += stored->snapshot.size();
    }
    for (const StoredDocumentUpdate &update : stored->updates) {
        // Only validated updates are stored; one that fails now is skipped rather than losing the room.
        if (auto applied = document->doc->applyUpdate(update.data); !applied)
            qCWarning(lcDocuments) << "stored update" << update.id << "of" << roomId
                                   << "does not apply:" << applied.error().message;
        document->storedBytes += update.data.size();
    }
    document->snapshotThroughId = stored->snapshotThroughId;
    document->lastStoredUpdateId =
        stored->updates.isEmpty() ? stored->snapshotThroughId : stored->updates.constLast().id;
    document->updatesSinceSnapshot = static_cast<int>(stored->updates.size());
    document->lastCompactionMs = m_clock.monotonicMs();

    // The server is no participant: its own awareness state is null, as in the reference server.
    document->awareness = std::make_unique<crdt::Awareness>(document->doc->clientId(), m_clock);
    document->awareness->setLocalState(std::nullopt);
    connect(document->awareness.get(), &crdt::Awareness::updated, this,
            [this, roomId](const crdt::AwarenessChange &change, crdt::Origin origin) {
                const auto it = m_documents.find(roomId);
                if (it == m_documents.end())
                    return;
                const QByteArray update = it->second->awareness->encodeUpdate(change.all());
                // Time-outs happen on every instance by themselves; remote changes came from the bus.
                if (origin != RemoteOrigin && origin != crdt::Awareness::kTimeoutOrigin)
                    Q_EMIT awarenessChanged(roomId, update);
                broadcast(roomId, websocket::awareness(update));
            });
    document->awareness->startPeriodicCheck();

    qCDebug(lcDocuments) << "loaded" << roomId << "(" << document->storedBytes << "bytes stored,"
                         << stored->updates.size() << "updates after the snapshot)";
    OpenDocument *opened = document.get();
    m_documents.emplace(roomId, std::move(document));
    Q_EMIT loadedChanged(roomId);
    return opened;
}

Result<void> DocumentHost::open(const QString &roomId, DocumentPeer *peer)
{
    const Result<OpenDocument *> loaded = load(roomId);
    if (!loaded)
        return unexpected(loaded.error());
    OpenDocument &document = **loaded;
    if (!document.peers.contains(peer))
        document.peers.insert(peer, {});
    sendTo(peer, roomId, websocket::syncStep1(*document.doc));
    const QList<crdt::ClientId> known = document.awareness->states().keys();
    if (!known.isEmpty())
        sendTo(peer, roomId, websocket::awareness(document.awareness->encodeUpdate(known)));
    return {};
}

void DocumentHost::close(const QString &roomId, DocumentPeer *peer)
{
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end() || !it->second->peers.contains(peer))
        return;
    OpenDocument &document = *it->second;
    const QSet<crdt::ClientId> clients = document.peers.take(peer);
    for (PendingUpdate &pending : m_pendingUpdates) {
        if (pending.sender == peer && pending.roomId == roomId)
            pending.sender = nullptr;
    }
    // Removed at their current clock: receivers accept a null at the same clock.
    if (!clients.isEmpty())
        document.awareness->removeStates(clients.values(), originOf(peer));
    unloadIfUnused(roomId);
}

void DocumentHost::closeAll(DocumentPeer *peer)
{
    QStringList rooms;
    for (const auto &[roomId, document] : m_documents) {
        if (document->peers.contains(peer))
            rooms.append(roomId);
    }
    for (const QString &roomId : std::as_const(rooms))
        close(roomId, peer);
}

bool DocumentHost::isOpen(const QString &roomId, const DocumentPeer *peer) const
{
    const auto it = m_documents.find(roomId);
    return it != m_documents.end() && it->second->peers.contains(const_cast<DocumentPeer *>(peer));
}

QString DocumentHost::contentText(const QString &roomId)
{
    const auto it = m_documents.find(roomId);
    return it == m_documents.end() ? QString()
                                   : it->second->doc->getText(QStringLiteral("content")).toString();
}

void DocumentHost::receive(const QString &roomId, DocumentPeer *peer, const QByteArray &message)
{
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end() || !it->second->peers.contains(peer)) {
        peer->documentMessageRefused(
            roomId, {ErrorCode::Forbidden, QStringLiteral("open the document of '%1' first").arg(roomId)});
        return;
    }
    OpenDocument &document = *it->second;
    crdt::Lib0Decoder decoder(message);
    const auto type = static_cast<websocket::MessageType>(decoder.readVarUint());
    if (decoder.failed()) {
        peer->documentMessageRefused(roomId,
                                     malformed(QStringLiteral("empty document message"), *decoder.error()));
        return;
    }
    switch (type) {
    case websocket::MessageType::Sync:
        receiveSync(roomId, document, peer, decoder.readTail());
        return;
    case websocket::MessageType::Awareness: {
        const QByteArray body = decoder.readVarUint8Array();
        if (!decoder.failed() && decoder.hasContent())
            decoder.fail(crdt::DecodeErrorCode::TrailingBytes, "after the awareness update");
        if (decoder.failed()) {
            peer->documentMessageRefused(roomId,
                                         malformed(QStringLiteral("awareness message"), *decoder.error()));
            return;
        }
        receiveAwareness(roomId, document, peer, body);
        return;
    }
    case websocket::MessageType::Auth:
        // Only servers send it; the reference server ignores it too.
        return;
    case websocket::MessageType::QueryAwareness: {
        const QList<crdt::ClientId> known = document.awareness->states().keys();
        sendTo(peer, roomId, websocket::awareness(document.awareness->encodeUpdate(known)));
        return;
    }
    }
    peer->documentMessageRefused(
        roomId,
        {ErrorCode::BadRequest, QStringLiteral("unknown y-websocket message type %1").arg(int(type))});
}

void DocumentHost::receiveSync(const QString &roomId, OpenDocument &document, DocumentPeer *peer,
                               const QByteArray &body)
{
    crdt::Lib0Decoder decoder(body);
    const auto type = static_cast<crdt::sync::MessageType>(decoder.readVarUint());
    const QByteArray payload = decoder.readVarUint8Array();
    if (!decoder.failed() && decoder.hasContent())
        decoder.fail(crdt::DecodeErrorCode::TrailingBytes, "after the sync message");
    if (decoder.failed()) {
        peer->documentMessageRefused(roomId, malformed(QStringLiteral("sync message"), *decoder.error()));
        return;
    }
    switch (type) {
    case crdt::sync::MessageType::Step1: {
        auto reply = websocket::syncStep2(*document.doc, payload);
        if (!reply) {
            peer->documentMessageRefused(roomId, malformed(QStringLiteral("state vector"), reply.error()));
            return;
        }
        sendTo(peer, roomId, *reply);
        return;
    }
    case crdt::sync::MessageType::Step2:
        acceptUpdate(roomId, document, peer, payload, true);
        return;
    case crdt::sync::MessageType::Update:
        acceptUpdate(roomId, document, peer, payload, false);
        return;
    }
    peer->documentMessageRefused(
        roomId, {ErrorCode::BadRequest, QStringLiteral("unknown sync message type %1").arg(int(type))});
}

void DocumentHost::acceptUpdate(const QString &roomId, OpenDocument &document, DocumentPeer *peer,
                                const QByteArray &update, bool isStepTwo)
{
    if (update.size() > m_settings.maxUpdateBytes) {
        Q_EMIT limitExceeded(QStringLiteral("document_update_size"));
        peer->documentMessageRefused(
            roomId, {ErrorCode::TooLarge, QStringLiteral("the update is %1 bytes; the limit is %2")
                                              .arg(update.size())
                                              .arg(m_settings.maxUpdateBytes)});
        return;
    }
    if (document.storedBytes + document.pendingBytes + update.size() > m_settings.maxDocumentBytes &&
        document.updatesSinceSnapshot > 0) {
        // The log repeats what later updates overwrote; a snapshot may be far smaller.
        flush();
        compact(roomId, document);
    }
    if (document.storedBytes + document.pendingBytes + update.size() > m_settings.maxDocumentBytes) {
        Q_EMIT limitExceeded(QStringLiteral("document_size"));
        peer->documentMessageRefused(
            roomId, {ErrorCode::TooLarge, QStringLiteral("the document of '%1' would exceed %2 bytes")
                                              .arg(roomId)
                                              .arg(m_settings.maxDocumentBytes)});
        return;
    }
    // Decoding needs no document: a scratch one proves the update whole before it is stored,
    // so storage never holds an update the document would refuse.
    crdt::Doc scratch(1);
    if (auto valid = scratch.applyUpdate(update); !valid) {
        peer->documentMessageRefused(roomId, malformed(QStringLiteral("update refused"), valid.error()));
        return;
    }
    document.pendingBytes += update.size();
    m_pendingUpdates.append({roomId, peer, update, isStepTwo});
    m_flushTimer.start();
}

void DocumentHost::receiveAwareness(const QString &roomId, OpenDocument &document, DocumentPeer *peer,
                                    const QByteArray &body)
{
    if (body.size() > m_settings.maxUpdateBytes) {
        Q_EMIT limitExceeded(QStringLiteral("document_update_size"));
        peer->documentMessageRefused(
            roomId, {ErrorCode::TooLarge, QStringLiteral("the awareness update is %1 bytes; the limit is %2")
                                              .arg(body.size())
                                              .arg(m_settings.maxUpdateBytes)});
        return;
    }
    // Applying emits updated(), which relays the change to every peer.
    const auto change = document.awareness->applyUpdate(body, originOf(peer));
    if (!change) {
        peer->documentMessageRefused(roomId, malformed(QStringLiteral("awareness update"), change.error()));
        return;
    }
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end() || !it->second->peers.contains(peer))
        return;
    QSet<crdt::ClientId> &clients = it->second->peers[peer];
    for (crdt::ClientId client : change->added + change->updated)
        clients.insert(client);
    for (crdt::ClientId client : change->removed)
        clients.remove(client);
}

void DocumentHost::flush()
{
    m_flushTimer.stop();
    if (m_pendingUpdates.isEmpty())
        return;
    const QList<PendingUpdate> batch = std::exchange(m_pendingUpdates, {});
    QList<NewDocumentUpdate> updates;
    updates.reserve(batch.size());
    for (const PendingUpdate &pending : batch)
        updates.append({pending.roomId, pending.update});

    const Result<QList<qint64>> ids = m_storage.appendDocumentUpdates(updates);
    if (!ids)
        qCWarning(lcDocuments) << "could not store" << batch.size()
                               << "document updates:" << ids.error().message;
    QSet<QString> touched;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const PendingUpdate &pending = batch.at(i);
        const auto it = m_documents.find(pending.roomId);
        if (it == m_documents.end())
            continue; // unloading flushes first, so this cannot happen; never apply to nothing
        OpenDocument &document = *it->second;
        document.pendingBytes -= pending.update.size();
        if (!ids) {
            // Not stored, so not applied either: the document stays what storage holds.
            if (pending.sender)
                pending.sender->documentMessageRefused(
                    pending.roomId,
                    {ErrorCode::Internal, QStringLiteral("could not store the update; send it again")});
            continue;
        }
        document.storedBytes += pending.update.size();
        document.lastStoredUpdateId = ids->at(i);
        ++document.updatesSinceSnapshot;
        touched.insert(pending.roomId);
        QByteArray change;
        const auto capture = connect(document.doc.get(), &crdt::Doc::updated, this,
                                     [&change](const QByteArray &update) { change = update; });
        const auto applied = document.doc->applyUpdate(pending.update, originOf(pending.sender));
        disconnect(capture);
        if (!applied) {
            qCWarning(lcDocuments) << "a stored update of" << pending.roomId
                                   << "did not apply:" << applied.error().message;
            continue;
        }
        Q_EMIT updateStored(pending.roomId, ids->at(i), pending.update);
        if (!pending.isStepTwo) {
            // Sent as received, to everyone including the sender: the echo tells it the update is stored.
            broadcast(pending.roomId, websocket::syncUpdate(pending.update));
        } else if (!change.isEmpty()) {
            // A step 2 is the sender's whole state; everyone gets what it changed, as in the reference
            // server.
            broadcast(pending.roomId, websocket::syncUpdate(change));
        }
    }
    for (const QString &roomId : std::as_const(touched)) {
        const auto it = m_documents.find(roomId);
        if (it != m_documents.end() && it->second->updatesSinceSnapshot >= m_settings.compactEveryUpdates)
            compact(roomId, *it->second);
    }
}

void DocumentHost::sendTo(DocumentPeer *peer, const QString &roomId, const QByteArray &message)
{
    // A send can drop a slow peer, and so close its documents, while a caller still holds one.
    ++m_sendDepth;
    peer->sendDocumentMessage(roomId, message);
    --m_sendDepth;
}

void DocumentHost::broadcast(const QString &roomId, const QByteArray &message)
{
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end())
        return;
    // A send may drop a slow peer, which closes its documents: iterate over a copy, re-checking.
    const QList<DocumentPeer *> peers = it->second->peers.keys();
    for (DocumentPeer *peer : peers) {
        const auto current = m_documents.find(roomId);
        if (current == m_documents.end())
            return;
        if (current->second->peers.contains(peer))
            sendTo(peer, roomId, message);
    }
}

void DocumentHost::compact(const QString &roomId, OpenDocument &document)
{
    document.lastCompactionMs = m_clock.monotonicMs();
    if (!m_shared) {
        compactNow(roomId, document);
        return;
    }
    if (document.lastStoredUpdateId == document.snapshotThroughId || !m_compactionGate)
        return;
    m_compactionGate(roomId, [this, roomId] {
        const auto it = m_documents.find(roomId);
        if (it != m_documents.end())
            compactNow(roomId, *it->second);
    });
}

void DocumentHost::compactNow(const QString &roomId, OpenDocument &document)
{
    // Another instance's update may still be on its way here: the snapshot must cover every
    // update up to the id it names, so the store's are folded in first.
    if (m_shared)
        catchUp(roomId);
    if (document.lastStoredUpdateId == document.snapshotThroughId)
        return;
    const auto state = document.doc->encodeStateAsUpdate();
    if (!state) {
        qCWarning(lcDocuments) << "cannot encode" << roomId << ":" << state.error().message;
        return;
    }
    if (const Result<void> stored = m_storage.compactDocument(roomId, *state, document.lastStoredUpdateId);
        !stored) {
        // Nothing is lost: the log still holds every update. The next compaction tries again.
        qCWarning(lcDocuments) << "could not compact" << roomId << ":" << stored.error().message;
        return;
    }
    qCDebug(lcDocuments) << "compacted" << roomId << "from" << document.storedBytes << "to" << state->size()
                         << "bytes";
    document.storedBytes = state->size();
    document.snapshotThroughId = document.lastStoredUpdateId;
    document.updatesSinceSnapshot = 0;
}

void DocumentHost::compactAll()
{
    flush();
    for (auto &[roomId, document] : m_documents)
        compact(roomId, *document);
}

void DocumentHost::unloadIfUnused(const QString &roomId)
{
    auto it = m_documents.find(roomId);
    if (it == m_documents.end() || !it->second->peers.isEmpty())
        return;
    if (m_sendDepth > 0) {
        // Inside a send: whoever called it may still use the document. Next turn.
        QTimer::singleShot(0, this, [this, roomId] { unloadIfUnused(roomId); });
        return;
    }
    const bool hasPending =
        std::any_of(m_pendingUpdates.cbegin(), m_pendingUpdates.cend(),
                    [&](const PendingUpdate &pending) { return pending.roomId == roomId; });
    if (hasPending)
        flush();
    it = m_documents.find(roomId);
    if (it == m_documents.end() || !it->second->peers.isEmpty())
        return;
    // A failed snapshot loses nothing (the log has every update), so the document goes either way.
    compact(roomId, *it->second);
    m_documents.erase(roomId);
    qCDebug(lcDocuments) << "unloaded" << roomId;
    Q_EMIT loadedChanged(roomId);
}

void DocumentHost::applyRemoteUpdate(const QString &roomId, qint64 updateId, const QByteArray &update)
{
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end())
        return; // loaded from the store when someone here opens it
    OpenDocument &document = *it->second;
    QByteArray change;
    const auto capture = connect(document.doc.get(), &crdt::Doc::updated, this,
                                 [&change](const QByteArray &applied) { change = applied; });
    const auto applied = document.doc->applyUpdate(update, RemoteOrigin);
    disconnect(capture);
    if (!applied) {
        qCWarning(lcDocuments) << "an update of" << roomId
                               << "from another instance did not apply:" << applied.error().message;
        return;
    }
    // Not counted towards the next compaction: the instance that stored it counts it, so the
    // instances of a room do not all reach the threshold at the same update.
    if (updateId > document.lastStoredUpdateId) {
        document.storedBytes += update.size();
        document.lastStoredUpdateId = updateId;
    }
    if (!change.isEmpty())
        broadcast(roomId, websocket::syncUpdate(change));
}

void DocumentHost::applyRemoteAwareness(const QString &roomId, const QByteArray &update)
{
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end())
        return;
    // Applying emits updated(), which relays it to the peers here.
    if (const auto change = it->second->awareness->applyUpdate(update, RemoteOrigin); !change)
        qCWarning(lcDocuments) << "an awareness update of" << roomId
                               << "from another instance does not decode:" << change.error().message;
}

void DocumentHost::catchUp(const QString &roomId)
{
    const auto it = m_documents.find(roomId);
    if (it == m_documents.end())
        return;
    const Result<StoredDocument> stored = m_storage.loadDocument(roomId);
    if (!stored) {
        qCWarning(lcDocuments) << "cannot catch up on the document of" << roomId << ":"
                               << stored.error().message;
        return;
    }
    OpenDocument &document = *it->second;
    // Our own unstored updates are not in the store yet: they are applied after their commit.
    if (!stored->snapshot.isEmpty() && stored->snapshotThroughId > document.lastStoredUpdateId)
        applyRemoteUpdate(roomId, stored->snapshotThroughId, stored->snapshot);
    for (const StoredDocumentUpdate &update : stored->updates) {
        if (m_documents.find(roomId) == m_documents.end())
            return;
        applyRemoteUpdate(roomId, update.id, update.data);
    }
}

} // namespace tandem::server
