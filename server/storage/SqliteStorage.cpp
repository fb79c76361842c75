#include "server/storage/SqliteStorage.h"

#include "core/protocol/Envelope.h"
#include "core/sql/Migrations.h"
#include "server/storage/StorageLog.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>

#include <algorithm>
#include <limits>

namespace tandem::server {

using protocol::ErrorCode;
using protocol::fail;
using protocol::formatTimestamp;

enum class SqliteStorage::Statement : int {
    Begin,
    Commit,
    Rollback,
    InsertUser,
    FindUser,
    ListUsers,
    DeleteUser,
    DeleteMembershipsOfUser,
    InsertToken,
    FindToken,
    RevokeToken,
    DeleteExpiredTokens,
    RoomExists,
    FindRoom,
    InsertRoom,
    IsMember,
    InsertMember,
    ListMembers,
    RoomsVisibleTo,
    RoomLastSeq,
    UpdateRoomLastSeq,
    FindEventByCid,
    InsertEvent,
    EventsAfter,
    EventsBeforeNewestFirst,
    FindEntity,
    UpsertEntity,
    FindMessage,
    RoomOwner,
    InsertDocumentUpdate,
    FindDocumentSnapshot,
    DocumentUpdatesAfter,
    UpsertDocumentSnapshot,
    DeleteDocumentUpdatesThrough,
    FindCanvasSnapshot,
    CanvasChangesAfter,
    UpsertCanvasSnapshot,
    Count,
};

namespace {

Unexpected<protocol::Error> sqlFailure(const QSqlQuery &query, const char *what)
{
    const QString driverMessage = query.lastError().text();
    qCWarning(lcStorage).noquote() << what << "failed:" << driverMessage;
    return fail(ErrorCode::Internal,
                QStringLiteral("storage: %1 failed: %2").arg(QLatin1String(what), driverMessage));
}

Unexpected<protocol::Error> notOpen()
{
    return fail(ErrorCode::Internal, QStringLiteral("storage: the database is not open"));
}

/// Truncated to what the database keeps, so a returned record equals one read back later.
QDateTime toStoredPrecision(const QDateTime &time)
{
    return QDateTime::fromMSecsSinceEpoch(time.toMSecsSinceEpoch(), Qt::UTC);
}

QDateTime parseTimestamp(const QVariant &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

StoredEvent readEvent(const QSqlQuery &query)
{
    StoredEvent event;
    event.roomId = query.value(0).toString();
    event.seq = query.value(1).toLongLong();
    event.id = query.value(2).toString();
    event.type = query.value(3).toString();
    event.userId = query.value(4).toString();
    event.cid = query.value(5).toString();
    event.ts = parseTimestamp(query.value(6));
    event.payload = QJsonDocument::fromJson(query.value(7).toString().toUtf8()).object();
    return event;
}

RoomRecord readRoom(const QSqlQuery &query)
{
    RoomRecord room;
    room.roomId = query.value(0).toString();
    room.ownerId = query.value(1).toString();
    room.isPrivate = query.value(2).toInt() != 0;
    room.lastSeq = query.value(3).toLongLong();
    room.createdAt = parseTimestamp(query.value(4));
    return room;
}

UserRecord readUser(const QSqlQuery &query)
{
    return {query.value(0).toString(), query.value(1).toString(), parseTimestamp(query.value(2))};
}

Result<void> validateLimit(int limit)
{
    if (limit < 0)
        return fail(ErrorCode::BadRequest, QStringLiteral("limit must not be negative"));
    return {};
}

} // namespace

SqliteStorage::SqliteStorage(QString databasePath, const Clock &clock)
    : m_databasePath(std::move(databasePath))
    , m_clock(clock)
{}

SqliteStorage::~SqliteStorage()
{
    close();
}

const QList<QStringList> &SqliteStorage::schemaSteps()
{
    // Append-only: never edit a step that has shipped.
    static const QList<QStringList> steps{
        {
            QStringLiteral("CREATE TABLE users ("
                           " user_id TEXT NOT NULL PRIMARY KEY,"
                           " password_hash TEXT NOT NULL,"
                           " created_at TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE tokens ("
                           " token_hash BLOB NOT NULL PRIMARY KEY,"
                           " user_id TEXT NOT NULL REFERENCES users ON DELETE CASCADE,"
                           " expires_at TEXT NOT NULL,"
                           " revoked INTEGER NOT NULL DEFAULT 0)"),
            // The cascade from users looks tokens up by user.
            QStringLiteral("CREATE INDEX tokens_by_user ON tokens (user_id)"),
            QStringLiteral("CREATE TABLE rooms ("
                           " room_id TEXT NOT NULL PRIMARY KEY,"
                           " owner_id TEXT NOT NULL,"
                           " is_private INTEGER NOT NULL,"
                           " last_seq INTEGER NOT NULL DEFAULT 0,"
                           " created_at TEXT NOT NULL)"),
            // No foreign key to users: the hub may seat users this store does not know.
            QStringLiteral("CREATE TABLE room_members ("
                           " room_id TEXT NOT NULL REFERENCES rooms ON DELETE CASCADE,"
                           " user_id TEXT NOT NULL,"
                           " joined_at TEXT NOT NULL,"
                           " PRIMARY KEY (room_id, user_id))"),
            QStringLiteral("CREATE INDEX room_members_by_user ON room_members (user_id)"),
            QStringLiteral("CREATE TABLE events ("
                           " room_id TEXT NOT NULL,"
                           " seq INTEGER NOT NULL,"
                           " id TEXT NOT NULL UNIQUE,"
                           " type TEXT NOT NULL,"
                           " user_id TEXT NOT NULL,"
                           " cid TEXT,"
                           " ts TEXT NOT NULL,"
                           " payload TEXT NOT NULL," // compact JSON
                           " PRIMARY KEY (room_id, seq))"),
            QStringLiteral(
                "CREATE UNIQUE INDEX events_by_user_cid ON events (user_id, cid) WHERE cid IS NOT NULL"),
        },
        {
            // Versioned entities (room settings, document title, edited
            // messages): only the latest state; the history is in events.
            QStringLiteral("CREATE TABLE entities ("
                           " room_id TEXT NOT NULL REFERENCES rooms ON DELETE CASCADE,"
                           " entity TEXT NOT NULL,"
                           " version INTEGER NOT NULL,"
                           " value TEXT NOT NULL," // compact JSON
                           " updated_by TEXT NOT NULL,"
                           " updated_at TEXT NOT NULL,"
                           " hlc TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (room_id, entity))"),
        },
        {
            // Collaborative documents: the log of Yjs updates since the last
            // snapshot, and that snapshot (the whole state through an update id).
            QStringLiteral("CREATE TABLE doc_snapshots ("
                           " room_id TEXT NOT NULL PRIMARY KEY REFERENCES rooms ON DELETE CASCADE,"
                           " state BLOB NOT NULL,"
                           " through_id INTEGER NOT NULL)"),
            // AUTOINCREMENT: ids are never reused, so a snapshot's through_id stays meaningful
            // after the updates it covers are deleted.
            QStringLiteral("CREATE TABLE doc_updates ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " room_id TEXT NOT NULL REFERENCES rooms ON DELETE CASCADE,"
                           " data BLOB NOT NULL,"
                           " created_at TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX doc_updates_by_room ON doc_updates (room_id, id)"),
        },
        {
            // Canvases: the log is the room's canvas:changed events; this is
            // the merged state through one of them (CanvasOp JSON array).
            QStringLiteral("CREATE TABLE canvas_snapshots ("
                           " room_id TEXT NOT NULL PRIMARY KEY REFERENCES rooms ON DELETE CASCADE,"
                           " state TEXT NOT NULL,"
                           " through_seq INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX events_by_room_type ON events (room_id, type, seq)"),
        },
    };
    return steps;
}

bool SqliteStorage::isOpen() const
{
    return m_database.isOpen();
}

Result<void> SqliteStorage::open()
{
    if (isOpen())
        return {};
    if (Result<void> opened = m_database.open(m_databasePath, QStringLiteral("storage")); !opened)
        return opened;
    if (const Result<void> migrated = sql::applyMigrations(m_database.database(), schemaSteps()); !migrated) {
        close();
        return migrated;
    }

    const int count = static_cast<int>(Statement::Count);
    m_statements.reserve(count);
    for (int which = 0; which < count; ++which) {
        QSqlQuery &query = m_statements.emplace_back(m_database.database());
        query.setForwardOnly(true);
        const char *sqlText = sqlFor(static_cast<Statement>(which));
        if (!query.prepare(QString::fromLatin1(sqlText))) {
            const QString message = QStringLiteral("storage: cannot prepare \"%1\": %2")
                                        .arg(QLatin1String(sqlText), query.lastError().text());
            qCWarning(lcStorage).noquote() << message;
            close();
            return fail(ErrorCode::Internal, message);
        }
    }
    return {};
}

void SqliteStorage::close()
{
    // Every QSqlQuery must be gone before the connection is removed, or Qt
    // warns that it is still in use.
    m_statements.clear();
    m_database.close();
}

const char *SqliteStorage::sqlFor(Statement which)
{
    using S = Statement;
    switch (which) {
    case S::Begin:
        // Take the write lock up front: a deferred transaction that reads and
        // then writes can fail with SQLITE_BUSY instead of waiting.
        return "BEGIN IMMEDIATE";
    case S::Commit:
        return "COMMIT";
    case S::Rollback:
        return "ROLLBACK";
    case S::InsertUser:
        return "INSERT INTO users (user_id, password_hash, created_at) VALUES (?, ?, ?) "
               "ON CONFLICT (user_id) DO NOTHING";
    case S::FindUser:
        return "SELECT user_id, password_hash, created_at FROM users WHERE user_id = ?";
    case S::ListUsers:
        return "SELECT user_id, password_hash, created_at FROM users ORDER BY user_id";
    case S::DeleteUser:
        return "DELETE FROM users WHERE user_id = ?";
    case S::DeleteMembershipsOfUser:
        return "DELETE FROM room_members WHERE user_id = ?";
    case S::InsertToken:
        // Inserts nothing for an unknown user, which we report as NotFound.
        return "INSERT INTO tokens (token_hash, user_id, expires_at) "
               "SELECT ?, user_id, ? FROM users WHERE user_id = ?";
    case S::FindToken:
        return "SELECT user_id, expires_at, revoked FROM tokens WHERE token_hash = ?";
    case S::RevokeToken:
        return "UPDATE tokens SET revoked = 1 WHERE token_hash = ?";
    case S::DeleteExpiredTokens:
        // Timestamps are fixed-width ISO 8601 UTC, so text order is time order.
        return "DELETE FROM tokens WHERE expires_at <= ?";
    case S::RoomExists:
        return "SELECT 1 FROM rooms WHERE room_id = ?";
    case S::FindRoom:
        return "SELECT room_id, owner_id, is_private, last_seq, created_at FROM rooms WHERE room_id = ?";
    case S::InsertRoom:
        return "INSERT INTO rooms (room_id, owner_id, is_private, last_seq, created_at)"
               " VALUES (?, ?, ?, 0, ?) ON CONFLICT (room_id) DO NOTHING";
    case S::IsMember:
        return "SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ?";
    case S::InsertMember:
        return "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?) "
               "ON CONFLICT (room_id, user_id) DO NOTHING";
    case S::ListMembers:
        return "SELECT user_id FROM room_members WHERE room_id = ? ORDER BY user_id";
    case S::RoomsVisibleTo:
        return "SELECT room_id, owner_id, is_private, last_seq, created_at FROM rooms r"
               " WHERE r.is_private = 0"
               " OR EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.room_id AND m.user_id = ?)"
               " ORDER BY r.room_id";
    case S::RoomLastSeq:
        return "SELECT last_seq FROM rooms WHERE room_id = ?";
    case S::UpdateRoomLastSeq:
        return "UPDATE rooms SET last_seq = ? WHERE room_id = ?";
    case S::FindEventByCid:
        // "cid = ?" implies "cid IS NOT NULL", so SQLite uses the partial index.
        return "SELECT room_id, seq, id, type, user_id, cid, ts, payload"
               " FROM events WHERE user_id = ? AND cid = ?";
    case S::InsertEvent:
        return "INSERT INTO events (room_id, seq, id, type, user_id, cid, ts, payload)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    case S::EventsAfter:
        return "SELECT room_id, seq, id, type, user_id, cid, ts, payload"
               " FROM events WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    case S::EventsBeforeNewestFirst:
        return "SELECT room_id, seq, id, type, user_id, cid, ts, payload"
               " FROM events WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
    case S::FindEntity:
        return "SELECT version, value, updated_by, updated_at, hlc FROM entities WHERE room_id = ? AND "
               "entity = ?";
    case S::UpsertEntity:
        return "INSERT INTO entities (room_id, entity, version, value, updated_by, updated_at, hlc)"
               " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, entity) DO UPDATE SET"
               " version = excluded.version, value = excluded.value, updated_by = excluded.updated_by,"
               " updated_at = excluded.updated_at, hlc = excluded.hlc";
    case S::FindMessage:
        return "SELECT user_id, ts, payload FROM events WHERE id = ? AND room_id = ? AND type = "
               "'chat:message'";
    case S::RoomOwner:
        return "SELECT owner_id FROM rooms WHERE room_id = ?";
    case S::InsertDocumentUpdate:
        return "INSERT INTO doc_updates (room_id, data, created_at) VALUES (?, ?, ?)";
    case S::FindDocumentSnapshot:
        return "SELECT state, through_id FROM doc_snapshots WHERE room_id = ?";
    case S::DocumentUpdatesAfter:
        return "SELECT id, data FROM doc_updates WHERE room_id = ? AND id > ? ORDER BY id";
    case S::UpsertDocumentSnapshot:
        return "INSERT INTO doc_snapshots (room_id, state, through_id) VALUES (?, ?, ?)"
               " ON CONFLICT (room_id) DO UPDATE SET state = excluded.state, through_id = "
               "excluded.through_id";
    case S::DeleteDocumentUpdatesThrough:
        return "DELETE FROM doc_updates WHERE room_id = ? AND id <= ?";
    case S::FindCanvasSnapshot:
        return "SELECT state, through_seq FROM canvas_snapshots WHERE room_id = ?";
    case S::CanvasChangesAfter:
        return "SELECT room_id, seq, id, type, user_id, cid, ts, payload"
               " FROM events WHERE room_id = ? AND seq > ? AND type = 'canvas:changed' ORDER BY seq LIMIT ?";
    case S::UpsertCanvasSnapshot:
        return "INSERT INTO canvas_snapshots (room_id, state, through_seq) VALUES (?, ?, ?)"
               " ON CONFLICT (room_id) DO UPDATE SET state = excluded.state, through_seq = "
               "excluded.through_seq WHERE excluded.through_seq > canvas_snapshots.through_seq";
    case S::Count:
        break;
    }
    return "";
}

QSqlQuery *SqliteStorage::statement(Statement which)
{
    const auto index = static_cast<std::size_t>(which);
    return index < m_statements.size() ? &m_statements[index] : nullptr;
}

// Binds `values` to the statement's placeholders in order and executes it.
Result<QSqlQuery *> SqliteStorage::run(Statement which, std::initializer_list<QVariant> values)
{
    QSqlQuery *query = statement(which);
    if (!query)
        return notOpen();
    int position = 0;
    for (const QVariant &value : values)
        query->bindValue(position++, value);
    if (!query->exec()) {
        const auto failure = sqlFailure(*query, sqlFor(which));
        query->finish();
        return failure;
    }
    return query;
}

// Runs a SELECT, hands every row to onRow, and resets the statement so it
// does not pin a WAL snapshot between calls.
template <typename RowHandler>
Result<void> SqliteStorage::select(Statement which, std::initializer_list<QVariant> values,
                                   RowHandler &&onRow)
{
    const Result<QSqlQuery *> ran = run(which, values);
    if (!ran)
        return unexpected(ran.error());
    QSqlQuery &query = **ran;
    while (query.next())
        onRow(query);
    if (query.lastError().isValid()) {
        const auto failure = sqlFailure(query, sqlFor(which));
        query.finish();
        return failure;
    }
    query.finish();
    return {};
}

// Runs an INSERT, UPDATE or DELETE and returns the number of rows it changed.
Result<int> SqliteStorage::change(Statement which, std::initializer_list<QVariant> values)
{
    const Result<QSqlQuery *> ran = run(which, values);
    if (!ran)
        return unexpected(ran.error());
    const int changed = (*ran)->numRowsAffected();
    (*ran)->finish();
    return changed;
}

// Runs body inside BEGIN IMMEDIATE ... COMMIT; rolls back if body or the
// commit fails, so a call either happens completely or not at all.
template <typename Body> auto SqliteStorage::inTransaction(Body &&body) -> decltype(body())
{
    if (const Result<int> begun = change(Statement::Begin, {}); !begun)
        return unexpected(begun.error());
    auto result = body();
    if (result) {
        const Result<int> committed = change(Statement::Commit, {});
        if (committed)
            return result;
        result = unexpected(committed.error());
    }
    if (const Result<int> rolledBack = change(Statement::Rollback, {}); !rolledBack)
        qCWarning(lcStorage) << "rollback failed; the connection may still be inside a transaction";
    return result;
}

// users

Result<void> SqliteStorage::addUser(const QString &userId, const QString &passwordHash)
{
    const Result<int> inserted =
        change(Statement::InsertUser, {userId, passwordHash, formatTimestamp(m_clock.nowUtc())});
    if (!inserted)
        return unexpected(inserted.error());
    if (*inserted == 0)
        return fail(ErrorCode::Conflict, QStringLiteral("user %1 already exists").arg(userId));
    return {};
}

Result<std::optional<UserRecord>> SqliteStorage::findUser(const QString &userId)
{
    std::optional<UserRecord> user;
    const Result<void> selected =
        select(Statement::FindUser, {userId}, [&](const QSqlQuery &query) { user = readUser(query); });
    if (!selected)
        return unexpected(selected.error());
    return user;
}

Result<QList<UserRecord>> SqliteStorage::listUsers()
{
    QList<UserRecord> users;
    const Result<void> selected =
        select(Statement::ListUsers, {}, [&](const QSqlQuery &query) { users.append(readUser(query)); });
    if (!selected)
        return unexpected(selected.error());
    return users;
}

Result<void> SqliteStorage::removeUser(const QString &userId)
{
    return inTransaction([&]() -> Result<void> {
        // Tokens go with the user through ON DELETE CASCADE.
        const Result<int> deleted = change(Statement::DeleteUser, {userId});
        if (!deleted)
            return unexpected(deleted.error());
        if (*deleted == 0)
            return fail(ErrorCode::NotFound, QStringLiteral("no user %1").arg(userId));
        // Otherwise a new account with the same name would inherit private rooms.
        if (const Result<int> left = change(Statement::DeleteMembershipsOfUser, {userId}); !left)
            return unexpected(left.error());
        return {};
    });
}

// tokens

Result<void> SqliteStorage::storeToken(const QByteArray &tokenHash, const QString &userId,
                                       const QDateTime &expiresAt)
{
    const Result<int> inserted =
        change(Statement::InsertToken, {tokenHash, formatTimestamp(expiresAt), userId});
    if (!inserted)
        return unexpected(inserted.error());
    if (*inserted == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("no user %1").arg(userId));
    return {};
}

Result<std::optional<TokenRecord>> SqliteStorage::findToken(const QByteArray &tokenHash)
{
    std::optional<TokenRecord> token;
    const Result<void> selected = select(Statement::FindToken, {tokenHash}, [&](const QSqlQuery &query) {
        token = TokenRecord{query.value(0).toString(), parseTimestamp(query.value(1)),
                            query.value(2).toInt() != 0};
    });
    if (!selected)
        return unexpected(selected.error());
    return token;
}

Result<void> SqliteStorage::revokeToken(const QByteArray &tokenHash)
{
    const Result<int> updated = change(Statement::RevokeToken, {tokenHash});
    if (!updated)
        return unexpected(updated.error());
    if (*updated == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("unknown token"));
    return {};
}

Result<int> SqliteStorage::deleteExpiredTokens(const QDateTime &now)
{
    return change(Statement::DeleteExpiredTokens, {formatTimestamp(now)});
}

// rooms

Result<std::optional<RoomRecord>> SqliteStorage::findRoom(const QString &roomId)
{
    std::optional<RoomRecord> room;
    const Result<void> selected =
        select(Statement::FindRoom, {roomId}, [&](const QSqlQuery &query) { room = readRoom(query); });
    if (!selected)
        return unexpected(selected.error());
    return room;
}

Result<RoomRecord> SqliteStorage::createRoom(const QString &roomId, const QString &ownerId, bool isPrivate)
{
    const QDateTime now = toStoredPrecision(m_clock.nowUtc());
    const QString createdAt = formatTimestamp(now);
    return inTransaction([&]() -> Result<RoomRecord> {
        const Result<int> inserted =
            change(Statement::InsertRoom, {roomId, ownerId, isPrivate ? 1 : 0, createdAt});
        if (!inserted)
            return unexpected(inserted.error());
        if (*inserted == 0)
            return fail(ErrorCode::Conflict, QStringLiteral("room %1 already exists").arg(roomId));
        if (const Result<int> joined = change(Statement::InsertMember, {roomId, ownerId, createdAt}); !joined)
            return unexpected(joined.error());
        return RoomRecord{roomId, ownerId, isPrivate, 0, now};
    });
}

Result<bool> SqliteStorage::isMember(const QString &roomId, const QString &userId)
{
    bool member = false;
    const Result<void> selected =
        select(Statement::IsMember, {roomId, userId}, [&](const QSqlQuery &) { member = true; });
    if (!selected)
        return unexpected(selected.error());
    return member;
}

Result<void> SqliteStorage::addMember(const QString &roomId, const QString &userId)
{
    return inTransaction([&]() -> Result<void> {
        bool roomExists = false;
        const Result<void> selected =
            select(Statement::RoomExists, {roomId}, [&](const QSqlQuery &) { roomExists = true; });
        if (!selected)
            return selected;
        if (!roomExists)
            return fail(ErrorCode::NotFound, QStringLiteral("no room %1").arg(roomId));
        const Result<int> inserted =
            change(Statement::InsertMember, {roomId, userId, formatTimestamp(m_clock.nowUtc())});
        if (!inserted)
            return unexpected(inserted.error());
        return {};
    });
}

Result<QStringList> SqliteStorage::members(const QString &roomId)
{
    QStringList userIds;
    const Result<void> selected = select(Statement::ListMembers, {roomId}, [&](const QSqlQuery &query) {
        userIds.append(query.value(0).toString());
    });
    if (!selected)
        return unexpected(selected.error());
    return userIds;
}

Result<QList<RoomRecord>> SqliteStorage::roomsVisibleTo(const QString &userId)
{
    QList<RoomRecord> rooms;
    const Result<void> selected = select(Statement::RoomsVisibleTo, {userId},
                                         [&](const QSqlQuery &query) { rooms.append(readRoom(query)); });
    if (!selected)
        return unexpected(selected.error());
    return rooms;
}

// the event log

Result<std::optional<StoredEvent>> SqliteStorage::findEventByCid(const QString &userId, const QString &cid)
{
    std::optional<StoredEvent> event;
    const Result<void> selected = select(Statement::FindEventByCid, {userId, cid},
                                         [&](const QSqlQuery &query) { event = readEvent(query); });
    if (!selected)
        return unexpected(selected.error());
    return event;
}

Result<QList<AppendResult>> SqliteStorage::appendEvents(const QList<NewEvent> &events)
{
    for (const NewEvent &event : events) {
        if (event.roomId.isEmpty() || event.id.isEmpty() || event.type.isEmpty() || event.userId.isEmpty() ||
            !event.ts.isValid()) {
            return fail(ErrorCode::BadRequest,
                        QStringLiteral("an event needs a room, an id, a type, an author and a timestamp"));
        }
    }
    if (events.isEmpty())
        return QList<AppendResult>{};

    return inTransaction([&]() -> Result<QList<AppendResult>> {
        QList<AppendResult> results;
        results.reserve(events.size());
        // last_seq of every room this batch touches, written back once at the end.
        QHash<QString, qint64> lastSeqByRoom;
        for (const NewEvent &event : events) {
            if (!event.cid.isEmpty()) {
                // Also finds an earlier event of this same batch: the transaction
                // sees its own uncommitted rows.
                Result<std::optional<StoredEvent>> original = findEventByCid(event.userId, event.cid);
                if (!original)
                    return unexpected(original.error());
                if (original->has_value()) {
                    results.append(AppendResult{std::move(**original), true, std::nullopt, std::nullopt});
                    continue;
                }
            }

            auto lastSeq = lastSeqByRoom.find(event.roomId);
            if (lastSeq == lastSeqByRoom.end()) {
                std::optional<qint64> stored;
                const Result<void> selected =
                    select(Statement::RoomLastSeq, {event.roomId},
                           [&](const QSqlQuery &query) { stored = query.value(0).toLongLong(); });
                if (!selected)
                    return unexpected(selected.error());
                if (!stored)
                    return fail(ErrorCode::NotFound, QStringLiteral("no room %1").arg(event.roomId));
                lastSeq = lastSeqByRoom.insert(event.roomId, *stored);
            }

            // An entity write is checked before it takes a seq: a refused one stores nothing.
            std::optional<EntityState> written;
            if (event.entityWrite) {
                AppendResult refusal;
                Result<EntityState> state = writeEntity(event, refusal);
                if (!state)
                    return unexpected(state.error());
                if (refusal.rejected) {
                    results.append(std::move(refusal));
                    continue;
                }
                written = std::move(*state);
            }

            StoredEvent stored{event.roomId,
                               ++*lastSeq,
                               event.id,
                               event.type,
                               event.userId,
                               event.cid,
                               toStoredPrecision(event.ts),
                               event.payload};
            if (written)
                stored.payload = written->toJson();
            const QString payloadJson =
                QString::fromUtf8(QJsonDocument(stored.payload).toJson(QJsonDocument::Compact));
            const Result<int> inserted = change(
                Statement::InsertEvent, {stored.roomId, stored.seq, stored.id, stored.type, stored.userId,
                                         nullableText(stored.cid), formatTimestamp(stored.ts), payloadJson});
            if (!inserted)
                return unexpected(inserted.error());
            results.append(AppendResult{std::move(stored), false, std::nullopt, std::nullopt});
        }
        for (auto room = lastSeqByRoom.cbegin(); room != lastSeqByRoom.cend(); ++room) {
            if (const Result<int> updated = change(Statement::UpdateRoomLastSeq, {room.value(), room.key()});
                !updated)
                return unexpected(updated.error());
        }
        return results;
    });
}

Result<QList<StoredEvent>> SqliteStorage::eventsAfter(const QString &roomId, qint64 afterSeq, int limit)
{
    if (const Result<void> valid = validateLimit(limit); !valid)
        return unexpected(valid.error());
    QList<StoredEvent> events;
    const Result<void> selected = select(Statement::EventsAfter, {roomId, afterSeq, limit},
                                         [&](const QSqlQuery &query) { events.append(readEvent(query)); });
    if (!selected)
        return unexpected(selected.error());
    return events;
}

Result<QList<StoredEvent>> SqliteStorage::eventsBefore(const QString &roomId, std::optional<qint64> beforeSeq,
                                                       int limit)
{
    if (const Result<void> valid = validateLimit(limit); !valid)
        return unexpected(valid.error());
    QList<StoredEvent> events;
    const qint64 before = beforeSeq.value_or(std::numeric_limits<qint64>::max());
    const Result<void> selected = select(Statement::EventsBeforeNewestFirst, {roomId, before, limit},
                                         [&](const QSqlQuery &query) { events.append(readEvent(query)); });
    if (!selected)
        return unexpected(selected.error());
    std::reverse(events.begin(), events.end());
    return events;
}

// versioned entities

Result<SqliteStorage::EntityContext> SqliteStorage::loadEntity(const QString &roomId,
                                                               const protocol::EntityKey &entity)
{
    EntityContext context;
    context.state.roomId = roomId;
    context.state.entity = entity.toString();
    bool roomFound = false;
    Result<void> selected = select(Statement::RoomOwner, {roomId}, [&](const QSqlQuery &query) {
        roomFound = true;
        context.roomOwner = query.value(0).toString();
    });
    if (!selected)
        return unexpected(selected.error());
    if (!roomFound)
        return fail(ErrorCode::NotFound, QStringLiteral("no room %1").arg(roomId));
    context.author = context.roomOwner;

    if (entity.kind == protocol::EntityKind::Message) {
        bool messageFound = false;
        selected = select(Statement::FindMessage, {entity.messageId, roomId}, [&](const QSqlQuery &query) {
            messageFound = true;
            context.author = query.value(0).toString();
            // A message is version 1 from its creation: its first edit is based on that.
            context.state.version = 1;
            context.state.updatedBy = context.author;
            context.state.updatedAt = parseTimestamp(query.value(1));
            const QJsonObject payload = QJsonDocument::fromJson(query.value(2).toString().toUtf8()).object();
            context.state.value = {{QStringLiteral("text"), payload.value(QLatin1String("text"))}};
        });
        if (!selected)
            return unexpected(selected.error());
        if (!messageFound)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("no message %1 in room %2").arg(entity.messageId, roomId));
    }

