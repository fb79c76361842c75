#include "server/http/HttpConnection.h"

#include "server/http/HttpLog.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace tandem::server::http {
namespace {

using protocol::ErrorCode;

constexpr qint64 BodyChunkBytes = 64 * 1024;
// A client that pipelines requests without reading the answers must not grow our write buffer
// without bound: the next request waits until the previous answers drained below this.
constexpr qint64 MaxQueuedResponseBytes = 256 * 1024;
// After the last answer, how long a client may take to read it and close its side.
constexpr int ClosingGraceMs = 5000;
// The same for a connection refused at the cap: refusals must stay cheap under a flood.
constexpr int RefusalGraceMs = 1000;

/// Whether a comma-separated header value lists token (case-insensitive), e.g. "keep-alive, Upgrade".
bool listsToken(const QByteArray &headerValue, QByteArrayView token)
{
    for (const QByteArray &part : headerValue.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

/// "::ffff:192.0.2.1" as "192.0.2.1", so a dual-stack listener reports one address per client
/// (rate limits key on it).
QHostAddress withoutIPv4Mapping(const QHostAddress &address)
{
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    return isIPv4 ? QHostAddress(ipv4) : address;
}

bool isWebSocketUpgrade(const HttpRequest &request)
{
    return request.method == "GET" && listsToken(request.header("Upgrade"), "websocket");
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpLimits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_parser(limits.maxBodyBytes)
    , m_peer(withoutIPv4Mapping(socket->peerAddress()))
{
    socket->setParent(this);
    // Bounded, so a client cannot park unlimited bytes with us while a handler runs (TCP pushes back
    // instead); at least one whole head, so "head too large" is told apart from "not there yet".
    socket->setReadBufferSize(qMax<qint64>(m_limits.maxHeaderBytes, BodyChunkBytes));
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &HttpConnection::onDeadline);
    connect(socket, &QIODevice::readyRead, this, &HttpConnection::processIncoming);
    // Resumes a pipelined request that waited for earlier answers to drain.
    connect(socket, &QIODevice::bytesWritten, this, &HttpConnection::processIncoming);
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        connect(tls, &QSslSocket::encryptedBytesWritten, this, &HttpConnection::processIncoming);
    connect(socket, &QAbstractSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        qCDebug(lcHttp) << "socket error from" << m_peer.toString() << error;
        if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::setRequestHandler(RequestHandler handler)
{
    m_handler = std::move(handler);
}

void HttpConnection::setWebSocketPath(const QString &path)
{
    m_webSocketPath = path;
}

void HttpConnection::setWebSocketPrefixes(const QStringList &prefixes)
{
    m_webSocketPrefixes = prefixes;
}

void HttpConnection::start()
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        onDisconnected();
        return;
    }
    // A fresh connection must deliver its first head in time, like any other.
    startDeadline(Deadline::Head, m_limits.headerTimeoutMs);
    // Bytes may be buffered already (a TLS socket decrypts before it is handed to us).
    scheduleProcessing();
}

void HttpConnection::refuse(const HttpResponse &response)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        onDisconnected();
        return;
    }
    m_socket->write(response.serialize(false));
    Q_EMIT requestServed(response.status);
    closeGracefully(RefusalGraceMs);
}

void HttpConnection::shutdown()
{
    switch (m_phase) {
    case Phase::AwaitingHead:
    case Phase::ReadingBody:
        closeGracefully(ClosingGraceMs);
        break;
    case Phase::AwaitingResponse:
        m_shutdownRequested = true;
        startDeadline(Deadline::Closing, m_limits.headerTimeoutMs);
        break;
    case Phase::Closing:
    case Phase::Gone:
        break;
    }
}

void HttpConnection::scheduleProcessing()
{
    if (m_processingScheduled)
        return;
    m_processingScheduled = true;
    // Queued: never re-enter the parser from inside a handler's send().
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processingScheduled = false;
            processIncoming();
        },
        Qt::QueuedConnection);
}

void HttpConnection::processIncoming()
{
    while (m_socket) {
        bool progressed = false;
        switch (m_phase) {
        case Phase::AwaitingHead:
            progressed = processHead();
            break;
        case Phase::ReadingBody:
            progressed = processBody();
            break;
        case Phase::Closing:
            // Answered and closing: whatever else the client sends is discarded.
            m_socket->skip(m_socket->bytesAvailable());
            halfCloseWhenFlushed();
            return;
        case Phase::AwaitingResponse: // the next pipelined request waits in the socket
        case Phase::Gone:
            return;
        }
        if (!progressed)
            return;
    }
}

