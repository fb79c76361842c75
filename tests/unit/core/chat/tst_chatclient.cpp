// ChatClient on a real Session whose transport the test plays the server
// for, on a ManualClock: rooms from room:list, local echo until the ack,
// failures, unread counts, history paging, typing and away going out.

#include "core/chat/ChatClient.h"
#include "core/client/ManualTimerSource.h"
#include "tests/unit/core/client/FakeTransport.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tandem::ManualClock;
using tandem::chat::ChatClient;
using tandem::chat::ChatMessage;
using tandem::chat::PresenceRoster;
using tandem::client::ManualTimerSource;
using tandem::client::Session;
using tandem::client::SessionEnvironment;
using tandem::client::test::FakeTransport;

namespace {

const QString General = QStringLiteral("general");

QJsonObject serverMessage(const QString &type, const QJsonObject &payload, const QJsonObject &envelope = {})
{
    QJsonObject message = envelope;
    message.insert(QStringLiteral("type"), type);
    message.insert(QStringLiteral("payload"), payload);
    return message;
}

QJsonObject chatMessage(qint64 seq, const QString &userId, const QString &room = General,
                        const QString &cid = {})
{
    QJsonObject envelope{{QStringLiteral("id"), QStringLiteral("%1-%2").arg(room).arg(seq)},
                         {QStringLiteral("room"), room},
                         {QStringLiteral("seq"), seq},
                         {QStringLiteral("ts"), QStringLiteral("2026-11-28T18:15:19.123Z")}};
    if (!cid.isEmpty())
        envelope.insert(QStringLiteral("cid"), cid);
    return serverMessage(QStringLiteral("chat:message"),
                         {{QStringLiteral("roomId"), room},
                          {QStringLiteral("userId"), userId},
                          {QStringLiteral("text"), QStringLiteral("message %1").arg(seq)}},
                         envelope);
}

QString idOf(const QJsonObject &message)
{
    return message.value(QLatin1String("id")).toString();
}

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

struct Fixture {
    ManualClock clock;
    ManualTimerSource timers{clock};
    FakeTransport *transport = nullptr;
    std::unique_ptr<Session> session;
    QTemporaryDir storeDir;
    std::unique_ptr<tandem::offline::OfflineSync> offline;
    std::unique_ptr<ChatClient> chat;

    Fixture()
    {
        auto fake = std::make_unique<FakeTransport>();
        transport = fake.get();
        SessionEnvironment environment;
        environment.clock = &clock;
        environment.timers = &timers;
        environment.transport = std::move(fake);
        // No pongs come from a fake server: keep the heartbeat out of the way of the away timer.
        tandem::client::SessionOptions options;
        options.heartbeat.intervalMs = 24 * 3600 * 1000;
        session = std::make_unique<Session>(QUrl(QStringLiteral("ws://server/ws")), QStringLiteral("token"),
                                            options, std::move(environment));
        offline = std::make_unique<tandem::offline::OfflineSync>(
            *session, storeDir.filePath(QStringLiteral("local.sqlite")), clock, timers);
        if (const auto opened = offline->open(); !opened)
            qFatal("cannot open the local store: %s", qPrintable(opened.error().message));
        chat = std::make_unique<ChatClient>(*session, *offline, clock, timers);
        session->connectToServer();
        transport->accept();
        transport->deliver(
            serverMessage(QStringLiteral("auth:ok"), {{QStringLiteral("userId"), QStringLiteral("alice")}}));
    }

    /// room:list with `general` (member), then its room:joined and an empty first page.
    void joinGeneral()
    {
        transport->deliver(serverMessage(
            QStringLiteral("room:list"),
            {{QStringLiteral("rooms"),
              QJsonArray{QJsonObject{{QStringLiteral("roomId"), General}, {QStringLiteral("member"), true}},
                         QJsonObject{{QStringLiteral("roomId"), QStringLiteral("random")},
                                     {QStringLiteral("member"), true}}}}}));
        transport->deliver(
            serverMessage(QStringLiteral("room:joined"),
                          {{QStringLiteral("roomId"), General},
                           {QStringLiteral("presence"),
                            QJsonArray{QJsonObject{{QStringLiteral("userId"), QStringLiteral("bob")},
                                                   {QStringLiteral("status"), QStringLiteral("online")}}}}},
                          {{QStringLiteral("room"), General}}));
    }
};

} // namespace

class TestChatClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsRoomsAndJoinsMemberRooms();
    void echoesUntilAcked();
    void permanentErrorMarksTheSendFailed();
    void transientErrorRetriesWithTheSameCid();
    void sendingOfflineQueuesUntilReconnect();
    void replayIsPacedBelowTheAdvertisedRate();
    void resendsUnackedWithTheSameCidAfterReconnect();
    void countsUnreadOutsideTheCurrentRoom();
    void pagesBackThroughHistory();
    void tracksPresenceAndTyping();
    void sendsTypingAndAway();
};

