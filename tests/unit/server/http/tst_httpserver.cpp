// HttpServer end to end: routing, the connection cap, WebSocket upgrades
// handed to a QWebSocketServer (and counted until their socket dies), and
// the same over TLS.

#include "RawHttpClient.h"

#include "server/http/HttpServer.h"
#include "tests/support/TestCertificate.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace tandem::server::http;
using tandem::ManualClock;
using tandem::server::http::test::RawHttpClient;
using tandem::server::http::test::RawResponse;

namespace {

/// A WebSocket server that echoes text and keeps its sockets, like the hub does.
class EchoWebSocketServer : public QWebSocketServer {
public:
    enum class OnDisconnect { Keep, DeleteLater };

    explicit EchoWebSocketServer(SslMode mode, OnDisconnect onDisconnect = OnDisconnect::DeleteLater)
        : QWebSocketServer(QStringLiteral("tandem-test"), mode)
    {
        connect(this, &QWebSocketServer::newConnection, this, [this, onDisconnect] {
            while (QWebSocket *socket = nextPendingConnection()) {
                socket->setParent(this); // freed with the server if it never disconnects
                sockets.append(socket);
                lastRequestUrl = socket->requestUrl();
                connect(socket, &QWebSocket::textMessageReceived, socket,
                        [socket](const QString &text) { socket->sendTextMessage(text); });
                if (onDisconnect == OnDisconnect::DeleteLater)
                    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QList<QPointer<QWebSocket>> sockets;
    QUrl lastRequestUrl;
};

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void getAnswersJson();
    void pathParametersReachTheHandler();
    void unknownPathIs404Json();
    void wrongMethodIs405WithAllow();
    void connectionCapAnswers503BeforeReading();
    void newConnectionsPerAddressAreRateLimitedWith429();
    void webSocketUpgradeReachesTheWebSocketServer();
    void largeWebSocketMessagePassesTheHandedOverSocket();
    void webSocketUpgradeOnAnotherPathIs404();
    void connectionCountDropsAfterWebSocketCloses_data();
    void connectionCountDropsAfterWebSocketCloses();
    void webSocketsCountTowardTheCap();
    void closeStopsListeningAndClosesConnections();
    void listenFailureIsReported();
    void acceptingResumesAfterRunningOutOfDescriptors();
    void httpsGet();
    void wssEcho();

private:
    static void addRoutes(HttpServer &server);

    tandem::test::TestCertificate m_tls;
};

void TestHttpServer::initTestCase()
{
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend");
    QVERIFY2(m_tls.create(), qPrintable(m_tls.errorString()));
}

void TestHttpServer::addRoutes(HttpServer &server)
{
    server.route("GET", QStringLiteral("/healthz"), [](const HttpRequest &request, HttpResponder responder) {
        responder.send(HttpResponse::json(200, {{QStringLiteral("status"), QStringLiteral("ok")},
                                                {QStringLiteral("peer"), request.peer.toString()}}));
    });
    server.route(
        "GET", QStringLiteral("/api/rooms/{roomId}/messages"),
        [](const HttpRequest &request, HttpResponder responder) {
            responder.send(HttpResponse::json(
                200, {{QStringLiteral("roomId"), request.pathParam(QStringLiteral("roomId"))},
                      {QStringLiteral("limit"), request.query.queryItemValue(QStringLiteral("limit"))}}));
        });
    server.route(
        "POST", QStringLiteral("/api/rooms/{roomId}/messages"),
        [](const HttpRequest &, HttpResponder responder) { responder.send(HttpResponse::json(201, {})); });
}

void TestHttpServer::getAnswersJson()
{
    HttpServer server(HttpLimits{});
    addRoutes(server);
    QSignalSpy served(&server, &HttpServer::requestServed);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(server.serverAddress(), QHostAddress(QHostAddress::LocalHost));

    RawHttpClient client;
    client.connectTo(server.serverPort());
    client.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(response.json().value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(response.json().value(QLatin1String("peer")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(served.count(), 1);
    QCOMPARE(served.first().first().toInt(), 200);
}

void TestHttpServer::pathParametersReachTheHandler()
{
    HttpServer server(HttpLimits{});
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    RawHttpClient client;
    client.connectTo(server.serverPort());
    client.send(RawHttpClient::get("/api/rooms/design%20team/messages?limit=20"));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("roomId")).toString(), QStringLiteral("design team"));
    QCOMPARE(response.json().value(QLatin1String("limit")).toString(), QStringLiteral("20"));
}

void TestHttpServer::unknownPathIs404Json()
{
    HttpServer server(HttpLimits{});
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    RawHttpClient client;
    client.connectTo(server.serverPort());
    client.send(RawHttpClient::get("/api/unknown"));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 404);
    QCOMPARE(response.errorCode(), QStringLiteral("not_found"));
    QCOMPARE(response.header("Connection"), QByteArray("keep-alive")); // a 404 does not cost the connection
}

void TestHttpServer::wrongMethodIs405WithAllow()
{
    HttpServer server(HttpLimits{});
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    RawHttpClient client;
    client.connectTo(server.serverPort());
    client.send("DELETE /api/rooms/general/messages HTTP/1.1\r\nHost: test\r\n\r\n");
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 405);
    QCOMPARE(response.header("Allow"), QByteArray("GET, HEAD, POST"));
    QCOMPARE(response.errorCode(), QStringLiteral("bad_request"));
}

void TestHttpServer::newConnectionsPerAddressAreRateLimitedWith429()
{
    HttpLimits limits;
    limits.newConnectionBurstPerAddress = 3;
    limits.newConnectionsPerSecondPerAddress = 1;
    ManualClock clock;
    HttpServer server(limits, clock);
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    // The burst is admitted, even after they leave again (it counts openings, not open sockets).
    for (int i = 0; i < 3; ++i) {
        RawHttpClient client;
        client.connectTo(server.serverPort());
        client.send(RawHttpClient::get("/healthz"));
        QTRY_VERIFY(client.hasResponse());
        QCOMPARE(client.takeResponse().status, 200);
    }
    // The next one is refused before a byte of its request is read.
    RawHttpClient refused;
    refused.connectTo(server.serverPort());
    QTRY_VERIFY(refused.hasResponse());
    const RawResponse answer = refused.takeResponse();
    QCOMPARE(answer.status, 429);
    QCOMPARE(answer.errorCode(), QStringLiteral("rate_limited"));
    QTRY_VERIFY(refused.isDisconnected());

    // One second later the bucket has drained by one: one more gets in.
    clock.advance(1000);
    RawHttpClient later;
    later.connectTo(server.serverPort());
    later.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(later.hasResponse());
    QCOMPARE(later.takeResponse().status, 200);
}

void TestHttpServer::connectionCapAnswers503BeforeReading()
{
    HttpLimits limits;
    limits.maxConnections = 2;
    HttpServer server(limits);
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    RawHttpClient first;
    first.connectTo(server.serverPort());
    RawHttpClient second;
    second.connectTo(server.serverPort());
    QTRY_COMPARE(server.connectionCount(), 2);

    RawHttpClient third; // sends nothing: the answer must not wait for a request
    third.connectTo(server.serverPort());
    QTRY_VERIFY(third.hasResponse());
    const RawResponse refused = third.takeResponse();
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.errorCode(), QStringLiteral("rate_limited"));
    QTRY_VERIFY(third.isDisconnected());
    QCOMPARE(server.connectionCount(), 2);

    // The two admitted ones are served; once one leaves, a newcomer gets in.
    first.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(first.hasResponse());
    QCOMPARE(first.takeResponse().status, 200);
    second.socket()->abort();
    QTRY_COMPARE(server.connectionCount(), 1);
    RawHttpClient fourth;
    fourth.connectTo(server.serverPort());
    fourth.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(fourth.hasResponse());
    QCOMPARE(fourth.takeResponse().status, 200);
}

void TestHttpServer::webSocketUpgradeReachesTheWebSocketServer()
{
    EchoWebSocketServer webSockets(QWebSocketServer::NonSecureMode);
    HttpServer server(HttpLimits{});
    addRoutes(server);
    server.setWebSocketServer(&webSockets, QStringLiteral("/ws"));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws?v=1").arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(webSockets.sockets.size(), 1);
    QCOMPARE(webSockets.lastRequestUrl.path(), QStringLiteral("/ws"));
    QCOMPARE(server.connectionCount(), 1);

    client.sendTextMessage(QStringLiteral("hello over the hand-over"));
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.first().first().toString(), QStringLiteral("hello over the hand-over"));

