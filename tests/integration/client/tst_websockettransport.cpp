// WebSocketTransport against real sockets: a handshake answered with 403 or
// never answered must end in closed() (Qt 6.4.2 would sit in ConnectingState
// forever), and close codes reach the Session as the server sent them.

#include "core/client/ManualTimerSource.h"
#include "core/client/QtTimerSource.h"
#include "core/client/WebSocketTransport.h"
#include "tests/support/ServerProcess.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using tandem::ManualClock;
using tandem::client::ManualTimerSource;
using tandem::client::QtTimerSource;
using tandem::client::WebSocketTransport;
using tandem::test::ServerProcess;

namespace {
constexpr int Timeout = 15000;

/// A TCP server that answers every WebSocket handshake with `answer` (nothing when empty) and keeps the
/// socket open.
class HandshakeRefuser : public QObject {
public:
    explicit HandshakeRefuser(QByteArray answer)
        : m_answer(std::move(answer))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++accepted;
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray data = socket->readAll();
                    if (m_answered) {
                        afterHandshake += data; // heard, never answered: a dead host
                        return;
                    }
                    m_answered = true;
                    if (m_answer == "101")
                        socket->write(switchingProtocols(data));
                    else if (!m_answer.isEmpty())
                        socket->write(m_answer);
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    static QByteArray switchingProtocols(const QByteArray &request)
    {
        const QRegularExpression keyLine(QStringLiteral("Sec-WebSocket-Key:\\s*(\\S+)"),
                                         QRegularExpression::CaseInsensitiveOption);
        const QByteArray key = keyLine.match(QString::fromLatin1(request)).captured(1).toLatin1();
        const QByteArray accept =
            QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1)
                .toBase64();
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: " +
               accept + "\r\n\r\n";
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort())); }
    int accepted = 0;
    QByteArray afterHandshake;

private:
    bool m_answered = false;
    QTcpServer m_server;
    QByteArray m_answer;
};
} // namespace

class TestWebSocketTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void failedHandshakeEndsTheAttempt_data();
    void failedHandshakeEndsTheAttempt();
    void refusedConnectionClosesAs1006();
    void serverCloseCodeIsReported();
    void ownCloseEmitsClosedOnce();
    void closeReachesADeadPeerAndEndsAtOnce();
};

void TestWebSocketTransport::failedHandshakeEndsTheAttempt_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<bool>("endsAtOnce");
    // A silent server is caught only by the timeout; a non-101 answer makes Qt
    // report an error but never disconnect (6.4.2), which ends the attempt.
    QTest::addRow("silent server") << QByteArray() << false;
    QTest::addRow("403 without upgrade")
        << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") << true;
    QTest::addRow("503 keep-alive")
        << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy") << true;
}

