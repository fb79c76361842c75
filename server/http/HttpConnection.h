#pragma once
// One accepted TCP (or TLS) connection speaking HTTP/1.1: keep-alive, one
// request at a time, pipelined requests answered in order. It enforces
// HttpLimits and routes a WebSocket upgrade to its endpoint without consuming
// a byte of it: the head is only peeked until it is complete, then either
// the socket is handed over with the handshake still unread, or the head is
// consumed and parsed. It closes in stages (answer, FIN, discard until the
// client closes or a deadline passes) and deletes itself when the socket
// closes.

#include "server/http/HttpLimits.h"
#include "server/http/HttpRequest.h"
#include "server/http/HttpRequestParser.h"
#include "server/http/HttpResponder.h"
#include "server/http/HttpResponse.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace tandem::server::http {

class HttpConnection : public QObject {
    Q_OBJECT

public:
    using RequestHandler = std::function<void(const HttpRequest &, HttpResponder)>;

    /// Takes ownership of socket (a connected QTcpSocket or encrypted QSslSocket).
    HttpConnection(QTcpSocket *socket, const HttpLimits &limits, QObject *parent = nullptr);
    ~HttpConnection() override;

    /// Called once per complete request; answer through the responder, now or later.
    void setRequestHandler(RequestHandler handler);
    /// "GET <path>" with "Upgrade: websocket" is handed over through webSocketUpgradeRequested();
    /// a WebSocket upgrade for any other path gets 404. Empty: every upgrade gets 404.
    void setWebSocketPath(const QString &path);
    /// A handed-over socket carries its request path as received, percent-encoding included, in
    /// this property: QUrl (and so QWebSocket::requestUrl()) decodes unreserved characters.
    static constexpr const char *RawPathProperty = "tandem.rawPath";
    /// Upgrades on any path under these prefixes (e.g. "/yjs/") are handed over too.
    void setWebSocketPrefixes(const QStringList &prefixes);
    /// Starts reading (bytes that arrived before are not lost).
    void start();
    /// Instead of start(): answers without reading a request, then closes (the connection cap's 503).
    void refuse(const HttpResponse &response);
    /// Closes now if no request is being handled; otherwise after its answer, which says
    /// "Connection: close" (bounded by headerTimeoutMs in case the handler never answers).
    void shutdown();

    QHostAddress peerAddress() const { return m_peer; }

Q_SIGNALS:
    /// A response (including error answers such as 400, 408, 413, 431) was written.
    void requestServed(int status);
    /// A limit of HttpLimits refused the request (just before its error answer): "header_size",
    /// "body_size", "header_timeout" or "body_timeout", the names the metrics count it under.
    void limitExceeded(const QString &limit);
    /// The socket now has no parent and no connection to this object, and its unread buffer starts
    /// with the complete handshake head. The receiver owns it (pass it to
    /// QWebSocketServer::handleConnection()). This object deletes itself afterwards.
    void webSocketUpgradeRequested(QTcpSocket *socket);

private:
    friend class HttpResponder;

    enum class Phase { AwaitingHead, ReadingBody, AwaitingResponse, Closing, Gone };
    enum class Deadline { None, Idle, Head, Body, Closing };

    void processIncoming();
    bool processHead();
    bool processBody();
    void dispatch();
    void respond(quint64 requestId, const HttpResponse &response);
    QTcpSocket *startStream(quint64 requestId, const HttpResponse &head);
    /// Detaches the socket for its new owner; this object deletes itself.
    QTcpSocket *release();
    void writeResponse(const HttpResponse &response, bool keepAlive);
    void fail(int status, protocol::ErrorCode code, const QString &message);
    /// fail() for a request over one of the limits, named as in limitExceeded().
    void failOverLimit(const QString &limit, int status, protocol::ErrorCode code, const QString &message);
    void closeGracefully(int graceMs);
    void halfCloseWhenFlushed();
    void handOver();
    void scheduleProcessing();
    void startDeadline(Deadline deadline, int ms);
    void onDeadline();
    void onDisconnected();

    QPointer<QTcpSocket> m_socket;
    HttpLimits m_limits;
    HttpRequestParser m_parser;
    RequestHandler m_handler;
    QString m_webSocketPath;
    QStringList m_webSocketPrefixes;
    QHostAddress m_peer;
    QTimer m_deadline;
    Deadline m_deadlineKind = Deadline::None;
    Phase m_phase = Phase::AwaitingHead;
    quint64 m_requestId = 0;
    QByteArray m_method;
    QString m_path; ///< for the log line only; the query is never logged
    bool m_keepAlive = false;
    bool m_shutdownRequested = false;
    bool m_processingScheduled = false;
    bool m_halfClosed = false;
    bool m_tlsSettled = false; ///< a queued look confirmed no ciphertext is left inside QSslSocket
};

} // namespace tandem::server::http
