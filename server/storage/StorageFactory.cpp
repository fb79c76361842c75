#include "server/storage/StorageFactory.h"

#include "server/storage/PostgresStorage.h"
#include "server/storage/SqliteStorage.h"

#include <QDir>

namespace tandem::server {

namespace {

bool selectsSqlite(const QString &database)
{
    return database.isEmpty() || database == QLatin1String(SqliteDatabaseSetting);
}

} // namespace

Result<void> checkDatabaseSetting(const QString &database)
{
    if (selectsSqlite(database))
        return {};
    const Result<PostgresLocation> location = PostgresLocation::fromUrl(database);
    if (!location)
        return unexpected(location.error());
    return {};
}

Result<std::unique_ptr<SqlStorage>> openStorage(const QString &database, const QString &dataDir,
                                                const Clock &clock)
{
    std::unique_ptr<SqlStorage> storage;
    if (selectsSqlite(database)) {
        storage = std::make_unique<SqliteStorage>(QDir(dataDir).filePath(QStringLiteral("tandem.db")), clock);
    } else {
        Result<PostgresLocation> location = PostgresLocation::fromUrl(database);
        if (!location)
            return unexpected(location.error());
        storage = std::make_unique<PostgresStorage>(std::move(*location), clock);
    }
    if (Result<void> opened = storage->open(); !opened)
        return unexpected(opened.error());
    return storage;
}

} // namespace tandem::server