bool HttpConnection::processHead()
{
    if (m_socket->bytesToWrite() > MaxQueuedResponseBytes)
        return false;
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return false;
    if (m_deadlineKind == Deadline::Idle)
        startDeadline(Deadline::Head, m_limits.headerTimeoutMs);

    // Peek, never read: if this is a WebSocket handshake, QWebSocketServer must find it unread.
    const QByteArray window = m_socket->peek(qMin<qint64>(available, m_limits.maxHeaderBytes));
    const qsizetype end = window.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_parser.rejectsPartialHead(window))
            fail(400, ErrorCode::BadRequest, QStringLiteral("malformed request head"));
        else if (available >= m_limits.maxHeaderBytes)
            failOverLimit(QStringLiteral("header_size"), 431, ErrorCode::TooLarge,
                          QStringLiteral("the request head exceeds %1 bytes").arg(m_limits.maxHeaderBytes));
        return false;
    }

    const qint64 consumed = m_parser.feed(QByteArrayView(window).first(end + 4));
    if (m_parser.failed()) {
        fail(400, ErrorCode::BadRequest, m_parser.errorString());
        return false;
    }
    if (!m_parser.headComplete()) {
        // Only empty lines before a request line get here (RFC 9112 §2.2 says to ignore them).
        if (consumed <= 0) {
            fail(400, ErrorCode::BadRequest, QStringLiteral("malformed request head"));
            return false;
        }
        m_socket->skip(consumed);
        return true;
    }

    const HttpRequest &request = m_parser.request();
    m_method = request.method;
    m_path = request.path;
    if (isWebSocketUpgrade(request)) {
        const bool underPrefix =
            std::any_of(m_webSocketPrefixes.cbegin(), m_webSocketPrefixes.cend(), [&](const QString &prefix) {
                return request.path.size() > prefix.size() && request.path.startsWith(prefix);
            });
        if ((!m_webSocketPath.isEmpty() && request.path == m_webSocketPath) || underPrefix) {
            m_socket->setProperty(RawPathProperty, request.encodedPath);
            handOver();
        } else {
            fail(404, ErrorCode::NotFound, QStringLiteral("no WebSocket endpoint at this path"));
        }
        return false;
    }

    m_socket->skip(consumed);
    if (m_parser.bodyTooLarge()) {
        // Answered from the Content-Length alone: the body is never read.
        failOverLimit(QStringLiteral("body_size"), 413, ErrorCode::TooLarge,
                      QStringLiteral("the body exceeds %1 bytes").arg(m_limits.maxBodyBytes));
        return false;
    }
    m_phase = Phase::ReadingBody;
    if (m_parser.expectsBody()) {
        startDeadline(Deadline::Body, m_limits.bodyTimeoutMs);
        if (request.httpMinorVersion >= 1 && listsToken(request.header("Expect"), "100-continue"))
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    return true;
}

bool HttpConnection::processBody()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return false;
    const QByteArray data = m_socket->peek(qMin(available, BodyChunkBytes));
    // The parser stops at the end of the message; the rest is the next pipelined request.
    const qint64 consumed = m_parser.feed(data);
    m_socket->skip(consumed);
    if (m_parser.bodyTooLarge()) {
        failOverLimit(QStringLiteral("body_size"), 413, ErrorCode::TooLarge,
                      QStringLiteral("the body exceeds %1 bytes").arg(m_limits.maxBodyBytes));
        return false;
    }
    if (m_parser.failed()) {
        fail(400, ErrorCode::BadRequest, m_parser.errorString());
        return false;
    }
    if (m_parser.messageComplete()) {
        dispatch();
        return false;
    }
    return consumed > 0;
}

void HttpConnection::dispatch()
{
    m_deadline.stop();
    m_deadlineKind = Deadline::None;
    m_phase = Phase::AwaitingResponse;
    m_keepAlive = m_parser.keepAlive();
    HttpRequest request = m_parser.takeRequest();
    request.peer = m_peer;
    const quint64 requestId = ++m_requestId;
    if (m_handler)
        m_handler(request, HttpResponder(this, requestId));
    else
        respond(requestId, HttpResponse::error(ErrorCode::NotFound, QStringLiteral("no handler")));
}

void HttpConnection::respond(quint64 requestId, const HttpResponse &response)
{
    if (m_phase != Phase::AwaitingResponse || requestId != m_requestId || !m_socket)
        return;
    writeResponse(response, m_keepAlive && !m_shutdownRequested);
}

void HttpConnection::writeResponse(const HttpResponse &response, bool keepAlive)
{
    m_socket->write(response.serialize(keepAlive, m_method != "HEAD"));
    qCDebug(lcHttp).noquote() << m_peer.toString() << m_method << m_path << response.status;
    Q_EMIT requestServed(response.status);
    if (!keepAlive) {
        closeGracefully(ClosingGraceMs);
        return;
    }
    m_parser.reset();
    m_method.clear();
    m_path.clear();
    m_phase = Phase::AwaitingHead;
    startDeadline(Deadline::Idle, m_limits.idleTimeoutMs);
    scheduleProcessing(); // a pipelined request may be buffered already
}

void HttpConnection::failOverLimit(const QString &limit, int status, ErrorCode code, const QString &message)
{
    Q_EMIT limitExceeded(limit);
    fail(status, code, message);
}

