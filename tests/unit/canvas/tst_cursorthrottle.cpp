// CursorThrottle (docs/CANVAS.md "Live cursors"): at most 30 sends in any
// second, the first move after a quiet spell at once, the newest position
// always last, nothing while still, nothing queued when sending fails. Time
// runs on a ManualClock.

#include "core/canvas/CursorThrottle.h"
#include "core/client/ManualTimerSource.h"

#include <QList>
#include <QTest>

using namespace tandem;
using tandem::canvas::CursorThrottle;

namespace {
struct Sent {
    qint64 atMs;
    QPointF position;
};

/// A throttle on a manual clock that records what it hands to `send`.
struct Rig {
    ManualClock clock;
    client::ManualTimerSource timers{clock};
    QList<Sent> sent;
    bool accept = true;
    CursorThrottle throttle{clock, timers, [this](QPointF position) {
                                sent.append({clock.monotonicMs(), position});
                                return accept;
                            }};
};

/// The largest number of sends inside any window [t, t + 1000 ms).
int busiestSecond(const QList<Sent> &sent)
{
    int busiest = 0;
    for (qsizetype first = 0; first < sent.size(); ++first) {
        qsizetype last = first;
        while (last + 1 < sent.size() && sent.at(last + 1).atMs < sent.at(first).atMs + 1000)
            ++last;
        busiest = std::max(busiest, static_cast<int>(last - first + 1));
    }
    return busiest;
}
} // namespace

class TstCursorThrottle : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void singleMoveIsSentAtOnce();
    void streamIsAtMost30PerSecondAndEndsOnTheLastPosition_data();
    void streamIsAtMost30PerSecondAndEndsOnTheLastPosition();
    void stillPointerSendsNothing();
    void repeatedPositionIsNotSentAgain();
    void cancelDropsTheTrailingSend();
    void refusedSendIsNotQueued();
    void destroyingCancelsTheTimer();
};

void TstCursorThrottle::singleMoveIsSentAtOnce()
{
    Rig rig;
    rig.clock.advance(5000);
    rig.throttle.pointerMoved({10, 20});
    QCOMPARE(rig.sent.size(), 1);
    QCOMPARE(rig.sent.first().position, QPointF(10, 20));
    QCOMPARE(rig.sent.first().atMs, 5000);
    QCOMPARE(rig.throttle.sentCount(), 1);
    QCOMPARE(rig.timers.pendingCount(), 0);
}

void TstCursorThrottle::streamIsAtMost30PerSecondAndEndsOnTheLastPosition_data()
{
    QTest::addColumn<int>("moves");
    // A move every periodNumerator / periodDenominator ms, on whole milliseconds.
    QTest::addColumn<int>("periodNumerator");
    QTest::addColumn<int>("periodDenominator");
    // 300 Hz is one move every 3⅓ ms; the lengths end the stream at different phases of the interval.
    QTest::addRow("300 Hz, 5 s") << 1500 << 10 << 3;
    QTest::addRow("300 Hz, 5 s + 1 move") << 1501 << 10 << 3;
    QTest::addRow("300 Hz, 3 s + 7 moves") << 907 << 10 << 3;
    QTest::addRow("300 Hz, 2 s + 10 moves") << 610 << 10 << 3;
    // Slower pointers, around the interval: each gap tests the leading edge after a short pause.
    QTest::addRow("60 Hz") << 300 << 50 << 3;
    QTest::addRow("every 33 ms") << 150 << 33 << 1;
    QTest::addRow("every 34 ms") << 150 << 34 << 1;
    QTest::addRow("every 35 ms") << 150 << 35 << 1;
    QTest::addRow("every 50 ms") << 100 << 50 << 1;
}

