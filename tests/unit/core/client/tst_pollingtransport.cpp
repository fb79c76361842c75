// PollingTransport against a scripted local HTTP server, on a manual clock:
// the session from the first GET /poll, events in order, the cursor and ETag
// sent back, 304s, the adaptive interval (fast after activity, slower when
// idle, slowest in the background), long polls, backoff on errors and giving
// up, 404 and a `closed` answer, and /send batching with one POST in flight.

#include "HttpTransportFixture.h"
#include "core/client/PollingTransport.h"

#include <QJsonArray>

using tandem::client::HttpSendPolicy;
using tandem::client::PollingPolicy;
using tandem::client::PollingTransport;
using tandem::client::test::ConnectTimeoutMs;
using tandem::client::test::envelope;
using tandem::client::test::HttpTransportFixture;
using tandem::client::test::ScriptedHttpServer;
using tandem::client::test::ScriptedRequest;

namespace {
QByteArray answer(const QString &cursor, QList<int> events, const QJsonObject &extra = {})
{
    QJsonObject object = extra;
    object.insert(QStringLiteral("session"), QStringLiteral("S1"));
    object.insert(QStringLiteral("cursor"), cursor);
    QJsonArray array;
    for (int n : events)
        array.append(QJsonDocument::fromJson(envelope(n)).object());
    object.insert(QStringLiteral("events"), array);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray etag(const QString &cursor)
{
    return '"' + cursor.toUtf8() + '"';
}

struct Fixture : HttpTransportFixture<PollingTransport> {
    explicit Fixture(PollingPolicy policy = {}, HttpSendPolicy sendPolicy = {})
        : HttpTransportFixture(policy, sendPolicy)
    {}

    /// open() answered by the server with a session "S1", cursor c0 and `events`.
    bool open(int longPollMaxSeconds = 0, QList<int> events = {})
    {
        transport.open(server.webSocketUrl());
        auto first = next(QStringLiteral("/poll"));
        if (!first || first->query.hasQueryItem(QStringLiteral("since")))
            return false;
        ScriptedHttpServer::respondJson(*first, 200,
                                        answer(QStringLiteral("c0"), events,
                                               {{QStringLiteral("longPollMaxSeconds"), longPollMaxSeconds}}),
                                        {{"ETag", etag(QStringLiteral("c0"))}});
        return QTest::qWaitFor([&] { return opened.count() == 1; });
    }

    /// Lets the pending short-poll timer fire and returns the poll it sent.
    std::shared_ptr<ScriptedRequest> poll()
    {
        timers.advance(timers.msUntilNext());
        return next(QStringLiteral("/poll"));
    }

    /// Waits until the transport handled the answer to its poll and set `pendingTimers` timers.
    bool handled(int pendingTimers = 1)
    {
        return QTest::qWaitFor(
            [&] { return !transport.isPollInFlight() && timers.pendingCount() == pendingTimers; });
    }
};
} // namespace

class TestPollingTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensWithTheFirstPollAndDeliversEventsInOrder();
    void sendsCursorAndETagBack();
    void notModifiedKeepsTheCursor();
    void moreToComeIsFetchedAtOnce();
    void intervalAdaptsToActivity();
    void backgroundPollsSlowlyButFetchesRepliesFast();
    void longPollAsksForTheOfferedWaitAndPollsAgainAtOnce_data();
    void longPollAsksForTheOfferedWaitAndPollsAgainAtOnce();
    void serverErrorsBackOffThenRecover();
    void serverErrorsGiveUpAfterBoundedRetries();
    void failuresGiveUpAfterTheDeadline();
    void notFoundClosesAtOnce();
    void closedAnswerEndsWithItsCode();
    void openFailsOnAnErrorOrNoAnswer_data();
    void openFailsOnAnErrorOrNoAnswer();
    void sendKeepsOnePostInFlightAndBatches();
    void sendToAGoneSessionCloses();
    void closeEmitsOnceAndIgnoresLateAnswers();
    void closeSaysGoodbyeToTheServer();
};

void TestPollingTransport::opensWithTheFirstPollAndDeliversEventsInOrder()
{
    Fixture f;
    QCOMPARE(f.transport.name(), QStringLiteral("Polling"));
    QVERIFY(!f.transport.supportsBinary());
    QVERIFY(f.open(0, {1, 2}));
    QVERIFY(f.transport.isOpen());
    QCOMPARE(f.transport.sessionId(), QStringLiteral("S1"));
    QCOMPARE(f.transport.cursor(), QStringLiteral("c0"));
    QCOMPARE(f.received(), (QList<QByteArray>{envelope(1), envelope(2)}));

    auto poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 200, answer(QStringLiteral("c1"), {3, 4, 5}),
                                    {{"ETag", etag(QStringLiteral("c1"))}});
    QTRY_COMPARE(f.messages.count(), 5);
    QCOMPARE(f.received(),
             (QList<QByteArray>{envelope(1), envelope(2), envelope(3), envelope(4), envelope(5)}));
    QCOMPARE(f.transport.cursor(), QStringLiteral("c1"));
    QCOMPARE(f.closed.count(), 0);
}

