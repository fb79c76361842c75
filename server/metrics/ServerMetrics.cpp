#include "server/metrics/ServerMetrics.h"

#include "core/protocol/ErrorCode.h"
#include "server/metrics/ExpositionWriter.h"
#include "server/metrics/ProcessMetrics.h"

namespace tandem::server::metrics {

namespace {

const QStringList &transports()
{
    static const QStringList names{QStringLiteral("websocket"), QStringLiteral("sse"),
                                   QStringLiteral("polling"), QStringLiteral("yjs")};
    return names;
}

// y-websocket's "permission denied" (server/docs/YjsConnection.h), not a protocol::CloseCode.
constexpr int ClosePermissionDenied = 4401;
// RFC 6455's code for a connection that ended without a close frame; never sent, only reported.
constexpr int CloseAbnormal = 1006;

/// Close codes and their labels: every code the server closes with, and the usual ones of peers.
const std::map<int, QString> &reasonsByCode()
{
    static const std::map<int, QString> reasons{
        {protocol::CloseNormal, QStringLiteral("normal")},
        {protocol::CloseGoingAway, QStringLiteral("going_away")},
        {protocol::CloseProtocolError, QStringLiteral("protocol")},
        {protocol::CloseUnsupportedData, QStringLiteral("unsupported_data")},
        {CloseAbnormal, QStringLiteral("abnormal")},
        {protocol::CloseTooBig, QStringLiteral("too_big")},
        {protocol::CloseTryAgainLater, QStringLiteral("too_slow")},
        {protocol::CloseHeartbeatTimeout, QStringLiteral("idle")},
        {protocol::CloseAuthFailed, QStringLiteral("auth_failed")},
        {protocol::ClosePolicy, QStringLiteral("policy")},
        {ClosePermissionDenied, QStringLiteral("permission_denied")},
    };
    return reasons;
}

QStringList knownReasons()
{
    QStringList reasons{QStringLiteral("peer_closed"), QStringLiteral("other")};
    for (const auto &[code, reason] : reasonsByCode())
        reasons.append(reason);
    return reasons;
}

// Bus lag on one host is sub-millisecond; seconds mean an overloaded Redis or network.
std::vector<double> busLagBuckets()
{
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

// A group commit is one transaction: about a millisecond on SQLite with a local disk.
std::vector<double> storageBuckets()
{
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

} // namespace

ServerMetrics::ServerMetrics()
    : messagesReceived(QStringLiteral("transport"), transports())
    , messagesSent(QStringLiteral("transport"), transports())
    , dropped(QStringLiteral("kind"), {QStringLiteral("typing"), QStringLiteral("cursor")})
    , disconnects(QStringLiteral("reason"), knownReasons())
    , refusals(QStringLiteral("limit"),
               {QStringLiteral("message_rate"), QStringLiteral("cursor_rate"),
                QStringLiteral("connections_per_user"), QStringLiteral("rooms_per_connection"),
                QStringLiteral("message_size"), QStringLiteral("connection_cap"),
                QStringLiteral("new_connections_per_address"), QStringLiteral("header_size"),
                QStringLiteral("body_size"), QStringLiteral("header_timeout"), QStringLiteral("body_timeout"),
                QStringLiteral("failed_logins"), QStringLiteral("document_update_size"),
                QStringLiteral("document_size"), QStringLiteral("canvas_shapes"),
                QStringLiteral("batch_size")})
    , httpRequests(QStringLiteral("status"))
    , busLag(busLagBuckets())
    , storageSeconds(storageBuckets())
{}

QString ServerMetrics::disconnectReason(int closeCode)
{
    if (closeCode == 0)
        return QStringLiteral("peer_closed");
    const auto it = reasonsByCode().find(closeCode);
    return it == reasonsByCode().end() ? QStringLiteral("other") : it->second;
}

QByteArray ServerMetrics::exposition(const Live &live) const
{
    ExpositionWriter writer;
    std::map<QString, double> connections;
    for (const QString &transport : transports())
        connections.emplace(transport, 0);
    for (const auto &[transport, count] : live.connections)
        connections[transport] = count;
    writer.gauge("tandem_connections", "Live client connections, by transport.", QStringLiteral("transport"),
                 connections);
    writer.counter("tandem_messages_received_total", "Client messages read, by transport.", messagesReceived);
    writer.counter("tandem_messages_sent_total", "Messages handed to a client transport, by transport.",
                   messagesSent);
    writer.counter("tandem_deliveries_total",
                   "Room traffic (events, presence, typing, cursors) handed to a subscriber: the fan-out.",
                   static_cast<double>(deliveries));
    writer.counter("tandem_dropped_messages_total",
                   "Droppable messages not sent because the peer was behind (backpressure), by kind.",
                   dropped);
    writer.counter("tandem_disconnects_total",
                   "Client connections ended, by the reason their close code gives.", disconnects);
    writer.counter("tandem_refusals_total",
                   "Connections, requests and messages refused by a limit, by limit.", refusals);
    writer.counter("tandem_http_requests_total", "HTTP answers sent, by status.", httpRequests);
    writer.gauge("tandem_open_documents", "Collaborative documents loaded in memory.", live.openDocuments);
    writer.gauge("tandem_open_canvases", "Canvases loaded in memory.", live.openCanvases);
    if (live.busConnected)
        writer.gauge("tandem_bus_connected", "1 while the Redis bus reaches the other instances, else 0.",
                     *live.busConnected ? 1 : 0);
    writer.histogram("tandem_bus_lag_seconds",
                     "Seconds from publishing a message on the Redis bus to receiving it back from Redis.",
                     busLag);
    writer.histogram("tandem_storage_seconds", "Seconds one group commit of room events took in storage.",
                     storageSeconds);
    ProcessMetrics::read().writeTo(writer);
    return writer.text();
}

} // namespace tandem::server::metrics
