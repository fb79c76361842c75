#include "server/storage/SqliteStorage.h"

#include "core/sql/Migrations.h"
#include "server/storage/SqlDialect.h"

namespace tandem::server {

SqliteStorage::SqliteStorage(QString databasePath, const Clock &clock)
    : SqlStorage(clock)
    , m_databasePath(std::move(databasePath))
{}

SqliteStorage::~SqliteStorage()
{
    close();
}

const QList<QStringList> &SqliteStorage::schemaSteps()
{
    return storageSchemaSteps(SqlDialect::Sqlite);
}

Result<void> SqliteStorage::openConnection()
{
    if (Result<void> opened = m_database.open(m_databasePath, QStringLiteral("storage")); !opened)
        return opened;
    return sql::applyMigrations(m_database.database(), schemaSteps());
}

void SqliteStorage::closeConnection()
{
    m_database.close();
}

bool SqliteStorage::connectionIsOpen() const
{
    return m_database.isOpen();
}

QSqlDatabase &SqliteStorage::connection()
{
    return m_database.database();
}

QString SqliteStorage::beginSql(Transaction) const
{
    // Take the write lock up front, for reads too: a deferred transaction that
    // reads and then writes can fail with SQLITE_BUSY instead of waiting, and
    // one writer at a time is what keeps seq gap-free on one file.
    return QStringLiteral("BEGIN IMMEDIATE");
}

} // namespace tandem::server