void TestPollingTransport::sendsCursorAndETagBack()
{
    Fixture f;
    QVERIFY(f.open());
    auto poll = f.poll();
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since")), QStringLiteral("c0"));
    QVERIFY(!poll->query.hasQueryItem(QStringLiteral("wait"))); // no long polls offered
    QCOMPARE(poll->header("If-None-Match"), etag(QStringLiteral("c0")));
    // A cursor with reserved characters arrives intact.
    const QString cursor = QStringLiteral("1~S1~7~general:42,other room:3");
    ScriptedHttpServer::respondJson(*poll, 200, answer(cursor, {1}), {{"ETag", etag(cursor)}});
    QVERIFY(f.handled());
    poll = f.poll();
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since"), QUrl::FullyDecoded), cursor);
    QCOMPARE(poll->header("If-None-Match"), etag(cursor));
}

void TestPollingTransport::notModifiedKeepsTheCursor()
{
    Fixture f;
    QVERIFY(f.open());
    auto poll = f.poll();
    ScriptedHttpServer::respond(*poll, 304, {}, {{"ETag", etag(QStringLiteral("c0"))}});
    QVERIFY(f.handled());
    QCOMPARE(f.closed.count(), 0);
    QCOMPARE(f.messages.count(), 0);
    poll = f.poll();
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since")), QStringLiteral("c0"));
    QCOMPARE(poll->header("If-None-Match"), etag(QStringLiteral("c0")));
}

void TestPollingTransport::moreToComeIsFetchedAtOnce()
{
    Fixture f;
    QVERIFY(f.open());
    auto poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 200,
                                    answer(QStringLiteral("c1"), {1, 2}, {{QStringLiteral("more"), true}}));
    // No timer to advance: the rest is asked for as soon as the first part is in.
    poll = f.next(QStringLiteral("/poll"));
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since")), QStringLiteral("c1"));
    QCOMPARE(f.messages.count(), 2);
}

void TestPollingTransport::intervalAdaptsToActivity()
{
    PollingPolicy policy;
    policy.fastIntervalMs = 1000;
    policy.idleIntervalMs = 4000;
    Fixture f(policy);
    QVERIFY(f.open());
    QCOMPARE(f.timers.msUntilNext(), 1000); // right after opening: fast
    // Nothing new: 2 s, 4 s, then it stays at the idle interval.
    for (qint64 expected : {2000, 4000, 4000}) {
        auto poll = f.poll();
        ScriptedHttpServer::respond(*poll, 304);
        QVERIFY(f.handled());
        QCOMPARE(f.timers.msUntilNext(), expected);
        QCOMPARE(f.transport.currentIntervalMs(), expected);
    }
    // Events: fast again.
    auto poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 200, answer(QStringLiteral("c1"), {1}));
    QVERIFY(f.handled());
    QCOMPARE(f.timers.msUntilNext(), 1000);
}

void TestPollingTransport::backgroundPollsSlowlyButFetchesRepliesFast()
{
    PollingPolicy policy;
    policy.backgroundIntervalMs = 20000;
    Fixture f(policy);
    QVERIFY(f.open());
    f.transport.setBackground(true);
    QVERIFY(f.transport.isBackground());
    auto poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 200, answer(QStringLiteral("c1"), {1}));
    QVERIFY(f.handled());
    QCOMPARE(f.timers.msUntilNext(), 20000);

    // A send expects a reply (a pong the heartbeat waits for): fetched fast even now.
    f.transport.send(envelope(9));
    auto post = f.next(QStringLiteral("/send"));
    ScriptedHttpServer::respondJson(*post, 202, R"({"accepted":1})");
    QTRY_COMPARE(f.timers.msUntilNext(), policy.fastIntervalMs);
    poll = f.poll();
    ScriptedHttpServer::respond(*poll, 304);
    QVERIFY(f.handled());
    QCOMPARE(f.timers.msUntilNext(), 20000);

    // Back in front: poll soon, not at the end of the background interval.
    f.transport.setBackground(false);
    QCOMPARE(f.timers.msUntilNext(), policy.fastIntervalMs);
}

