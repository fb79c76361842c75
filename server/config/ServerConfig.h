#pragma once
// Everything an admin can tune, with safe defaults. Loaded from an INI file
// (packaging/tandem-server.conf documents every key); command-line flags
// override the file. Every limit here is enforced somewhere and tested.

#include "core/protocol/ErrorCode.h"
#include "server/http/HttpLimits.h"
#include "server/metrics/MetricsAccess.h"

#include <QHostAddress>
#include <QString>

namespace tandem::server {

struct ConnectionLimits {
    qint64 maxMessageBytes = 1024 * 1024; ///< one WebSocket message, all frames together
    qint64 maxFrameBytes = 1024 * 1024;   ///< one WebSocket frame
    int maxTextLength = 10000;            ///< chat text, UTF-16 units
    int maxConnectionsPerUser = 20;
    int maxRoomsPerConnection = 500; ///< rooms one socket may be joined to at once
    double messagesPerSecond = 20;   ///< leaky-bucket drain rate per connection
    int burst = 40;                  ///< leaky-bucket capacity per connection
    /// cursor:move has its own bucket: a pointer at the clients' 30 Hz must not
    /// starve chat, and chat must not starve the pointer. Over it, a move is
    /// dropped silently (the next one supersedes it) and counts as a strike.
    double cursorMovesPerSecond = 40;
    int cursorBurst = 40;
    int rateLimitStrikes = 40; ///< rejected messages (draining 1/s) before closing with 4008
    int authTimeoutMs = 10000; ///< a socket must authenticate within this
    int idleTimeoutMs = 60000; ///< a socket silent this long is dropped (clients ping every 25 s)
    qint64 outgoingSoftLimitBytes = 256 * 1024;      ///< above this, droppable events (typing) are skipped
    qint64 outgoingHardLimitBytes = 4 * 1024 * 1024; ///< above this, the client is closed with 1013
    int maxReplayEvents = 5000; ///< a resume gap larger than this answers recovered:false
    int maxHistoryPage = 200;
};

/// The collaborative documents (server/docs) and the /yjs endpoint.
struct DocumentSettings {
    qint64 maxUpdateBytes = 512 * 1024;         ///< one Yjs update or awareness message
    qint64 maxDocumentBytes = 16 * 1024 * 1024; ///< a document's stored size (snapshot + log)
    int compactEveryUpdates = 500;              ///< log length that triggers a snapshot
    int compactIntervalMs = 5 * 60 * 1000;      ///< an open, changed document is compacted this often
    int pingIntervalMs = 30000;                 ///< /yjs: WebSocket ping; no pong by the next one closes
    int keepaliveIntervalMs = 15000;            ///< /yjs: a silent connection gets an empty awareness message
};

/// The canvases (server/canvas).
struct CanvasSettings {
    int maxShapes = 20000;                 ///< shapes and tombstones per canvas; a create beyond is refused
    int compactEveryChanges = 500;         ///< canvas:changed events that trigger a new snapshot
    qint64 maxClockSkewMs = 5 * 60 * 1000; ///< an op stamped further ahead of the server's clock is refused
};

struct AuthSettings {
    qint64 tokenTtlSeconds = 30LL * 24 * 3600;
    quint32 argon2MemoryKiB = 19 * 1024; ///< OWASP's minimum for Argon2id
    quint32 argon2TimeCost = 2;
};

/// The cluster bus (server/bus): several instances on one shared database and one Redis.
struct BusSettings {
    QString redis;          ///< redis://host:port; empty: a single instance, no bus
    int leaseTtlMs = 30000; ///< a presence lease lives this long unless refreshed (a third of it)
};

/// The HTTP transports (server/streaming): Server-Sent Events, POST /send and polling.
struct StreamingSettings {
    int heartbeatIntervalMs = 15000;   ///< an SSE comment this often keeps proxies from timing the stream out
    int retryMs = 2000;                ///< the SSE `retry:` an EventSource waits before reconnecting
    int longPollMaxSeconds = 25;       ///< the longest `wait` a poll may ask for (below proxies' 30-60 s)
    int maxBatchMessages = 100;        ///< envelopes in one POST /send
    qint64 maxPollBytes = 1024 * 1024; ///< envelopes in one poll answer, about; the rest comes next poll
    int syncReplyTimeoutMs = 10000;    ///< POST /send?sync=1 answers with what it has after this
};

struct ServerConfig {
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 7420;
    QString dataDir; ///< empty: the platform's data folder for tandem-server
    QString tlsCertificateFile;
    QString tlsKeyFile;
    /// "sqlite" (a file in dataDir) or postgresql://user:password@host:port/database
    /// for a store several servers share; see server/storage/StorageFactory.h.
    QString database = QStringLiteral("sqlite");
    AuthSettings auth;
    ConnectionLimits limits;
    DocumentSettings documents;
    CanvasSettings canvas;
    StreamingSettings streaming;
    BusSettings bus;
    http::HttpLimits http;
    metrics::MetricsAccess metricsAccess; ///< who may read GET /metrics: loopback peers by default

    /// Reads an INI file over `base`. Unknown keys and bad values are errors,
    /// so a typo never silently leaves a limit at its default.
    static protocol::Result<ServerConfig> loadFile(const QString &path, ServerConfig base);
    /// Parses "ADDR:PORT", "[v6]:PORT" or ":PORT" into the listen address.
    protocol::Result<void> setListen(const QString &addressAndPort);
    /// The data folder actually used: dataDir, or the platform default.
    QString resolvedDataDir() const;
};

} // namespace tandem::server
