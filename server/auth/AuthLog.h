#pragma once
// The one logging category of server/auth. Never logs a password, a token or
// a password hash.

#include <QLoggingCategory>

namespace tandem::server {

Q_DECLARE_LOGGING_CATEGORY(lcAuth)

} // namespace tandem::server
