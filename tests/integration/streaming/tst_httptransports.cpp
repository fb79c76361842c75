// The HTTP transports end to end against a real tandem-server: the SSE stream
// (headers, events with resume ids, heartbeats, Last-Event-ID resume, a client
// that vanishes), POST /send (batches, sync replies, typed errors) and polling
// (the ETag/304 path on raw bytes, long polls, sessions that end, limits, and a
// session rebuilt from its cursor after the server restarted).

#include "tests/support/RawHttp.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace tandem::test;

namespace {
using Headers = QList<QPair<QByteArray, QByteArray>>;

QJsonObject jsonOf(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QByteArray bearer(const QString &token)
{
    return "Bearer " + token.toLatin1();
}

QByteArray percent(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

QList<QJsonObject> eventsOf(const QJsonObject &answer, const QString &type)
{
    QList<QJsonObject> out;
    for (const QJsonValue &event : answer.value(QLatin1String("events")).toArray()) {
        if (event[QLatin1String("type")].toString() == type)
            out.append(event.toObject());
    }
    return out;
}

int liveConnections(ServerProcess &server)
{
    const RawHttpResponse health = rawHttp(server.port(), "GET", "/healthz");
    return jsonOf(health.body).value(QLatin1String("connections")).toInt(-1);
}
} // namespace

class TestHttpTransports : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pollAnswersWithAnETagAnd304WhenNothingChanged();
    void longPollAnswersWhenAMessageArrives();
    void eventStreamCarriesEnvelopesWithResumeIds();
    void eventStreamResumesExactlyFromLastEventId();
    void vanishedStreamClientReleasesItsSession();
    void sendAnswersBadRequestsWithTypedErrors();
    void sendWithoutSessionRunsOneOffWithBearer();
    void endedPollSessionIsReportedOnceThenNotFound();
    void pollerThatStopsReadingIsClosedWith1013();
    void sessionsCountTowardsTheConnectionsPerUser();
    void pollSessionIsRebuiltFromItsCursorAfterRestart();
    void deletingAPollSessionEndsItAndItsPresence();

private:
    /// A poll session authenticated by token and joined to `room`; returns {session, cursor}.
    QPair<QString, QString> openPollSession(const QString &token, const QString &room);
    QJsonObject pollOnce(const QString &cursor, const Headers &headers = {}, int wait = 0,
                         RawHttpResponse *raw = nullptr);

    std::unique_ptr<ServerProcess> m_server;
    QString m_adaToken;
    QString m_bobToken;
};

void TestHttpTransports::init()
{
    m_server = std::make_unique<ServerProcess>(QStringList{
        QStringLiteral("[streaming]"), QStringLiteral("heartbeat_interval_ms=200"),
        QStringLiteral("[limits]"), QStringLiteral("max_connections_per_user=4"),
        QStringLiteral("outgoing_soft_limit_bytes=8192"), QStringLiteral("outgoing_hard_limit_bytes=32768"),
        QStringLiteral("messages_per_second=1000"), QStringLiteral("burst=1000")});
    QVERIFY(m_server->start());
    m_adaToken = m_server->addMember(QStringLiteral("ada"), QStringLiteral("general"));
    m_bobToken = m_server->addMember(QStringLiteral("bob"), QStringLiteral("general"));
    QVERIFY(!m_adaToken.isEmpty() && !m_bobToken.isEmpty());
}

void TestHttpTransports::cleanup()
{
    m_server.reset();
}

QPair<QString, QString> TestHttpTransports::openPollSession(const QString &token, const QString &room)
{
    const RawHttpResponse opened =
        rawHttp(m_server->port(), "GET", "/poll", {{"Authorization", bearer(token)}});
    const QJsonObject first = jsonOf(opened.body);
    const QString session = first.value(QLatin1String("session")).toString();
    const RawHttpResponse joined =
        rawHttp(m_server->port(), "POST", "/send?sync=1&session=" + session.toLatin1(), {},
                clientEnvelope(QStringLiteral("j1"), QStringLiteral("room:join"),
                               {{QStringLiteral("roomId"), room}}));
    if (jsonOf(joined.body).value(QLatin1String("replies")).toArray().size() != 1)
        return {};
    return {session, first.value(QLatin1String("cursor")).toString()};
}

QJsonObject TestHttpTransports::pollOnce(const QString &cursor, const Headers &headers, int wait,
                                         RawHttpResponse *raw)
{
    QByteArray target = "/poll?since=" + percent(cursor);
    if (wait > 0)
        target += "&wait=" + QByteArray::number(wait);
    const RawHttpResponse response =
        rawHttp(m_server->port(), "GET", target, headers, {}, (wait + 10) * 1000);
    if (raw)
        *raw = response;
    return jsonOf(response.body);
}

void TestHttpTransports::pollAnswersWithAnETagAnd304WhenNothingChanged()
{
    const auto [session, start] = openPollSession(m_adaToken, QStringLiteral("general"));
    QVERIFY(!session.isEmpty());

    RawHttpResponse first;
    const QJsonObject answer = pollOnce(start, {}, 0, &first);
    QCOMPARE(first.status, 200);
    QVERIFY(eventTypes(answer).contains(QStringLiteral("room:joined")));
    const QByteArray etag = first.header("ETag");
    QCOMPARE(etag, '"' + answer.value(QLatin1String("cursor")).toString().toUtf8() + '"');
    QCOMPARE(first.header("Cache-Control"), QByteArray("no-cache"));
    const QString cursor = answer.value(QLatin1String("cursor")).toString();

    RawHttpResponse unchanged;
    pollOnce(cursor, {{"If-None-Match", etag}}, 0, &unchanged);
    QCOMPARE(unchanged.status, 304);
    QVERIFY(unchanged.complete);
    QVERIFY(unchanged.body.isEmpty());
    QCOMPARE(unchanged.header("ETag"), etag);

    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("general")));
    QVERIFY(bob.chat(QStringLiteral("general"), QStringLiteral("news for the poller")));

    RawHttpResponse changed;
    QJsonObject afterMessage;
    QTRY_VERIFY_WITH_TIMEOUT(
        (afterMessage = pollOnce(cursor, {{"If-None-Match", etag}}, 0, &changed),
         changed.status == 200 && !eventsOf(afterMessage, QStringLiteral("chat:message")).isEmpty()),
        10000);
    QVERIFY(changed.header("ETag") != etag);
    const QJsonObject message = eventsOf(afterMessage, QStringLiteral("chat:message")).constFirst();
    QCOMPARE(message[QLatin1String("payload")][QLatin1String("text")].toString(),
             QStringLiteral("news for the poller"));
    QVERIFY(afterMessage.value(QLatin1String("cursor"))
                .toString()
                .endsWith(QStringLiteral("general:%1").arg(message[QLatin1String("seq")].toInteger())));
}