void TestChatClient::listsRoomsAndJoinsMemberRooms()
{
    Fixture f;
    QCOMPARE(f.transport->sentOfType(QStringLiteral("room:list")).size(), 1);
    f.transport->deliver(serverMessage(
        QStringLiteral("room:list"),
        {{QStringLiteral("rooms"),
          QJsonArray{QJsonObject{{QStringLiteral("roomId"), General}, {QStringLiteral("member"), true}},
                     QJsonObject{{QStringLiteral("roomId"), QStringLiteral("lobby")},
                                 {QStringLiteral("member"), false}}}}}));
    QCOMPARE(f.chat->rooms()->rowCount(), 2);
    const auto joins = f.transport->sentOfType(QStringLiteral("room:join"));
    QCOMPARE(joins.size(), 1);
    QCOMPARE(payloadOf(joins.at(0)).value(QLatin1String("roomId")).toString(), General);
    QCOMPARE(f.chat->currentRoom(), General);
}

void TestChatClient::echoesUntilAcked()
{
    Fixture f;
    f.joinGeneral();
    QVERIFY(!f.chat->sendMessage(General, QStringLiteral("   ")));
    QVERIFY(f.chat->sendMessage(General, QStringLiteral("hello")));
    auto *model = f.chat->messages(General);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->at(0).state, ChatMessage::State::Pending);
    QCOMPARE(model->at(0).userId, QStringLiteral("alice"));
    const QJsonObject send = f.transport->sentOfType(QStringLiteral("chat:send")).value(0);
    const QString cid = send.value(QLatin1String("cid")).toString();
    QVERIFY(!cid.isEmpty());
    QCOMPARE(model->at(0).cid, cid);

    f.transport->deliver(
        serverMessage(QStringLiteral("ack"), {{QStringLiteral("messageId"), QStringLiteral("m-1")},
                                              {QStringLiteral("cid"), cid},
                                              {QStringLiteral("roomId"), General},
                                              {QStringLiteral("seq"), 1},
                                              {QStringLiteral("ref"), idOf(send)}}));
    QCOMPARE(model->at(0).state, ChatMessage::State::Sent);
    QJsonObject live = chatMessage(1, QStringLiteral("alice"), General, cid);
    live.insert(QStringLiteral("id"), QStringLiteral("m-1"));
    f.transport->deliver(live);
    QCOMPARE(model->rowCount(), 1);
}

void TestChatClient::permanentErrorMarksTheSendFailed()
{
    Fixture f;
    f.joinGeneral();
    QSignalSpy errors(f.chat.get(), &ChatClient::errorReported);
    f.chat->sendMessage(General, QStringLiteral("doomed"));
    const QJsonObject send = f.transport->sentOfType(QStringLiteral("chat:send")).value(0);
    f.transport->deliver(
        serverMessage(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("forbidden")},
                                                {QStringLiteral("message"), QStringLiteral("not a member")},
                                                {QStringLiteral("ref"), idOf(send)}}));
    QCOMPARE(f.chat->messages(General)->at(0).state, ChatMessage::State::Failed);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(f.offline->queue().pending().value(0).reason, QStringLiteral("not a member"));
}

void TestChatClient::transientErrorRetriesWithTheSameCid()
{
    Fixture f;
    f.joinGeneral();
    f.chat->sendMessage(General, QStringLiteral("try again"));
    const QJsonObject send = f.transport->sentOfType(QStringLiteral("chat:send")).value(0);
    f.transport->sent.clear();
    f.transport->deliver(
        serverMessage(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("internal")},
                                                {QStringLiteral("message"), QStringLiteral("disk full")},
                                                {QStringLiteral("ref"), idOf(send)}}));
    QCOMPARE(f.chat->messages(General)->at(0).state, ChatMessage::State::Pending);
    QCOMPARE(f.offline->queue().pending().value(0).retries, 1);
    QVERIFY(f.transport->sentOfType(QStringLiteral("chat:send")).isEmpty()); // not at once: after a backoff
    f.timers.advance(60000);
    const auto resent = f.transport->sentOfType(QStringLiteral("chat:send"));
    QCOMPARE(resent.size(), 1);
    QCOMPARE(resent.first().value(QLatin1String("cid")), send.value(QLatin1String("cid")));
}

