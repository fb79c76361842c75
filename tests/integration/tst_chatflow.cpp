// The chat path end to end against a real tandem-server process: login, join,
// send/ack/broadcast, idempotent re-send, history, resume, presence, typing.

#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace tandem::test;

namespace {
QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

struct HttpResult {
    int status = 0;
    QJsonObject body;
};

HttpResult httpGet(const QUrl &url, const QString &token)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(10000);
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QJsonDocument::fromJson(reply->readAll()).object()};
}
} // namespace

class TestChatFlow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loginReturnsTokenAndRejectsBadPassword();
    void sendIsAckedThenBroadcastToOtherUserAndOwnConnections();
    void repeatedCidCreatesNoDuplicate();
    void cidReusedInAnotherRoomIsRefused();
    void historyPagesOverSocketAndRest();
    void resumeWithSinceMissesNothingAndRepeatsNothing();
    void resumeFromTheFutureIsNotRecovered();
    void presenceGoesOnlineAwayOffline();
    void typingIsRelayedToOthersOnly();
    void privateRoomNeedsMembership();
    void roomListShowsVisibleRooms();
    void tokenOnUrlAndHeaderAuthenticate();
    void logoutRevokesTokenAndClosesSockets();
    void healthz();

private:
    ServerProcess m_server;
};

void TestChatFlow::initTestCase()
{
    QVERIFY(m_server.start());
    for (const char *name : {"ada", "bob", "cy", "dee"})
        QVERIFY(m_server.addUser(QLatin1String(name)));
}

void TestChatFlow::loginReturnsTokenAndRejectsBadPassword()
{
    const QString token = m_server.login(QStringLiteral("ada"));
    QCOMPARE(token.size(), 43);
    QVERIFY(m_server.login(QStringLiteral("ada"), QStringLiteral("wrong password")).isEmpty());
    QVERIFY(m_server.login(QStringLiteral("nobody")).isEmpty());
}

