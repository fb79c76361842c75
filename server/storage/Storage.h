#pragma once
// The server's durable state behind one interface: users, tokens, rooms,
// memberships and the per-room event log. SQLite implements it today;
// PostgreSQL will implement the same contract for several instances.
//
// Contract every implementation keeps:
// - every call is a complete transaction: when it returns success, the data is
//   on disk (the hub acks only after that);
// - seq is assigned by the store, per room, starting at 1, without gaps;
// - an event with a (userId, cid) pair that was already appended is not
//   appended again: appendEvents returns the original with duplicate = true.

#include "core/protocol/ErrorCode.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace tandem::server {

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

/// An event the hub wants stored; the store assigns seq.
struct NewEvent {
    QString roomId;
    QString id;     ///< server-generated message id
    QString type;   ///< e.g. "chat:message"
    QString userId; ///< author
    QString cid;    ///< idempotency key; empty means none
    QDateTime ts;
    QJsonObject payload;
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
    virtual Result<QList<AppendResult>> appendEvents(const QList<NewEvent> &events) = 0;
    /// Events with seq > afterSeq, oldest first, at most `limit`.
    virtual Result<QList<StoredEvent>> eventsAfter(const QString &roomId, qint64 afterSeq, int limit) = 0;
    /// The `limit` events just before `beforeSeq` (all newest when nullopt), oldest first.
    virtual Result<QList<StoredEvent>> eventsBefore(const QString &roomId, std::optional<qint64> beforeSeq,
                                                    int limit) = 0;
};

} // namespace tandem::server
