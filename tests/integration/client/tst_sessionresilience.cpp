// A Session against a real tandem-server: the server is killed and restarted
// on the same port and data folder, a token is refused or revoked, the server
// stays away longer than the retry bound. The Session must resume every room
// with nothing missed and nothing duplicated, never loop on a bad token, and
// give up with "Retry now" working afterwards. The kill-and-resume case runs
// over each transport: WebSocket, Server-Sent Events and polling.

#include "core/client/FallbackTransport.h"
#include "core/client/ManualTimerSource.h"
#include "core/client/Session.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::client::ConnectionStateMachine;
using tandem::client::FallbackTransport;
using tandem::client::ManualTimerSource;
using tandem::client::Session;
using tandem::client::SessionEnvironment;
using tandem::client::SessionOptions;
using tandem::test::ServerProcess;
using tandem::test::TestClient;
using State = Session::State;
using Reason = ConnectionStateMachine::DisconnectReason;

namespace {
/// A session environment whose time only moves when the test advances `clock`; by default the
/// Session's own transport (Auto), or one transport forced.
SessionEnvironment manualTime(ManualClock &clock, ManualTimerSource &timers,
                              std::optional<FallbackTransport::Mode> mode = std::nullopt)
{
    SessionEnvironment environment;
    environment.clock = &clock;
    environment.timers = &timers;
    if (mode)
        environment.transport =
            std::make_unique<FallbackTransport>(*mode, timers, SessionOptions{}.connectTimeoutMs);
    return environment;
}

/// Moves manual time on, one timer at a time, until `done`: what a real clock would do, without
/// the waiting. The server's answers are processed between steps.
bool advanceUntil(ManualTimerSource &timers, const std::function<bool()> &done, int timeoutMs = 15000)
{
    return QTest::qWaitFor(
        [&] {
            if (done())
                return true;
            const qint64 next = timers.msUntilNext();
            if (next >= 0)
                timers.advance(std::min<qint64>(next, 1000));
            return done();
        },
        timeoutMs);
}

constexpr int Timeout = 15000;
const QStringList Rooms{QStringLiteral("r1"), QStringLiteral("r2")};

/// Every chat:message the session routed, per room, as (seq, id, text).
struct ChatLog {
    struct Entry {
        qint64 seq;
        QString id;
        QString text;
    };
    QMap<QString, QList<Entry>> rooms;

    void attach(Session &session)
    {
        session.subscribe(QStringLiteral("chat:message"), [this](const QJsonObject &message) {
            rooms[message.value(QLatin1String("room")).toString()].append(
                {message.value(QLatin1String("seq")).toInteger(),
                 message.value(QLatin1String("id")).toString(),
                 message.value(QLatin1String("payload")).toObject().value(QLatin1String("text")).toString()});
        });
    }
    int count(const QString &room) const { return static_cast<int>(rooms.value(room).size()); }
};

bool allRoomsLive(const Session &session)
{
    return std::all_of(Rooms.cbegin(), Rooms.cend(),
                       [&](const QString &room) { return session.isRoomLive(room); });
}

QString textFor(const QString &room, int index)
{
    return QStringLiteral("%1 message %2").arg(room).arg(index);
}

/// Bob's side: a plain client that joins both rooms and sends `count` messages to each.
bool sendAsBob(ServerProcess &server, const QString &token, int first, int count)
{
    TestClient bob;
    if (!bob.connectAndAuthenticate(server.wsUrl(), token))
        return false;
    for (const QString &room : Rooms) {
        if (!bob.join(room))
            return false;
        for (int i = first; i < first + count; ++i) {
            if (!bob.chat(room, textFor(room, i), QStringLiteral("bob-%1-%2").arg(room).arg(i)))
                return false;
        }
    }
    return true;
}
} // namespace

class TestSessionResilience : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resumesEveryRoomAfterKillAndRestart_data();
    void resumesEveryRoomAfterKillAndRestart();
    void reloadsARoomWhoseGapIsTooLongToReplay();
    void heartbeatKeepsARealConnectionAlive();
    void badTokenAsksForSignInWithoutRetrying();
    void revokedTokenClosesWith4001AndDoesNotRetry();
    void givesUpAfterTheRetryBoundAndRetryNowReconnects();
};

void TestSessionResilience::resumesEveryRoomAfterKillAndRestart_data()
{
    QTest::addColumn<FallbackTransport::Mode>("mode");
    QTest::addColumn<QString>("transportName");
    QTest::newRow("websocket") << FallbackTransport::Mode::WebSocket << QStringLiteral("WebSocket");
    QTest::newRow("sse") << FallbackTransport::Mode::Sse << QStringLiteral("SSE");
    QTest::newRow("polling") << FallbackTransport::Mode::Polling << QStringLiteral("Polling");
}

