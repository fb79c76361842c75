#include "server/http/HttpLog.h"

namespace tandem::server::http {
Q_LOGGING_CATEGORY(lcHttp, "tandem.server.http")
} // namespace tandem::server::http