void TestPollingTransport::longPollAsksForTheOfferedWaitAndPollsAgainAtOnce_data()
{
    QTest::addColumn<int>("offered");
    QTest::addColumn<int>("wait");
    QTest::newRow("server offers 25") << 25 << 25;
    QTest::newRow("server offers more: 25") << 60 << 25;
    QTest::newRow("server offers less") << 10 << 10;
}

void TestPollingTransport::longPollAsksForTheOfferedWaitAndPollsAgainAtOnce()
{
    QFETCH(int, offered);
    QFETCH(int, wait);
    Fixture f;
    QVERIFY(f.open(offered));
    QCOMPARE(f.transport.longPollSeconds(), wait);
    // No timer to wait for: the next poll is already on its way, held by the server.
    auto poll = f.next(QStringLiteral("/poll"));
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("wait")), QString::number(wait));
    ScriptedHttpServer::respondJson(*poll, 200, answer(QStringLiteral("c1"), {1}));
    poll = f.next(QStringLiteral("/poll"));
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since")), QStringLiteral("c1"));
    ScriptedHttpServer::respond(*poll, 304);
    poll = f.next(QStringLiteral("/poll"));
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since")), QStringLiteral("c1"));
    QCOMPARE(f.server.count(QStringLiteral("/poll")), 4);
    QCOMPARE(f.messages.count(), 1);
}

void TestPollingTransport::serverErrorsBackOffThenRecover()
{
    PollingPolicy policy;
    policy.retryBaseMs = 1000;
    Fixture f(policy);
    QVERIFY(f.open());
    auto poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 500, R"({"error":{}})");
    QVERIFY(f.handled(2)); // the retry and the give-up deadline
    QCOMPARE(f.timers.msUntilNext(), 1000);
    poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 429, R"({"error":{}})");
    QVERIFY(f.handled(2));
    QCOMPARE(f.timers.msUntilNext(), 2000);
    poll = f.poll();
    QCOMPARE(poll->query.queryItemValue(QStringLiteral("since")),
             QStringLiteral("c0")); // the same poll again
    ScriptedHttpServer::respondJson(*poll, 200, answer(QStringLiteral("c1"), {1}));
    QVERIFY(f.handled(1)); // the deadline is gone
    QCOMPARE(f.messages.count(), 1);
    QCOMPARE(f.closed.count(), 0);
}

void TestPollingTransport::serverErrorsGiveUpAfterBoundedRetries()
{
    PollingPolicy policy;
    policy.retryBaseMs = 1000;
    policy.retryCapMs = 8000;
    policy.maxRetries = 5;
    policy.giveUpAfterMs = 59000;
    Fixture f(policy);
    QVERIFY(f.open());
    const qint64 start = f.clock.monotonicMs();
    QList<qint64> delays;
    for (int i = 0; i < 6 && f.closed.isEmpty(); ++i) {
        auto poll = f.poll();
        ScriptedHttpServer::respond(*poll, 503);
        QTRY_VERIFY(!f.transport.isPollInFlight() && (f.timers.pendingCount() == 2 || !f.closed.isEmpty()));
        if (f.closed.isEmpty())
            delays.append(f.timers.msUntilNext());
    }
    QCOMPARE(delays, (QList<qint64>{1000, 2000, 4000, 8000, 8000}));
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    // Within the server's 60 s idle limit.
    QVERIFY(f.clock.monotonicMs() - start < 60000);
}

void TestPollingTransport::failuresGiveUpAfterTheDeadline()
{
    PollingPolicy policy;
    policy.retryBaseMs = 1000;
    policy.retryCapMs = 1000;
    policy.maxRetries = 1000;
    policy.giveUpAfterMs = 5000;
    Fixture f(policy);
    QVERIFY(f.open());
    for (int i = 0; i < 10 && f.closed.isEmpty(); ++i) {
        f.timers.advance(f.timers.msUntilNext());
        if (!f.closed.isEmpty())
            break;
        auto poll = f.next(QStringLiteral("/poll"));
        ScriptedHttpServer::respond(*poll, 502);
        QTRY_VERIFY(!f.transport.isPollInFlight() && f.timers.pendingCount() == 2);
    }
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    QVERIFY2(f.closed.first().at(1).toString().contains(QLatin1String("5000")),
             qPrintable(f.closed.first().at(1).toString()));
}

void TestPollingTransport::notFoundClosesAtOnce()
{
    Fixture f;
    QVERIFY(f.open());
    auto poll = f.poll();
    ScriptedHttpServer::respondJson(*poll, 404, R"({"error":{"code":"not_found"}})");
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    QVERIFY(!f.transport.isOpen());
    QCOMPARE(f.timers.pendingCount(), 0); // no retry
}

