#include "core/client/ClientLogging.h"

namespace tandem::client {
Q_LOGGING_CATEGORY(lcClient, "tandem.client.session")
Q_LOGGING_CATEGORY(lcTransport, "tandem.client.transport")
} // namespace tandem::client