void TestChatFlow::sendIsAckedThenBroadcastToOtherUserAndOwnConnections()
{
    TestClient ada, adaPhone, bob;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(adaPhone.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bob"))));
    QVERIFY(ada.join(QStringLiteral("general")));
    QVERIFY(adaPhone.join(QStringLiteral("general")));
    QVERIFY(bob.join(QStringLiteral("general")));

    const auto ack =
        ada.chat(QStringLiteral("general"), QStringLiteral("hello, bob"), QStringLiteral("cid-hello"));
    QVERIFY(ack);
    QVERIFY(ack->value(QLatin1String("seq")).toInteger() >= 1);
    QCOMPARE(ack->value(QLatin1String("cid")).toString(), QStringLiteral("cid-hello"));

    for (TestClient *receiver : {&bob, &adaPhone, &ada}) {
        const auto message = receiver->take(QStringLiteral("chat:message"));
        QVERIFY(message);
        QCOMPARE(message->value(QLatin1String("id")).toString(),
                 ack->value(QLatin1String("messageId")).toString());
        QCOMPARE(message->value(QLatin1String("seq")).toInteger(),
                 ack->value(QLatin1String("seq")).toInteger());
        QCOMPARE(message->value(QLatin1String("room")).toString(), QStringLiteral("general"));
        QVERIFY(message->value(QLatin1String("ts")).toString().endsWith(u'Z'));
        const QJsonObject payload = payloadOf(*message);
        QCOMPARE(payload.value(QLatin1String("text")).toString(), QStringLiteral("hello, bob"));
        QCOMPARE(payload.value(QLatin1String("userId")).toString(), QStringLiteral("ada"));
        QCOMPARE(payload.value(QLatin1String("roomId")).toString(), QStringLiteral("general"));
    }
}

void TestChatFlow::repeatedCidCreatesNoDuplicate()
{
    TestClient ada, bob;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bob"))));
    QVERIFY(ada.join(QStringLiteral("dedup")));
    QVERIFY(bob.join(QStringLiteral("dedup")));

    const auto first = ada.chat(QStringLiteral("dedup"), QStringLiteral("once"), QStringLiteral("cid-once"));
    QVERIFY(first);
    // The re-send a client makes after a lost ack: same cid, maybe on a new connection.
    TestClient adaAgain;
    QVERIFY(adaAgain.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    const auto second =
        adaAgain.chat(QStringLiteral("dedup"), QStringLiteral("once"), QStringLiteral("cid-once"));
    QVERIFY(second);
    QCOMPARE(second->value(QLatin1String("messageId")), first->value(QLatin1String("messageId")));
    QCOMPARE(second->value(QLatin1String("seq")), first->value(QLatin1String("seq")));

    // A marker after the duplicate proves bob has seen everything that will come.
    QVERIFY(ada.chat(QStringLiteral("dedup"), QStringLiteral("marker")));
    QVERIFY(bob.take(QStringLiteral("chat:message"), 10000, [](const QJsonObject &m) {
        return payloadOf(m).value(QLatin1String("text")).toString() == QLatin1String("marker");
    }));
    QCOMPARE(bob.received(QStringLiteral("chat:message")).size(), 2);
    const auto history = httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/dedup/messages")),
                                 m_server.login(QStringLiteral("bob")));
    QCOMPARE(history.body.value(QLatin1String("messages")).toArray().size(), 2);
}

void TestChatFlow::cidReusedInAnotherRoomIsRefused()
{
    TestClient ada;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(ada.join(QStringLiteral("cid-first")));
    QVERIFY(ada.join(QStringLiteral("cid-second")));
    QVERIFY(ada.chat(QStringLiteral("cid-first"), QStringLiteral("first"), QStringLiteral("cid-shared")));

    // A cid names one change: acking the first message here would silently lose this one.
    const QString ref = ada.send(QStringLiteral("chat:send"),
                                 {{QStringLiteral("roomId"), QStringLiteral("cid-second")},
                                  {QStringLiteral("text"), QStringLiteral("second")}},
                                 QStringLiteral("cid-shared"));
    const auto error = ada.take(QStringLiteral("error"), 10000, [&ref](const QJsonObject &m) {
        return payloadOf(m).value(QLatin1String("ref")).toString() == ref;
    });
    QVERIFY(error);
    QCOMPARE(payloadOf(*error).value(QLatin1String("code")).toString(), QStringLiteral("conflict"));
    QVERIFY(
        payloadOf(*error).value(QLatin1String("message")).toString().contains(QLatin1String("cid-first")));

    const auto history = httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/cid-second/messages")),
                                 m_server.login(QStringLiteral("ada")));
    QCOMPARE(history.status, 200);
    QVERIFY(history.body.value(QLatin1String("messages")).toArray().isEmpty());
}