void HttpConnection::fail(int status, ErrorCode code, const QString &message)
{
    qCDebug(lcHttp).noquote() << "rejecting request from" << m_peer.toString() << "with" << status << message;
    m_deadline.stop();
    m_deadlineKind = Deadline::None;
    writeResponse(HttpResponse::error(status, code, message), false);
}

void HttpConnection::closeGracefully(int graceMs)
{
    if (!m_socket || m_phase == Phase::Closing || m_phase == Phase::Gone)
        return;
    m_phase = Phase::Closing;
    startDeadline(Deadline::Closing, graceMs);
    m_socket->skip(m_socket->bytesAvailable());
    halfCloseWhenFlushed();
}

void HttpConnection::halfCloseWhenFlushed()
{
    if (m_phase != Phase::Closing || m_halfClosed || !m_socket)
        return;
    if (m_socket->bytesToWrite() > 0)
        return; // again on bytesWritten()
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket.data())) {
        if (tls->encryptedBytesToWrite() > 0) {
            m_tlsSettled = false;
            return; // again on encryptedBytesWritten()
        }
        // QSslSocket emits bytesWritten() before it moves the ciphertext from OpenSSL into the TCP
        // socket, so "nothing encrypted pending" is only true once that call chain has finished.
        if (!m_tlsSettled) {
            m_tlsSettled = true;
            QMetaObject::invokeMethod(this, &HttpConnection::halfCloseWhenFlushed, Qt::QueuedConnection);
            return;
        }
    }
    m_halfClosed = true;
#ifdef Q_OS_UNIX
    // Close in stages (RFC 9112 §9.6). Closing outright while the client still sends (the body of a
    // refused request, a pipelined request) makes the kernel answer with RST, and a client that fails
    // its write then never reads our answer (Qt's QTcpSocket aborts on a write error). A FIN after the
    // answer, while we keep reading and discarding, lets the answer land; the client closes on the FIN,
    // or the deadline aborts. Qt has no half-close, so it goes to the descriptor.
    if (const qintptr descriptor = m_socket->socketDescriptor(); descriptor != -1) {
        if (::shutdown(static_cast<int>(descriptor), SHUT_WR) == 0)
            return;
    }
#endif
    m_socket->disconnectFromHost();
}

QTcpSocket *HttpConnection::startStream(quint64 requestId, const HttpResponse &head)
{
    if (m_phase != Phase::AwaitingResponse || requestId != m_requestId || !m_socket)
        return nullptr;
    m_socket->write(head.serializeStreamHead());
    qCDebug(lcHttp).noquote() << m_peer.toString() << m_method << m_path << head.status << "(stream)";
    Q_EMIT requestServed(head.status);
    QTcpSocket *socket = release();
    // Whatever the client sends now is not read by anyone: a stream is one-way.
    socket->setReadBufferSize(64 * 1024);
    return socket;
}

QTcpSocket *HttpConnection::release()
{
    m_deadline.stop();
    m_deadlineKind = Deadline::None;
    m_phase = Phase::Gone;
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->setParent(nullptr);
    deleteLater();
    return socket;
}

void HttpConnection::handOver()
{
    QTcpSocket *socket = release();
    // Back to Qt's unbounded default: Qt 6.4's QWebSocketFrame waits for a whole frame payload in the
    // read buffer, so our bound would stall every frame larger than it. The WebSocket layer sets its own
    // (QWebSocket::setReadBufferSize), which must be at least its maximum frame size.
    socket->setReadBufferSize(0);
    qCDebug(lcHttp).noquote() << "handing" << m_peer.toString() << "over to the WebSocket server";
    Q_EMIT webSocketUpgradeRequested(socket);
}

void HttpConnection::startDeadline(Deadline deadline, int ms)
{
    m_deadlineKind = deadline;
    m_deadline.start(ms);
}

void HttpConnection::onDeadline()
{
    switch (std::exchange(m_deadlineKind, Deadline::None)) {
    case Deadline::Idle:
        closeGracefully(ClosingGraceMs);
        break;
    case Deadline::Head:
        // Part of a head and no more in time: slowloris. Nothing at all: just an unused connection.
        if (m_socket && m_phase == Phase::AwaitingHead && m_socket->bytesAvailable() > 0)
            failOverLimit(QStringLiteral("header_timeout"), 408, ErrorCode::BadRequest,
                          QStringLiteral("the request head did not arrive in time"));
        else
            closeGracefully(ClosingGraceMs);
        break;
    case Deadline::Body:
        failOverLimit(QStringLiteral("body_timeout"), 408, ErrorCode::BadRequest,
                      QStringLiteral("the request body did not arrive in time"));
        break;
    case Deadline::Closing:
        if (m_socket)
            m_socket->abort();
        onDisconnected(); // abort() on a socket that is already unconnected emits nothing
        break;
    case Deadline::None:
        break;
    }
}

void HttpConnection::onDisconnected()
{
    if (m_phase == Phase::Gone)
        return;
    m_phase = Phase::Gone;
    m_deadline.stop();
    m_deadlineKind = Deadline::None;
    deleteLater();
}

} // namespace tandem::server::http
