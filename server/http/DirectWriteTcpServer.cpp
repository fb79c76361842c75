#include "server/http/DirectWriteTcpServer.h"

#include <QTcpSocket>

#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace tandem::server::http {
namespace {

class DirectWriteTcpSocket : public QTcpSocket {
public:
    DirectWriteTcpSocket(qint64 batchBytes, QObject *parent)
        : QTcpSocket(parent)
        , m_batchBytes(batchBytes)
    {}

    qint64 bytesToWrite() const override { return m_batch.size() + QTcpSocket::bytesToWrite(); }

    void disconnectFromHost() override
    {
        sendBatch(); // what was written before the goodbye goes out before it
        QTcpSocket::disconnectFromHost();
    }

    void close() override
    {
        sendBatch();
        QTcpSocket::close();
    }

protected:
    qint64 writeData(const char *data, qint64 size) override
    {
        // A backlog in Qt's buffer (the kernel refused bytes earlier) must leave first: queue behind it.
        if (m_batch.isEmpty() && QTcpSocket::bytesToWrite() > 0)
            return QTcpSocket::writeData(data, size);
        if (m_batch.isEmpty()) {
            // Sent when the event loop comes round: every write of this turn leaves in one send().
            QMetaObject::invokeMethod(this, &DirectWriteTcpSocket::endOfTurn, Qt::QueuedConnection);
        }
        m_batch.append(data, size);
        if (m_batch.size() >= m_batchBytes)
            m_unreportedBytes += sendBatch();
        return size;
    }

private:
    void endOfTurn()
    {
        // bytesWritten() only from here, never from inside a write(): like Qt's own buffered path,
        // so a slot that writes more (held cursors, the next HTTP response) is not re-entered.
        const qint64 written = std::exchange(m_unreportedBytes, 0) + sendBatch();
        if (written > 0)
            Q_EMIT bytesWritten(written);
    }

    /// Hands the batch to the kernel; what it refuses goes to Qt's buffer, which flushes it when the
    /// socket is writable and reports it through bytesWritten(). Returns the bytes the kernel took.
    /// The batch's memory is freed: an idle socket holds no write buffer.
    qint64 sendBatch()
    {
        if (m_batch.isEmpty())
            return 0;
        const QByteArray batch = std::exchange(m_batch, QByteArray());
        qint64 sent = 0;
#ifdef Q_OS_UNIX
        const qintptr descriptor = socketDescriptor();
        if (descriptor != -1 && state() == ConnectedState && QTcpSocket::bytesToWrite() == 0) {
            // MSG_NOSIGNAL: a peer that has gone away is an error Qt reports, not a SIGPIPE.
            const ssize_t result = ::send(static_cast<int>(descriptor), batch.constData(),
                                          static_cast<size_t>(batch.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            sent = result > 0 ? result : 0;
        }
#endif
        // EAGAIN or an error (EPIPE, ECONNRESET) included: Qt's path queues the rest and reports
        // errors through errorOccurred() and disconnected() as it always does.
        if (sent < batch.size())
            QTcpSocket::writeData(batch.constData() + sent, batch.size() - sent);
        return sent;
    }

    const qint64 m_batchBytes;    ///< a batch this large is sent at once, not at the end of the turn
    QByteArray m_batch;           ///< written in this event-loop turn, not yet sent
    qint64 m_unreportedBytes = 0; ///< sent from inside write(), announced at the end of the turn
};

} // namespace

DirectWriteTcpServer::DirectWriteTcpServer(qint64 writeBatchBytes, QObject *parent)
    : QTcpServer(parent)
    , m_writeBatchBytes(writeBatchBytes)
{}

void DirectWriteTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new DirectWriteTcpSocket(m_writeBatchBytes, this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
#ifdef Q_OS_UNIX
        ::close(static_cast<int>(socketDescriptor)); // not taken by the socket: ours to close
#endif
        return;
    }
    addPendingConnection(socket);
}

} // namespace tandem::server::http
