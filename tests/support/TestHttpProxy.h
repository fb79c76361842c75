#pragma once
// A loopback HTTP proxy in front of a test's tandem-server that misbehaves on
// demand, the way the networks issue 7 is about do: it refuses WebSocket
// upgrades (with a 400, or by dropping the connection), and it can hold back
// every response until it is complete, as a buffering corporate proxy does, so
// a Server-Sent Events stream never shows an event. Tests switch its mode
// while clients are connected.
//
// It parses only what that needs: the first request head of each connection
// (a WebSocket client always opens a connection of its own for the upgrade),
// and, when buffering, the response heads and Content-Length bodies of the
// keep-alive responses in turn. Pipelined requests and responses to HEAD are
// not supported; the clients under test send neither.

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

namespace tandem::test {

class ProxyConnection;

class TestHttpProxy : public QObject {
    Q_OBJECT

public:
    enum class Mode {
        Pass,                    ///< forwards everything as it comes
        RefuseUpgrades,          ///< answers an upgrade request 400 Bad Request and closes
        DropUpgrades,            ///< closes an upgrade request's connection without an answer
        RefuseUpgradesAndBuffer, ///< RefuseUpgrades, and forwards each response only once it is whole
    };
    Q_ENUM(Mode)

    /// Forwards to `upstreamPort` on 127.0.0.1.
    explicit TestHttpProxy(quint16 upstreamPort, QObject *parent = nullptr);
    ~TestHttpProxy() override;

    /// Listens on 127.0.0.1, on a port of the system's choosing.
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    /// The server's WebSocket URL as seen through the proxy.
    QUrl wsUrl() const;

    /// Applies to each connection from its first request head on: existing
    /// connections keep the buffering they started with (cutAll() ends them).
    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    /// Aborts every connection on both sides, as a proxy restart would.
    void cutAll();

    /// Upgrade requests answered 400 or dropped so far.
    int upgradesRefused() const { return m_upgradesRefused; }
    /// Connections accepted so far.
    int connectionsAccepted() const { return m_connectionsAccepted; }

private:
    friend class ProxyConnection;

    void onNewConnection();

    QTcpServer m_server;
    quint16 m_upstreamPort;
    Mode m_mode = Mode::Pass;
    QList<QPointer<ProxyConnection>> m_connections;
    int m_upgradesRefused = 0;
    int m_connectionsAccepted = 0;
};

} // namespace tandem::test
