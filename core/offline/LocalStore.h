#pragma once
// The desktop's local database: one SQLite file per account and server
// (DESIGN.md "offline"). It caches what the user has seen (rooms, members,
// message history as contiguous pages keyed by seq, versioned entities, resume
// cursors) so the app opens and reads with no server, and it holds the durable
// mutation queue so nothing the user did offline is lost.
//
// Every call is its own transaction unless it runs inside transaction().

#include "core/offline/Mutation.h"
#include "core/protocol/Entity.h"
#include "core/sql/SqliteDatabase.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace tandem::offline {

using protocol::EntityState;
using protocol::Result;

struct CachedRoom {
    QString roomId;
    bool isPrivate = false;
};

struct CachedMessage {
    QString roomId;
    qint64 seq = 0;
    QString id;
    QString userId;
    QString text;
    QDateTime timestamp;
    QString cid;
};

class LocalStore {
public:
    /// <dataDir>/accounts/<host>-<port>/<userId>/local.sqlite: one store per
    /// account and server, so two accounts never see each other's cache.
    static QString pathFor(const QString &dataDir, const QUrl &serverUrl, const QString &userId);

    explicit LocalStore(QString path);
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    Result<void> open();
    void close();
    bool isOpen() const { return m_database.isOpen(); }
    QString path() const { return m_path; }
    static const QList<QStringList> &schemaSteps();

    /// Runs `body` in one transaction: committed if it succeeds, rolled back if not.
    /// Nested calls join the outer transaction.
    Result<void> transaction(const std::function<Result<void>()> &body);

    // meta
    Result<std::optional<QString>> meta(const QString &key);
    Result<void> setMeta(const QString &key, const QString &value);

    // rooms and members
    Result<void> saveRoom(const CachedRoom &room);
    Result<QList<CachedRoom>> rooms();
    Result<void> saveMembers(const QString &roomId, const QStringList &userIds);
    Result<QStringList> members(const QString &roomId);

    // message history: one contiguous range per room, newest first when read
    Result<void> saveMessages(const QList<CachedMessage> &messages);
    /// The newest `limit` messages, oldest first.
    Result<QList<CachedMessage>> newestMessages(const QString &roomId, int limit);
    /// The `limit` messages just before `beforeSeq`, oldest first.
    Result<QList<CachedMessage>> messagesBefore(const QString &roomId, qint64 beforeSeq, int limit);
    /// Forgets the room's history and its resume cursor (the server could not replay a gap).
    Result<void> clearMessages(const QString &roomId);

    // versioned entities: only ever moves forward in version
    Result<void> saveEntity(const EntityState &state);
    Result<QList<EntityState>> entities();

    // resume cursors
    Result<void> setCursor(const QString &roomId, qint64 seq);
    Result<std::optional<qint64>> cursor(const QString &roomId);

    // collaborative documents: the whole Yjs state of a room's document
    Result<void> saveDocument(const QString &roomId, const QByteArray &state)
    {
        return saveRoomState(RoomStateTable::Documents, roomId, state);
    }
    /// The stored state, nullopt when the document was never stored.
    Result<std::optional<QByteArray>> document(const QString &roomId)
    {
        return roomState(RoomStateTable::Documents, roomId);
    }

    // canvases: the whole merged state of a room's canvas (compact CanvasOp JSON array)
    Result<void> saveCanvas(const QString &roomId, const QByteArray &state)
    {
        return saveRoomState(RoomStateTable::Canvases, roomId, state);
    }
    /// The stored state, nullopt when the canvas was never stored.
    Result<std::optional<QByteArray>> canvas(const QString &roomId)
    {
        return roomState(RoomStateTable::Canvases, roomId);
    }

    // the mutation queue
    /// Stores new mutations in causal order; sets their localId.
    Result<void> insertMutations(QList<Mutation> &mutations);
    /// Writes back state, reason, current, retries, payload and base version.
    Result<void> updateMutation(const Mutation &mutation);
    Result<void> deleteMutation(qint64 localId);
    /// Every stored mutation, in causal (localId) order.
    Result<QList<Mutation>> mutations();

private:
    enum class RoomStateTable { Documents, Canvases };
    Result<void> saveRoomState(RoomStateTable table, const QString &roomId, const QByteArray &state);
    Result<std::optional<QByteArray>> roomState(RoomStateTable table, const QString &roomId);

    QString m_path;
    sql::SqliteDatabase m_database;
    int m_transactionDepth = 0;
};

} // namespace tandem::offline