void TestHttpTransports::longPollAnswersWhenAMessageArrives()
{
    const auto [session, start] = openPollSession(m_adaToken, QStringLiteral("general"));
    QVERIFY(!session.isEmpty());
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("general")));
    // Bob's arrival (presence) is read, so the next thing to happen is his message.
    const QJsonObject caughtUp = pollOnce(start);
    QVERIFY(eventTypes(caughtUp).contains(QStringLiteral("presence:update")));
    const QString cursor = caughtUp.value(QLatin1String("cursor")).toString();

    // Nothing happens: the wait runs out and the answer is empty.
    RawHttpResponse idle;
    QElapsedTimer timer;
    timer.start();
    const QJsonObject nothing = pollOnce(cursor, {}, 1, &idle);
    QCOMPARE(idle.status, 200);
    QVERIFY(eventTypes(nothing).isEmpty());
    QVERIFY2(timer.elapsed() >= 900, "a long poll with nothing to say waits");

    // A message arrives while a long poll waits: it answers at once, long before its 20 s.
    QTcpSocket waiting;
    QByteArray received;
    connect(&waiting, &QTcpSocket::readyRead, this, [&] { received += waiting.readAll(); });
    waiting.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
    QVERIFY(waiting.waitForConnected(5000));
    waiting.write("GET /poll?since=" + percent(cursor) + "&wait=20 HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(waiting.waitForBytesWritten(5000));
    timer.restart();
    QVERIFY(bob.chat(QStringLiteral("general"), QStringLiteral("wake up")));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("wake up"), 10000);
    QVERIFY2(timer.elapsed() < 10000,
             "the long poll answered when the message came, not at the end of its wait");
    QVERIFY(received.startsWith("HTTP/1.1 200"));
}

