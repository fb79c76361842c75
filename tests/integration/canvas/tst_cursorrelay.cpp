// Live cursors through a real tandem-server (docs/CANVAS.md "Live cursors"):
// a 300 Hz pointer goes through the real CursorThrottle onto the wire and
// reaches the other user at no more than 30 moves a second, ending on the
// final position; a peer that stops reading still gets every chat message
// and, once it reads again, the sender's latest cursor instead of the backlog
// of stale ones.

#include "core/canvas/CursorThrottle.h"
#include "core/client/QtTimerSource.h"
#include "tests/support/RawWebSocket.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TestClient.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QTest>
#include <QTimer>

using namespace tandem;
using namespace tandem::test;
using tandem::canvas::CursorThrottle;

namespace {
const QString Room = QStringLiteral("sketch");

QJsonObject payloadOf(const QJsonObject &message)
{
    return message.value(QLatin1String("payload")).toObject();
}

QPointF positionOf(const QJsonObject &cursorMove)
{
    const QJsonObject payload = payloadOf(cursorMove);
    return {payload.value(QLatin1String("x")).toDouble(), payload.value(QLatin1String("y")).toDouble()};
}

QJsonObject cursorPayload(QPointF position)
{
    return {{QStringLiteral("roomId"), Room},
            {QStringLiteral("x"), position.x()},
            {QStringLiteral("y"), position.y()}};
}

QByteArray authFrame(const QString &token)
{
    return R"({"type":"auth","payload":{"token":")" + token.toLatin1() + R"("}})";
}
} // namespace

class TstCursorRelay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pointerAt300HzArrivesAtMost30PerSecondEndingOnTheFinalPosition();
    void slowReaderGetsEveryChatAndOnlyTheLatestCursor();
    void cursorMovesHaveTheirOwnRateBucket();
};

void TstCursorRelay::pointerAt300HzArrivesAtMost30PerSecondEndingOnTheFinalPosition()
{
    // Server defaults, apart from the rate limit: the test is about the cursor path, not the bucket.
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=1000"),
                          QStringLiteral("burst=1000")}};
    QVERIFY(server.start());
    const QString aliceToken = server.addMember(QStringLiteral("alice"), Room);
    const QString bobToken = server.addMember(QStringLiteral("bob"), Room);
    QVERIFY2(!aliceToken.isEmpty() && !bobToken.isEmpty(), server.log().right(3000).constData());
    TestClient alice;
    TestClient bob;
    QVERIFY(alice.connectAndAuthenticate(server.wsUrl(), aliceToken));
    QVERIFY(bob.connectAndAuthenticate(server.wsUrl(), bobToken));
    QVERIFY(alice.join(Room));
    QVERIFY(bob.join(Room));

    const Clock &clock = Clock::system();
    client::QtTimerSource timers;
    QList<qint64> sentAtMs;
    CursorThrottle throttle(clock, timers, [&](QPointF position) {
        sentAtMs.append(clock.monotonicMs());
        alice.send(QStringLiteral("cursor:move"), cursorPayload(position));
        return alice.isOpen();
    });

    // A 300 Hz pointer for about a second of the sender's clock.
    QPointF last;
    int moves = 0;
    const qint64 startMs = clock.monotonicMs();
    QTimer pointer;
    pointer.setTimerType(Qt::PreciseTimer);
    pointer.setInterval(3);
    connect(&pointer, &QTimer::timeout, this, [&] {
        if (clock.monotonicMs() - startMs >= 1000) {
            pointer.stop();
            return;
        }
        ++moves;
        last = QPointF(moves, 2.5 * moves);
        throttle.pointerMoved(last);
    });
    // A plain event loop: QTRY_* sleeps between polls, which would slow the pointer down.
    QEventLoop streaming;
    connect(&pointer, &QTimer::timeout, &streaming, [&] {
        if (!pointer.isActive())
            streaming.quit();
    });
    QTimer::singleShot(20000, &streaming, &QEventLoop::quit);
    pointer.start();
    streaming.exec();
    QVERIFY(!pointer.isActive());
    QVERIFY(moves > 100); // the pointer really outran the throttle

    const auto bobsCursors = [&bob] {
        return bob.received(QStringLiteral("cursor:move"));
    };
    // The trailing edge carries the final position, and it is the last thing bob sees.
    QTRY_COMPARE_WITH_TIMEOUT(bobsCursors().isEmpty() ? QPointF() : positionOf(bobsCursors().last()), last,
                              10000);
    // A fast reader is never behind, so the server relays every send, in order.
    QTRY_COMPARE(bobsCursors().size(), throttle.sentCount());
    QCOMPARE(sentAtMs.size(), throttle.sentCount());
    for (const QJsonObject &move : bobsCursors()) {
        QCOMPARE(payloadOf(move).value(QLatin1String("userId")).toString(), QStringLiteral("alice"));
        QCOMPARE(payloadOf(move).value(QLatin1String("roomId")).toString(), Room);
    }
    QVERIFY(alice.received(QStringLiteral("cursor:move")).isEmpty()); // never echoed

    // The rate bound on the sender's clock: sends are at least MinIntervalMs apart, so over the
    // span from the first send to the last there are at most span / 34 + 1 of them; the +1 is the
    // leading edge, sent at once at the start of the span. Bob received exactly those.
    const qint64 spanMs = sentAtMs.last() - sentAtMs.first();
    QVERIFY2(bobsCursors().size() <= spanMs / CursorThrottle::MinIntervalMs + 1,
             qPrintable(QStringLiteral("%1 moves in %2 ms").arg(bobsCursors().size()).arg(spanMs)));
    QVERIFY2(bobsCursors().size() <= spanMs * 30 / 1000 + 1, qPrintable(QString::number(spanMs)));
    // And in every second of it no more than 30.
    for (qsizetype first = 0; first < sentAtMs.size(); ++first) {
        qsizetype inWindow = 0;
        for (qsizetype i = first; i < sentAtMs.size() && sentAtMs.at(i) < sentAtMs.at(first) + 1000; ++i)
            ++inWindow;
        QVERIFY(inWindow <= 30);
    }
}

