#pragma once
// What differs between the SQL databases Storage runs on, and the schema they
// share. The logical schema is written once; each dialect renders its types.

#include <QList>
#include <QStringList>

namespace tandem::server {

enum class SqlDialect {
    Sqlite,
    Postgres,
};

/// The storage schema, one entry per version: step i (1-based) takes the
/// schema from version i - 1 to version i. Append-only: a step that has
/// shipped never changes, on either database.
const QList<QStringList> &storageSchemaSteps(SqlDialect dialect);

} // namespace tandem::server
