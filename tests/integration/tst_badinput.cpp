// Hostile and broken input against a real tandem-server: every case gets its
// typed error or close code, the server stays up, and a bystander in another
// room keeps chatting throughout.

#include "tests/support/RawWebSocket.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

using namespace tandem::test;

namespace {
using Frames = QList<QPair<int, QByteArray>>;

QByteArray chatSend(const QByteArray &roomId, const QByteArray &text)
{
    return R"({"type":"chat:send","payload":{"roomId":")" + roomId + R"(","text":")" + text + R"("}})";
}

QByteArray authFrame(const QString &token)
{
    return R"({"type":"auth","payload":{"token":")" + token.toLatin1() + R"("}})";
}

/// Reads an HTTP answer's status code from a raw socket; 0 when none arrived.
int readHttpStatus(QTcpSocket &socket, int timeoutMs)
{
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (!answer.contains("\r\n") && timer.elapsed() < timeoutMs) {
        if (!socket.waitForReadyRead(50) && socket.state() != QAbstractSocket::ConnectedState) {
            answer += socket.readAll();
            break;
        }
        answer += socket.readAll();
    }
    const QList<QByteArray> statusLine = answer.left(answer.indexOf("\r\n")).split(' ');
    return statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
}
} // namespace

class TestBadInput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void webSocketInput_data();
    void webSocketInput();
    void httpInput_data();
    void httpInput();
    void tooManyConnectionsForOneUser();
    void silentClientIsDropped();
    void slowConsumerIsClosedWith1013();
    void floodBeyondTheRateLimitIsClosedWith4008();
    void cleanup();

private:
    ServerProcess m_server{{QStringLiteral("[limits]"), QStringLiteral("max_message_bytes=65536"),
                            QStringLiteral("max_frame_bytes=65536"), QStringLiteral("max_text_length=1000"),
                            QStringLiteral("messages_per_second=10"), QStringLiteral("burst=100"),
                            QStringLiteral("rate_limit_strikes=5"), QStringLiteral("auth_timeout_ms=1500"),
                            QStringLiteral("max_connections_per_user=4"),
                            QStringLiteral("max_rooms_per_connection=3"), QStringLiteral("[http]"),
                            QStringLiteral("max_body_bytes=65536"), QStringLiteral("header_timeout_ms=1000"),
                            QStringLiteral("max_header_bytes=16384")}};
    TestClient m_bystander;
    QString m_token;
    QString m_expiredToken;
    int m_bystanderMessages = 0;
};

void TestBadInput::initTestCase()
{
    QVERIFY(m_server.start());
    QVERIFY(m_server.addUser(QStringLiteral("mallory")));
    QVERIFY(m_server.addUser(QStringLiteral("owner")));
    QVERIFY(m_server.addUser(QStringLiteral("bystander")));
    QVERIFY(m_server.addUser(QStringLiteral("crowd")));
    m_token = m_server.login(QStringLiteral("mallory"));
    QVERIFY(!m_token.isEmpty());

    TestClient owner;
    QVERIFY(owner.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("owner"))));
    QVERIFY(owner.join(QStringLiteral("vault"), std::nullopt, true));
    QVERIFY(owner.join(QStringLiteral("open-room")));
    TestClient member; // mallory is a member of open-room, so its checks get past membership
    QVERIFY(member.connectAndAuthenticate(m_server.wsUrl(), m_token));
    QVERIFY(member.join(QStringLiteral("open-room")));

    QVERIFY(
        m_bystander.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bystander"))));
    QVERIFY(m_bystander.join(QStringLiteral("lobby")));

    // An expired token, written straight into the server's database as a stale login would leave it.
    m_expiredToken = QStringLiteral("expired-token-expired-token-expired-token-x");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inject"));
        db.setDatabaseName(m_server.dataDir() + QStringLiteral("/tandem.db"));
        QVERIFY(db.open());
        QSqlQuery query(db);
        query.prepare(QStringLiteral(
            "INSERT INTO tokens (token_hash, user_id, expires_at, revoked) VALUES (?, ?, ?, 0)"));
        query.addBindValue(QCryptographicHash::hash(m_expiredToken.toUtf8(), QCryptographicHash::Sha256));
        query.addBindValue(QStringLiteral("mallory"));
        query.addBindValue(QStringLiteral("2020-01-01T00:00:00.000Z"));
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inject"));
}

