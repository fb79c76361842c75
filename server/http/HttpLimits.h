#pragma once
// The caps the HTTP layer enforces on every connection (qBittorrent's set,
// plus a connection cap that includes upgraded WebSockets). A client that
// breaks one gets a status code and a closed connection, never unbounded
// memory or a socket held open forever.

#include <QtGlobal>

namespace tandem::server::http {

struct HttpLimits {
    /// Request line plus headers, up to and including the blank line; larger → 431.
    int maxHeaderBytes = 16 * 1024;
    /// Declared Content-Length or decoded chunked total; larger → 413.
    qint64 maxBodyBytes = 1024 * 1024;
    /// The whole request head must arrive within this: slowloris guard (→ 408). Also the TLS handshake
    /// timeout.
    int headerTimeoutMs = 10000;
    /// The body must arrive within this once the head is in (→ 408).
    int bodyTimeoutMs = 30000;
    /// A keep-alive connection with no request in progress is closed after this.
    int idleTimeoutMs = 60000;
    /// All live TCP connections, including upgraded WebSockets; the next one gets 503.
    int maxConnections = 10000;
    /// New connections per client address: a leaky bucket of this burst,
    /// draining at this rate; a connection over it gets 429 before a byte of
    /// its request is read. Generous for a NAT full of desktops reconnecting
    /// after a network blip; tight for one host opening sockets in a loop.
    double newConnectionsPerSecondPerAddress = 20;
    int newConnectionBurstPerAddress = 100;
    /// What a connection is written in one event-loop turn is sent in one batch at the end of the
    /// turn, or at once when it reaches this (DirectWriteTcpServer). Not a config key: the
    /// composition root keeps it well under the hub's outgoing soft limit, so a batch is never
    /// mistaken for a peer that does not keep up.
    qint64 writeBatchBytes = 64 * 1024;
};

} // namespace tandem::server::http
