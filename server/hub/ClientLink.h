#pragma once
// What carries one client's protocol messages: a WebSocket, or an HTTP session
// fed by POST /send and read through SSE or polling (server/streaming). The
// ClientConnection above it does everything else (auth, rate limits,
// backpressure, timers) once, whichever transport is underneath.

#include "core/protocol/ErrorCode.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

namespace tandem::server {

class ClientLink : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    /// "websocket", "sse" or "polling": for logs and metrics.
    virtual QString transportName() const = 0;
    virtual QHostAddress peerAddress() const = 0;
    /// Queues one protocol message for the peer; never refuses (the ClientConnection decides).
    virtual void sendText(const QString &text) = 0;
    /// A document frame; only links with supportsBinary() carry them.
    virtual void sendBinary(const QByteArray &bytes) { Q_UNUSED(bytes); }
    virtual bool supportsBinary() const { return false; }
    /// Bytes accepted by sendText() that the peer has not taken yet: what backpressure looks at.
    virtual qint64 bytesToWrite() const = 0;
    /// Hands what it can to the kernel now (a no-op where nothing is buffered in user space).
    virtual void flush() {}
    /// Ends the link with a close code; disconnected() follows, now or once the peer is gone.
    virtual void close(protocol::CloseCode code, const QString &reason) = 0;
    /// After disconnected(): the close code the transport ended with, whichever side sent it;
    /// 0 where the transport has none (the metrics count that as the peer going away).
    virtual quint16 closeCode() const { return 0; }

Q_SIGNALS:
    void textReceived(const QString &text);
    void binaryReceived(const QByteArray &bytes);
    /// The peer showed it is alive without sending a message (a WebSocket pong, a poll).
    void activity();
    /// Some of the backlog was taken by the peer.
    void bytesWritten();
    void disconnected();
};

} // namespace tandem::server