void TestHttpTransports::eventStreamCarriesEnvelopesWithResumeIds()
{
    RawEventStream stream(m_server->port(), "/events?token=" + m_adaToken.toLatin1());
    QVERIFY(stream.waitForHead());
    QCOMPARE(stream.status(), 200);
    QCOMPARE(stream.header("Content-Type"), QByteArray("text/event-stream; charset=utf-8"));
    QCOMPARE(stream.header("Cache-Control"), QByteArray("no-cache"));
    QCOMPARE(stream.header("X-Accel-Buffering"), QByteArray("no"));
    QVERIFY(stream.header("Content-Length").isEmpty());
    QVERIFY(stream.waitFor(QStringLiteral("auth:ok")));
    QVERIFY(stream.rawBody().startsWith("retry: 2000\n"));
    const QString session = stream.sessionId();
    QCOMPARE(session.size(), 32);

    const RawHttpResponse sent =
        rawHttp(m_server->port(), "POST", "/send?session=" + session.toLatin1(), {},
                "[" +
                    clientEnvelope(QStringLiteral("j"), QStringLiteral("room:join"),
                                   {{QStringLiteral("roomId"), QStringLiteral("general")}}) +
                    "," +
                    clientEnvelope(QStringLiteral("c"), QStringLiteral("chat:send"),
                                   {{QStringLiteral("roomId"), QStringLiteral("general")},
                                    {QStringLiteral("text"), QStringLiteral("over sse")}},
                                   QStringLiteral("cid-1")) +
                    "]");
    QCOMPARE(sent.status, 202);
    QCOMPARE(jsonOf(sent.body).value(QLatin1String("accepted")).toInt(), 2);

    const auto ack = stream.waitFor(QStringLiteral("ack"));
    QVERIFY(ack);
    QCOMPARE(jsonOf(ack->data.toUtf8())[QLatin1String("payload")][QLatin1String("ref")].toString(),
             QStringLiteral("c"));
    const auto message = stream.waitFor(QStringLiteral("chat:message"));
    QVERIFY(message);
    const QJsonObject chat = jsonOf(message->data.toUtf8());
    QCOMPARE(chat[QLatin1String("payload")][QLatin1String("text")].toString(), QStringLiteral("over sse"));
    QCOMPARE(message->lastEventId.section(u'~', 1, 1), session);
    QVERIFY(message->lastEventId.endsWith(
        QStringLiteral("general:%1").arg(chat[QLatin1String("seq")].toInteger())));

    // The heartbeat comment keeps proxies from timing out a quiet stream (every 200 ms here).
    QTRY_VERIFY_WITH_TIMEOUT(stream.rawBody().count(": heartbeat\n\n") >= 2, 5000);
}

void TestHttpTransports::eventStreamResumesExactlyFromLastEventId()
{
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("general")));

    QString lastId;
    {
        RawEventStream stream(m_server->port(), "/events?token=" + m_adaToken.toLatin1());
        QVERIFY(stream.waitFor(QStringLiteral("auth:ok")));
        rawHttp(m_server->port(), "POST", "/send?session=" + stream.sessionId().toLatin1(), {},
                clientEnvelope(QStringLiteral("j"), QStringLiteral("room:join"),
                               {{QStringLiteral("roomId"), QStringLiteral("general")}}));
        QVERIFY(stream.waitFor(QStringLiteral("room:joined")));
        for (int i = 1; i <= 3; ++i)
            QVERIFY(bob.chat(QStringLiteral("general"), QStringLiteral("before %1").arg(i)));
        QVERIFY(stream.waitForCount(QStringLiteral("chat:message"), 3));
        lastId = stream.lastEventId();
        stream.abort();
    }
    for (int i = 1; i <= 3; ++i)
        QVERIFY(bob.chat(QStringLiteral("general"), QStringLiteral("missed %1").arg(i)));

    RawEventStream resumed(m_server->port(), "/events?token=" + m_adaToken.toLatin1(),
                           {{"Last-Event-ID", lastId.toUtf8()}});
    const auto joined = resumed.waitFor(QStringLiteral("room:joined"));
    QVERIFY(joined);
    QVERIFY(jsonOf(joined->data.toUtf8())[QLatin1String("payload")][QLatin1String("recovered")].toBool());
    QStringList texts;
    for (const auto &event : resumed.events(QStringLiteral("chat:message")))
        texts.append(jsonOf(event.data.toUtf8())[QLatin1String("payload")][QLatin1String("text")].toString());
    QCOMPARE(texts, (QStringList{QStringLiteral("missed 1"), QStringLiteral("missed 2"),
                                 QStringLiteral("missed 3")}));

    // And it is live again.
    QVERIFY(bob.chat(QStringLiteral("general"), QStringLiteral("after")));
    QVERIFY(resumed.waitForCount(QStringLiteral("chat:message"), 4));
}