    // Plain HTTP still works on the same port next to the WebSocket.
    RawHttpClient http;
    http.connectTo(server.serverPort());
    http.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(http.hasResponse());
    QCOMPARE(http.takeResponse().status, 200);
    QCOMPARE(server.connectionCount(), 2);
}

void TestHttpServer::largeWebSocketMessagePassesTheHandedOverSocket()
{
    // The HTTP layer bounds the socket's read buffer; a WebSocket message larger than it must still pass.
    EchoWebSocketServer webSockets(QWebSocketServer::NonSecureMode);
    HttpServer server(HttpLimits{});
    server.setWebSocketServer(&webSockets);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    const QString big(300 * 1024, QLatin1Char('m'));
    client.sendTextMessage(big);
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.first().first().toString(), big);
}

void TestHttpServer::webSocketUpgradeOnAnotherPathIs404()
{
    EchoWebSocketServer webSockets(QWebSocketServer::NonSecureMode);
    HttpServer server(HttpLimits{});
    server.setWebSocketServer(&webSockets, QStringLiteral("/ws"));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    // A raw client: a 6.4.2 QWebSocket stays in ConnectingState forever after a non-101 answer.
    RawHttpClient client;
    client.connectTo(server.serverPort());
    client.send("GET /other HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().status, 404);
    QTRY_VERIFY(client.isDisconnected());
    QVERIFY(webSockets.sockets.isEmpty());
}

void TestHttpServer::connectionCountDropsAfterWebSocketCloses_data()
{
    QTest::addColumn<bool>("clientCloses");
    QTest::addColumn<EchoWebSocketServer::OnDisconnect>("onDisconnect");

    // The server deleting its QWebSocket on disconnected() is the hub's pattern, and the one where
    // ~QWebSocket disconnect()s every signal of the socket before the socket itself dies.
    QTest::addRow("client closes, server deletes its QWebSocket")
        << true << EchoWebSocketServer::OnDisconnect::DeleteLater;
    QTest::addRow("client closes, server keeps its QWebSocket")
        << true << EchoWebSocketServer::OnDisconnect::Keep;
    QTest::addRow("server closes, server deletes its QWebSocket")
        << false << EchoWebSocketServer::OnDisconnect::DeleteLater;
}

void TestHttpServer::connectionCountDropsAfterWebSocketCloses()
{
    QFETCH(bool, clientCloses);
    QFETCH(EchoWebSocketServer::OnDisconnect, onDisconnect);

    EchoWebSocketServer webSockets(QWebSocketServer::NonSecureMode, onDisconnect);
    HttpServer server(HttpLimits{});
    server.setWebSocketServer(&webSockets);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QWebSocket client;
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(webSockets.sockets.size(), 1);
    QCOMPARE(server.connectionCount(), 1);

    if (clientCloses)
        client.close();
    else
        webSockets.sockets.first()->close();
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QTRY_COMPARE(server.connectionCount(), 0);
}

void TestHttpServer::webSocketsCountTowardTheCap()
{
    HttpLimits limits;
    limits.maxConnections = 1;
    EchoWebSocketServer webSockets(QWebSocketServer::NonSecureMode);
    HttpServer server(limits);
    addRoutes(server);
    server.setWebSocketServer(&webSockets);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QWebSocket client;
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    RawHttpClient http;
    http.connectTo(server.serverPort());
    QTRY_VERIFY(http.hasResponse());
    QCOMPARE(http.takeResponse().status, 503);
}

void TestHttpServer::closeStopsListeningAndClosesConnections()
{
    HttpServer server(HttpLimits{});
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();

    RawHttpClient client;
    client.connectTo(port);
    client.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(client.hasResponse());
    server.close();
    QVERIFY(!server.isListening());
    QTRY_VERIFY(client.isDisconnected());
    QTRY_COMPARE(server.connectionCount(), 0);

    QTcpSocket late;
    QSignalSpy failed(&late, &QAbstractSocket::errorOccurred);
    late.connectToHost(QHostAddress::LocalHost, port);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
}

void TestHttpServer::listenFailureIsReported()
{
    HttpServer first(HttpLimits{});
    QVERIFY(first.listen(QHostAddress::LocalHost, 0));
    HttpServer second(HttpLimits{});
    QVERIFY(!second.listen(QHostAddress::LocalHost, first.serverPort()));
    QVERIFY(!second.errorString().isEmpty());
}

namespace {
bool g_acceptFailureLogged = false;
QtMessageHandler g_previousHandler = nullptr;
void noteAcceptFailure(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("accepting a connection failed")))
        g_acceptFailureLogged = true;
    g_previousHandler(type, context, message);
}
} // namespace

