#pragma once
// A ClientLink over an accepted QWebSocket (the /ws endpoint): the frame size
// limits, the closing handshake with a deadline, and Qt's signals mapped to
// the link's.

#include "server/config/ServerConfig.h"
#include "server/hub/ClientLink.h"

class QWebSocket;

namespace tandem::server {

class WebSocketLink : public ClientLink {
    Q_OBJECT

public:
    /// Takes ownership of `socket`.
    WebSocketLink(QWebSocket *socket, const ConnectionLimits &limits, QObject *parent = nullptr);

    QWebSocket *socket() const { return m_socket; }

    QString transportName() const override { return QStringLiteral("websocket"); }
    QHostAddress peerAddress() const override;
    void sendText(const QString &text) override;
    void sendBinary(const QByteArray &bytes) override;
    bool supportsBinary() const override { return true; }
    qint64 bytesToWrite() const override;
    void flush() override;
    void close(protocol::CloseCode code, const QString &reason) override;
    quint16 closeCode() const override;

private:
    QWebSocket *m_socket;
    bool m_closeHandshake = false; ///< a close frame went out or came in (QWebSocket::aboutToClose)
};

} // namespace tandem::server
