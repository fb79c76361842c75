// HttpConnection on a real socket: keep-alive and pipelining, every limit of
// HttpLimits answered with its status, and the WebSocket hand-over that
// leaves the handshake unread.

#include "RawHttpClient.h"

#include "server/http/HttpConnection.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace tandem::server::http;
using tandem::server::http::test::RawHttpClient;
using tandem::server::http::test::RawResponse;

class TestHttpConnection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void keepAliveServesTwoRequestsOnOneSocket();
    void pipelinedRequestsAreAnsweredInOrder();
    void postBodyIsEchoed();
    void chunkedBodyWithinLimitIsAssembled();
    void bodyLargerThanTheReadBufferArrives();
    void declaredBodyOverLimitIs413WithoutReadingIt();
    void chunkedBodyOverLimitIs413();
    void endlessHeadIs431();
    void slowHeadIs408();
    void slowBodyIs408();
    void idleKeepAliveConnectionIsClosed();
    void silentConnectionIsClosedWithoutAnswer();
    void malformedRequestIs400_data();
    void malformedRequestIs400();
    void garbageIsRefusedBeforeTheHeadTimeout();
    void blankLinesBeforeARequestAreIgnored();
    void expectContinueGets100First();
    void connectionCloseIsHonoured_data();
    void connectionCloseIsHonoured();
    void headAnswerHasNoBody();
    void webSocketUpgradeIsHandedOverUnread();
    void webSocketUpgradeOnAnotherPathIs404();
    void shutdownClosesIdleConnectionAndAnswersInFlightOne();

private:
    void accept();
    RawResponse roundTrip(RawHttpClient &client, const QByteArray &request);

    QTcpServer m_listener;
    HttpLimits m_limits;
    HttpConnection::RequestHandler m_handler;
    QString m_webSocketPath;
    QList<QPointer<HttpConnection>> m_connections;
    QList<int> m_served;
    int m_handled = 0;
    QList<QTcpSocket *> m_handedOver;
};

void TestHttpConnection::init()
{
    m_limits = HttpLimits();
    m_webSocketPath.clear();
    m_served.clear();
    m_handled = 0;
    // Echoes what it understood, so tests can see the parse.
    m_handler = [this](const HttpRequest &request, HttpResponder responder) {
        ++m_handled;
        HttpResponse response;
        response.body = request.body.isEmpty() ? request.method + ' ' + request.path.toUtf8() : request.body;
        response.headers = {{"X-Path", request.path.toUtf8()}};
        responder.send(response);
    };
    connect(&m_listener, &QTcpServer::pendingConnectionAvailable, this, &TestHttpConnection::accept);
    QVERIFY(m_listener.listen(QHostAddress::LocalHost, 0));
}

void TestHttpConnection::cleanup()
{
    m_listener.close();
    disconnect(&m_listener, nullptr, this, nullptr);
    for (const auto &connection : std::as_const(m_connections))
        delete connection.data();
    m_connections.clear();
    qDeleteAll(m_handedOver);
    m_handedOver.clear();
}

void TestHttpConnection::accept()
{
    while (QTcpSocket *socket = m_listener.nextPendingConnection()) {
        auto *connection = new HttpConnection(socket, m_limits, this);
        connection->setRequestHandler([this](const HttpRequest &request, HttpResponder responder) {
            m_handler(request, std::move(responder));
        });
        connection->setWebSocketPath(m_webSocketPath);
        connect(connection, &HttpConnection::requestServed, this,
                [this](int status) { m_served.append(status); });
        connect(connection, &HttpConnection::webSocketUpgradeRequested, this,
                [this](QTcpSocket *handed) { m_handedOver.append(handed); });
        m_connections.append(connection);
        connection->start();
    }
}

RawResponse TestHttpConnection::roundTrip(RawHttpClient &client, const QByteArray &request)
{
    const int before = client.responseCount();
    client.send(request);
    if (!QTest::qWaitFor([&] { return client.responseCount() > before; }))
        return {};
    return client.takeResponse();
}

void TestHttpConnection::keepAliveServesTwoRequestsOnOneSocket()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());

    const RawResponse first = roundTrip(client, RawHttpClient::get("/one"));
    QCOMPARE(first.status, 200);
    QCOMPARE(first.body, QByteArray("GET /one"));
    QCOMPARE(first.header("Connection"), QByteArray("keep-alive"));

    const RawResponse second = roundTrip(client, RawHttpClient::get("/two"));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, QByteArray("GET /two"));
    QVERIFY(client.isConnected());
    QCOMPARE(m_connections.size(), 1);
}