void TestSessionResilience::resumesEveryRoomAfterKillAndRestart()
{
    QFETCH(FallbackTransport::Mode, mode);
    QFETCH(QString, transportName);
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    QVERIFY(server.addUser(QStringLiteral("bob")));
    const QString aliceToken = server.login(QStringLiteral("alice"));
    const QString bobToken = server.login(QStringLiteral("bob"));
    QVERIFY(!aliceToken.isEmpty() && !bobToken.isEmpty());
    const quint16 port = server.port();

    // Retries fire only when the test advances the clock, so the test decides
    // when the session may come back: after Bob has written into the gap.
    ManualClock clock;
    ManualTimerSource timers(clock);
    Session alice(server.wsUrl(), aliceToken, {}, manualTime(clock, timers, mode));
    ChatLog log;
    log.attach(alice);
    QSignalSpy reloads(&alice, &Session::roomReloadRequired);
    for (const QString &room : Rooms)
        QVERIFY(alice.joinRoom(room));
    alice.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Connected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(allRoomsLive(alice), Timeout);
    QCOMPARE(alice.connection().transportName(), transportName);

    // Before the crash: three messages per room, received live.
    QVERIFY(sendAsBob(server, bobToken, 1, 3));
    for (const QString &room : Rooms)
        QTRY_COMPARE_WITH_TIMEOUT(log.count(room), 3, Timeout);

    server.kill();
    // HTTP transports notice the loss on their next request, which a poll's backoff may delay.
    QVERIFY(advanceUntil(timers, [&] { return alice.state() == State::Reconnecting; }));
    if (mode == FallbackTransport::Mode::WebSocket) {
        QCOMPARE(alice.connection().attempt(), 1);
        // A retry while the server is down fails and backs off further.
        timers.advance(timers.msUntilNext());
        QCOMPARE(alice.state(), State::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, Timeout);
        QCOMPARE(alice.connection().attempt(), 2);
    }

    // Same port, same data: Bob writes four more per room while Alice is away.
    QVERIFY(server.start(port));
    QCOMPARE(server.port(), port);
    QVERIFY(sendAsBob(server, bobToken, 4, 4));

    QVERIFY(advanceUntil(timers, [&] { return alice.state() == State::Connected && allRoomsLive(alice); }));
    QCOMPARE(alice.connection().attempt(), 0);

    // And one live message after the resume.
    QVERIFY(sendAsBob(server, bobToken, 8, 1));
    for (const QString &room : Rooms) {
        QTRY_COMPARE_WITH_TIMEOUT(log.count(room), 8, Timeout);
        const auto &entries = log.rooms.value(room);
        QSet<QString> ids;
        for (int i = 0; i < entries.size(); ++i) {
            QCOMPARE(entries.at(i).seq, i + 1); // nothing missed, nothing twice, in order
            QCOMPARE(entries.at(i).text, textFor(room, i + 1));
            ids.insert(entries.at(i).id);
        }
        QCOMPARE(ids.size(), 8);
        QCOMPARE(alice.resumeCursor(room), 8);
    }
    QCOMPARE(reloads.count(), 0);
}

void TestSessionResilience::reloadsARoomWhoseGapIsTooLongToReplay()
{
    // The server replays at most two events: a longer gap must reload the room.
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("max_replay_events=2")}};
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("alice")));
    QVERIFY(server.addUser(QStringLiteral("bob")));
    const QString aliceToken = server.login(QStringLiteral("alice"));
    const QString bobToken = server.login(QStringLiteral("bob"));
    QVERIFY(!aliceToken.isEmpty() && !bobToken.isEmpty());

    ManualClock clock;
    ManualTimerSource timers(clock);
    Session alice(server.wsUrl(), aliceToken, {}, manualTime(clock, timers));
    ChatLog log;
    log.attach(alice);
    QList<QJsonObject> pages;
    alice.subscribe(QStringLiteral("history:page"), [&](const QJsonObject &page) { pages << page; });
    QSignalSpy reloads(&alice, &Session::roomReloadRequired);
    for (const QString &room : Rooms)
        QVERIFY(alice.joinRoom(room));
    alice.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(allRoomsLive(alice), Timeout);
    QVERIFY(sendAsBob(server, bobToken, 1, 1));
    for (const QString &room : Rooms)
        QTRY_COMPARE_WITH_TIMEOUT(log.count(room), 1, Timeout);

    const quint16 port = server.port();
    server.kill();
    QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Reconnecting, Timeout);
    QVERIFY(server.start(port));
    QVERIFY(sendAsBob(server, bobToken, 2, 4)); // a gap of 4 > 2 in each room
    timers.advance(timers.msUntilNext());
    QTRY_VERIFY_WITH_TIMEOUT(allRoomsLive(alice), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(reloads.count(), Rooms.size(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(pages.size(), Rooms.size(), Timeout);
    for (const QJsonObject &page : pages) {
        // The newest page holds the whole room (5 messages), ready to replace the view.
        const QJsonArray messages =
            page.value(QLatin1String("payload")).toObject().value(QLatin1String("messages")).toArray();
        QCOMPARE(messages.size(), 5);
        QCOMPARE(messages.last().toObject().value(QLatin1String("seq")).toInteger(), 5);
    }
    for (const QString &room : Rooms) {
        QCOMPARE(log.count(room), 1); // nothing was replayed
        QCOMPARE(alice.resumeCursor(room), 5);
    }
    // Live events continue after the reload, and the next resume starts from seq 5.
    QVERIFY(sendAsBob(server, bobToken, 6, 1));
    for (const QString &room : Rooms) {
        QTRY_COMPARE_WITH_TIMEOUT(log.count(room), 2, Timeout);
        QCOMPARE(log.rooms.value(room).last().seq, 6);
    }
}

void TestSessionResilience::heartbeatKeepsARealConnectionAlive()
{
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("erin")));
    const QString token = server.login(QStringLiteral("erin"));
    QVERIFY(!token.isEmpty());
    SessionOptions options;
    options.heartbeat.intervalMs = 30;
    options.heartbeat.pongTimeoutMs = 5000;
    Session session(server.wsUrl(), token, options);
    int pongs = 0;
    session.subscribe(QStringLiteral("pong"), [&](const QJsonObject &) { ++pongs; });
    QSignalSpy states(&session, &Session::stateChanged);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Connected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(pongs >= 5, Timeout);
    QCOMPARE(session.state(), State::Connected);
    QCOMPARE(states.count(), 2); // connecting, connected: never dropped
}

