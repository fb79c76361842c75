#include "server/storage/SqlStorage.h"

#include "core/protocol/Envelope.h"
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

/// A LIMIT that keeps every row (SQLite's -1 is an error on PostgreSQL).
constexpr qint64 NoLimit = std::numeric_limits<qint64>::max();

Result<void> validateLimit(int limit)
{
    if (limit < 0)
        return fail(ErrorCode::BadRequest, QStringLiteral("limit must not be negative"));
    return {};
}

} // namespace

SqlStorage::SqlStorage(const Clock &clock)
    : m_clock(clock)
{}

// A subclass's destructor closes first, while its connection still exists;
// this one only makes sure no statement outlives the class.
SqlStorage::~SqlStorage() = default;

bool SqlStorage::isOpen() const
{
    return connectionIsOpen() && !m_statements.empty();
}

Result<void> SqlStorage::open()
{
    if (isOpen())
        return {};
    if (Result<void> connected = openConnection(); !connected) {
        closeConnection();
        return connected;
    }

    const int count = static_cast<int>(Statement::Count);
    m_statements.reserve(count);
    for (int which = 0; which < count; ++which) {
        QSqlQuery &query = m_statements.emplace_back(connection());
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

void SqlStorage::close()
{
    // Every QSqlQuery must be gone before the connection is removed, or Qt
    // warns that it is still in use.
    m_statements.clear();
    closeConnection();
}

const char *SqlStorage::dialectSql(Statement) const
{
    return nullptr;
}

bool SqlStorage::isTransient(const QSqlError &) const
{
    return false;
}

const char *SqlStorage::sqlFor(Statement which) const
{
    if (const char *dialectText = dialectSql(which))
        return dialectText;
    return portableSql(which);
}

const char *SqlStorage::portableSql(Statement which)
{
    using S = Statement;
    switch (which) {
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
    case S::LockRoomLastSeq:
        return "SELECT last_seq FROM rooms WHERE room_id = ?";
    case S::LockRoom:
        return "SELECT 1 FROM rooms WHERE room_id = ?";
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
        return "INSERT INTO doc_updates (room_id, data, created_at) VALUES (?, ?, ?) RETURNING id";
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

QSqlQuery *SqlStorage::statement(Statement which)
{
    const auto index = static_cast<std::size_t>(which);
    return index < m_statements.size() ? &m_statements[index] : nullptr;
}

// Binds `values` to the statement's placeholders in order and executes it.
Result<QSqlQuery *> SqlStorage::run(Statement which, std::initializer_list<QVariant> values)
{
    QSqlQuery *query = statement(which);
    if (!query)
        return notOpen();
    int position = 0;
    for (const QVariant &value : values)
        query->bindValue(position++, value);
    if (!query->exec()) {
        m_transientFailure = isTransient(query->lastError());
        const auto failure = sqlFailure(*query, sqlFor(which));
        query->finish();
        return failure;
    }
    return query;
}

// Runs a SELECT, hands every row to onRow, and resets the statement so it
// does not pin a WAL snapshot between calls.
template <typename RowHandler>
Result<void> SqlStorage::select(Statement which, std::initializer_list<QVariant> values, RowHandler &&onRow)
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
Result<int> SqlStorage::change(Statement which, std::initializer_list<QVariant> values)
{
    const Result<QSqlQuery *> ran = run(which, values);
    if (!ran)
        return unexpected(ran.error());
    const int changed = (*ran)->numRowsAffected();
    (*ran)->finish();
    return changed;
}

// Runs a transaction-control statement (BEGIN, COMMIT, ROLLBACK). Not a
// prepared statement: PostgreSQL cannot prepare them.
Result<void> SqlStorage::control(const QString &sql)
{
    if (!isOpen())
        return notOpen();
    QSqlQuery query(connection());
    if (!query.exec(sql)) {
        m_transientFailure = isTransient(query.lastError());
        return sqlFailure(query, sql.toLatin1().constData());
    }
    return {};
}

// Runs body inside BEGIN ... COMMIT; rolls back if body or the commit fails,
// so a call either happens completely or not at all.
template <typename Body>
auto SqlStorage::attemptTransaction(Transaction kind, Body &&body) -> decltype(body())
{
    if (const Result<void> begun = control(beginSql(kind)); !begun)
        return unexpected(begun.error());
    auto result = body();
    if (result) {
        const Result<void> committed = control(QStringLiteral("COMMIT"));
        if (committed)
            return result;
        result = unexpected(committed.error());
    }
    if (const Result<void> rolledBack = control(QStringLiteral("ROLLBACK")); !rolledBack)
        qCWarning(lcStorage) << "rollback failed; the connection may still be inside a transaction";
    return result;
}

// attemptTransaction, again while the failure was a lost race with another
// writer (isTransient): the next attempt reads what the winner committed. body
// must build its result from scratch on every call.
template <typename Body> auto SqlStorage::inTransaction(Transaction kind, Body &&body) -> decltype(body())
{
    constexpr int MaxAttempts = 8;
    for (int attempt = 1;; ++attempt) {
        m_transientFailure = false;
        auto result = attemptTransaction(kind, body);
        if (result || !m_transientFailure || attempt == MaxAttempts)
            return result;
        qCInfo(lcStorage) << "transaction lost a race with another writer; attempt" << attempt + 1;
    }
}

// users

Result<void> SqlStorage::addUser(const QString &userId, const QString &passwordHash)
{
    const Result<int> inserted =
        change(Statement::InsertUser, {userId, passwordHash, formatTimestamp(m_clock.nowUtc())});
    if (!inserted)
        return unexpected(inserted.error());
    if (*inserted == 0)
        return fail(ErrorCode::Conflict, QStringLiteral("user %1 already exists").arg(userId));
    return {};
}

Result<std::optional<UserRecord>> SqlStorage::findUser(const QString &userId)
{
    std::optional<UserRecord> user;
    const Result<void> selected =
        select(Statement::FindUser, {userId}, [&](const QSqlQuery &query) { user = readUser(query); });
    if (!selected)
        return unexpected(selected.error());
    return user;
}

Result<QList<UserRecord>> SqlStorage::listUsers()
{
    QList<UserRecord> users;
    const Result<void> selected =
        select(Statement::ListUsers, {}, [&](const QSqlQuery &query) { users.append(readUser(query)); });
    if (!selected)
        return unexpected(selected.error());
    return users;
}

Result<void> SqlStorage::removeUser(const QString &userId)
{
    return inTransaction(Transaction::Write, [&]() -> Result<void> {
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

Result<void> SqlStorage::storeToken(const QByteArray &tokenHash, const QString &userId,
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

Result<std::optional<TokenRecord>> SqlStorage::findToken(const QByteArray &tokenHash)
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

Result<void> SqlStorage::revokeToken(const QByteArray &tokenHash)
{
    const Result<int> updated = change(Statement::RevokeToken, {tokenHash});
    if (!updated)
        return unexpected(updated.error());
    if (*updated == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("unknown token"));
    return {};
}

Result<int> SqlStorage::deleteExpiredTokens(const QDateTime &now)
{
    return change(Statement::DeleteExpiredTokens, {formatTimestamp(now)});
}

// rooms

Result<std::optional<RoomRecord>> SqlStorage::findRoom(const QString &roomId)
{
    std::optional<RoomRecord> room;
    const Result<void> selected =
        select(Statement::FindRoom, {roomId}, [&](const QSqlQuery &query) { room = readRoom(query); });
    if (!selected)
        return unexpected(selected.error());
    return room;
}

Result<RoomRecord> SqlStorage::createRoom(const QString &roomId, const QString &ownerId, bool isPrivate)
{
    const QDateTime now = toStoredPrecision(m_clock.nowUtc());
    const QString createdAt = formatTimestamp(now);
    return inTransaction(Transaction::Write, [&]() -> Result<RoomRecord> {
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

Result<bool> SqlStorage::isMember(const QString &roomId, const QString &userId)
{
    bool member = false;
    const Result<void> selected =
        select(Statement::IsMember, {roomId, userId}, [&](const QSqlQuery &) { member = true; });
    if (!selected)
        return unexpected(selected.error());
    return member;
}

Result<void> SqlStorage::addMember(const QString &roomId, const QString &userId)
{
    return inTransaction(Transaction::Write, [&]() -> Result<void> {
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

Result<QStringList> SqlStorage::members(const QString &roomId)
{
    QStringList userIds;
    const Result<void> selected = select(Statement::ListMembers, {roomId}, [&](const QSqlQuery &query) {
        userIds.append(query.value(0).toString());
    });
    if (!selected)
        return unexpected(selected.error());
    return userIds;
}

Result<QList<RoomRecord>> SqlStorage::roomsVisibleTo(const QString &userId)
{
    QList<RoomRecord> rooms;
    const Result<void> selected = select(Statement::RoomsVisibleTo, {userId},
                                         [&](const QSqlQuery &query) { rooms.append(readRoom(query)); });
    if (!selected)
        return unexpected(selected.error());
    return rooms;
}

// the event log

Result<std::optional<StoredEvent>> SqlStorage::findEventByCid(const QString &userId, const QString &cid)
{
    std::optional<StoredEvent> event;
    const Result<void> selected = select(Statement::FindEventByCid, {userId, cid},
                                         [&](const QSqlQuery &query) { event = readEvent(query); });
    if (!selected)
        return unexpected(selected.error());
    return event;
}

Result<QList<AppendResult>> SqlStorage::appendEvents(const QList<NewEvent> &events)
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

    return inTransaction(Transaction::Write, [&]() -> Result<QList<AppendResult>> {
        QList<AppendResult> results;
        results.reserve(events.size());
        // last_seq of every room this batch touches, written back once at the end.
        QHash<QString, qint64> lastSeqByRoom;
        // Every room is locked before anything is read, in one order (sorted), so
        // that two writers with overlapping batches queue instead of deadlocking.
        QStringList rooms;
        for (const NewEvent &event : events)
            rooms.append(event.roomId);
        rooms.sort();
        rooms.removeDuplicates();
        for (const QString &roomId : std::as_const(rooms)) {
            std::optional<qint64> stored;
            const Result<void> selected =
                select(Statement::LockRoomLastSeq, {roomId},
                       [&](const QSqlQuery &query) { stored = query.value(0).toLongLong(); });
            if (!selected)
                return unexpected(selected.error());
            if (!stored)
                return fail(ErrorCode::NotFound, QStringLiteral("no room %1").arg(roomId));
            lastSeqByRoom.insert(roomId, *stored);
        }
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

            const auto lastSeq = lastSeqByRoom.find(event.roomId);
            // An entity write is checked before it takes a seq: a refused one stores nothing.
            // Its room is locked, so no other writer can change the entity in between.
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

Result<QList<StoredEvent>> SqlStorage::eventsAfter(const QString &roomId, qint64 afterSeq, int limit)
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

Result<QList<StoredEvent>> SqlStorage::eventsBefore(const QString &roomId, std::optional<qint64> beforeSeq,
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

Result<SqlStorage::EntityContext> SqlStorage::loadEntity(const QString &roomId,
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

Result<EntityState> SqlStorage::findEntity(const QString &roomId, const protocol::EntityKey &entity)
{
    Result<EntityContext> context = loadEntity(roomId, entity);
    if (!context)
        return unexpected(context.error());
    return std::move(context->state);
}

Result<EntityState> SqlStorage::writeEntity(const NewEvent &event, AppendResult &refusal)
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

Result<QList<qint64>> SqlStorage::appendDocumentUpdates(const QList<NewDocumentUpdate> &updates)
{
    if (updates.isEmpty())
        return QList<qint64>{};
    return inTransaction(Transaction::Write, [&]() -> Result<QList<qint64>> {
        QList<qint64> ids;
        ids.reserve(updates.size());
        QSet<QString> knownRooms;
        const QString now = formatTimestamp(m_clock.nowUtc());
        for (const NewDocumentUpdate &update : updates) {
            if (!knownRooms.contains(update.roomId)) {
                // Held until commit: ids are handed out in the order the room's
                // writers commit, so a reader that saw an id has seen every smaller
                // one of the room, and compacting through it loses nothing.
                bool exists = false;
                if (const Result<void> selected = select(Statement::LockRoom, {update.roomId},
                                                         [&](const QSqlQuery &) { exists = true; });
                    !selected)
                    return unexpected(selected.error());
                if (!exists)
                    return fail(ErrorCode::NotFound, QStringLiteral("no room %1").arg(update.roomId));
                knownRooms.insert(update.roomId);
            }
            if (const Result<void> inserted =
                    select(Statement::InsertDocumentUpdate, {update.roomId, update.data, now},
                           [&](const QSqlQuery &query) { ids.append(query.value(0).toLongLong()); });
                !inserted)
                return unexpected(inserted.error());
        }
        return ids;
    });
}

Result<StoredDocument> SqlStorage::loadDocument(const QString &roomId)
{
    // One read transaction, so a compaction cannot slip between the two reads.
    return inTransaction(Transaction::Snapshot, [&]() -> Result<StoredDocument> {
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

Result<void> SqlStorage::compactDocument(const QString &roomId, const QByteArray &state, qint64 throughId)
{
    return inTransaction(Transaction::Write, [&]() -> Result<void> {
        if (const Result<int> written = change(Statement::UpsertDocumentSnapshot, {roomId, state, throughId});
            !written)
            return unexpected(written.error());
        if (const Result<int> deleted = change(Statement::DeleteDocumentUpdatesThrough, {roomId, throughId});
            !deleted)
            return unexpected(deleted.error());
        return {};
    });
}

Result<StoredCanvas> SqlStorage::loadCanvas(const QString &roomId)
{
    // One read transaction: a snapshot written between the two reads would
    // otherwise make the loader fold some changes twice (harmless) or miss none.
    return inTransaction(Transaction::Snapshot, [&]() -> Result<StoredCanvas> {
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
                select(Statement::CanvasChangesAfter, {roomId, canvas.snapshotThroughSeq, NoLimit},
                       [&](const QSqlQuery &query) { canvas.changes.append(readEvent(query)); });
            !selected)
            return unexpected(selected.error());
        return canvas;
    });
}

Result<QList<StoredEvent>> SqlStorage::canvasChangesAfter(const QString &roomId, qint64 afterSeq, int limit)
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

Result<void> SqlStorage::saveCanvasSnapshot(const QString &roomId, const QJsonArray &state, qint64 throughSeq)
{
    const QString text = QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact));
    if (const Result<int> written = change(Statement::UpsertCanvasSnapshot, {roomId, text, throughSeq});
        !written)
        return unexpected(written.error());
    return {};
}

} // namespace tandem::server
