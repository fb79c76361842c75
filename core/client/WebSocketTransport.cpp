#include "core/client/WebSocketTransport.h"

#include "core/client/ClientLogging.h"

#include <QWebSocket>

namespace tandem::client {

namespace {
/// RFC 6455: "closed abnormally, without a close frame". Never sent on the wire.
constexpr int CloseAbnormal = 1006;

void deleteSocketLater(QWebSocket *socket)
{
    if (socket)
        socket->deleteLater();
}
} // namespace

WebSocketTransport::WebSocketTransport(TimerSource &timers, qint64 connectTimeoutMs, QObject *parent)
    : Transport(parent)
    , m_timers(timers)
    , m_connectTimeoutMs(connectTimeoutMs)
    , m_socket(nullptr, &deleteSocketLater)
{}

WebSocketTransport::~WebSocketTransport()
{
    if (m_connectTimer != 0)
        m_timers.cancel(m_connectTimer);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void WebSocketTransport::open(const QUrl &url)
{
    discardSocket();
    m_socket.reset(new QWebSocket);
    QWebSocket *socket = m_socket.get();
    connect(socket, &QWebSocket::connected, this, &WebSocketTransport::onConnected);
    connect(socket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
    // Qt 6.4's signal is error(SocketError), overloaded with the error() getter.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &WebSocketTransport::onError);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { Q_EMIT messageReceived(text.toUtf8()); });
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &data) { Q_EMIT binaryMessageReceived(data); });
    // The URL may carry ?token=; log the endpoint only.
    qCDebug(lcTransport) << "opening" << url.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    m_connectTimer = m_timers.start(m_connectTimeoutMs, [this] { onConnectTimeout(); });
    socket->open(url);
}

void WebSocketTransport::close(quint16 code, const QString &reason)
{
    if (!m_socket)
        return;
    // QWebSocket::close() writes the close frame and closes the TCP socket
    // without waiting for the server's answer (disconnected is emitted before it
    // returns, checked on 6.4.2), so a dead peer cannot keep the socket alive.
    if (m_open)
        m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    finish(code, reason);
}

void WebSocketTransport::send(const QByteArray &json)
{
    if (m_open)
        m_socket->sendTextMessage(QString::fromUtf8(json));
}

void WebSocketTransport::sendBinary(const QByteArray &data)
{
    if (m_open)
        m_socket->sendBinaryMessage(data);
}

void WebSocketTransport::onConnected()
{
    if (m_connectTimer != 0)
        m_timers.cancel(m_connectTimer);
    m_connectTimer = 0;
    m_open = true;
    Q_EMIT opened();
}

void WebSocketTransport::onError(QAbstractSocket::SocketError error)
{
    qCDebug(lcTransport) << "socket error:" << error << m_socket->errorString();
    // Before the handshake completed, any error ends this attempt. Qt 6.4.2
    // reports a non-101 answer here but never emits disconnected: finish now
    // rather than wait for the connect timeout.
    if (!m_open)
        finish(CloseAbnormal, m_socket->errorString());
}

void WebSocketTransport::onDisconnected()
{
    // QWebSocket reports 1000 from closeCode() when no close frame arrived
    // (refused, reset, killed server: checked on 6.4.2); only a peer's close
    // frame sets it. A socket error without a close reason means the
    // connection died, which must be retried, not taken as a normal close.
    // (The error signal may come after disconnected, so ask the socket.)
    int code = m_socket->closeCode();
    QString reason = m_socket->closeReason();
    const bool failed = m_socket->error() != QAbstractSocket::UnknownSocketError;
    qCDebug(lcTransport) << "disconnected: close code" << code << reason << "error" << m_socket->error()
                         << "was open" << m_open;
    if (!m_open || (code == QWebSocketProtocol::CloseCodeNormal && reason.isEmpty() && failed)) {
        code = CloseAbnormal;
        reason = failed ? m_socket->errorString() : QStringLiteral("connection lost");
    }
    finish(code, reason);
}

void WebSocketTransport::onConnectTimeout()
{
    m_connectTimer = 0;
    qCInfo(lcTransport) << "connect timeout after" << m_connectTimeoutMs << "ms";
    finish(CloseAbnormal, QStringLiteral("connect timeout"));
}

void WebSocketTransport::finish(int code, const QString &reason)
{
    if (!m_socket)
        return;
    discardSocket();
    Q_EMIT closed(code, reason);
}

void WebSocketTransport::discardSocket()
{
    if (m_connectTimer != 0)
        m_timers.cancel(m_connectTimer);
    m_connectTimer = 0;
    m_open = false;
    if (!m_socket)
        return;
    m_socket->disconnect(this); // first: abort() may emit disconnected synchronously
    m_socket->abort();
    m_socket.reset(); // deleteLater: we may be inside one of its signals
}

} // namespace tandem::client
