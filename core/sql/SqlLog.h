#pragma once
// The logging category of core/sql: why a database could not be opened or
// migrated. It carries driver messages, never stored values.

#include <QLoggingCategory>

namespace tandem::sql {

Q_DECLARE_LOGGING_CATEGORY(lcSql)

} // namespace tandem::sql