void TestSessionResilience::badTokenAsksForSignInWithoutRetrying()
{
    ServerProcess server;
    QVERIFY(server.start());
    ManualClock clock;
    ManualTimerSource timers(clock);
    Session session(server.wsUrl(), QStringLiteral("not-a-valid-token-at-all"), {},
                    manualTime(clock, timers));
    QSignalSpy signIn(&session, &Session::authenticationRequired);
    QSignalSpy states(&session, &Session::stateChanged);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Disconnected, Timeout);
    QCOMPARE(session.connection().disconnectReason(), Reason::AuthRequired);
    QCOMPARE(session.connection().lastCloseCode(), 4001);
    QCOMPARE(signIn.count(), 1);
    // No retry was scheduled, and an hour later nothing has happened.
    QCOMPARE(session.connection().nextRetryAtMs(), -1);
    timers.advance(3600 * 1000);
    QCOMPARE(states.count(), 2); // connecting, disconnected
    QCOMPARE(session.state(), State::Disconnected);
}

void TestSessionResilience::revokedTokenClosesWith4001AndDoesNotRetry()
{
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("carol")));
    const QString token = server.login(QStringLiteral("carol"));
    QVERIFY(!token.isEmpty());
    Session session(server.wsUrl(), token);
    QSignalSpy signIn(&session, &Session::authenticationRequired);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Connected, Timeout);

    QNetworkAccessManager network;
    QNetworkRequest request(server.httpUrl(QStringLiteral("/api/logout")));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = network.post(request, QByteArray());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(Timeout));
    reply->deleteLater();

    QTRY_COMPARE_WITH_TIMEOUT(signIn.count(), 1, Timeout);
    QCOMPARE(session.state(), State::Disconnected);
    QCOMPARE(session.connection().disconnectReason(), Reason::AuthRequired);
    QCOMPARE(session.connection().nextRetryAtMs(), -1);
}

void TestSessionResilience::givesUpAfterTheRetryBoundAndRetryNowReconnects()
{
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.addUser(QStringLiteral("dave")));
    const QString token = server.login(QStringLiteral("dave"));
    QVERIFY(!token.isEmpty());
    const quint16 port = server.port();

    // Real timers, small bounds: 20 ms base, three retries.
    SessionOptions options;
    options.backoff.baseMs = 20;
    options.backoff.capMs = 200;
    options.backoff.maxAttempts = 3;
    Session session(server.wsUrl(), token, options);
    QSignalSpy scheduled(&session.connection(), &ConnectionStateMachine::retryScheduled);
    QVERIFY(session.joinRoom(QStringLiteral("lobby")));
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Connected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(session.isRoomLive(QStringLiteral("lobby")), Timeout);

    server.kill();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Disconnected, Timeout);
    QCOMPARE(session.connection().disconnectReason(), Reason::GaveUp);
    QCOMPARE(scheduled.count(), 3);
    QCOMPARE(session.connection().nextRetryAtMs(), -1);
    QVERIFY(!session.connection().lastError().isEmpty());

    QVERIFY(server.start(port));
    session.retryNow();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Connected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(session.isRoomLive(QStringLiteral("lobby")), Timeout);
    QCOMPARE(session.connection().attempt(), 0);
}

QTEST_GUILESS_MAIN(TestSessionResilience)
#include "tst_sessionresilience.moc"
