#pragma once
// One connection with documents open, as the DocumentHost sees it: a Tandem
// session (which frames each message with its room id, in binary or base64)
// or a plain y-websocket connection on /yjs.

#include "core/protocol/ErrorCode.h"

#include <QByteArray>
#include <QString>

namespace tandem::server {

class DocumentPeer {
public:
    virtual ~DocumentPeer() = default;
    /// One complete y-websocket message (sync, awareness, ...) for the document of `roomId`.
    virtual void sendDocumentMessage(const QString &roomId, const QByteArray &message) = 0;
    /// A message of this peer was refused as a whole: nothing of it was applied or relayed.
    virtual void documentMessageRefused(const QString &roomId, const protocol::Error &error) = 0;
};

} // namespace tandem::server
