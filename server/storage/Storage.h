#pragma once
// The server's durable state behind one interface: users, tokens, rooms,
// memberships and the per-room event log. SqlStorage implements it once for
// SQLite (one server) and PostgreSQL (several servers sharing one database);
// StorageFactory picks one from the --database setting.
//
// Contract every implementation keeps:
// - every call is a complete transaction: when it returns success, the data is
//   on disk (the hub acks only after that);
// - seq is assigned by the store, per room, starting at 1, without gaps;
// - an event with a (userId, cid) pair that was already appended is not
//   appended again: appendEvents returns the original with duplicate = true;
// - a room's canvas is a snapshot (CanvasOp JSON through some seq) plus the
//   room's canvas:changed events after that seq;
// - a room's collaborative document is a snapshot (a Yjs v1 update of the
//   whole state through some update id) plus the updates appended after it;
//   update ids increase with every append (a sequence, not per room).

#include "core/protocol/Entity.h"
#include "core/protocol/ErrorCode.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace tandem::server {

using protocol::EntityState;
using protocol::Result;

struct UserRecord {
    QString userId;       ///< the login name; immutable, [a-z0-9._-]{1,32}
    QString passwordHash; ///< Argon2id encoded string
    QDateTime createdAt;
};

struct TokenRecord {
    QString userId;
    QDateTime expiresAt;
    bool revoked = false;
};

struct RoomRecord {
    QString roomId;
    QString ownerId;
    bool isPrivate = false;
    qint64 lastSeq = 0;
    QDateTime createdAt;
};

/// Who may change an entity: given its current state, its author (a
/// message's sender; the owner for room-wide entities) and the room's owner.
using EntityAuthorizer =
    std::function<Result<void>(const EntityState &current, const QString &author, const QString &roomOwner)>;

/// A change to a versioned entity, checked and applied in the transaction
/// that stores its event: the version check and the write cannot be split.
struct EntityWrite {
    protocol::EntityKey entity;
    qint64 baseVersion = 0;
    QJsonObject patch;
    QString hlc;                ///< the writer's clock, kept for last-write-wins on clients
    EntityAuthorizer authorize; ///< empty: anyone who reached the store may write
};

/// An event the hub wants stored; the store assigns seq.
struct NewEvent {
    QString roomId;
    QString id;     ///< server-generated message id
    QString type;   ///< e.g. "chat:message"
    QString userId; ///< author
    QString cid;    ///< idempotency key; empty means none
    QDateTime ts;
    QJsonObject payload; ///< for an entity write, the store sets it to the new EntityState
    std::optional<EntityWrite> entityWrite;
};

struct StoredEvent {
    QString roomId;
    qint64 seq = 0;
    QString id;
    QString type;
    QString userId;
    QString cid;
    QDateTime ts;
    QJsonObject payload;
};

struct AppendResult {
    StoredEvent event;
    bool duplicate = false; ///< the (userId, cid) was seen before; event is the original
    /// An entity write that was refused (Forbidden, NotFound, Conflict): nothing
    /// was stored for it and `event` is empty; the rest of the batch is unaffected.
    std::optional<protocol::Error> rejected;
    std::optional<EntityState> current; ///< the entity's state, with a Conflict
};

/// A Yjs v1 update of a room's document, as appended to its log.
struct NewDocumentUpdate {
    QString roomId;
    QByteArray data;
};

struct StoredDocumentUpdate {
    qint64 id = 0;
    QByteArray data;
};

/// What rebuilds a document: apply `snapshot`, then every update in order.
struct StoredDocument {
    QByteArray snapshot;                 ///< empty when the document was never compacted
    qint64 snapshotThroughId = 0;        ///< the snapshot includes every update with id <= this
    QList<StoredDocumentUpdate> updates; ///< id > snapshotThroughId, oldest first
};

/// What rebuilds a room's canvas: merge `snapshot` (CanvasOp JSON objects),
/// then the ops of every canvas:changed event after it, in seq order.
struct StoredCanvas {
    QJsonArray snapshot;           ///< empty when the canvas was never compacted
    qint64 snapshotThroughSeq = 0; ///< the snapshot includes every event with seq <= this
    QList<StoredEvent> changes;    ///< canvas:changed events with seq > snapshotThroughSeq, oldest first
};

class Storage {
public:
    virtual ~Storage() = default;