void TestWebSocketTransport::failedHandshakeEndsTheAttempt()
{
    QFETCH(QByteArray, answer);
    QFETCH(bool, endsAtOnce);
    HandshakeRefuser server(answer);
    QVERIFY(server.listen());
    ManualClock clock;
    ManualTimerSource timers(clock);
    WebSocketTransport transport(timers, 2000);
    QSignalSpy opened(&transport, &WebSocketTransport::opened);
    QSignalSpy closed(&transport, &WebSocketTransport::closed);
    transport.open(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(server.accepted, 1, Timeout);
    if (endsAtOnce) {
        QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
        QVERIFY(closed.first().at(1).toString().contains(QString::fromLatin1(answer.mid(9, 3))));
    } else {
        timers.advance(1999);
        QCOMPARE(closed.count(), 0);
        timers.advance(1);
        QCOMPARE(closed.count(), 1);
        QCOMPARE(closed.first().at(1).toString(), QStringLiteral("connect timeout"));
    }
    QCOMPARE(opened.count(), 0);
    QCOMPARE(closed.first().at(0).toInt(), 1006);
    QVERIFY(!transport.isOpen());
    // Nothing is left pending, and nothing more is emitted.
    QCOMPARE(timers.pendingCount(), 0);
    timers.advance(60000);
    QCOMPARE(closed.count(), 1);
}

void TestWebSocketTransport::refusedConnectionClosesAs1006()
{
    quint16 port = 0;
    {
        QTcpServer probe; // a port nobody listens on once it is closed
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    QtTimerSource timers;
    WebSocketTransport transport(timers, 5000);
    QSignalSpy closed(&transport, &WebSocketTransport::closed);
    transport.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    // QWebSocket itself says 1000 here; 1000 would mean "do not retry".
    QCOMPARE(closed.first().at(0).toInt(), 1006);
}

void TestWebSocketTransport::serverCloseCodeIsReported()
{
    ServerProcess server;
    QVERIFY(server.start());
    QtTimerSource timers;
    WebSocketTransport transport(timers);
    QSignalSpy opened(&transport, &WebSocketTransport::opened);
    QSignalSpy closed(&transport, &WebSocketTransport::closed);
    QSignalSpy received(&transport, &WebSocketTransport::messageReceived);
    transport.open(server.wsUrl());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, Timeout);
    QVERIFY(transport.isOpen());
    transport.send(R"({"type":"auth","payload":{"token":"nope"}})");
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    QCOMPARE(closed.first().at(0).toInt(), 4001);
    QVERIFY(!closed.first().at(1).toString().isEmpty());
    QVERIFY(received.count() >= 1); // the `error unauthorized` before the close
    QVERIFY(received.first().first().toByteArray().contains("unauthorized"));
}

void TestWebSocketTransport::ownCloseEmitsClosedOnce()
{
    ServerProcess server;
    QVERIFY(server.start());
    QtTimerSource timers;
    WebSocketTransport transport(timers);
    QSignalSpy opened(&transport, &WebSocketTransport::opened);
    QSignalSpy closed(&transport, &WebSocketTransport::closed);
    transport.open(server.wsUrl());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, Timeout);
    transport.close(4000, QStringLiteral("heartbeat timeout"));
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 4000);
    QVERIFY(!transport.isOpen());
    // Reopening works, and the old socket's late signals do not leak into it.
    transport.open(server.wsUrl());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, Timeout);
    QCOMPARE(closed.count(), 1);
    transport.close(1000, QStringLiteral("bye"));
    QCOMPARE(closed.count(), 2);
}

void TestWebSocketTransport::closeReachesADeadPeerAndEndsAtOnce()
{
    // The heartbeat case: the peer accepted us, then stopped answering. The
    // close frame must still go out with our code, and closing must not wait
    // for an answer that never comes.
    HandshakeRefuser server("101");
    QVERIFY(server.listen());
    ManualClock clock;
    ManualTimerSource timers(clock);
    WebSocketTransport transport(timers, 2000);
    QSignalSpy opened(&transport, &WebSocketTransport::opened);
    QSignalSpy closed(&transport, &WebSocketTransport::closed);
    transport.open(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, Timeout);
    transport.close(4000, QStringLiteral("heartbeat timeout"));
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 4000);
    QVERIFY(!transport.isOpen());
    QCOMPARE(timers.pendingCount(), 0);

    // A masked client frame: FIN+close opcode, mask bit + length, 4-byte mask, code.
    QTRY_VERIFY_WITH_TIMEOUT(server.afterHandshake.size() >= 8, Timeout);
    const QByteArray frame = server.afterHandshake;
    QCOMPARE(static_cast<quint8>(frame.at(0)), quint8(0x88));
    const auto unmasked = [&](int i) {
        return static_cast<quint8>(frame.at(6 + i) ^ frame.at(2 + i % 4));
    };
    QCOMPARE(unmasked(0) << 8 | unmasked(1), 4000);
}

QTEST_GUILESS_MAIN(TestWebSocketTransport)
#include "tst_websockettransport.moc"
