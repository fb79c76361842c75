#pragma once
// A local HTTP/1.1 server the test scripts by hand, for the HTTP transports:
// it records every request (keep-alive connections included) and answers only
// when the test says so — a canned response, a stream written piece by piece,
// or a dropped connection. WebSocket upgrades are recorded like any request
// (answer them with 400 or drop them), unless acceptWebSockets is set: then
// they go to a real QWebSocketServer, which completes the handshake.

#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

namespace tandem::client::test {

struct ScriptedRequest {
    QByteArray method;
    QString path;
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; ///< names in lower case
    QByteArray body;
    QPointer<QTcpSocket> socket;
    bool answered = false;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    bool isWebSocketUpgrade() const { return header("upgrade").toLower() == "websocket"; }
};

class ScriptedHttpServer {
public:
    ScriptedHttpServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_buffers.insert(socket, {});
                QObject::connect(socket, &QTcpSocket::readyRead, &m_server,
                                 [this, socket] { onReadyRead(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        QObject::connect(&m_webSockets, &QWebSocketServer::newConnection, &m_server, [this] {
            while (QWebSocket *socket = m_webSockets.nextPendingConnection()) {
                ++acceptedWebSockets;
                socket->setParent(&m_server);
                QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    /// ws://127.0.0.1:<port>/ws, what a Session would be given.
    QUrl webSocketUrl() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort()));
    }

    /// Every request so far to `path` ("/poll", "/send", "/events", "/ws"), in arrival order.
    QList<std::shared_ptr<ScriptedRequest>> requests(const QString &path) const
    {
        QList<std::shared_ptr<ScriptedRequest>> matching;
        for (const auto &request : m_requests) {
            if (request->path == path)
                matching.append(request);
        }
        return matching;
    }
    int count(const QString &path) const { return int(requests(path).size()); }
    /// The oldest request to `path` not answered yet, or null.
    std::shared_ptr<ScriptedRequest> pending(const QString &path) const
    {
        for (const auto &request : m_requests) {
            if (request->path == path && !request->answered)
                return request;
        }
        return nullptr;
    }

    static void respond(ScriptedRequest &request, int status, const QByteArray &body = {},
                        const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        request.answered = true;
        if (!request.socket)
            return;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n";
        for (const auto &[name, value] : headers)
            head += name + ": " + value + "\r\n";
        if (status != 304 && status != 101)
            head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request.socket->write(head + "\r\n" + (status == 304 ? QByteArray() : body));
    }
    static void respondJson(ScriptedRequest &request, int status, const QByteArray &json,
                            QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json"));
        respond(request, status, json, headers);
    }
    /// A response without a length whose body ends when the connection closes (the /events stream).
    static void startStream(ScriptedRequest &request, const QByteArray &contentType = "text/event-stream")
    {
        request.answered = true;
        if (request.socket)
            request.socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + contentType +
                                  "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n");
    }
    static void write(ScriptedRequest &request, const QByteArray &bytes)
    {
        if (request.socket)
            request.socket->write(bytes);
    }
    /// Closes the request's connection (the end of a stream, or a dropped request).
    static void drop(ScriptedRequest &request)
    {
        request.answered = true;
        if (request.socket) {
            request.socket->flush();
            request.socket->disconnectFromHost();
        }
    }

    bool acceptWebSockets = false;
    int acceptedWebSockets = 0;

private:
    void onReadyRead(QTcpSocket *socket)
    {
        if (acceptWebSockets && m_buffers.value(socket).isEmpty()) {
            const QByteArray head = socket->peek(8192);
            if (head.contains("\r\n\r\n") && head.toLower().contains("upgrade: websocket")) {
                socket->disconnect(&m_server);
                m_buffers.remove(socket);
                QObject::disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                m_webSockets.handleConnection(socket);
                return;
            }
        }
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            auto request = std::make_shared<ScriptedRequest>();
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            request->method = requestLine.value(0);
            const QUrl target(QString::fromLatin1(requestLine.value(1)));
            request->path = target.path();
            request->query = QUrlQuery(target);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                if (colon > 0)
                    request->headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                            lines.at(i).mid(colon + 1).trimmed());
            }
            const qsizetype length = request->header("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return; // the body is still on its way
            request->body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            request->socket = socket;
            m_requests.append(request);
        }
    }

    QTcpServer m_server;
    QWebSocketServer m_webSockets{QStringLiteral("scripted"), QWebSocketServer::NonSecureMode};
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<std::shared_ptr<ScriptedRequest>> m_requests;
};

} // namespace tandem::client::test
