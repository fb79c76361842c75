#include "server/storage/SqlDialect.h"

namespace tandem::server {

namespace {

// The steps as written, with four type placeholders a dialect fills in:
// {int} a 64-bit integer, {blob} raw bytes, {serial} an integer primary key
// that is never reused, {text} text compared byte by byte (SQLite's BINARY;
// PostgreSQL's "C", whatever the database's locale, so that ORDER BY user_id
// sorts the same on both). Timestamps are fixed-width ISO 8601 UTC text on both
// databases, so text order is time order and both return the same strings.
const QList<QStringList> &logicalSteps()
{
    static const QList<QStringList> steps{
        {
            QStringLiteral("CREATE TABLE users ("
                           " user_id {text} NOT NULL PRIMARY KEY,"
                           " password_hash {text} NOT NULL,"
                           " created_at {text} NOT NULL)"),
            QStringLiteral("CREATE TABLE tokens ("
                           " token_hash {blob} NOT NULL PRIMARY KEY,"
                           " user_id {text} NOT NULL REFERENCES users ON DELETE CASCADE,"
                           " expires_at {text} NOT NULL,"
                           " revoked {int} NOT NULL DEFAULT 0)"),
            // The cascade from users looks tokens up by user.
            QStringLiteral("CREATE INDEX tokens_by_user ON tokens (user_id)"),
            QStringLiteral("CREATE TABLE rooms ("
                           " room_id {text} NOT NULL PRIMARY KEY,"
                           " owner_id {text} NOT NULL,"
                           " is_private {int} NOT NULL,"
                           " last_seq {int} NOT NULL DEFAULT 0,"
                           " created_at {text} NOT NULL)"),
            // No foreign key to users: the hub may seat users this store does not know.
            QStringLiteral("CREATE TABLE room_members ("
                           " room_id {text} NOT NULL REFERENCES rooms ON DELETE CASCADE,"
                           " user_id {text} NOT NULL,"
                           " joined_at {text} NOT NULL,"
                           " PRIMARY KEY (room_id, user_id))"),
            QStringLiteral("CREATE INDEX room_members_by_user ON room_members (user_id)"),
            // The primary key and the cid index are also what keeps two servers
            // on one database from storing the same seq or the same cid twice.
            QStringLiteral("CREATE TABLE events ("
                           " room_id {text} NOT NULL,"
                           " seq {int} NOT NULL,"
                           " id {text} NOT NULL UNIQUE,"
                           " type {text} NOT NULL,"
                           " user_id {text} NOT NULL,"
                           " cid {text},"
                           " ts {text} NOT NULL,"
                           " payload {text} NOT NULL," // compact JSON
                           " PRIMARY KEY (room_id, seq))"),
            QStringLiteral(
                "CREATE UNIQUE INDEX events_by_user_cid ON events (user_id, cid) WHERE cid IS NOT NULL"),
        },
        {
            // Versioned entities (room settings, document title, edited
            // messages): only the latest state; the history is in events.
            QStringLiteral("CREATE TABLE entities ("
                           " room_id {text} NOT NULL REFERENCES rooms ON DELETE CASCADE,"
                           " entity {text} NOT NULL,"
                           " version {int} NOT NULL,"
                           " value {text} NOT NULL," // compact JSON
                           " updated_by {text} NOT NULL,"
                           " updated_at {text} NOT NULL,"
                           " hlc {text} NOT NULL DEFAULT '',"
                           " PRIMARY KEY (room_id, entity))"),
        },
        {
            // Collaborative documents: the log of Yjs updates since the last
            // snapshot, and that snapshot (the whole state through an update id).
            QStringLiteral("CREATE TABLE doc_snapshots ("
                           " room_id {text} NOT NULL PRIMARY KEY REFERENCES rooms ON DELETE CASCADE,"
                           " state {blob} NOT NULL,"
                           " through_id {int} NOT NULL)"),
            // {serial}: ids are never reused, so a snapshot's through_id stays
            // meaningful after the updates it covers are deleted.
            QStringLiteral("CREATE TABLE doc_updates ("
                           " id {serial},"
                           " room_id {text} NOT NULL REFERENCES rooms ON DELETE CASCADE,"
                           " data {blob} NOT NULL,"
                           " created_at {text} NOT NULL)"),
            QStringLiteral("CREATE INDEX doc_updates_by_room ON doc_updates (room_id, id)"),
        },
        {
            // Canvases: the log is the room's canvas:changed events; this is
            // the merged state through one of them (CanvasOp JSON array).
            QStringLiteral("CREATE TABLE canvas_snapshots ("
                           " room_id {text} NOT NULL PRIMARY KEY REFERENCES rooms ON DELETE CASCADE,"
                           " state {text} NOT NULL,"
                           " through_seq {int} NOT NULL)"),
            QStringLiteral("CREATE INDEX events_by_room_type ON events (room_id, type, seq)"),
        },
    };
    return steps;
}

QList<QStringList> render(const QString &text, const QString &integer, const QString &blob,
                          const QString &serial)
{
    QList<QStringList> rendered;
    for (const QStringList &step : logicalSteps()) {
        QStringList statements;
        for (QString statement : step) {
            statement.replace(QLatin1String("{text}"), text)
                .replace(QLatin1String("{int}"), integer)
                .replace(QLatin1String("{blob}"), blob)
                .replace(QLatin1String("{serial}"), serial);
            statements.append(statement);
        }
        rendered.append(statements);
    }
    return rendered;
}

} // namespace

const QList<QStringList> &storageSchemaSteps(SqlDialect dialect)
{
    // SQLite's rendering is, to the letter, the schema it shipped with.
    static const QList<QStringList> sqlite =
        render(QStringLiteral("TEXT"), QStringLiteral("INTEGER"), QStringLiteral("BLOB"),
               QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT"));
    static const QList<QStringList> postgres =
        render(QStringLiteral("TEXT COLLATE \"C\""), QStringLiteral("BIGINT"), QStringLiteral("BYTEA"),
               QStringLiteral("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"));
    return dialect == SqlDialect::Sqlite ? sqlite : postgres;
}

} // namespace tandem::server