void TestHttpConnection::pipelinedRequestsAreAnsweredInOrder()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send(RawHttpClient::get("/first") +
                "POST /second HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" +
                RawHttpClient::post("/third", "xyz") + RawHttpClient::get("/fourth"));
    QTRY_COMPARE(client.responseCount(), 4);
    QCOMPARE(client.takeResponse().body, QByteArray("GET /first"));
    QCOMPARE(client.takeResponse().body, QByteArray("abc"));
    QCOMPARE(client.takeResponse().body, QByteArray("xyz"));
    QCOMPARE(client.takeResponse().body, QByteArray("GET /fourth"));
    QCOMPARE(m_handled, 4);
}

void TestHttpConnection::postBodyIsEchoed()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    const QByteArray body = R"({"username":"ada","password":"correct horse"})";
    const RawResponse response = roundTrip(client, RawHttpClient::post("/api/login", body));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, body);
}

void TestHttpConnection::chunkedBodyWithinLimitIsAssembled()
{
    m_limits.maxBodyBytes = 16;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    const RawResponse response = roundTrip(
        client,
        "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("0123456789abcdef"));
}

void TestHttpConnection::bodyLargerThanTheReadBufferArrives()
{
    // The socket's read buffer is bounded (64 KiB here): the body must still stream through it.
    QByteArray body(700 * 1024, 'x');
    for (qsizetype i = 0; i < body.size(); i += 997)
        body[i] = char('a' + (i % 26));
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send(RawHttpClient::post("/big", body));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body.size(), body.size());
    QVERIFY(response.body == body);
}

