#pragma once
// Opening a SQLite file the way every Tandem store wants it: its folder
// created, WAL journal (readers never block the writer), synchronous=FULL
// (a commit that returned survives power loss), foreign keys on, and a busy
// timeout so that two writers queue instead of failing. The server's store
// and the desktop's local store both open their files through here.

#include "core/protocol/ErrorCode.h"

#include <QSqlDatabase>
#include <QString>

namespace tandem::sql {

using protocol::Result;

/// A Qt SQL connection with a unique name, removed from Qt's registry when
/// the handle is destroyed. One handle belongs to the thread that opened it.
class SqliteDatabase {
public:
    SqliteDatabase() = default;
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    /// Opens (creating if needed) `path`; `purpose` names the connection in
    /// logs and error messages ("storage", "local store").
    Result<void> open(const QString &path, const QString &purpose);
    /// Checkpoints the WAL into the main file and releases the connection.
    /// Every QSqlQuery on it must be gone first. Safe to call twice.
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase &database() { return m_db; }

private:
    QString m_connectionName;
    QString m_purpose;
    QSqlDatabase m_db;
};

} // namespace tandem::sql
