#include "server/api/ApiRoutes.h"

#include "core/protocol/Envelope.h"

#include "server/auth/AccountService.h"
#include "server/auth/PasswordHasher.h"
#include "server/auth/TokenService.h"
#include "server/http/HttpRequest.h"
#include "server/http/HttpResponder.h"
#include "server/http/HttpResponse.h"
#include "server/http/HttpServer.h"
#include "server/hub/Hub.h"
#include "server/metrics/ServerMetrics.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

namespace tandem::server {

using namespace protocol;
using http::HttpRequest;
using http::HttpResponder;
using http::HttpResponse;

namespace {
// Only failures count: ten wrong passwords in a row, then one more try every six seconds.
constexpr double FailedLoginsDrainPerSecond = 1.0 / 6.0;
constexpr double FailedLoginBurst = 10.0;

HttpResponse errorResponse(const Error &error)
{
    return HttpResponse::error(error.code, error.message);
}
} // namespace

ApiRoutes::ApiRoutes(AccountService &accounts, TokenService &tokens, Hub &hub, const ServerConfig &config,
                     const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_accounts(accounts)
    , m_tokens(tokens)
    , m_hub(hub)
    , m_config(config)
    , m_clock(clock)
    , m_startedMs(clock.monotonicMs())
    , m_failedLogins(clock, FailedLoginsDrainPerSecond, FailedLoginBurst)
{}

void ApiRoutes::registerOn(http::HttpServer &server)
{
    auto bind = [this](void (ApiRoutes::*method)(const HttpRequest &, HttpResponder)) {
        return [this, method](const HttpRequest &request, HttpResponder responder) {
            (this->*method)(request, std::move(responder));
        };
    };
    server.route("POST", QStringLiteral("/api/login"), bind(&ApiRoutes::login));
    server.route("POST", QStringLiteral("/api/logout"), bind(&ApiRoutes::logout));
    server.route("GET", QStringLiteral("/api/rooms"), bind(&ApiRoutes::rooms));
    server.route("GET", QStringLiteral("/api/rooms/{roomId}/messages"), bind(&ApiRoutes::messages));
    server.route("GET", QStringLiteral("/healthz"), bind(&ApiRoutes::health));
    // "room", "document", or "message/{id}" (EntityKey) after the room.
    for (const QString &entityPath : {QStringLiteral("/api/entities/{roomId}/{kind}"),
                                      QStringLiteral("/api/entities/{roomId}/{kind}/{id}")}) {
        server.route("GET", entityPath, bind(&ApiRoutes::getEntity));
        server.route("PATCH", entityPath, bind(&ApiRoutes::patchEntity));
    }
}

void ApiRoutes::login(const HttpRequest &request, HttpResponder responder)
{
    const QString address = request.peer.toString();
    if (m_failedLogins.of(address).level() + 1 > FailedLoginBurst) {
        ++m_hub.metrics().refusals[QStringLiteral("failed_logins")];
        responder.send(HttpResponse::error(ErrorCode::RateLimited,
                                           QStringLiteral("too many failed logins; try again in a minute")));
        return;
    }
    const QJsonDocument body = QJsonDocument::fromJson(request.body);
    const QJsonValue username = body.object().value(QLatin1String("username"));
    const QJsonValue password = body.object().value(QLatin1String("password"));
    if (!body.isObject() || !username.isString() || !password.isString()) {
        responder.send(HttpResponse::error(
            ErrorCode::BadRequest,
            QStringLiteral("expected JSON {\"username\": string, \"password\": string}")));
        return;
    }
    auto candidate = m_accounts.loginCandidate(username.toString());
    if (!candidate) {
        responder.send(errorResponse(candidate.error()));
        return;
    }
    // Argon2 takes tens of milliseconds by design: run it off the event loop so chat keeps flowing.
    auto *watcher = new QFutureWatcher<bool>(this);
    connect(watcher, &QFutureWatcher<bool>::finished, this,
            [this, watcher, responder, address, userId = candidate->userId,
             exists = candidate->exists]() mutable {
                watcher->deleteLater();
                if (!exists || !watcher->result()) {
                    m_failedLogins.of(address).tryPour();
                    responder.send(HttpResponse::error(ErrorCode::Unauthorized,
                                                       QStringLiteral("invalid username or password")));
                    return;
                }
                auto issued = m_tokens.issue(userId);
                if (!issued) {
                    responder.send(errorResponse(issued.error()));
                    return;
                }
                responder.send(HttpResponse::json(
                    200, {{QStringLiteral("token"), issued->token},
                          {QStringLiteral("userId"), issued->userId},
                          {QStringLiteral("expiresAt"), formatTimestamp(issued->expiresAt)}}));
            });
    watcher->setFuture(
        QtConcurrent::run(&PasswordHasher::verify, candidate->passwordHash, password.toString()));
}

std::optional<QString> ApiRoutes::authorize(const HttpRequest &request, HttpResponder &responder)
{
    const auto token = request.bearerToken();
    if (!token) {
        responder.send(HttpResponse::error(ErrorCode::Unauthorized,
                                           QStringLiteral("send Authorization: Bearer <token>")));
        return std::nullopt;
    }
    auto userId = m_tokens.authenticate(QString::fromLatin1(*token));
    if (!userId) {
        responder.send(errorResponse(userId.error()));
        return std::nullopt;
    }
    return *userId;
}

void ApiRoutes::logout(const HttpRequest &request, HttpResponder responder)
{
    if (!authorize(request, responder))
        return;
    const QString token = QString::fromLatin1(*request.bearerToken());
    if (auto revoked = m_tokens.revoke(token); !revoked) {
        responder.send(errorResponse(revoked.error()));
        return;
    }
    m_hub.closeSessionsOfToken(TokenService::hashToken(token));
    HttpResponse response;
    response.status = 204;
    responder.send(response);
}

void ApiRoutes::rooms(const HttpRequest &request, HttpResponder responder)
{
    const auto userId = authorize(request, responder);
    if (!userId)
        return;
    auto list = m_hub.roomList(*userId);
    responder.send(list ? HttpResponse::json(200, *list) : errorResponse(list.error()));
}

void ApiRoutes::messages(const HttpRequest &request, HttpResponder responder)
{
    const auto userId = authorize(request, responder);
    if (!userId)
        return;
    const QString roomId = request.pathParam(QStringLiteral("roomId"));
    if (!isValidRoomId(roomId)) {
        responder.send(HttpResponse::error(ErrorCode::BadRequest, QStringLiteral("bad room id")));
        return;
    }
    std::optional<qint64> before;
    int limit = 50;
    bool ok = true;
    if (request.query.hasQueryItem(QStringLiteral("before"))) {
        before = request.query.queryItemValue(QStringLiteral("before")).toLongLong(&ok);
        ok = ok && *before >= 1;
    }
    if (ok && request.query.hasQueryItem(QStringLiteral("limit"))) {
        limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        ok = ok && limit >= 1 && limit <= m_config.limits.maxHistoryPage;
    }
    if (!ok) {
        responder.send(HttpResponse::error(ErrorCode::BadRequest,
                                           QStringLiteral("before must be >= 1 and limit between 1 and %1")
                                               .arg(m_config.limits.maxHistoryPage)));
        return;
    }
    auto page = m_hub.historyPage(*userId, roomId, before, limit);
    responder.send(page ? HttpResponse::json(200, *page) : errorResponse(page.error()));
}

void ApiRoutes::health(const HttpRequest &, HttpResponder responder)
{
    responder.send(HttpResponse::json(
        200, {{QStringLiteral("status"), QStringLiteral("ok")},
              {QStringLiteral("version"), QStringLiteral(TANDEM_VERSION)},
              {QStringLiteral("protocol"), 1},
              {QStringLiteral("connections"), m_hub.connectionCount()},
              {QStringLiteral("uptimeSeconds"), (m_clock.monotonicMs() - m_startedMs) / 1000}}));
}

std::optional<ApiRoutes::EntityTarget> ApiRoutes::entityFromPath(const HttpRequest &request,
                                                                 HttpResponder &responder)
{
    const auto userId = authorize(request, responder);
    if (!userId)
        return std::nullopt;
    const QString roomId = request.pathParam(QStringLiteral("roomId"));
    QString entity = request.pathParam(QStringLiteral("kind"));
    if (const QString id = request.pathParam(QStringLiteral("id")); !id.isEmpty())
        entity += QLatin1Char('/') + id;
    const std::optional<protocol::EntityKey> key = protocol::EntityKey::parse(entity);
    if (!isValidRoomId(roomId) || !key) {
        responder.send(HttpResponse::error(
            ErrorCode::NotFound,
            QStringLiteral("no entity %1 in room %2").arg(entity.left(64), roomId.left(64))));
        return std::nullopt;
    }
    return EntityTarget{*userId, roomId, *key};
}

void ApiRoutes::getEntity(const HttpRequest &request, HttpResponder responder)
{
    const auto target = entityFromPath(request, responder);
    if (!target)
        return;
    const auto state = m_hub.entityState(target->userId, target->roomId, target->entity);
    responder.send(state ? HttpResponse::json(200, state->toJson()) : errorResponse(state.error()));
}

void ApiRoutes::patchEntity(const HttpRequest &request, HttpResponder responder)
{
    const auto target = entityFromPath(request, responder);
    if (!target)
        return;
    // The same body as the WebSocket's entity:patch payload, minus what the path says.
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonValue baseVersion = body.value(QLatin1String("baseVersion"));
    const QJsonValue patch = body.value(QLatin1String("patch"));
    const QJsonValue cid = body.value(QLatin1String("cid"));
    const QJsonValue hlc = body.value(QLatin1String("hlc"));
    if (!(hlc.isUndefined() || (hlc.isString() && hlc.toString().size() <= protocol::MaxHlcLength)) ||
        !baseVersion.isDouble() || baseVersion.toDouble() < 0 ||
        baseVersion.toDouble() != static_cast<double>(baseVersion.toInteger()) || !patch.isObject() ||
        (!cid.isUndefined() && !(cid.isString() && isValidClientKey(cid.toString())))) {
        responder.send(HttpResponse::error(
            ErrorCode::BadRequest, QStringLiteral("expected JSON {\"baseVersion\": integer >= 0, \"patch\": "
                                                  "object, \"cid\"?: string, \"hlc\"?: string}")));
        return;
    }
    protocol::EntityPatchRequest patchRequest{target->roomId, target->entity, baseVersion.toInteger(),
                                              patch.toObject(), hlc.toString()};
    if (const auto valid = protocol::validateEntityPatch(patchRequest.entity, patchRequest.patch,
                                                         m_config.limits.maxTextLength);
        !valid) {
        responder.send(errorResponse(valid.error()));
        return;
    }
    // Without a cid the change is still applied once; only a retry could repeat it.
    const QString key = cid.isString() ? cid.toString() : protocol::newMessageId();
    m_hub.submitEntityPatch(target->userId, key, patchRequest,
                            [responder](const Result<AppendResult> &outcome) {
                                if (!outcome) {
                                    responder.send(errorResponse(outcome.error()));
                                    return;
                                }
                                if (outcome->rejected) {
                                    QJsonObject extra;
                                    if (outcome->current)
                                        extra.insert(QStringLiteral("current"), outcome->current->toJson());
                                    responder.send(HttpResponse::error(outcome->rejected->code,
                                                                       outcome->rejected->message, extra));
                                    return;
                                }
                                responder.send(HttpResponse::json(200, outcome->event.payload));
                            });
}

} // namespace tandem::server
