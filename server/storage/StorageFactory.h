#pragma once
// Which Storage a server runs on, chosen by one setting (--database or
// [storage] database): "sqlite" (the default) for a file in the data folder,
// or a postgresql:// URL for a database that several servers can share.

#include "core/common/Clock.h"
#include "server/storage/SqlStorage.h"

#include <memory>

namespace tandem::server {

/// The value that selects SQLite; an empty setting means the same.
inline constexpr const char *SqliteDatabaseSetting = "sqlite";

/// BadRequest unless `database` is empty, "sqlite" or a well-formed postgresql:// URL.
Result<void> checkDatabaseSetting(const QString &database);

/// The store `database` names, opened and migrated; `dataDir` holds the SQLite
/// file. Internal (with the reason) when it cannot be opened or reached.
Result<std::unique_ptr<SqlStorage>> openStorage(const QString &database, const QString &dataDir,
                                                const Clock &clock = Clock::system());

} // namespace tandem::server
