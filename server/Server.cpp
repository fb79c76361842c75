#include "server/Server.h"

#include "server/api/ApiRoutes.h"
#include "server/auth/AccountService.h"
#include "server/auth/TokenService.h"
#include "server/bus/RedisBus.h"
#include "server/http/HttpConnection.h"
#include "server/http/HttpServer.h"
#include "server/hub/Hub.h"
#include "server/metrics/ExpositionWriter.h"
#include "server/metrics/ServerMetrics.h"
#include "server/storage/StorageFactory.h"
#include "server/streaming/HttpSessions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSysInfo>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <algorithm>

#include <malloc.h>

Q_LOGGING_CATEGORY(lcServer, "tandem.server")

namespace tandem::server {

using namespace protocol;

namespace {
constexpr int ShutdownGraceMs = 3000;
constexpr int TokenPurgeIntervalMs = 3600 * 1000;
constexpr int MemoryTrimIntervalMs = 30 * 1000;
constexpr const char *YjsPathPrefix = "/yjs/";

/// The request path as the client sent it. QUrl, and so QWebSocket::requestUrl(), decodes
/// unreserved characters ("no%74es" becomes "notes"); the HTTP layer kept the raw path on the TCP
/// socket, which stays a child of the WebSocket server, with the same peer as the WebSocket.
QByteArray rawRequestPath(const QWebSocketServer &server, const QWebSocket &socket)
{
    const auto transports = server.findChildren<QAbstractSocket *>(Qt::FindDirectChildrenOnly);
    for (const QAbstractSocket *transport : transports) {
        if (transport->peerPort() == socket.peerPort() && transport->peerAddress() == socket.peerAddress())
            return transport->property(http::HttpConnection::RawPathProperty).toByteArray();
    }
    return socket.requestUrl().path(QUrl::FullyEncoded).toLatin1();
}

Result<QSslConfiguration> loadTls(const ServerConfig &config)
{
    QFile certificateFile(config.tlsCertificateFile);
    QFile keyFile(config.tlsKeyFile);
    if (!certificateFile.open(QIODevice::ReadOnly))
        return fail(ErrorCode::NotFound,
                    QStringLiteral("cannot read TLS certificate %1").arg(config.tlsCertificateFile));
    if (!keyFile.open(QIODevice::ReadOnly))
        return fail(ErrorCode::NotFound, QStringLiteral("cannot read TLS key %1").arg(config.tlsKeyFile));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty() || key.isNull())
        return fail(ErrorCode::BadRequest, QStringLiteral("TLS certificate or key is not valid PEM"));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}
} // namespace

Server::Server(ServerConfig config, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(clock)
    , m_metrics(std::make_unique<metrics::ServerMetrics>())
{}

Server::~Server()
{
    if (m_hub)
        m_hub->shutdown();
    delete m_http;
    delete m_webSockets;
    delete m_api;
    delete m_streaming;
    delete m_hub;
    m_bus.reset();
}

Result<void> Server::start()
{
    const QString dataDir = m_config.resolvedDataDir();
    if (!QDir().mkpath(dataDir))
        return fail(ErrorCode::Internal, QStringLiteral("cannot create data folder %1").arg(dataDir));
    auto storage = openStorage(m_config.database, dataDir);
    if (!storage)
        return unexpected(storage.error());
    m_storage = std::move(*storage);
    m_tokens = std::make_unique<TokenService>(*m_storage, m_clock, m_config.auth.tokenTtlSeconds);
    Argon2Params argon2;
    argon2.memoryKiB = m_config.auth.argon2MemoryKiB;
    argon2.timeCost = m_config.auth.argon2TimeCost;
    m_accounts = std::make_unique<AccountService>(*m_storage, argon2);

    m_hub = new Hub(*m_storage, *m_tokens, m_config, m_clock, *m_metrics);
    if (!m_config.bus.redis.isEmpty()) {
        auto endpoint = RedisEndpoint::parse(m_config.bus.redis);
        if (!endpoint)
            return unexpected(endpoint.error());
        // Unique per process, and readable in Redis and in the logs: host, pid, a random tail.
        QString host = QSysInfo::machineHostName();
        host.replace(u':', u'-');
        const QString instanceId = QStringLiteral("%1-%2-%3")
                                       .arg(host)
                                       .arg(QCoreApplication::applicationPid())
                                       .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
        m_bus = std::make_unique<RedisBus>(*endpoint, instanceId);
        m_hub->attachBus(m_bus.get());
        // Not waited for: until Redis answers, this instance serves its own clients.
        m_bus->start();
    }
    m_api = new ApiRoutes(*m_accounts, *m_tokens, *m_hub, m_config, m_clock);
    const bool tlsConfigured = !m_config.tlsCertificateFile.isEmpty() || !m_config.tlsKeyFile.isEmpty();
    // The HTTP layer terminates TLS; the WebSocket server only needs to know, so it speaks of wss://.
    m_webSockets =
        new QWebSocketServer(QStringLiteral("tandem-server/" TANDEM_VERSION),
                             tlsConfigured ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode);
    // No handshake timeout here: the HTTP layer hands over only complete request heads, which had
    // to arrive within [http] header_timeout_ms, and Qt answers a complete head at once.
    connect(m_webSockets, &QWebSocketServer::newConnection, m_hub, [this] {
        while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
            // Only a /yjs path needs its raw form (its room id), and finding it walks every open
            // socket: a /ws connection skips that, so opening one stays cheap at 20,000 open.
            if (!socket->requestUrl().path().startsWith(QLatin1String(YjsPathPrefix))) {
                m_hub->addConnection(socket);
                continue;
            }
            const QByteArray path = rawRequestPath(*m_webSockets, *socket);
            m_hub->addYjsConnection(socket, QString::fromLatin1(path.mid(qstrlen(YjsPathPrefix))));
        }
    });

    http::HttpLimits httpLimits = m_config.http;
    httpLimits.writeBatchBytes =
        std::min<qint64>(httpLimits.writeBatchBytes, m_config.limits.outgoingSoftLimitBytes / 4);
    m_http = new http::HttpServer(httpLimits, m_clock);
    m_http->setWebSocketServer(m_webSockets, QStringLiteral("/ws"));
    // y-websocket clients name their room in the path: /yjs/<roomId>.
    m_http->addWebSocketPrefix(QString::fromLatin1(YjsPathPrefix));
    m_api->registerOn(*m_http);
    m_streaming = new streaming::HttpSessions(*m_hub, *m_tokens, m_config, m_clock);
    m_streaming->registerOn(*m_http);
    if (m_bus)
        m_streaming->attachBus(m_bus.get());
    serveMetrics();
    if (tlsConfigured) {
        auto tls = loadTls(m_config);
        if (!tls)
            return Unexpected<Error>{tls.error()};
        m_http->setTlsConfiguration(*tls);
    }
    if (!m_http->listen(m_config.listenAddress, m_config.listenPort))
        return fail(ErrorCode::Internal, QStringLiteral("cannot listen on %1:%2: %3")
                                             .arg(m_config.listenAddress.toString())
                                             .arg(m_config.listenPort)
                                             .arg(m_http->errorString()));
    // Expired tokens are useless; purging them keeps the table small.
    auto *purgeTimer = new QTimer(m_hub);
    connect(purgeTimer, &QTimer::timeout, m_hub, [this] {
        if (auto purged = m_tokens->purgeExpired(); purged && *purged > 0)
            qCInfo(lcServer) << "purged" << *purged << "expired tokens";
    });
    purgeTimer->start(TokenPurgeIntervalMs);
    // After a burst, glibc keeps the freed send buffers of every socket (measured: 300 MB held for
    // 49 MB in use after 1,000 clients were flooded). Handing them back keeps RSS honest.
    auto *trimTimer = new QTimer(m_hub);
    connect(trimTimer, &QTimer::timeout, m_hub, [] { ::malloc_trim(0); });
    trimTimer->start(MemoryTrimIntervalMs);
    qCInfo(lcServer) << "data in" << dataDir;
    return {};
}