    selected = select(Statement::FindEntity, {roomId, context.state.entity}, [&](const QSqlQuery &query) {
        context.state.version = query.value(0).toLongLong();
        context.state.value = QJsonDocument::fromJson(query.value(1).toString().toUtf8()).object();
        context.state.updatedBy = query.value(2).toString();
        context.state.updatedAt = parseTimestamp(query.value(3));
        context.state.hlc = query.value(4).toString();
    });
    if (!selected)
        return unexpected(selected.error());
    return context;
}

Result<EntityState> SqliteStorage::findEntity(const QString &roomId, const protocol::EntityKey &entity)
{
    Result<EntityContext> context = loadEntity(roomId, entity);
    if (!context)
        return unexpected(context.error());
    return std::move(context->state);
}

Result<EntityState> SqliteStorage::writeEntity(const NewEvent &event, AppendResult &refusal)
{
    const EntityWrite &write = *event.entityWrite;
    Result<EntityContext> context = loadEntity(event.roomId, write.entity);
    if (!context) {
        if (context.error().code != ErrorCode::NotFound)
            return unexpected(context.error());
        refusal.rejected = context.error();
        return EntityState{};
    }
    if (write.authorize) {
        if (Result<void> allowed = write.authorize(context->state, context->author, context->roomOwner);
            !allowed) {
            refusal.rejected = allowed.error();
            return EntityState{};
        }
    }
    if (write.baseVersion != context->state.version) {
        refusal.rejected = protocol::Error{ErrorCode::Conflict,
                                           QStringLiteral("%1 changed since version %2; it is at version %3")
                                               .arg(context->state.entity)
                                               .arg(write.baseVersion)
                                               .arg(context->state.version)};
        refusal.current = context->state;
        return EntityState{};
    }

    EntityState next = context->state;
    next.version += 1;
    next.value = protocol::mergeEntityPatch(next.value, write.patch);
    next.updatedBy = event.userId;
    next.updatedAt = toStoredPrecision(event.ts);
    next.hlc = write.hlc;
    const QString valueJson = QString::fromUtf8(QJsonDocument(next.value).toJson(QJsonDocument::Compact));
    const Result<int> upserted =
        change(Statement::UpsertEntity, {next.roomId, next.entity, next.version, valueJson, next.updatedBy,
                                         formatTimestamp(next.updatedAt),
                                         // A null QString binds as NULL; the column holds '' for "no stamp".
                                         next.hlc.isNull() ? QStringLiteral("") : next.hlc});
    if (!upserted)
        return unexpected(upserted.error());
    return next;
}

// collaborative documents

Result<QList<qint64>> SqliteStorage::appendDocumentUpdates(const QList<NewDocumentUpdate> &updates)
{
    if (updates.isEmpty())
        return QList<qint64>{};
    return inTransaction([&]() -> Result<QList<qint64>> {
        QList<qint64> ids;
        ids.reserve(updates.size());
        QSet<QString> knownRooms;
        const QString now = formatTimestamp(m_clock.nowUtc());
        for (const NewDocumentUpdate &update : updates) {
            if (!knownRooms.contains(update.roomId)) {
                bool exists = false;
                if (const Result<void> selected = select(Statement::RoomExists, {update.roomId},
                                                         [&](const QSqlQuery &) { exists = true; });
                    !selected)
                    return unexpected(selected.error());
                if (!exists)
                    return fail(ErrorCode::NotFound, QStringLiteral("no room %1").arg(update.roomId));
                knownRooms.insert(update.roomId);
            }
            const Result<QSqlQuery *> inserted =
                run(Statement::InsertDocumentUpdate, {update.roomId, update.data, now});
            if (!inserted)
                return unexpected(inserted.error());
            ids.append((*inserted)->lastInsertId().toLongLong());
            (*inserted)->finish();
        }
        return ids;
    });
}

Result<StoredDocument> SqliteStorage::loadDocument(const QString &roomId)
{
    // One read transaction, so a compaction cannot slip between the two reads.
    return inTransaction([&]() -> Result<StoredDocument> {
        StoredDocument document;
        if (const Result<void> selected = select(Statement::FindDocumentSnapshot, {roomId},
                                                 [&](const QSqlQuery &query) {
                                                     document.snapshot = query.value(0).toByteArray();
                                                     document.snapshotThroughId = query.value(1).toLongLong();
                                                 });
            !selected)
            return unexpected(selected.error());
        if (const Result<void> selected = select(
                Statement::DocumentUpdatesAfter, {roomId, document.snapshotThroughId},
                [&](const QSqlQuery &query) {
                    document.updates.append({query.value(0).toLongLong(), query.value(1).toByteArray()});
                });
            !selected)
            return unexpected(selected.error());
        return document;
    });
}

Result<void> SqliteStorage::compactDocument(const QString &roomId, const QByteArray &state, qint64 throughId)
{
    return inTransaction([&]() -> Result<void> {
        if (const Result<int> written = change(Statement::UpsertDocumentSnapshot, {roomId, state, throughId});
            !written)
            return unexpected(written.error());
        if (const Result<int> deleted = change(Statement::DeleteDocumentUpdatesThrough, {roomId, throughId});
            !deleted)
            return unexpected(deleted.error());
        return {};
    });
}

Result<StoredCanvas> SqliteStorage::loadCanvas(const QString &roomId)
{
    // One read transaction: a snapshot written between the two reads would
    // otherwise make the loader fold some changes twice (harmless) or miss none.
    return inTransaction([&]() -> Result<StoredCanvas> {
        StoredCanvas canvas;
        if (const Result<void> selected =
                select(Statement::FindCanvasSnapshot, {roomId},
                       [&](const QSqlQuery &query) {
                           canvas.snapshot =
                               QJsonDocument::fromJson(query.value(0).toString().toUtf8()).array();
                           canvas.snapshotThroughSeq = query.value(1).toLongLong();
                       });
            !selected)
            return unexpected(selected.error());
        if (const Result<void> selected =
                select(Statement::CanvasChangesAfter, {roomId, canvas.snapshotThroughSeq, -1}, // no limit
                       [&](const QSqlQuery &query) { canvas.changes.append(readEvent(query)); });
            !selected)
            return unexpected(selected.error());
        return canvas;
    });
}

Result<QList<StoredEvent>> SqliteStorage::canvasChangesAfter(const QString &roomId, qint64 afterSeq,
                                                             int limit)
{
    if (const Result<void> valid = validateLimit(limit); !valid)
        return unexpected(valid.error());
    QList<StoredEvent> events;
    const Result<void> selected = select(Statement::CanvasChangesAfter, {roomId, afterSeq, limit},
                                         [&](const QSqlQuery &query) { events.append(readEvent(query)); });
    if (!selected)
        return unexpected(selected.error());
    return events;
}

Result<void> SqliteStorage::saveCanvasSnapshot(const QString &roomId, const QJsonArray &state,
                                               qint64 throughSeq)
{
    const QString text = QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact));
    if (const Result<int> written = change(Statement::UpsertCanvasSnapshot, {roomId, text, throughSeq});
        !written)
        return unexpected(written.error());
    return {};
}

} // namespace tandem::server
