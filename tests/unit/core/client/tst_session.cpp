// The Session's protocol logic against a fake transport and a manual clock:
// auth first, rejoin with `since`, dedup, reload after recovered:false,
// heartbeat death, auth failure, and the router.

#include "FakeTransport.h"
#include "core/client/ManualTimerSource.h"
#include "core/client/Session.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::client::ManualTimerSource;
using tandem::client::Session;
using tandem::client::SessionEnvironment;
using tandem::client::SessionOptions;
using tandem::client::test::FakeTransport;
using State = Session::State;

namespace {
const QUrl ServerUrl(QStringLiteral("ws://127.0.0.1:7420/ws"));
const QString Token = QStringLiteral("secret-token");

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

QJsonObject serverMessage(const QString &type, const QJsonObject &payload, const QString &id = {})
{
    static int next = 0;
    return {{QStringLiteral("id"), id.isEmpty() ? QStringLiteral("server-%1").arg(++next) : id},
            {QStringLiteral("type"), type},
            {QStringLiteral("payload"), payload}};
}

QJsonObject chatMessage(const QString &room, qint64 seq, const QString &id = {})
{
    QJsonObject message = serverMessage(QStringLiteral("chat:message"),
                                        {{QStringLiteral("roomId"), room},
                                         {QStringLiteral("userId"), QStringLiteral("bob")},
                                         {QStringLiteral("text"), QStringLiteral("m%1").arg(seq)}},
                                        id.isEmpty() ? QStringLiteral("%1-%2").arg(room).arg(seq) : id);
    message.insert(QStringLiteral("room"), room);
    message.insert(QStringLiteral("seq"), seq);
    return message;
}

QJsonObject roomJoined(const QString &room, qint64 lastSeq, bool recovered = true)
{
    return serverMessage(QStringLiteral("room:joined"), {{QStringLiteral("roomId"), room},
                                                         {QStringLiteral("lastSeq"), lastSeq},
                                                         {QStringLiteral("recovered"), recovered}});
}

/// A Session wired to a fake transport and a manual clock.
struct Fixture {
    ManualClock clock;
    ManualTimerSource timers{clock};
    FakeTransport *transport = nullptr;
    std::unique_ptr<Session> session;

    explicit Fixture(SessionOptions options = {})
    {
        auto fake = std::make_unique<FakeTransport>();
        transport = fake.get();
        SessionEnvironment environment;
        environment.clock = &clock;
        environment.timers = &timers;
        environment.transport = std::move(fake);
        environment.random = [] {
            return 0.0;
        }; // retry after exactly half the nominal delay
        session = std::make_unique<Session>(ServerUrl, Token, options, std::move(environment));
    }

    /// connect → socket open → auth:ok.
    void connectAndAuthenticate()
    {
        if (!transport->isActive())
            session->connectToServer();
        transport->accept();
        transport->deliver(
            serverMessage(QStringLiteral("auth:ok"), {{QStringLiteral("userId"), QStringLiteral("alice")}}));
    }
};
} // namespace

class TestSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void authenticatesBeforeAnythingElse();
    void rejoinsEveryRoomWithSinceAfterReconnect();
    void dropsDuplicatesByIdAndBySeq();
    void reloadsRoomWhenNotRecovered();
    void heartbeatTimeoutClosesWith4000AndReconnects();
    void authFailureAsksForSignInWithoutRetrying();
    void authTimeoutCountsAsARetryableFailure();
    void sendChatNeedsAConnectionAndReturnsTheCid();
    void routerDeliversByType();
    void disconnectStopsRetrying();
    void documentFramesAreBinaryAndRoutedByRoom();
    void documentsReopenAfterEveryReconnect();
    void textOnlyTransportCarriesDocumentsAsBase64();
    void transportNameFollowsTheTransport();
    void backgroundReachesTheTransport();
    void transportChangeReconnectsAtOnce();
};

