#pragma once
// Transport over QWebSocket, one fresh socket per open(), with a connect
// timeout: a Qt 6.4.2 client whose handshake gets a non-101 answer stays in
// ConnectingState forever, so the timeout abort()s it.

#include "core/client/TimerSource.h"
#include "core/client/Transport.h"

#include <QAbstractSocket>

#include <memory>

class QWebSocket;

namespace tandem::client {

class WebSocketTransport final : public Transport {
    Q_OBJECT

public:
    explicit WebSocketTransport(TimerSource &timers, qint64 connectTimeoutMs = 10000,
                                QObject *parent = nullptr);
    ~WebSocketTransport() override;

    QString name() const override { return QStringLiteral("WebSocket"); }
    void open(const QUrl &url) override;
    void close(quint16 code, const QString &reason) override;
    void send(const QByteArray &json) override;
    void sendBinary(const QByteArray &data) override;
    bool supportsBinary() const override { return true; }
    bool isOpen() const override { return m_open; }

private:
    void onConnected();
    void onDisconnected();
    void onError(QAbstractSocket::SocketError error);
    void onConnectTimeout();
    /// Detaches the current socket (no more signals from it) and emits closed once.
    void finish(int code, const QString &reason);
    /// Stops listening to the current socket and drops it.
    void discardSocket();

    TimerSource &m_timers;
    qint64 m_connectTimeoutMs;
    std::unique_ptr<QWebSocket, void (*)(QWebSocket *)> m_socket;
    int m_connectTimer = 0;
    bool m_open = false;
};

} // namespace tandem::client
