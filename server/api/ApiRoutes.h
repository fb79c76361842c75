#pragma once
// The REST side of the one listening port: /api/login, /api/logout,
// /api/rooms, /api/rooms/{roomId}/messages, /api/entities/{roomId}/... and /healthz. Room answers come
// from the Hub, so REST and WebSocket clients see the same data and errors.

#include "core/common/Clock.h"
#include "core/protocol/Entity.h"
#include "server/config/ServerConfig.h"
#include "server/hub/AddressBuckets.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace tandem::server {

class AccountService;
class Hub;
class TokenService;
namespace http {
class HttpServer;
struct HttpRequest;
class HttpResponder;
} // namespace http

class ApiRoutes : public QObject {
    Q_OBJECT

public:
    ApiRoutes(AccountService &accounts, TokenService &tokens, Hub &hub, const ServerConfig &config,
              const Clock &clock, QObject *parent = nullptr);
    void registerOn(http::HttpServer &server);

private:
    void login(const http::HttpRequest &request, http::HttpResponder responder);
    void logout(const http::HttpRequest &request, http::HttpResponder responder);
    void rooms(const http::HttpRequest &request, http::HttpResponder responder);
    void messages(const http::HttpRequest &request, http::HttpResponder responder);
    void health(const http::HttpRequest &request, http::HttpResponder responder);
    void getEntity(const http::HttpRequest &request, http::HttpResponder responder);
    void patchEntity(const http::HttpRequest &request, http::HttpResponder responder);
    struct EntityTarget {
        QString userId;
        QString roomId;
        protocol::EntityKey entity;
    };
    /// The signed-in user and the room and entity the path names, or an error already sent.
    std::optional<EntityTarget> entityFromPath(const http::HttpRequest &request,
                                               http::HttpResponder &responder);
    /// The bearer token's user, or an error already sent to the responder.
    std::optional<QString> authorize(const http::HttpRequest &request, http::HttpResponder &responder);

    AccountService &m_accounts;
    TokenService &m_tokens;
    Hub &m_hub;
    const ServerConfig &m_config;
    const Clock &m_clock;
    qint64 m_startedMs;
    /// Failed logins per client address, so passwords cannot be guessed at Argon2 speed.
    AddressBuckets m_failedLogins;
};

} // namespace tandem::server