void TstCursorRelay::slowReaderGetsEveryChatAndOnlyTheLatestCursor()
{
    // A small backlog limit so a stalled reader is behind after a few hundred KiB, and a hard
    // limit far above what this test queues, so it is held, not disconnected.
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("outgoing_soft_limit_bytes=16384"),
                          QStringLiteral("outgoing_hard_limit_bytes=268435456"),
                          QStringLiteral("messages_per_second=100000"), QStringLiteral("burst=100000"),
                          QStringLiteral("cursor_moves_per_second=100000"),
                          QStringLiteral("cursor_burst=100000")}};
    QVERIFY(server.start());
    const QString aliceToken = server.addMember(QStringLiteral("alice"), Room);
    const QString bobToken = server.addMember(QStringLiteral("bob"), Room);
    QVERIFY2(!aliceToken.isEmpty() && !bobToken.isEmpty(), server.log().right(3000).constData());

    // Bob joins and then stops reading; a tiny receive buffer makes the kernel push back early.
    RawWebSocket bob;
    bob.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    QVERIFY(bob.open(server.port()));
    bob.sendText(authFrame(bobToken));
    bob.sendText(R"({"id":"j","type":"room:join","payload":{"roomId":"sketch"}})");
    QVERIFY(bob.nextMessage());           // auth:ok
    QVERIFY(bob.nextMessage());           // room:joined
    bob.socket().setReadBufferSize(4096); // the test process must not drain it in the background either

    TestClient alice;
    QVERIFY(alice.connectAndAuthenticate(server.wsUrl(), aliceToken));
    QVERIFY(alice.join(Room));

    const QString bulk(8000, u'x');
    int chats = 0;
    int cursors = 0;
    QPointF last;
    const auto sendCursors = [&](int count) {
        for (int i = 0; i < count; ++i) {
            ++cursors;
            last = QPointF(cursors, -cursors);
            alice.send(QStringLiteral("cursor:move"), cursorPayload(last));
        }
    };
    const auto sendChats = [&](int count, const QString &text) {
        for (int i = 0; i < count; ++i) {
            ++chats;
            alice.send(QStringLiteral("chat:send"),
                       {{QStringLiteral("roomId"), Room}, {QStringLiteral("text"), text}});
        }
        QTRY_COMPARE_WITH_TIMEOUT(alice.received(QStringLiteral("ack")).size(), chats, 20000);
    };
    // Chat until the server says it is holding cursors back for bob; one cursor move per round
    // is what makes it say so.
    bool behind = false;
    for (int round = 0; round < 100 && !behind; ++round) {
        sendCursors(1);
        sendChats(20, bulk);
        behind = server.log().contains(R"(holding latest-only messages for "bob")");
    }
    if (!behind)
        qWarning().noquote() << server.log().right(3000);
    QVERIFY(behind);
    const int cursorsBeforeBehind = cursors;
    // The kernel keeps taking a little of the backlog even from a peer that does not read (tens of
    // KiB a second here): keep the queue far above the soft limit, so bob stays behind throughout.
    sendChats(40, bulk);
    // Many more moves while bob is behind, chat among them, then the final position.
    for (int i = 0; i < 10; ++i) {
        sendCursors(100);
        sendChats(1, QStringLiteral("among the cursors %1").arg(i));
        sendChats(10, bulk);
    }
    sendCursors(1);
    const int cursorsWhileBehind = cursors - cursorsBeforeBehind;
    QVERIFY(alice.chat(Room, QStringLiteral("last chat"))); // also: every cursor:move before it was handled

    // Bob reads again.
    bob.socket().setReadBufferSize(0);
    QList<QJsonObject> chatMessages;
    QList<QJsonObject> cursorMoves;
    bool sawFinal = false;
    bool sawLastChat = false;
    while (!(sawFinal && sawLastChat)) {
        const auto message = bob.nextMessage(20000);
        QVERIFY2(message, "bob's stream ended before the final position and the last chat arrived");
        const QString type = message->value(QLatin1String("type")).toString();
        if (type == QLatin1String("chat:message")) {
            chatMessages.append(*message);
            sawLastChat =
                payloadOf(*message).value(QLatin1String("text")).toString() == QLatin1String("last chat");
        } else if (type == QLatin1String("cursor:move")) {
            cursorMoves.append(*message);
            sawFinal = positionOf(*message) == last;
        }
    }
    // A marker after everything: no older cursor can come after the final one.
    QVERIFY(alice.chat(Room, QStringLiteral("marker")));
    for (;;) {
        const auto message = bob.nextMessage(20000);
        QVERIFY(message);
        const QString type = message->value(QLatin1String("type")).toString();
        if (type == QLatin1String("cursor:move"))
            cursorMoves.append(*message);
        if (type == QLatin1String("chat:message") &&
            payloadOf(*message).value(QLatin1String("text")).toString() == QLatin1String("marker"))
            break;
        if (type == QLatin1String("chat:message"))
            chatMessages.append(*message);
    }

    // Every chat message, in order (required traffic is never dropped or reordered).
    QCOMPARE(chatMessages.size(), chats + 1); // + "last chat"
    for (qsizetype i = 1; i < chatMessages.size(); ++i)
        QVERIFY(chatMessages.at(i).value(QLatin1String("seq")).toInteger() >
                chatMessages.at(i - 1).value(QLatin1String("seq")).toInteger());
    // The latest cursor, last; and far fewer of them than were sent.
    QCOMPARE(positionOf(cursorMoves.last()), last);
    // (Those sent before bob fell behind may all have arrived; of the later ones, hardly any.)
    QVERIFY2(cursorMoves.size() - cursorsBeforeBehind <= cursorsWhileBehind / 10,
             qPrintable(QStringLiteral("%1 of %2 cursor moves arrived, %3 of them sent while behind")
                            .arg(cursorMoves.size())
                            .arg(cursors)
                            .arg(cursorsWhileBehind)));
    // The ones that did arrive are in the order they were sent.
    for (qsizetype i = 1; i < cursorMoves.size(); ++i)
        QVERIFY(positionOf(cursorMoves.at(i)).x() > positionOf(cursorMoves.at(i - 1)).x());
    QVERIFY(bob.isOpen());
}