void TstCursorThrottle::streamIsAtMost30PerSecondAndEndsOnTheLastPosition()
{
    QFETCH(int, moves);
    QFETCH(int, periodNumerator);
    QFETCH(int, periodDenominator);
    Rig rig;
    QPointF last;
    QList<qint64> movedAtMs;
    for (int i = 0; i < moves; ++i) {
        const qint64 dueMs = qint64(i) * periodNumerator / periodDenominator;
        rig.timers.advance(dueMs - rig.clock.monotonicMs());
        last = QPointF(i * 0.5, 1000 - i);
        movedAtMs.append(rig.clock.monotonicMs());
        rig.throttle.pointerMoved(last);
    }
    rig.timers.advance(CursorThrottle::MinIntervalMs);

    QVERIFY2(busiestSecond(rig.sent) <= 30, qPrintable(QString::number(busiestSecond(rig.sent))));
    for (qsizetype i = 1; i < rig.sent.size(); ++i)
        QVERIFY(rig.sent.at(i).atMs - rig.sent.at(i - 1).atMs >= CursorThrottle::MinIntervalMs);
    // Not starved either: every move is followed by a send within one interval.
    qsizetype send = 0;
    for (const qint64 movedAt : std::as_const(movedAtMs)) {
        while (send < rig.sent.size() && rig.sent.at(send).atMs < movedAt)
            ++send;
        QVERIFY2(
            send < rig.sent.size() && rig.sent.at(send).atMs <= movedAt + CursorThrottle::MinIntervalMs,
            qPrintable(QStringLiteral("nothing sent within an interval of the move at %1 ms").arg(movedAt)));
    }
    QCOMPARE(rig.sent.last().position, last);
    QCOMPARE(rig.throttle.sentCount(), rig.sent.size());

    // The pointer stopped: nothing more, however long we wait.
    const qsizetype count = rig.sent.size();
    rig.timers.advance(10'000);
    QCOMPARE(rig.sent.size(), count);
}

void TstCursorThrottle::stillPointerSendsNothing()
{
    Rig rig;
    rig.throttle.pointerMoved({1, 1});
    rig.timers.advance(10);
    rig.throttle.pointerMoved({2, 2}); // trailing edge at 34 ms
    rig.timers.advance(60'000);
    QCOMPARE(rig.sent.size(), 2);
    QCOMPARE(rig.sent.last().position, QPointF(2, 2));
    QCOMPARE(rig.sent.last().atMs, CursorThrottle::MinIntervalMs);
    QCOMPARE(rig.timers.pendingCount(), 0);
}

void TstCursorThrottle::repeatedPositionIsNotSentAgain()
{
    Rig rig;
    rig.throttle.pointerMoved({5, 5});
    rig.timers.advance(100);
    rig.throttle.pointerMoved({5, 5});
    rig.timers.advance(10);
    rig.throttle.pointerMoved({6, 6}); // out at once: the last send was 110 ms ago
    rig.throttle.pointerMoved({5, 5});
    rig.throttle.pointerMoved({6, 6}); // back where it was sent: the trailing edge has no news
    rig.timers.advance(1000);
    QCOMPARE(rig.sent.size(), 2);
    QCOMPARE(rig.sent.last().position, QPointF(6, 6));
}

void TstCursorThrottle::cancelDropsTheTrailingSend()
{
    Rig rig;
    rig.throttle.pointerMoved({1, 1});
    rig.timers.advance(5);
    rig.throttle.pointerMoved({2, 2});
    QCOMPARE(rig.timers.pendingCount(), 1);
    rig.throttle.cancel();
    QCOMPARE(rig.timers.pendingCount(), 0);
    rig.timers.advance(1000);
    QCOMPARE(rig.sent.size(), 1);
    QCOMPARE(rig.throttle.sentCount(), 1);

    // After a cancel the throttle works as before.
    rig.throttle.pointerMoved({3, 3});
    QCOMPARE(rig.sent.size(), 2);
    QCOMPARE(rig.sent.last().position, QPointF(3, 3));
}

void TstCursorThrottle::refusedSendIsNotQueued()
{
    Rig rig;
    rig.accept = false;
    rig.throttle.pointerMoved({1, 1});
    rig.timers.advance(5);
    rig.throttle.pointerMoved({2, 2});
    rig.timers.advance(1000);
    // Each position was offered once, then forgotten: no retry while offline.
    QCOMPARE(rig.sent.size(), 2);
    QCOMPARE(rig.timers.pendingCount(), 0);

    // Back online: the next move goes out at once, and nothing older comes with it.
    rig.accept = true;
    rig.throttle.pointerMoved({2, 2});
    QCOMPARE(rig.sent.size(), 3);
    QCOMPARE(rig.sent.last().position, QPointF(2, 2));
    rig.timers.advance(1000);
    QCOMPARE(rig.sent.size(), 3);
}

void TstCursorThrottle::destroyingCancelsTheTimer()
{
    ManualClock clock;
    client::ManualTimerSource timers(clock);
    int sends = 0;
    {
        CursorThrottle throttle(clock, timers, [&sends](QPointF) { return ++sends > 0; });
        throttle.pointerMoved({1, 1});
        throttle.pointerMoved({2, 2});
        QCOMPARE(timers.pendingCount(), 1);
    }
    QCOMPARE(timers.pendingCount(), 0);
    timers.advance(1000);
    QCOMPARE(sends, 1);
}

QTEST_GUILESS_MAIN(TstCursorThrottle)
#include "tst_cursorthrottle.moc"