void TestBadInput::init()
{
    QVERIFY(m_bystander.isOpen());
}

void TestBadInput::cleanup()
{
    // Whatever the last case did, the server still serves an honest client.
    const auto ack =
        m_bystander.chat(QStringLiteral("lobby"), QStringLiteral("still here %1").arg(++m_bystanderMessages));
    QVERIFY2(ack.has_value(), "the bystander lost service");
    QCOMPARE(ack->value(QLatin1String("seq")).toInteger(), m_bystanderMessages);
}

void TestBadInput::webSocketInput_data()
{
    QTest::addColumn<bool>("authenticate");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<Frames>("frames");
    QTest::addColumn<QString>("expectedError"); ///< empty: no error message expected
    QTest::addColumn<int>("expectedClose");     ///< 0: the connection must stay usable

    const QByteArray ws = "/ws";
    auto text = [](const QByteArray &payload) {
        return Frames{{RawWebSocket::Text, payload}};
    };
    const QString bad = QStringLiteral("bad_request");

    QTest::addRow("invalid JSON") << true << ws << text("{\"type\":") << bad << 0;
    QTest::addRow("JSON array") << true << ws << text("[1,2,3]") << bad << 0;
    QTest::addRow("JSON number") << true << ws << text("42") << bad << 0;
    QTest::addRow("missing type") << true << ws << text(R"({"payload":{}})") << bad << 0;
    QTest::addRow("type is a number") << true << ws << text(R"({"type":7})") << bad << 0;
    QTest::addRow("unknown type") << true << ws << text(R"({"type":"chat:explode","payload":{}})") << bad
                                  << 0;
    QTest::addRow("payload is a string")
        << true << ws << text(R"({"type":"ping","payload":"x"})") << bad << 0;
    QTest::addRow("id is a number") << true << ws << text(R"({"id":1,"type":"ping"})") << bad << 0;
    QTest::addRow("cid too long") << true << ws
                                  << text(R"({"cid":")" + QByteArray(200, 'c') + R"(","type":"ping"})") << bad
                                  << 0;
    QTest::addRow("missing roomId") << true << ws << text(R"({"type":"chat:send","payload":{"text":"hi"}})")
                                    << bad << 0;
    QTest::addRow("roomId is a number")
        << true << ws << text(R"({"type":"chat:send","payload":{"roomId":5,"text":"hi"}})") << bad << 0;
    QTest::addRow("text is an object")
        << true << ws << text(R"({"type":"chat:send","payload":{"roomId":"lobby","text":{}}})") << bad << 0;
    QTest::addRow("empty text") << true << ws << text(chatSend("lobby", "")) << bad << 0;
    QTest::addRow("text over the limit") << true << ws << text(chatSend("open-room", QByteArray(1001, 'x')))
                                         << QStringLiteral("too_large") << 0;
    QTest::addRow("room id with a slash")
        << true << ws << text(R"({"type":"room:join","payload":{"roomId":"../etc"}})") << bad << 0;
    QTest::addRow("since is negative")
        << true << ws << text(R"({"type":"room:join","payload":{"roomId":"lobby","since":-3}})") << bad << 0;
    QTest::addRow("since is a string")
        << true << ws << text(R"({"type":"room:join","payload":{"roomId":"lobby","since":"3"}})") << bad << 0;
    QTest::addRow("history limit too big")
        << true << ws << text(R"({"type":"history:fetch","payload":{"roomId":"lobby","limit":100000}})")
        << bad << 0;
    QTest::addRow("history of a missing room")
        << true << ws << text(R"({"type":"history:fetch","payload":{"roomId":"no-such-room"}})")
        << QStringLiteral("not_found") << 0;
    QTest::addRow("chat to a missing room")
        << true << ws << text(chatSend("no-such-room", "hi")) << QStringLiteral("not_found") << 0;
    QTest::addRow("chat without membership")
        << true << ws << text(chatSend("vault", "hi")) << QStringLiteral("forbidden") << 0;
    const auto patch = [](const QByteArray &body, const QByteArray &cid = "c-1") {
        return QByteArray(R"({"type":"entity:patch",)") + (cid.isEmpty() ? "" : "\"cid\":\"" + cid + "\",") +
               R"("payload":)" + body + "}";
    };
    QTest::addRow("entity patch without a cid")
        << true << ws
        << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":0,"patch":{"topic":"x"}})", ""))
        << bad << 0;
    QTest::addRow("entity patch of an unknown entity")
        << true << ws << text(patch(R"({"roomId":"lobby","entity":"users","baseVersion":0,"patch":{"x":1}})"))
        << bad << 0;
    QTest::addRow("entity patch of an unknown field")
        << true << ws
        << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":0,"patch":{"owner":"me"}})")) << bad
        << 0;
    QTest::addRow("entity patch that sets nothing")
        << true << ws << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":0,"patch":{}})"))
        << bad << 0;
    QTest::addRow("topic over the limit")
        << true << ws
        << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":0,"patch":{"topic":")" +
                      QByteArray(501, 't') + R"("}})"))
        << QStringLiteral("too_large") << 0;
    QTest::addRow("message delete with a text")
        << true << ws
        << text(patch(R"({"roomId":"lobby","entity":"message/m1","baseVersion":1,)"
                      R"("patch":{"deleted":true,"text":"x"}})"))
        << bad << 0;
    QTest::addRow("negative base version")
        << true << ws
        << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":-1,"patch":{"topic":"x"}})")) << bad
        << 0;
    QTest::addRow("patch is a string")
        << true << ws << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":0,"patch":"topic"})"))
        << bad << 0;
    QTest::addRow("hlc too long")
        << true << ws
        << text(patch(R"({"roomId":"lobby","entity":"room","baseVersion":0,"patch":{"topic":"x"},"hlc":")" +
                      QByteArray(65, '9') + R"("})"))
        << bad << 0;
    QTest::addRow("entity patch without membership")
        << true << ws
        << text(patch(R"({"roomId":"vault","entity":"room","baseVersion":0,"patch":{"topic":"x"}})"))
        << QStringLiteral("forbidden") << 0;
    QTest::addRow("edit of a message that does not exist")
        << true << ws
        << text(patch(
               R"({"roomId":"open-room","entity":"message/nope","baseVersion":1,"patch":{"text":"x"}})"))
        << QStringLiteral("not_found") << 0;
    QTest::addRow("typing without joining")
        << true << ws << text(R"({"type":"typing:start","payload":{"roomId":"lobby"}})")
        << QStringLiteral("forbidden") << 0;
    QTest::addRow("cursor with a string x")
        << true << ws << text(R"({"type":"cursor:move","payload":{"roomId":"lobby","x":"1","y":2}})") << bad
        << 0;
    QTest::addRow("presence busy") << true << ws
                                   << text(R"({"type":"presence:set","payload":{"status":"busy"}})") << bad
                                   << 0;
    QTest::addRow("auth twice") << true << ws << text(authFrame(QStringLiteral("again"))) << bad << 0;
    QTest::addRow("join a private room without membership")
        << true << ws << text(R"({"type":"room:join","payload":{"roomId":"vault"}})")
        << QStringLiteral("forbidden") << 0;
    QTest::addRow("protocol version 2 in the envelope")
        << true << ws << text(R"({"v":2,"type":"ping"})") << QStringLiteral("unsupported_version") << 1002;
    QTest::addRow("protocol version 2 on the URL")
        << false << QByteArray("/ws?v=2") << Frames{} << QStringLiteral("unsupported_version") << 1002;
    QTest::addRow("frame over the limit")
        << true << ws << text(chatSend("lobby", QByteArray(70000, 'x'))) << QString() << 1009;
    QTest::addRow("invalid UTF-8") << true << ws << text(QByteArray("{\"type\":\"ping\",\"x\":\"\xff\xfe\"}"))
                                   << QString() << 1007;
    // Binary frames are document frames: lib0 varString roomId + a y-websocket message.
    QTest::addRow("binary frame without a room id")
        << true << ws << Frames{{RawWebSocket::Binary, QByteArray("\x00\x01\x02", 3)}} << bad << 0;
    QTest::addRow("binary frame with a room id longer than the frame")
        << true << ws << Frames{{RawWebSocket::Binary, QByteArray("\x7fopen-room", 10)}} << bad << 0;
    QTest::addRow("binary frame for a document not open")
        << true << ws << Frames{{RawWebSocket::Binary, QByteArray("\x09open-room\x00\x00\x01\x00", 14)}}
        << QStringLiteral("forbidden") << 0;
    const QByteArray openDocument = R"({"type":"doc:open","payload":{"roomId":"open-room"}})";
    QTest::addRow("truncated update in a document frame")
        << true << ws
        << Frames{{RawWebSocket::Text, openDocument},
                  {RawWebSocket::Binary, QByteArray("\x09open-room\x00\x02\x0c\x01\x01", 14)}}
        << bad << 0;
    QTest::addRow("unknown y-websocket message type")
        << true << ws
        << Frames{{RawWebSocket::Text, openDocument},
                  {RawWebSocket::Binary, QByteArray("\x09open-room\x07", 11)}}
        << bad << 0;
    QTest::addRow("doc:open of a missing room")
        << true << ws << text(R"({"type":"doc:open","payload":{"roomId":"nowhere"}})")
        << QStringLiteral("not_found") << 0;
    QTest::addRow("doc:open of a private room without membership")
        << true << ws << text(R"({"type":"doc:open","payload":{"roomId":"vault"}})")
        << QStringLiteral("forbidden") << 0;
    QTest::addRow("doc:open with an unknown encoding")
        << true << ws << text(R"({"type":"doc:open","payload":{"roomId":"open-room","encoding":"hex"}})")
        << bad << 0;
    QTest::addRow("doc:open without a room")
        << true << ws << text(R"({"type":"doc:open","payload":{}})") << bad << 0;
    QTest::addRow("doc:close with a bad room id")
        << true << ws << text(R"({"type":"doc:close","payload":{"roomId":"a/b"}})") << bad << 0;
    QTest::addRow("doc:message that is not base64")
        << true << ws << text(R"({"type":"doc:message","payload":{"roomId":"open-room","data":"%%%"}})")
        << bad << 0;
    QTest::addRow("doc:message with empty data")
        << true << ws << text(R"({"type":"doc:message","payload":{"roomId":"open-room","data":""}})") << bad
        << 0;
    QTest::addRow("doc:message for a document not open")
        << true << ws << text(R"({"type":"doc:message","payload":{"roomId":"open-room","data":"AAABAA=="}})")
        << QStringLiteral("forbidden") << 0;
    QTest::addRow("binary frame before auth")
        << false << ws << Frames{{RawWebSocket::Binary, QByteArray("\x09open-room\x00\x00\x01\x00", 14)}}
        << QStringLiteral("unauthorized") << 4001;
    QTest::addRow("send before auth")
        << false << ws << text(chatSend("lobby", "hi")) << QStringLiteral("unauthorized") << 4001;
    QTest::addRow("garbage before auth") << false << ws << text("hello?") << bad << 4001;
    QTest::addRow("bad token") << false << ws << text(authFrame(QStringLiteral("not-a-token")))
                               << QStringLiteral("unauthorized") << 4001;
    QTest::addRow("bad token on the URL")
        << false << QByteArray("/ws?token=forged") << Frames{} << QStringLiteral("unauthorized") << 4001;
    QTest::addRow("expired token") << false << ws
                                   << text(authFrame(
                                          QStringLiteral("expired-token-expired-token-expired-token-x")))
                                   << QStringLiteral("unauthorized") << 4001;
    QTest::addRow("no auth in time") << false << ws << Frames{} << QString() << 4001;
    Frames fourRooms;
    for (const QByteArray room : {"r1", "r2", "r3", "r4"})
        fourRooms.append(
            {RawWebSocket::Text, R"({"type":"room:join","payload":{"roomId":")" + room + R"("}})"});
    QTest::addRow("a fourth room over the per-connection limit")
        << true << ws << fourRooms << QStringLiteral("rate_limited") << 0;
}

