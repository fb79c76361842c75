// SseTransport against a scripted local HTTP server, on a manual clock: open
// on the `session` event (however the stream is cut into reads), envelopes in
// order, heartbeat comments, `event: close`, the end of the stream, a refused
// or silent stream, and the /send side it shares with polling (HttpSender):
// one POST in flight, batches of at most maxBatch, retries, 404.

#include "HttpTransportFixture.h"
#include "core/client/SseTransport.h"

using tandem::client::HttpSendPolicy;
using tandem::client::SseTransport;
using tandem::client::test::ConnectTimeoutMs;
using tandem::client::test::envelope;
using tandem::client::test::HttpTransportFixture;
using tandem::client::test::ScriptedHttpServer;
using tandem::client::test::ScriptedRequest;

namespace {
QByteArray sseEvent(int n)
{
    return "event: chat:message\nid: c" + QByteArray::number(n) + "\ndata: " + envelope(n) + "\n\n";
}

const QByteArray SessionEvent = "retry: 2000\n\nevent: session\nid: c0\ndata: {\"session\":\"S1\"}\n\n";

struct Fixture : HttpTransportFixture<SseTransport> {
    std::shared_ptr<ScriptedRequest> stream;

    explicit Fixture(HttpSendPolicy sendPolicy = {})
        : HttpTransportFixture(sendPolicy)
    {}

    /// open(), the stream answered, and `session` sent.
    bool open()
    {
        transport.open(server.webSocketUrl());
        stream = next(QStringLiteral("/events"));
        ScriptedHttpServer::startStream(*stream);
        ScriptedHttpServer::write(*stream, SessionEvent);
        return QTest::qWaitFor([&] { return opened.count() == 1; });
    }
};
} // namespace

class TestSseTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensOnTheSessionEventEvenWhenCut();
    void deliversEnvelopesInOrderAndIgnoresHeartbeats();
    void closeEventEndsWithItsCode();
    void endOfStreamIs1006();
    void refusedStreamIs1006_data();
    void refusedStreamIs1006();
    void silentStreamTimesOut();
    void sendKeepsOnePostInFlightAndBatchesInOrder();
    void failedPostIsRetriedThenGivesUp();
    void sendToAGoneSessionCloses();
    void closeAbortsTheStreamAndEmitsOnce();
};

void TestSseTransport::opensOnTheSessionEventEvenWhenCut()
{
    Fixture f;
    QCOMPARE(f.transport.name(), QStringLiteral("SSE"));
    QVERIFY(!f.transport.supportsBinary());
    f.transport.open(f.server.webSocketUrl());
    auto stream = f.next(QStringLiteral("/events"));
    QCOMPARE(stream->method, QByteArray("GET"));
    QCOMPARE(stream->header("Accept"), QByteArray("text/event-stream"));
    ScriptedHttpServer::startStream(*stream);
    // The first read ends inside the session event: not open yet.
    ScriptedHttpServer::write(*stream, SessionEvent.left(40));
    QTRY_VERIFY(f.transport.lastEventId() == QLatin1String("c0") || f.opened.count() > 0);
    QCOMPARE(f.opened.count(), 0);
    QVERIFY(!f.transport.isOpen());
    ScriptedHttpServer::write(*stream, SessionEvent.mid(40));
    QTRY_COMPARE(f.opened.count(), 1);
    QVERIFY(f.transport.isOpen());
    QCOMPARE(f.transport.sessionId(), QStringLiteral("S1"));
    QCOMPARE(f.timers.pendingCount(), 0); // the connect timeout is gone
}

void TestSseTransport::deliversEnvelopesInOrderAndIgnoresHeartbeats()
{
    Fixture f;
    QVERIFY(f.open());
    ScriptedHttpServer::write(*f.stream, sseEvent(1) + ": heartbeat\n\n" + sseEvent(2).left(10));
    QTRY_COMPARE(f.messages.count(), 1);
    ScriptedHttpServer::write(*f.stream, sseEvent(2).mid(10) + sseEvent(3));
    QTRY_COMPARE(f.messages.count(), 3);
    QCOMPARE(f.received(), (QList<QByteArray>{envelope(1), envelope(2), envelope(3)}));
    QCOMPARE(f.transport.lastEventId(), QStringLiteral("c3"));
    QCOMPARE(f.closed.count(), 0);
}

void TestSseTransport::closeEventEndsWithItsCode()
{
    Fixture f;
    QVERIFY(f.open());
    ScriptedHttpServer::write(*f.stream,
                              sseEvent(1) + "event: close\ndata: {\"code\":4001,\"reason\":\"revoked\"}\n\n");
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.messages.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 4001);
    QCOMPARE(f.closed.first().at(1).toString(), QStringLiteral("revoked"));
    ScriptedHttpServer::drop(*f.stream); // the server ends the stream after it: no second closed()
    QVERIFY(!f.transport.isOpen());
    QCOMPARE(f.closed.count(), 1);
}

void TestSseTransport::endOfStreamIs1006()
{
    Fixture f;
    QVERIFY(f.open());
    ScriptedHttpServer::drop(*f.stream);
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
}

