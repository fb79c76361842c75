// The test timer source itself: if it fired early, late or out of order,
// every time-dependent test built on it would prove nothing.

#include "core/client/ManualTimerSource.h"

#include <QTest>

using tandem::ManualClock;
using tandem::client::ManualTimerSource;

class TestManualTimerSource : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firesAtTheDueTimeNotBefore();
    void firesInDueOrderThenStartOrder();
    void cancelledTimerNeverFires();
    void timerStartedByACallbackFiresInTheSameAdvance();
};

void TestManualTimerSource::firesAtTheDueTimeNotBefore()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    qint64 firedAt = -1;
    timers.start(100, [&] { firedAt = clock.monotonicMs(); });
    timers.advance(99);
    QCOMPARE(firedAt, -1);
    QCOMPARE(timers.msUntilNext(), 1);
    timers.advance(50);
    QCOMPARE(firedAt, 100); // the clock stood at the due time while the callback ran
    QCOMPARE(clock.monotonicMs(), 149);
    QCOMPARE(timers.pendingCount(), 0);
}

void TestManualTimerSource::firesInDueOrderThenStartOrder()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    QStringList fired;
    timers.start(30, [&] { fired << QStringLiteral("c"); });
    timers.start(10, [&] { fired << QStringLiteral("a"); });
    timers.start(30, [&] { fired << QStringLiteral("d"); });
    timers.start(20, [&] { fired << QStringLiteral("b"); });
    timers.advance(1000);
    QCOMPARE(fired, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                 QStringLiteral("d")}));
}

void TestManualTimerSource::cancelledTimerNeverFires()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    bool fired = false;
    const int id = timers.start(10, [&] { fired = true; });
    timers.cancel(id);
    timers.cancel(12345); // unknown ids are ignored
    timers.advance(100);
    QVERIFY(!fired);
}

void TestManualTimerSource::timerStartedByACallbackFiresInTheSameAdvance()
{
    ManualClock clock;
    ManualTimerSource timers(clock);
    QList<qint64> firedAt;
    std::function<void()> tick = [&] {
        firedAt << clock.monotonicMs();
        if (firedAt.size() < 3)
            timers.start(10, tick);
    };
    timers.start(10, tick);
    timers.advance(25);
    QCOMPARE(firedAt, (QList<qint64>{10, 20}));
    timers.advance(5);
    QCOMPARE(firedAt, (QList<qint64>{10, 20, 30}));
}

QTEST_GUILESS_MAIN(TestManualTimerSource)
#include "tst_manualtimersource.moc"
