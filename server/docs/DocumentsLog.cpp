#include "server/docs/DocumentsLog.h"

Q_LOGGING_CATEGORY(lcDocuments, "tandem.server.docs")
