#include "core/offline/LocalStore.h"

#include "core/protocol/Envelope.h"
#include "core/sql/Migrations.h"

#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace tandem::offline {

using protocol::ErrorCode;
using protocol::fail;

namespace {

QString toJsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

/// Qt binds a null QString as SQL NULL: a NOT NULL text column needs an empty one.
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

QJsonObject fromJsonText(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

QDateTime fromTimestamp(const QVariant &text)
{
    return QDateTime::fromString(text.toString(), Qt::ISODateWithMs);
}

/// A prepared statement, executed with its values bound in order.
class Statement {
public:
    Statement(QSqlDatabase &db, const char *sql)
        : m_query(db)
    {
        m_query.setForwardOnly(true);
        m_prepared = m_query.prepare(QString::fromLatin1(sql));
    }

    Result<void> exec(std::initializer_list<QVariant> values)
    {
        if (!m_prepared || [&] {
                int position = 0;
                for (const QVariant &value : values)
                    m_query.bindValue(position++, value);
                return !m_query.exec();
            }()) {
            return fail(
                ErrorCode::Internal,
                QStringLiteral("local store: %1 (%2)").arg(m_query.lastError().text(), m_query.lastQuery()));
        }
        return {};
    }
    QSqlQuery &query() { return m_query; }

private:
    QSqlQuery m_query;
    bool m_prepared = false;
};

MutationState stateFromInt(int value)
{
    switch (value) {
    case 3:
        return MutationState::Failed;
    case 4:
        return MutationState::Conflicted;
    default:
        // In flight is never stored: a mutation in flight when the app died is queued again.
        return MutationState::Queued;
    }
}

int stateToInt(MutationState state)
{
    switch (state) {
    case MutationState::Failed:
        return 3;
    case MutationState::Conflicted:
        return 4;
    default:
        return 0;
    }
}

} // namespace

QString LocalStore::pathFor(const QString &dataDir, const QUrl &serverUrl, const QString &userId)
{
    const QString &base = dataDir;
    const QString server = QStringLiteral("%1-%2")
                               .arg(serverUrl.host().isEmpty() ? QStringLiteral("local") : serverUrl.host())
                               .arg(serverUrl.port(serverUrl.scheme().endsWith(QLatin1Char('s')) ? 443 : 80));
    return QDir(base).filePath(QStringLiteral("accounts/%1/%2/local.sqlite").arg(server, userId));
}

LocalStore::LocalStore(QString path)
    : m_path(std::move(path))
{}

LocalStore::~LocalStore()
{
    close();
}

const QList<QStringList> &LocalStore::schemaSteps()
{
    // Append-only: never edit a step that has shipped.
    static const QList<QStringList> steps{
        {
            QStringLiteral("CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE TABLE rooms (room_id TEXT NOT NULL PRIMARY KEY, is_private INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE members (room_id TEXT NOT NULL, user_id TEXT NOT NULL,"
                           " PRIMARY KEY (room_id, user_id))"),
            // One contiguous range of history per room: pages are read by seq.
            QStringLiteral("CREATE TABLE messages (room_id TEXT NOT NULL, seq INTEGER NOT NULL,"
                           " id TEXT NOT NULL, user_id TEXT NOT NULL, text TEXT NOT NULL, ts TEXT NOT NULL,"
                           " cid TEXT, PRIMARY KEY (room_id, seq))"),
            QStringLiteral("CREATE TABLE entities (room_id TEXT NOT NULL, entity TEXT NOT NULL,"
                           " version INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (room_id, entity))"),
            QStringLiteral("CREATE TABLE cursors (room_id TEXT NOT NULL PRIMARY KEY, seq INTEGER NOT NULL)"),
            // local_id is the causal order: AUTOINCREMENT never reuses an id,
            // even after the newest row was deleted.
            QStringLiteral("CREATE TABLE mutations (local_id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " cid TEXT NOT NULL UNIQUE, room_id TEXT NOT NULL, entity TEXT NOT NULL,"
                           " type TEXT NOT NULL, base_version INTEGER NOT NULL, payload TEXT NOT NULL,"
                           " base_value TEXT NOT NULL, created_at TEXT NOT NULL, state INTEGER NOT NULL,"
                           " reason TEXT NOT NULL DEFAULT '', current TEXT NOT NULL DEFAULT '{}',"
                           " retries INTEGER NOT NULL DEFAULT 0)"),
        },
        {
            // Each room's collaborative document: its whole Yjs state as one
            // v1 update (pending structs included), rewritten as it changes.
            QStringLiteral("CREATE TABLE documents (room_id TEXT NOT NULL PRIMARY KEY, state BLOB NOT NULL,"
                           " updated_at TEXT NOT NULL)"),
        },
        {
            // Each room's canvas: its whole merged state (CanvasOp JSON array,
            // tombstones and stamps included), rewritten as it changes.
            QStringLiteral("CREATE TABLE canvases (room_id TEXT NOT NULL PRIMARY KEY, state BLOB NOT NULL,"
                           " updated_at TEXT NOT NULL)"),
        },
    };
    return steps;
}

Result<void> LocalStore::open()
{
    if (isOpen())
        return {};
    if (Result<void> opened = m_database.open(m_path, QStringLiteral("local-store")); !opened)
        return opened;
    if (Result<void> migrated = sql::applyMigrations(m_database.database(), schemaSteps()); !migrated) {
        close();
        return migrated;
    }
    return {};
}

void LocalStore::close()
{
    m_database.close();
    m_transactionDepth = 0;
}

Result<void> LocalStore::transaction(const std::function<Result<void>()> &body)
{
    if (!isOpen())
        return fail(ErrorCode::Internal, QStringLiteral("local store: not open"));
    if (m_transactionDepth > 0) {
        ++m_transactionDepth;
        Result<void> result = body();
        --m_transactionDepth;
        return result;
    }
    QSqlDatabase &db = m_database.database();
    if (!db.transaction())
        return fail(ErrorCode::Internal,
                    QStringLiteral("local store: cannot begin: %1").arg(db.lastError().text()));
    ++m_transactionDepth;
    Result<void> result = body();
    --m_transactionDepth;
    if (result && db.commit())
        return result;
    const QString why = result ? db.lastError().text() : result.error().message;
    db.rollback();
    return fail(ErrorCode::Internal, QStringLiteral("local store: transaction failed: %1").arg(why));
}

Result<std::optional<QString>> LocalStore::meta(const QString &key)
{
    Statement select(m_database.database(), "SELECT value FROM meta WHERE key = ?");
    if (Result<void> run = select.exec({key}); !run)
        return unexpected(run.error());
    if (!select.query().next())
        return std::optional<QString>{};
    return std::optional<QString>{select.query().value(0).toString()};
}

Result<void> LocalStore::setMeta(const QString &key, const QString &value)
{
    return Statement(m_database.database(), "INSERT INTO meta (key, value) VALUES (?, ?)"
                                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .exec({key, value});
}

Result<void> LocalStore::saveRoom(const CachedRoom &room)
{
    return Statement(m_database.database(),
                     "INSERT INTO rooms (room_id, is_private) VALUES (?, ?)"
                     " ON CONFLICT (room_id) DO UPDATE SET is_private = excluded.is_private")
        .exec({room.roomId, room.isPrivate});
}

Result<QList<CachedRoom>> LocalStore::rooms()
{
    Statement select(m_database.database(), "SELECT room_id, is_private FROM rooms ORDER BY room_id");
    if (Result<void> run = select.exec({}); !run)
        return unexpected(run.error());
    QList<CachedRoom> rooms;
    while (select.query().next())
        rooms.append({select.query().value(0).toString(), select.query().value(1).toBool()});
    return rooms;
}

Result<void> LocalStore::saveMembers(const QString &roomId, const QStringList &userIds)
{
    return transaction([&]() -> Result<void> {
        Statement insert(m_database.database(),
                         "INSERT INTO members (room_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
        for (const QString &userId : userIds) {
            if (Result<void> run = insert.exec({roomId, userId}); !run)
                return run;
        }
        return {};
    });
}

Result<QStringList> LocalStore::members(const QString &roomId)
{
    Statement select(m_database.database(), "SELECT user_id FROM members WHERE room_id = ? ORDER BY user_id");
    if (Result<void> run = select.exec({roomId}); !run)
        return unexpected(run.error());
    QStringList members;
    while (select.query().next())
        members.append(select.query().value(0).toString());
    return members;
}

Result<void> LocalStore::saveMessages(const QList<CachedMessage> &messages)
{
    return transaction([&]() -> Result<void> {
        Statement insert(
            m_database.database(),
            "INSERT INTO messages (room_id, seq, id, user_id, text, ts, cid) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (room_id, seq) DO NOTHING");
        for (const CachedMessage &message : messages) {
            if (Result<void> run =
                    insert.exec({message.roomId, message.seq, message.id, message.userId, message.text,
                                 protocol::formatTimestamp(message.timestamp), message.cid});
                !run)
                return run;
        }
        return {};
    });
}

namespace {

Result<QList<CachedMessage>> readMessages(Statement &select, std::initializer_list<QVariant> values)
{
    if (Result<void> run = select.exec(values); !run)
        return unexpected(run.error());
    QList<CachedMessage> messages;
    QSqlQuery &query = select.query();
    while (query.next()) {
        messages.append({query.value(0).toString(), query.value(1).toLongLong(), query.value(2).toString(),
                         query.value(3).toString(), query.value(4).toString(), fromTimestamp(query.value(5)),
                         query.value(6).toString()});
    }
    std::reverse(messages.begin(), messages.end()); // read newest first, returned oldest first
    return messages;
}

} // namespace

Result<QList<CachedMessage>> LocalStore::newestMessages(const QString &roomId, int limit)
{
    return messagesBefore(roomId, std::numeric_limits<qint64>::max(), limit);
}

Result<QList<CachedMessage>> LocalStore::messagesBefore(const QString &roomId, qint64 beforeSeq, int limit)
{
    Statement select(m_database.database(), "SELECT room_id, seq, id, user_id, text, ts, cid FROM messages"
                                            " WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?");
    return readMessages(select, {roomId, beforeSeq, limit});
}

Result<void> LocalStore::clearMessages(const QString &roomId)
{
    return transaction([&]() -> Result<void> {
        if (Result<void> run =
                Statement(m_database.database(), "DELETE FROM messages WHERE room_id = ?").exec({roomId});
            !run)
            return run;
        return Statement(m_database.database(), "DELETE FROM cursors WHERE room_id = ?").exec({roomId});
    });
}

Result<void> LocalStore::saveEntity(const EntityState &state)
{
    // Versions only move forward: a late or replayed event never overwrites newer state.
    return Statement(m_database.database(),
                     "INSERT INTO entities (room_id, entity, version, state) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (room_id, entity) DO UPDATE SET version = excluded.version,"
                     " state = excluded.state WHERE excluded.version > entities.version")
        .exec({state.roomId, state.entity, state.version, toJsonText(state.toJson())});
}

Result<QList<EntityState>> LocalStore::entities()
{
    Statement select(m_database.database(), "SELECT state FROM entities ORDER BY room_id, entity");
    if (Result<void> run = select.exec({}); !run)
        return unexpected(run.error());
    QList<EntityState> states;
    while (select.query().next()) {
        if (std::optional<EntityState> state = EntityState::fromJson(fromJsonText(select.query().value(0))))
            states.append(std::move(*state));
    }
    return states;
}

Result<void> LocalStore::setCursor(const QString &roomId, qint64 seq)
{
    return Statement(m_database.database(),
                     "INSERT INTO cursors (room_id, seq) VALUES (?, ?)"
                     " ON CONFLICT (room_id) DO UPDATE SET seq = max(seq, excluded.seq)")
        .exec({roomId, seq});
}

Result<std::optional<qint64>> LocalStore::cursor(const QString &roomId)
{
    Statement select(m_database.database(), "SELECT seq FROM cursors WHERE room_id = ?");
    if (Result<void> run = select.exec({roomId}); !run)
        return unexpected(run.error());
    if (!select.query().next())
        return std::optional<qint64>{};
    return std::optional<qint64>{select.query().value(0).toLongLong()};
}

Result<void> LocalStore::saveRoomState(RoomStateTable table, const QString &roomId, const QByteArray &state)
{
    const char *sql = table == RoomStateTable::Documents
                          ? "INSERT INTO documents (room_id, state, updated_at) VALUES (?, ?, ?)"
                            " ON CONFLICT (room_id) DO UPDATE SET state = excluded.state, updated_at = "
                            "excluded.updated_at"
                          : "INSERT INTO canvases (room_id, state, updated_at) VALUES (?, ?, ?)"
                            " ON CONFLICT (room_id) DO UPDATE SET state = excluded.state, updated_at = "
                            "excluded.updated_at";
    return Statement(m_database.database(), sql)
        .exec({roomId, state, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)});
}

Result<std::optional<QByteArray>> LocalStore::roomState(RoomStateTable table, const QString &roomId)
{
    Statement select(m_database.database(), table == RoomStateTable::Documents
                                                ? "SELECT state FROM documents WHERE room_id = ?"
                                                : "SELECT state FROM canvases WHERE room_id = ?");
    if (Result<void> run = select.exec({roomId}); !run)
        return unexpected(run.error());
    if (!select.query().next())
        return std::optional<QByteArray>{};
    return std::optional<QByteArray>{select.query().value(0).toByteArray()};
}

Result<void> LocalStore::insertMutations(QList<Mutation> &mutations)
{
    return transaction([&]() -> Result<void> {
        Statement insert(
            m_database.database(),
            "INSERT INTO mutations (cid, room_id, entity, type, base_version, payload, base_value,"
            " created_at, state, reason, current, retries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (Mutation &mutation : mutations) {
            if (Result<void> run = insert.exec({mutation.cid, mutation.roomId, mutation.entity, mutation.type,
                                                mutation.baseVersion, toJsonText(mutation.payload),
                                                toJsonText(mutation.baseValue), mutation.createdAt.toString(),
                                                stateToInt(mutation.state), notNull(mutation.reason),
                                                toJsonText(mutation.current), mutation.retries});
                !run)
                return run;
            mutation.localId = insert.query().lastInsertId().toLongLong();
        }
        return {};
    });
}

Result<void> LocalStore::updateMutation(const Mutation &mutation)
{
    return Statement(m_database.database(),
                     "UPDATE mutations SET base_version = ?, payload = ?, state = ?, reason = ?, current = ?,"
                     " retries = ? WHERE local_id = ?")
        .exec({mutation.baseVersion, toJsonText(mutation.payload), stateToInt(mutation.state),
               notNull(mutation.reason), toJsonText(mutation.current), mutation.retries, mutation.localId});
}

Result<void> LocalStore::deleteMutation(qint64 localId)
{
    return Statement(m_database.database(), "DELETE FROM mutations WHERE local_id = ?").exec({localId});
}

Result<QList<Mutation>> LocalStore::mutations()
{
    Statement select(
        m_database.database(),
        "SELECT local_id, cid, room_id, entity, type, base_version, payload, base_value, created_at,"
        " state, reason, current, retries FROM mutations ORDER BY local_id");
    if (Result<void> run = select.exec({}); !run)
        return unexpected(run.error());
    QList<Mutation> mutations;
    QSqlQuery &query = select.query();
    while (query.next()) {
        Mutation mutation;
        mutation.localId = query.value(0).toLongLong();
        mutation.cid = query.value(1).toString();
        mutation.roomId = query.value(2).toString();
        mutation.entity = query.value(3).toString();
        mutation.type = query.value(4).toString();
        mutation.baseVersion = query.value(5).toLongLong();
        mutation.payload = fromJsonText(query.value(6));
        mutation.baseValue = fromJsonText(query.value(7));
        mutation.createdAt = HlcTimestamp::fromString(query.value(8).toString()).value_or(HlcTimestamp{});
        mutation.state = stateFromInt(query.value(9).toInt());
        mutation.reason = query.value(10).toString();
        mutation.current = fromJsonText(query.value(11));
        mutation.retries = query.value(12).toInt();
        mutations.append(std::move(mutation));
    }
    return mutations;
}

} // namespace tandem::offline