void TestPollingTransport::closedAnswerEndsWithItsCode()
{
    Fixture f;
    QVERIFY(f.open());
    auto poll = f.poll();
    const QJsonObject closed{{QStringLiteral("code"), 4001},
                             {QStringLiteral("reason"), QStringLiteral("token revoked")}};
    ScriptedHttpServer::respondJson(*poll, 200,
                                    answer(QStringLiteral("c1"), {1}, {{QStringLiteral("closed"), closed}}));
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.messages.count(), 1); // the events before the close are delivered first
    QCOMPARE(f.closed.first().at(0).toInt(), 4001);
    QCOMPARE(f.closed.first().at(1).toString(), QStringLiteral("token revoked"));
    QCOMPARE(f.timers.pendingCount(), 0);
}

void TestPollingTransport::openFailsOnAnErrorOrNoAnswer_data()
{
    QTest::addColumn<int>("status"); ///< 0: no answer at all
    QTest::newRow("404: no polling on this server") << 404;
    QTest::newRow("503: over the connection cap") << 503;
    QTest::newRow("no answer") << 0;
}

void TestPollingTransport::openFailsOnAnErrorOrNoAnswer()
{
    QFETCH(int, status);
    Fixture f;
    f.transport.open(f.server.webSocketUrl());
    auto first = f.next(QStringLiteral("/poll"));
    if (status != 0)
        ScriptedHttpServer::respondJson(*first, status, R"({"error":{}})");
    else
        f.timers.advance(ConnectTimeoutMs);
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
    QCOMPARE(f.opened.count(), 0);
}

void TestPollingTransport::sendKeepsOnePostInFlightAndBatches()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(!f.server.pending(QStringLiteral("/send")));
    f.transport.send(envelope(1));
    auto first = f.next(QStringLiteral("/send"));
    QCOMPARE(first->method, QByteArray("POST"));
    QCOMPARE(first->query.queryItemValue(QStringLiteral("session")), QStringLiteral("S1"));
    QCOMPARE(first->header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(first->body, envelope(1)); // one envelope: the object itself
    // Pipelined while the first POST is in flight: they wait, in order.
    f.transport.send(envelope(2));
    f.transport.send(envelope(3));
    f.transport.send(envelope(4));
    ScriptedHttpServer::respondJson(*first, 202, R"({"accepted":1})");
    auto second = f.next(QStringLiteral("/send"));
    QCOMPARE(f.server.count(QStringLiteral("/send")), 2);
    QCOMPARE(second->body, '[' + envelope(2) + ',' + envelope(3) + ',' + envelope(4) + ']');
    ScriptedHttpServer::respondJson(*second, 202, R"({"accepted":3})");
    f.transport.send(envelope(5));
    auto third = f.next(QStringLiteral("/send"));
    QCOMPARE(third->body, envelope(5));
}

void TestPollingTransport::sendToAGoneSessionCloses()
{
    Fixture f;
    QVERIFY(f.open());
    f.transport.send(envelope(1));
    auto post = f.next(QStringLiteral("/send"));
    ScriptedHttpServer::respondJson(*post, 404, R"({"error":{"code":"not_found"}})");
    QTRY_COMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1006);
}

void TestPollingTransport::closeEmitsOnceAndIgnoresLateAnswers()
{
    Fixture f;
    QVERIFY(f.open());
    auto poll = f.poll();
    f.transport.close(1000, QStringLiteral("bye"));
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.closed.first().at(0).toInt(), 1000);
    QCOMPARE(f.closed.first().at(1).toString(), QStringLiteral("bye"));
    f.transport.close(1000, QStringLiteral("again"));
    ScriptedHttpServer::respondJson(*poll, 200, answer(QStringLiteral("c1"), {1}));
    f.transport.send(envelope(1)); // dropped: not open
    QCOMPARE(f.timers.pendingCount(), 0);
    QCOMPARE(f.closed.count(), 1);
    QCOMPARE(f.messages.count(), 0);
}

void TestPollingTransport::closeSaysGoodbyeToTheServer()
{
    // Without it the server would keep the user online until the session's idle timeout.
    Fixture f;
    QVERIFY(f.open());
    f.transport.close(1000, QStringLiteral("bye"));
    QTRY_COMPARE(f.server.count(QStringLiteral("/sessions/S1")), 1);
    QCOMPARE(f.server.requests(QStringLiteral("/sessions/S1")).constFirst()->method, QByteArray("DELETE"));
}

QTEST_GUILESS_MAIN(TestPollingTransport)
#include "tst_pollingtransport.moc"
