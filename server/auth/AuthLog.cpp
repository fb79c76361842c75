#include "server/auth/AuthLog.h"

namespace tandem::server {

Q_LOGGING_CATEGORY(lcAuth, "tandem.server.auth")

} // namespace tandem::server