void TestHttpTransports::vanishedStreamClientReleasesItsSession()
{
    const int before = liveConnections(*m_server);
    RawEventStream stream(m_server->port(), "/events?token=" + m_adaToken.toLatin1());
    QVERIFY(stream.waitFor(QStringLiteral("auth:ok")));
    const QString session = stream.sessionId();
    QTRY_COMPARE(liveConnections(*m_server), before + 1);

    stream.abort();
    QTRY_COMPARE_WITH_TIMEOUT(liveConnections(*m_server), before, 10000);
    const RawHttpResponse late = rawHttp(m_server->port(), "POST", "/send?session=" + session.toLatin1(), {},
                                         clientEnvelope(QStringLiteral("p"), QStringLiteral("ping"), {}));
    QCOMPARE(late.status, 404);
    QCOMPARE(jsonOf(late.body)[QLatin1String("error")][QLatin1String("code")].toString(),
             QStringLiteral("not_found"));
}

void TestHttpTransports::sendAnswersBadRequestsWithTypedErrors()
{
    const auto [session, cursor] = openPollSession(m_adaToken, QStringLiteral("general"));
    QVERIFY(!session.isEmpty());
    const QByteArray target = "/send?session=" + session.toLatin1();
    struct Case {
        QByteArray target;
        QByteArray body;
        int status;
        QString code;
    };
    QByteArray tooMany = "[";
    for (int i = 0; i < 101; ++i)
        tooMany += (i ? "," : "") + clientEnvelope(QStringLiteral("p%1").arg(i), QStringLiteral("ping"), {});
    tooMany += "]";
    const QList<Case> cases{
        {target, "{not json", 400, QStringLiteral("bad_request")},
        {target, "[]", 400, QStringLiteral("bad_request")},
        {target, "[1,2]", 400, QStringLiteral("bad_request")},
        {target, tooMany, 413, QStringLiteral("too_large")},
        {"/send?session=AAAAAAAAAAAAAAAAAAAAAA",
         clientEnvelope(QStringLiteral("p"), QStringLiteral("ping"), {}), 404, QStringLiteral("not_found")},
        {"/send", clientEnvelope(QStringLiteral("p"), QStringLiteral("ping"), {}), 401,
         QStringLiteral("unauthorized")},
    };
    for (const Case &c : cases) {
        const RawHttpResponse answer = rawHttp(m_server->port(), "POST", c.target, {}, c.body);
        QCOMPARE(answer.status, c.status);
        QCOMPARE(jsonOf(answer.body)[QLatin1String("error")][QLatin1String("code")].toString(), c.code);
    }
    const RawHttpResponse badCursor = rawHttp(m_server->port(), "GET", "/poll?since=nonsense");
    QCOMPARE(badCursor.status, 400);
    const RawHttpResponse badToken = rawHttp(m_server->port(), "GET", "/events?token=wrong");
    QCOMPARE(badToken.status, 401);

    // A bad message inside a good request is answered like on a socket: a typed error naming it.
    const RawHttpResponse unknown =
        rawHttp(m_server->port(), "POST", target + "&sync=1", {},
                clientEnvelope(QStringLiteral("h"), QStringLiteral("history:fetch"),
                               {{QStringLiteral("roomId"), QStringLiteral("no room here")}}));
    QCOMPARE(unknown.status, 200);
    const QJsonObject reply = jsonOf(unknown.body)[QLatin1String("replies")][0].toObject();
    QCOMPARE(reply[QLatin1String("type")].toString(), QStringLiteral("error"));
    QCOMPARE(reply[QLatin1String("payload")][QLatin1String("ref")].toString(), QStringLiteral("h"));
}

