#include "server/docs/YjsConnection.h"

#include "core/crdt/SyncProtocol.h"
#include "core/protocol/ErrorCode.h"
#include "server/docs/DocumentsLog.h"
#include "server/metrics/ServerMetrics.h"

#include <QUrlQuery>
#include <QWebSocket>

namespace tandem::server {

namespace {
constexpr int CloseHandshakeTimeoutMs = 5000;

/// An awareness update with no entries: y-websocket applies it as a no-op, but it counts as a
/// received message, which is all its 30 s liveness check looks at.
QByteArray emptyAwarenessMessage()
{
    return crdt::websocket::awareness(QByteArray(1, '\0'));
}
} // namespace

YjsConnection::YjsConnection(QWebSocket *socket, const ConnectionLimits &limits,
                             const DocumentSettings &settings, metrics::ServerMetrics &metrics,
                             QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_receivedCount(metrics.messagesReceived[QStringLiteral("yjs")])
    , m_sentCount(metrics.messagesSent[QStringLiteral("yjs")])
{
    m_socket->setParent(this);
    // As on /ws: Qt's defaults would accept 2 GiB messages.
    m_socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(limits.maxMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(limits.maxFrameBytes));
    m_socket->setReadBufferSize(limits.maxFrameBytes + 16);

    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &message) {
        ++m_receivedCount;
        Q_EMIT messageReceived(this, message);
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &) {
        close(protocol::CloseUnsupportedData, QStringLiteral("y-websocket sends binary frames only"));
    });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_pongSinceLastPing = true; });
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeHandshake = true; });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        m_pingTimer.stop();
        m_keepaliveTimer.stop();
        Q_EMIT disconnected(this);
    });

    connect(&m_pingTimer, &QTimer::timeout, this, &YjsConnection::pingOrDrop);
    m_pingTimer.start(settings.pingIntervalMs);
    m_keepaliveTimer.setSingleShot(true);
    m_keepaliveTimer.setInterval(settings.keepaliveIntervalMs);
    connect(&m_keepaliveTimer, &QTimer::timeout, this, [this] { send(emptyAwarenessMessage()); });
    m_keepaliveTimer.start();
}

YjsConnection::~YjsConnection() = default;

QString YjsConnection::token() const
{
    return QUrlQuery(m_socket->requestUrl()).queryItemValue(QStringLiteral("token"));
}

void YjsConnection::admit(const QString &userId, const QByteArray &tokenHash, const QString &roomId)
{
    m_userId = userId;
    m_tokenHash = tokenHash;
    m_roomId = roomId;
}

void YjsConnection::refuse(const QString &reason)
{
    send(crdt::websocket::permissionDenied(reason));
    close(ClosePermissionDenied, reason);
}

quint16 YjsConnection::closeCode() const
{
    // As WebSocketLink::closeCode(): Qt says 1000 even when no close frame came; that is 1006.
    return m_closeHandshake ? static_cast<quint16>(m_socket->closeCode())
                            : static_cast<quint16>(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
}

void YjsConnection::close(quint16 code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_pingTimer.stop();
    m_keepaliveTimer.stop();
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    // A peer that never answers the closing handshake must not hold its socket forever.
    QTimer::singleShot(CloseHandshakeTimeoutMs, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

void YjsConnection::sendDocumentMessage(const QString &, const QByteArray &message)
{
    send(message);
}

void YjsConnection::documentMessageRefused(const QString &roomId, const protocol::Error &error)
{
    qCInfo(lcDocuments) << "refused a /yjs message for" << roomId << ":" << error.message;
    // y-websocket has no error message; its auth message is the one it shows (console.warn).
    send(crdt::websocket::permissionDenied(error.message));
}

void YjsConnection::send(const QByteArray &message)
{
    if (m_closing)
        return;
    if (m_socket->bytesToWrite() > m_limits.outgoingHardLimitBytes) {
        m_socket->flush();
        if (m_socket->bytesToWrite() > m_limits.outgoingHardLimitBytes) {
            // y-websocket reconnects and resyncs by state vector: nothing is lost.
            qCWarning(lcDocuments) << "closing a /yjs client of" << m_roomId << ": too slow";
            close(protocol::CloseGoingAway, QStringLiteral("too slow"));
            return;
        }
    }
    m_socket->sendBinaryMessage(message);
    ++m_sentCount;
    m_keepaliveTimer.start();
}

void YjsConnection::pingOrDrop()
{
    if (!m_pongSinceLastPing) {
        qCInfo(lcDocuments) << "closing a /yjs client of" << m_roomId << ": no pong";
        close(protocol::CloseHeartbeatTimeout, QStringLiteral("no pong"));
        return;
    }
    m_pongSinceLastPing = false;
    m_socket->ping();
}

} // namespace tandem::server
