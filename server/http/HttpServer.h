#pragma once
// server/http: the HTTP/1.1 front door of tandem-server, on QTcpServer (or
// QSslServer with TLS). It caps connections, request sizes and times
// (HttpLimits), routes requests to handlers, and hands WebSocket upgrades on
// one path to a QWebSocketServer through handleConnection(), so the WebSocket
// handshake limits of Qt apply. Depends on core/protocol and Qt Network and
// WebSockets only; the REST API and the hub plug in from outside.

#include "core/common/Clock.h"
#include "server/http/HttpLimits.h"
#include "server/http/HttpResponse.h"
#include "server/http/HttpRouter.h"
#include "server/hub/AddressBuckets.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QString>

#include <optional>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

namespace tandem::server::http {

class HttpServer : public QObject {
    Q_OBJECT

public:
    using Handler = HttpRouter::Handler;

    explicit HttpServer(HttpLimits limits = {}, const Clock &clock = Clock::system(),
                        QObject *parent = nullptr);
    ~HttpServer() override;

    /// Serve HTTPS and WSS from the next listen(); call before listen(). The TLS handshake must
    /// finish within HttpLimits::headerTimeoutMs.
    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool listen(const QHostAddress &address, quint16 port);
    bool isListening() const;
    /// Why the last listen() failed.
    QString errorString() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;

    /// pattern: literal and "{name}" segments, e.g. "/api/rooms/{roomId}/messages". An unmatched path
    /// gets 404, a matched path with another method 405 with Allow; both with a JSON error body.
    void route(const QByteArray &method, const QString &pattern, Handler handler);
    /// "GET <path>" with "Upgrade: websocket" goes to server->handleConnection() with its handshake
    /// unread; an upgrade on any other path gets 404. Call before listen(). The server is not owned.
    void setWebSocketServer(QWebSocketServer *server, const QString &path = QStringLiteral("/ws"));
    /// Upgrades on every path under `prefix` (e.g. "/yjs/") go to the same WebSocket server.
    void addWebSocketPrefix(const QString &prefix);

    /// Every live accepted TCP connection, including the ones handed to the WebSocket server (until
    /// their socket is destroyed) and excluding the ones refused with 503.
    int connectionCount() const { return m_connectionCount; }
    const HttpLimits &limits() const { return m_limits; }

    /// Stops listening and closes every HTTP connection (after its answer if a request is in
    /// progress). WebSockets already handed over belong to the WebSocket server and stay open.
    void close();

Q_SIGNALS:
    /// An answer with this status went out (including 4xx from the limits and 503 from the cap).
    void requestServed(int status);
    /// A limit refused a connection or request: "connection_cap" (503), "new_connections_per_address"
    /// (429), or one of HttpConnection::limitExceeded()'s.
    void limitExceeded(const QString &limit);
    void connectionCountChanged(int count);

private:
    void acceptPendingConnections();
    void refuseOverCapacity(QTcpSocket *socket);
    /// Answers `response` and closes, without reading the request.
    void refuse(QTcpSocket *socket, const HttpResponse &response);
    void track(QTcpSocket *socket);
    void dispatch(const HttpRequest &request, HttpResponder responder) const;
    void handOverToWebSocketServer(QTcpSocket *socket);

    HttpLimits m_limits;
    AddressBuckets m_newConnections; ///< per client address
    HttpRouter m_router;
    QTcpServer *m_tcpServer = nullptr;
    std::optional<QSslConfiguration> m_tls;
    QPointer<QWebSocketServer> m_webSocketServer;
    QString m_webSocketPath;
    QStringList m_webSocketPrefixes;
    QString m_errorString;
    int m_connectionCount = 0;
};

} // namespace tandem::server::http
