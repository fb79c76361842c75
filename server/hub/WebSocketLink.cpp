#include "server/hub/WebSocketLink.h"

#include <QTimer>
#include <QWebSocket>

namespace tandem::server {

namespace {
constexpr int CloseHandshakeTimeoutMs = 5000;
}

WebSocketLink::WebSocketLink(QWebSocket *socket, const ConnectionLimits &limits, QObject *parent)
    : ClientLink(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    // Qt's defaults accept messages of about 2 GiB; a peer gets exactly what the config allows.
    m_socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(limits.maxMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(limits.maxFrameBytes));
    // Qt 6.4 reads a frame's payload only once all of it is in the read buffer, so the buffer must
    // hold the largest frame allowed (plus its 14-byte header) or such a frame stalls forever.
    m_socket->setReadBufferSize(limits.maxFrameBytes + 16);

    connect(m_socket, &QWebSocket::textMessageReceived, this, &ClientLink::textReceived);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ClientLink::binaryReceived);
    connect(m_socket, &QWebSocket::pong, this, &ClientLink::activity);
    connect(m_socket, &QWebSocket::bytesWritten, this, &ClientLink::bytesWritten);
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeHandshake = true; });
    connect(m_socket, &QWebSocket::disconnected, this, &ClientLink::disconnected);
}

QHostAddress WebSocketLink::peerAddress() const
{
    return m_socket->peerAddress();
}

void WebSocketLink::sendText(const QString &text)
{
    m_socket->sendTextMessage(text);
}

void WebSocketLink::sendBinary(const QByteArray &bytes)
{
    m_socket->sendBinaryMessage(bytes);
}

qint64 WebSocketLink::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void WebSocketLink::flush()
{
    m_socket->flush();
}

quint16 WebSocketLink::closeCode() const
{
    // Ours after close(), the peer's after its close frame, or Qt's own (1009 for a message over
    // the size limit, 1002 for a malformed frame). Without any close frame Qt still says 1000:
    // a peer that vanished is 1006, as RFC 6455 names it, not a normal close.
    return m_closeHandshake ? static_cast<quint16>(m_socket->closeCode())
                            : static_cast<quint16>(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
}

void WebSocketLink::close(protocol::CloseCode code, const QString &reason)
{
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    // A peer that never answers the closing handshake must not hold its socket forever.
    QTimer::singleShot(CloseHandshakeTimeoutMs, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

} // namespace tandem::server
