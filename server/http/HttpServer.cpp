#include "server/http/HttpServer.h"

#include "server/http/DirectWriteTcpServer.h"
#include "server/http/HttpConnection.h"
#include "server/http/HttpLog.h"

#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocketServer>

namespace tandem::server::http {
namespace {

using protocol::ErrorCode;

// After an accept error (EMFILE: out of file descriptors), how long until accepting again.
constexpr int AcceptRetryMs = 500;

} // namespace

HttpServer::HttpServer(HttpLimits limits, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_newConnections(clock, limits.newConnectionsPerSecondPerAddress, limits.newConnectionBurstPerAddress)
{}

HttpServer::~HttpServer() = default;

void HttpServer::setTlsConfiguration(const QSslConfiguration &configuration)
{
    if (isListening())
        qCWarning(lcHttp) << "TLS configuration set while listening: it applies from the next listen()";
    m_tls = configuration;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (isListening()) {
        m_errorString = QStringLiteral("already listening");
        return false;
    }
    delete m_tcpServer;
    if (m_tls) {
        auto *sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(*m_tls);
        sslServer->setHandshakeTimeout(m_limits.headerTimeoutMs);
        // QSslServer counts sockets still in their TLS handshake as pending and stops accepting
        // while there are this many: the same cap bounds them.
        sslServer->setMaxPendingConnections(m_limits.maxConnections);
        connect(sslServer, &QSslServer::errorOccurred, this,
                [](QSslSocket *socket, QAbstractSocket::SocketError error) {
                    qCDebug(lcHttp) << "TLS handshake with" << socket->peerAddress().toString()
                                    << "failed:" << error;
                });
        // Queued, as QWebSocketServer does: QSslServer announces a socket from inside its encrypted().
        connect(sslServer, &QTcpServer::pendingConnectionAvailable, this,
                &HttpServer::acceptPendingConnections, Qt::QueuedConnection);
        m_tcpServer = sslServer;
    } else {
        m_tcpServer = new DirectWriteTcpServer(m_limits.writeBatchBytes, this);
        connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this,
                &HttpServer::acceptPendingConnections);
    }
    // QTcpServer pauses accepting for good on any accept error but EAGAIN, EMFILE (out of file
    // descriptors) included: the server would never take a connection again. Retry after a breath.
    connect(m_tcpServer, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qCWarning(lcHttp) << "accepting a connection failed:" << error << m_tcpServer->errorString()
                          << "; accepting again in" << AcceptRetryMs << "ms";
        QTimer::singleShot(AcceptRetryMs, m_tcpServer, [server = m_tcpServer] {
            if (server->isListening())
                server->resumeAccepting();
        });
    });
    if (!m_tcpServer->listen(address, port)) {
        m_errorString = m_tcpServer->errorString();
        qCWarning(lcHttp).noquote() << "cannot listen on" << address.toString() << port << ":"
                                    << m_errorString;
        return false;
    }
    m_errorString.clear();
    qCInfo(lcHttp).noquote() << "listening on" << m_tcpServer->serverAddress().toString()
                             << m_tcpServer->serverPort() << (m_tls ? "with TLS" : "without TLS");
    return true;
}

bool HttpServer::isListening() const
{
    return m_tcpServer && m_tcpServer->isListening();
}

QString HttpServer::errorString() const
{
    return m_errorString;
}

quint16 HttpServer::serverPort() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

QHostAddress HttpServer::serverAddress() const
{
    return m_tcpServer ? m_tcpServer->serverAddress() : QHostAddress();
}

void HttpServer::route(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_router.add(method, pattern, std::move(handler));
}

void HttpServer::setWebSocketServer(QWebSocketServer *server, const QString &path)
{
    m_webSocketServer = server;
    m_webSocketPath = path;
}

void HttpServer::addWebSocketPrefix(const QString &prefix)
{
    m_webSocketPrefixes.append(prefix);
}

void HttpServer::close()
{
    if (m_tcpServer)
        m_tcpServer->close();
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *connection : connections)
        connection->shutdown();
}

