#pragma once
// A deliberately minimal WebSocket client over a bare QTcpSocket, for the
// inputs QWebSocket refuses to produce: invalid UTF-8 in a text frame, a
// single oversized frame, a message split into fragments, a half-sent
// handshake, a reader that stops reading.

#include <QJsonObject>
#include <QTcpSocket>

#include <optional>

namespace tandem::test {

class RawWebSocket {
public:
    enum Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9 };

    /// Connects and completes the opening handshake on `path` (with query); false on a non-101 answer.
    /// A `receiveBufferBytes` above 0 sets the kernel's receive buffer before connecting (it cannot
    /// shrink the window once the connection is up), so a reader that stops reading pushes back early.
    bool open(quint16 port, const QByteArray &pathAndQuery = "/ws", int receiveBufferBytes = 0);
    /// The status line the server answered the handshake with.
    QByteArray handshakeStatus() const { return m_status; }

    /// One frame; `final` false leaves the message open for Continuation frames.
    void sendFrame(Opcode opcode, const QByteArray &payload, bool final = true);
    void sendText(const QByteArray &utf8) { sendFrame(Text, utf8); }

    /// Waits for the next complete text message; nullopt on timeout or close.
    std::optional<QJsonObject> nextMessage(int timeoutMs = 10000);
    /// Waits until the next `error` message and returns its payload code.
    QString nextErrorCode(int timeoutMs = 10000);
    /// Waits for a close frame or the TCP connection to drop; returns the
    /// close code (1006 when the connection dropped without one).
    int waitForClose(int timeoutMs = 10000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState && !m_closeCode; }
    QTcpSocket &socket() { return m_socket; }

private:
    /// Parses one frame out of m_buffer if complete.
    bool parseFrame();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_status;
    QList<QJsonObject> m_messages;
    std::optional<int> m_closeCode;
};

} // namespace tandem::test
