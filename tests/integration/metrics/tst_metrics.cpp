// GET /metrics against a real tandem-server on 127.0.0.1:0: scrape, let two
// WebSocket clients chat, push one of them over the message rate until the
// server closes it with 4008, scrape again, and check that every counter and
// gauge moved by exactly what the clients saw. Also: a poll session shows as
// a "polling" connection, and a peer that is not on loopback gets 403.

#include "tests/support/RedisProcess.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace tandem::test;

namespace {

// Low enough that a flood trips them at once, slow enough (one message per 10 s) that the
// bucket does not refill during the test: the number of refusals is exact.
constexpr int Burst = 8;
constexpr int Strikes = 2;
const QStringList Limits{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=0.1"),
                         QStringLiteral("burst=%1").arg(Burst),
                         QStringLiteral("rate_limit_strikes=%1").arg(Strikes)};

const QString Room = QStringLiteral("metrics-room");

/// One scrape: "name{labels}" -> value, plus what the HTTP answer said.
struct Scrape {
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    QHash<QString, double> samples;

    double operator[](const QString &sample) const { return samples.value(sample, -1); }
};

Scrape scrape(const ServerProcess &server)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(server.httpUrl(QStringLiteral("/metrics"))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    Scrape result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.contentType = reply->rawHeader("Content-Type");
    result.body = reply->readAll();
    reply->deleteLater();
    for (const QByteArray &line : result.body.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        result.samples.insert(QString::fromUtf8(line.left(space)), line.mid(space + 1).toDouble());
    }
    return result;
}

/// How many of the received messages are room traffic a broadcast hands out (deliveries).
qsizetype roomTraffic(const TestClient &client)
{
    qsizetype count = 0;
    for (const char *type : {"chat:message", "presence:update", "typing:update", "cursor:move"})
        count += client.received(QLatin1String(type)).size();
    return count;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scrapeIsPrometheusTextWithEveryFamily();
    void chatAndAFloodMoveTheCountersExactly();
    void pollSessionCountsAsAPollingConnection();
    void sendBatchOverTheLimitIsCountedAsARefusal();
    void peerOffLoopbackGets403();
    void busLagIsTimedOnTheInstancesOwnMessages();

private:
    ServerProcess m_server{Limits};
    QString m_adaToken;
    QString m_bobToken;
};

void TestMetrics::initTestCase()
{
    QVERIFY(m_server.start());
    m_adaToken = m_server.addMember(QStringLiteral("ada"), Room);
    m_bobToken = m_server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!m_adaToken.isEmpty());
    QVERIFY(!m_bobToken.isEmpty());
}