void TestHttpTransports::sendWithoutSessionRunsOneOffWithBearer()
{
    const int before = liveConnections(*m_server);
    const RawHttpResponse answer =
        rawHttp(m_server->port(), "POST", "/send", {{"Authorization", bearer(m_adaToken)}},
                clientEnvelope(QStringLiteral("c"), QStringLiteral("chat:send"),
                               {{QStringLiteral("roomId"), QStringLiteral("general")},
                                {QStringLiteral("text"), QStringLiteral("one-off")}},
                               QStringLiteral("cid-one-off")));
    QCOMPARE(answer.status, 200);
    const QJsonObject ack = jsonOf(answer.body)[QLatin1String("replies")][0].toObject();
    QCOMPARE(ack[QLatin1String("type")].toString(), QStringLiteral("ack"));
    QVERIFY(ack[QLatin1String("payload")][QLatin1String("seq")].toInteger() > 0);
    QTRY_COMPARE(liveConnections(*m_server), before);

    TestClient reader;
    QVERIFY(reader.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(reader.join(QStringLiteral("general"), 0));
    QVERIFY(reader.take(QStringLiteral("chat:message")));
}

void TestHttpTransports::endedPollSessionIsReportedOnceThenNotFound()
{
    // No token on the opening poll: the session must authenticate, and a wrong token ends it with 4001.
    const QJsonObject opened = jsonOf(rawHttp(m_server->port(), "GET", "/poll").body);
    const QString session = opened.value(QLatin1String("session")).toString();
    QVERIFY(!session.isEmpty());
    rawHttp(m_server->port(), "POST", "/send?session=" + session.toLatin1(), {},
            clientEnvelope(QStringLiteral("a"), QStringLiteral("auth"),
                           {{QStringLiteral("token"), QStringLiteral("wrong")}}));
    const QString cursor = opened.value(QLatin1String("cursor")).toString();
    // A long poll answers as soon as the session has ended (here it already has).
    const QJsonObject ended = pollOnce(cursor, {}, 10);
    QCOMPARE(ended[QLatin1String("closed")][QLatin1String("code")].toInt(), 4001);
    QVERIFY(eventTypes(ended).contains(QStringLiteral("error")));

    RawHttpResponse gone;
    pollOnce(ended.value(QLatin1String("cursor")).toString(), {}, 0, &gone);
    QCOMPARE(gone.status, 404);
}

void TestHttpTransports::pollerThatStopsReadingIsClosedWith1013()
{
    const auto [session, cursor] = openPollSession(m_adaToken, QStringLiteral("general"));
    QVERIFY(!session.isEmpty());
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("general")));
    // 32 KiB of unread envelopes is the hard limit here; each message is over 1 KiB.
    const QString text(1200, u'x');
    for (int i = 0; i < 40; ++i)
        bob.send(QStringLiteral("chat:send"),
                 {{QStringLiteral("roomId"), QStringLiteral("general")}, {QStringLiteral("text"), text}});
    QTRY_COMPARE_WITH_TIMEOUT(bob.received(QStringLiteral("ack")).size(), 40, 10000);

    const QJsonObject answer = pollOnce(cursor);
    QCOMPARE(answer[QLatin1String("closed")][QLatin1String("code")].toInt(), 1013);
    // What was queued before the limit was hit still arrives; the client resumes the rest by `since`.
    QVERIFY(!eventsOf(answer, QStringLiteral("chat:message")).isEmpty());
    QVERIFY(eventsOf(answer, QStringLiteral("chat:message")).size() < 40);
}

void TestHttpTransports::sessionsCountTowardsTheConnectionsPerUser()
{
    // ada already has nothing open; the limit is 4.
    QList<QString> cursors;
    for (int i = 0; i < 4; ++i) {
        const QJsonObject opened =
            jsonOf(rawHttp(m_server->port(), "GET", "/poll", {{"Authorization", bearer(m_adaToken)}}).body);
        QVERIFY(eventTypes(opened).contains(QStringLiteral("auth:ok")));
    }
    const QJsonObject refused =
        jsonOf(rawHttp(m_server->port(), "GET", "/poll", {{"Authorization", bearer(m_adaToken)}}).body);
    QVERIFY(!eventTypes(refused).contains(QStringLiteral("auth:ok")));
    const QJsonObject error = eventsOf(refused, QStringLiteral("error")).value(0);
    QCOMPARE(error[QLatin1String("payload")][QLatin1String("code")].toString(),
             QStringLiteral("rate_limited"));
    const QJsonObject ended = pollOnce(refused.value(QLatin1String("cursor")).toString(), {}, 10);
    QCOMPARE(ended[QLatin1String("closed")][QLatin1String("code")].toInt(), 4008);
}