void TestSseTransport::refusedStreamIs1006_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("401 bad token") << 401 << QByteArray("application/json");
    QTest::newRow("404 no SSE on this server") << 404 << QByteArray("application/json");
    QTest::newRow("503 over the cap") << 503 << QByteArray("application/json");
    QTest::newRow("200 but a proxy's page") << 200 << QByteArray("text/html");
}

void TestSseTransport::refusedStreamIs1006()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    Fixture f;
    f.transport.open(f.server.webSocketUrl());
    auto stream = f.next(QStringLiteral("/events"));
    ScriptedHttpServer::respond(*stream, status,
                                "{\"error\":{}}\n\nevent: session\ndata: {\"session\":\"S\"}\n\n",
                                {{"Content-Type", contentType}});
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    QCOMPARE(f.opened.count(), 0);
}

void TestSseTransport::silentStreamTimesOut()
{
    // A buffering proxy: the response starts but no event gets through.
    Fixture f;
    f.transport.open(f.server.webSocketUrl());
    auto stream = f.next(QStringLiteral("/events"));
    ScriptedHttpServer::startStream(*stream);
    ScriptedHttpServer::write(*stream, ": padding\n\n");
    f.timers.advance(ConnectTimeoutMs - 1);
    QCOMPARE(f.closed.count(), 0);
    f.timers.advance(1);
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    QCOMPARE(f.opened.count(), 0);
}

void TestSseTransport::sendKeepsOnePostInFlightAndBatchesInOrder()
{
    HttpSendPolicy policy;
    policy.maxBatch = 2;
    Fixture f(policy);
    QVERIFY(f.open());
    f.transport.send(envelope(1));
    auto first = f.next(QStringLiteral("/send"));
    QCOMPARE(first->query.queryItemValue(QStringLiteral("session")), QStringLiteral("S1"));
    QCOMPARE(first->body, envelope(1));
    for (int n = 2; n <= 5; ++n)
        f.transport.send(envelope(n));
    ScriptedHttpServer::respondJson(*first, 202, R"({"accepted":1})");
    auto second = f.next(QStringLiteral("/send"));
    QCOMPARE(second->body, '[' + envelope(2) + ',' + envelope(3) + ']'); // at most maxBatch
    ScriptedHttpServer::respondJson(*second, 202, R"({"accepted":2})");
    auto third = f.next(QStringLiteral("/send"));
    QCOMPARE(third->body, '[' + envelope(4) + ',' + envelope(5) + ']');
    ScriptedHttpServer::respondJson(*third, 202, R"({"accepted":2})");
    QCOMPARE(f.server.count(QStringLiteral("/send")), 3);
    QCOMPARE(f.closed.count(), 0);
}

void TestSseTransport::failedPostIsRetriedThenGivesUp()
{
    HttpSendPolicy policy;
    policy.retryBaseMs = 500;
    policy.maxRetries = 2;
    Fixture f(policy);
    QVERIFY(f.open());
    f.transport.send(envelope(1));
    auto post = f.next(QStringLiteral("/send"));
    f.transport.send(envelope(2)); // queued behind the failing one, and not reordered
    ScriptedHttpServer::respondJson(*post, 503, R"({"error":{}})");
    QTRY_COMPARE(f.timers.msUntilNext(), 500);
    f.timers.advance(500);
    post = f.next(QStringLiteral("/send"));
    QCOMPARE(post->body, envelope(1)); // the same batch again
    ScriptedHttpServer::respondJson(*post, 202, R"({"accepted":1})");
    post = f.next(QStringLiteral("/send"));
    QCOMPARE(post->body, envelope(2));
    // Failing every time: two retries (0.5 s, 1 s), then the connection is lost.
    ScriptedHttpServer::respondJson(*post, 500, "{}");
    QTRY_COMPARE(f.timers.msUntilNext(), 500);
    f.timers.advance(500);
    ScriptedHttpServer::respondJson(*f.next(QStringLiteral("/send")), 500, "{}");
    QTRY_COMPARE(f.timers.msUntilNext(), 1000);
    f.timers.advance(1000);
    ScriptedHttpServer::respondJson(*f.next(QStringLiteral("/send")), 500, "{}");
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
}

void TestSseTransport::sendToAGoneSessionCloses()
{
    Fixture f;
    QVERIFY(f.open());
    f.transport.send(envelope(1));
    ScriptedHttpServer::respondJson(*f.next(QStringLiteral("/send")), 404,
                                    R"({"error":{"code":"not_found"}})");
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    QVERIFY(!f.transport.isOpen());
}

void TestSseTransport::closeAbortsTheStreamAndEmitsOnce()
{
    Fixture f;
    QVERIFY(f.open());
    f.transport.close(4000, QStringLiteral("heartbeat timeout"));
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 4000);
    f.transport.close(1000, {});
    ScriptedHttpServer::write(*f.stream, sseEvent(1));
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.messages.count(), 0);
    // The server sees the stream end: that is how its session ends.
    QTRY_VERIFY(f.stream->socket.isNull() || f.stream->socket->state() != QAbstractSocket::ConnectedState);
}

QTEST_GUILESS_MAIN(TestSseTransport)
#include "tst_ssetransport.moc"
