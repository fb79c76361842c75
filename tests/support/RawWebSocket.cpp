#include "tests/support/RawWebSocket.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtEndian>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tandem::test {

namespace {
/// A connected loopback socket whose receive buffer was sized before the handshake; -1 on failure.
int connectWithReceiveBuffer(quint16 port, int receiveBufferBytes)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = qToBigEndian<quint16>(port);
    address.sin_addr.s_addr = qToBigEndian<quint32>(0x7f000001);
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, sizeof receiveBufferBytes) != 0 ||
        ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}
} // namespace

bool RawWebSocket::open(quint16 port, const QByteArray &pathAndQuery, int receiveBufferBytes)
{
    if (receiveBufferBytes > 0) {
        const int fd = connectWithReceiveBuffer(port, receiveBufferBytes);
        if (fd < 0 || !m_socket.setSocketDescriptor(fd)) {
            if (fd >= 0)
                ::close(fd);
            return false;
        }
    } else {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(10000))
            return false;
    }
    m_socket.write("GET " + pathAndQuery +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QElapsedTimer timer;
    timer.start();
    while (!m_buffer.contains("\r\n\r\n") && timer.elapsed() < 10000) {
        if (!m_socket.waitForReadyRead(200) && m_socket.state() != QAbstractSocket::ConnectedState)
            break;
        m_buffer += m_socket.readAll();
    }
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    m_status = m_buffer.left(m_buffer.indexOf("\r\n"));
    m_buffer.remove(0, headEnd + 4);
    return m_status.startsWith("HTTP/1.1 101");
}

void RawWebSocket::sendFrame(Opcode opcode, const QByteArray &payload, bool final)
{
    QByteArray frame;
    frame.append(static_cast<char>((final ? 0x80 : 0x00) | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(static_cast<char>(0x80 | size));
    } else if (size <= 0xffff) {
        frame.append(static_cast<char>(0x80 | 126));
        frame.append(static_cast<char>((size >> 8) & 0xff));
        frame.append(static_cast<char>(size & 0xff));
    } else {
        frame.append(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(static_cast<char>((static_cast<quint64>(size) >> shift) & 0xff));
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    char maskBytes[4];
    qToBigEndian(mask, maskBytes);
    frame.append(maskBytes, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(static_cast<char>(payload.at(i) ^ maskBytes[i % 4]));
    m_socket.write(frame);
    m_socket.flush();
}

bool RawWebSocket::parseFrame()
{
    if (m_buffer.size() < 2)
        return false;
    const auto byte0 = static_cast<quint8>(m_buffer.at(0));
    const auto byte1 = static_cast<quint8>(m_buffer.at(1));
    quint64 length = byte1 & 0x7f;
    qsizetype offset = 2;
    if (length == 126) {
        if (m_buffer.size() < 4)
            return false;
        length = qFromBigEndian<quint16>(m_buffer.constData() + 2);
        offset = 4;
    } else if (length == 127) {
        if (m_buffer.size() < 10)
            return false;
        length = qFromBigEndian<quint64>(m_buffer.constData() + 2);
        offset = 10;
    }
    if (static_cast<quint64>(m_buffer.size() - offset) < length)
        return false;
    const QByteArray payload = m_buffer.mid(offset, static_cast<qsizetype>(length));
    m_buffer.remove(0, offset + static_cast<qsizetype>(length));
    const quint8 opcode = byte0 & 0x0f;
    if (opcode == Text)
        m_messages.append(QJsonDocument::fromJson(payload).object());
    else if (opcode == Close)
        m_closeCode = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 1005;
    return true;
}

std::optional<QJsonObject> RawWebSocket::nextMessage(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        while (parseFrame()) {
        }
        if (!m_messages.isEmpty())
            return m_messages.takeFirst();
        if (m_closeCode || timer.elapsed() > timeoutMs)
            return std::nullopt;
        if (!m_socket.waitForReadyRead(50) && m_socket.state() != QAbstractSocket::ConnectedState)
            return std::nullopt;
        m_buffer += m_socket.readAll();
    }
}

QString RawWebSocket::nextErrorCode(int timeoutMs)
{
    while (const auto message = nextMessage(timeoutMs)) {
        if (message->value(QLatin1String("type")).toString() == QLatin1String("error"))
            return message->value(QLatin1String("payload"))
                .toObject()
                .value(QLatin1String("code"))
                .toString();
    }
    return {};
}

int RawWebSocket::waitForClose(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!m_closeCode && timer.elapsed() < timeoutMs) {
        while (parseFrame()) {
        }
        if (m_closeCode)
            break;
        if (!m_socket.waitForReadyRead(50) && m_socket.state() != QAbstractSocket::ConnectedState) {
            m_buffer += m_socket.readAll();
            while (parseFrame()) {
            }
            if (!m_closeCode)
                m_closeCode = 1006;
            break;
        }
        m_buffer += m_socket.readAll();
    }
    return m_closeCode.value_or(-1);
}

} // namespace tandem::test
