#pragma once
// A QTcpServer whose accepted sockets keep their own write batch: what is
// written in one event-loop turn leaves in one send() when the loop comes
// round (or at once when the batch reaches its size), straight to the
// kernel, and only what the kernel refuses enters Qt's write buffer.
//
// Why: Qt 6.4's QAbstractSocket allocates a 32 KiB chunk for its write buffer
// on the first write and keeps it for the socket's lifetime, even when it is
// empty, and no public call frees it. Every WebSocket got one for its
// "101 Switching Protocols" answer, so each idle connection held 32 KiB of
// heap (docs/BENCHMARKS.md, "Scale-out"). The batch is freed once sent, and
// Qt's chunk only exists on sockets that once had a backlog (a slow reader).
// Batching per turn keeps what Qt's buffer gave a fan-out: one send() per
// socket per turn, not one per message. bytesToWrite() counts the batch;
// bytesWritten() is emitted for it at the end of the turn, never from inside
// a write(); disconnectFromHost() and close() send it first. flush() is not
// virtual in Qt and only reaches Qt's buffer (the backlog), so the batch size
// is what bounds the part of bytesToWrite() that is not a backlog.

#include <QTcpServer>

namespace tandem::server::http {

class DirectWriteTcpServer : public QTcpServer {
    Q_OBJECT

public:
    /// `writeBatchBytes`: a socket's batch is sent at once when it reaches this.
    explicit DirectWriteTcpServer(qint64 writeBatchBytes, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    qint64 m_writeBatchBytes;
};

} // namespace tandem::server::http