    // users
    /// Conflict if taken.
    virtual Result<void> addUser(const QString &userId, const QString &passwordHash) = 0;
    virtual Result<std::optional<UserRecord>> findUser(const QString &userId) = 0;
    virtual Result<QList<UserRecord>> listUsers() = 0;
    /// NotFound if absent. Also deletes the user's tokens and room memberships
    /// (so a new account with the same name does not inherit private rooms).
    virtual Result<void> removeUser(const QString &userId) = 0;

    // tokens: only the SHA-256 of a token is ever stored
    /// NotFound if the user does not exist.
    virtual Result<void> storeToken(const QByteArray &tokenHash, const QString &userId,
                                    const QDateTime &expiresAt) = 0;
    virtual Result<std::optional<TokenRecord>> findToken(const QByteArray &tokenHash) = 0;
    virtual Result<void> revokeToken(const QByteArray &tokenHash) = 0; ///< NotFound if unknown
    virtual Result<int> deleteExpiredTokens(const QDateTime &now) = 0;

    // rooms
    virtual Result<std::optional<RoomRecord>> findRoom(const QString &roomId) = 0;
    /// Creates the room with `ownerId` as owner and first member. Conflict if it exists.
    virtual Result<RoomRecord> createRoom(const QString &roomId, const QString &ownerId, bool isPrivate) = 0;
    virtual Result<bool> isMember(const QString &roomId, const QString &userId) = 0;
    /// Idempotent. NotFound if the room does not exist.
    virtual Result<void> addMember(const QString &roomId, const QString &userId) = 0;
    /// Sorted by user id; empty for an unknown room.
    virtual Result<QStringList> members(const QString &roomId) = 0;
    /// Rooms the user is a member of, plus every public room.
    virtual Result<QList<RoomRecord>> roomsVisibleTo(const QString &userId) = 0;

    // the event log
    /// Appends all events in one transaction (group commit); results are in input order.
    /// NotFound if a room does not exist, and then nothing of the batch is stored.
    /// An event with an entityWrite is stored only if its baseVersion is the
    /// entity's version and the authorizer agrees; otherwise its result is rejected.
    virtual Result<QList<AppendResult>> appendEvents(const QList<NewEvent> &events) = 0;
    /// Events with seq > afterSeq, oldest first, at most `limit`.
    virtual Result<QList<StoredEvent>> eventsAfter(const QString &roomId, qint64 afterSeq, int limit) = 0;
    /// The `limit` events just before `beforeSeq` (all newest when nullopt), oldest first.
    virtual Result<QList<StoredEvent>> eventsBefore(const QString &roomId, std::optional<qint64> beforeSeq,
                                                    int limit) = 0;

    // versioned entities
    /// The entity's current state: version 0 and an empty value for a room or
    /// document never written, version 1 for a message never edited. NotFound
    /// for a message that does not exist in the room.
    virtual Result<EntityState> findEntity(const QString &roomId, const protocol::EntityKey &entity) = 0;

    // collaborative documents (one per room)
    /// Appends all updates in one transaction (group commit); their ids, in input order.
    /// NotFound if a room does not exist, and then nothing of the batch is stored.
    virtual Result<QList<qint64>> appendDocumentUpdates(const QList<NewDocumentUpdate> &updates) = 0;
    /// The room's snapshot and the updates after it; empty for a document never written.
    virtual Result<StoredDocument> loadDocument(const QString &roomId) = 0;
    /// In one transaction: `state` becomes the room's snapshot through `throughId`, and the
    /// updates with id <= throughId are deleted. Updates appended later stay.
    virtual Result<void> compactDocument(const QString &roomId, const QByteArray &state,
                                         qint64 throughId) = 0;

    // canvases (one per room): the operation log is the room's canvas:changed
    // events, which stay (they are room history that `since` replays); the
    // snapshot only spares a loader from folding the whole log.
    virtual Result<StoredCanvas> loadCanvas(const QString &roomId) = 0;
    /// The canvas:changed events with seq > afterSeq, oldest first, at most `limit`.
    virtual Result<QList<StoredEvent>> canvasChangesAfter(const QString &roomId, qint64 afterSeq,
                                                          int limit) = 0;
    /// `state` (CanvasOp JSON objects) becomes the room's snapshot through the event `throughSeq`.
    virtual Result<void> saveCanvasSnapshot(const QString &roomId, const QJsonArray &state,
                                            qint64 throughSeq) = 0;
};

} // namespace tandem::server
