#pragma once
// A deliberately minimal WebSocket client over a bare QTcpSocket, for the
// inputs QWebSocket refuses to produce: invalid UTF-8 in a text frame, a
// single oversized frame, a half-sent handshake.

#include <QJsonObject>
#include <QTcpSocket>

#include <optional>

namespace tandem::test {

class RawWebSocket {
public:
    enum Opcode : quint8 { Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9 };

    /// Connects and completes the opening handshake on `path` (with query); false on a non-101 answer.
    bool open(quint16 port, const QByteArray &pathAndQuery = "/ws");
    /// The status line the server answered the handshake with.
    QByteArray handshakeStatus() const { return m_status; }

    void sendFrame(Opcode opcode, const QByteArray &payload);
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