void TestSession::authenticatesBeforeAnythingElse()
{
    Fixture f;
    QSignalSpy authenticated(f.session.get(), &Session::authenticated);
    QVERIFY(f.session->joinRoom(QStringLiteral("general")));
    f.session->connectToServer();
    QCOMPARE(f.transport->opens, QList<QUrl>{ServerUrl});
    QCOMPARE(f.session->state(), State::Connecting);
    QCOMPARE(f.session->connection().transportName(), QStringLiteral("Fake"));
    f.transport->accept();
    QCOMPARE(f.transport->sent.size(), 1);
    QCOMPARE(f.transport->sent.first().value(QLatin1String("type")).toString(), QStringLiteral("auth"));
    QCOMPARE(payloadOf(f.transport->sent.first()).value(QLatin1String("token")).toString(), Token);
    // Socket open is not "connected": the server has not accepted us yet.
    QCOMPARE(f.session->state(), State::Connecting);
    QVERIFY(!f.session->isAuthenticated());

    f.transport->deliver(
        serverMessage(QStringLiteral("auth:ok"), {{QStringLiteral("userId"), QStringLiteral("alice")}}));
    QCOMPARE(f.session->state(), State::Connected);
    QCOMPARE(authenticated.count(), 1);
    QCOMPARE(f.session->userId(), QStringLiteral("alice"));
    const auto joins = f.transport->sentOfType(QStringLiteral("room:join"));
    QCOMPARE(joins.size(), 1);
    QCOMPARE(payloadOf(joins.first()).value(QLatin1String("roomId")).toString(), QStringLiteral("general"));
    QVERIFY(!payloadOf(joins.first()).contains(QLatin1String("since")));
}

void TestSession::rejoinsEveryRoomWithSinceAfterReconnect()
{
    Fixture f;
    QVERIFY(f.session->joinRoom(QStringLiteral("a")));
    QVERIFY(f.session->joinRoom(QStringLiteral("b")));
    f.connectAndAuthenticate();
    f.transport->deliver(roomJoined(QStringLiteral("a"), 5));
    f.transport->deliver(roomJoined(QStringLiteral("b"), 0));
    QVERIFY(f.session->isRoomLive(QStringLiteral("a")));
    f.transport->deliver(chatMessage(QStringLiteral("a"), 6));
    f.transport->deliver(chatMessage(QStringLiteral("a"), 7));
    QCOMPARE(f.session->resumeCursor(QStringLiteral("a")), 7);
    QCOMPARE(f.session->resumeCursor(QStringLiteral("b")), 0);

    f.transport->drop(1006, QStringLiteral("connection lost"));
    QCOMPARE(f.session->state(), State::Reconnecting);
    QVERIFY(!f.session->isRoomLive(QStringLiteral("a")));
    f.transport->sent.clear();
    f.timers.advance(f.timers.msUntilNext());
    QCOMPARE(f.session->state(), State::Connecting);
    QCOMPARE(f.transport->opens.size(), 2);
    f.connectAndAuthenticate();

    const auto joins = f.transport->sentOfType(QStringLiteral("room:join"));
    QCOMPARE(joins.size(), 2);
    QMap<QString, qint64> since;
    for (const QJsonObject &join : joins)
        since.insert(payloadOf(join).value(QLatin1String("roomId")).toString(),
                     payloadOf(join).value(QLatin1String("since")).toInteger(-1));
    QCOMPARE(since.value(QStringLiteral("a")), 7);
    QCOMPARE(since.value(QStringLiteral("b")), 0);
}

void TestSession::dropsDuplicatesByIdAndBySeq()
{
    Fixture f;
    QVERIFY(f.session->joinRoom(QStringLiteral("a")));
    f.connectAndAuthenticate();
    f.transport->deliver(roomJoined(QStringLiteral("a"), 0));
    QSignalSpy received(f.session.get(), &Session::messageReceived);
    f.transport->deliver(chatMessage(QStringLiteral("a"), 1));
    f.transport->deliver(chatMessage(QStringLiteral("a"), 1)); // same id
    f.transport->deliver(chatMessage(QStringLiteral("a"), 2));
    f.transport->deliver(
        chatMessage(QStringLiteral("a"), 2, QStringLiteral("other-id"))); // seq already applied
    f.transport->deliver(chatMessage(QStringLiteral("a"), 3));
    QCOMPARE(received.count(), 3);
    QList<qint64> seqs;
    for (const auto &arguments : received)
        seqs << arguments.first().toJsonObject().value(QLatin1String("seq")).toInteger();
    QCOMPARE(seqs, (QList<qint64>{1, 2, 3}));

    // A stored event of a room without a cursor (e.g. inside a history page
    // fetched by the app) is still deduplicated by id.
    f.transport->deliver(chatMessage(QStringLiteral("other"), 9));
    f.transport->deliver(chatMessage(QStringLiteral("other"), 9));
    QCOMPARE(received.count(), 4);
}

