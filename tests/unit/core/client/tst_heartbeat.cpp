// Heartbeat on an injected clock: pings on schedule, a pong in time keeps the
// connection, a missing pong declares it dead exactly at the deadline.

#include "core/client/Heartbeat.h"
#include "core/client/ManualTimerSource.h"

#include <QSignalSpy>
#include <QTest>

using tandem::ManualClock;
using tandem::client::Heartbeat;
using tandem::client::HeartbeatPolicy;
using tandem::client::ManualTimerSource;

class TestHeartbeat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pingsEveryInterval_data();
    void pingsEveryInterval();
    void missingPongTimesOutAtTheDeadline_data();
    void missingPongTimesOutAtTheDeadline();
    void pongInTimeKeepsTheConnection();
    void stopCancelsEverything();
};

void TestHeartbeat::pingsEveryInterval_data()
{
    QTest::addColumn<qint64>("interval");
    QTest::addColumn<qint64>("pongTimeout");
    QTest::addRow("defaults 25 s / 5 s") << qint64(25000) << qint64(5000);
    QTest::addRow("configured 1 s / 200 ms") << qint64(1000) << qint64(200);
}

void TestHeartbeat::pingsEveryInterval()
{
    QFETCH(qint64, interval);
    QFETCH(qint64, pongTimeout);
    ManualClock clock;
    ManualTimerSource timers(clock);
    Heartbeat heartbeat(HeartbeatPolicy{interval, pongTimeout}, clock, timers);
    QSignalSpy pings(&heartbeat, &Heartbeat::pingDue);
    QSignalSpy dead(&heartbeat, &Heartbeat::timedOut);
    const qint64 half = pongTimeout / 2;
    heartbeat.start();
    timers.advance(interval - 1);
    QCOMPARE(pings.count(), 0);
    for (int round = 1; round <= 3; ++round) {
        timers.advance(1);
        QCOMPARE(pings.count(), round); // ping N is due at N * interval
        timers.advance(half);
        heartbeat.pongReceived();
        QCOMPARE(heartbeat.lastRoundTripMs(), half);
        timers.advance(interval - half - 1);
        QCOMPARE(pings.count(), round);
    }
    QCOMPARE(dead.count(), 0);
}

void TestHeartbeat::missingPongTimesOutAtTheDeadline_data()
{
    pingsEveryInterval_data();
}

void TestHeartbeat::missingPongTimesOutAtTheDeadline()
{
    QFETCH(qint64, interval);
    QFETCH(qint64, pongTimeout);
    ManualClock clock;
    ManualTimerSource timers(clock);
    Heartbeat heartbeat(HeartbeatPolicy{interval, pongTimeout}, clock, timers);
    QSignalSpy dead(&heartbeat, &Heartbeat::timedOut);
    heartbeat.start();
    timers.advance(interval + pongTimeout - 1);
    QCOMPARE(dead.count(), 0);
    timers.advance(1);
    QCOMPARE(dead.count(), 1);
    QVERIFY(!heartbeat.isRunning());
    // Dead is reported once; nothing keeps ticking afterwards.
    QCOMPARE(timers.pendingCount(), 0);
}

void TestHeartbeat::pongInTimeKeepsTheConnection()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    Heartbeat heartbeat(HeartbeatPolicy{}, clock, timers);
    QSignalSpy pings(&heartbeat, &Heartbeat::pingDue);
    QSignalSpy dead(&heartbeat, &Heartbeat::timedOut);
    heartbeat.start();
    timers.advance(25000);
    for (int round = 0; round < 10; ++round) {
        timers.advance(4999); // 1 ms before the deadline
        heartbeat.pongReceived();
        timers.advance(25000 - 4999);
    }
    QCOMPARE(dead.count(), 0);
    QCOMPARE(pings.count(), 11);
    timers.advance(4999);
    heartbeat.pongReceived();
    QCOMPARE(heartbeat.lastRoundTripMs(), 4999);
    // An unexpected pong (none outstanding) changes nothing.
    heartbeat.pongReceived();
    QCOMPARE(heartbeat.lastRoundTripMs(), 4999);
}

void TestHeartbeat::stopCancelsEverything()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    Heartbeat heartbeat(HeartbeatPolicy{}, clock, timers);
    QSignalSpy pings(&heartbeat, &Heartbeat::pingDue);
    QSignalSpy dead(&heartbeat, &Heartbeat::timedOut);
    heartbeat.start();
    timers.advance(25000); // ping sent, pong outstanding
    heartbeat.stop();
    timers.advance(3600 * 1000);
    QCOMPARE(pings.count(), 1);
    QCOMPARE(dead.count(), 0);
    QCOMPARE(timers.pendingCount(), 0);
}

QTEST_GUILESS_MAIN(TestHeartbeat)
#include "tst_heartbeat.moc"