void TestChatFlow::historyPagesOverSocketAndRest()
{
    TestClient ada;
    const QString token = m_server.login(QStringLiteral("ada"));
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), token));
    QVERIFY(ada.join(QStringLiteral("history")));
    for (int i = 1; i <= 25; ++i)
        QVERIFY(ada.chat(QStringLiteral("history"), QStringLiteral("m%1").arg(i)));

    // Newest page first, then walk back with `before`.
    QList<qint64> seen;
    std::optional<qint64> before;
    bool hasMore = true;
    while (hasMore) {
        QJsonObject payload{{QStringLiteral("roomId"), QStringLiteral("history")},
                            {QStringLiteral("limit"), 10}};
        if (before)
            payload.insert(QStringLiteral("before"), *before);
        ada.send(QStringLiteral("history:fetch"), payload);
        const auto page = ada.take(QStringLiteral("history:page"));
        QVERIFY(page);
        const QJsonArray messages = payloadOf(*page).value(QLatin1String("messages")).toArray();
        QVERIFY(!messages.isEmpty() && messages.size() <= 10);
        QList<qint64> pageSeqs;
        for (const QJsonValue &message : messages)
            pageSeqs.append(message.toObject().value(QLatin1String("seq")).toInteger());
        QVERIFY(std::is_sorted(pageSeqs.begin(), pageSeqs.end()));
        seen = pageSeqs + seen;
        before = pageSeqs.first();
        hasMore = payloadOf(*page).value(QLatin1String("hasMore")).toBool();
    }
    QCOMPARE(seen.size(), 25);
    for (int i = 0; i < 25; ++i)
        QCOMPARE(seen.at(i), qint64(i + 1));

    const auto rest =
        httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/history/messages?before=11&limit=5")), token);
    QCOMPARE(rest.status, 200);
    const QJsonArray restPage = rest.body.value(QLatin1String("messages")).toArray();
    QCOMPARE(restPage.size(), 5);
    QCOMPARE(restPage.first().toObject().value(QLatin1String("seq")).toInteger(), 6);
    QCOMPARE(restPage.last().toObject().value(QLatin1String("seq")).toInteger(), 10);
    QCOMPARE(payloadOf(restPage.first().toObject()).value(QLatin1String("text")).toString(),
             QStringLiteral("m6"));
    QVERIFY(rest.body.value(QLatin1String("hasMore")).toBool());

    QCOMPARE(httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/history/messages")), QString()).status, 401);
    QCOMPARE(httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/history/messages?limit=0")), token).status,
             400);
    QCOMPARE(httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/nowhere/messages")), token).status, 404);
}

void TestChatFlow::resumeWithSinceMissesNothingAndRepeatsNothing()
{
    TestClient ada, bob;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bob"))));
    QVERIFY(ada.join(QStringLiteral("resume")));
    QVERIFY(bob.join(QStringLiteral("resume")));
    for (int i = 0; i < 5; ++i)
        QVERIFY(ada.chat(QStringLiteral("resume"), QStringLiteral("before %1").arg(i)));
    QTRY_COMPARE(bob.received(QStringLiteral("chat:message")).size(), 5);
    const qint64 lastApplied =
        bob.received(QStringLiteral("chat:message")).last().value(QLatin1String("seq")).toInteger();

    bob.socket().close();
    QVERIFY(bob.waitForClose());
    for (int i = 0; i < 7; ++i)
        QVERIFY(ada.chat(QStringLiteral("resume"), QStringLiteral("missed %1").arg(i)));

    TestClient bobAgain;
    QVERIFY(bobAgain.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bob"))));
    const auto joined = bobAgain.join(QStringLiteral("resume"), lastApplied);
    QVERIFY(joined);
    QVERIFY(payloadOf(*joined).value(QLatin1String("recovered")).toBool());
    QCOMPARE(payloadOf(*joined).value(QLatin1String("lastSeq")).toInteger(), lastApplied + 7);
    // Replay arrives before room:joined, so it is all here already.
    const QList<QJsonObject> replayed = bobAgain.received(QStringLiteral("chat:message"));
    QCOMPARE(replayed.size(), 7);
    for (int i = 0; i < 7; ++i) {
        QCOMPARE(replayed.at(i).value(QLatin1String("seq")).toInteger(), lastApplied + 1 + i);
        QCOMPARE(payloadOf(replayed.at(i)).value(QLatin1String("text")).toString(),
                 QStringLiteral("missed %1").arg(i));
    }
    // And live delivery continues after the replay.
    QVERIFY(ada.chat(QStringLiteral("resume"), QStringLiteral("live")));
    QVERIFY(bobAgain.take(QStringLiteral("chat:message"), 10000, [](const QJsonObject &m) {
        return payloadOf(m).value(QLatin1String("text")).toString() == QLatin1String("live");
    }));
}

void TestChatFlow::resumeFromTheFutureIsNotRecovered()
{
    TestClient ada;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(ada.join(QStringLiteral("epoch")));
    QVERIFY(ada.chat(QStringLiteral("epoch"), QStringLiteral("one")));
    // A client whose cursor is ahead of the server (restored backup, new epoch) must reload.
    const auto joined = ada.join(QStringLiteral("epoch"), 1000);
    QVERIFY(joined);
    QCOMPARE(payloadOf(*joined).value(QLatin1String("recovered")).toBool(true), false);
}

void TestChatFlow::presenceGoesOnlineAwayOffline()
{
    TestClient ada, cy;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(ada.join(QStringLiteral("presence")));
    QVERIFY(cy.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("cy"))));
    const auto joined = cy.join(QStringLiteral("presence"));
    QVERIFY(joined);
    // cy sees ada already there...
    bool sawAda = false;
    for (const QJsonValue &entry : payloadOf(*joined).value(QLatin1String("presence")).toArray()) {
        if (entry.toObject().value(QLatin1String("userId")).toString() == QLatin1String("ada"))
            sawAda = entry.toObject().value(QLatin1String("status")).toString() == QLatin1String("online");
    }
    QVERIFY(sawAda);

    auto cyStatusSeenByAda = [&ada](const char *status) {
        return ada.take(QStringLiteral("presence:update"), 10000, [status](const QJsonObject &m) {
            const QJsonObject payload = payloadOf(m);
            return payload.value(QLatin1String("userId")).toString() == QLatin1String("cy") &&
                   payload.value(QLatin1String("status")).toString() == QLatin1String(status);
        });
    };
    QVERIFY(cyStatusSeenByAda("online"));
    cy.send(QStringLiteral("presence:set"), {{QStringLiteral("status"), QStringLiteral("away")}});
    QVERIFY(cyStatusSeenByAda("away"));
    cy.send(QStringLiteral("presence:set"), {{QStringLiteral("status"), QStringLiteral("online")}});
    QVERIFY(cyStatusSeenByAda("online"));
    cy.socket().close();
    QVERIFY(cyStatusSeenByAda("offline"));
}