void HttpServer::acceptPendingConnections()
{
    while (m_tcpServer && m_tcpServer->hasPendingConnections()) {
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        if (!socket)
            break;
        if (m_connectionCount >= m_limits.maxConnections) {
            refuseOverCapacity(socket);
            continue;
        }
        if (!m_newConnections.of(socket->peerAddress().toString()).tryPour()) {
            Q_EMIT limitExceeded(QStringLiteral("new_connections_per_address"));
            qCDebug(lcHttp).noquote() << "too many new connections from" << socket->peerAddress().toString();
            refuse(socket, HttpResponse::error(429, ErrorCode::RateLimited,
                                               QStringLiteral("too many new connections from your address; "
                                                              "retry later")));
            continue;
        }
        track(socket);
        auto *connection = new HttpConnection(socket, m_limits, this);
        connection->setRequestHandler([this](const HttpRequest &request, HttpResponder responder) {
            dispatch(request, std::move(responder));
        });
        if (m_webSocketServer) {
            connection->setWebSocketPath(m_webSocketPath);
            connection->setWebSocketPrefixes(m_webSocketPrefixes);
        }
        connect(connection, &HttpConnection::requestServed, this, &HttpServer::requestServed);
        connect(connection, &HttpConnection::limitExceeded, this, &HttpServer::limitExceeded);
        connect(connection, &HttpConnection::webSocketUpgradeRequested, this,
                &HttpServer::handOverToWebSocketServer);
        connection->start();
    }
}

void HttpServer::refuseOverCapacity(QTcpSocket *socket)
{
    Q_EMIT limitExceeded(QStringLiteral("connection_cap"));
    qCDebug(lcHttp).noquote() << "at the connection cap of" << m_limits.maxConnections << "; refusing"
                              << socket->peerAddress().toString();
    refuse(socket, HttpResponse::error(503, ErrorCode::RateLimited,
                                       QStringLiteral("the server is at its connection limit; retry later")));
}

void HttpServer::refuse(QTcpSocket *socket, const HttpResponse &response)
{
    // Answered before reading a byte of the request: refusing must cost less than serving. Not
    // counted: it is over a limit by definition, and gone within a second.
    auto *connection = new HttpConnection(socket, m_limits, this);
    connect(connection, &HttpConnection::requestServed, this, &HttpServer::requestServed);
    connection->refuse(response);
}

void HttpServer::track(QTcpSocket *socket)
{
    // Counted until the socket object is destroyed, wherever it went. Not through the socket's own
    // destroyed(): on Qt 6.4 ~QWebSocket calls disconnect() on its socket, which would cut that
    // connection before the socket dies; a child's destroyed() is out of its reach.
    auto *guard = new QObject(socket);
    guard->setObjectName(QStringLiteral("tandem-http-connection-guard"));
    connect(guard, &QObject::destroyed, this, [this] {
        --m_connectionCount;
        Q_EMIT connectionCountChanged(m_connectionCount);
    });
    ++m_connectionCount;
    Q_EMIT connectionCountChanged(m_connectionCount);
}

void HttpServer::dispatch(const HttpRequest &request, HttpResponder responder) const
{
    const HttpRouter::Match match = m_router.match(request.method, request.encodedPath);
    switch (match.outcome) {
    case HttpRouter::Match::Outcome::Found: {
        HttpRequest routed = request;
        routed.pathParams = match.pathParams;
        match.handler(routed, std::move(responder));
        return;
    }
    case HttpRouter::Match::Outcome::MethodNotAllowed: {
        HttpResponse response = HttpResponse::error(405, ErrorCode::BadRequest,
                                                    QStringLiteral("method not allowed on this path"));
        response.setHeader("Allow", match.allowedMethods.join(", "));
        responder.send(response);
        return;
    }
    case HttpRouter::Match::Outcome::NotFound:
        responder.send(HttpResponse::error(ErrorCode::NotFound, QStringLiteral("no such endpoint")));
        return;
    }
}

void HttpServer::handOverToWebSocketServer(QTcpSocket *socket)
{
    if (!m_webSocketServer) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    // QWebSocketServer owns it from here and deletes it on disconnected(); as its child, the socket
    // is also freed with the server if it never disconnects. Qt 6.4's handleConnection() re-emits
    // readyRead() (queued) when bytes are already buffered, so the unread handshake is processed.
    socket->setParent(m_webSocketServer);
    m_webSocketServer->handleConnection(socket);
}

} // namespace tandem::server::http
