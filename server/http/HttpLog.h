#pragma once
// The HTTP layer's one logging category. Never log Authorization headers,
// query strings or bodies: they carry tokens and passwords.

#include <QLoggingCategory>

namespace tandem::server::http {
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
} // namespace tandem::server::http
