#pragma once
// Schema migrations keyed on SQLite's PRAGMA user_version: step i (1-based)
// takes the schema from version i - 1 to version i. Steps are append-only: a
// released step never changes; a schema change is a new step at the end.

#include "core/protocol/ErrorCode.h"

#include <QList>
#include <QStringList>

class QSqlDatabase;

namespace tandem::sql {

using protocol::Result;

/// The database's PRAGMA user_version.
Result<int> schemaVersion(QSqlDatabase &db);

/// Runs the steps the database has not seen yet. Each step's statements and
/// its user_version bump share one transaction, so a failing step leaves the
/// database exactly as it was. A database whose version is newer than
/// steps.size() was written by a newer program and is refused untouched.
Result<void> applyMigrations(QSqlDatabase &db, const QList<QStringList> &steps);

} // namespace tandem::sql