void TestMetrics::scrapeIsPrometheusTextWithEveryFamily()
{
    const Scrape metrics = scrape(m_server);
    QCOMPARE(metrics.status, 200);
    QCOMPARE(metrics.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    for (const char *family :
         {"tandem_connections", "tandem_messages_received_total", "tandem_messages_sent_total",
          "tandem_deliveries_total", "tandem_dropped_messages_total", "tandem_disconnects_total",
          "tandem_refusals_total", "tandem_http_requests_total", "tandem_storage_seconds",
          "tandem_bus_lag_seconds", "tandem_open_documents", "process_resident_memory_bytes",
          "process_cpu_seconds_total", "process_open_fds"})
        QVERIFY2(metrics.body.contains(QByteArray("# TYPE ") + family + ' '), family);
    // A single instance has no bus: no gauge that an alert on "bus down" would fire on.
    QVERIFY(!metrics.body.contains("tandem_bus_connected"));
    QVERIFY(metrics[QStringLiteral("process_resident_memory_bytes")] > 1e6);
    QVERIFY(metrics[QStringLiteral("process_open_fds")] > 3);
    // The logins of initTestCase were answered with 200 before this scrape.
    QVERIFY(metrics[QStringLiteral(R"(tandem_http_requests_total{status="200"})")] >= 2);
}

void TestMetrics::chatAndAFloodMoveTheCountersExactly()
{
    const QString websocket = QStringLiteral(R"({transport="websocket"})");
    const Scrape before = scrape(m_server);
    QCOMPARE(before[QStringLiteral("tandem_connections") + websocket], 0.0);

    TestClient ada;
    TestClient bob;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_bobToken));
    QVERIFY(ada.join(Room));
    QVERIFY(bob.join(Room));
    QCOMPARE(scrape(m_server)[QStringLiteral("tandem_connections") + websocket], 2.0);

    QVERIFY(ada.chat(Room, QStringLiteral("hello bob")));
    QVERIFY(bob.take(QStringLiteral("chat:message")));

    // Bob has spent 2 of his burst (auth, join). The rest of it passes, then every message is
    // refused; the refusal that overflows the strikes closes him with 4008.
    const int admitted = Burst - 2;
    const int refused = Strikes + 1;
    for (int i = 0; i < admitted + refused; ++i)
        bob.send(QStringLiteral("ping"));
    QVERIFY(bob.waitForClose());
    QCOMPARE(bob.closeCode(), 4008);
    QCOMPARE(bob.received(QStringLiteral("pong")).size(), admitted);
    QVERIFY(ada.take(QStringLiteral("presence:update"), 10000, [](const QJsonObject &message) {
        const QJsonObject payload = message.value(QLatin1String("payload")).toObject();
        return payload.value(QLatin1String("userId")) == QLatin1String("bob") &&
               payload.value(QLatin1String("status")) == QLatin1String("offline");
    }));

    const Scrape after = scrape(m_server);
    const auto moved = [&](const QString &sample) {
        return after[sample] - before[sample];
    };
    QCOMPARE(after[QStringLiteral("tandem_connections") + websocket], 1.0);
    QCOMPARE(moved(QStringLiteral(R"(tandem_refusals_total{limit="message_rate"})")), double(refused));
    QCOMPARE(moved(QStringLiteral(R"(tandem_disconnects_total{reason="policy"})")), 1.0);
    // Ada: auth, room:join, chat:send. Bob: auth, room:join, then the flood.
    QCOMPARE(moved(QStringLiteral("tandem_messages_received_total") + websocket),
             double(3 + 2 + admitted + refused));
    // Everything the server sent is what the two clients received, and the room traffic among it
    // is what the fan-out handed out.
    QCOMPARE(moved(QStringLiteral("tandem_messages_sent_total") + websocket),
             double(ada.received().size() + bob.received().size()));
    QCOMPARE(moved(QStringLiteral("tandem_deliveries_total")), double(roomTraffic(ada) + roomTraffic(bob)));
    QVERIFY(roomTraffic(ada) >= 2); // the chat message and bob's presence at least
    // One chat message, one group commit.
    QCOMPARE(moved(QStringLiteral("tandem_storage_seconds_count")), 1.0);
    QCOMPARE(moved(QStringLiteral(R"(tandem_storage_seconds_bucket{le="+Inf"})")), 1.0);
    QCOMPARE(moved(QStringLiteral(R"(tandem_dropped_messages_total{kind="typing"})")), 0.0);
    QCOMPARE(moved(QStringLiteral(R"(tandem_disconnects_total{reason="normal"})")), 0.0);

    // Ada leaves with a normal close: the gauge comes back, and the reason is hers.
    ada.socket().close();
    QTRY_COMPARE(scrape(m_server)[QStringLiteral("tandem_connections") + websocket], 0.0);
    const Scrape gone = scrape(m_server);
    QCOMPARE(gone[QStringLiteral(R"(tandem_disconnects_total{reason="normal"})")] -
                 before[QStringLiteral(R"(tandem_disconnects_total{reason="normal"})")],
             1.0);
    QCOMPARE(gone[QStringLiteral(R"(tandem_disconnects_total{reason="policy"})")],
             after[QStringLiteral(R"(tandem_disconnects_total{reason="policy"})")]);

    // A peer that vanishes without a close frame is not a normal close.
    const QString abnormal = QStringLiteral(R"(tandem_disconnects_total{reason="abnormal"})");
    TestClient vanishing;
    QVERIFY(vanishing.connectAndAuthenticate(m_server.wsUrl(), m_adaToken));
    vanishing.socket().abort();
    QTRY_COMPARE(scrape(m_server)[abnormal] - gone[abnormal], 1.0);
    const Scrape vanished = scrape(m_server);
    QCOMPARE(vanished[QStringLiteral(R"(tandem_disconnects_total{reason="normal"})")],
             gone[QStringLiteral(R"(tandem_disconnects_total{reason="normal"})")]);
    QCOMPARE(vanished[QStringLiteral("tandem_connections") + websocket], 0.0);
}

