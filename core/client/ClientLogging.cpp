#include "core/client/ClientLogging.h"

namespace tandem::client {
Q_LOGGING_CATEGORY(lcClient, "tandem.client.session")
Q_LOGGING_CATEGORY(lcTransport, "tandem.client.transport")
Q_LOGGING_CATEGORY(lcAuth, "tandem.client.auth")
Q_LOGGING_CATEGORY(lcCredentials, "tandem.client.credentials")
} // namespace tandem::client