void TestHttpTransports::pollSessionIsRebuiltFromItsCursorAfterRestart()
{
    const auto [session, start] = openPollSession(m_adaToken, QStringLiteral("general"));
    QVERIFY(!session.isEmpty());
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("general")));
    QVERIFY(bob.chat(QStringLiteral("general"), QStringLiteral("seen")));
    QJsonObject seen;
    QTRY_VERIFY((seen = pollOnce(start), !eventsOf(seen, QStringLiteral("chat:message")).isEmpty()));
    const QString cursor = seen.value(QLatin1String("cursor")).toString();

    // The instance dies; the session's memory with it. Messages arrive on the next instance.
    const quint16 port = m_server->port();
    m_server->kill();
    QVERIFY(m_server->start(port));
    TestClient carol;
    QVERIFY(carol.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(carol.join(QStringLiteral("general")));
    QVERIFY(carol.chat(QStringLiteral("general"), QStringLiteral("missed 1")));
    QVERIFY(carol.chat(QStringLiteral("general"), QStringLiteral("missed 2")));

    // Without a token the session cannot be rebuilt: 404 tells the client to start over.
    RawHttpResponse unknown;
    pollOnce(cursor, {}, 0, &unknown);
    QCOMPARE(unknown.status, 404);
    // With one, the cursor's rooms are joined again from their seqs: exactly the missed events.
    const QJsonObject rebuilt = pollOnce(cursor, {{"Authorization", bearer(m_adaToken)}});
    QVERIFY(rebuilt.value(QLatin1String("session")).toString() != session);
    QStringList texts;
    for (const QJsonObject &message : eventsOf(rebuilt, QStringLiteral("chat:message")))
        texts.append(message[QLatin1String("payload")][QLatin1String("text")].toString());
    QCOMPARE(texts, (QStringList{QStringLiteral("missed 1"), QStringLiteral("missed 2")}));
    const QJsonObject joined = eventsOf(rebuilt, QStringLiteral("room:joined")).value(0);
    QVERIFY(joined[QLatin1String("payload")][QLatin1String("recovered")].toBool());
}

void TestHttpTransports::deletingAPollSessionEndsItAndItsPresence()
{
    TestClient bob;
    QVERIFY(bob.connectAndAuthenticate(m_server->wsUrl(), m_bobToken));
    QVERIFY(bob.join(QStringLiteral("general")));
    const auto [session, cursor] = openPollSession(m_adaToken, QStringLiteral("general"));
    QVERIFY(!session.isEmpty());
    auto adaIs = [&](const QString &status) {
        const auto updates = bob.received(QStringLiteral("presence:update"));
        return std::any_of(updates.cbegin(), updates.cend(), [&](const QJsonObject &update) {
            return update[QLatin1String("payload")][QLatin1String("userId")] == QLatin1String("ada") &&
                   update[QLatin1String("payload")][QLatin1String("status")] == status;
        });
    };
    QTRY_VERIFY(adaIs(QStringLiteral("online")));

    const RawHttpResponse deleted = rawHttp(m_server->port(), "DELETE", "/sessions/" + session.toLatin1());
    QCOMPARE(deleted.status, 204);
    // Gone at once, not after the idle timeout: the others see ada leave.
    QTRY_VERIFY(adaIs(QStringLiteral("offline")));
    RawHttpResponse gone;
    pollOnce(cursor, {}, 0, &gone);
    QCOMPARE(gone.status, 404);
    QCOMPARE(rawHttp(m_server->port(), "DELETE", "/sessions/" + session.toLatin1()).status, 404);
}

QTEST_GUILESS_MAIN(TestHttpTransports)
#include "tst_httptransports.moc"