void Server::serveMetrics()
{
    connect(m_http, &http::HttpServer::requestServed, this,
            [this](int status) { ++m_metrics->httpRequests[QString::number(status)]; });
    connect(m_http, &http::HttpServer::limitExceeded, this,
            [this](const QString &limit) { ++m_metrics->refusals[limit]; });
    if (m_bus)
        connect(m_bus.get(), &RedisBus::lagMeasured, this,
                [this](double seconds) { m_metrics->busLag.observe(seconds); });
    m_http->route("GET", QStringLiteral("/metrics"),
                  [this](const http::HttpRequest &request, http::HttpResponder responder) {
                      if (!m_config.metricsAccess.allows(request.peer)) {
                          responder.send(http::HttpResponse::error(
                              ErrorCode::Forbidden,
                              QStringLiteral("metrics are not served to your address; see [metrics] allow")));
                          return;
                      }
                      metrics::ServerMetrics::Live live;
                      live.connections = m_hub->connectionsByTransport();
                      live.openDocuments = m_hub->documents().openDocumentCount();
                      live.openCanvases = m_hub->canvases().loadedCount();
                      if (m_bus)
                          live.busConnected = m_bus->isConnected();
                      http::HttpResponse response;
                      response.setHeader("Content-Type", metrics::ExpositionWriter::ContentType);
                      response.body = m_metrics->exposition(live);
                      responder.send(response);
                  });
}

void Server::stop()
{
    if (m_stopping || !m_hub)
        return;
    m_stopping = true;
    qCInfo(lcServer) << "shutting down";
    m_http->close();
    m_hub->shutdown();
    if (m_hub->connectionCount() == 0) {
        QTimer::singleShot(0, this, &Server::finishStop);
        return;
    }
    // Give clients a moment to answer the close handshake, but never wait forever.
    connect(m_hub, &Hub::connectionCountChanged, this, [this](int count) {
        if (count == 0)
            finishStop();
    });
    QTimer::singleShot(ShutdownGraceMs, this, &Server::finishStop);
}

void Server::finishStop()
{
    if (!m_storage)
        return;
    // Documents whose clients wrote during the grace period are compacted while storage is open.
    m_hub->documents().compactAll();
    m_storage->close();
    m_storage.reset();
    qCInfo(lcServer) << "stopped";
    Q_EMIT stopped();
}

quint16 Server::port() const
{
    return m_http ? m_http->serverPort() : 0;
}

QUrl Server::baseUrl() const
{
    QUrl url;
    url.setScheme(m_config.tlsCertificateFile.isEmpty() ? QStringLiteral("http") : QStringLiteral("https"));
    url.setHost(m_http ? m_http->serverAddress().toString() : m_config.listenAddress.toString());
    url.setPort(port());
    return url;
}

} // namespace tandem::server