void TestHttpServer::acceptingResumesAfterRunningOutOfDescriptors()
{
#ifndef Q_OS_LINUX
    QSKIP("relies on Linux RLIMIT_NOFILE semantics");
#else
    // Qt pauses a QTcpServer for good after accept() fails with EMFILE; the server must recover.
    HttpServer server(HttpLimits{});
    addRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    rlimit original{};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &original), 0);
    RawHttpClient client;
    client.connectTo(server.serverPort()); // the client's descriptor exists; the kernel queues the connection
    const int lowestFree = ::dup(0);
    QVERIFY(lowestFree >= 0);
    ::close(lowestFree);
    rlimit tight = original;
    tight.rlim_cur = static_cast<rlim_t>(lowestFree); // no descriptor left for accept()
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &tight), 0);

    g_acceptFailureLogged = false;
    g_previousHandler = qInstallMessageHandler(noteAcceptFailure);
    const bool failed = QTest::qWaitFor([] { return g_acceptFailureLogged; }, 5000);
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &original), 0);
    qInstallMessageHandler(g_previousHandler);
    QVERIFY(failed);

    client.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().status, 200);
#endif
}

void TestHttpServer::httpsGet()
{
    HttpServer server(HttpLimits{});
    addRoutes(server);
    server.setTlsConfiguration(m_tls.serverConfiguration());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto socket = std::make_unique<QSslSocket>();
    QSslSocket *tls = socket.get();
    tls->setSslConfiguration(m_tls.clientConfiguration());
    QSignalSpy sslErrors(tls, &QSslSocket::sslErrors);
    RawHttpClient client(std::move(socket));
    tls->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_VERIFY(tls->isEncrypted());
    QCOMPARE(sslErrors.count(), 0); // verified against the test CA, not ignored
    client.send(RawHttpClient::get("/healthz"));
    QTRY_VERIFY(client.hasResponse());
    const RawResponse response = client.takeResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(server.connectionCount(), 1);

    // The staged close (answer, then FIN on the descriptor) under TLS: the answer still arrives whole.
    client.send(RawHttpClient::get("/healthz", "Connection: close\r\n"));
    QTRY_VERIFY(client.hasResponse());
    QCOMPARE(client.takeResponse().status, 200);
    QTRY_VERIFY(client.isDisconnected());
    QTRY_COMPARE(server.connectionCount(), 0);
}

void TestHttpServer::wssEcho()
{
    EchoWebSocketServer webSockets(QWebSocketServer::SecureMode);
    HttpServer server(HttpLimits{});
    server.setTlsConfiguration(m_tls.serverConfiguration());
    server.setWebSocketServer(&webSockets);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QWebSocket client;
    client.setSslConfiguration(m_tls.clientConfiguration());
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(webSockets.lastRequestUrl.scheme(), QStringLiteral("wss"));
    client.sendTextMessage(QStringLiteral("secure hello"));
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.first().first().toString(), QStringLiteral("secure hello"));

    client.close();
    QTRY_COMPARE(server.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