void TestHttpConnection::declaredBodyOverLimitIs413WithoutReadingIt()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    // Only the head: the answer must not wait for 10 MB that never come.
    client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 10485760\r\n\r\n");
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 413);
    QCOMPARE(response.errorCode(), QStringLiteral("too_large"));
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QTRY_VERIFY(client.isDisconnected());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::chunkedBodyOverLimitIs413()
{
    m_limits.maxBodyBytes = 10;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n89abcdef\r\n");
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().status, 413);
    QTRY_VERIFY(client.isDisconnected());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::endlessHeadIs431()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    QTRY_VERIFY(client.isConnected());
    client.send("GET / HTTP/1.1\r\n");
    // Keep sending header lines, never the blank line, until past 16 KiB or the server answers.
    for (int i = 0; i < 40 && !client.hasResponse() && !client.isDisconnected(); ++i) {
        client.send("X-Filler-" + QByteArray::number(i) + ": " + QByteArray(500, 'a') + "\r\n");
        QTRY_COMPARE(client.socket()->bytesToWrite(), 0);
    }
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 431);
    QCOMPARE(response.errorCode(), QStringLiteral("too_large"));
    QTRY_VERIFY(client.isDisconnected());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::slowHeadIs408()
{
    m_limits.headerTimeoutMs = 200;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send("GET /slow HTTP/1.1\r\nHost: te"); // and nothing more
    QTRY_VERIFY_WITH_TIMEOUT(client.hasResponse(), 5000);
    QCOMPARE(client.takeResponse().status, 408);
    QTRY_VERIFY(client.isDisconnected());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::slowBodyIs408()
{
    m_limits.bodyTimeoutMs = 200;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send("POST /slow HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    QTRY_VERIFY_WITH_TIMEOUT(client.hasResponse(), 5000);
    QCOMPARE(client.takeResponse().status, 408);
    QTRY_VERIFY(client.isDisconnected());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::idleKeepAliveConnectionIsClosed()
{
    m_limits.idleTimeoutMs = 200;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    QCOMPARE(roundTrip(client, RawHttpClient::get("/")).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(client.isDisconnected(), 5000);
    QCOMPARE(client.responseCount(), 0); // closed quietly: an idle client gets no unsolicited 408
    QCOMPARE(m_served, QList<int>{200});
}

void TestHttpConnection::silentConnectionIsClosedWithoutAnswer()
{
    m_limits.headerTimeoutMs = 200;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client.isDisconnected(), 5000);
    QVERIFY(client.received().isEmpty());
    QVERIFY(m_served.isEmpty());
}

void TestHttpConnection::malformedRequestIs400_data()
{
    QTest::addColumn<QByteArray>("wire");

    QTest::addRow("garbage request line") << QByteArray("HELLO WORLD\r\n\r\n");
    QTest::addRow("missing version") << QByteArray("GET /\r\n\r\n");
    QTest::addRow("unsupported version") << QByteArray("GET / HTTP/2.0\r\n\r\n");
    QTest::addRow("space in header name") << QByteArray("GET / HTTP/1.1\r\nBad Header: 1\r\n\r\n");
    QTest::addRow("length and chunked")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    QTest::addRow("bad chunk size") << QByteArray(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n");
    // The start of a TLS ClientHello, as a client configured for https sends to a plain port.
    QTest::addRow("tls to a plain port") << QByteArray::fromHex("160301020001000001fc0303") + "\r\n\r\n";
}

void TestHttpConnection::malformedRequestIs400()
{
    QFETCH(QByteArray, wire);
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send(wire);
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QStringLiteral("bad_request"));
    QTRY_VERIFY(client.isDisconnected());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::garbageIsRefusedBeforeTheHeadTimeout()
{
    // No blank line ever comes: without an early check this would hold the slot for headerTimeoutMs.
    m_limits.headerTimeoutMs = 60000;
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send(QByteArray::fromHex("160301020001000001fc0303"));
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().status, 400);
    QTRY_VERIFY(client.isDisconnected());
}

void TestHttpConnection::blankLinesBeforeARequestAreIgnored()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    const RawResponse response = roundTrip(client, "\r\n\r\n\r\n" + RawHttpClient::get("/after-blank-lines"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("GET /after-blank-lines"));
}

void TestHttpConnection::expectContinueGets100First()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send("POST /e HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().status, 100);
    QCOMPARE(m_handled, 0);
    client.send("hello");
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello"));
}

void TestHttpConnection::connectionCloseIsHonoured_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addRow("Connection: close") << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    QTest::addRow("HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n");
}

void TestHttpConnection::connectionCloseIsHonoured()
{
    QFETCH(QByteArray, wire);
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    const RawResponse response = roundTrip(client, wire);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QTRY_VERIFY(client.isDisconnected());
}

void TestHttpConnection::headAnswerHasNoBody()
{
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send("HEAD /h HTTP/1.1\r\n\r\n" + RawHttpClient::get("/after"));
    QTRY_VERIFY(client.received().contains("GET /after"));
    // The HEAD answer announces the GET body's length ("HEAD /h" is 7 bytes) but carries none.
    QVERIFY(client.received().startsWith("HTTP/1.1 200 OK\r\n"));
    const QByteArray head = client.received().left(client.received().indexOf("\r\n\r\n") + 4);
    QVERIFY(head.contains("Content-Length: 7\r\n"));
    QVERIFY(client.received().mid(head.size()).startsWith("HTTP/1.1 200 OK\r\n"));
}

void TestHttpConnection::webSocketUpgradeIsHandedOverUnread()
{
    m_webSocketPath = QStringLiteral("/ws");
    const QByteArray handshake =
        "GET /ws?v=1 HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send(handshake);
    QTRY_COMPARE(m_handedOver.size(), 1);
    QTcpSocket *socket = m_handedOver.first();
    QCOMPARE(socket->parent(), nullptr);
    QCOMPARE(socket->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(socket->peek(socket->bytesAvailable()), handshake); // not one byte consumed
    QTRY_VERIFY(m_connections.first().isNull());                 // the HTTP connection is gone
    QVERIFY(m_served.isEmpty());
    QVERIFY(client.received().isEmpty());
}

void TestHttpConnection::webSocketUpgradeOnAnotherPathIs404()
{
    m_webSocketPath = QStringLiteral("/ws");
    RawHttpClient client;
    client.connectTo(m_listener.serverPort());
    client.send("GET /other HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 404);
    QCOMPARE(response.errorCode(), QStringLiteral("not_found"));
    QTRY_VERIFY(client.isDisconnected());
    QVERIFY(m_handedOver.isEmpty());
    QCOMPARE(m_handled, 0);
}

void TestHttpConnection::shutdownClosesIdleConnectionAndAnswersInFlightOne()
{
    QList<HttpResponder> parked;
    m_handler = [&parked](const HttpRequest &, HttpResponder responder) {
        parked.append(responder);
    };

    RawHttpClient idle;
    idle.connectTo(m_listener.serverPort());
    RawHttpClient busy;
    busy.connectTo(m_listener.serverPort());
    busy.send(RawHttpClient::get("/slow"));
    QTRY_COMPARE(parked.size(), 1);
    QTRY_COMPARE(m_connections.size(), 2);

    for (const auto &connection : std::as_const(m_connections))
        connection->shutdown();
    QTRY_VERIFY(idle.isDisconnected());
    QVERIFY(!busy.isDisconnected());

    HttpResponse answer;
    answer.body = "late";
    parked.first().send(answer);
    QTRY_VERIFY(busy.hasResponse());
    const RawResponse response = busy.takeResponse();
    QCOMPARE(response.body, QByteArray("late"));
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QTRY_VERIFY(busy.isDisconnected());
}

QTEST_GUILESS_MAIN(TestHttpConnection)
#include "tst_httpconnection.moc"
