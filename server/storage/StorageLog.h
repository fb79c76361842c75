#pragma once
// The one logging category of server/storage. Operators read it to learn why
// the database refused something; it carries driver messages, never values
// (no tokens, hashes or message payloads).

#include <QLoggingCategory>

namespace tandem::server {

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

} // namespace tandem::server