void TestBadInput::webSocketInput()
{
    QFETCH(bool, authenticate);
    QFETCH(QByteArray, path);
    QFETCH(Frames, frames);
    QFETCH(QString, expectedError);
    QFETCH(int, expectedClose);

    RawWebSocket socket;
    QVERIFY(socket.open(m_server.port(), path));
    if (authenticate) {
        socket.sendText(authFrame(m_token));
        const auto ok = socket.nextMessage();
        QVERIFY(ok);
        QCOMPARE(ok->value(QLatin1String("type")).toString(), QStringLiteral("auth:ok"));
    }
    for (const auto &[opcode, payload] : frames)
        socket.sendFrame(static_cast<RawWebSocket::Opcode>(opcode), payload);

    if (!expectedError.isEmpty())
        QCOMPARE(socket.nextErrorCode(), expectedError);
    if (expectedClose) {
        QCOMPARE(socket.waitForClose(), expectedClose);
        return;
    }
    // Still open and still answering.
    socket.sendText(R"({"id":"after","type":"ping"})");
    const auto pong = socket.nextMessage();
    QVERIFY(pong);
    QCOMPARE(pong->value(QLatin1String("type")).toString(), QStringLiteral("pong"));
}

void TestBadInput::httpInput_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>(
        "trailer"); ///< streamed after the head, in 64 KiB chunks, while it is accepted
    QTest::addColumn<int>("expectedStatus");

    QTest::addRow("10 MB body")
        << QByteArray("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 10485760\r\n\r\n")
        << QByteArray(10 * 1024 * 1024, 'a') << 413;
    QTest::addRow("header with no end")
        << QByteArray("GET /healthz HTTP/1.1\r\nX-Long: ") << QByteArray(40000, 'h') << 431;
    QTest::addRow("slowloris") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\n") << QByteArray() << 408;
    QTest::addRow("garbage request line") << QByteArray("HELLO THERE\r\n\r\n") << QByteArray() << 400;
    QTest::addRow("login body is not JSON")
        << QByteArray("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello") << QByteArray()
        << 400;
    QTest::addRow("login without password")
        << QByteArray(
               "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n{\"username\":\"mallo\"}")
        << QByteArray() << 400;
    QTest::addRow("wrong password") << QByteArray(
                                           "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 42\r\n\r\n"
                                           "{\"username\":\"mallory\",\"password\":\"guess!\"}")
                                    << QByteArray() << 401;
    QTest::addRow("unknown path") << QByteArray("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray()
                                  << 404;
    QTest::addRow("wrong method") << QByteArray("DELETE /api/login HTTP/1.1\r\nHost: x\r\n\r\n")
                                  << QByteArray() << 405;
    QTest::addRow("upgrade on another path")
        << QByteArray("GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        << QByteArray() << 404;
    QTest::addRow("rooms without token")
        << QByteArray("GET /api/rooms HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray() << 401;
    QTest::addRow("entity patch without token")
        << QByteArray("PATCH /api/entities/lobby/room HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        << QByteArray() << 401;
    QTest::addRow("entity with a wrong method")
        << QByteArray("DELETE /api/entities/lobby/room HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray() << 405;
}

void TestBadInput::httpInput()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, trailer);
    QFETCH(int, expectedStatus);

    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(request);
    // Stream the rest only while the server still accepts it: it is expected to answer early.
    for (qsizetype offset = 0; offset < trailer.size() && socket.state() == QAbstractSocket::ConnectedState;
         offset += 65536) {
        socket.write(trailer.mid(offset, 65536));
        socket.waitForBytesWritten(1000);
        if (socket.bytesAvailable() > 0)
            break;
    }
    QCOMPARE(readHttpStatus(socket, 10000), expectedStatus);
}

void TestBadInput::tooManyConnectionsForOneUser()
{
    const QString token = m_server.login(QStringLiteral("crowd"));
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<TestClient>());
        QVERIFY(clients.back()->connectAndAuthenticate(m_server.wsUrl(), token));
    }
    RawWebSocket fifth;
    QVERIFY(fifth.open(m_server.port()));
    fifth.sendText(authFrame(token));
    QCOMPARE(fifth.nextErrorCode(), QStringLiteral("rate_limited"));
    QCOMPARE(fifth.waitForClose(), 4008);
    // The four that were admitted keep working.
    clients.front()->send(QStringLiteral("ping"));
    QVERIFY(clients.front()->take(QStringLiteral("pong")));
}

