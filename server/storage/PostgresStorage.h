#pragma once
// Storage on a PostgreSQL database through Qt's QPSQL driver, for several
// tandem-server instances sharing one store. The contract is SqlStorage's,
// statement for statement; what PostgreSQL adds is that other servers write
// at the same time:
// - an append locks its rooms' rows (SELECT last_seq ... FOR UPDATE) before it
//   reads anything, so the seqs of one room are handed out one writer at a time,
//   without gaps, and a cid check sees every event committed before it;
// - the (room_id, seq) primary key and the (user_id, cid) unique index are the
//   backstop: a writer that loses a race there (or a deadlock, or a
//   serialization failure) runs its whole transaction again and then sees the
//   winner's rows, so the same cid from two servers is stored once.
//
// Every call is a complete transaction on the server, committed before it
// returns. A lost connection is not re-established: calls fail with Internal.

#include "server/storage/SqlStorage.h"

namespace tandem::server {

/// Where a PostgreSQL database is, from postgresql://user:password@host:port/database?option=value.
struct PostgresLocation {
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    /// libpq connection options from the URL's query (sslmode=require, ...), "key=value;key=value".
    QString options;

    /// BadRequest for anything but a postgresql:// (or postgres://) URL naming a host and a database.
    static Result<PostgresLocation> fromUrl(const QString &url);
    /// host:port/database as user: for messages and logs, never with the password.
    QString describe() const;
};

class PostgresStorage final : public SqlStorage {
public:
    /// `clock` stamps created_at / joined_at; tests pass a ManualClock.
    explicit PostgresStorage(PostgresLocation location, const Clock &clock = Clock::system());
    ~PostgresStorage() override;

    /// The schema, one entry per version, recorded in schema_migrations.
    static const QList<QStringList> &schemaSteps();

protected:
    /// Connects (Internal, naming the server, when it cannot) and migrates the schema.
    Result<void> openConnection() override;
    void closeConnection() override;
    bool connectionIsOpen() const override;
    QSqlDatabase &connection() override;
    QString beginSql(Transaction kind) const override;
    const char *dialectSql(Statement which) const override;
    bool isTransient(const QSqlError &error) const override;

private:
    Result<void> migrate();

    PostgresLocation m_location;
    QString m_connectionName;
    QSqlDatabase m_database;
};

} // namespace tandem::server
