#include "server/storage/StorageLog.h"

namespace tandem::server {

Q_LOGGING_CATEGORY(lcStorage, "tandem.server.storage")

} // namespace tandem::server
