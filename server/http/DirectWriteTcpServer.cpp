#include "server/http/DirectWriteTcpServer.h"

#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace tandem::server::http {
namespace {

class DirectWriteTcpSocket : public QTcpSocket {
public:
    using QTcpSocket::QTcpSocket;

protected:
    qint64 writeData(const char *data, qint64 size) override
    {
#ifdef Q_OS_UNIX
        // Only while Qt's buffer is empty: anything queued must go out first, in order.
        const qintptr descriptor = socketDescriptor();
        if (size > 0 && descriptor != -1 && state() == ConnectedState && bytesToWrite() == 0) {
            // MSG_NOSIGNAL: a peer that has gone away is an error to report, not a SIGPIPE.
            const ssize_t sent = ::send(static_cast<int>(descriptor), data, static_cast<size_t>(size),
                                        MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent == size)
                return size;
            if (sent > 0) {
                // The kernel's send buffer is full: Qt queues the rest and flushes it when it can.
                const qint64 queued = QTcpSocket::writeData(data + sent, size - sent);
                return queued < 0 ? sent : sent + queued;
            }
            // EAGAIN, or an error (EPIPE, ECONNRESET): Qt's own path queues the data and, on an
            // error, reports it through errorOccurred() and disconnected() as it always does.
        }
#endif
        return QTcpSocket::writeData(data, size);
    }
};

} // namespace

void DirectWriteTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new DirectWriteTcpSocket(this);
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