void TestChatClient::sendingOfflineQueuesUntilReconnect()
{
    Fixture f;
    f.joinGeneral();
    f.transport->drop(1006);
    f.transport->sent.clear();
    QSignalSpy errors(f.chat.get(), &ChatClient::errorReported);
    QVERIFY(f.chat->sendMessage(General, QStringLiteral("into the tunnel")));
    QCOMPARE(f.chat->messages(General)->at(0).state, ChatMessage::State::Pending);
    QCOMPARE(errors.count(), 0);
    QCOMPARE(f.offline->queue().pendingCount(), 1);
    f.timers.advance(60000); // backoff: the session reconnects
    f.transport->accept();
    f.transport->deliver(
        serverMessage(QStringLiteral("auth:ok"), {{QStringLiteral("userId"), QStringLiteral("alice")}}));
    const auto sent = f.transport->sentOfType(QStringLiteral("chat:send"));
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().value(QLatin1String("payload")).toObject().value(QLatin1String("text")),
             QJsonValue(QStringLiteral("into the tunnel")));
}

void TestChatClient::replayIsPacedBelowTheAdvertisedRate()
{
    Fixture f;
    f.joinGeneral();
    f.transport->drop(1006);
    for (int i = 0; i < 12; ++i)
        QVERIFY(f.chat->sendMessage(General, QStringLiteral("offline %1").arg(i)));
    f.transport->sent.clear();
    f.timers.advance(60000); // the session reconnects
    f.transport->accept();
    // The server allows bursts of 8 and 4 messages a second: the backlog uses half and three quarters.
    f.transport->deliver(
        serverMessage(QStringLiteral("auth:ok"),
                      {{QStringLiteral("userId"), QStringLiteral("alice")},
                       {QStringLiteral("limits"), QJsonObject{{QStringLiteral("messagesPerSecond"), 4},
                                                              {QStringLiteral("burst"), 8}}}}));
    const auto sentTexts = [&f] {
        QStringList texts;
        for (const QJsonObject &send : f.transport->sentOfType(QStringLiteral("chat:send")))
            texts.append(
                send.value(QLatin1String("payload")).toObject().value(QLatin1String("text")).toString());
        return texts;
    };
    QCOMPARE(sentTexts().size(), 4);
    f.timers.advance(1100); // 3 a second
    QCOMPARE(sentTexts().size(), 7);
    f.timers.advance(3000);
    const QStringList all = sentTexts();
    QCOMPARE(all.size(), 12);
    for (int i = 0; i < all.size(); ++i)
        QCOMPARE(all.at(i), QStringLiteral("offline %1").arg(i)); // in writing order
}

void TestChatClient::resendsUnackedWithTheSameCidAfterReconnect()
{
    Fixture f;
    f.joinGeneral();
    f.chat->sendMessage(General, QStringLiteral("in flight"));
    const QString cid =
        f.transport->sentOfType(QStringLiteral("chat:send")).value(0).value(QLatin1String("cid")).toString();
    f.transport->drop(1006); // the ack never came
    f.transport->sent.clear();
    f.timers.advance(60000); // backoff: the session reconnects
    QVERIFY(f.transport->isActive());
    f.transport->accept();
    f.transport->deliver(
        serverMessage(QStringLiteral("auth:ok"), {{QStringLiteral("userId"), QStringLiteral("alice")}}));
    const auto resent = f.transport->sentOfType(QStringLiteral("chat:send"));
    QCOMPARE(resent.size(), 1);
    QCOMPARE(resent.at(0).value(QLatin1String("cid")).toString(), cid);
    QCOMPARE(f.chat->messages(General)->rowCount(), 1);
    QCOMPARE(f.chat->messages(General)->at(0).state, ChatMessage::State::Pending);
}

void TestChatClient::countsUnreadOutsideTheCurrentRoom()
{
    Fixture f;
    f.joinGeneral();
    QSignalSpy arrived(f.chat.get(), &ChatClient::messageArrived);
    f.transport->deliver(chatMessage(1, QStringLiteral("bob"), QStringLiteral("random")));
    f.transport->deliver(chatMessage(1, QStringLiteral("bob"), General));
    f.transport->deliver(
        chatMessage(2, QStringLiteral("alice"), QStringLiteral("random"))); // ours, elsewhere
    QCOMPARE(f.chat->rooms()->unread(QStringLiteral("random")), 1);
    QCOMPARE(f.chat->rooms()->unread(General), 0);
    QCOMPARE(arrived.count(), 2);
    QCOMPARE(arrived.at(0).at(1).toBool(), true);  // not in view
    QCOMPARE(arrived.at(1).at(1).toBool(), false); // in view
    // Not looking at the window: the current room counts too.
    f.chat->setAttentive(false);
    f.transport->deliver(chatMessage(2, QStringLiteral("bob"), General));
    QCOMPARE(f.chat->rooms()->unread(General), 1);
    f.chat->setAttentive(true);
    QCOMPARE(f.chat->rooms()->unread(General), 0);
    f.chat->setCurrentRoom(QStringLiteral("random"));
    QCOMPARE(f.chat->rooms()->unread(QStringLiteral("random")), 0);
}