void TestBadInput::silentClientIsDropped()
{
    ServerProcess quickServer{{QStringLiteral("[limits]"), QStringLiteral("idle_timeout_ms=500")}};
    QVERIFY(quickServer.start());
    QVERIFY(quickServer.addUser(QStringLiteral("quiet")));
    RawWebSocket socket;
    QVERIFY(socket.open(quickServer.port()));
    socket.sendText(authFrame(quickServer.login(QStringLiteral("quiet"))));
    QVERIFY(socket.nextMessage());
    // Sends nothing more; the server must let go of it with the heartbeat-timeout code.
    QCOMPARE(socket.waitForClose(10000), 4000);
}

void TestBadInput::slowConsumerIsClosedWith1013()
{
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("outgoing_soft_limit_bytes=16384"),
                          QStringLiteral("outgoing_hard_limit_bytes=65536"),
                          QStringLiteral("messages_per_second=100000"), QStringLiteral("burst=100000")}};
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("talker")));
    QVERIFY(server.addUser(QStringLiteral("sleeper")));

    // The sleeper joins and then stops reading; a tiny receive buffer makes the kernel push back early.
    RawWebSocket sleeper;
    QVERIFY(sleeper.open(server.port(), "/ws", 4096)); // a small receive buffer, set before connecting
    sleeper.sendText(authFrame(server.login(QStringLiteral("sleeper"))));
    sleeper.sendText(R"({"id":"j","type":"room:join","payload":{"roomId":"busy"}})");
    QVERIFY(sleeper.nextMessage()); // auth:ok
    QVERIFY(sleeper.nextMessage()); // room:joined
    // From here on the test process itself must not drain the socket in the background either.
    sleeper.socket().setReadBufferSize(4096);

    TestClient talker;
    QVERIFY(talker.connectAndAuthenticate(server.wsUrl(), server.login(QStringLiteral("talker"))));
    QVERIFY(talker.join(QStringLiteral("busy")));
    const QString text(8000, u'x');
    bool closedForSlowness = false;
    for (int round = 0; round < 100 && !closedForSlowness; ++round) {
        for (int i = 0; i < 50; ++i)
            talker.send(QStringLiteral("chat:send"),
                        {{QStringLiteral("roomId"), QStringLiteral("busy")}, {QStringLiteral("text"), text}});
        QTRY_VERIFY_WITH_TIMEOUT(
            talker.received(QStringLiteral("ack")).size() == (round + 1) * 50 || !talker.isOpen(), 20000);
        QVERIFY2(talker.isOpen(), qPrintable(talker.socket().closeReason()));
        closedForSlowness = server.log().contains("outgoing queue at");
    }
    QVERIFY2(closedForSlowness, server.log().right(3000).constData());

    // What was queued before the close still arrives, then the close frame says why.
    QCOMPARE(sleeper.waitForClose(20000), 1013);
    // The talker was never affected.
    QVERIFY(talker.isOpen());
    QVERIFY(talker.chat(QStringLiteral("busy"), QStringLiteral("still fine")));
}

