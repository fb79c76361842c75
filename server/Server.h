#pragma once
// The composition root of tandem-server: storage, auth, hub, HTTP and
// WebSocket on one port. main() and the integration tests build exactly this.

#include "core/common/Clock.h"
#include "core/protocol/ErrorCode.h"
#include "server/config/ServerConfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QWebSocketServer;

namespace tandem::server {

class AccountService;
class ApiRoutes;
namespace streaming {
class HttpSessions;
}
class Hub;
class RedisBus;
class SqlStorage;
class TokenService;
namespace http {
class HttpServer;
}
namespace metrics {
class ServerMetrics;
}

class Server : public QObject {
    Q_OBJECT

public:
    explicit Server(ServerConfig config, const Clock &clock = Clock::system(), QObject *parent = nullptr);
    ~Server() override;

    /// Opens the database and starts listening.
    protocol::Result<void> start();
    /// Graceful stop: no new connections, every socket closed with 1001, the
    /// database flushed and closed. Emits stopped() when the last socket is gone.
    void stop();

    quint16 port() const;
    /// http(s)://address:port, for printing how to connect.
    QUrl baseUrl() const;

Q_SIGNALS:
    void stopped();

private:
    void finishStop();
    /// GET /metrics, and the HTTP layer's and the bus's counts into m_metrics.
    void serveMetrics();

    ServerConfig m_config;
    const Clock &m_clock;
    std::unique_ptr<metrics::ServerMetrics> m_metrics; ///< outlives everything that counts into it
    std::unique_ptr<SqlStorage> m_storage;
    std::unique_ptr<TokenService> m_tokens;
    std::unique_ptr<AccountService> m_accounts;
    std::unique_ptr<RedisBus> m_bus; ///< only with [bus] redis
    Hub *m_hub = nullptr;
    ApiRoutes *m_api = nullptr;
    streaming::HttpSessions *m_streaming = nullptr;
    http::HttpServer *m_http = nullptr;
    QWebSocketServer *m_webSockets = nullptr;
    bool m_stopping = false;
};

} // namespace tandem::server