void TestMetrics::pollSessionCountsAsAPollingConnection()
{
    const QString polling = QStringLiteral(R"(tandem_connections{transport="polling"})");
    QCOMPARE(scrape(m_server)[polling], 0.0);
    // The opening poll authenticates with the token and answers with the session's cursor.
    QNetworkAccessManager network;
    QNetworkRequest request(m_server.httpUrl(QStringLiteral("/poll")));
    request.setRawHeader("Authorization", "Bearer " + m_adaToken.toLatin1());
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
    const Scrape metrics = scrape(m_server);
    QCOMPARE(metrics[polling], 1.0);
    QCOMPARE(metrics[QStringLiteral(R"(tandem_connections{transport="sse"})")], 0.0);
}

void TestMetrics::sendBatchOverTheLimitIsCountedAsARefusal()
{
    const QString batchSize = QStringLiteral(R"(tandem_refusals_total{limit="batch_size"})");
    const QString status413 = QStringLiteral(R"(tandem_http_requests_total{status="413"})");
    const Scrape before = scrape(m_server);
    // One more envelope than [streaming] max_batch_messages (100): refused before any is read.
    const QByteArray body = '[' + QByteArrayList(101, QByteArrayLiteral("{}")).join(',') + ']';
    QNetworkAccessManager network;
    QNetworkRequest request(m_server.httpUrl(QStringLiteral("/send")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 413);
    reply->deleteLater();
    const Scrape after = scrape(m_server);
    QCOMPARE(after[batchSize] - before[batchSize], 1.0);
    QCOMPARE(std::max(after[status413], 0.0) - std::max(before[status413], 0.0), 1.0);
}

void TestMetrics::peerOffLoopbackGets403()
{
    // A real non-loopback peer: a socket bound to one of this host's other addresses reaches the
    // server on 127.0.0.1 with that address as its source.
    QHostAddress local;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback() &&
            !address.isLinkLocal()) {
            local = address;
            break;
        }
    }
    if (local.isNull())
        QSKIP("this host has no IPv4 address besides loopback");
    QTcpSocket socket;
    QVERIFY(socket.bind(local));
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /metrics HTTP/1.1\r\nHost: tandem\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT(
        (answer += socket.readAll(),
         answer.contains("\r\n\r\n") && socket.state() != QAbstractSocket::ConnectedState),
        10000);
    QVERIFY2(answer.startsWith("HTTP/1.1 403 "), answer.constData());
    QVERIFY(answer.contains("\"forbidden\""));
    QVERIFY(!answer.contains("tandem_connections"));
    // The same server still serves loopback.
    QCOMPARE(scrape(m_server).status, 200);
}

void TestMetrics::busLagIsTimedOnTheInstancesOwnMessages()
{
    RedisProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    ServerProcess server({QStringLiteral("[bus]"), QStringLiteral("redis=%1").arg(redis.url())});
    QVERIFY(server.start());
    const QString token = server.addMember(QStringLiteral("ada"), Room);
    QVERIFY(!token.isEmpty());
    const QString connected = QStringLiteral("tandem_bus_connected");
    QTRY_COMPARE(scrape(server)[connected], 1.0);
    const QString timed = QStringLiteral("tandem_bus_lag_seconds_count");

    TestClient ada;
    QVERIFY(ada.connectAndAuthenticate(server.wsUrl(), token));
    QVERIFY(ada.join(Room));
    const double before = scrape(server)[timed];
    // The room's channel goes live asynchronously after the join; until then nothing comes back.
    QElapsedTimer waited;
    waited.start();
    while (scrape(server)[timed] == before && waited.elapsed() < 10000) {
        QVERIFY(ada.chat(Room, QStringLiteral("over the bus")));
        QTest::qWait(50);
    }
    const Scrape lag = scrape(server);
    QVERIFY(lag[timed] > before);
    QCOMPARE(lag[QStringLiteral(R"(tandem_bus_lag_seconds_bucket{le="+Inf"})")], lag[timed]);
    // A loopback Redis answers in well under a second; a negative or huge lag would be a clock mix-up.
    QVERIFY(lag[QStringLiteral("tandem_bus_lag_seconds_sum")] >= 0);
    QVERIFY(lag[QStringLiteral("tandem_bus_lag_seconds_sum")] / lag[timed] < 1.0);

    redis.stop();
    QTRY_COMPARE_WITH_TIMEOUT(scrape(server)[connected], 0.0, 15000);
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
