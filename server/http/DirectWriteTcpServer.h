#pragma once
// A QTcpServer whose accepted sockets hand each write straight to the kernel
// while nothing is queued, and fall back to Qt's write buffer only for what
// the kernel does not take.
//
// Why: Qt 6.4's QAbstractSocket allocates a 32 KiB chunk for its write buffer
// on the first write and keeps it for the socket's lifetime, even when it is
// empty, and no public call frees it. Every WebSocket gets one for the
// "101 Switching Protocols" answer, so each idle connection held 32 KiB of
// heap (docs/BENCHMARKS.md, "Scale-out"). With direct writes the chunk only
// exists on sockets that once had a backlog (a slow reader); bytesToWrite(),
// bytesWritten(), flushing and error reporting stay Qt's for that backlog.

#include <QTcpServer>

namespace tandem::server::http {

class DirectWriteTcpServer : public QTcpServer {
    Q_OBJECT

public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};

} // namespace tandem::server::http