void TestSession::reloadsRoomWhenNotRecovered()
{
    Fixture f;
    QVERIFY(f.session->joinRoom(QStringLiteral("a"), 40)); // e.g. from a local cache
    QSignalSpy reload(f.session.get(), &Session::roomReloadRequired);
    QSignalSpy joined(f.session.get(), &Session::roomJoined);
    f.connectAndAuthenticate();
    QCOMPARE(payloadOf(f.transport->sentOfType(QStringLiteral("room:join")).first())
                 .value(QLatin1String("since"))
                 .toInteger(),
             40);
    // The server's history is shorter than what we saw: a new epoch.
    f.transport->deliver(roomJoined(QStringLiteral("a"), 12, false));
    QCOMPARE(reload.count(), 1);
    QCOMPARE(reload.first().first().toString(), QStringLiteral("a"));
    QCOMPARE(joined.first().at(1).toBool(), false);
    QCOMPARE(f.session->resumeCursor(QStringLiteral("a")), 12);
    const auto fetches = f.transport->sentOfType(QStringLiteral("history:fetch"));
    QCOMPARE(fetches.size(), 1);
    QCOMPARE(payloadOf(fetches.first()).value(QLatin1String("roomId")).toString(), QStringLiteral("a"));
    QVERIFY(!payloadOf(fetches.first()).contains(QLatin1String("before"))); // the newest page
    // Live events continue after the new lastSeq.
    QSignalSpy received(f.session.get(), &Session::messageReceived);
    f.transport->deliver(chatMessage(QStringLiteral("a"), 13));
    QCOMPARE(received.count(), 1);
    QCOMPARE(f.session->resumeCursor(QStringLiteral("a")), 13);
}

void TestSession::heartbeatTimeoutClosesWith4000AndReconnects()
{
    Fixture f;
    f.connectAndAuthenticate();
    f.timers.advance(25000);
    QCOMPARE(f.transport->sentOfType(QStringLiteral("ping")).size(), 1);
    f.transport->deliver(serverMessage(QStringLiteral("pong"), {}));
    f.timers.advance(25000);
    QCOMPARE(f.transport->sentOfType(QStringLiteral("ping")).size(), 2);
    f.timers.advance(4999);
    QCOMPARE(f.session->state(), State::Connected);
    f.timers.advance(1);
    QCOMPARE(f.transport->closes, QList<int>{4000});
    QCOMPARE(f.session->state(), State::Reconnecting);
    QCOMPARE(f.session->connection().lastError(), QStringLiteral("heartbeat timeout"));
    f.timers.advance(f.timers.msUntilNext());
    QCOMPARE(f.transport->opens.size(), 2);
}

void TestSession::authFailureAsksForSignInWithoutRetrying()
{
    Fixture f;
    QSignalSpy signIn(f.session.get(), &Session::authenticationRequired);
    f.session->connectToServer();
    f.transport->accept();
    f.transport->deliver(
        serverMessage(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("unauthorized")}}));
    f.transport->drop(4001, QStringLiteral("unauthorized"));
    QCOMPARE(signIn.count(), 1);
    QCOMPARE(f.session->state(), State::Disconnected);
    QCOMPARE(f.session->connection().disconnectReason(),
             tandem::client::ConnectionStateMachine::DisconnectReason::AuthRequired);
    f.timers.advance(3600 * 1000);
    QCOMPARE(f.transport->opens.size(), 1);
    QCOMPARE(f.timers.pendingCount(), 0);

    // After signing in again the app sets the new token and connects.
    f.session->setToken(QStringLiteral("new-token"));
    f.session->connectToServer();
    f.transport->accept();
    QCOMPARE(payloadOf(f.transport->sent.last()).value(QLatin1String("token")).toString(),
             QStringLiteral("new-token"));
}

void TestSession::authTimeoutCountsAsARetryableFailure()
{
    SessionOptions options;
    options.authTimeoutMs = 3000;
    Fixture f(options);
    f.session->connectToServer();
    f.transport->accept();
    f.timers.advance(2999);
    QCOMPARE(f.session->state(), State::Connecting);
    f.timers.advance(1);
    QCOMPARE(f.transport->closes, QList<int>{4000});
    QCOMPARE(f.session->state(), State::Reconnecting);
}