void TestChatFlow::typingIsRelayedToOthersOnly()
{
    TestClient ada, bob;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(bob.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("bob"))));
    QVERIFY(ada.join(QStringLiteral("typing")));
    QVERIFY(bob.join(QStringLiteral("typing")));
    ada.send(QStringLiteral("typing:start"), {{QStringLiteral("roomId"), QStringLiteral("typing")}});
    const auto started = bob.take(QStringLiteral("typing:update"));
    QVERIFY(started);
    QCOMPARE(payloadOf(*started).value(QLatin1String("userId")).toString(), QStringLiteral("ada"));
    QVERIFY(payloadOf(*started).value(QLatin1String("typing")).toBool());
    // Sending the message ends the typing indicator.
    QVERIFY(ada.chat(QStringLiteral("typing"), QStringLiteral("done")));
    const auto stopped = bob.take(QStringLiteral("typing:update"));
    QVERIFY(stopped);
    QVERIFY(!payloadOf(*stopped).value(QLatin1String("typing")).toBool(true));
    QVERIFY(ada.received(QStringLiteral("typing:update")).isEmpty());
    // Typing is never stored.
    const auto history = httpGet(m_server.httpUrl(QStringLiteral("/api/rooms/typing/messages")),
                                 m_server.login(QStringLiteral("bob")));
    QCOMPARE(history.body.value(QLatin1String("messages")).toArray().size(), 1);
}

