#pragma once
// The client engine's logging categories. Never log tokens.

#include <QLoggingCategory>

namespace tandem::client {
Q_DECLARE_LOGGING_CATEGORY(lcClient)
Q_DECLARE_LOGGING_CATEGORY(lcTransport)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcCredentials)
} // namespace tandem::client