void TestSession::sendChatNeedsAConnectionAndReturnsTheCid()
{
    Fixture f;
    const auto offline = f.session->sendChat(QStringLiteral("a"), QStringLiteral("hi"));
    QVERIFY(!offline);
    QCOMPARE(offline.error().message, QStringLiteral("not connected"));

    f.connectAndAuthenticate();
    QVERIFY(!f.session->sendChat(QStringLiteral("bad room!"), QStringLiteral("hi")));
    QVERIFY(!f.session->sendChat(QStringLiteral("a"), QStringLiteral("   ")));
    const auto generated = f.session->sendChat(QStringLiteral("a"), QStringLiteral("hi"));
    QVERIFY(generated);
    QVERIFY(!generated->isEmpty());
    const auto given =
        f.session->sendChat(QStringLiteral("a"), QStringLiteral("again"), QStringLiteral("c-1"));
    QVERIFY(given);
    QCOMPARE(*given, QStringLiteral("c-1"));
    const auto sends = f.transport->sentOfType(QStringLiteral("chat:send"));
    QCOMPARE(sends.size(), 2);
    QCOMPARE(sends.at(0).value(QLatin1String("cid")).toString(), *generated);
    QCOMPARE(sends.at(1).value(QLatin1String("cid")).toString(), QStringLiteral("c-1"));
    QCOMPARE(payloadOf(sends.at(1)).value(QLatin1String("text")).toString(), QStringLiteral("again"));
}

void TestSession::routerDeliversByType()
{
    Fixture f;
    f.connectAndAuthenticate();
    QList<QJsonObject> chats;
    QList<QJsonObject> everything;
    const int chatSubscription = f.session->subscribe(QStringLiteral("chat:message"),
                                                      [&](const QJsonObject &message) { chats << message; });
    f.session->subscribe({}, [&](const QJsonObject &message) { everything << message; });
    f.transport->deliver(chatMessage(QStringLiteral("x"), 1));
    f.transport->deliver(serverMessage(QStringLiteral("typing:update"), {}));
    QCOMPARE(chats.size(), 1);
    QCOMPARE(everything.size(), 2);
    f.session->unsubscribe(chatSubscription);
    f.transport->deliver(chatMessage(QStringLiteral("x"), 2));
    QCOMPARE(chats.size(), 1);
    QCOMPARE(everything.size(), 3);
}

void TestSession::disconnectStopsRetrying()
{
    Fixture f;
    f.connectAndAuthenticate();
    f.transport->drop(1006);
    QCOMPARE(f.session->state(), State::Reconnecting);
    f.session->disconnectFromServer();
    QCOMPARE(f.session->state(), State::Disconnected);
    f.timers.advance(3600 * 1000);
    QCOMPARE(f.transport->opens.size(), 1);
    // A user's disconnect is not undone by the network coming back.
    f.session->networkBack();
    QCOMPARE(f.session->state(), State::Disconnected);
    f.session->retryNow();
    QCOMPARE(f.session->state(), State::Connecting);
}

void TestSession::documentFramesAreBinaryAndRoutedByRoom()
{
    Fixture f;
    f.connectAndAuthenticate();
    QSignalSpy opening(f.session.get(), &Session::documentOpening);
    QVERIFY(f.session->openDocument(QStringLiteral("general")));
    QVERIFY(!f.session->openDocument(QStringLiteral("bad room")));
    const auto opens = f.transport->sentOfType(QStringLiteral("doc:open"));
    QCOMPARE(opens.size(), 1);
    QCOMPARE(payloadOf(opens.first()).value(QLatin1String("roomId")).toString(), QStringLiteral("general"));
    QVERIFY(!payloadOf(opens.first()).contains(QLatin1String("encoding")));
    QCOMPARE(opening.size(), 1);

    // varString("general") followed by the y-websocket message, as one binary frame.
    const QByteArray step1 = QByteArray::fromHex("00000100");
    QVERIFY(f.session->sendDocumentMessage(QStringLiteral("general"), step1));
    QCOMPARE(f.transport->sentBinary, QList<QByteArray>{QByteArray("\x07general") + step1});

    QList<QByteArray> general;
    QList<QByteArray> other;
    const int subscription = f.session->subscribeDocument(
        QStringLiteral("general"), [&](const QByteArray &message) { general << message; });
    f.session->subscribeDocument(QStringLiteral("other"),
                                 [&](const QByteArray &message) { other << message; });
    f.transport->deliverBinary(Session::encodeDocumentFrame(QStringLiteral("general"), step1));
    f.transport->deliverBinary(QByteArray::fromHex("05")); // truncated: ignored
    // The JSON form is accepted too.
    f.transport->deliver(serverMessage(QStringLiteral("doc:message"),
                                       {{QStringLiteral("roomId"), QStringLiteral("other")},
                                        {QStringLiteral("data"), QString::fromLatin1(step1.toBase64())}}));
    QCOMPARE(general, QList<QByteArray>{step1});
    QCOMPARE(other, QList<QByteArray>{step1});
    f.session->unsubscribe(subscription);
    f.transport->deliverBinary(Session::encodeDocumentFrame(QStringLiteral("general"), step1));
    QCOMPARE(general.size(), 1);

    f.session->closeDocument(QStringLiteral("general"));
    QCOMPARE(f.transport->sentOfType(QStringLiteral("doc:close")).size(), 1);
    QVERIFY(f.session->openDocuments().isEmpty());
}

