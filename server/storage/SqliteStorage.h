#pragma once
// Storage on one SQLite file in WAL mode. Every successful call has been
// committed with synchronous=FULL, so an acked message survives power loss.
//
// Threading: see SqlStorage. Give another thread its own SqliteStorage on the
// same file (WAL lets readers and one writer share it, and busy_timeout makes
// writers queue instead of failing).

#include "core/sql/SqliteDatabase.h"
#include "server/storage/SqlStorage.h"

namespace tandem::server {

class SqliteStorage final : public SqlStorage {
public:
    /// `clock` stamps created_at / joined_at; tests pass a ManualClock.
    explicit SqliteStorage(QString databasePath, const Clock &clock = Clock::system());
    ~SqliteStorage() override;

    QString databasePath() const { return m_databasePath; }

    /// The schema, one entry per version (see Migrations.h).
    static const QList<QStringList> &schemaSteps();

protected:
    /// Creates the parent folder and the file if needed, sets the PRAGMAs and
    /// migrates the schema.
    Result<void> openConnection() override;
    /// Checkpoints the WAL into the main file and releases the connection.
    void closeConnection() override;
    bool connectionIsOpen() const override;
    QSqlDatabase &connection() override;
    QString beginSql(Transaction kind) const override;

private:
    QString m_databasePath;
    sql::SqliteDatabase m_database;
};

} // namespace tandem::server