void TestBadInput::floodBeyondTheRateLimitIsClosedWith4008()
{
    RawWebSocket socket;
    QVERIFY(socket.open(m_server.port()));
    socket.sendText(authFrame(m_token));
    QVERIFY(socket.nextMessage());
    // One ping at a time, each answered before the next: thousands per second, far over the limit,
    // and the server never holds unread input when it closes (unread input would turn the close
    // into a TCP reset that can destroy the close frame before the client reads it).
    QStringList answers;
    for (int i = 0; i < 1000 && socket.isOpen(); ++i) {
        socket.sendText(R"({"type":"ping"})");
        const auto answer = socket.nextMessage();
        if (!answer)
            break;
        answers.append(
            answer->value(QLatin1String("type")).toString() == QLatin1String("error")
                ? answer->value(QLatin1String("payload")).toObject().value(QLatin1String("code")).toString()
                : answer->value(QLatin1String("type")).toString());
    }
    // The burst (100, less the auth message's unit, plus whatever drained meanwhile at 10/s) passes,
    // then refusals, then the close once rate_limit_strikes (5) refusals have piled up.
    QVERIFY(answers.count(QStringLiteral("pong")) >= 99);
    QVERIFY(answers.count(QStringLiteral("pong")) < 200);
    QCOMPARE(answers.first(), QStringLiteral("pong"));
    QCOMPARE(answers.last(), QStringLiteral("rate_limited"));
    QVERIFY(answers.count(QStringLiteral("rate_limited")) >= 5);
    QCOMPARE(socket.waitForClose(), 4008);
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