void TstCursorRelay::cursorMovesHaveTheirOwnRateBucket()
{
    // A tight general bucket and a small cursor bucket: each limit holds, and neither eats the other's
    // budget.
    ServerProcess server{{QStringLiteral("[limits]"), QStringLiteral("messages_per_second=0.1"),
                          QStringLiteral("burst=8"), QStringLiteral("cursor_moves_per_second=0.1"),
                          QStringLiteral("cursor_burst=10")}};
    QVERIFY(server.start());
    const QString aliceToken = server.addMember(QStringLiteral("alice"), Room);
    const QString bobToken = server.addMember(QStringLiteral("bob"), Room);
    QVERIFY(!aliceToken.isEmpty() && !bobToken.isEmpty());
    TestClient alice;
    TestClient bob;
    QVERIFY(alice.connectAndAuthenticate(server.wsUrl(), aliceToken));
    QVERIFY(bob.connectAndAuthenticate(server.wsUrl(), bobToken));
    QVERIFY(alice.join(Room));
    QVERIFY(bob.join(Room));

    // 25 moves at once: the cursor burst (10) passes, the rest is dropped without an answer.
    for (int i = 1; i <= 25; ++i)
        alice.send(QStringLiteral("cursor:move"), cursorPayload(QPointF(i, i)));
    // The general bucket is untouched by them: chat still goes through (auth and join used 2 of 8).
    for (int i = 0; i < 3; ++i)
        QVERIFY2(alice.chat(Room, QStringLiteral("still talking %1").arg(i)), "chat was rate limited");
    QTRY_COMPARE(bob.received(QStringLiteral("chat:message")).size(), 3);
    const QList<QJsonObject> moves = bob.received(QStringLiteral("cursor:move"));
    QCOMPARE(moves.size(), 10);
    QCOMPARE(positionOf(moves.last()), QPointF(10, 10));
    QVERIFY(alice.received(QStringLiteral("error")).isEmpty());
    QVERIFY(alice.isOpen());
}

QTEST_GUILESS_MAIN(TstCursorRelay)
#include "tst_cursorrelay.moc"