void TestChatFlow::privateRoomNeedsMembership()
{
    TestClient ada, dee;
    QVERIFY(ada.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("ada"))));
    QVERIFY(dee.connectAndAuthenticate(m_server.wsUrl(), m_server.login(QStringLiteral("dee"))));
    const auto created = ada.join(QStringLiteral("secret"), std::nullopt, true);
    QVERIFY(created);
    QVERIFY(payloadOf(*created).value(QLatin1String("private")).toBool());
    QCOMPARE(payloadOf(*created).value(QLatin1String("ownerId")).toString(), QStringLiteral("ada"));

    const QString joinId =
        dee.send(QStringLiteral("room:join"), {{QStringLiteral("roomId"), QStringLiteral("secret")}});
    const auto refused = dee.take(QStringLiteral("error"));
    QVERIFY(refused);
    QCOMPARE(payloadOf(*refused).value(QLatin1String("code")).toString(), QStringLiteral("forbidden"));
    QCOMPARE(payloadOf(*refused).value(QLatin1String("ref")).toString(), joinId);
    dee.send(QStringLiteral("chat:send"), {{QStringLiteral("roomId"), QStringLiteral("secret")},
                                           {QStringLiteral("text"), QStringLiteral("let me in")}});
    const auto refusedChat = dee.take(QStringLiteral("error"));
    QVERIFY(refusedChat);
    QCOMPARE(payloadOf(*refusedChat).value(QLatin1String("code")).toString(), QStringLiteral("forbidden"));
    QVERIFY(dee.isOpen());
}

void TestChatFlow::roomListShowsVisibleRooms()
{
    TestClient dee;
    const QString token = m_server.login(QStringLiteral("dee"));
    QVERIFY(dee.connectAndAuthenticate(m_server.wsUrl(), token));
    dee.send(QStringLiteral("room:list"));
    const auto list = dee.take(QStringLiteral("room:list"));
    QVERIFY(list);
    QStringList ids;
    for (const QJsonValue &room : payloadOf(*list).value(QLatin1String("rooms")).toArray())
        ids.append(room.toObject().value(QLatin1String("roomId")).toString());
    QVERIFY(ids.contains(QStringLiteral("general")));
    QVERIFY(!ids.contains(QStringLiteral("secret")));
    const auto rest = httpGet(m_server.httpUrl(QStringLiteral("/api/rooms")), token);
    QCOMPARE(rest.status, 200);
    QCOMPARE(rest.body.value(QLatin1String("rooms")).toArray().size(), ids.size());
}

void TestChatFlow::tokenOnUrlAndHeaderAuthenticate()
{
    const QString token = m_server.login(QStringLiteral("bob"));
    TestClient viaQuery;
    QVERIFY(viaQuery.open(m_server.wsUrl(QStringLiteral("token=") + token)));
    QVERIFY(viaQuery.take(QStringLiteral("auth:ok")));

    TestClient viaHeader;
    QNetworkRequest request(m_server.wsUrl());
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QSignalSpy connected(&viaHeader.socket(), &QWebSocket::connected);
    viaHeader.socket().open(request);
    QVERIFY(connected.wait(10000));
    QVERIFY(viaHeader.take(QStringLiteral("auth:ok")));
}

void TestChatFlow::logoutRevokesTokenAndClosesSockets()
{
    const QString token = m_server.login(QStringLiteral("dee"));
    TestClient dee;
    QVERIFY(dee.connectAndAuthenticate(m_server.wsUrl(), token));

    QNetworkAccessManager network;
    QNetworkRequest request(m_server.httpUrl(QStringLiteral("/api/logout")));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = network.post(request, QByteArray());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 204);
    reply->deleteLater();

    QVERIFY(dee.waitForClose());
    QCOMPARE(dee.closeCode(), 4001);
    TestClient again;
    QVERIFY(again.open(m_server.wsUrl()));
    again.send(QStringLiteral("auth"), {{QStringLiteral("token"), token}});
    QVERIFY(again.waitForClose());
    QCOMPARE(again.closeCode(), 4001);
    QCOMPARE(httpGet(m_server.httpUrl(QStringLiteral("/api/rooms")), token).status, 401);
}

void TestChatFlow::healthz()
{
    const auto health = httpGet(m_server.httpUrl(QStringLiteral("/healthz")), QString());
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(health.body.value(QLatin1String("protocol")).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestChatFlow)
#include "tst_chatflow.moc"