void TestChatClient::pagesBackThroughHistory()
{
    Fixture f;
    f.joinGeneral();
    const auto fetches = [&f] {
        return f.transport->sentOfType(QStringLiteral("history:fetch"));
    };
    QCOMPARE(fetches().size(), 1);
    QVERIFY(!payloadOf(fetches().at(0)).contains(QLatin1String("before")));
    const auto page = [](qint64 from, qint64 to, bool hasMore, const QString &ref) {
        QJsonArray messages;
        for (qint64 seq = from; seq <= to; ++seq)
            messages.append(chatMessage(seq, QStringLiteral("bob")));
        return serverMessage(QStringLiteral("history:page"), {{QStringLiteral("roomId"), General},
                                                              {QStringLiteral("messages"), messages},
                                                              {QStringLiteral("hasMore"), hasMore},
                                                              {QStringLiteral("ref"), ref}});
    };
    f.transport->deliver(page(51, 100, true, idOf(fetches().at(0))));
    auto *model = f.chat->messages(General);
    QCOMPARE(model->rowCount(), 50);
    f.chat->fetchOlder(General);
    f.chat->fetchOlder(General); // one page at a time
    QCOMPARE(fetches().size(), 2);
    QCOMPARE(payloadOf(fetches().at(1)).value(QLatin1String("before")).toInteger(), 51);
    f.transport->deliver(page(1, 50, false, idOf(fetches().at(1))));
    QCOMPARE(model->rowCount(), 100);
    QCOMPARE(model->at(0).seq, 1);
    QVERIFY(!model->hasMoreHistory());
    f.chat->fetchOlder(General);
    QCOMPARE(fetches().size(), 2);
    // Authors seen in history are listed as members, offline until they show up.
    QCOMPARE(f.chat->presence()->status(General, QStringLiteral("bob")), PresenceRoster::Status::Online);
}

void TestChatClient::tracksPresenceAndTyping()
{
    Fixture f;
    f.joinGeneral();
    QCOMPARE(f.chat->presence()->status(General, QStringLiteral("bob")), PresenceRoster::Status::Online);
    f.transport->deliver(serverMessage(QStringLiteral("presence:update"),
                                       {{QStringLiteral("userId"), QStringLiteral("bob")},
                                        {QStringLiteral("roomId"), General},
                                        {QStringLiteral("status"), QStringLiteral("away")}}));
    QCOMPARE(f.chat->presence()->status(General, QStringLiteral("bob")), PresenceRoster::Status::Away);
    const auto typing = [](const QString &user, bool on) {
        return serverMessage(QStringLiteral("typing:update"), {{QStringLiteral("userId"), user},
                                                               {QStringLiteral("roomId"), General},
                                                               {QStringLiteral("typing"), on}});
    };
    f.transport->deliver(typing(QStringLiteral("alice"), true)); // our own other device: not shown
    f.transport->deliver(typing(QStringLiteral("bob"), true));
    QCOMPARE(f.chat->typing()->text(General), QStringLiteral("bob is typing…"));
    // His message ends his typing at once.
    f.transport->deliver(chatMessage(1, QStringLiteral("bob")));
    QCOMPARE(f.chat->typing()->text(General), QString());
}

void TestChatClient::sendsTypingAndAway()
{
    Fixture f;
    f.joinGeneral();
    f.chat->composerEdited(General);
    f.timers.advance(1000);
    f.chat->composerEdited(General);
    QCOMPARE(f.transport->sentOfType(QStringLiteral("typing:start")).size(), 1);
    f.timers.advance(3000);
    QCOMPARE(f.transport->sentOfType(QStringLiteral("typing:stop")).size(), 1);

    // Two idle minutes make us away.
    f.timers.advance(2 * 60 * 1000);
    const auto presence = f.transport->sentOfType(QStringLiteral("presence:set"));
    QCOMPARE(presence.size(), 1);
    QCOMPARE(payloadOf(presence.at(0)).value(QLatin1String("status")).toString(), QStringLiteral("away"));
    f.chat->away()->activity();
    QCOMPARE(payloadOf(f.transport->sentOfType(QStringLiteral("presence:set")).value(1))
                 .value(QLatin1String("status"))
                 .toString(),
             QStringLiteral("online"));
}

QTEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"