void TestSession::documentsReopenAfterEveryReconnect()
{
    Fixture f;
    // Opened before any connection: doc:open goes out after auth:ok, and again after a drop.
    QVERIFY(f.session->openDocument(QStringLiteral("general")));
    QVERIFY(!f.session->sendDocumentMessage(QStringLiteral("general"), QByteArray("\x00", 1)));
    f.connectAndAuthenticate();
    QCOMPARE(f.transport->sentOfType(QStringLiteral("doc:open")).size(), 1);
    f.transport->drop(1006);
    f.timers.advance(60 * 1000);
    f.connectAndAuthenticate();
    QCOMPARE(f.transport->sentOfType(QStringLiteral("doc:open")).size(), 2);
    f.session->closeDocument(QStringLiteral("general"));
    f.transport->drop(1006);
    f.timers.advance(60 * 1000);
    f.connectAndAuthenticate();
    QCOMPARE(f.transport->sentOfType(QStringLiteral("doc:open")).size(), 2);
}

void TestSession::textOnlyTransportCarriesDocumentsAsBase64()
{
    Fixture f;
    f.transport->binary = false;
    f.connectAndAuthenticate();
    QVERIFY(f.session->openDocument(QStringLiteral("general")));
    const auto opens = f.transport->sentOfType(QStringLiteral("doc:open"));
    QCOMPARE(payloadOf(opens.first()).value(QLatin1String("encoding")).toString(), QStringLiteral("base64"));
    const QByteArray update = QByteArray::fromHex("0002020000");
    QVERIFY(f.session->sendDocumentMessage(QStringLiteral("general"), update));
    QVERIFY(f.transport->sentBinary.isEmpty());
    const auto messages = f.transport->sentOfType(QStringLiteral("doc:message"));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(payloadOf(messages.first()).value(QLatin1String("roomId")).toString(),
             QStringLiteral("general"));
    QCOMPARE(QByteArray::fromBase64(
                 payloadOf(messages.first()).value(QLatin1String("data")).toString().toLatin1()),
             update);
}

void TestSession::transportNameFollowsTheTransport()
{
    // The status bar shows connection().transportName(); a FallbackTransport
    // renames itself when it falls back to SSE or polling.
    Fixture f;
    QSignalSpy renamed(&f.session->connection(),
                       &tandem::client::ConnectionStateMachine::transportNameChanged);
    f.transport->rename(QStringLiteral("SSE"));
    QCOMPARE(f.session->connection().transportName(), QStringLiteral("SSE"));
    QCOMPARE(renamed.count(), 1);
}

void TestSession::backgroundReachesTheTransport()
{
    Fixture f;
    f.session->setBackground(true);
    QVERIFY(f.transport->background);
    f.session->setBackground(false);
    QVERIFY(!f.transport->background);
}

void TestSession::transportChangeReconnectsAtOnce()
{
    Fixture f;
    f.connectAndAuthenticate();
    QCOMPARE(f.transport->opens.size(), 1);
    f.transport->drop(tandem::client::CloseTransportChange, QStringLiteral("upgrading to WebSocket"));
    // Reopened within the close itself, before any backoff timer could run.
    QCOMPARE(f.transport->opens.size(), 2);
    QCOMPARE(f.session->state(), State::Connecting);
    f.connectAndAuthenticate();
    QCOMPARE(f.session->state(), State::Connected);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
